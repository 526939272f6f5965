"""The caseworker's own tools on the case store (issue 16): person search, duplicate warnings,
notes, reopening, linked cases and company (CVR) cases.

Every function takes the store, an open write transaction and the :class:`~.roller.Aktoer` that
:meth:`~.lager.SagsLager.aktoer` returned (role ``sagsbehandler``); the store's methods of the
same names are the API (see docs/arbejdsgang.md, "Sagsbehandlerens værktøjer").

- **Person search** (:func:`find_person`): every case whose ydelsesmodtager is the CPR number
  (ten digits, a dash after the sixth allowed), open and closed, every kanal; the cases shown are
  logged (``visninger``, ``hvad = personsoegning``, with the purpose) in the same transaction.
  A CVR number (eight digits) finds the company cases (logged as ``virksomhedssoegning``).
  On PostgreSQL the CPR look-up is revision 0012's ``kontrol_find_person``.
- **Duplicates** (:func:`dubletter`): for new cases, the OTHER open cases of the same person (or
  company) and ydelse. A duplicate is a warning, never a refusal: the new case is stored, and
  the caller gets the pairs back (``dubletter`` in a result, :class:`DubletAdvarsel` through
  :mod:`warnings`), naming sag_ids only.
- **Notes** (:func:`skriv_note`, :func:`noter`): append-only, hash-chained (``noter``); a text
  with a CPR-shaped string (:data:`CPR_MOENSTER`) is refused with a Danish error. Reading the
  notes of a case is a showing (``hvad = noter``).
- **Reopening** (:func:`genaabn`): a closed case (not ``udloebet``) goes back to where it was
  closed from (``henlagt_i_visitering`` → ``bestilt``; ``henlagt_efter_partshoering`` and
  ``aendret_tildeling`` → ``partshoering``) with a reason; the case keeps counting in the year
  of its FIRST closing with the amounts it had then, and a new closing is a correction
  (spec/provenu.md, docs/provenu.md "Periods and corrections").
- **Links** (:func:`tilknyt`, :func:`relationer`): two cases linked (or a link removed) with a
  reason; the links in force are the fold of ``sagsrelationer`` in id order.
- **Company cases** (:func:`opret_virksomhedssag`): a virksomhedskontrol of a CVR number,
  kanal ``virksomhedskontrol``, created straight onto the prioriteringsliste (``bestilt``).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Connection, select

from kontrol_lib.sager import logkaede, pg_adgang
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import nu, ramme
from kontrol_lib.sager.roller import Aktoer, tjek_aktoer
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import (AABNE, AENDRET_TILDELING, BESTILT, HENLAGT_EFTER_PARTSHOERING,
                                         HENLAGT_I_VISITERING, KANAL_VIRKSOMHEDSKONTROL, MYNDIGHEDER, PARTSHOERING,
                                         UDLOEBET, YDELSER)

if TYPE_CHECKING:                                     # the store hands itself in; no import cycle
    from kontrol_lib.sager.lager import SagsLager

CPR_MOENSTER = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")
"""A CPR-shaped string in free text: DDMMÅÅ (day 01–31, month 01–12) and four digits, with or
without a dash or a space between, not part of a longer number."""

NOTE_MAKS = 4000
GRUND_MAKS = 200

GENAABN_TIL = {HENLAGT_I_VISITERING: BESTILT, HENLAGT_EFTER_PARTSHOERING: PARTSHOERING,
               AENDRET_TILDELING: PARTSHOERING}
"""Where a reopened case goes: back to the state it was closed from."""

TILKNYT, FJERN = "tilknyt", "fjern"

SOEGEKOLONNER = ["sag_id", "cpr", "cvr", "kanal", "kontroltrin", "ydelse", "status", "status_dato", "oprettet",
                 "udloebsdato", "kommunekode"]
NOTEKOLONNER = ["tid", "bruger", "rolle", "tekst"]
RELATIONSKOLONNER = ["sag_id", "grund", "tid", "bruger"]


class DubletAdvarsel(UserWarning):
    """A new case for a person (or company) and ydelse that already has an open case."""


# --------------------------------------------------------------------------- free text
def tjek_fritekst(tekst, felt: str, maks: int) -> str:
    """``tekst`` stripped; empty, too long or with a CPR-shaped string is refused (Danish, naming
    ``felt``; the text itself is never repeated in the error)."""
    t = "" if tekst is None else str(tekst).strip()
    if not t:
        raise KontrolFejl(f"{felt} er tom; skriv en tekst. Intet er gemt.")
    if len(t) > maks:
        raise KontrolFejl(f"{felt} er for lang ({len(t)} tegn; højst {maks}). Intet er gemt.")
    if CPR_MOENSTER.search(t):
        raise KontrolFejl(f"{felt} indeholder noget, der ligner et CPR-nummer (10 cifre, evt. med bindestreg). "
                          "CPR-numre må ikke skrives i fritekst; personen findes via CPR-feltet i personsøgningen. "
                          "Intet er gemt.")
    return t


def normaliser_cvr(cvr) -> str:
    """A CVR number: eight digits (spaces allowed between groups)."""
    c = str(cvr).strip().replace(" ", "")
    if len(c) != 8 or not c.isdigit():
        raise KontrolFejl("Et CVR-nummer har 8 cifre; det angivne har det ikke")
    return c


# --------------------------------------------------------------------------- search
def soegenoegle(soegning) -> tuple[str, str]:
    """("cvr", 8 digits) or ("cpr", the text as typed) for a search field: eight digits (spaces
    allowed) is a CVR number; anything else is read as a CPR number by the store."""
    s = "" if soegning is None else str(soegning).strip().replace(" ", "")
    if len(s) == 8 and s.isdigit():
        return "cvr", s
    return "cpr", str(soegning or "")


def find_person(lager: SagsLager, conn: Connection, aktoer: Aktoer, *, cpr: str | None = None,
                cvr: str | None = None, formaal: str) -> pd.DataFrame:
    """Every case of the person (``cpr``, ten digits) or company (``cvr``), open and closed,
    oldest first (:data:`SOEGEKOLONNER`); the cases shown are logged."""
    tjek_aktoer(aktoer)
    if cvr is not None:
        ids = list(conn.execute(select(S.sager.c.sag_id).where(S.sager.c.cvr == normaliser_cvr(cvr))
                                .order_by(S.sager.c.oprettet, S.sager.c.sag_id)).scalars())
        lager.vis_personer(conn, aktoer, ids, "virksomhedssoegning", formaal, vis_cpr=False)
        vist: dict = {}
    else:
        if pg_adgang.er_pg(conn):
            ids = list(pg_adgang.find_person(conn, cpr))
        else:
            ids = list(conn.execute(select(S.sager.c.sag_id).where(S.sager.c.ym_cpr == cpr)
                                    .order_by(S.sager.c.oprettet, S.sager.c.sag_id)).scalars())
        vist = lager.vis_personer(conn, aktoer, ids, "personsoegning", formaal)
    df = lager.aktuelle(conn)
    df = df[df["sag_id"].isin(ids)].copy()
    df["cpr"] = [vist.get(x) for x in df["sag_id"]]
    df = df.sort_values(["oprettet", "sag_id"]).reset_index(drop=True)
    return df[SOEGEKOLONNER]


# --------------------------------------------------------------------------- duplicates
def dubletter(conn: Connection, sag_ids) -> list[dict]:
    """For each of ``sag_ids``: the other OPEN cases of the same ydelsesmodtager (or company)
    and ydelse, as ``{"sag_id", "ydelse", "aabne": [sag_id, ...]}`` (only cases that have one).
    Cases among ``sag_ids`` are not duplicates of each other (one run or file may make several
    cases for a person on purpose, e.g. one per rule of a local list)."""
    ids = list(dict.fromkeys(sag_ids))
    if not ids:
        return []
    if pg_adgang.er_pg(conn):
        par = pg_adgang.dubletter(conn, ids)
    else:
        s, a, o = S.sager, S.sager.alias("a"), S.overgange
        sidste = (select(o.c.til).where(o.c.sag_id == a.c.sag_id).order_by(o.c.sekvens.desc()).limit(1)
                  .scalar_subquery())
        par = []
        for i in range(0, len(ids), 500):
            q = (select(s.c.sag_id, a.c.sag_id)
                 .join_from(s, a, (a.c.sag_id != s.c.sag_id) & (a.c.ydelse == s.c.ydelse)
                            & (((s.c.ym_cpr.is_not(None)) & (s.c.ym_cpr != "") & (a.c.ym_cpr == s.c.ym_cpr))
                               | ((s.c.cvr.is_not(None)) & (a.c.cvr == s.c.cvr))))
                 .where(s.c.sag_id.in_(ids[i:i + 500]), sidste.in_(list(AABNE))))
            par += [tuple(r) for r in conn.execute(q)]
    ydelse = dict(conn.execute(select(S.sager.c.sag_id, S.sager.c.ydelse).where(S.sager.c.sag_id.in_(ids))).all())
    ud: dict[str, list[str]] = {}
    for ny, gammel in sorted(par):
        if gammel not in ids:            # the cases of the same run or file are siblings, not duplicates
            ud.setdefault(ny, []).append(gammel)
    return [{"sag_id": k, "ydelse": ydelse.get(k), "aabne": v} for k, v in sorted(ud.items())]


def dubletbesked(d: list[dict]) -> str:
    """One Danish sentence per duplicate (sag_ids only, never a CPR number)."""
    return " ".join(f"Sag {x['sag_id']}: samme person og ydelse har allerede en åben sag "
                    f"({', '.join(x['aabne'])})." for x in d)


def advar(d: list[dict]) -> list[dict]:
    """Issue :class:`DubletAdvarsel` when there are duplicates; returns ``d``."""
    if d:
        warnings.warn(dubletbesked(d), DubletAdvarsel, stacklevel=3)
    return d


# --------------------------------------------------------------------------- notes
def skriv_note(conn: Connection, aktoer: Aktoer, sag_id: str, tekst: str) -> dict:
    """Append one note (hash-chained); returns the stored row (tid, bruger, rolle, tekst)."""
    tjek_aktoer(aktoer)
    t = tjek_fritekst(tekst, "Notatet", NOTE_MAKS)
    _findes(conn, sag_id)
    row = {"sag_id": sag_id, "tid": logkaede.som_tid(nu()), "bruger": aktoer.navn, "tekst": t,
           "rolle": aktoer.rolle, "identitet": aktoer.identitet}
    conn.execute(S.noter.insert(), logkaede.kaed(conn, "noter", [row]))
    return {k: row[k] for k in NOTEKOLONNER}


def noter(lager: SagsLager, conn: Connection, aktoer: Aktoer, sag_id: str, formaal: str) -> pd.DataFrame:
    """The notes of a case, oldest first (:data:`NOTEKOLONNER`); reading them is logged (when
    there are any)."""
    _findes(conn, sag_id)
    n = S.noter
    rows = [dict(r) for r in conn.execute(select(*[n.c[k] for k in NOTEKOLONNER]).where(n.c.sag_id == sag_id)
                                          .order_by(n.c.id)).mappings()]
    if rows:                             # a case without notes shows nothing: nothing to log
        lager.vis_personer(conn, aktoer, [sag_id], "noter", formaal, vis_cpr=False)
    return ramme(rows, NOTEKOLONNER)


# --------------------------------------------------------------------------- reopening
def genaabn(lager: SagsLager, conn: Connection, aktoer: Aktoer, sag_id: str, grund: str, dato: dt.date) -> str:
    """Reopen a closed case with a reason; returns the state it is reopened into."""
    g = tjek_fritekst(grund, "Begrundelsen for genåbning", GRUND_MAKS)
    last = lager.sidste_overgang(conn, sag_id)
    if last.til == UDLOEBET:
        raise KontrolFejl(f"Sagen {sag_id} er udløbet uden at være behandlet og kan ikke genåbnes; "
                          "opret en ny sag, hvis personen skal kontrolleres. Intet er ændret.")
    til = GENAABN_TIL.get(last.til)
    if til is None:
        raise KontrolFejl(f"Sagen {sag_id} er ikke afsluttet og kan derfor ikke genåbnes. Intet er ændret.")
    lager.overgang(conn, sag_id, "genaabn", til, aktoer, dato, {"grund": g, "lukket_som": last.til},
                   tuple(GENAABN_TIL), "genåbnes")
    return til


# --------------------------------------------------------------------------- links
def tilknyt(conn: Connection, aktoer: Aktoer, sag_id: str, relateret: str, grund: str,
            handling: str = TILKNYT) -> None:
    """Link two cases (``handling`` :data:`TILKNYT`) or remove their link (:data:`FJERN`)."""
    tjek_aktoer(aktoer)
    g = tjek_fritekst(grund, "Begrundelsen for sammenkædningen", GRUND_MAKS)
    if sag_id == relateret:
        raise KontrolFejl(f"Sagen {sag_id} kan ikke kædes sammen med sig selv")
    for s in (sag_id, relateret):
        _findes(conn, s)
    i_kraft = {r for r in _relationer(conn, sag_id)}
    if handling == TILKNYT and relateret in i_kraft:
        raise KontrolFejl(f"Sagerne {sag_id} og {relateret} er allerede kædet sammen. Intet er ændret.")
    if handling == FJERN and relateret not in i_kraft:
        raise KontrolFejl(f"Sagerne {sag_id} og {relateret} er ikke kædet sammen. Intet er ændret.")
    if handling not in (TILKNYT, FJERN):
        raise KontrolFejl(f"Ukendt handling '{handling}' (tilladt: {TILKNYT}, {FJERN})")
    row = {"sag_id": sag_id, "relateret_sag_id": relateret, "tid": logkaede.som_tid(nu()), "bruger": aktoer.navn,
           "handling": handling, "grund": g, "rolle": aktoer.rolle, "identitet": aktoer.identitet}
    conn.execute(S.sagsrelationer.insert(), logkaede.kaed(conn, "sagsrelationer", [row]))


def _relationer(conn: Connection, sag_id: str) -> dict[str, dict]:
    """The links of ``sag_id`` in force (either direction): other sag_id → the row that made it."""
    r = S.sagsrelationer
    i_kraft: dict[str, dict] = {}
    for row in conn.execute(select(r.c.sag_id, r.c.relateret_sag_id, r.c.handling, r.c.grund, r.c.tid, r.c.bruger)
                            .where((r.c.sag_id == sag_id) | (r.c.relateret_sag_id == sag_id))
                            .order_by(r.c.id)).mappings():
        anden = row["relateret_sag_id"] if row["sag_id"] == sag_id else row["sag_id"]
        if row["handling"] == TILKNYT:
            i_kraft[anden] = {"sag_id": anden, "grund": row["grund"], "tid": row["tid"], "bruger": row["bruger"]}
        else:
            i_kraft.pop(anden, None)
    return i_kraft


def relationer(conn: Connection, sag_id: str) -> pd.DataFrame:
    """The cases linked to ``sag_id`` now (:data:`RELATIONSKOLONNER`), by sag_id."""
    _findes(conn, sag_id)
    return ramme(sorted(_relationer(conn, sag_id).values(), key=lambda d: d["sag_id"]), RELATIONSKOLONNER)


# --------------------------------------------------------------------------- company cases
def opret_virksomhedssag(lager: SagsLager, conn: Connection, aktoer: Aktoer, cvr: str, kommunekode: int,
                         ydelse: str, myndighed: str, dato: dt.date, grund: str) -> str:
    """A new virksomhedskontrol of ``cvr`` (kanal :data:`KANAL_VIRKSOMHEDSKONTROL`, kontroltrin 1,
    no CPR), straight onto the prioriteringsliste (``bestilt``). Returns its sag_id."""
    tjek_aktoer(aktoer)
    c = normaliser_cvr(cvr)
    g = tjek_fritekst(grund, "Begrundelsen for sagen", GRUND_MAKS)
    if ydelse not in YDELSER:
        raise KontrolFejl(f"Ukendt ydelse '{ydelse}' (tilladt: {', '.join(YDELSER)})")
    if myndighed not in MYNDIGHEDER:
        raise KontrolFejl(f"Ukendt myndighed '{myndighed}' (tilladt: {', '.join(MYNDIGHEDER)})")
    k = int(kommunekode)
    if not 100 <= k <= 999:
        raise KontrolFejl(f"Kommunekoden skal have 3 cifre (ikke {kommunekode})")
    sag_id = lager.ny_sag(conn, kommunekode=k, kanal=KANAL_VIRKSOMHEDSKONTROL, kontroltrin=1, myndighed=myndighed,
                          paragraf11="nej", ydelse=ydelse, oprettet=dato, cvr=c, virksomhedskontrol="ja")
    lager.indsaet_overgang(conn, sag_id, 1, "opret", None, BESTILT, aktoer, dato, {"grund": g})
    return sag_id


def _findes(conn: Connection, sag_id: str) -> None:
    if conn.execute(select(S.sager.c.sag_id).where(S.sager.c.sag_id == sag_id)).first() is None:
        raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")


__all__ = ["CPR_MOENSTER", "DubletAdvarsel", "find_person", "dubletter", "skriv_note", "noter", "genaabn",
           "tilknyt", "relationer", "opret_virksomhedssag", "tjek_fritekst", "normaliser_cvr"]
