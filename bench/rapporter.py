"""Benchmark: every municipality's årsrapport + udvalgsorientering (notebook, HTML, PDF).

    .venv/bin/python bench/rapporter.py [--workers 2] [--kommuner 98] [--aar 2024]

1. Makes a synthetic case history 2020–2024 for the municipalities (kontrol synth-sager's
   generator, one CSV for all of them, ~190,000 case rows for 98).
2. Measures where the time of one report goes: a cold papermill run (fresh kernel, imports),
   the same on a warm kernel, HTML export and PDF.
3. Runs the whole batch as `kontrol batch` does (``--workers`` processes, one warm kernel each)
   and prints the wall time and the summed time per phase. Results go in docs/rapporter.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def lav_sager(koder: list[int], path: Path) -> Path:
    import pandas as pd

    from kontrol_lib.jobs.syntetisk.sagshistorik import generer_sager, skriv_sager
    df = pd.concat([generer_sager(k, 2020, 2024, seed=k) for k in koder], ignore_index=True)
    return skriv_sager(df, path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kommuner", type=int, default=98, help="the first N municipalities")
    ap.add_argument("--aar", type=int, default=2024)
    ap.add_argument("--ud", type=Path, default=None, help="report folder (default: a temporary one)")
    args = ap.parse_args()

    from kontrol_lib.vokabular.steder import shipped_kommuner
    from kontrol_lib.rapporter.batch import Plan, koer_plan, opsummering
    from kontrol_lib.rapporter.eksport import til_html, til_pdf
    from kontrol_lib.rapporter.koersel import Bestilling, VarmKerne, koer_notebook, parametre_til_notebook
    from kontrol_lib.parametre.kommune import hent_kommune

    koder = [int(k) for k in shipped_kommuner()["kommunekode"]][: args.kommuner]
    tmp = Path(tempfile.mkdtemp(prefix="bench-rapporter-"))
    t = time.perf_counter()
    sager = lav_sager(koder, tmp / "kontrolsager.csv")
    print(f"Syntetiske sager for {len(koder)} kommuner: {time.perf_counter() - t:.1f} s ({sager})")

    # --- where the time of one report goes (Ballerup) --------------------------------------
    import os

    from kontrol_lib.rapporter.indhold import DELT_MILJOE, del_sager
    t = time.perf_counter()
    del_sager(str(sager), tmp / "delt")
    t_del = time.perf_counter() - t
    os.environ[DELT_MILJOE] = str(tmp / "delt")
    b = Bestilling(kommune=151, aar=args.aar, sager=str(sager), ud=tmp / "enkelt")
    params = parametre_til_notebook(b, hent_kommune(151, args.aar))
    t = time.perf_counter()
    koer_notebook("aarsrapport", params, tmp / "kold.ipynb")
    kold = time.perf_counter() - t
    with VarmKerne() as k:
        t = time.perf_counter()
        koer_notebook("aarsrapport", params, tmp / "varm1.ipynb", k)   # first on this kernel: imports + case file
        varm1 = time.perf_counter() - t
        t = time.perf_counter()
        nb = koer_notebook("aarsrapport", params, tmp / "varm2.ipynb", k)
        varm2 = time.perf_counter() - t
        t = time.perf_counter()
        koer_notebook("udvalgsorientering", params, tmp / "varm3.ipynb", k)
        varm3 = time.perf_counter() - t
    t = time.perf_counter()
    html = til_html(nb, "Årsrapport", "Ballerup Kommune", "Årsrapport", "bench")
    t_html = time.perf_counter() - t
    t = time.perf_counter()
    til_pdf(html, tmp / "a.pdf")
    t_pdf = time.perf_counter() - t
    del os.environ[DELT_MILJOE]
    print(f"Indlæsning + validering + deling pr. kommune af hele sagsfilen (én gang pr. batch): {t_del:.1f} s")
    print("\nÉn årsrapport (Ballerup):")
    print(f"  papermill, ny kerne (start + imports):          {kold:6.2f} s")
    print(f"  papermill, varm kerne, første kørsel (imports): {varm1:6.2f} s")
    print(f"  papermill, varm kerne, næste kørsel:            {varm2:6.2f} s")
    print(f"  udvalgsorientering bagefter (tal genbrugt):     {varm3:6.2f} s")
    print(f"  HTML-eksport:                                   {t_html:6.2f} s")
    print(f"  PDF (WeasyPrint):                               {t_pdf:6.2f} s")

    # --- the whole batch ---------------------------------------------------------------------
    ud = args.ud or (tmp / "reports")
    plan = Plan(tuple(Bestilling(kommune=k, aar=args.aar, sager=str(sager), ud=ud) for k in koder), args.workers)
    import os
    import resource

    def cpu() -> float:
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
    load0 = os.getloadavg()[0]
    c0 = cpu()
    t = time.perf_counter()
    res = koer_plan(plan, args.workers, fremskridt=True)
    vaeg = time.perf_counter() - t
    cpu_s = cpu() - c0      # this process, its workers and their kernels (all waited for)
    load1 = os.getloadavg()[0]
    print()
    print(opsummering(res, vaeg))
    fase = defaultdict(float)
    for r in res:
        for k, v in r.sekunder.items():
            if "." in k:
                fase[k.split(".")[1]] += v
    n = sum(1 for r in res if r.ok) * 2
    print(f"\n{len(koder)} kommuner × 2 rapporter = {n} rapporter (notebook + HTML + PDF), "
          f"{args.workers} arbejdere: {vaeg:.0f} s væg-tid ({vaeg / 60:.1f} min)")
    for k in ("koersel", "html", "pdf"):
        print(f"  sum {k:8s} {fase[k]:7.1f} s  ({fase[k] / max(n, 1):.2f} s pr. rapport)")
    print(f"  CPU-tid for hele batchen (alle processer): {cpu_s:.0f} s; på {args.workers} ledige kerner "
          f"svarer det til mindst {cpu_s / args.workers:.0f} s væg-tid")
    print(f"  maskinens belastning (load average, 1 min) ved start/slut: {load0:.1f} / {load1:.1f} "
          f"(over {os.cpu_count()} betyder, at andre processer deler kernerne)")
    return 0 if all(r.ok for r in res) else 1


if __name__ == "__main__":
    sys.exit(main())
