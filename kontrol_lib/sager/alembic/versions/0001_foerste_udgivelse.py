"""The schema as first released: skema_version, sager, overgange, udfald, beloeb, visninger.

FROZEN. This is the schema the previous release created with ``metadata.create_all`` on the
``schema.py`` of that release (with ``skema_version`` row 1). Every table, type, nullability,
key, index and constraint is spelled out here so that the revision never changes when
``schema.py`` does; a schema change is a new revision, never an edit of this one.
(tests/test_sagsstyring_migrations.py checks that this revision creates exactly the DDL of that
release on SQLite and PostgreSQL.)

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.types.TypeEngine:
    # BIGINT (BIGSERIAL as a primary key) on PostgreSQL; INTEGER on SQLite, so that the primary
    # key is SQLite's rowid and numbers itself
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "skema_version",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("anvendt", sa.DateTime(), nullable=False),
        sa.Column("beskrivelse", sa.String(200), nullable=False),
    )

    op.create_table(
        "sager",
        sa.Column("sag_id", sa.String(40), primary_key=True),
        sa.Column("kommunekode", sa.Integer(), nullable=False),
        sa.Column("kanal", sa.String(40), nullable=False),
        sa.Column("kontroltrin", sa.Integer(), nullable=False),
        sa.Column("myndighed", sa.String(40), nullable=False),
        sa.Column("paragraf11", sa.String(3), nullable=False),
        sa.Column("ydelse", sa.String(40), nullable=False),
        sa.Column("kle", sa.String(8), nullable=True),
        sa.Column("ydelsesomraade", sa.String(40), nullable=True),
        sa.Column("ym_cpr", sa.String(10), nullable=True),
        sa.Column("oprettet", sa.Date(), nullable=False),
        sa.Column("udloebsdato", sa.Date(), nullable=True),
        sa.Column("kilde_id", sa.String(60), nullable=True),
        sa.Column("stamdata", sa.Text(), nullable=True),
        sa.Column("tid", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sager_ym", "sager", ["ym_cpr"])
    op.create_index("ix_sager_kilde", "sager", ["kanal", "kilde_id"], unique=True)

    op.create_table(
        "overgange",
        sa.Column("id", _id(), primary_key=True, autoincrement=True),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("sekvens", sa.Integer(), nullable=False),
        sa.Column("tid", sa.DateTime(), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("haendelse", sa.String(40), nullable=False),
        sa.Column("fra", sa.String(40), nullable=True),
        sa.Column("til", sa.String(40), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.UniqueConstraint("sag_id", "sekvens", name="uq_overgange_sag_sekvens"),
    )
    op.create_index("ix_overgange_dato", "overgange", ["dato"])

    op.create_table(
        "visninger",
        sa.Column("id", _id(), primary_key=True, autoincrement=True),
        sa.Column("tid", sa.DateTime(), nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("hvad", sa.String(40), nullable=False),
    )
    op.create_index("ix_visninger_sag", "visninger", ["sag_id"])

    op.create_table(
        "udfald",
        sa.Column("id", _id(), primary_key=True, autoincrement=True),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("overgang_id", _id(), sa.ForeignKey("overgange.id"), nullable=False),
        sa.Column("ym_cpr", sa.String(10), nullable=False),
        sa.Column("regel", sa.String(60), nullable=False),
        sa.Column("haendelse_id", sa.String(200), nullable=False),
        sa.Column("person_cpr", sa.String(10), nullable=False),
        sa.Column("rolle", sa.String(10), nullable=False),
        sa.Column("haendelsesdato", sa.Date(), nullable=True),
        sa.Column("kle", sa.String(8), nullable=True),
        sa.Column("kommunekode", sa.Integer(), nullable=True),
        sa.Column("oplysninger", sa.Text(), nullable=False),
        sa.Column("regel_titel", sa.String(200), nullable=False),
        sa.Column("kontroltype", sa.String(40), nullable=False),
        sa.Column("koersdato", sa.Date(), nullable=False),
        sa.UniqueConstraint("ym_cpr", "regel", "haendelse_id", name="uq_udfald_fredning"),
    )
    op.create_index("ix_udfald_sag", "udfald", ["sag_id"])

    op.create_table(
        "beloeb",
        sa.Column("id", _id(), primary_key=True, autoincrement=True),
        sa.Column("overgang_id", _id(), sa.ForeignKey("overgange.id"), nullable=False),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("ydelse", sa.String(40), nullable=False),
        sa.Column("myndighed", sa.String(40), nullable=True),
        sa.Column("paragraf11", sa.String(3), nullable=True),
        sa.Column("besparelse_rytme", sa.String(10), nullable=True),
        sa.Column("besparelse_oere", sa.BigInteger(), nullable=True),
        sa.Column("tilbagebetalingskrav_oere", sa.BigInteger(), nullable=True),
        sa.Column("efterregulering_oere", sa.BigInteger(), nullable=True),
        sa.Column("skat_oere", sa.BigInteger(), nullable=True),
        sa.Column("aendring", sa.String(20), nullable=True),
        sa.Column("politianmeldt", sa.String(3), nullable=True),
        sa.Column("videresendt_til", sa.String(60), nullable=True),
        sa.UniqueConstraint("overgang_id", "ydelse", name="uq_beloeb_overgang_ydelse"),
    )
    op.create_index("ix_beloeb_sag", "beloeb", ["sag_id"])


def downgrade() -> None:
    for index, table in (("ix_beloeb_sag", "beloeb"), ("ix_udfald_sag", "udfald"),
                         ("ix_visninger_sag", "visninger"), ("ix_overgange_dato", "overgange"),
                         ("ix_sager_kilde", "sager"), ("ix_sager_ym", "sager")):
        op.drop_index(index, table_name=table)
    for table in ("beloeb", "udfald", "visninger", "overgange", "sager", "skema_version"):
        op.drop_table(table)
