"""Kontroltrin 3: cases Udbetaling Danmark sends for bagudgående kontrol (kontanthjælp,
sygedagpenge, økonomisk friplads), imported from a file into the same workflow.

File ``trin3.csv`` (or .xlsx/.parquet), read and validated like a register (every bad row is
named): ``udk_sag_id`` (UDK's reference), ``cpr``, ``kommunekode``, ``ydelse``, ``modtaget``
(the day UDK sent it), ``oplysninger`` (optional: what UDK asks the municipality to look at).

Each row becomes an ``udstillet`` case (kanal ``udk``, kontroltrin 3, udloebsdato = modtaget +
3 months) on the bestillingsliste, with the row as its udfald. The import is one transaction;
importing the same udk_sag_id again changes nothing. A person whose earlier kontroltrin 3 case
was closed with a *fredningsperiode* of N months on day c is not exposed again by a case
received on a day in [c, c + N months): the row is skipped and reported (by udk_sag_id, never
cpr).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from kontrol_lib.registre.kontrakt import Column, Table
from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import TRIN3_YDELSER
from kontrol_lib.parametre import hent
from kontrol_lib.registre import indlaes_fil
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import LAAS_KOERSEL, til_json
from kontrol_lib.sager.roller import Aktoer, tjek_aktoer
from kontrol_lib.vokabular.tid import plus_maaneder
from kontrol_lib.sager.udstilling import fredningsnoegler, fredningsperioder, ny_udstillet_sag

if TYPE_CHECKING:                                     # the store hands itself in; no import cycle
    from kontrol_lib.sager.lager import SagsLager

YDELSER = TRIN3_YDELSER
KANAL = "udk"
REGEL = "trin3"
REGEL_TITEL = "Bagudgående kontrol fra Udbetaling Danmark (kontroltrin 3)"
KONTROLTYPE = "bagudgaaende"

TABLE = Table("trin3", "Kontroltrin 3: sager sendt af Udbetaling Danmark", (
    Column("udk_sag_id", "text", "Udbetaling Danmarks sagsreference"),
    Column("cpr", "cpr", "Borgerens CPR-nummer"),
    Column("kommunekode", "kommune", "Kommunen, sagen er sendt til"),
    Column("ydelse", "code", "Ydelsen: " + ", ".join(YDELSER), domain=YDELSER),
    Column("modtaget", "date", "Dagen, sagen blev sendt fra Udbetaling Danmark"),
    Column("oplysninger", "text", "Hvad kommunen skal se nærmere på", optional=True),
), key=("udk_sag_id",))


def laes(path: str | Path) -> pd.DataFrame:
    """Read and validate a trin 3 file (raises ``RegisterFejl`` naming every bad row)."""
    return indlaes_fil(path, TABLE)


def _kle_for(ydelse: str) -> tuple[str, str]:
    df = known_kle()
    r = df[df["ydelse"] == ydelse].iloc[0]
    return r["kle"], r["ydelsesomraade"]


def importer(lager: SagsLager, df: pd.DataFrame, aktoer: Aktoer, dato: dt.date | None = None) -> dict:
    """Import parsed trin 3 rows. Returns {"nye": [sag_id...], "kendte": [udk_sag_id...],
    "fredede": [udk_sag_id...]}."""
    tjek_aktoer(aktoer)
    mangler = [c for c in TABLE.column_names if c not in df.columns and c != "oplysninger"]
    if mangler:
        raise KontrolFejl(f"trin 3-filen mangler kolonnen {', '.join(mangler)}")
    rows = df.to_dict("records")
    ud = {"nye": [], "kendte": [], "fredede": []}
    with lager.skriv(LAAS_KOERSEL) as conn:
        kendte = set(conn.execute(select(S.sager.c.kilde_id).where(S.sager.c.kanal == KANAL,
                                                                    S.sager.c.kilde_id.is_not(None))).scalars())
        noegle = lager.fredningsnoegle
        fred = fredningsperioder(conn, sorted({str(r["cpr"]) for r in rows}), noegle)
        for r in sorted(rows, key=lambda r: (r["modtaget"], str(r["udk_sag_id"]))):
            uid, cpr, modtaget = str(r["udk_sag_id"]), str(r["cpr"]), r["modtaget"]
            if isinstance(modtaget, pd.Timestamp):
                modtaget = modtaget.date()
            if uid in kendte:
                ud["kendte"].append(uid)
                continue
            if any(fra <= modtaget < til for fra, til in fred.get(cpr, [])):
                ud["fredede"].append(uid)
                continue
            kle, omraade = _kle_for(r["ydelse"])
            maaneder = int(hent("sagsstyring.udloeb_maaneder", modtaget))
            sag_id, oid = ny_udstillet_sag(
                lager, conn, aktoer, modtaget, {"kilde": "trin3", "antal_udfald": 1},
                kommunekode=int(r["kommunekode"]), kanal=KANAL, kontroltrin=3, myndighed="kommune",
                paragraf11="nej", ydelse=r["ydelse"], kle=kle, ydelsesomraade=omraade, ym_cpr=cpr,
                oprettet=modtaget, udloebsdato=plus_maaneder(modtaget, maaneder), kilde_id=uid,
                stamdata=til_json({"cpr": cpr, "dato": modtaget.isoformat()}))
            tekst = r.get("oplysninger")
            ym_h, h_h = fredningsnoegler(cpr, uid, noegle)
            conn.execute(S.udfald.insert().values(
                sag_id=sag_id, overgang_id=oid, ym_cpr=cpr, regel=REGEL, haendelse_id=uid, person_cpr=cpr,
                ym_noegle=ym_h, haendelse_noegle=h_h,
                rolle="YM", haendelsesdato=modtaget, kle=kle, kommunekode=int(r["kommunekode"]),
                oplysninger=str(tekst) if tekst is not None and not pd.isna(tekst) else
                "Sagen er sendt af Udbetaling Danmark til bagudgående kontrol.",
                regel_titel=REGEL_TITEL, kontroltype=KONTROLTYPE, koersdato=dato or dt.date.today()))
            kendte.add(uid)
            ud["nye"].append(sag_id)
    return ud
