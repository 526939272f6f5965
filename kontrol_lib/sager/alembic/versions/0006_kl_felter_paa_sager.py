"""The three KL effektmåling fields of the import format on the case: sagstype,
selvstaendig_erhvervsdrivende and virksomhedskontrol (issue 13: nothing lost on import).

``importer-sager`` used to drop the optional columns of ``kontrolsager.csv``, so the KL export
said "Ikke oplyst" from the store but the real value from the file. They are case attributes
(one value per case), NULL for the cases stored before this revision and for workflow cases.
On PostgreSQL the program's roles may read them (revision 0005 grants SELECT column by column).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A released revision is never edited: a further change is a new revision.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KOLONNER = {"sagstype": 60, "selvstaendig_erhvervsdrivende": 3, "virksomhedskontrol": 3}
GRUPPER = ("kontrol_sagsbehandler", "kontrol_leder", "kontrol_analytiker", "kontrol_administrator",
           "kontrol_tilsyn")


def upgrade() -> None:
    for navn, laengde in KOLONNER.items():
        op.add_column("sager", sa.Column(navn, sa.String(laengde), nullable=True))
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT ({', '.join(KOLONNER)}) ON sager TO {', '.join(GRUPPER)}")


def downgrade() -> None:
    for navn in reversed(list(KOLONNER)):
        # SQLite (3.35+) drops a column in place (a batch copy of sager would fail on the foreign keys)
        op.execute(f"ALTER TABLE sager DROP COLUMN {navn}")
