"""Roles in the case store (``spec/sikkerhed.md``, Roles): who may do what.

The roles are the log table ``roller``: one row per grant (``giv``) or revocation (``fjern``),
chained like the other log tables; a person's roles are the fold of their rows in id order.
Every entry point asks :meth:`~kontrol_lib.sager.lager.SagsLager.aktoer` for the acting person in
one of the roles the action needs; a refusal is a Danish sentence naming the role, and is logged
in ``afvisninger`` (in its own transaction, so it stays when the action does not happen).

A store created by a person (not a test/demo store) starts with that person as its
``administrator`` (logged as a grant by themselves). In a test/demo store every test identity
holds every role until the store's first grant; from then on roles are enforced there too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, select

from kontrol_lib.sager import logkaede
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import nu, ramme
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import ROLLER

GIV, FJERN = "giv", "fjern"


class AdgangNaegtet(KontrolFejl):
    """The person lacks the role an action needs (the message names it)."""


@dataclass(frozen=True)
class Aktoer:
    """The person acting, authenticated (``identitet``: where the identity came from) and
    authorised (``rolle``: the role the action is done in). Only
    :meth:`~kontrol_lib.sager.lager.SagsLager.aktoer` makes one; the store's write paths take
    nothing else."""
    navn: str
    identitet: str
    rolle: str


def tjek_aktoer(aktoer) -> Aktoer:
    if not isinstance(aktoer, Aktoer):
        raise TypeError("registreringer kræver en Aktoer fra SagsLager.aktoer(), ikke et navn")
    return aktoer


def tjek_roller(roller: Iterable[str]) -> list[str]:
    ud = []
    for r in roller:
        r = str(r).strip()
        if r not in ROLLER:
            raise KontrolFejl(f"Ukendt rolle '{r}' (tilladt: {', '.join(ROLLER)})")
        if r not in ud:
            ud.append(r)
    if not ud:
        raise KontrolFejl(f"Angiv mindst én rolle ({', '.join(ROLLER)})")
    return ud


def har_tildelinger(conn: Connection) -> bool:
    return conn.execute(select(S.roller.c.id).limit(1)).first() is not None


def roller_for(conn: Connection, navn: str) -> set[str]:
    """The roles ``navn`` holds now."""
    har: set[str] = set()
    for rolle, handling in conn.execute(select(S.roller.c.rolle, S.roller.c.handling)
                                        .where(S.roller.c.person == navn).order_by(S.roller.c.id)):
        (har.add if handling == GIV else har.discard)(rolle)
    return har


def skriv(conn: Connection, af: str, identitet: str, person: str, roller: Iterable[str], handling: str) -> int:
    """Append grants or revocations (chained). Returns the number of rows written."""
    t = nu()
    rows = [{"tid": t, "af": af, "person": person, "rolle": r, "handling": handling, "identitet": identitet}
            for r in roller]
    if rows:
        conn.execute(S.roller.insert(), logkaede.kaed(conn, "roller", rows))
    return len(rows)


def oversigt(conn: Connection) -> pd.DataFrame:
    """Every person with the roles they hold now (person, roller), sorted by person."""
    har: dict[str, set[str]] = {}
    for person, rolle, handling in conn.execute(select(S.roller.c.person, S.roller.c.rolle, S.roller.c.handling)
                                                .order_by(S.roller.c.id)):
        (har.setdefault(person, set()).add if handling == GIV else har.setdefault(person, set()).discard)(rolle)
    rows = [{"person": p, "roller": ", ".join(r for r in ROLLER if r in rs)} for p, rs in sorted(har.items()) if rs]
    return ramme(rows, ["person", "roller"])


def log_afvisning(conn: Connection, navn: str, identitet: str, hvad: str, roller: Iterable[str]) -> None:
    row = {"tid": nu(), "bruger": navn, "handling": hvad[:100], "rolle": " eller ".join(roller)[:100],
           "identitet": identitet}
    conn.execute(S.afvisninger.insert(), logkaede.kaed(conn, "afvisninger", [row]))


def afvisningstekst(navn: str, roller: Iterable[str], hvad: str) -> str:
    krav = " eller ".join(roller)
    return (f"Adgang nægtet: {navn} har ikke rollen {krav}, som kræves for at {hvad}. "
            "En administrator kan tildele rollen (kontrol rolle --giv). Forsøget er logget.")
