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

Each (kommune, år) is one job. ``workers`` processes each keep one warm Jupyter kernel (imports
and the case file are then paid once per worker, not once per report) and do their own HTML and
PDF conversion, so kernels and conversions run in parallel. A failing job publishes nothing and
does not stop the others; the summary lists every failure and the exit code is 1 if any failed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import yaml

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre.kommune import alle_kommunekoder, find_kommunekode
from kontrol_lib.rapporter.koersel import TYPER, Bestilling, Resultat, VarmKerne, alle_typer, lav_rapporter

PLAN_NOEGLER = ("sager", "db", "benchmark", "ud", "aar", "kommuner", "typer", "workers", "pdf")


@dataclass(frozen=True)
class Plan:
    bestillinger: tuple[Bestilling, ...]
    workers: int


def laes_plan(path: str | Path) -> Plan:
    """Read and check a plan; every problem is reported at once, naming the file and the key."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise KontrolFejl(f"{path}: planen kan ikke læses ({e.strerror})") from None
    except yaml.YAMLError as e:
        raise KontrolFejl(f"{path}: ikke gyldig YAML ({e})") from None
    if not isinstance(data, dict):
        raise KontrolFejl(f"{path}: planen skal være en samling af nøgle: værdi")
    fejl = [f"{path}: ukendt nøgle '{k}' (kendte: {', '.join(PLAN_NOEGLER)})" for k in data if k not in PLAN_NOEGLER]
    sager, db = data.get("sager"), data.get("db")
    typer_raa = data.get("typer", "alle")
    kun_benchmark = typer_raa == ["benchmark"] or typer_raa == "benchmark"
    if (sager and db) or (not sager and not db and not kun_benchmark):
        fejl.append(f"{path}: angiv præcis én af 'sager' (kontrolsager-fil) og 'db' (sagslagerets URL)")
    base = path.parent

    def sti(v):
        p = Path(str(v))
        return str(p if p.is_absolute() else (base / p))
    if sager and not Path(sti(sager)).exists():
        fejl.append(f"{path}: 'sager': filen findes ikke: {sti(sager)}")
    bm = data.get("benchmark")
    if bm and not Path(sti(bm)).exists():
        fejl.append(f"{path}: 'benchmark': filen findes ikke: {sti(bm)}")
    aar = data.get("aar")
    aarliste = aar if isinstance(aar, list) else [aar]
    if aar is None or not aarliste or any(isinstance(a, bool) or not isinstance(a, int) or not 2000 <= a <= 2100
                                          for a in aarliste):
        fejl.append(f"{path}: 'aar' skal være et årstal eller en liste af årstal, ikke {aar!r}")
    kommuner = data.get("kommuner", "alle")
    koder: list[int] = []
    if kommuner == "alle":
        koder = alle_kommunekoder()
    elif isinstance(kommuner, list) and kommuner:
        for k in kommuner:
            try:
                koder.append(find_kommunekode(k))
            except KontrolFejl as e:
                fejl.append(f"{path}: 'kommuner': {e}")
    else:
        fejl.append(f"{path}: 'kommuner' skal være 'alle' eller en liste af kommunekoder/-navne")
    typer = data.get("typer", "alle")
    # alle: the annual report and the briefing, plus the benchmark report when the plan has a benchmark
    # file (for December of each year).
    typer = alle_typer(bm) if typer == "alle" else (tuple(typer) if isinstance(typer, list) else (typer,))
    if "benchmark" in typer and not bm:
        fejl.append(f"{path}: 'typer': benchmarkrapporten kræver en benchmarkfil ('benchmark')")
    for t in typer:
        if t not in TYPER:
            fejl.append(f"{path}: 'typer': ukendt rapporttype {t!r} (kendte: {', '.join(TYPER)} eller alle)")
    workers = data.get("workers", os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        fejl.append(f"{path}: 'workers' skal være et positivt heltal, ikke {workers!r}")
    pdf = data.get("pdf", True)
    if not isinstance(pdf, bool):
        fejl.append(f"{path}: 'pdf' skal være true eller false, ikke {pdf!r}")
    if fejl:
        raise KontrolFejl("Fejl i planen:\n" + "\n".join(f"  - {f}" for f in fejl))
    ud = Path(sti(data.get("ud", "reports")))
    b = tuple(Bestilling(kommune=k, aar=a, typer=typer, sager=sti(sager) if sager else None, db=db or None,
                         benchmark=sti(bm) if bm else None, ud=ud, pdf=pdf)
              for a in aarliste for k in dict.fromkeys(koder))
    return Plan(b, workers)


# ---- worker process: one warm kernel each --------------------------------------------------
_KERNE: VarmKerne | None = None


def _start_worker() -> None:
    global _KERNE
    from multiprocessing import util
    _KERNE = VarmKerne()
    util.Finalize(None, _KERNE.luk, exitpriority=10)


def _job(b: Bestilling) -> Resultat:
    return lav_rapporter(b, _KERNE)


def koer_plan(plan: Plan, workers: int | None = None, fremskridt: bool = True, ud=sys.stderr) -> list[Resultat]:
    """Run every job of ``plan`` with ``workers`` parallel workers; returns one result per job
    (in plan order). Failures are in the results, never raised."""
    import shutil
    import tempfile

    from tqdm import tqdm

    from kontrol_lib.rapporter.indhold import DELT_MILJOE, del_sager
    n = workers or plan.workers
    # Parse each case file once, here: a bad file fails the batch at once with every bad row
    # named, and the workers read only their municipality's rows.
    delt = Path(tempfile.mkdtemp(prefix="kontrol-sager-"))
    gammel = os.environ.get(DELT_MILJOE)
    os.environ[DELT_MILJOE] = str(delt)
    try:
        for f in dict.fromkeys(b.sager for b in plan.bestillinger if b.sager):
            del_sager(f, delt)
        return _koer(plan, n, fremskridt, ud, tqdm)
    finally:
        shutil.rmtree(delt, ignore_errors=True)
        if gammel is None:
            os.environ.pop(DELT_MILJOE, None)
        else:
            os.environ[DELT_MILJOE] = gammel


def _koer(plan: Plan, n: int, fremskridt: bool, ud, tqdm) -> list[Resultat]:
    resultater: dict[int, Resultat] = {}
    bar = tqdm(total=len(plan.bestillinger), desc="Rapporter", unit="kommune", file=ud, disable=not fremskridt,
               dynamic_ncols=True)
    # spawn, not fork: a forked child inherits the parent's ZeroMQ and asyncio threads mid-state
    # (from an earlier kernel client) and can hang.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=n, initializer=_start_worker, mp_context=ctx)
    afbrudt = True

    def stop(signum, frame):          # a scheduler's SIGTERM: stop the workers, publish nothing more
        raise KeyboardInterrupt
    gammel = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    try:
        futures = {pool.submit(_job, b): i for i, b in enumerate(plan.bestillinger)}
        for f in as_completed(futures):
            i = futures[f]
            b = plan.bestillinger[i]
            try:
                r = f.result()
            except Exception as e:  # noqa: BLE001 - a crashed worker fails its job only
                r = Resultat(kommune=int(find_kommunekode(b.kommune)), aar=b.aar, fejl=f"{type(e).__name__}: {e}")
            resultater[i] = r
            bar.update(1)
            if not r.ok:
                bar.write(f"FEJL {r.kommune:03d} {r.aar}: {r.fejl}")
        afbrudt = False
    finally:
        if afbrudt:   # interrupted: end the workers (their kernels follow their parent)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
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


def koer_batch(plan_fil: str | Path, workers: int | None = None, fremskridt: bool = True) -> tuple[list[Resultat], str]:
    plan = laes_plan(plan_fil)
    t0 = time.perf_counter()
    res = koer_plan(plan, workers, fremskridt)
    return res, opsummering(res, time.perf_counter() - t0)
