"""Rules that differ in effect, and one rule unfair by construction (issue 17).

The caseworker model (``sagsbehandling.py``) draws every decision with its municipality's shares.
This module makes those shares depend on the case's rules, so the rule-effect report has
something to find:

- **Effect per rule** (:data:`EFFEKT`): a factor per rule on the chance that an ordered case goes
  on to partshøring (1 − henlaeg_andel) and on the chance that a case in partshøring ends with
  ``aendret_tildeling`` (aendret_andel); a case with several rules takes its strongest rule's
  factor; each probability is kept within 2–98 %. Local lists and cases without a rule: 1.
- **The planted unfair rule** (:data:`PLANTET_REGEL`, ``ny_arbejdsgiver``): the samkøring's udfald
  of this rule are kept for only :data:`PLANTET_ANDEL_KVINDER` of the women (a stable draw per
  person and event, from the seed), so men are selected about three times as often; and for men
  the rule's factor is multiplied by :data:`PLANTET_FAKTOR_MAEND`, so the men it selects are
  changed far less often. The report's criterion (selection ratio above 1.25 with an outcome ratio
  below 1) must find it.

The factors are the simulation's own assumptions, not measured effects.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from kontrol_lib.sager.regelgrundlag import koen

EFFEKT = {
    "doedsfald": 1.6, "b_indkomst": 1.5, "feriekonto": 1.4, "bilkoeb": 1.3, "momsindberetning": 1.3,
    "offentlig_ydelse": 1.2, "underholdsbidrag": 1.2, "ny_virksomhed": 1.1, "flytning": 1.0,
    "mange_bilhandler": 1.0, "civilstand": 0.9, "bilsalg": 0.8, "barn_fraflytning": 0.7,
    "ny_arbejdsgiver": 1.0, "foedsel": 0.6, "borgerstatus": 0.5, "barn_doedsfald": 0.5,
}
PLANTET_REGEL = "ny_arbejdsgiver"
PLANTET_ANDEL_KVINDER = 30          # percent of the women's udfald of the planted rule that are kept
PLANTET_FAKTOR_MAEND = 0.25


def _procent(seed: int, ym_cpr, haendelse_id) -> int:
    """A stable draw 0–99 per (seed, person, event), independent of the udfald's order."""
    h = hashlib.sha256(f"{int(seed)}:{ym_cpr}:{haendelse_id}".encode()).digest()
    return int.from_bytes(h[:4], "big") % 100


def tynd_udfald(udfald: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The udfald with the planted rule's udfald for women thinned to :data:`PLANTET_ANDEL_KVINDER` %."""
    if len(udfald) == 0:
        return udfald
    drop = [r == PLANTET_REGEL and koen(ym) == "kvinde" and _procent(seed, ym, h) >= PLANTET_ANDEL_KVINDER
            for r, ym, h in zip(udfald["regel"], udfald["ym_cpr"], udfald["haendelse_id"])]
    return udfald.loc[[not x for x in drop]]


def faktor(regler: tuple[str, ...], koen_: str) -> float:
    """The case's factor: its strongest rule's (1 without a national rule); for men the planted
    rule counts with :data:`PLANTET_FAKTOR_MAEND`."""
    vals = []
    for r in regler:
        f = EFFEKT.get(r)
        if f is None:
            continue
        if r == PLANTET_REGEL and koen_ == "mand":
            f *= PLANTET_FAKTOR_MAEND
        vals.append(f)
    return max(vals) if vals else 1.0


def sandsynlighed(andel: float, f: float) -> float:
    return min(0.98, max(0.02, andel * f))
