"""PostgreSQL: the database decides who can read what (spec/sikkerhed.md; revision 0005).

On PostgreSQL the application's logins are members of the group roles ``kontrol_<rolle>``
(:data:`GRUPPER`), which may INSERT and SELECT the log tables but not SELECT a CPR-bearing
column (:data:`CPR_KOLONNER`). CPR numbers are read only through revision 0005's SECURITY
DEFINER functions, which refuse a login that is not a member of ``kontrol_sagsbehandler`` and
write the ``visninger`` rows (hash-chained, naming ``session_user``) in the caller's
transaction. This module is the Python side of those functions; on SQLite none of it is used.

- :func:`vis_personer`: the lists' CPR numbers (``kontrol_vis_personer``);
- :func:`saml_kontrolark`: the kontrolark (``kontrol_kontrolark``: one ``visninger`` row);
- :func:`kendte_udfald`, :func:`fredningsperioder`, :func:`sager_for`: the daily run's fredning and
  case look-ups (revision 0008: by the keyed hashes the caller computes with the file key; they
  answer only for the hashes handed in and show nothing);
- :func:`indsigt_sager`: the cases of one CPR number (role ``tilsyn``);
- :func:`find_person`, :func:`dubletter`: the caseworker's person search and duplicate check
  (revision 0012; sag_ids only, the showing is logged by the caller);
- :func:`slet`: the erasure of personal data (revision 0009's ``kontrol_slet``; role administrator);
- :func:`analyse_sager`, :func:`analyse_udfald`: the analytiker's pseudonyms, computed by the
  database with the analysis key only ``kontrol_ejer`` can read (revision 0007; no key file);
- :func:`sagskolonner`: the ``sager`` columns a list may select (``ym_cpr`` as NULL on PostgreSQL);
- :func:`migrer_som_ejer` / :func:`efter_migrering`: schema changes run as ``kontrol_ejer``;
  :func:`tjek_login`: a login holding none of the store's roles is refused on opening.

A refusal by the database becomes :class:`~.roller.AdgangNaegtet` (Danish, without the
statement's parameters, which may hold CPR numbers).

The product's roles reach the database by themselves: a trigger on ``roller`` runs
``GRANT kontrol_<rolle> TO <person>`` (``REVOKE`` on ``fjern``) when a login role of that name
exists, so ``kontrol rolle --giv anna --rolle sagsbehandler`` also gives the login ``anna`` the
database role; :func:`synkroniser_roller` does it for grants made before the login existed.
:func:`db_roller` reads what a login holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import Connection, String, literal, text
from sqlalchemy.exc import DBAPIError

from kontrol_lib.sager import kontrolark
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.kontrolark import Kontrolark
from kontrol_lib.sager.roller import AdgangNaegtet, Aktoer, tjek_aktoer
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import LUKKEDE, ROLLER

EJER = "kontrol_ejer"
"""The NOLOGIN role that owns the store's tables and functions (schema changes run as it)."""
GRUPPER = {r: f"kontrol_{r}" for r in ROLLER}
"""The product's role → the database's NOLOGIN group role."""
CPR_KOLONNER = {"sager": ("ym_cpr", "stamdata"), "udfald": ("ym_cpr", "person_cpr", "oplysninger")}
"""The columns no application role may SELECT (read through the functions only)."""


NAEGTET = ("Adgang nægtet: dit databaselogin har ikke rollen sagsbehandler i databasen "
           "(kontrol_sagsbehandler), som kræves for at se CPR-numre. En administrator kan tildele den "
           "(kontrol rolle --giv). Intet er vist.")
NAEGTET_ANALYSE = ("Adgang nægtet: dit databaselogin har ikke rollen analytiker i databasen "
                   "(kontrol_analytiker), som kræves for at se pseudonymiserede data. En administrator kan "
                   "tildele den (kontrol rolle --giv). Intet er vist.")


