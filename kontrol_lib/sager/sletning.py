"""Erasure of personal data after the retention period (spec/sikkerhed.md, "Retention and
minimisation"; ``kontrol slet``; revision 0009).

Which cases: every closed case (its current state one of ``LUKKEDE``) not yet erased, whose
**closing date** (the business date of its first transition into a closed state) plus the
retention period is on or before the erasure date ``dato``. The period is a dated parameter in
years, read on ``dato``: ``sletning.aar_efter_aendret_tildeling`` (default 5) for
``aendret_tildeling``, ``sletning.aar_efter_lukning_uden_aendring`` (default 1) for
``henlagt_*`` and ``udloebet``. A municipality may have its own value in
``parameters/sletning/kommune_<kode>/<navn>.yaml`` (parameter ``sletning.kommune_<kode>.<navn>``),
which then applies to its cases.

Never while a repayment claim is open, as far as the store knows: a case whose **current**
amounts (per ydelse the amounts of its last closing or korrektion transition) hold a
``tilbagebetalingskrav_oere`` above 0 is kept (counted as ``holdes_tilbage``). The store knows
no payments; a claim that is settled is registered by a korrektion with the claim at 0.

What is erased, in one transaction, and logged in ``sletninger`` (hash-chained; counts per
closing year and reason, the sag_ids, who and when; never a CPR number) with one
``slettede_sager`` row per case: ``sager.ym_cpr`` ('' ; NULL stays NULL), ``sager.stamdata``
(NULL: names, addresses, spouses, income lines), ``udfald.ym_cpr`` and ``udfald.person_cpr`` (''),
``udfald.oplysninger`` (:data:`SLETTET_TEKST`) and ``udfald.haendelse_id`` (its keyed hashes,
``ym_noegle:haendelse_noegle``: a haendelse_id may be derived from a CPR number), and the free
text the caseworkers typed (revision 0013): ``noter.tekst``, ``sagsrelationer.grund`` (a link
with an erased case on either side) and the reason in ``overgange.data`` (reopening, a company
case), each replaced by ``logkaede.SLETTET_FRITEKST``; those chains hash the texts' SHA-256, so
they still verify. What stays is
pseudonymous: sag_id, dates, KLE, kanal, rules, outcome, amounts, and the keyed hashes that keep
the udfald fredet (revision 0008). The other chained tables hold no CPR number, so the hash chains stay
verifiable. On SQLite the UPDATE triggers let exactly this through; on PostgreSQL the
SECURITY DEFINER function ``kontrol_slet`` does it (:func:`.pg_adgang.slet`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, func, select

from kontrol_lib.parametre import alle, hent
from kontrol_lib.sager import filregister, logkaede, pg_adgang
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import nu, ramme, til_json
from kontrol_lib.sager.roller import Aktoer, tjek_aktoer
from kontrol_lib.vokabular.koder import AENDRET_TILDELING, LUKKEDE
from kontrol_lib.vokabular.tid import plus_maaneder

SLETTET_CPR = ""
"""The value of an erased CPR column (the NOT NULL columns keep a value)."""
SLETTET_TEKST = "Oplysningerne er slettet efter opbevaringsfristen (kontrol slet)."
"""``udfald.oplysninger`` of an erased case (revision 0009's triggers check this exact text)."""
PARAMETRE = {AENDRET_TILDELING: "aar_efter_aendret_tildeling"}
UDEN_AENDRING = "aar_efter_lukning_uden_aendring"
OVERSIGT = ["lukkeaar", "grund", "antal"]


@dataclass
class Sletning:
    """What :func:`slet` found (and, with ``udfoert``, erased). No CPR number anywhere."""
    dato: dt.date
    udfoert: bool
    sag_ids: list[str] = field(default_factory=list)
    oversigt: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OVERSIGT))
    holdes_tilbage: list[str] = field(default_factory=list)      # open repayment claim
    sletning_id: int | None = None
    filer: filregister.Filrydning = field(default_factory=filregister.Filrydning)   # the product's own files

    @property
    def antal(self) -> int:
        return len(self.sag_ids)


def aar(grund: str, kommune: int, dato: dt.date) -> int:
    """The retention period in years of a case closed as ``grund`` in ``kommune`` (on ``dato``)."""
    navn = PARAMETRE.get(grund, UDEN_AENDRING)
    egen = f"sletning.kommune_{int(kommune)}.{navn}"
    return int(hent(egen if egen in alle() else f"sletning.{navn}", dato))


def _lukninger(conn: Connection) -> pd.DataFrame:
    """Every closed case not yet erased: sag_id, kommunekode, grund (its current state), lukket."""
    o, s, ss = S.overgange, S.sager, S.slettede_sager
    o2 = o.alias("o2")
    sidste = select(func.max(o2.c.sekvens)).where(o2.c.sag_id == o.c.sag_id).scalar_subquery()
    aktuel = {r.sag_id: r for r in conn.execute(
        select(o.c.sag_id, o.c.til, s.c.kommunekode).join_from(o, s, o.c.sag_id == s.c.sag_id)
        .where(o.c.sekvens == sidste, o.c.til.in_(LUKKEDE),
               o.c.sag_id.not_in(select(ss.c.sag_id)))).all()}
    lukket = dict(conn.execute(select(o.c.sag_id, func.min(o.c.dato)).where(o.c.til.in_(LUKKEDE))
                               .group_by(o.c.sag_id)).all())
    rows = [{"sag_id": sid, "kommunekode": int(r.kommunekode), "grund": r.til, "lukket": lukket[sid]}
            for sid, r in aktuel.items()]
    return ramme(rows, ["sag_id", "kommunekode", "grund", "lukket"])


