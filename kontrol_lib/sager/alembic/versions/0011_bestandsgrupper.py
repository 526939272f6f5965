"""The bestand's size per sex and age band, recorded at samkøring time (issue 17: fairness).

``bestandsgrupper``: one row per (run date, municipality, koen, aldersgruppe) with the number of
distinct ydelsesmodtagere in that day's bestand (aggregates only, never a CPR number). The
fairness measures of ``maal/regeleffekt.py`` divide exposures by the average of these counts over
the run dates of a period. Append-only like the log (UPDATE and DELETE refused as in revision
0003). PostgreSQL: SELECT for the five group roles, INSERT for ``kontrol_sagsbehandler`` (the
role the daily run acts in).

``sagsgrupper``: per case with a ydelsesmodtager, its sex and age band on the day it was created
(derived from the CPR number when the case is created, so the fairness measures never read a CPR
number: on PostgreSQL the application roles cannot, and ``kontrol slet`` erases it while the
published figures must stay the same). The existing cases are filled in here from ``sager.ym_cpr``
(the rules below are those of ``regelgrundlag`` when this revision was written, frozen).
Append-only; PostgreSQL: SELECT and INSERT for the five group roles (every role that creates cases).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
from __future__ import annotations

import datetime as dt

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
SAGSGRUPPER = "sagsgrupper"


def _koen(cpr) -> str:
    s = "" if cpr is None else str(cpr).replace("-", "")
    if len(s) != 10 or not s.isdigit():
        return "ukendt"
    return "mand" if int(s[9]) % 2 else "kvinde"


def _aldersgruppe(cpr, dato) -> str:
    s = "" if cpr is None else str(cpr).replace("-", "")
    if len(s) != 10 or not s.isdigit():
        return "ukendt"
    dd, mm, yy, d7 = int(s[0:2]), int(s[2:4]), int(s[4:6]), int(s[6])
    aar = 1900 if d7 <= 3 else (2000 if yy <= 36 else 1900) if d7 in (4, 9) else (2000 if yy <= 57 else 1800)
    try:
        foedt = dt.date(aar + yy, mm, dd)
    except ValueError:
        return "ukendt"
    alder = dato.year - foedt.year - ((dato.month, dato.day) < (foedt.month, foedt.day))
    for graense, navn in ((30, "under 30"), (40, "30-39"), (50, "40-49"), (60, "50-59")):
        if alder < graense:
            return navn
    return "60+"


def _besked(op_: str, tabel: str = TABEL) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


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
    op.create_table(
        SAGSGRUPPER,
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), primary_key=True),
        sa.Column("koen", sa.String(10), nullable=False),
        sa.Column("aldersgruppe", sa.String(10), nullable=False),
    )
    bind = op.get_bind()
    sager = sa.table("sager", sa.column("sag_id"), sa.column("ym_cpr"), sa.column("oprettet", sa.Date))
    rows = [{"sag_id": sid, "koen": _koen(cpr), "aldersgruppe": _aldersgruppe(cpr, oprettet)}
            for sid, cpr, oprettet in bind.execute(sa.select(sager.c.sag_id, sager.c.ym_cpr, sager.c.oprettet)
                                                   .where(sager.c.ym_cpr.is_not(None), sager.c.ym_cpr != ""))]
    if rows:
        tabel = sa.table(SAGSGRUPPER, sa.column("sag_id"), sa.column("koen"), sa.column("aldersgruppe"))
        bind.execute(tabel.insert(), rows)
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
        op.execute(f"CREATE TRIGGER {SAGSGRUPPER}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {SAGSGRUPPER} "
                   "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        op.execute(f"CREATE TRIGGER {SAGSGRUPPER}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {SAGSGRUPPER} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        op.execute(f"ALTER TABLE {SAGSGRUPPER} OWNER TO {EJER}")
        op.execute(f"GRANT SELECT, INSERT ON {SAGSGRUPPER} TO {', '.join(GRUPPER)}")
    else:
        for tabel in (TABEL, SAGSGRUPPER):
            for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
                op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                           f"BEGIN SELECT RAISE(ABORT, '{_besked(ord_, tabel)}'); END")


def downgrade() -> None:
    op.drop_table(SAGSGRUPPER)
    op.drop_table(TABEL)
