"""The benchmark export as it was before issue 15 (one pandas group per case), kept as the
reference the vectorised :func:`kontrol_lib.maal.benchmark.eksport_fra_log` is compared with, and
a generator of a simulated store (log, sager, kontrolsager) of any size. Shared by
``tests/test_benchmark_eksport.py`` and ``bench/benchmark_eksport.py``; not a test module.

The store is random but shaped like the case store's: a case's first transition is ``udstillet``
(some are kontrolsager imports, some start elsewhere), then orders, re-orders, partshøring,
closings and expiry on later dates; cases carry KLE numbers the product knows, unknown ones and
none, with or without a ydelsesområde; closed cases have kontrolsager rows (one or two ydelser)
with exact amounts. No CPR number anywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from kontrol_lib.maal.benchmark import (ANTAL, BENCHMARK_TABEL, BESTILT, KOMBINATIONER, PARTSHOERING,
                                        UDLOEBET, UDSTILLET, AENDRET_TILDELING, _i_maaned, omraade_for,
                                        tjek_maaned)
from kontrol_lib.maal.provenu import raekker
from kontrol_lib.sager.sagsimport import KOLONNER as KS_KOLONNER


def eksport_fra_log_per_sag(log: pd.DataFrame, sager: pd.DataFrame, kontrolsager: pd.DataFrame, maaned: str,
                            kommune: int, ydelsesmodtagere: dict[str, int]) -> pd.DataFrame:
    """The pre-issue-15 ``eksport_fra_log`` verbatim (input checks left out)."""
    maaned = tjek_maaned(maaned)
    kommune = int(kommune)
    log = log.loc[log["kommunekode"].astype("int64") == kommune].sort_values(["sag_id", "sekvens"])
    info = {}
    for s in sager.loc[sager["kommunekode"].astype("int64") == kommune].to_dict("records"):
        info[s["sag_id"]] = (omraade_for(s.get("kle"), s.get("ydelsesomraade"), s.get("ydelse")),
                             int(s["kontroltrin"]))
    counts = {k: {c: 0 for c in ANTAL} | {"provenu": Decimal("0.00")} for k in KOMBINATIONER}
    medtaget: dict[str, tuple] = {}
    for sag_id, grp in log.groupby("sag_id", sort=True):
        recs = grp.to_dict("records")
        first = recs[0]
        data = first["data"] if isinstance(first["data"], dict) else {}
        if first["til"] != UDSTILLET or data.get("kilde") == "import":
            continue
        key = info.get(sag_id)
        if key is None or key not in counts:
            continue
        medtaget[sag_id] = key
        c = counts[key]
        if _i_maaned(first["dato"], maaned):
            c["udstillede"] += 1
        foerste = {}
        for r in recs[1:]:
            foerste.setdefault(r["til"], r["dato"])
        for til, kol in ((BESTILT, "udtagne"), (PARTSHOERING, "oprettede"), (UDLOEBET, "udloebne")):
            if _i_maaned(foerste.get(til), maaned):
                c[kol] += 1
    rows = raekker(kontrolsager) if len(kontrolsager) else None
    if rows is not None:
        rows = rows.loc[rows["sag_id"].isin(list(medtaget))]
        for sag_id, grp in rows.groupby("sag_id", sort=True):
            g = grp.to_dict("records")
            if g[0]["resultat"] != AENDRET_TILDELING or not _i_maaned(g[0]["afsluttet"], maaned):
                continue
            c = counts[medtaget[sag_id]]
            stop = any(r["fremadrettet_besparelse"] > 0 for r in g)
            krav = any(r["tilbagebetalingskrav"] > 0 for r in g)
            c["med_stop"] += int(stop)
            c["med_krav"] += int(krav)
            c["med_provenu"] += int(stop or krav)
            c["provenu"] += sum((r["provenu"] for r in g), Decimal("0.00"))
    out = []
    for (omr, trin) in KOMBINATIONER:
        c = counts[(omr, trin)]
        out.append({"kommunekode": kommune, "maaned": maaned, "ydelsesomraade": omr, "kontroltrin": trin,
                    **{k: c[k] for k in ANTAL}, "provenu": c["provenu"],
                    "ydelsesmodtagere": int(ydelsesmodtagere[omr])})
    df = pd.DataFrame(out)
    df["provenu"] = pd.Series(list(df["provenu"]), dtype=object)
    return df[list(BENCHMARK_TABEL.column_names)]


KLE = ["32.24.04", "32.24.10", "32.18.04", "27.12.04", "32.15.04", "99.99.99", None, float("nan")]
OMRAADER = [None, "", "kontanthjaelp", "sygedagpenge", "oekonomisk_friplads", "udk_familie"]
YDELSER = ["kontanthjaelp", "sygedagpenge", "oekonomisk_friplads", "boernetilskud"]


def simuleret_lager(n_sager: int, kommuner: list[int], seed: int = 1, fra: dt.date = dt.date(2024, 1, 1),
                    dage: int = 365) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(log, sager, kontrolsager) of ``n_sager`` random cases in ``kommuner`` over ``dage`` days
    from ``fra``, in the columns of :meth:`SagsLager.log`, ``.sager()`` and ``.kontrolsager()``."""
    rng = np.random.default_rng(seed)
    log, sager, ks = [], [], []
    start = rng.integers(0, dage, n_sager)
    kom = rng.choice(kommuner, n_sager)
    for i in range(n_sager):
        sag_id = f"S-{seed}-{i:07d}"
        k = int(kom[i])
        trin = int(rng.choice([2, 3], p=[0.8, 0.2]))
        sager.append(dict(sag_id=sag_id, kommunekode=k, kle=KLE[rng.integers(len(KLE))],
                          ydelsesomraade=OMRAADER[rng.integers(len(OMRAADER))],
                          ydelse=YDELSER[rng.integers(len(YDELSER))], kontroltrin=trin))
        dato = fra + dt.timedelta(days=int(start[i]))
        u = rng.random()
        foerste, data = ((UDSTILLET, {}) if u < 0.85 else (UDSTILLET, {"kilde": "import"}) if u < 0.92
                         else ("aendret_tildeling", {"kilde": "import"}))
        trin_ = [(foerste, data)]
        if rng.random() < 0.55:
            trin_.append((BESTILT, {}))
            if rng.random() < 0.15:                      # genbestil, ordered again
                trin_ += [(UDSTILLET, {}), (BESTILT, {})]
            if rng.random() < 0.6:
                trin_.append((PARTSHOERING, {}))
                trin_.append((str(rng.choice([AENDRET_TILDELING, "henlagt_efter_partshoering", "uaendret"])), {}))
            else:
                trin_.append(("henlagt", {}))
        elif rng.random() < 0.4:
            trin_.append((UDLOEBET, {}))
        for sekvens, (til, d) in enumerate(trin_, start=1):
            log.append(dict(dato=dato, sag_id=sag_id, sekvens=sekvens, haendelse="h", til=til, data=d,
                            kommunekode=k, kontroltrin=trin))
            if til in (AENDRET_TILDELING, "henlagt_efter_partshoering", "uaendret", "henlagt"):
                for y in (["kontanthjaelp"] if rng.random() < 0.8 else ["kontanthjaelp", "boligstoette"]):
                    besp = rng.random() < 0.5
                    ks.append(dict(zip(KS_KOLONNER, (
                        sag_id, k, "dfd_registersamkoering", trin, y, "kommune", "nej", dato, dato,
                        til if til != "henlagt" else "henlagt",
                        "maaned" if besp else None,
                        Decimal(int(rng.integers(0, 500_000))).scaleb(-2) if besp else None,
                        Decimal(int(rng.integers(0, 2_000_000))).scaleb(-2) if rng.random() < 0.5 else None,
                        None, None, None, None))))
            dato = dato + dt.timedelta(days=int(rng.integers(0, 40)))
    sager = [s for i, s in enumerate(sager) if i % 50 != 7]      # cases in the log that sager does not know
    return (pd.DataFrame(log), pd.DataFrame(sager).astype(object),
            pd.DataFrame(ks, columns=KS_KOLONNER))
