"""Run a report notebook with papermill, export HTML and PDF, publish atomically.

``lav_rapporter(Bestilling(...))`` makes the reports of one municipality and year:
``<ud>/<kode>-<navn>/<aar>/<type>.ipynb|.html|.pdf``. Everything is written to a staging folder
next to the final one and moved into place with one ``rename``: a reader sees the year folder
complete (old or new) or not at all, never half-written. A failed report publishes nothing; its
executed notebook (with the error) is kept under ``<ud>/.fejl/`` for the analyst.

A :class:`VarmKerne` is one Jupyter kernel kept alive across papermill runs (papermill hands it
to nbclient as ``km``; nbclient leaves a kernel it does not own running). The imports and the
case data (cached by :mod:`.kilde`) are then paid once per kernel instead of once per report.
A :class:`ProcesKerne` runs the same notebooks without a kernel, in the calling process (the
batch workers' default; see the section "the same notebooks without a Jupyter kernel" below).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kontrol_lib.parametre.kommune import KommuneParametre, hent_kommune
from kontrol_lib.rapporter.benchmarkrapport import maaned_tekst, standard_maaned, tjek_kommune
from kontrol_lib.rapporter.eksport import til_html, til_pdf
from kontrol_lib.sager.lager import sqlite_fil, standard_url
from kontrol_lib.vokabular.fejl import KontrolFejl

NOTEBOOK_MAPPE = Path(__file__).resolve().parents[2] / "notebooks"
CELLE_TIMEOUT = 600    # seconds per cell: a scheduled batch never hangs on one report
TYPER = {
    "aarsrapport": "Årsrapport",
    "udvalgsorientering": "Udvalgsorientering",
    "benchmark": "Benchmark af kontrolsagerne",
    "regeleffekt": "Regeleffekt og ligebehandling",      # issue 17; needs --db (not part of alle)
}
# ``alle``: the annual report and the briefing, and the benchmark report when a benchmark file is given.
GRUNDTYPER = ("aarsrapport", "udvalgsorientering")


PR_SET_PDEATHSIG = 1   # linux/prctl.h


def foraelder_doedssignal() -> Callable[[], None] | None:
    """A function that, called in a process, makes the operating system send it SIGKILL when the
    thread that started it ends (Linux ``prctl(PR_SET_PDEATHSIG)``): a worker dies with the batch,
    a kernel with its worker, even when the parent is killed with ``kill -9``. It is made before
    any fork (the ctypes lookup is not safe in a forked child), so it can also be a Popen
    ``preexec_fn``. None where the system has no such call."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

    def saet():
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return saet


def alle_typer(benchmark: str | None) -> tuple[str, ...]:
    """What ``--type alle`` (and ``typer: alle`` in a plan) makes."""
    return GRUNDTYPER + (("benchmark",) if benchmark else ())


@dataclass(frozen=True)
class Bestilling:
    """One municipality and year to report on, and where the data comes from."""
    kommune: int | str
    aar: int
    typer: tuple[str, ...] = GRUNDTYPER
    sager: str | None = None          # kontrolsager CSV/XLSX/Parquet
    db: str | None = None             # case store URL (SagsLager)
    benchmark: str | None = None      # benchmark.csv (optional; required by the benchmark report)
    maaned: str | None = None         # benchmark report: the window's last month, default December of aar
    ud: Path = Path("reports")
    pdf: bool = True


@dataclass
class Resultat:
    kommune: int
    aar: int
    mappe: Path | None = None
    filer: list[Path] = field(default_factory=list)
    fejl: str | None = None
    sekunder: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.fejl is None


def _absolut_db(db: str | None) -> str:
    """The store URL as the notebook kernel must see it: a relative SQLite path made absolute,
    since the kernel runs in notebooks/, not in the caller's folder."""
    if not db:
        return ""
    return standard_url(db)


