"""The hand-written version table skema_version is replaced by Alembic's alembic_version.

Stores from the previous release are stamped at 0001 when first opened (their skema_version
row 1 is what identifies them; see ``migrations.migrer``); this revision then drops
skema_version, so that old and new stores have the same tables and only one record of their
version.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("skema_version")


def downgrade() -> None:
    # back to what the previous release expects: the table with its row 1
    skema_version = op.create_table(
        "skema_version",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("anvendt", sa.DateTime(), nullable=False),
        sa.Column("beskrivelse", sa.String(200), nullable=False),
    )
    op.bulk_insert(skema_version, [{
        "version": 1, "anvendt": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        "beskrivelse": "sager, overgange, udfald, beloeb, visninger"}])