def _aabne_krav(conn: Connection, sag_ids: set[str]) -> set[str]:
    """The cases whose current amounts (per ydelse, the last transition that registered amounts)
    hold a repayment claim above 0."""
    b = S.beloeb
    rows = conn.execute(select(b.c.sag_id, b.c.ydelse, b.c.overgang_id, b.c.tilbagebetalingskrav_oere)
                        .order_by(b.c.overgang_id)).all()
    sidste: dict[tuple, int | None] = {}
    for sid, ydelse, _oid, krav in rows:
        if sid in sag_ids:
            sidste[(sid, ydelse)] = krav
    return {sid for (sid, _), krav in sidste.items() if krav and int(krav) > 0}


def find(conn: Connection, dato: dt.date) -> tuple[pd.DataFrame, list[str]]:
    """The cases due for erasure on ``dato`` (sag_id, kommunekode, grund, lukket) and the due
    cases held back by an open repayment claim."""
    df = _lukninger(conn)
    if df.empty:
        return df, []
    frist = [plus_maaneder(r.lukket, 12 * aar(r.grund, r.kommunekode, dato)) for r in df.itertuples()]
    df = df.loc[[f <= dato for f in frist]]
    krav = _aabne_krav(conn, set(df["sag_id"]))
    return df.loc[~df["sag_id"].isin(krav)].sort_values("sag_id").reset_index(drop=True), sorted(krav)


def _oversigt(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=OVERSIGT)
    g = (df.assign(lukkeaar=[d.year for d in df["lukket"]]).groupby(["lukkeaar", "grund"]).size()
         .reset_index(name="antal"))
    return g[OVERSIGT].astype({"lukkeaar": int, "antal": int})


def tjek(conn: Connection) -> list[str]:
    """``slettede_sager`` against the chained ``sletninger``: every erased case must be listed in
    the sag_ids of its sletning, and every sag_id listed must be in ``slettede_sager`` (a row
    added by hand would let the triggers through). Danish sentences, sag_ids only."""
    ss = S.slettede_sager
    har = {(int(i), s) for s, i in conn.execute(select(ss.c.sag_id, ss.c.sletning_id)).all()}
    logget = {(int(i), s) for i, ids in conn.execute(select(S.sletninger.c.id, S.sletninger.c.sag_ids)).all()
              for s in json.loads(ids)}
    fejl = [f"slettede_sager: sag {s} står som slettet (sletning {i}), men er ikke med i sletningsloggen"
            for i, s in sorted(har - logget)]
    fejl += [f"sletninger: sag {s} er logget som slettet (sletning {i}), men mangler i slettede_sager"
             for i, s in sorted(logget - har)]
    return fejl


def slet(conn: Connection, aktoer: Aktoer, dato: dt.date, udfoer: bool = False) -> Sletning:
    """Find (and with ``udfoer`` erase, in ``conn``'s transaction) the personal data due on
    ``dato`` (see module doc)."""
    tjek_aktoer(aktoer)
    df, krav = find(conn, dato)
    res = Sletning(dato=dato, udfoert=udfoer, sag_ids=list(df["sag_id"]), oversigt=_oversigt(df),
                   holdes_tilbage=krav)
    if not udfoer or df.empty:
        return res
    oversigt = [{k: (int(v) if k != "grund" else v) for k, v in r.items()} for r in res.oversigt.to_dict("records")]
    raekke = dict(tid=logkaede.som_tid(nu()), bruger=aktoer.navn, dato=dato, antal=res.antal,
                  oversigt=til_json(oversigt), sag_ids=json.dumps(res.sag_ids), rolle=aktoer.rolle,
                  identitet=aktoer.identitet)
    [raekke] = logkaede.kaed(conn, "sletninger", [raekke])
    res.sletning_id = int(conn.execute(S.sletninger.insert().values(**raekke)).inserted_primary_key[0])
    conn.execute(S.slettede_sager.insert(), [{"sag_id": s, "sletning_id": res.sletning_id} for s in res.sag_ids])
    if pg_adgang.er_pg(conn):                   # the database erases (revision 0009's kontrol_slet)
        pg_adgang.slet(conn, res.sletning_id)
        return res
    u, s, n, r, o = S.udfald, S.sager, S.noter, S.sagsrelationer, S.overgange
    m = logkaede.SLETTET_FRITEKST
    for i in range(0, len(res.sag_ids), 500):
        del_ = res.sag_ids[i:i + 500]
        # the caseworkers' free text (revision 0013): notes, link reasons, typed reasons in overgange
        conn.execute(n.update().where(n.c.sag_id.in_(del_), n.c.tekst != m).values(tekst=m))
        conn.execute(r.update().where(r.c.sag_id.in_(del_) | r.c.relateret_sag_id.in_(del_), r.c.grund != m)
                     .values(grund=m))
        grund = func.json_extract(o.c.data, "$.grund")
        conn.execute(o.update().where(o.c.sag_id.in_(del_), grund.is_not(None), grund != m)
                     .values(data=func.json_set(o.c.data, "$.grund", m)))
        conn.execute(u.update().where(u.c.sag_id.in_(del_)).values(
            ym_cpr=SLETTET_CPR, person_cpr=SLETTET_CPR, oplysninger=SLETTET_TEKST,
            haendelse_id=u.c.ym_noegle + ":" + u.c.haendelse_noegle))
        conn.execute(s.update().where(s.c.sag_id.in_(del_), s.c.ym_cpr.is_not(None))
                     .values(ym_cpr=SLETTET_CPR, stamdata=None))
        conn.execute(s.update().where(s.c.sag_id.in_(del_), s.c.ym_cpr.is_(None), s.c.stamdata.is_not(None))
                     .values(stamdata=None))
    return res