def tjek_bestilling(b: Bestilling) -> KommuneParametre:
    """Check the order before anything runs: types, data source, parameters. Returns the
    municipality's parameters."""
    ukendte = [t for t in b.typer if t not in TYPER]
    if ukendte or not b.typer:
        raise KontrolFejl(f"Ukendt rapporttype: {', '.join(ukendte) or '(ingen)'}. "
                          f"Vælg blandt: {', '.join(TYPER)} eller alle.")
    if b.sager and b.db:
        raise KontrolFejl("Angiv præcis én kilde til sagerne: --sager FIL (kontrolsager.csv) eller --db URL (sagslageret).")
    if not b.sager and not b.db and any(t in GRUNDTYPER for t in b.typer):
        raise KontrolFejl("Angiv præcis én kilde til sagerne: --sager FIL (kontrolsager.csv) eller --db URL (sagslageret).")
    if "benchmark" in b.typer:
        if not b.benchmark:
            raise KontrolFejl("Benchmarkrapporten kræver en national benchmarkfil: --benchmark FIL (benchmark.csv).")
        standard_maaned(b.aar, b.maaned or "")
    if "regeleffekt" in b.typer and not b.db:
        raise KontrolFejl("Regeleffektrapporten kræver sagslageret: --db URL.")
    if b.db:
        if (fil := sqlite_fil(standard_url(b.db))) is not None and not fil.exists():
            raise KontrolFejl(f"Sagslageret findes ikke: {fil}")
    if b.sager and not Path(b.sager).exists():
        raise KontrolFejl(f"Filen med kontrolsager findes ikke: {b.sager}")
    if b.benchmark and not Path(b.benchmark).exists():
        raise KontrolFejl(f"Benchmarkfilen findes ikke: {b.benchmark}")
    p = hent_kommune(b.kommune, b.aar)
    if "benchmark" in b.typer:
        # before any kernel runs: a municipality missing from the file fails here, not in the notebook
        tjek_kommune(p, b.benchmark)
    return p


class VarmKerne:
    """A Python kernel kept running across notebook runs (one per worker). On Linux the kernel is
    killed when the thread that created (or restarted) it ends: create and use it in one
    long-lived thread (the main thread of a command or of a batch worker)."""

    def __init__(self):
        from jupyter_client.manager import KernelManager  # lazy: only this path needs jupyter_client
        self.km = KernelManager(kernel_name="python3")
        # The kernel's own stderr is only its start-up chatter (notebook errors come back over
        # the protocol and are reported per report). The kernel runs in its own session (jupyter
        # starts it so) and is killed by the system when this process dies (also on restarts:
        # jupyter reuses these arguments).
        kw = {"preexec_fn": doed} if (doed := foraelder_doedssignal()) else {}
        self.km.start_kernel(cwd=str(NOTEBOOK_MAPPE), stderr=subprocess.DEVNULL, **kw)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def genstart(self) -> None:
        """A fresh kernel after a failed or timed-out run, so the next report starts clean."""
        self.kc.stop_channels()
        self.km.restart_kernel(now=True)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def luk(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)

    def draeb(self) -> None:
        """End the kernel and everything it started at once (SIGKILL to its process group),
        without the protocol: for a worker whose batch is gone. Safe from any thread."""
        pgid = getattr(self.km.provisioner, "pgid", None) if self.km.provisioner else None
        try:
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.luk()


# ---- the same notebooks without a Jupyter kernel ---------------------------------------------
# A batch worker runs the report notebooks in its own process: papermill parameterises the
# notebook and records its metadata exactly as always, and the engine below executes the code cells
# in an IPython shell inside the worker instead of sending them to a kernel. The outputs are made
# by the same IPython display formatter a kernel uses (``display(HTML(...))`` → text/html +
# text/plain), so the executed notebook, its HTML and its PDF are those of the kernel path
# (``tests/test_rapporter_batch_proces.py`` compares both). Saves: a kernel costs a process, its
# imports, and a ZeroMQ round trip per output; papermill's engine also rewrites the whole notebook
# file twice per cell, which this one does once at the end.
MOTOR = "kontrol-proces"


class CelleTimeout(Exception):
    """A cell ran longer than :data:`CELLE_TIMEOUT` in the worker's process."""


