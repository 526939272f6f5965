"""Erasure of the caseworkers' free text: ``kontrol slet`` also erases notes and reasons (issue 16).

1. The hash chains of ``overgange``, ``noter`` and ``sagsrelationer`` are verified in revision
   0012's form (``logkaede.FELTER_0012``); a broken chain stops the upgrade (an upgrade never
   launders an edit).
2. ``noter.tekst_sha256`` and ``sagsrelationer.grund_sha256`` (new columns) and, in
   ``overgange.data``, ``grund_sha256`` beside a typed reason (``grund``: reopening, a company
   case) hold the SHA-256 of the text; the three chains are recomputed in today's form
   (``logkaede.FELTER``), which hashes the digest instead of the text. The text can then be
   replaced by :data:`SLETTET_FRITEKST` and the chain still verifies.
3. The UPDATE triggers of the three tables let through exactly one update: the free text of an
   erased case (in ``slettede_sager``; for a link, either of its cases) replaced by
   :data:`SLETTET_FRITEKST`, every other column unchanged (for ``overgange``: ``data`` with only
   its ``grund`` replaced). SQLite: triggers with a WHEN clause. PostgreSQL: the trigger function
   ``kontrol_fritekst_vagt`` (as revision 0009's ``kontrol_sletning_vagt``: only ``kontrol_ejer``
   with the transaction-local setting ``kontrol.sletning``); DELETE and TRUNCATE stay refused.
4. PostgreSQL: revision 0009's ``kontrol_slet`` is renamed ``kontrol_slet_0009`` (EXECUTE: its
   owner only) and a new ``kontrol_slet(sletning_id)`` (same signature, grants and checks) calls it
   and then erases the free text of the same cases.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from kontrol_lib.sager import logkaede
from kontrol_lib.vokabular.fejl import KontrolFejl

# A released revision is never edited: a further change is a new revision.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
SOEGESTI = "pg_catalog, public, pg_temp"
SLETTET_FRITEKST = "Teksten er slettet efter opbevaringsfristen (kontrol slet)."
"""``logkaede.SLETTET_FRITEKST`` when this revision was written (frozen)."""
TABELLER = ("overgange", "noter", "sagsrelationer")
UAENDREDE = {
    "overgange": ("id", "sag_id", "sekvens", "tid", "dato", "bruger", "haendelse", "fra", "til", "forrige_hash",
                  "hash", "rolle", "identitet"),
    "noter": ("id", "tid", "bruger", "sag_id", "rolle", "identitet", "forrige_hash", "hash", "tekst_sha256"),
    "sagsrelationer": ("id", "tid", "bruger", "sag_id", "relateret_sag_id", "handling", "rolle", "identitet",
                       "forrige_hash", "hash", "grund_sha256"),
}
"""The columns an erasure leaves unchanged (frozen; a later revision adding a column recreates the triggers)."""
TYPER = {"sekvens": sa.Integer(), "tid": sa.DateTime(), "dato": sa.Date()}


def _besked(tabel: str, op_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def _tabel(navn: str, felter) -> sa.TableClause:
    return sa.table(navn, sa.column("id", sa.BigInteger()), *[sa.column(f, TYPER.get(f, sa.String())) for f in felter],
                    sa.column("forrige_hash", sa.String()), sa.column("hash", sa.String()))


def _slettet(*kolonner: str) -> str:
    return "EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id IN (" + ", ".join(f"OLD.{k}" for k in kolonner) + "))"


def _sqlite_vagt(tabel: str) -> str:
    uaendret = " AND ".join(f"NEW.{k} IS OLD.{k}" for k in UAENDREDE[tabel])
    if tabel == "overgange":
        fri = (f"json_extract(OLD.data, '$.grund') IS NOT NULL "
               f"AND NEW.data IS json_set(OLD.data, '$.grund', '{SLETTET_FRITEKST}') AND {_slettet('sag_id')}")
    elif tabel == "noter":
        fri = f"NEW.tekst = '{SLETTET_FRITEKST}' AND {_slettet('sag_id')}"
    else:
        fri = f"NEW.grund = '{SLETTET_FRITEKST}' AND {_slettet('sag_id', 'relateret_sag_id')}"
    return (f"CREATE TRIGGER {tabel}_kun_tilfoejelse_update BEFORE UPDATE ON {tabel} WHEN NOT ({uaendret} AND {fri}) "
            f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, 'ændres')}'); END")


PG_VAGT = f"""
CREATE FUNCTION kontrol_fritekst_vagt() RETURNS trigger LANGUAGE plpgsql SET search_path = {SOEGESTI} AS $$
BEGIN
    IF coalesce(current_setting('kontrol.sletning', true), '') = 'ja' AND current_user = '{EJER}' THEN
        IF TG_TABLE_NAME = 'noter' THEN
            IF (to_jsonb(NEW) - 'tekst') = (to_jsonb(OLD) - 'tekst') AND NEW.tekst = '{SLETTET_FRITEKST}'
               AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id) THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'sagsrelationer' THEN
            IF (to_jsonb(NEW) - 'grund') = (to_jsonb(OLD) - 'grund') AND NEW.grund = '{SLETTET_FRITEKST}'
               AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id IN (OLD.sag_id, OLD.relateret_sag_id)) THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'overgange' THEN
            IF (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data') AND (OLD.data::jsonb -> 'grund') IS NOT NULL
               AND NEW.data::jsonb = OLD.data::jsonb || jsonb_build_object('grund', '{SLETTET_FRITEKST}')
               AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id) THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'loggen kan kun tilføjes: % kan ikke ændres (rækker indsættes, men ændres og slettes aldrig)',
        TG_TABLE_NAME;
