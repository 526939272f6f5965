"""The log enforced by the database: triggers refuse UPDATE and DELETE, and a hash chain.

1. ``overgange`` and ``visninger`` get ``forrige_hash`` and ``hash`` (see ``logkaede``); the rows a
   store already holds get their chain computed here, in id order (a one-off backfill, done
   before the triggers exist).
2. Triggers on ``sager``, ``overgange``, ``udfald``, ``beloeb`` and ``visninger`` make every
   UPDATE and DELETE fail with "loggen kan kun tilføjes: ..." (SQLite: ``RAISE(ABORT, ...)``;
   PostgreSQL: one plpgsql function, row triggers for UPDATE/DELETE and a statement trigger for
   TRUNCATE). The code only ever inserts into these tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kontrol_lib.sager import logkaede

# A released revision is never edited: a further change is a new revision.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABELLER = ("sager", "overgange", "udfald", "beloeb", "visninger")
KAEDER = {
    "overgange": sa.table("overgange", sa.column("id", sa.BigInteger()), sa.column("sag_id", sa.String()),
                          sa.column("sekvens", sa.Integer()), sa.column("tid", sa.DateTime()),
                          sa.column("dato", sa.Date()), sa.column("bruger", sa.String()),
                          sa.column("haendelse", sa.String()), sa.column("fra", sa.String()),
                          sa.column("til", sa.String()), sa.column("data", sa.Text()),
                          sa.column("forrige_hash", sa.String()), sa.column("hash", sa.String())),
    "visninger": sa.table("visninger", sa.column("id", sa.BigInteger()), sa.column("tid", sa.DateTime()),
                          sa.column("bruger", sa.String()), sa.column("sag_id", sa.String()),
                          sa.column("hvad", sa.String()),
                          sa.column("forrige_hash", sa.String()), sa.column("hash", sa.String())),
}
PG_FUNKTION = "kontrol_log_kun_tilfoejelse"


def _besked(tabel: str, op_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def upgrade() -> None:
    for navn, t in KAEDER.items():
        op.add_column(navn, sa.Column("forrige_hash", sa.String(64), nullable=True))
        op.add_column(navn, sa.Column("hash", sa.String(64), nullable=True))
        _backfill(t)
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {PG_FUNKTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'loggen kan kun tilføjes: % kan ikke % (rækker indsættes, men ændres og slettes aldrig)',
                    TG_TABLE_NAME, CASE TG_OP WHEN 'UPDATE' THEN 'ændres' WHEN 'DELETE' THEN 'slettes'
                                               ELSE 'tømmes' END;
            END
            $$""")
        for tabel in TABELLER:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNKTION}()")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {tabel} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNKTION}()")
    else:
        for tabel in TABELLER:
            for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
                op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                           f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, ord_)}'); END")


def _backfill(t: sa.TableClause) -> None:
    conn = op.get_bind()
    felter = logkaede.FELTER_0003[t.name]
    forrige = logkaede.START
    for r in conn.execute(sa.select(t.c.id, *[t.c[f] for f in felter]).order_by(t.c.id)).mappings().all():
        h = logkaede.beregn(t.name, r, forrige, logkaede.FELTER_0003)
        conn.execute(t.update().where(t.c.id == r["id"]).values(forrige_hash=forrige, hash=h))
        forrige = h


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for tabel in TABELLER:
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_truncate ON {tabel}")
        op.execute(f"DROP FUNCTION {PG_FUNKTION}()")
    else:
        for tabel in TABELLER:
            for sql_op in ("update", "delete"):
                op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_{sql_op}")
    for navn in KAEDER:
        for kolonne in ("hash", "forrige_hash"):
            # SQLite (3.35+) drops a column in place: a batch table copy would drop overgange,
            # which udfald and beloeb refer to, and fail on the foreign keys
            op.execute(f"ALTER TABLE {navn} DROP COLUMN {kolonne}")