class _Skal:
    """One IPython shell per process, its outputs collected per cell."""
    _en: _Skal | None = None

    def __init__(self):
        import nbformat  # lazy: only the in-process batch needs IPython
        from ipykernel.ipkernel import IPythonKernel  # lazy: the language_info a kernel reports
        from IPython.core.displayhook import DisplayHook  # lazy: only the in-process batch needs IPython
        from IPython.core.displaypub import DisplayPublisher  # lazy: only the in-process batch needs IPython
        from IPython.core.interactiveshell import InteractiveShell  # lazy: only the in-process batch needs IPython
        from traitlets.config import Config  # lazy: only the in-process batch needs IPython

        self.ud: list = []
        self.nummer = 0
        self.language_info = dict(IPythonKernel.language_info)
        ny = nbformat.v4.new_output
        skal_ = self

        class Udgiver(DisplayPublisher):            # display(...) → a display_data output
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
                skal_.ud.append(ny("display_data", data=data, metadata=metadata or {}))

            def clear_output(self, wait=False):
                skal_.ud.clear()

        class Resultat_(DisplayHook):               # a cell's last expression → execute_result
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                skal_.ud.append(ny("execute_result", data=format_dict, metadata=md_dict or {},
                                   execution_count=skal_.nummer))

            def finish_displayhook(self):
                pass

        class Skal(InteractiveShell):
            display_pub_class = Udgiver
            displayhook_class = Resultat_

            def _showtraceback(self, etype, evalue, stb):
                skal_.ud.append(ny("error", ename=str(etype.__name__), evalue=str(evalue), traceback=stb))

        c = Config()
        c.HistoryManager.enabled = False           # no history database in the home folder
        c.InteractiveShell.cache_size = 0          # no Out[] cache: a reset then needs no gc.collect()
        main = sys.modules.get("__main__")
        try:
            self.skal = Skal.instance(config=c)    # IPython.display.display finds it as the instance
        finally:
            # IPython puts its namespace module in sys.modules["__main__"]; this process keeps its
            # own (multiprocessing's spawn reads __main__.__spec__ when this process starts workers).
            if main is not None:
                sys.modules["__main__"] = main

    @classmethod
    def hent(cls) -> _Skal:
        if cls._en is None:
            cls._en = cls()
        return cls._en

    def koer(self, kode: str, nummer: int, timeout: float | None) -> tuple[list, bool]:
        """Run one cell; returns its outputs and whether it failed."""
        self.ud, self.nummer = [], nummer
        alarm = bool(timeout) and threading.current_thread() is threading.main_thread()

        def udloebet(signum, frame):
            raise CelleTimeout(f"cellen blev ikke færdig inden for {timeout:g} sekunder")
        gammel = signal.signal(signal.SIGALRM, udloebet) if alarm else None
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with contextlib.redirect_stdout(_Stroem(self, "stdout")), contextlib.redirect_stderr(_Stroem(self, "stderr")):
                r = self.skal.run_cell(kode, store_history=False, silent=False)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, gammel)
        return self.ud, not r.success


