"""The caseworker model of the national simulation: how each municipality's kontrolgruppe works
the bestillingsliste (ordering capacity, visitation, partshøring, decisions and amounts).

Every municipality gets its own behaviour, drawn once from the seed (``adfaerd``); every decision
on a case is drawn from a stream per (municipality, ydelsesområde), so the same seed gives the same
numbers. Amounts are whole øre drawn per ydelse (``beloeb``) and handed to the store as exact
``Decimal`` kroner. See ``docs/simulering.md`` for the model and its reasoning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from kontrol_lib.sager import Beloeb

# Monthly amount of a full ydelse in kr. (lower, upper): plausible 2024 levels, rounded; used to
# draw the amounts of a changed tildeling. Not official rates (the simulation's own assumption).
MAANEDSBELOEB = {
    "kontanthjaelp": (6_500, 16_500),
    "integrationsydelse": (6_000, 12_500),
    "ressourceforloeb": (11_000, 16_500),
    "ledighedsydelse": (14_000, 19_500),
    "sygedagpenge": (9_000, 20_000),
    "oekonomisk_friplads": (400, 3_600),
}
ANDET_MAANEDSBELOEB = (3_000, 10_000)   # any other ydelse


@dataclass(frozen=True)
class Adfaerd:
    """One municipality's kontrolgruppe (shares are probabilities per case)."""
    kommunekode: int
    kapacitet: float            # share of the month's new exposures it orders (FIFO, oldest first)
    henlaeg_andel: float        # share of ordered cases closed in visitation
    aendret_andel: float        # share of cases in partshøring closed with aendret_tildeling
    stop_andel: float           # of those: share where the ydelse is stopped (else reduced)
    krav_andel: float           # of those: share with a tilbagebetalingskrav
    visitering_uger: int        # work days (weekly) from ordering to visitation, at least
    partshoering_uger: int      # work days from partshøring to the decision, at least
    fredning_maaneder: int      # fredningsperiode set when a kontroltrin 3 case is closed (0 = none)


def adfaerd(kommuner: list[int], seed: int) -> dict[int, Adfaerd]:
    """Each municipality's behaviour, deterministic in (seed, kommunekode)."""
    out = {}
    for k in sorted(int(x) for x in kommuner):
        r = np.random.default_rng([int(seed), k, 1])
        out[k] = Adfaerd(
            kommunekode=k,
            kapacitet=round(float(r.uniform(0.35, 1.0)), 2),
            henlaeg_andel=round(float(r.uniform(0.15, 0.65)), 2),
            aendret_andel=round(float(r.uniform(0.25, 0.75)), 2),
            stop_andel=round(float(r.uniform(0.3, 0.8)), 2),
            krav_andel=round(float(r.uniform(0.5, 0.95)), 2),
            visitering_uger=int(r.integers(1, 4)),
            partshoering_uger=int(r.integers(2, 7)),
            fredning_maaneder=int(r.choice([0, 6, 12])),
        )
    return out


def adfaerd_tabel(a: dict[int, Adfaerd]) -> pd.DataFrame:
    """The behaviour as a table (one row per municipality; written as ``sagsbehandling.csv``)."""
    return pd.DataFrame([asdict(x) for x in a.values()])


def kr_oere(oere: int) -> Decimal:
    return (Decimal(int(oere)) / 100).quantize(Decimal("0.01"))


def beloeb(ydelse: str, a: Adfaerd, rng: np.random.Generator) -> Beloeb:
    """The amounts of one case closed with aendret_tildeling: the ydelse stopped (full monthly
    amount saved) or reduced (10–50 % of it), and/or a tilbagebetalingskrav of 1–6 months of the
    amount concerned. At least one of the two is positive (a changed tildeling has a provenu)."""
    lav, hoej = MAANEDSBELOEB.get(ydelse, ANDET_MAANEDSBELOEB)
    maaned_oere = int(rng.integers(lav * 100, hoej * 100 + 1))
    stop = bool(rng.random() < a.stop_andel)
    del_oere = maaned_oere if stop else maaned_oere * int(rng.integers(10, 51)) // 100
    krav = bool(rng.random() < a.krav_andel)
    fremad = bool(rng.random() < 0.85) or not krav     # sometimes the ydelse had already ended
    krav_oere = del_oere * int(rng.integers(1, 7)) if krav else 0
    return Beloeb(
        besparelse_rytme="maaned" if fremad else None,
        besparelse_beloeb=kr_oere(del_oere) if fremad else None,
        tilbagebetalingskrav=kr_oere(krav_oere) if krav else None,
        aendring=("stop" if stop else "nedsat") if fremad else None,
        politianmeldt="nej",
    )
