"""Speed of the national simulation (not a test; results go in docs/simulering.md).

    python bench/simulering.py --fra 2024-01 --til 2024-12 --skala 0.02 [--ud /tmp/sim] [--db URL]
        runs ``kontrol_lib.jobs.simulering.simuler`` for all 98 municipalities (or ``--kommune K ...``)
        in a fresh process and reports wall time, peak RSS, the seconds per phase and what the
        store holds afterwards (cases, transitions, file size).

Phases: ``registre`` (synthetic worlds: one per block of four months), ``ydelsesmodtagere``
(counted in the registers per municipality and month), ``samkoering`` (rules + kontrolark
snapshots), ``daglig_koersel`` (the store's part of the daily runs: expiry, fredning, cases),
``trin3`` (UDK's stream and import), ``sagsbehandling`` (ordering, visitation, decisions: one
transaction per case decision), ``benchmark`` (the benchmark module's export per municipality and
month). Privacy: only counts and timings are printed, never a CPR number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KOER = """
import json, sys, time
from kontrol_lib.jobs.simulering import simuler
a = json.loads(sys.argv[1])
t = time.perf_counter()
r = simuler(a["fra"], a["til"], a["ud"], kommuner=a["kommuner"], skala=a["skala"], seed=a["seed"],
            db=a["db"], vis_fremdrift=False)
with open(a["resultat"], "w") as f:
    json.dump({"sekunder": time.perf_counter() - t, "tider": r.tider, "antal": r.antal, "db": r.db}, f)
"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fra", default="2024-01")
    p.add_argument("--til", default="2024-12")
    p.add_argument("--skala", type=float, default=0.02)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kommune", type=int, nargs="+")
    p.add_argument("--ud", type=Path)
    p.add_argument("--db")
    a = p.parse_args()
    ud = a.ud or Path(tempfile.mkdtemp(prefix="bench_simulering_"))
    resultat = ud / "bench_resultat.json"
    arg = {"fra": a.fra, "til": a.til, "skala": a.skala, "seed": a.seed, "kommuner": a.kommune,
           "ud": str(ud), "db": a.db, "resultat": str(resultat)}
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", KOER, json.dumps(arg)], capture_output=True, text=True)
    vaeg = time.perf_counter() - t
    if res.returncode:
        print(res.stderr, file=sys.stderr)
        return res.returncode
    r = json.loads(resultat.read_text())
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from kontrol_lib.sager import SagsLager
    lg = SagsLager(r["db"])
    n_sager, n_overgange = len(lg.sager()), len(lg.log())
    lg.luk()
    print(f"maskine: {platform.machine()}, {os.cpu_count()} kerner, load {os.getloadavg()[0]:.1f}")
    print(f"{a.fra}..{a.til}, skala {a.skala}, {'98 kommuner' if not a.kommune else a.kommune}")
    print(f"væg-tid {vaeg:.0f} s (simulering {r['sekunder']:.0f} s), maks. RSS {rss:.0f} MB")
    print("faser (s): " + ", ".join(f"{k} {v:.0f}" for k, v in r["tider"].items()))
    print(f"sager {n_sager}, overgange {n_overgange}; " + ", ".join(f"{k} {v}" for k, v in r["antal"].items()))
    fil = ud / "kontrol.sqlite"
    if fil.exists():
        print(f"kontrol.sqlite {fil.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