def _kald(conn: Connection, sql: str, params: dict, naegtet: str = NAEGTET):
    """Run one of revision 0005's functions; a refusal by the database becomes a Danish
    :class:`~.roller.AdgangNaegtet` or :class:`KontrolFejl` without the statement's parameters
    (they may hold CPR numbers)."""
    try:
        return conn.execute(text(sql), params)
    except DBAPIError as e:
        tilstand = getattr(e.orig, "sqlstate", None)
        diag = getattr(e.orig, "diag", None)
        besked = getattr(diag, "message_primary", None) or ""
        if tilstand == "42501":
            egen = besked.startswith(("Adgang nægtet", "Du er logget ind"))
            raise AdgangNaegtet(besked if egen else naegtet) from None
        if tilstand == "22023" and besked:
            raise KontrolFejl(besked) from None
        raise KontrolFejl(f"Databasen afviste opslaget ({type(e.orig).__name__}); intet er vist") from None


def er_pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def sagskolonner(conn: Connection) -> list:
    """The columns of ``sager`` a list selects: every column but ``stamdata``; on PostgreSQL
    ``ym_cpr`` is selected as NULL (the column is not readable; the CPR number of a case shown is
    added by :func:`vis_personer`)."""
    ud = []
    for c in S.sager.c:
        if c.name == "stamdata":
            continue
        if c.name == "ym_cpr" and er_pg(conn):
            ud.append(literal(None, String(10)).label("ym_cpr"))
        else:
            ud.append(c)
    return ud


def vis_personer(conn: Connection, aktoer: Aktoer, sag_ids: list[str], hvad: str,
                 formaal: str) -> dict[str, str | None]:
    """sag_id → ym_cpr through ``kontrol_vis_personer``, which writes one ``visninger`` row per
    case (in ``sag_ids``' order) in this transaction."""
    tjek_aktoer(aktoer)
    ids = list(dict.fromkeys(sag_ids))
    if not ids:
        return {}
    rows = _kald(conn, "SELECT sag_id, ym_cpr FROM kontrol_vis_personer(CAST(:ids AS text[]), :hvad, :formaal, :rolle, "
                       ":identitet, :person)",
                 {"ids": ids, "hvad": hvad, "formaal": formaal, "rolle": aktoer.rolle,
                  "identitet": aktoer.identitet, "person": aktoer.navn}).all()
    cpr = dict(rows)
    return {s: cpr.get(s) for s in ids}


def _dato(v):
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def saml_kontrolark(lager, conn: Connection, aktoer: Aktoer, sag_id: str, formaal: str) -> Kontrolark:
    """The kontrolark of one case, its CPR-bearing parts through ``kontrol_kontrolark`` (which
    logs the one ``visninger`` row of the opening)."""
    tjek_aktoer(aktoer)
    data = _kald(conn, "SELECT kontrol_kontrolark(:sag_id, :formaal, :rolle, :identitet, :person)",
                 {"sag_id": sag_id, "formaal": formaal, "rolle": aktoer.rolle,
                  "identitet": aktoer.identitet, "person": aktoer.navn}).scalar()
    if data is None:
        raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
    if isinstance(data, str):
        data = json.loads(data)
    udfald = [dict(u, haendelsesdato=_dato(u["haendelsesdato"]), koersdato=_dato(u["koersdato"]))
              for u in data["udfald"]]
    return kontrolark.saml(lager, conn, sag_id,
                           {"ym_cpr": data["ym_cpr"], "stamdata": data["stamdata"], "udfald": udfald})


def kendte_udfald(conn: Connection, noegler: list[tuple]) -> set[tuple]:
    """Which of the keyed keys (ym_noegle, regel, haendelse_noegle) are already on a case
    (fredning; revision 0008's ``kontrol_kendte_fredning``: hashes in, hashes out)."""
    kendte: set[tuple] = set()
    for i in range(0, len(noegler), 1000):
        del_ = noegler[i:i + 1000]
        kendte |= set(map(tuple, _kald(
            conn, "SELECT ym_noegle, regel, haendelse_noegle FROM kontrol_kendte_fredning(CAST(:y AS text[]), "
            "CAST(:r AS text[]), CAST(:h AS text[]))",
            {"y": [str(k[0]) for k in del_], "r": [str(k[1]) for k in del_],
             "h": [str(k[2]) for k in del_]}).all()))
    return kendte


