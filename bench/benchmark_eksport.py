"""Speed of the benchmark export from the case store's log (not a test; results in docs/performance.md).

    python bench/benchmark_eksport.py [--sager 165000] [--gammel 3]

Builds a simulated national store in memory (``tests/benchmark_eksport_reference.simuleret_lager``:
by default 165,000 cases in the 98 municipalities over twelve months of 2024, about what a year
at realistic size exposes, see docs/simulering.md) and times
- ``eksport_fra_log_alle``: every municipality × month in one pass (what the simulation needs);
- ``eksport_fra_log`` once per municipality and month, each handed its municipality's log, cases
  and kontrolsager (what ``kontrol benchmark-eksport`` does for one municipality and month);
- the pre-issue-15 per-case export on ``--gammel`` municipalities (all twelve months), checked
  equal to the new one and extrapolated to 98.
Prints wall and CPU seconds and the load average. Only counts and timings, no CPR numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sager", type=int, default=165_000)
    p.add_argument("--gammel", type=int, default=3, help="municipalities timed with the old export")
    a = p.parse_args()
    import pandas as pd

    from benchmark_eksport_reference import eksport_fra_log_per_sag, simuleret_lager
    from kontrol_lib.maal.benchmark import eksport_fra_log, eksport_fra_log_alle
    from kontrol_lib.vokabular.steder import shipped_kommuner

    kommuner = [int(k) for k in shipped_kommuner()["kommunekode"]]
    mdr = [f"2024-{m:02d}" for m in range(1, 13)]
    ym = {"kontanthjaelp": 1000, "sygedagpenge": 400, "oekonomisk_friplads": 300}
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} kerner")
    t = time.perf_counter()
    log, sager, ks = simuleret_lager(a.sager, kommuner, seed=1, dage=330)
    print(f"simuleret lager: {len(sager):,} sager, {len(log):,} overgange, {len(ks):,} kontrolsagsrækker "
          f"({time.perf_counter() - t:.0f} s at bygge)")

    def tid(f):
        w, c = time.perf_counter(), time.process_time()
        r = f()
        return r, time.perf_counter() - w, time.process_time() - c

    alle, w, c = tid(lambda: eksport_fra_log_alle(log, sager, ks, mdr, kommuner,
                                                  {m: {k: ym for k in kommuner} for m in mdr}))
    print(f"eksport_fra_log_alle, 98 kommuner × 12 måneder: {w:.1f} s væg, {c:.1f} CPU-s, {len(alle)} rækker")

    pr_kommune = {k: (log[log["kommunekode"] == k], sager[sager["kommunekode"] == k], ks[ks["kommunekode"] == k])
                  for k in kommuner}

    def en_ad_gangen(ks_):
        return pd.concat([eksport_fra_log(*pr_kommune[k], m, k, ym) for k in ks_ for m in mdr], ignore_index=True)
    enkelt, w, c = tid(lambda: en_ad_gangen(kommuner))
    print(f"eksport_fra_log pr. kommune og måned (1,176 kald): {w:.1f} s væg, {c:.1f} CPU-s")
    pd.testing.assert_frame_equal(enkelt, alle, check_exact=True)
    if a.gammel:
        udvalg = kommuner[: a.gammel]
        gammel, w, c = tid(lambda: pd.concat([eksport_fra_log_per_sag(*pr_kommune[k], m, k, ym)
                                              for k in udvalg for m in mdr], ignore_index=True))
        ny = alle[alle["kommunekode"].isin(udvalg)].reset_index(drop=True)
        pd.testing.assert_frame_equal(gammel, ny, check_exact=True)
        n = int(log["kommunekode"].isin(udvalg).sum())
        print(f"gammel eksport (pr. sag), {a.gammel} kommuner × 12 måneder: {w:.1f} s væg, {c:.1f} CPU-s "
              f"(samme rækker som den nye); skaleret til 98 kommuner ≈ {c * len(log) / max(n, 1):.0f} CPU-s")
    print(f"load average bagefter {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
