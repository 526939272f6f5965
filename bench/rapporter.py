"""Benchmark: every municipality's årsrapport + udvalgsorientering (notebook, HTML, PDF) as `kontrol batch`.

    .venv/bin/python bench/rapporter.py [--workers 2] [--kommuner 98] [--aar 2024] [--gentag 2] [--kerne] [--enkelt]

1. Makes a synthetic case history 2020–2024 for the municipalities (kontrol synth-sager's
   generator, one CSV for all of them, ~190,000 case rows for 98).
2. Runs the whole batch as `kontrol batch` does (``--workers`` processes; by default the notebooks
   run in the workers' own processes, ``--kerne``: one warm Jupyter kernel per worker, as
   `kontrol batch --kerne` and as the batch did before issue 15), ``--gentag`` times, and prints
   per run and for the best run the figures of the table in docs/performance.md: total wall time,
   wall time per report, time to the first municipality's reports (from the start of the batch,
   sharing the case file included), the PDF's share of the summed report time, the CPU seconds of
   all processes, and the load average (1 min) before and after (other work on the machine).
3. ``--enkelt``: before the batch, where the time of one report goes (Ballerup: papermill on a
   new kernel, on a warm kernel, in this process without a kernel, HTML export, PDF).

Only counts and timings are printed (no case data, no CPR number).
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import shutil
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


def cpu() -> float:
    """CPU seconds of this process and of every child it has waited for (workers, kernels)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def enkelt(sager: Path, aar: int, tmp: Path) -> None:
    """Where the time of one annual report goes (Ballerup)."""
    from kontrol_lib.parametre.kommune import hent_kommune
    from kontrol_lib.rapporter import koersel
    from kontrol_lib.rapporter.eksport import til_html, til_pdf
    from kontrol_lib.rapporter.indhold import DELT_MILJOE, del_sager
    t = time.perf_counter()
    del_sager(str(sager), tmp / "delt")
    t_del = time.perf_counter() - t
    os.environ[DELT_MILJOE] = str(tmp / "delt")
    b = koersel.Bestilling(kommune=151, aar=aar, sager=str(sager), ud=tmp / "enkelt")
    params = koersel.parametre_til_notebook(b, hent_kommune(151, aar))
    linjer = []

    def maal(tekst, f):
        t = time.perf_counter()
        r = f()
        linjer.append(f"  {tekst:52s} {time.perf_counter() - t:6.2f} s")
        return r
    maal("papermill, ny kerne (start + imports)", lambda: koersel.koer_notebook("aarsrapport", params, tmp / "kold.ipynb"))
    with koersel.VarmKerne() as k:
        maal("papermill, varm kerne, første kørsel (imports)", lambda: koersel.koer_notebook("aarsrapport", params, tmp / "v1.ipynb", k))
        maal("papermill, varm kerne, næste kørsel", lambda: koersel.koer_notebook("aarsrapport", params, tmp / "v2.ipynb", k))
    if hasattr(koersel, "ProcesKerne"):
        pk = maal("uden kerne: opstart (IPython-skal, imports)", koersel.ProcesKerne)
        maal("uden kerne: første kørsel", lambda: koersel.koer_notebook("aarsrapport", params, tmp / "p1.ipynb", pk))
        maal("uden kerne: næste kørsel", lambda: koersel.koer_notebook("aarsrapport", params, tmp / "p2.ipynb", pk))
        maal("uden kerne: udvalgsorientering bagefter", lambda: koersel.koer_notebook("udvalgsorientering", params, tmp / "p3.ipynb", pk))
    import nbformat
    nb = nbformat.read(tmp / "v2.ipynb", as_version=4)
    html = maal("HTML-eksport", lambda: til_html(nb, "Årsrapport", "Ballerup Kommune", "Årsrapport", "bench"))
    maal("PDF (WeasyPrint), første", lambda: til_pdf(html, tmp / "a.pdf"))
    maal("PDF (WeasyPrint), næste", lambda: til_pdf(html, tmp / "b.pdf"))
    del os.environ[DELT_MILJOE]
    print(f"Indlæsning + validering + deling pr. kommune af hele sagsfilen (én gang pr. batch): {t_del:.1f} s")
    print("\nÉn årsrapport (Ballerup):")
    print("\n".join(linjer))