def fredningsperioder(conn: Connection, noegler: list[str]) -> list[tuple]:
    """(ym_noegle, dato, data) of the closing transitions of the kontroltrin 3 cases whose
    udfald carry these keyed hashes (revision 0008's ``kontrol_fredningsperioder_noegle``)."""
    ud: list[tuple] = []
    for i in range(0, len(noegler), 1000):
        ud += [tuple(r) for r in _kald(
            conn, "SELECT ym_noegle, dato, data FROM kontrol_fredningsperioder_noegle(CAST(:c AS text[]), "
            "CAST(:til AS text[]))", {"c": list(noegler[i:i + 1000]), "til": list(LUKKEDE)}).all()]
    return ud


def sager_for(conn: Connection, noegler: Iterable[str]) -> dict[str, str]:
    """sag_id → ym_noegle of the cases whose udfald carry one of these keyed hashes of the
    ydelsesmodtager (revision 0008's ``kontrol_sager_for_noegle``)."""
    noegler = sorted({str(c) for c in noegler})
    ud: dict[str, str] = {}
    for i in range(0, len(noegler), 1000):
        ud.update(_kald(conn, "SELECT sag_id, ym_noegle FROM kontrol_sager_for_noegle(CAST(:c AS text[]))",
                        {"c": noegler[i:i + 1000]}).all())
    return ud


def slet(conn: Connection, sletning_id: int) -> int:
    """Erase the cases of one ``sletninger`` row (revision 0009's ``kontrol_slet``; role
    administrator in the database). Returns the number of cases."""
    return int(_kald(conn, "SELECT kontrol_slet(CAST(:i AS bigint))", {"i": int(sletning_id)},
                     "Adgang nægtet: dit databaselogin har ikke rollen administrator i databasen "
                     "(kontrol_administrator), som kræves for at slette personoplysninger. Intet er slettet.").scalar())


def indsigt_sager(conn: Connection, cpr: str) -> set[str]:
    """The cases where ``cpr`` is the ydelsesmodtager, in an udfald or in the snapshot (role tilsyn)."""
    return set(_kald(conn, "SELECT * FROM kontrol_indsigt_sager(:c)", {"c": cpr}).scalars())


def find_person(conn: Connection, cpr: str) -> list[str]:
    """The cases whose ydelsesmodtager is ``cpr``, oldest first (revision 0012's
    ``kontrol_find_person``; role sagsbehandler; the caller logs what it shows)."""
    return list(_kald(conn, "SELECT * FROM kontrol_find_person(:c)", {"c": cpr}).scalars())


def dubletter(conn: Connection, sag_ids: list[str]) -> list[tuple[str, str]]:
    """(new case, other open case of the same person or company and ydelse) pairs (revision
    0012's ``kontrol_dubletter``; sag_ids only)."""
    return [tuple(r) for r in _kald(conn, "SELECT sag_id, dublet FROM kontrol_dubletter(CAST(:ids AS text[]))",
                                    {"ids": list(sag_ids)}).all()]


def analyse_sager(conn: Connection, kommune: int | None = None) -> dict[str, str | None]:
    """sag_id → ``ym_pseudonym`` of every case (of ``kommune``) through ``kontrol_analyse_sager``
    (revision 0007; role analytiker in the database)."""
    return dict(_kald(conn, "SELECT sag_id, ym_pseudonym FROM kontrol_analyse_sager(CAST(:k AS integer))",
                      {"k": None if kommune is None else int(kommune)}, NAEGTET_ANALYSE).all())


ANALYSE_UDFALD = ["sag_id", "ym_pseudonym", "person_pseudonym", "rolle", "regel", "regel_titel", "kontroltype",
                  "haendelsesdato", "haendelse_id", "kle", "kommunekode", "oplysninger", "koersdato"]
