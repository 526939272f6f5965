"""Versioned schema migrations of the case store.

``MIGRATIONS`` is an ordered list of ``(version, beskrivelse, function(connection))``. Opening a
store runs, in one transaction and under a lock, every migration whose version is not yet in
``skema_version``. A released migration is never edited: a schema change appends a new version
(ALTER TABLE ... on both databases) and updates :mod:`.schema` to match; the tests check that a
migrated store has exactly the tables and columns :mod:`.schema` declares.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, inspect, select, text

from kontrol_lib.sager import schema


def _v1(conn: Connection) -> None:
    # Version 1 is the schema as first released: the tables of schema.py at that version.
    schema.metadata.create_all(conn, tables=list(schema.TABELLER))


MIGRATIONS = [
    (1, "sager, overgange, udfald, beloeb, visninger", _v1),
]

SENESTE = MIGRATIONS[-1][0]


def migrer(conn: Connection) -> list[int]:
    """Run the pending migrations on ``conn`` (inside the caller's transaction). Returns the
    versions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(4201)"))   # one migrator at a time
    schema.skema_version.create(conn, checkfirst=True)
    done = {r[0] for r in conn.execute(select(schema.skema_version.c.version))}
    applied = []
    for version, beskrivelse, fn in MIGRATIONS:
        if version in done:
            continue
        fn(conn)
        conn.execute(schema.skema_version.insert().values(
            version=version, anvendt=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
            beskrivelse=beskrivelse))
        applied.append(version)
    return applied


def skema_afvigelser(conn: Connection) -> list[str]:
    """Differences between the migrated database and :mod:`.schema` (empty = they agree)."""
    insp = inspect(conn)
    out = []
    for t in (schema.skema_version, *schema.TABELLER):
        if not insp.has_table(t.name):
            out.append(f"tabellen {t.name} mangler")
            continue
        have = {c["name"] for c in insp.get_columns(t.name)}
        want = {c.name for c in t.columns}
        if have != want:
            out.append(f"{t.name}: har {sorted(have)}, forventer {sorted(want)}")
    return out
