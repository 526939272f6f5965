"""A register of the product's own files with personal data, so ``kontrol slet`` erases them too
(spec/sikkerhed.md, issue 13).

1. ``filer``: every file the product wrote with personal data (kontrolark, the
   prioriteringsliste and feedbackliste as CSV, a citizen's indsigt): when, who, in which role,
   what, the absolute path, the SHA-256 of the content as written and the sag_ids in it (never a
   CPR number), hash-chained (``logkaede.FELTER["filer"]``).
2. ``filsletninger``: each registered file that ``kontrol slet --udfoer`` erased (``slettet``) or
   found already gone (``mangler``), hash-chained. A file with a row here is done.
Both append-only (UPDATE and DELETE refused as in revision 0003). PostgreSQL: owner
``kontrol_ejer``; SELECT for the five group roles; INSERT on ``filer`` for the five (each writes
files), on ``filsletninger`` for ``kontrol_administrator`` only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A released revision is never edited: a further change is a new revision.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
GRUPPER = tuple(f"kontrol_{r}" for r in ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"))
NYE_TABELLER = ("filer", "filsletninger")
SKRIVERE = {"filer": GRUPPER, "filsletninger": ("kontrol_administrator",)}


def _besked(tabel: str, op_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True)


def upgrade() -> None:
    pg = op.get_context().dialect.name == "postgresql"
    op.create_table(
        "filer", _id(),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("hvad", sa.String(40), nullable=False),
        sa.Column("sti", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sag_ids", sa.Text, nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_table(
        "filsletninger", _id(),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("fil_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("filer.id"),
                  nullable=False),
        sa.Column("resultat", sa.String(20), nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_index("ix_filsletninger_fil", "filsletninger", ["fil_id"])
    if pg:
        for tabel in NYE_TABELLER:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {tabel} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"ALTER TABLE {tabel} OWNER TO {EJER}")
            op.execute(f"GRANT SELECT ON {tabel} TO {', '.join(GRUPPER)}")
            op.execute(f"GRANT INSERT ON {tabel} TO {', '.join(SKRIVERE[tabel])}")
            sekvens = op.get_bind().exec_driver_sql(f"SELECT pg_get_serial_sequence('{tabel}', 'id')").scalar()
            op.execute(f"GRANT USAGE ON SEQUENCE {sekvens} TO {', '.join(SKRIVERE[tabel])}")
    else:
        for tabel in NYE_TABELLER:
            for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
                op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                           f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, ord_)}'); END")


def downgrade() -> None:
    op.drop_index("ix_filsletninger_fil", "filsletninger")
    op.drop_table("filsletninger")
    op.drop_table("filer")
