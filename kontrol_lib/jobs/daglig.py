"""The daily run: samkøring → fredning → cases on the bestillingsliste → expiry.

``koer(data, dato, ...)`` runs the samkøring on a data folder and hands the udfald to
``koer_udfald(lager, udfald, dato, ...)``, which does the store's part in ONE transaction (a run
killed half-way leaves nothing behind; run it again):

1. expiry: every ``udstillet`` case whose udloebsdato ≤ D becomes ``udloebet`` (logged as
   "ikke behandlet");
2. the udfald go on the bestillingsliste through the store's one mechanism for findings,
   :func:`.udstilling.udstil` with the :class:`~.udstilling.Kilde` :data:`SAMKOERING`: fredning
   (an udfald whose key (ym_cpr, regel, haendelse_id) is already on any case, open or closed, is
   dropped), then the remaining udfald of a YM join the YM's ``udstillet`` registersamkøring case
   in the same municipality, or start a new case (udloebsdato = D + 3 months, a dated parameter).

Running the same D twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager.lager import SagsLager
from kontrol_lib.sager.grundlag import LAAS_KOERSEL, WORKFLOW_KANAL, kle_opslag
from kontrol_lib.vokabular.koder import UDLOEBET, UDSTILLET
from kontrol_lib.sager.udstilling import Kilde, udstil
from kontrol_lib.registre import indlaes
from kontrol_lib.regler import REGLER, bestand, samkoer
from kontrol_lib.sager.regelgrundlag import bestandsgrupper_af, gem_bestandsgrupper
from kontrol_lib.sager.stamdata import stamoplysninger

UDFALD_KOLONNER = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "haendelse_id", "kle",
                   "kommunekode", "oplysninger"]


def _samkoering_attributter(foerste: pd.Series) -> dict:
    """A new registersamkøring case: the municipality's own, not § 11, ydelse from the lowest KLE."""
    k = kle_opslag(foerste["kle"])
    return {"myndighed": "kommune", "paragraf11": "nej", "ydelse": k["ydelse"], "kle": foerste["kle"],
            "ydelsesomraade": k["ydelsesomraade"]}


def _samkoering_data(grp: pd.DataFrame) -> dict:
    return {"regler": sorted(set(grp["regel"]))}


# the samkøring's udfald: all of a YM's new udfald on one case (its lowest KLE decides the case's
# ydelse and municipality), joining the YM's udstillet case in that municipality
SAMKOERING = Kilde(kanal=WORKFLOW_KANAL, kontroltrin=2, gruppering=("ym_cpr",), orden=("kle", "regel", "haendelse_id"),
                   tilslutning=("ym_cpr", "kommunekode"), sagsattributter=_samkoering_attributter,
                   overgangsdata=_samkoering_data, fund_ord="udfald")


@dataclass
class Koersel:
    """What a daily run did (no cpr numbers)."""
    dato: dt.date
    udfald_i_alt: int = 0
    fredede_udfald: int = 0
    nye_udfald: int = 0
    nye_sager: list[str] = field(default_factory=list)
    udvidede_sager: list[str] = field(default_factory=list)
    udloebne_sager: list[str] = field(default_factory=list)
    dubletter: list[dict] = field(default_factory=list)     # new cases of a person and ydelse with an open case

    @property
    def aendret(self) -> bool:
        return bool(self.nye_udfald or self.udloebne_sager)

    def tekst(self) -> str:
        linjer = [
            f"Kørsel {self.dato.isoformat()}:",
            f"  udfald fra samkøringen:             {self.udfald_i_alt}",
            f"  heraf fredede (allerede på en sag): {self.fredede_udfald}",
            f"  nye udfald:                         {self.nye_udfald}",
            f"  nye sager på bestillingslisten:     {len(self.nye_sager)}",
            f"  udstillede sager med nye udfald:    {len(self.udvidede_sager)}",
            f"  udløbne sager (ikke behandlet):     {len(self.udloebne_sager)}",
        ]
        if self.dubletter:
            linjer.append(f"  heraf dubletter (samme person og ydelse har en åben sag): {len(self.dubletter)}")
        if not self.aendret:
            linjer.append("  Intet ændret i sagslageret.")
        return "\n".join(linjer)