class _Stroem:
    """sys.stdout/sys.stderr during a cell: text becomes a stream output (consecutive text joined,
    as a kernel's buffered stream is)."""

    def __init__(self, skal: _Skal, navn: str):
        self.skal, self.navn = skal, navn

    def write(self, tekst: str) -> int:
        import nbformat  # lazy: only the in-process batch writes outputs
        if tekst:
            ud = self.skal.ud
            if ud and ud[-1].output_type == "stream" and ud[-1].name == self.navn:
                ud[-1].text += tekst
            else:
                ud.append(nbformat.v4.new_output("stream", name=self.navn, text=tekst))
        return len(tekst)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _tidsstempel() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _registrer_motor() -> None:
    from papermill.engines import Engine, papermill_engines  # lazy: only this path needs papermill

    class ProcesMotor(Engine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            # no file writes per cell: papermill writes the finished (or failed) notebook once
            return super().execute_notebook(nb, kernel_name, output_path=None, progress_bar=False,
                                            log_output=False, autosave_cell_every=0, **kwargs)

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
            skal = _Skal.hent()
            skal.skal.reset(new_session=False)       # a fresh namespace, as a new kernel has
            nb, n = nb_man.nb, 0
            try:
                for i, cell in enumerate(nb.cells):
                    nb_man.cell_start(cell, i)
                    fejlede = False
                    if cell.cell_type == "code" and cell.source.strip():
                        n += 1
                        t = {"iopub.status.busy": _tidsstempel()}
                        t["iopub.execute_input"] = _tidsstempel()
                        cell.outputs, fejlede = skal.koer(cell.source, n, execution_timeout)
                        cell.execution_count = n
                        t["shell.execute_reply"] = t["iopub.status.idle"] = _tidsstempel()
                        cell.metadata["execution"] = t
                    if fejlede:
                        nb_man.cell_exception(cell, cell_index=i)
                    nb_man.cell_complete(cell, cell_index=i)
                    if fejlede:
                        break
            finally:
                nb.metadata["language_info"] = skal.language_info
            return nb

    papermill_engines.register(MOTOR, ProcesMotor)


_REGISTRERET = False


class ProcesKerne:
    """Runs report notebooks in this process, without a Jupyter kernel (see :data:`MOTOR`): for
    a batch worker, which then needs no kernel process at all. Same interface as :class:`VarmKerne`;
    each notebook starts with a fresh namespace, the modules' caches (the case file, vl-convert)
    stay warm across reports. A cell longer than :data:`CELLE_TIMEOUT` fails with
    :class:`CelleTimeout` (SIGALRM: use it in the process's main thread)."""
    km = None
    motor = MOTOR

    def __init__(self):
        global _REGISTRERET
        if not _REGISTRERET:
            _registrer_motor()
            _REGISTRERET = True
        _Skal.hent()

    def genstart(self) -> None:
        """Nothing to restart: the next notebook gets a fresh namespace."""

    def luk(self) -> None:
        pass

    def draeb(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.luk()


def varm_op() -> None:
    """Pay a batch worker's one-time costs before its first report: the imports (pandas, altair,
    the report modules, nbconvert, WeasyPrint), vl-convert's JavaScript runtime and WeasyPrint's
    fonts. Writes nothing; the reports after it are the same as without it (it only fills caches)."""
    import altair as alt  # lazy: warming up is importing
    import nbformat  # lazy: warming up is importing
    import pandas as pd  # lazy: warming up is importing

    from kontrol_lib.rapporter import indhold, visning, visningsmodel  # noqa: F401 - imported to be warm
    visning.svg(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q"))
    html = til_html(nbformat.v4.new_notebook(), titel="varm", afsender="varm", dokumenttype="varm", fod="varm")
    til_pdf(html, Path(os.devnull))


def parametre_til_notebook(b: Bestilling, p: KommuneParametre, typ: str = "aarsrapport") -> dict:
    """The values injected into the notebook's ``parameters`` cell (plain, typed values)."""
    if typ == "benchmark":
        return {"kommune": p.kommunekode, "aar": int(b.aar), "maaned": standard_maaned(b.aar, b.maaned or ""),
                "benchmark": str(Path(b.benchmark).resolve()) if b.benchmark else "", "db": _absolut_db(b.db)}
    if typ == "regeleffekt":
        return {"kommune": p.kommunekode, "aar": int(b.aar), "db": _absolut_db(b.db)}
    return {
        "kommune": p.kommunekode,
        "aar": int(b.aar),
        "sager": str(Path(b.sager).resolve()) if b.sager else "",
        "db": _absolut_db(b.db),
        "benchmark": str(Path(b.benchmark).resolve()) if b.benchmark else "",
    }


def koer_notebook(navn: str, parametre: dict, ud: Path, kerne: VarmKerne | ProcesKerne | None = None):
    """Execute ``notebooks/<navn>.ipynb`` with papermill into ``ud``; returns the notebook. With a
    :class:`ProcesKerne` the cells run in this process (papermill engine :data:`MOTOR`)."""
    import papermill as pm  # lazy: only this path needs papermill
    kwargs = {}
    if isinstance(kerne, ProcesKerne):
        kwargs = {"engine_name": kerne.motor}
    elif kerne is not None:
        kwargs = {"km": kerne.km}
    return pm.execute_notebook(
        str(NOTEBOOK_MAPPE / f"{navn}.ipynb"), str(ud), parameters=parametre,
        kernel_name="python3", progress_bar=False, log_output=False, cwd=str(NOTEBOOK_MAPPE),
        report_mode=False, execution_timeout=CELLE_TIMEOUT, **kwargs)


def _fejltekst(e: BaseException) -> str:
    """A short Danish description of a failed run (the last line of the kernel's error)."""
    from papermill.exceptions import PapermillExecutionError  # lazy: only this path needs papermill
    if isinstance(e, PapermillExecutionError):
        return f"{e.ename}: {e.evalue}"
    if isinstance(e, KontrolFejl):
        return str(e)
    return f"{type(e).__name__}: {e}"


STOPPET = "kørslen er stoppet (batchen findes ikke længere); intet offentliggjort"


def lav_rapporter(b: Bestilling, kerne: VarmKerne | None = None,
                  maa_offentliggoere: Callable[[], bool] | None = None) -> Resultat:
    """Make and publish the reports of ``b``. Never raises for a failing report: the
    :class:`Resultat` carries the error (so a batch goes on). Without ``kerne`` one kernel is
    started for the reports of ``b`` and shut down after. ``maa_offentliggoere``: asked just
    before anything is published (the reports, or a failed notebook under ``.fejl``); False
    (a batch worker whose batch is gone) publishes nothing."""
    if kerne is None:
        with VarmKerne() as k:
            return lav_rapporter(b, k, maa_offentliggoere)
    maa = maa_offentliggoere or (lambda: True)
    try:
        p = tjek_bestilling(b)
    except KontrolFejl as e:
        return Resultat(kommune=_kode_eller_0(b.kommune), aar=b.aar, fejl=str(e))
    ud = Path(b.ud)
    endelig = ud / p.mappe_navn / str(b.aar)
    endelig.parent.mkdir(parents=True, exist_ok=True)
    staging = endelig.parent / f".{b.aar}.tmp-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    res = Resultat(kommune=p.kommunekode, aar=b.aar)
    try:
        for typ in b.typer:
            t0 = time.perf_counter()
            ipynb = staging / f"{typ}.ipynb"
            try:
                nb = koer_notebook(typ, parametre_til_notebook(b, p, typ), ipynb, kerne)
            except Exception as e:  # noqa: BLE001 - reported per report, the batch goes on
                if not maa():
                    res.fejl = STOPPET
                    return res
                _gem_fejl(ud, p, b.aar, typ, ipynb)
                res.fejl = f"{typ}: {_fejltekst(e)}"
                try:
                    kerne.genstart()
                except Exception as e2:  # noqa: BLE001
                    res.fejl += f" (kernen kunne ikke genstartes: {e2})"
                return res
            t1 = time.perf_counter()
            periode = _periode(b, typ)
            html = til_html(nb, titel=f"{TYPER[typ]} {periode} – {p.kommune}", afsender=f"{p.kommune} · {p.enhed}",
                            dokumenttype=f"{TYPER[typ]} {periode}",
                            fod=f"Dannet {dt.date.today().strftime('%d-%m-%Y')} af kontrol-arbejdsbænken")
            (staging / f"{typ}.html").write_text(html, encoding="utf-8")
            t2 = time.perf_counter()
            if b.pdf:
                til_pdf(html, staging / f"{typ}.pdf")
            t3 = time.perf_counter()
            res.sekunder[typ] = t3 - t0
            res.sekunder[f"{typ}.koersel"] = t1 - t0
            res.sekunder[f"{typ}.html"] = t2 - t1
            res.sekunder[f"{typ}.pdf"] = t3 - t2
        if not maa():
            res.fejl = STOPPET
            return res
        offentliggoer(staging, endelig, b.typer)
        staging = None
        res.mappe = endelig
        res.filer = sorted(endelig / f"{t}.{ext}" for t in b.typer for ext in ("ipynb", "html", "pdf")
                           if (endelig / f"{t}.{ext}").exists())
        return res
    except Exception as e:  # noqa: BLE001
        res.fejl = _fejltekst(e)
        return res
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _periode(b: Bestilling, typ: str) -> str:
    """The period in a report's title: the year, or for the benchmark the window's last month."""
    if typ == "benchmark":
        return "til " + maaned_tekst(standard_maaned(b.aar, b.maaned or ""))
    return str(b.aar)


def _kode_eller_0(k) -> int:
    try:
        return int(k)
    except (TypeError, ValueError):
        return 0


def _gem_fejl(ud: Path, p: KommuneParametre, aar: int, typ: str, ipynb: Path) -> None:
    if ipynb.exists():
        d = ud / ".fejl"
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ipynb, d / f"{p.mappe_navn}-{aar}-{typ}.ipynb")


def offentliggoer(staging: Path, endelig: Path, typer: tuple[str, ...]) -> None:
    """Move a complete staging folder into place. Files of report types not remade this time
    are carried over from the old folder (hard links), so the swap never loses a report; every
    old file of a remade type goes (no PDF from an earlier run beside a new HTML)."""
    if endelig.exists():
        for f in endelig.iterdir():
            if f.is_file() and f.name.split(".")[0] not in typer and not (staging / f.name).exists():
                try:
                    os.link(f, staging / f.name)
                except OSError:
                    shutil.copy2(f, staging / f.name)
        gammel = endelig.parent / f".{endelig.name}.gammel-{uuid.uuid4().hex[:8]}"
        os.rename(endelig, gammel)
        os.rename(staging, endelig)
        shutil.rmtree(gammel, ignore_errors=True)
    else:
        os.rename(staging, endelig)