END
$$"""

PG_SLET = f"""
CREATE FUNCTION kontrol_slet(p_sletning_id bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
DECLARE
    n integer;
BEGIN
    n := kontrol_slet_0009(p_sletning_id);        -- checks the login and the cases, erases sager and udfald
    PERFORM set_config('kontrol.sletning', 'ja', true);
    UPDATE noter t SET tekst = '{SLETTET_FRITEKST}'
      FROM slettede_sager s WHERE s.sletning_id = p_sletning_id AND t.sag_id = s.sag_id
       AND t.tekst <> '{SLETTET_FRITEKST}';
    UPDATE sagsrelationer t SET grund = '{SLETTET_FRITEKST}'
     WHERE t.grund <> '{SLETTET_FRITEKST}'
       AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sletning_id = p_sletning_id
                   AND s.sag_id IN (t.sag_id, t.relateret_sag_id));
    UPDATE overgange t SET data = (t.data::jsonb || jsonb_build_object('grund', '{SLETTET_FRITEKST}'))::text
      FROM slettede_sager s WHERE s.sletning_id = p_sletning_id AND t.sag_id = s.sag_id
       AND (t.data::jsonb -> 'grund') IS NOT NULL AND (t.data::jsonb ->> 'grund') <> '{SLETTET_FRITEKST}';
    PERFORM set_config('kontrol.sletning', '', true);
    RETURN n;
