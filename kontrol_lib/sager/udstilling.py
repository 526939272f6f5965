"""Findings on the bestillingsliste: the ONE mechanism behind the daily run's udfald
(:func:`~.koersel.koer_udfald`) and the local control lists (:func:`kontrol_lib.jobs.lokale_lister.til_lager`).

``udstil_fund(lager, fund, dato, aktoer, kilde, stamdata)`` puts findings on cases in one
transaction (a run killed half-way leaves nothing; running the same D twice adds nothing):

1. fredning by key: a finding whose (ym_cpr, regel, haendelse_id) is already on any case, open
   or closed, is dropped (the store's unique key enforces it, too). The key is compared keyed:
   (``ym_noegle``, regel, ``haendelse_noegle``), HMAC-SHA256 with the file key of
   :mod:`kontrol_lib.vokabular.pseudonym` (revision 0008), so a case whose CPR numbers were erased
   (``kontrol slet``) keeps its udfald fredet;
2. fredningsperiode (only if ``kilde.fredningsperiode``): a person whose kontroltrin 3 case was
   closed on day c with a fredningsperiode of N months is not exposed on a day in [c, c + N months);
3. the remaining findings are grouped into cases by ``kilde.gruppering``; a group joins the
   oldest ``udstillet`` case of the same kanal and kontroltrin whose ``kilde.tilslutning`` key
   matches the group's first finding, or starts a new case (udloebsdato = D + the dated parameter
   ``sagsstyring.udloeb_maaneder``) whose attributes ``kilde.sagsattributter`` derives from the
   group's first finding, with the kontrolark's stamoplysninger (``kilde.stamdata``).

A :class:`Kilde` is declarative: it says where findings come from and how they become cases;
the mechanism is the same for every source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select, tuple_

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre import hent
from kontrol_lib.sager import pg_adgang, sagsbehandling
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import LAAS_KOERSEL, til_json, fra_json
from kontrol_lib.sager.roller import Aktoer, tjek_aktoer
from kontrol_lib.vokabular.koder import LUKKEDE, UDSTILLET
from kontrol_lib.vokabular.pseudonym import noeglet_hash, noeglet_teksthash
from kontrol_lib.vokabular.tid import plus_maaneder

if TYPE_CHECKING:                                     # the store hands itself in; no import cycle
    from kontrol_lib.sager.lager import SagsLager

# one row per finding, the shape the store's udfald table needs
FUND_KOLONNER = ["ym_cpr", "person_cpr", "rolle", "regel", "regel_titel", "kontroltype", "haendelse_id",
                 "haendelsesdato", "kle", "kommunekode", "oplysninger"]
NOEGLE = ["ym_cpr", "regel", "haendelse_id"]
SAGSATTRIBUTTER = ("myndighed", "paragraf11", "ydelse", "kle", "ydelsesomraade")


def _ingen_data(grp: pd.DataFrame) -> dict:
    return {}


def _samme_stamdata(snap: dict, foerste: pd.Series) -> dict:
    return snap


@dataclass(frozen=True)
class Kilde:
    """Where findings come from and how they become cases on the bestillingsliste.

    ``gruppering``: findings with equal values in these columns make one case; ``orden``: the
    order inside a group (its first finding decides the new case's attributes and the key it
    joins under); ``tilslutning``: the key under which a group joins an open case of the same
    kanal and kontroltrin (columns of the case, or ``regel`` of the udfald on it);
    ``sagsattributter``: first finding → myndighed, paragraf11, ydelse, kle, ydelsesomraade of a
    new case; ``fredningsperiode``: whether a closed kontroltrin 3 case's fredningsperiode keeps the
    person off the list; ``overgangsdata``: the group → extra fields logged with the transition;
    ``stamdata``: (the person's snapshot, first finding) → the new case's stamdata; ``fund_ord``:
    what a finding is called in messages ("udfald", "fund")."""
    kanal: str
    kontroltrin: int
    gruppering: tuple[str, ...]
    orden: tuple[str, ...]
    tilslutning: tuple[str, ...]
    sagsattributter: Callable[[pd.Series], dict]
    fredningsperiode: bool = False
    overgangsdata: Callable[[pd.DataFrame], dict] = _ingen_data
    stamdata: Callable[[dict, pd.Series], dict] = _samme_stamdata
    fund_ord: str = "udfald"


@dataclass
class Udstilling:
    """What :func:`udstil_fund` did (no cpr numbers outside ``nye``)."""
    fund: int = 0                          # distinct findings (by key)
    fredede: int = 0                       # already on a case
    i_fredningsperiode: int = 0
    nye: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FUND_KOLONNER))
    nye_sager: list[str] = field(default_factory=list)
    udvidede_sager: list[str] = field(default_factory=list)
    dubletter: list[dict] = field(default_factory=list)   # new cases whose person and ydelse had an open case

    @property
    def antal_nye(self) -> int:
        return len(self.nye)


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


def _noeglevaerdi(kolonne: str, v):
    return int(v) if kolonne == "kommunekode" else v


def fredningsnoegler(ym_cpr, haendelse_id, noegle: bytes) -> tuple[str, str]:
    """(ym_noegle, haendelse_noegle) of one udfald (revision 0008): the keyed hashes fredning uses."""
    return noeglet_hash(ym_cpr, noegle), noeglet_teksthash(haendelse_id, noegle)


def fredningsperioder(conn, cprs: list[str], noegle: bytes) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """cpr → [(from, to)) periods in which kontroltrin 3 must not expose the person again (a
    closed kontroltrin 3 case with a fredningsperiode of N months). Looked up by the keyed hash
    of the CPR number (the udfald's ``ym_noegle``), so it holds for erased cases too."""
    s, o, u = S.sager, S.overgange, S.udfald
    til_cpr = {noeglet_hash(c, noegle): c for c in cprs}
    noegler = sorted(til_cpr)
    out: dict[str, list] = {}
    if pg_adgang.er_pg(conn):                  # udfald's hashes are not readable there: revision 0008's function
        rows = pg_adgang.fredningsperioder(conn, noegler)
    else:
        rows = []
        for i in range(0, len(noegler), 500):
            rows += conn.execute(select(u.c.ym_noegle, o.c.dato, o.c.data).distinct()
                                 .join_from(o, s, o.c.sag_id == s.c.sag_id).join(u, u.c.sag_id == s.c.sag_id)
                                 .where(s.c.kontroltrin == 3, u.c.ym_noegle.in_(noegler[i:i + 500]),
                                        o.c.til.in_(LUKKEDE))).all()
    for h, dato, data in rows:
        n = fra_json(data).get("fredningsperiode_maaneder")
        if n:
            out.setdefault(til_cpr[h], []).append((dato, plus_maaneder(dato, int(n))))
    return out


def ny_udstillet_sag(lager: SagsLager, conn, aktoer: Aktoer, dato: dt.date, data: dict,
                     **kolonner) -> tuple[str, int]:
    """A new case (``kolonner``: its row) with its first transition, ``udstillet`` on ``dato``.
    Returns (sag_id, overgang_id)."""
    sag_id = lager.ny_sag(conn, **kolonner)
    oid = lager.indsaet_overgang(conn, sag_id, 1, "udstillet", None, UDSTILLET, aktoer, dato, data)
    return sag_id, oid


def _kendte(conn, noegler: list[tuple], noegle: bytes) -> set[tuple]:
    """Which of the keys (ym_cpr, regel, haendelse_id) are already on a case, compared by their
    keyed hashes only (revision 0008)."""
    hashet = {}
    for k in noegler:
        ym_h, h_h = fredningsnoegler(k[0], k[2], noegle)
        hashet[(ym_h, k[1], h_h)] = k
    hn = list(hashet)
    if pg_adgang.er_pg(conn):                  # udfald's hashes are not readable there: revision 0008's function
        fundne = pg_adgang.kendte_udfald(conn, hn)
    else:
        t = S.udfald
        fundne = set()
        for i in range(0, len(hn), 300):
            fundne |= set(conn.execute(select(t.c.ym_noegle, t.c.regel, t.c.haendelse_noegle).where(
                tuple_(t.c.ym_noegle, t.c.regel, t.c.haendelse_noegle).in_(hn[i:i + 300]))).all())
    return {hashet[tuple(f)] for f in fundne}


def _aabne(lager: SagsLager, conn, kilde: Kilde, kommuner: set[int], cprs: set[str],
           noegle: bytes) -> dict[tuple, str]:
    """The open (udstillet) cases a group may join: tilslutning key → the oldest case's id
    (only the findings' municipality's cases are read when the key holds the municipality and
    the findings are from one). ``cprs``: the findings' ydelsesmodtagere (on PostgreSQL the
    cases' ym_cpr is known only for those)."""
    kommune = next(iter(kommuner)) if len(kommuner) == 1 and "kommunekode" in kilde.tilslutning else None
    aabne = lager.aktuelle(conn, [UDSTILLET], kommune)
    aabne = aabne[(aabne["kanal"] == kilde.kanal) & (aabne["kontroltrin"] == kilde.kontroltrin)]
    if aabne.empty:
        return {}
    if "ym_cpr" in kilde.tilslutning and pg_adgang.er_pg(conn):
        til_cpr = {noeglet_hash(c, noegle): c for c in cprs}
        ym = {sid: til_cpr[h] for sid, h in pg_adgang.sager_for(conn, til_cpr).items()}
        aabne = aabne.assign(ym_cpr=[ym.get(s) for s in aabne["sag_id"]])
    fra_udfald = [c for c in kilde.tilslutning if c not in aabne.columns]
    af_udfald: dict[str, dict] = {}
    if fra_udfald:
        t = S.udfald
        ids = list(aabne["sag_id"])
        for i in range(0, len(ids), 500):
            for r in conn.execute(select(t.c.sag_id, *[t.c[c] for c in fra_udfald])
                                  .where(t.c.sag_id.in_(ids[i:i + 500]))).mappings():
                af_udfald.setdefault(r["sag_id"], dict(r))
    aaben: dict[tuple, str] = {}
    for sag in sorted(aabne.to_dict("records"), key=lambda r: (r["oprettet"], r["sag_id"])):
        if fra_udfald and sag["sag_id"] not in af_udfald:
            continue                     # a case without findings has no such key
        kilder = {**sag, **af_udfald.get(sag["sag_id"], {})}
        aaben.setdefault(tuple(_noeglevaerdi(c, kilder[c]) for c in kilde.tilslutning), sag["sag_id"])
    return aaben


def udstil(lager: SagsLager, conn, fund: pd.DataFrame, dato: dt.date, aktoer: Aktoer, kilde: Kilde,
           stamdata: Mapping[str, dict] | None = None) -> Udstilling:
    """:func:`udstil_fund` inside ``conn``'s transaction (for a run that does more in the same
    transaction, e.g. the daily run's expiry)."""
    tjek_aktoer(aktoer)
    mangler = [c for c in FUND_KOLONNER if c not in fund.columns]
    if mangler:
        raise KontrolFejl(f"Fundtabellen mangler kolonnen {', '.join(mangler)}")
    u = fund.copy()
    u["ym_cpr"] = u["ym_cpr"].astype(str)
    u["haendelse_id"] = u["haendelse_id"].astype(str)
    u = u.drop_duplicates(NOEGLE)
    res = Udstilling(fund=len(u))
    stamdata = stamdata or {}

    # 1. fredning by key
    noegler = list(u[NOEGLE].itertuples(index=False, name=None))
    noegle = lager.fredningsnoegle
    kendte = _kendte(conn, noegler, noegle)
    ny = u.loc[pd.Series([k not in kendte for k in noegler], index=u.index, dtype=bool)]
    res.fredede = len(u) - len(ny)

    # 2. fredningsperiode
    if kilde.fredningsperiode:
        perioder = fredningsperioder(conn, sorted(set(ny["ym_cpr"])), noegle)
        fredet = {cpr for cpr, ps in perioder.items() if any(fra <= dato < til for fra, til in ps)}
        i_periode = ny["ym_cpr"].isin(fredet)
        res.i_fredningsperiode = int(i_periode.sum())
        ny = ny.loc[~i_periode]
    res.nye = ny
    if ny.empty:
        return res

    # 3. cases: join an open one or start a new one
    aaben = _aabne(lager, conn, kilde, {int(k) for k in ny["kommunekode"]}, set(ny["ym_cpr"]), noegle)
    udloebsdato = plus_maaneder(dato, int(hent("sagsstyring.udloeb_maaneder", dato)))
    rows = []
    for _, grp in ny.sort_values([*kilde.gruppering, *kilde.orden]).groupby(list(kilde.gruppering), sort=True):
        foerste = grp.iloc[0]
        ym = foerste["ym_cpr"]
        data = {"koersel": dato.isoformat(), "antal_udfald": len(grp), **kilde.overgangsdata(grp)}
        sag_id = aaben.get(tuple(_noeglevaerdi(c, foerste[c]) for c in kilde.tilslutning))
        if sag_id is None:
            attr = kilde.sagsattributter(foerste)
            sag_id, oid = ny_udstillet_sag(
                lager, conn, aktoer, dato, data, kommunekode=int(foerste["kommunekode"]), kanal=kilde.kanal,
                kontroltrin=kilde.kontroltrin, **{k: attr[k] for k in SAGSATTRIBUTTER}, ym_cpr=ym, oprettet=dato,
                udloebsdato=udloebsdato, stamdata=til_json(kilde.stamdata(dict(stamdata.get(ym, {})), foerste)))
            res.nye_sager.append(sag_id)
        else:
            oid = lager.overgang(conn, sag_id, "nye_udfald", UDSTILLET, aktoer, dato, data, (UDSTILLET,),
                                  f"få nye {kilde.fund_ord}")
            res.udvidede_sager.append(sag_id)
        for r in grp.itertuples(index=False):
            ym_h, h_h = fredningsnoegler(ym, r.haendelse_id, noegle)
            rows.append({"sag_id": sag_id, "overgang_id": oid, "ym_cpr": ym, "ym_noegle": ym_h,
                         "haendelse_noegle": h_h, "regel": r.regel,
                         "haendelse_id": r.haendelse_id, "person_cpr": str(r.person_cpr),
                         "rolle": str(r.rolle), "haendelsesdato": _dato(r.haendelsesdato),
                         "kle": r.kle, "kommunekode": int(r.kommunekode),
                         "oplysninger": str(r.oplysninger), "regel_titel": r.regel_titel,
                         "kontroltype": r.kontroltype, "koersdato": dato})
    conn.execute(S.udfald.insert(), rows)
    res.dubletter = sagsbehandling.dubletter(conn, res.nye_sager)
    return res


def udstil_fund(lager: SagsLager, fund: pd.DataFrame, dato: dt.date, aktoer: Aktoer, kilde: Kilde,
                stamdata: Mapping[str, dict] | None = None) -> Udstilling:
    """Put findings (columns :data:`FUND_KOLONNER` plus what ``kilde`` reads) on the
    bestillingsliste as cases of ``kilde`` on run date ``dato``, in one transaction (see module
    doc). ``stamdata``: ym_cpr → the kontrolark's snapshot for new cases."""
    with lager.skriv(LAAS_KOERSEL) as conn:
        return udstil(lager, conn, fund, dato, aktoer, kilde, stamdata)