def _regel_info(regler: Mapping | None, ids: set[str]) -> dict[str, tuple[str, str]]:
    if regler is None:
        from kontrol_lib.regler import REGLER as regler   # the rule catalogue (samkoering package)
    ukendte = sorted(i for i in ids if i not in regler)
    if ukendte:
        raise KontrolFejl(f"Udfald fra ukendte regler: {', '.join(ukendte)}")
    return {i: (str(regler[i].titel), str(regler[i].kontroltype)) for i in ids}


def udloeb(lager: SagsLager, conn, dato: dt.date, aktoer, kommune: int | None = None) -> list[str]:
    """Expire every udstillet case whose udloebsdato ≤ ``dato`` (inside ``conn``'s transaction)."""
    df = lager.aktuelle(conn, [UDSTILLET], kommune)
    df = df[df["udloebsdato"].notna()]
    mask = pd.Series([d <= dato for d in df["udloebsdato"]], index=df.index, dtype=bool)
    df = df.loc[mask].sort_values(["udloebsdato", "sag_id"])
    ud = []
    for sag_id, udl in zip(df["sag_id"], df["udloebsdato"]):
        lager.overgang(conn, sag_id, "udloeb", UDLOEBET, aktoer, dato,
                        {"aarsag": "ikke behandlet", "udloebsdato": udl.isoformat()},
                        (UDSTILLET,), "udløbe")
        ud.append(sag_id)
    return ud


def koer_udfald(lager: SagsLager, udfald: pd.DataFrame, dato: dt.date, bruger: str | None = None,
                regler: Mapping | None = None, stamdata: Mapping[str, dict] | None = None,
                kommune: int | None = None, bestandsgrupper: pd.DataFrame | None = None) -> Koersel:
    """The store's part of the daily run for the udfald of run date ``dato`` (see module doc).
    ``bestandsgrupper``: the bestand's size per municipality, sex and age band on ``dato``
    (:func:`~kontrol_lib.sager.regelgrundlag.bestandsgrupper_af`), recorded in the same
    transaction for the fairness measures (once per run date and municipality).
    ``regler``: rule id → object with ``.titel`` and ``.kontroltype`` (default: the samkøring's
    ``REGLER``); ``stamdata``: ym_cpr → the kontrolark's snapshot for new cases. The run is done
    by the logged-in person (the scheduled run: the service identity) in the role sagsbehandler."""
    aktoer = lager.aktoer(("sagsbehandler",), "køre samkøringen ind i sagslageret", bruger)
    mangler = [c for c in UDFALD_KOLONNER if c not in udfald.columns]
    if mangler:
        raise KontrolFejl(f"Udfaldstabellen mangler kolonnen {', '.join(mangler)}")
    res = Koersel(dato=dato, udfald_i_alt=len(udfald))
    u = udfald[UDFALD_KOLONNER].copy()
    if kommune is not None:
        u = u[u["kommunekode"].astype(int) == int(kommune)]
    info = _regel_info(regler, set(u["regel"]))
    u = u.assign(regel_titel=[info[r][0] for r in u["regel"]], kontroltype=[info[r][1] for r in u["regel"]])
    with lager.skriv(LAAS_KOERSEL) as conn:
        res.udloebne_sager = udloeb(lager, conn, dato, aktoer, kommune)
        ud = udstil(lager, conn, u, dato, aktoer, SAMKOERING, stamdata)
        if bestandsgrupper is not None:
            gem_bestandsgrupper(lager, conn, dato, bestandsgrupper)
    res.fredede_udfald = ud.fredede
    res.nye_udfald = ud.antal_nye
    res.nye_sager = ud.nye_sager
    res.udvidede_sager = ud.udvidede_sager
    res.dubletter = ud.dubletter
    return res


def koer(data: str | Path, dato: dt.date, kommune: int | None = None, lager: SagsLager | None = None,
         bruger: str | None = None) -> Koersel:
    """The whole daily run on a data folder: samkøring, stamoplysninger for the kontrolark, the
    bestand's size per sex and age band (aggregates, for the fairness measures), then
    :func:`koer_udfald`."""
    lager = lager or SagsLager()
    reg = indlaes(data)
    udfald = samkoer(reg, dato, kommune=kommune)
    snap = stamoplysninger(reg, sorted(set(udfald["ym_cpr"].astype(str))), dato, REGLER, udfald)
    grupper = bestandsgrupper_af(bestand(reg, dato, kommune), dato)
    return koer_udfald(lager, udfald, dato, bruger=bruger, regler=REGLER, stamdata=snap, kommune=kommune,
                       bestandsgrupper=grupper)