END
$$"""


def _tjek_kaeder(conn) -> None:
    for navn in TABELLER:
        t = _tabel(navn, logkaede.FELTER_0012[navn])
        brud = logkaede.tjek(navn, conn.execute(sa.select(t).order_by(t.c.id)).mappings().all(),
                             logkaede.FELTER_0012)
        if brud is not None:
            raise KontrolFejl(f"Sagslageret kan ikke opgraderes, fordi loggen ikke er hel: {brud}. "
                              "Undersøg det (kontrol log --kontroller) og gendan fra en sikkerhedskopi")


def _kaed_igen(conn, navn: str, felter: dict | None) -> None:
    """Recompute ``navn``'s chain (``felter`` None: today's form); only changed rows are written."""
    t = _tabel(navn, (felter or logkaede.FELTER)[navn])
    forrige = logkaede.START
    for r in conn.execute(sa.select(t).order_by(t.c.id)).mappings().all():
        h = logkaede.beregn(navn, r, forrige, felter)
        if (r["forrige_hash"], r["hash"]) != (forrige, h):
            conn.execute(t.update().where(t.c.id == r["id"]).values(forrige_hash=forrige, hash=h))
        forrige = h


def _loeft(tabel: str, pg: bool) -> None:
    if pg:
        op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
    else:
        op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_update")


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    _tjek_kaeder(conn)
    op.add_column("noter", sa.Column("tekst_sha256", sa.String(64), nullable=True))
    op.add_column("sagsrelationer", sa.Column("grund_sha256", sa.String(64), nullable=True))
    for tabel in TABELLER:
        _loeft(tabel, pg)
    for navn, (felt, digest) in (("noter", ("tekst", "tekst_sha256")), ("sagsrelationer", ("grund", "grund_sha256"))):
        t = sa.table(navn, sa.column("id", sa.BigInteger()), sa.column(felt, sa.String()), sa.column(digest, sa.String()))
        for r in conn.execute(sa.select(t.c.id, t.c[felt])).all():
            conn.execute(t.update().where(t.c.id == r[0]).values(**{digest: logkaede.sha256(r[1])}))
    o = sa.table("overgange", sa.column("id", sa.BigInteger()), sa.column("data", sa.String()))
    for oid, data in conn.execute(sa.select(o.c.id, o.c.data).where(o.c.data.like('%"grund"%'))).all():
        d = json.loads(data)
        if isinstance(d, dict) and "grund" in d and "grund_sha256" not in d:    # (kept from before a downgrade)
            conn.execute(o.update().where(o.c.id == oid).values(data=logkaede.med_fritekst_hash(
                "overgange", {"data": data})["data"]))
    for tabel in TABELLER:
        _kaed_igen(conn, tabel, None)
    if pg:
        op.execute(PG_VAGT)
        op.execute(f"ALTER FUNCTION kontrol_fritekst_vagt() OWNER TO {EJER}")
        for tabel in TABELLER:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"CREATE TRIGGER {tabel}_sletning BEFORE UPDATE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_fritekst_vagt()")
        op.execute("ALTER FUNCTION kontrol_slet(bigint) RENAME TO kontrol_slet_0009")
        op.execute("REVOKE ALL ON FUNCTION kontrol_slet_0009(bigint) FROM PUBLIC, kontrol_administrator")
        op.execute(PG_SLET)
        op.execute(f"ALTER FUNCTION kontrol_slet(bigint) OWNER TO {EJER}")
        op.execute("REVOKE ALL ON FUNCTION kontrol_slet(bigint) FROM PUBLIC")
        op.execute("GRANT EXECUTE ON FUNCTION kontrol_slet(bigint) TO kontrol_administrator")
    else:
        for tabel in TABELLER:
            op.execute(_sqlite_vagt(tabel))


def downgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    if pg:
        op.execute("DROP FUNCTION kontrol_slet(bigint)")
        op.execute("ALTER FUNCTION kontrol_slet_0009(bigint) RENAME TO kontrol_slet")
        op.execute("GRANT EXECUTE ON FUNCTION kontrol_slet(bigint) TO kontrol_administrator")
        for tabel in TABELLER:
            op.execute(f"DROP TRIGGER {tabel}_sletning ON {tabel}")
    else:
        for tabel in TABELLER:
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_update")
    for tabel in TABELLER:       # an erased text stays erased; its row is chained in the old form again
        if pg:
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
    op.execute("ALTER TABLE noter DROP COLUMN tekst_sha256")
    op.execute("ALTER TABLE sagsrelationer DROP COLUMN grund_sha256")
    for tabel in TABELLER:
        _kaed_igen(conn, tabel, logkaede.FELTER_0012)
        if pg:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        else:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_update BEFORE UPDATE ON {tabel} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, 'ændres')}'); END")
    if pg:
        op.execute("DROP FUNCTION kontrol_fritekst_vagt()")