"""The columns ``kontrol_analyse_udfald`` returns (besides the row id it is ordered by)."""


def analyse_udfald(conn: Connection, kommune: int | None = None) -> list[dict]:
    """The udfald on the cases (of ``kommune``), pseudonymised by ``kontrol_analyse_udfald``
    (revision 0007; role analytiker in the database), in the order they were stored."""
    rows = _kald(conn, f"SELECT {', '.join(ANALYSE_UDFALD)} FROM kontrol_analyse_udfald(CAST(:k AS integer)) "
                       "ORDER BY id", {"k": None if kommune is None else int(kommune)}, NAEGTET_ANALYSE).mappings()
    return [dict(r) for r in rows]


def synkroniser_roller(conn: Connection) -> int:
    """Give every login named in ``roller`` exactly the database roles of its product roles now
    (``kontrol_synkroniser_roller``; administrator). Returns the number of GRANTs and REVOKEs."""
    if not er_pg(conn):
        return 0
    return int(_kald(conn, "SELECT kontrol_synkroniser_roller()", {}).scalar())


def db_roller(conn: Connection, login: str | None = None) -> set[str]:
    """The product roles whose group role the login (default: ``session_user``) is a member of."""
    if not er_pg(conn):
        return set()
    ud = set()
    for r, g in GRUPPER.items():
        har = conn.execute(text("SELECT to_regrole(:g) IS NOT NULL AND (SELECT pg_has_role(oid, :g, 'MEMBER') "
                                "FROM pg_roles WHERE rolname = coalesce(CAST(:l AS text), session_user::text))"),
                           {"g": g, "l": login}).scalar()
        if har:
            ud.add(r)
    return ud


def _ejer_af_lageret(conn: Connection) -> str | None:
    return conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                             "AND tablename = 'alembic_version'")).scalar()


def tjek_login(conn: Connection) -> None:
    """Before anything is read: a login holding none of the store's database roles (revision 0005
    and later) is refused in Danish (instead of the database's "permission denied")."""
    if not er_pg(conn) or _ejer_af_lageret(conn) != EJER:
        return
    har = conn.execute(text("SELECT bool_or(pg_has_role(session_user, r, 'MEMBER')) FROM unnest(CAST(:r AS text[])) r "
                            "WHERE to_regrole(r) IS NOT NULL"), {"r": [EJER, *GRUPPER.values()]}).scalar()
    if not har:
        login = conn.execute(text("SELECT session_user")).scalar()
        raise AdgangNaegtet(f"Adgang nægtet: databaselogin {login} har ingen af sagslagerets roller i databasen "
                            f"({', '.join(GRUPPER.values())}). En administrator kan tildele en rolle "
                            "(kontrol rolle --giv).")


def migrer_som_ejer(conn: Connection, afventer: list[str]) -> bool:
    """Before revisions ``afventer`` run: if the store's tables belong to ``kontrol_ejer``
    (revision 0005 and later), run them as it (``SET LOCAL ROLE``); a login that is not a
    member is refused. Returns whether the role was set (PostgreSQL only)."""
    if not er_pg(conn) or not afventer:
        return False
    if _ejer_af_lageret(conn) != EJER:
        return False
    if not conn.execute(text("SELECT pg_has_role(session_user, :e, 'MEMBER')"), {"e": EJER}).scalar():
        login = conn.execute(text("SELECT session_user")).scalar()
        raise KontrolFejl(
            f"Sagslageret skal opgraderes (skemaversion {', '.join(afventer)}), men databaselogin {login} "
            f"må ikke ændre skemaet: kun medlemmer af {EJER} (migreringslogin) må. Åbn lageret én gang "
            "med migreringslogin (se docs/drift.md, PostgreSQL-roller). Intet er ændret.")
    conn.execute(text(f"SET LOCAL ROLE {EJER}"))
    return True


def efter_migrering(conn: Connection) -> None:
    """After the revisions ran: back to the login's own role for the rest of the transaction."""
    if er_pg(conn):
        conn.execute(text("RESET ROLE"))
