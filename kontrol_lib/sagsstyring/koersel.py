"""The daily run: samkøring → fredning → cases on the bestillingsliste → expiry.

``koer(data, dato, ...)`` runs the samkøring on a data folder and hands the udfald to
``koer_udfald(lager, udfald, dato, ...)``, which does the store's part in ONE transaction (a run
killed half-way leaves nothing behind; run it again):

1. expiry: every ``udstillet`` case whose udloebsdato ≤ D becomes ``udloebet`` (logged as
   "ikke behandlet");
2. fredning: an udfald whose key (ym_cpr, regel, haendelse_id) is already on any case, open or
   closed, is dropped (the store's unique key enforces it, too);
3. the remaining udfald of a YM join the YM's ``udstillet`` registersamkøring case in the same
   municipality, or start a new case (udloebsdato = D + 3 months, a dated parameter).

Running the same D twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select, tuple_

from ..fejl import KontrolFejl
from ..parametre import hent
from . import schema as S
from .lager import (_LAAS_KOERSEL, UDLOEBET, UDSTILLET, WORKFLOW_KANAL, SagsLager, _dumps,
                    kle_opslag, plus_maaneder)

UDFALD_KOLONNER = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "haendelse_id", "kle",
                   "kommunekode", "oplysninger"]
NOEGLE = ["ym_cpr", "regel", "haendelse_id"]


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
        if not self.aendret:
            linjer.append("  Intet ændret i sagslageret.")
        return "\n".join(linjer)


def _dato(v) -> dt.date | None:
    if v is None or (not isinstance(v, (dt.date, str)) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _regel_info(regler: Mapping | None, ids: set[str]) -> dict[str, tuple[str, str]]:
    if regler is None:
        from ..samkoering import REGLER as regler   # the rule catalogue (samkoering package)
    ukendte = sorted(i for i in ids if i not in regler)
    if ukendte:
        raise KontrolFejl(f"Udfald fra ukendte regler: {', '.join(ukendte)}")
    return {i: (str(regler[i].titel), str(regler[i].kontroltype)) for i in ids}


def udloeb(lager: SagsLager, conn, dato: dt.date, bruger: str, kommune: int | None = None) -> list[str]:
    """Expire every udstillet case whose udloebsdato ≤ ``dato`` (inside ``conn``'s transaction)."""
    df = lager._aktuelle(conn, [UDSTILLET], kommune)
    df = df[df["udloebsdato"].notna()]
    mask = pd.Series([d <= dato for d in df["udloebsdato"]], index=df.index, dtype=bool)
    df = df.loc[mask].sort_values(["udloebsdato", "sag_id"])
    ud = []
    for sag_id, udl in zip(df["sag_id"], df["udloebsdato"]):
        lager._overgang(conn, sag_id, "udloeb", UDLOEBET, bruger, dato,
                        {"aarsag": "ikke behandlet", "udloebsdato": udl.isoformat()},
                        (UDSTILLET,), "udløbe")
        ud.append(sag_id)
    return ud


def koer_udfald(lager: SagsLager, udfald: pd.DataFrame, dato: dt.date, bruger: str = "daglig_koersel",
                regler: Mapping | None = None, stamdata: Mapping[str, dict] | None = None,
                kommune: int | None = None) -> Koersel:
    """The store's part of the daily run for the udfald of run date ``dato`` (see module doc).
    ``regler``: rule id → object with ``.titel`` and ``.kontroltype`` (default: the samkøring's
    ``REGLER``); ``stamdata``: ym_cpr → the kontrolark's snapshot for new cases."""
    mangler = [c for c in UDFALD_KOLONNER if c not in udfald.columns]
    if mangler:
        raise KontrolFejl(f"Udfaldstabellen mangler kolonnen {', '.join(mangler)}")
    res = Koersel(dato=dato, udfald_i_alt=len(udfald))
    u = udfald[UDFALD_KOLONNER].copy()
    if kommune is not None:
        u = u[u["kommunekode"].astype(int) == int(kommune)]
    u["ym_cpr"] = u["ym_cpr"].astype(str)
    u["haendelse_id"] = u["haendelse_id"].astype(str)
    u = u.drop_duplicates(NOEGLE)
    info = _regel_info(regler, set(u["regel"]))
    stamdata = stamdata or {}
    maaneder = int(hent("sagsstyring.udloeb_maaneder", dato))

    with lager.skriv(_LAAS_KOERSEL) as conn:
        res.udloebne_sager = udloeb(lager, conn, dato, bruger, kommune)

        # fredning: drop udfald already on any case
        kendte = set()
        noegler = list(u[NOEGLE].itertuples(index=False, name=None))
        t = S.udfald
        for i in range(0, len(noegler), 300):
            chunk = noegler[i:i + 300]
            kendte |= set(conn.execute(select(t.c.ym_cpr, t.c.regel, t.c.haendelse_id).where(
                tuple_(t.c.ym_cpr, t.c.regel, t.c.haendelse_id).in_(chunk))).all())
        ny = u.loc[pd.Series([k not in kendte for k in noegler], index=u.index, dtype=bool)]
        res.fredede_udfald = len(u) - len(ny)
        res.nye_udfald = len(ny)
        if ny.empty:
            return res

        aabne = lager._aktuelle(conn, [UDSTILLET], kommune)
        aabne = aabne[(aabne["kanal"] == WORKFLOW_KANAL) & (aabne["kontroltrin"] == 2)]
        aabne = aabne.sort_values(["oprettet", "sag_id"])
        aaben = {}
        for sag_id, cpr, kode in zip(aabne["sag_id"], aabne["ym_cpr"], aabne["kommunekode"]):
            aaben.setdefault((cpr, int(kode)), sag_id)

        udloebsdato = plus_maaneder(dato, maaneder)
        rows = []
        for ym, grp in ny.sort_values(["ym_cpr", "kle", "regel", "haendelse_id"]).groupby("ym_cpr", sort=True):
            first = grp.iloc[0]                        # the lowest KLE
            kode = int(first["kommunekode"])
            data = {"koersel": dato.isoformat(), "antal_udfald": len(grp),
                    "regler": sorted(set(grp["regel"]))}
            sag_id = aaben.get((ym, kode))
            if sag_id is None:
                k = kle_opslag(first["kle"])
                sag_id = lager._ny_sag(
                    conn, kommunekode=kode, kanal=WORKFLOW_KANAL, kontroltrin=2, myndighed="kommune",
                    paragraf11="nej", ydelse=k["ydelse"], kle=first["kle"],
                    ydelsesomraade=k["ydelsesomraade"], ym_cpr=ym, oprettet=dato,
                    udloebsdato=udloebsdato, stamdata=_dumps(stamdata.get(ym, {})))
                oid = lager._indsaet_overgang(conn, sag_id, 1, "udstillet", None, UDSTILLET, bruger,
                                              dato, data)
                res.nye_sager.append(sag_id)
            else:
                oid = lager._overgang(conn, sag_id, "nye_udfald", UDSTILLET, bruger, dato, data,
                                      (UDSTILLET,), "få nye udfald")
                res.udvidede_sager.append(sag_id)
            for r in grp.itertuples(index=False):
                titel, ktype = info[r.regel]
                rows.append({"sag_id": sag_id, "overgang_id": oid, "ym_cpr": ym, "regel": r.regel,
                             "haendelse_id": r.haendelse_id, "person_cpr": str(r.person_cpr),
                             "rolle": str(r.rolle), "haendelsesdato": _dato(r.haendelsesdato),
                             "kle": r.kle, "kommunekode": int(r.kommunekode),
                             "oplysninger": str(r.oplysninger), "regel_titel": titel,
                             "kontroltype": ktype, "koersdato": dato})
        conn.execute(S.udfald.insert(), rows)
    return res


def koer(data: str | Path, dato: dt.date, kommune: int | None = None, lager: SagsLager | None = None,
         bruger: str = "daglig_koersel") -> Koersel:
    """The whole daily run on a data folder: samkøring, stamoplysninger for the kontrolark,
    then :func:`koer_udfald`."""
    from ..registre import indlaes
    from ..samkoering import REGLER, samkoer
    from .stamdata import stamoplysninger
    lager = lager or SagsLager()
    reg = indlaes(data)
    udfald = samkoer(reg, dato, kommune=kommune)
    snap = stamoplysninger(reg, sorted(set(udfald["ym_cpr"].astype(str))), dato, REGLER, udfald)
    return koer_udfald(lager, udfald, dato, bruger=bruger, regler=REGLER, stamdata=snap, kommune=kommune)
