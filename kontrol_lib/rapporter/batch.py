"""Many municipalities and years in one run, for a scheduler (``kontrol batch PLAN.yaml``).

A plan (YAML)::

    sager: /data/kontrolsager.csv      # or  db: postgresql://kontrol@server/kontrol
    benchmark: /data/benchmark.csv     # optional
    ud: /srv/rapporter                 # default: reports
    aar: 2024                          # or a list: [2023, 2024]
    kommuner: alle                     # or a list of codes/names: [151, 101, Herning]
    typer: alle                        # or [aarsrapport] / [udvalgsorientering] / [benchmark]
    workers: 2                         # parallel workers (default: number of cores)
    pdf: true
    tidsgraense: 7200                  # optional: seconds for the whole run

Each (kommune, år) is one job. ``workers`` processes each run the report notebooks themselves,
without a Jupyter kernel (:class:`~kontrol_lib.rapporter.koersel.ProcesKerne`: papermill with an
engine that executes the cells in the worker; same notebooks, same outputs), and do their own
HTML and PDF conversion; imports, fonts and the case file are paid once per worker, not once per
report. The workers start and warm up (imports, vl-convert, WeasyPrint) while the batch parses
the case file, so the first report comes as soon as the file is shared. ``kerne=True`` (``kontrol
batch --kerne``) runs each worker's notebooks in one warm Jupyter kernel instead, as before. A failing job publishes nothing and
does not stop the others; the summary lists every failure and the exit code is 1 if any failed.
Workers and their kernels live only as long as the batch: each worker has its own process group,
ended at once on an interrupt or when ``tidsgraense`` is reached, and a worker whose batch has died
(even by ``kill -9``) is ended with its kernel and publishes nothing.
The plan is checked by the pydantic model :class:`PlanFil`; every problem is reported at once
(:mod:`kontrol_lib.parametre.yamlmodel`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import util
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError
from tqdm import tqdm

from kontrol_lib.parametre.kommune import alle_kommunekoder, find_kommunekode
from kontrol_lib.parametre.yamlmodel import (
    YamlFejl,
    YamlModel,
    afvis,
    fejl,
    laes_yaml,
    valider,
)
from kontrol_lib.rapporter.indhold import DELT_MILJOE, del_sager
from kontrol_lib.rapporter.koersel import (
    TYPER,
    Bestilling,
    ProcesKerne,
    Resultat,
    VarmKerne,
    alle_typer,
    foraelder_doedssignal,
    lav_rapporter,
    varm_op,
)
from kontrol_lib.vokabular.fejl import KontrolFejl


class PlanFejl(YamlFejl):
    overskrift = "Fejl i planen"


def _sti(v, info):
    """A path in the plan: relative to the plan's folder (the context ``mappe``)."""
    if v is None or v == "":
        return None
    if isinstance(v, (bool, list, dict)):
        raise PydanticCustomError("sti", "'{sti}' skal være en filsti, ikke {vaerdi}")
    p = Path(str(v))
    return str(p if p.is_absolute() else (Path((info.context or {}).get("mappe", ".")) / p))


def _findes(v, info):
    if v is not None and not Path(v).exists():
        raise PydanticCustomError("findes_ikke", f"'{{sti}}': filen findes ikke: {v}")
    return v


def _aar(v):
    liste = v if isinstance(v, list) else [v]
    if not liste or any(isinstance(a, bool) or not isinstance(a, int) or not 2000 <= a <= 2100 for a in liste):
        raise PydanticCustomError("aar", "'{sti}' skal være et årstal eller en liste af årstal, ikke {vaerdi}")
    return tuple(liste)


def _kommuner(v):
    if v == "alle":
        return tuple(alle_kommunekoder())
    if not isinstance(v, list) or not v:
        raise PydanticCustomError("kommuner", "'{sti}' skal være 'alle' eller en liste af kommunekoder/-navne, "
                                  "ikke {vaerdi}")
    koder, problemer_ = [], []
    for i, k in enumerate(v):
        try:
            koder.append(find_kommunekode(k))
        except KontrolFejl as e:
            problemer_.append(fejl((i,), f"'{{sti}}': {e}", k))
    if problemer_:
        raise afvis(problemer_)
    return tuple(koder)


def _typer(v):
    if v == "alle":
        return v
    liste = v if isinstance(v, list) else [v]
    ukendte = [fejl((i,) if isinstance(v, list) else (), f"'{{sti}}': ukendt rapporttype {t!r} "
                    f"(kendte: {', '.join(TYPER)} eller alle)", t) for i, t in enumerate(liste) if t not in TYPER]
    if ukendte:
        raise afvis(ukendte)
    return tuple(liste)


