"""Seeding a case store for the visitation tests through the public API (hand-made udfald,
the store's daily run for udfald frames); no tests here."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.daglig import koer_udfald

UDFALD_KOLONNER = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "haendelse_id", "kle",
                   "kommunekode", "oplysninger"]

# four synthetic ydelsesmodtagere
YM_A, YM_B, YM_C, YM_D = "0101801234", "0202851235", "0303901236", "0404751237"
CPR_ALLE = (YM_A, YM_B, YM_C, YM_D)


def udfald(ym: str, regel: str, hid: str, dato: dt.date, kle: str = "32.24.04", kommune: int = 151) -> dict:
    return dict(ym_cpr=ym, person_cpr=ym, rolle="YM", regel=regel, haendelsesdato=dato, haendelse_id=hid,
                kle=kle, kommunekode=kommune, oplysninger=f"{regel} ({hid}) registreret den {dato.isoformat()}")


def seed(url: str, start: dt.date, bruger: str | None = None, stamdata: dict[str, dict] | None = None
         ) -> dict[str, str]:
    """Four cases, udstillet on ``start`` + 0..3 days (so the bestillingsliste order is A, B, C, D):

    - A: kontanthjælp, only a flytning udfald (hidden when flytning is deselected);
    - B: kontanthjælp, bilkøb (formue) and flytning;
    - C: sygedagpenge (KLE 32.18.04), B-indkomst;
    - D: kontanthjælp, ny virksomhed.

    ``bruger``: who runs the daily run (default: the store's person); ``stamdata``: ym_cpr → the
    kontrolark's snapshot. Returns {"A": sag_id, ...}."""
    lager = SagsLager(url)
    plan = [("A", [udfald(YM_A, "flytning", "f-a", start)]),
            ("B", [udfald(YM_B, "bilkoeb", "c-b", start), udfald(YM_B, "flytning", "f-b", start)]),
            ("C", [udfald(YM_C, "b_indkomst", "i-c", start, kle="32.18.04")]),
            ("D", [udfald(YM_D, "ny_virksomhed", "v-d", start)])]
    ids = {}
    for i, (navn, rows) in enumerate(plan):
        res = koer_udfald(lager, pd.DataFrame(rows, columns=UDFALD_KOLONNER), start + dt.timedelta(days=i),
                          bruger, stamdata=stamdata)
        [ids[navn]] = res.nye_sager
    lager.luk()
    return ids


def seed_mange(url: str, antal: int, dato: dt.date) -> list[str]:
    """``antal`` kontanthjælp cases with one flytning udfald each, all udstillet on ``dato`` (one
    daily run). Returns their ids in the lists' order (same udloebsdato, so by sag_id)."""
    rows = [udfald(f"{1 + i % 28:02d}0190{i:04d}", "flytning", f"m-{i}", dato) for i in range(antal)]
    lager = SagsLager(url)
    res = koer_udfald(lager, pd.DataFrame(rows, columns=UDFALD_KOLONNER), dato)
    lager.luk()
    assert len(res.nye_sager) == antal
    return sorted(res.nye_sager)
