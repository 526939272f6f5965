"""A plausible monthly stream of kontroltrin 3 cases from Udbetaling Danmark (UDK), drawn from a
synthetic register folder, for :meth:`SagsLager.importer_trin3`.

Who UDK sends, per municipality and month (received on ``dag``):

- kontanthjælp: a share ``ANDEL['kontanthjaelp']`` of the persons with an active case on a KLE of
  the kontanthjælp area (``kontrol_lib/vokabular/data/kle.csv``) in the municipality;
- sygedagpenge: a share of the persons with an active 32.18.04 case there;
- økonomisk friplads: a share of the parents, living in the municipality that day, of a child
  under 6 (the synthetic registers have no friplads cases: the parents of small children are the
  people who could have one).

The number is binomial (each person independently), the persons a sample without replacement,
both drawn from a stream keyed by (seed, kommunekode, month), so the same seed gives the same file.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kontrol_lib.vokabular.steder import known_kle

# Monthly probability that UDK sends a person in the pool for bagudgående kontrol (simulation
# assumption, see docs/simulering.md).
ANDEL = {"kontanthjaelp": 0.01, "sygedagpenge": 0.02, "oekonomisk_friplads": 0.01}
OPLYSNINGER = {
    "kontanthjaelp": "Udbetaling Danmark beder kommunen se på indtægter og formue i kontanthjælpsperioden.",
    "sygedagpenge": "Udbetaling Danmark beder kommunen se på arbejde og indtægt under sygedagpengeforløbet.",
    "oekonomisk_friplads": "Udbetaling Danmark beder kommunen se på husstandens indkomst bag fripladstilskuddet.",
}


def puljer(reg, dato: dt.date, kommuner: list[int]) -> dict[tuple[int, str], list[str]]:
    """(kommunekode, ydelse) → sorted cpr numbers UDK could send on ``dato``."""
    con = reg.con
    kle = known_kle()
    d = dato.isoformat()
    koder = ", ".join(str(int(k)) for k in kommuner)
    out: dict[tuple[int, str], list[str]] = {}
    for ydelse in ("kontanthjaelp", "sygedagpenge"):
        liste = ", ".join(f"'{k}'" for k in kle.loc[kle["ydelsesomraade"] == ydelse, "kle"])
        rows = con.execute(
            f"SELECT DISTINCT kommunekode, cpr FROM ydelsessager WHERE kommunekode IN ({koder}) "
            f"AND kle IN ({liste}) AND oprettet <= DATE '{d}' AND (ophoert IS NULL OR ophoert >= DATE '{d}') "
            f"ORDER BY kommunekode, cpr").fetchall()
        for k, cpr in rows:
            out.setdefault((int(k), ydelse), []).append(str(cpr))
    rows = con.execute(
        f"SELECT DISTINCT a.kommunekode, r.cpr FROM relationer r "
        f"JOIN personer b ON b.cpr = r.barn_cpr "
        f"JOIN adresser a ON a.cpr = r.cpr AND a.fra_dato <= DATE '{d}' "
        f"  AND (a.til_dato IS NULL OR a.til_dato >= DATE '{d}') "
        f"WHERE b.foedselsdato > DATE '{d}' - INTERVAL 6 YEAR AND b.foedselsdato <= DATE '{d}' "
        f"AND (b.doedsdato IS NULL OR b.doedsdato > DATE '{d}') AND a.kommunekode IN ({koder}) "
        f"ORDER BY a.kommunekode, r.cpr").fetchall()
    for k, cpr in rows:
        out.setdefault((int(k), "oekonomisk_friplads"), []).append(str(cpr))
    return out


def stroem(reg, dag: dt.date, kommuner: list[int], seed: int) -> pd.DataFrame:
    """The trin 3 rows UDK sends on ``dag`` (columns of the trin 3 file)."""
    pulje = puljer(reg, dag, kommuner)
    rows = []
    for k in sorted(int(x) for x in kommuner):
        rng = np.random.default_rng([int(seed), k, dag.year * 12 + dag.month, 3])
        for ydelse in ("kontanthjaelp", "sygedagpenge", "oekonomisk_friplads"):
            p = pulje.get((k, ydelse), [])
            n = int(rng.binomial(len(p), ANDEL[ydelse])) if p else 0
            valgt = sorted(rng.choice(len(p), size=n, replace=False).tolist()) if n else []
            for i, j in enumerate(valgt):
                rows.append({"udk_sag_id": f"UDK-{dag:%Y%m}-{k:03d}-{ydelse[:4].upper()}-{i + 1:05d}",
                             "cpr": p[j], "kommunekode": k, "ydelse": ydelse, "modtaget": dag,
                             "oplysninger": OPLYSNINGER[ydelse]})
    return pd.DataFrame(rows, columns=["udk_sag_id", "cpr", "kommunekode", "ydelse", "modtaget", "oplysninger"])