def _workers(v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise PydanticCustomError("workers", "'{sti}' skal være et positivt heltal, ikke {vaerdi}")
    return v


def _tidsgraense(v):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0:
        raise PydanticCustomError("tidsgraense", "'{sti}' skal være et positivt antal sekunder, ikke {vaerdi}")
    return float(v)


def _ja_nej(v):
    if not isinstance(v, bool):
        raise PydanticCustomError("pdf", "'{sti}' skal være true eller false, ikke {vaerdi}")
    return v


Sti = Annotated[str | None, BeforeValidator(_sti)]


class PlanFil(YamlModel):
    """A batch plan (see the module text). Validated with the context ``mappe``: the plan's folder,
    which relative paths are resolved against."""
    TEKSTER: ClassVar[dict[str, str]] = {"extra_forbidden": "ukendt nøgle '{sti}' (kendte: {kendte})"}
    sager: Annotated[Sti, AfterValidator(_findes)] = Field(None, description="kontrolsager-fil (CSV, XLSX, Parquet)")
    db: Annotated[str | None, BeforeValidator(lambda v: str(v) if v not in (None, "") else None)] = Field(
        None, description="sagslagerets URL")
    benchmark: Annotated[Sti, AfterValidator(_findes)] = Field(None, description="benchmarkfil (valgfri)")
    ud: Sti = Field("reports", validate_default=True, description="mappen rapporterne lægges i")
    aar: Annotated[tuple[int, ...], BeforeValidator(_aar)] = Field(description="årstal eller liste af årstal")
    kommuner: Annotated[tuple[int, ...], BeforeValidator(_kommuner)] = Field(
        "alle", validate_default=True, description="alle eller en liste af kommunekoder/-navne")
    typer: Annotated[str | tuple[str, ...], BeforeValidator(_typer)] = Field(
        "alle", description="alle eller en liste af rapporttyper")
    workers: Annotated[int, BeforeValidator(_workers)] = Field(
        default_factory=lambda: os.cpu_count() or 1, description="parallelle arbejdere (standard: antal kerner)")
    pdf: Annotated[bool, BeforeValidator(_ja_nej)] = Field(True, description="også PDF")
    tidsgraense: Annotated[float | None, BeforeValidator(_tidsgraense)] = Field(
        None, description="sekunder, hele kørslen højst må tage (valgfri)")

    @classmethod
    def krydstjek(cls, data, kontekst):
        typer = data.get("typer", "alle")
        kun_benchmark = typer in (["benchmark"], "benchmark")
        sager, db = data.get("sager"), data.get("db")
        ud = []
        if (sager and db) or (not sager and not db and not kun_benchmark):
            ud.append(fejl((), "angiv præcis én af 'sager' (kontrolsager-fil) og 'db' (sagslagerets URL)", data))
        if not data.get("benchmark") and (typer == "benchmark" or (isinstance(typer, list) and "benchmark" in typer)):
            ud.append(fejl(("typer",), "'{sti}': benchmarkrapporten kræver en benchmarkfil ('benchmark')", typer))
        return ud


PLAN_NOEGLER = tuple(PlanFil.model_fields)


@dataclass(frozen=True)
class Plan:
    bestillinger: tuple[Bestilling, ...]
    workers: int
    tidsgraense: float | None = None       # seconds for the whole run; None: no limit


def laes_plan(path: str | Path) -> Plan:
    """Read and check a plan; every problem is reported at once, naming the file, the key and the value."""
    path = Path(path)
    data = laes_yaml(path, PlanFejl)
    m = valider(PlanFil, data, str(path), PlanFejl, {"mappe": path.parent})
    # alle: the annual report and the briefing, plus the benchmark report when the plan has a benchmark
    # file (for December of each year).
    typer = alle_typer(m.benchmark) if m.typer == "alle" else m.typer
    b = tuple(Bestilling(kommune=k, aar=a, typer=typer, sager=m.sager, db=m.db, benchmark=m.benchmark,
                         ud=Path(m.ud), pdf=m.pdf)
              for a in m.aar for k in dict.fromkeys(m.kommuner))
    return Plan(b, m.workers, m.tidsgraense)


# ---- worker process: one warm kernel each --------------------------------------------------
# A worker lives only as long as its batch (``kontrol batch``, the parent):
# * it runs in its own process group, which the parent ends with one killpg (interrupt, timeout);
# * on Linux the system kills it when the parent dies (PR_SET_PDEATHSIG), and its kernel when the
#   worker dies; everywhere, a watch thread polls the parent and then ends kernel and worker;
# * it publishes nothing once the parent is gone (checked just before the rename).
_KERNE: VarmKerne | ProcesKerne | None = None
_FORAELDER: int | None = None
VAGT_INTERVAL = 0.5    # seconds between the watch thread's looks at the parent


def _foraelder_lever() -> bool:
    return os.getppid() == _FORAELDER


def _vagt() -> None:
    while _foraelder_lever():
        time.sleep(VAGT_INTERVAL)
    if _KERNE is not None:
        _KERNE.draeb()
    os.killpg(os.getpgid(0), signal.SIGKILL)


def _start_worker(foraelder: int, kerne: bool = False) -> None:
    global _KERNE, _FORAELDER
    os.setpgid(0, 0)
    if (doed := foraelder_doedssignal()) is not None:
        doed()
    _FORAELDER = foraelder
    if not _foraelder_lever():          # the batch died before we could ask to die with it
        os._exit(1)
    threading.Thread(target=_vagt, name="kontrol-foraeldervagt", daemon=True).start()
    if kerne:
        _KERNE = VarmKerne()
        util.Finalize(None, _KERNE.luk, exitpriority=10)
    else:
        _KERNE = ProcesKerne()
        varm_op()


def _klar() -> int:
    """A no-op job: submitted once per worker before the case file is shared, so that the workers
    start (and warm up in their initializer) while the batch parses the file."""
    return os.getpid()


def _job(b: Bestilling) -> Resultat:
    return lav_rapporter(b, _KERNE, maa_offentliggoere=_foraelder_lever)


def stop_worker(pid: int) -> None:
    """End a worker and its process group at once (its kernel dies with it)."""
    try:
        if os.getpgid(pid) == pid:          # the worker leads its own group (after its start-up)
            os.killpg(pid, signal.SIGKILL)
            return
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def koer_plan(plan: Plan, workers: int | None = None, fremskridt: bool = True, ud=sys.stderr,
              tidsgraense: float | None = None, kerne: bool = False,
              ved_resultat: Callable[[Resultat], None] | None = None) -> list[Resultat]:
    """Run every job of ``plan`` with ``workers`` parallel workers; returns one result per job
    (in plan order). Failures are in the results, never raised. ``tidsgraense`` (seconds, default
    the plan's): when it is reached the workers and their kernels are ended and every unfinished
    job fails, publishing nothing. ``kerne``: run the notebooks in a warm Jupyter kernel per worker
    instead of in the worker's own process. ``ved_resultat`` is called (in this process) with each
    result as it comes."""
    tidsgraense = tidsgraense if tidsgraense is not None else plan.tidsgraense
    n = workers or plan.workers
    # Parse each case file once, here: a bad file fails the batch at once with every bad row
    # named, and the workers read only their municipality's rows.
    # The workers are started first (they inherit $KONTROL_SAGER_DELT) and warm up meanwhile; no
    # job is handed out before the files are there.
    delt = Path(tempfile.mkdtemp(prefix="kontrol-sager-"))
    gammel = os.environ.get(DELT_MILJOE)
    os.environ[DELT_MILJOE] = str(delt)

    def del_filerne() -> dict[tuple[str, int], int]:
        """Share each case file; returns the size in bytes of each (file, municipality)'s share."""
        stoerrelser = {}
        for f in dict.fromkeys(b.sager for b in plan.bestillinger if b.sager):
            mappe = del_sager(f, delt)
            stoerrelser.update({(f, int(d.stem)): d.stat().st_size for d in mappe.glob("*.parquet")})
        for b in plan.bestillinger:          # a municipality without cases has no share: size 0
            if b.sager and isinstance(b.kommune, int):
                stoerrelser.setdefault((b.sager, b.kommune), 0)
        return stoerrelser
    try:
        return _koer(plan, n, fremskridt, ud, tqdm, tidsgraense, kerne=kerne, foer=del_filerne,
                     ved_resultat=ved_resultat)
    finally:
        shutil.rmtree(delt, ignore_errors=True)
        if gammel is None:
            os.environ.pop(DELT_MILJOE, None)
        else:
            os.environ[DELT_MILJOE] = gammel


def raekkefoelge(bestillinger: tuple[Bestilling, ...], stoerrelser: dict[tuple[str, int], int]) -> list[int]:
    """The order the jobs are handed out in (indexes into ``bestillinger``): the largest
    municipality first (its share of the case file in bytes), so that the batch does not end with
    one worker on a large municipality while the other is idle, except that the smallest goes
    first of all, so that the first reports come soon. Jobs without a size (a case store) keep
    their place after those with one. The results are still returned in plan order."""
    def stoerrelse(i: int) -> int:
        b = bestillinger[i]
        try:
            return stoerrelser.get((b.sager, int(b.kommune)), -1)
        except (TypeError, ValueError):      # a municipality given by name: its size is not known here
            return -1
    kendte = sorted((i for i in range(len(bestillinger)) if stoerrelse(i) >= 0), key=lambda i: (-stoerrelse(i), i))
    ukendte = [i for i in range(len(bestillinger)) if stoerrelse(i) < 0]
    if len(kendte) > 1:
        kendte.insert(0, kendte.pop())
    return kendte + ukendte


def _koer(plan: Plan, n: int, fremskridt: bool, ud, tqdm, tidsgraense: float | None = None, kerne: bool = False,
          foer: Callable[[], dict[tuple[str, int], int]] | None = None,
          ved_resultat: Callable[[Resultat], None] | None = None) -> list[Resultat]:
    resultater: dict[int, Resultat] = {}
    bar = tqdm(total=len(plan.bestillinger), desc="Rapporter", unit="kommune", file=ud, disable=not fremskridt,
               dynamic_ncols=True)
    # spawn, not fork: a forked child inherits the parent's ZeroMQ and asyncio threads mid-state
    # (from an earlier kernel client) and can hang.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=n, initializer=_start_worker, initargs=(os.getpid(), kerne),
                               mp_context=ctx)
    afbrudt = True

    def stop(signum, frame):          # a scheduler's SIGTERM: stop the workers, publish nothing more
        raise KeyboardInterrupt
    gammel = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    try:
        for _ in range(min(n, len(plan.bestillinger))):
            pool.submit(_klar)          # start the workers now (each warms up in its initializer)
        stoerrelser = foer() if foer is not None else None
        futures = {pool.submit(_job, plan.bestillinger[i]): i
                   for i in raekkefoelge(plan.bestillinger, stoerrelser or {})}
        try:
            for f in as_completed(futures, timeout=tidsgraense):
                i = futures[f]
                b = plan.bestillinger[i]
                try:
                    r = f.result()
                except Exception as e:  # noqa: BLE001 - a crashed worker fails its job only
                    r = Resultat(kommune=int(find_kommunekode(b.kommune)), aar=b.aar,
                                 fejl=f"{type(e).__name__}: {e}")
                resultater[i] = r
                if ved_resultat is not None:
                    ved_resultat(r)
                bar.update(1)
                if not r.ok:
                    bar.write(f"FEJL {r.kommune:03d} {r.aar}: {r.fejl}")
            afbrudt = False
        except TimeoutError:          # the time limit: every unfinished job fails, the workers are ended
            for i, b in enumerate(plan.bestillinger):
                if i not in resultater:
                    resultater[i] = Resultat(kommune=int(find_kommunekode(b.kommune)), aar=b.aar,
                                             fejl=f"tidsgrænsen på {tidsgraense:g} sekunder blev nået; "
                                                  "intet offentliggjort")
    finally:
        if afbrudt:   # interrupted or out of time: end each worker's process group (its kernel dies with it)
            for proc in list(getattr(pool, "_processes", {}).values()):
                stop_worker(proc.pid)
        pool.shutdown(wait=not afbrudt, cancel_futures=True)
        if gammel is not None:
            signal.signal(signal.SIGTERM, gammel)
    bar.close()
    return [resultater[i] for i in range(len(plan.bestillinger))]


def opsummering(resultater: list[Resultat], sekunder: float) -> str:
    ok = [r for r in resultater if r.ok]
    bad = [r for r in resultater if not r.ok]
    filer = sum(len(r.filer) for r in ok)
    linjer = [f"{len(ok)} af {len(resultater)} kørsler lykkedes ({filer} filer) på {sekunder:.0f} sekunder."]
    if bad:
        linjer.append(f"{len(bad)} fejlede (intet offentliggjort for dem):")
        linjer += [f"  {r.kommune:03d} {r.aar}: {r.fejl}" for r in bad]
    return "\n".join(linjer)


def koer_batch(plan_fil: str | Path, workers: int | None = None, fremskridt: bool = True,
               tidsgraense: float | None = None, kerne: bool = False) -> tuple[list[Resultat], str]:
    plan = laes_plan(plan_fil)
    t0 = time.perf_counter()
    res = koer_plan(plan, workers, fremskridt, tidsgraense=tidsgraense, kerne=kerne)
    return res, opsummering(res, time.perf_counter() - t0)
