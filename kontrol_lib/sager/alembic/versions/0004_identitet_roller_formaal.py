"""Identity, roles and purposes in the log (spec/sikkerhed.md).

1. The hash chains of ``overgange`` and ``visninger`` are verified in revision 0003's form
   (``logkaede.FELTER_0003``); a broken chain stops the upgrade (a store that was tampered with
   is not re-chained, so the upgrade never launders an edit).
2. ``overgange`` gets ``rolle`` and ``identitet``; ``visninger`` gets ``formaal``, ``rolle`` and
   ``identitet`` (NULL for the rows written before: they were not recorded).
3. Both chains are recomputed in the new form (``logkaede.FELTER``), with the UPDATE trigger
   lifted for the recomputation only.
4. New tables ``lager`` (who created the store, test/demo store or not), ``roller`` (the log of
   granted and revoked roles) and ``afvisninger`` (refused actions), with the same triggers
   against UPDATE and DELETE (and TRUNCATE on PostgreSQL) as revision 0003's tables.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kontrol_lib.sager import logkaede
from kontrol_lib.vokabular.fejl import KontrolFejl

# A released revision is never edited: a further change is a new revision.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PG_FUNKTION = "kontrol_log_kun_tilfoejelse"          # created by revision 0003
NYE_TABELLER = ("lager", "roller", "afvisninger")
NYE_KOLONNER = {"overgange": ("rolle", "identitet"), "visninger": ("formaal", "rolle", "identitet")}


# the hashed fields are read with their types, as revision 0003 read them (SQLite hands back text)
TYPER = {"sekvens": sa.Integer(), "tid": sa.DateTime(), "dato": sa.Date()}


def _tabel(navn: str, felter) -> sa.TableClause:
    return sa.table(navn, sa.column("id", sa.BigInteger()), *[sa.column(f, TYPER.get(f, sa.String())) for f in felter],
                    sa.column("forrige_hash", sa.String()), sa.column("hash", sa.String()))


def _besked(tabel: str, ord_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {ord_} (rækker indsættes, men ændres og slettes aldrig)"


def _triggere(tabel: str, pg: bool) -> None:
    if pg:
        op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                   f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNKTION}()")
        op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {tabel} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNKTION}()")
    else:
        for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, ord_)}'); END")


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    for navn in NYE_KOLONNER:
        t = _tabel(navn, logkaede.FELTER_0003[navn])
        raekker = conn.execute(sa.select(t).order_by(t.c.id)).mappings().all()
        brud = logkaede.tjek(navn, raekker, logkaede.FELTER_0003)
        if brud is not None:
            raise KontrolFejl(f"Sagslageret kan ikke opgraderes, fordi loggen ikke er hel: {brud}. "
                              "Undersøg det (kontrol log --kontroller) og gendan fra en sikkerhedskopi")
    for navn, kolonner in NYE_KOLONNER.items():
        for k in kolonner:
            op.add_column(navn, sa.Column(k, sa.String(20), nullable=True))
        if pg:
            op.execute(f"ALTER TABLE {navn} DISABLE TRIGGER {navn}_kun_tilfoejelse")
        else:
            op.execute(f"DROP TRIGGER {navn}_kun_tilfoejelse_update")
        t = _tabel(navn, logkaede.FELTER[navn])
        forrige = logkaede.START
        for r in conn.execute(sa.select(t).order_by(t.c.id)).mappings().all():
            h = logkaede.beregn(navn, r, forrige)
            conn.execute(t.update().where(t.c.id == r["id"]).values(forrige_hash=forrige, hash=h))
            forrige = h
        if pg:
            op.execute(f"ALTER TABLE {navn} ENABLE TRIGGER {navn}_kun_tilfoejelse")
        else:
            op.execute(f"CREATE TRIGGER {navn}_kun_tilfoejelse_update BEFORE UPDATE ON {navn} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(navn, 'ændres')}'); END")
    op.create_index("ix_visninger_bruger", "visninger", ["bruger"])
    id_type = sa.BigInteger().with_variant(sa.Integer, "sqlite")
    op.create_table(
        "lager",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("oprettet_af", sa.String(100), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("testlager", sa.Integer, nullable=False),
    )
    op.create_table(
        "roller",
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("af", sa.String(100), nullable=False),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("handling", sa.String(10), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_index("ix_roller_person", "roller", ["person"])
    op.create_table(
        "afvisninger",
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("handling", sa.String(100), nullable=False),
        sa.Column("rolle", sa.String(100), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    for tabel in NYE_TABELLER:
        _triggere(tabel, pg)


def downgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    for tabel in NYE_TABELLER:
        if pg:
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_truncate ON {tabel}")
        else:
            for sql_op in ("update", "delete"):
                op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_{sql_op}")
    op.drop_index("ix_roller_person", "roller")
    for tabel in reversed(NYE_TABELLER):
        op.drop_table(tabel)
    op.drop_index("ix_visninger_bruger", "visninger")
    for navn, kolonner in NYE_KOLONNER.items():
        if pg:
            op.execute(f"ALTER TABLE {navn} DISABLE TRIGGER {navn}_kun_tilfoejelse")
        else:
            op.execute(f"DROP TRIGGER {navn}_kun_tilfoejelse_update")
        for k in kolonner:
            op.execute(f"ALTER TABLE {navn} DROP COLUMN {k}")
        t = _tabel(navn, logkaede.FELTER_0003[navn])
        forrige = logkaede.START
        for r in conn.execute(sa.select(t).order_by(t.c.id)).mappings().all():
            h = logkaede.beregn(navn, r, forrige, logkaede.FELTER_0003)
            conn.execute(t.update().where(t.c.id == r["id"]).values(forrige_hash=forrige, hash=h))
            forrige = h
        if pg:
            op.execute(f"ALTER TABLE {navn} ENABLE TRIGGER {navn}_kun_tilfoejelse")
        else:
            op.execute(f"CREATE TRIGGER {navn}_kun_tilfoejelse_update BEFORE UPDATE ON {navn} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(navn, 'ændres')}'); END")
