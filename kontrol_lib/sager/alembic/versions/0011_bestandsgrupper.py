"""The bestand's size per sex and age band, recorded at samkøring time (issue 17: fairness).

``bestandsgrupper``: one row per (run date, municipality, koen, aldersgruppe) with the number of
distinct ydelsesmodtagere in that day's bestand (aggregates only, never a CPR number). The
fairness measures of ``maal/regeleffekt.py`` divide exposures by the average of these counts over
the run dates of a period. Append-only like the log (UPDATE and DELETE refused as in revision
0003). PostgreSQL: SELECT for the five group roles, INSERT for ``kontrol_sagsbehandler`` (the
role the daily run acts in).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A released revision is never edited: a further change is a new revision.
# (Written on a branch beside 0010-0012: at merge down_revision becomes the last of those.)
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
GRUPPER = tuple(f"kontrol_{r}" for r in ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"))
TABEL = "bestandsgrupper"


def _besked(op_: str) -> str:
    return f"loggen kan kun tilføjes: {TABEL} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def upgrade() -> None:
    op.create_table(
        TABEL,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("koersdato", sa.Date, nullable=False),
        sa.Column("kommunekode", sa.Integer, nullable=False),
        sa.Column("koen", sa.String(10), nullable=False),
        sa.Column("aldersgruppe", sa.String(10), nullable=False),
        sa.Column("antal", sa.Integer, nullable=False),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.UniqueConstraint("koersdato", "kommunekode", "koen", "aldersgruppe", name="uq_bestandsgrupper"),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {TABEL}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {TABEL} "
                   "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        op.execute(f"CREATE TRIGGER {TABEL}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {TABEL} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        op.execute(f"ALTER TABLE {TABEL} OWNER TO {EJER}")
        op.execute(f"GRANT SELECT ON {TABEL} TO {', '.join(GRUPPER)}")
        op.execute(f"GRANT INSERT ON {TABEL} TO kontrol_sagsbehandler")
        op.execute("GRANT USAGE ON SEQUENCE " + op.get_bind().exec_driver_sql(
            f"SELECT pg_get_serial_sequence('{TABEL}', 'id')").scalar() + " TO kontrol_sagsbehandler")
    else:
        for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
            op.execute(f"CREATE TRIGGER {TABEL}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {TABEL} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(ord_)}'); END")


def downgrade() -> None:
    op.drop_table(TABEL)