def batch(koder: list[int], sager: Path, aar: int, workers: int, kerne: bool, ud: Path) -> dict:
    """One batch run; returns its figures."""
    from kontrol_lib.rapporter import batch as batch_modul
    from kontrol_lib.rapporter.koersel import Bestilling
    plan = batch_modul.Plan(tuple(Bestilling(kommune=k, aar=aar, sager=str(sager), ud=ud) for k in koder), workers)
    foerste: list[float] = []
    kw = {}
    params = inspect.signature(batch_modul.koer_plan).parameters
    if "kerne" in params:
        kw["kerne"] = kerne
    elif not kerne:
        raise SystemExit("Denne udgave af kontrol_lib kender kun batchen med kerne: brug --kerne")
    if "ved_resultat" in params:
        kw["ved_resultat"] = lambda r: foerste.append(time.perf_counter()) if not foerste else None
    else:                                     # an older kontrol_lib: the first tick of the progress bar
        class Bar(batch_modul.tqdm):
            def update(self, n=1):
                if not foerste:
                    foerste.append(time.perf_counter())
                return super().update(n)
        batch_modul.tqdm = Bar
    load0 = os.getloadavg()[0]
    c0 = cpu()
    t0 = time.perf_counter()
    res = batch_modul.koer_plan(plan, workers, fremskridt=False, **kw)
    vaeg = time.perf_counter() - t0
    cpu_s = cpu() - c0
    load1 = os.getloadavg()[0]
    fase = defaultdict(float)
    for r in res:
        for k, v in r.sekunder.items():
            if "." in k:
                fase[k.split(".")[1]] += v
    n = sum(len([k for k in r.sekunder if "." not in k]) for r in res if r.ok)
    return {"ok": all(r.ok for r in res), "fejl": [r.fejl for r in res if not r.ok], "rapporter": n,
            "vaeg": vaeg, "pr_rapport": vaeg / max(n, 1), "foerste": (foerste[0] - t0) if foerste else float("nan"),
            "cpu": cpu_s, "fase": dict(fase), "pdf_andel": fase["pdf"] / max(sum(fase.values()), 1e-9),
            "load": (load0, load1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kommuner", type=int, default=98, help="the first N municipalities (default all 98)")
    ap.add_argument("--aar", type=int, default=2024)
    ap.add_argument("--gentag", type=int, default=1, help="run the batch this many times; the best run is reported")
    ap.add_argument("--kerne", action="store_true", help="one warm Jupyter kernel per worker (kontrol batch --kerne)")
    ap.add_argument("--enkelt", action="store_true", help="first measure the phases of one report (Ballerup)")
    ap.add_argument("--ud", type=Path, default=None, help="report folder (default: a temporary one, removed after)")
    args = ap.parse_args()

    from kontrol_lib.vokabular.steder import shipped_kommuner
    koder = [int(k) for k in shipped_kommuner()["kommunekode"]][: args.kommuner]
    tmp = Path(tempfile.mkdtemp(prefix="bench-rapporter-"))
    try:
        t = time.perf_counter()
        sager = lav_sager(koder, tmp / "kontrolsager.csv")
        print(f"Syntetiske sager for {len(koder)} kommuner: {time.perf_counter() - t:.1f} s")
        if args.enkelt:
            enkelt(sager, args.aar, tmp)
        print(f"\n{len(koder)} kommuner × 2 rapporter (notebook + HTML + PDF), {args.workers} arbejdere, "
              f"{'varm Jupyter-kerne pr. arbejder' if args.kerne else 'uden kerne (i arbejderprocessen)'}, "
              f"kontrol_lib fra {ROOT}, {os.cpu_count()} kerner:")
        kørsler = []
        for i in range(args.gentag):
            ud = args.ud or (tmp / f"reports-{i}")
            m = batch(koder, sager, args.aar, args.workers, args.kerne, ud)
            kørsler.append(m)
            f = m["fase"]
            print(f"  kørsel {i + 1}: {m['vaeg']:.1f} s væg, {m['rapporter']} rapporter, {m['pr_rapport']:.3f} s pr. "
                  f"rapport, første kommune efter {m['foerste']:.1f} s, PDF {m['pdf_andel']:.0%} af rapporttiden "
                  f"(sum notebook {f.get('koersel', 0):.1f} / HTML {f.get('html', 0):.1f} / PDF {f.get('pdf', 0):.1f} s), "
                  f"{m['cpu']:.0f} CPU-s, load {m['load'][0]:.1f} → {m['load'][1]:.1f}"
                  + ("" if m["ok"] else f", {len(m['fejl'])} FEJL: {m['fejl'][:3]}"))
            if args.ud is None:
                shutil.rmtree(ud, ignore_errors=True)
        b = min(kørsler, key=lambda m: m["vaeg"])
        print("\n| kørsel | load (1 min) start → slut | væg i alt | pr. rapport | til første kommune | "
              "PDF-andel | CPU-s |")
        print(f"| bedste af {len(kørsler)} | {b['load'][0]:.1f} → {b['load'][1]:.1f} | {b['vaeg']:.1f} s | "
              f"{b['pr_rapport']:.3f} s | {b['foerste']:.1f} s | {b['pdf_andel']:.0%} | {b['cpu']:.0f} |")
        return 0 if all(m["ok"] for m in kørsler) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
