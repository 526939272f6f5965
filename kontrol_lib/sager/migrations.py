"""Versioned schema migrations of the case store (Alembic).

The migrations are Alembic revisions in the package folder ``alembic/versions`` (``env.py`` and
the revision template next to it); Alembic is configured here, from Python, so no alembic.ini is
needed. Opening a store (:class:`~.lager.SagsLager`) calls :func:`migrer`, which upgrades it to
the newest revision in the store's own transaction: everything or nothing, one migrator at a time
(a transaction-level advisory lock on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises).
Alembic records the revision in ``alembic_version``. On PostgreSQL, once revision 0005 has handed
the tables to the owner role ``kontrol_ejer``, later revisions run under ``SET LOCAL ROLE
kontrol_ejer``: only a login that is a member of it (the migration login) can upgrade a store;
another login that finds revisions pending is refused (see :mod:`.pg_adgang`, docs/drift.md).

Revision 0001 is frozen as the schema that was first released. A store of that release (before
Alembic) has the table ``skema_version`` with the row ``version = 1`` and no ``alembic_version``:
it is stamped at 0001 and then upgraded like any other store; revision 0002 drops
``skema_version``, so old and new stores end up with the same tables.

A released revision is never edited: a schema change is a new revision (see docs/arbejdsgang.md)
plus the matching change to :mod:`.schema`; the tests check that a migrated store has exactly
the schema :mod:`.schema` declares (:func:`skema_afvigelser`). Developers create revisions with
``python -m kontrol_lib.sager.alembic_kommando revision -m "..."`` (Alembic's command line
with this configuration).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, inspect, text

from kontrol_lib.sager import pg_adgang, schema
from kontrol_lib.vokabular.fejl import KontrolFejl

SCRIPT_LOCATION = Path(__file__).resolve().parent / "alembic"
"""The Alembic folder (env.py, script.py.mako, versions/). Tests point it at a copy."""

FOERSTE = "0001"
"""The revision of the schema first released (the store with ``skema_version`` row 1)."""

_PG_LAAS = 4201       # advisory lock key of the migrator (the same as before Alembic)

# Alembic's ``context`` and ``op`` are module-level proxies, installed for the duration of one
# command: two threads of one process must not run a command at the same time (the database
# locks serialise processes, this serialises threads).
_TRAAD_LAAS = threading.Lock()


def alembic_config(script_location: str | os.PathLike | None = None) -> Config:
    """Alembic's configuration of the case store, without an ini file."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or SCRIPT_LOCATION))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.set_main_option("truncate_slug_length", "40")
    return cfg


def seneste(script_location: str | os.PathLike | None = None) -> str:
    """The newest revision (the head)."""
    return ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()


def __getattr__(name: str):
    # SENESTE: the newest revision, read from the versions folder when asked for
    if name == "SENESTE":
        return seneste()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def migrer(conn: Connection) -> list[str]:
    """Upgrade the store on ``conn`` to the newest revision, inside the caller's transaction.
    Returns the revisions applied (empty when it was up to date; a store of the previous release
    is stamped at 0001 first, which is not counted)."""
    cfg = alembic_config()
    applied: list[str] = []
    cfg.attributes["connection"] = conn
    cfg.attributes["on_version_apply"] = [lambda step, **_: applied.append(step.up_revision_id)]
    with _TRAAD_LAAS:
        command.upgrade(cfg, "head")
    pg_adgang.efter_migrering(conn)          # the rest of the transaction as the login itself
    return applied


def forbered(conn: Connection, script: ScriptDirectory) -> None:
    """Called by env.py before Alembic looks at the store: take the migrator's lock, and stamp a
    store of the previous release at 0001. Refuses, in Danish, a store whose version this program
    does not know and tables without any version."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LAAS})
        pg_adgang.tjek_login(conn)           # revision 0005 on: a login without any store role is refused
    mc = MigrationContext.configure(conn)
    heads = mc.get_current_heads()
    if heads:
        kendte = {s.revision for s in script.walk_revisions()}
        ukendte = sorted(set(heads) - kendte)
        if ukendte:
            raise KontrolFejl(
                f"Sagslageret har skemaversion {', '.join(ukendte)}, som dette program ikke kender "
                f"(nyeste kendte er {script.get_current_head()}). Det er formentlig oprettet af en "
                "nyere version af programmet: opdatér programmet. Intet er ændret.")
        if script.get_current_head() not in heads:
            # PostgreSQL, revision 0005 on: schema changes run as the owner role (pg_adgang)
            pg_adgang.migrer_som_ejer(conn, [script.get_current_head()])
        return
    insp = inspect(conn)
    if insp.has_table("skema_version"):
        versions = sorted(r[0] for r in conn.execute(text("SELECT version FROM skema_version")))
        if versions != [1]:
            raise KontrolFejl(f"Sagslageret har en ukendt skemaversion i skema_version ({versions}); "
                              "det kan ikke opgraderes automatisk. Intet er ændret.")
        mc.stamp(script, FOERSTE)          # the previous release's store is revision 0001
        return
    fremmede = sorted(set(insp.get_table_names()) & {t.name for t in schema.TABELLER})
    if fremmede:
        raise KontrolFejl(f"Databasen har allerede tabellerne {', '.join(fremmede)}, men ingen "
                          "skemaversion (hverken alembic_version eller skema_version), så det kan "
                          "ikke afgøres, hvilket skema den har. Intet er ændret.")


def skema_afvigelser(conn: Connection, metadata: MetaData | None = None) -> list[str]:
    """Differences between the migrated database and :mod:`.schema` (or ``metadata``): tables,
    columns, types, nullability, server defaults, keys, indexes and constraints, as Alembic's
    autogenerate sees them (empty = they agree)."""
    mc = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
    diff = compare_metadata(mc, metadata if metadata is not None else schema.metadata)
    out = []
    for op in diff:
        for o in (op if isinstance(op, list) else [op]):      # column changes come grouped
            out.append(_beskriv(o))
    return out


_TING = {"index": "indekset", "fk": "fremmednøglen", "constraint": "begrænsningen"}


def _beskriv(op: tuple) -> str:
    """One difference from compare_metadata in Danish ("add_*": the database lacks what
    schema.py declares; "remove_*": the database has what schema.py does not declare)."""
    kind = op[0]
    if kind.startswith("modify_"):
        _, _, tabel, kolonne, _, har, forventer = op
        return f"{tabel}.{kolonne}: {kind[len('modify_'):]} er {har!r}, forventer {forventer!r}"
    handling, _, ting = kind.partition("_")
    if ting == "table":
        hvad = f"tabellen {op[1].name}"
    elif ting == "column":
        hvad = f"{op[2]}: kolonnen {op[3].name}"
    else:
        obj = op[1]
        try:
            kolonner = ", ".join(c.name for c in obj.columns)
            hvad = f"{obj.table.name}: {_TING.get(ting, ting)} {obj.name or 'uden navn'} ({kolonner})"
        except AttributeError:                        # pragma: no cover - a kind not seen here
            hvad = f"{kind} {op[1:]!r}"
    if handling == "add":
        return f"{hvad} mangler"
    if handling == "remove":
        return f"{hvad} findes, men er ikke i schema.py"
    return f"{kind}: {hvad}"                          # pragma: no cover
