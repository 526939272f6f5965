"""Case notes, linked cases and company (CVR) cases for the caseworker's day (issue 16).

1. ``noter``: free-text notes on a case (who, in which role, when, the text; never a CPR number:
   the store refuses a CPR-shaped string in the text), hash-chained like the other log tables
   (``logkaede.FELTER["noter"]``) and append-only: a note is never edited or deleted, a
   correction is a new note.
2. ``sagsrelationer``: links between two cases (``handling`` ``tilknyt`` or ``fjern``; the links
   in force are the fold of the rows in id order, like ``roller``), hash-chained and append-only.
3. ``sager.cvr``: the company of a virksomhedskontrol (eight digits; NULL for every other case),
   indexed. SQLite: the UPDATE trigger of ``sager`` is recreated so that an erasure (revision
   0009) must leave ``cvr`` unchanged too.
4. PostgreSQL: both tables owned by ``kontrol_ejer``, UPDATE, DELETE and TRUNCATE refused by
   ``kontrol_log_kun_tilfoejelse``; INSERT for ``kontrol_sagsbehandler``; SELECT on ``noter``
   for it, ``kontrol_administrator`` and ``kontrol_tilsyn`` (who verify the chain), on
   ``sagsrelationer`` (sag_ids and reasons only) and on ``sager.cvr`` for the five group roles. Two SECURITY DEFINER functions (EXECUTE: ``kontrol_sagsbehandler``;
   they list sag_ids, never a CPR number): ``kontrol_find_person(cpr)`` gives the cases whose
   ydelsesmodtager is that person (the caller logs the showing through
   ``kontrol_vis_personer``), ``kontrol_dubletter(sag_ids)`` gives, for each of the cases, the
   other OPEN cases of the same person (or company) and ydelse.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A released revision is never edited: a further change is a new revision.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
SOEGESTI = "pg_catalog, public, pg_temp"
GRUPPER = tuple(f"kontrol_{r}" for r in ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"))
AABNE_SQL = "ARRAY['udstillet', 'bestilt', 'partshoering']"
"""``koder.AABNE`` when this revision was written, frozen as SQL."""
NYE_TABELLER = ("noter", "sagsrelationer")
LAESER_NOTER = ("kontrol_sagsbehandler", "kontrol_administrator", "kontrol_tilsyn")
"""Who may SELECT ``noter`` (the caseworkers; tilsyn and administrator verify the chain)."""
SLETTET_TEKST = "Oplysningerne er slettet efter opbevaringsfristen (kontrol slet)."
SAGER_UAENDREDE = ("sag_id", "kommunekode", "kanal", "kontroltrin", "myndighed", "paragraf11", "ydelse", "kle",
                   "ydelsesomraade", "oprettet", "udloebsdato", "kilde_id", "tid", "sagstype",
                   "selvstaendig_erhvervsdrivende", "virksomhedskontrol")
"""Revision 0009's columns that an erasure leaves unchanged (frozen)."""


def _besked(tabel: str, op_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def _sqlite_sager(kolonner) -> str:
    uaendret = " AND ".join(f"NEW.{k} IS OLD.{k}" for k in kolonner)
    return (f"CREATE TRIGGER sager_kun_tilfoejelse_update BEFORE UPDATE ON sager WHEN NOT ("
            f"{uaendret} AND NEW.stamdata IS NULL "
            "AND (NEW.ym_cpr = '' OR (NEW.ym_cpr IS NULL AND OLD.ym_cpr IS NULL)) "
            "AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id)) "
            f"BEGIN SELECT RAISE(ABORT, '{_besked('sager', 'ændres')}'); END")


PG_FIND = f"""
CREATE FUNCTION kontrol_find_person(p_cpr text) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'kontrol_sagsbehandler', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen sagsbehandler (kontrol_sagsbehandler)', session_user);
    END IF;
    RETURN QUERY SELECT s.sag_id::text FROM sager s WHERE s.ym_cpr = p_cpr ORDER BY s.oprettet, s.sag_id;
END
$$"""

PG_DUBLETTER = f"""
CREATE FUNCTION kontrol_dubletter(p_sag_ids text[]) RETURNS TABLE (sag_id text, dublet text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'kontrol_sagsbehandler', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen sagsbehandler (kontrol_sagsbehandler)', session_user);
    END IF;
    RETURN QUERY
    SELECT n.sag_id::text, a.sag_id::text
      FROM sager n JOIN sager a
        ON a.sag_id <> n.sag_id AND a.ydelse = n.ydelse
       AND ((n.ym_cpr IS NOT NULL AND n.ym_cpr <> '' AND a.ym_cpr = n.ym_cpr)
            OR (n.cvr IS NOT NULL AND a.cvr = n.cvr))
     WHERE n.sag_id = ANY (p_sag_ids)
       AND (SELECT o.til FROM overgange o WHERE o.sag_id = a.sag_id ORDER BY o.sekvens DESC LIMIT 1)
           = ANY ({AABNE_SQL})
     ORDER BY 1, 2;
END
$$"""


def _id():
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True)


def upgrade() -> None:
    pg = op.get_context().dialect.name == "postgresql"
    op.create_table(
        "noter", _id(),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_index("ix_noter_sag", "noter", ["sag_id"])
    op.create_table(
        "sagsrelationer", _id(),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("relateret_sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), nullable=False),
        sa.Column("handling", sa.String(10), nullable=False),
        sa.Column("grund", sa.String(200), nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_index("ix_sagsrelationer_sag", "sagsrelationer", ["sag_id"])
    op.create_index("ix_sagsrelationer_relateret", "sagsrelationer", ["relateret_sag_id"])
    # SQLite (3.35+) adds a column in place (a batch copy of sager would fail on the foreign keys)
    op.add_column("sager", sa.Column("cvr", sa.String(8), nullable=True))
    op.create_index("ix_sager_cvr", "sager", ["cvr"])
    if pg:
        for tabel in NYE_TABELLER:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {tabel} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"ALTER TABLE {tabel} OWNER TO {EJER}")
            op.execute(f"GRANT INSERT ON {tabel} TO kontrol_sagsbehandler")
            laesere = GRUPPER if tabel == "sagsrelationer" else LAESER_NOTER
            op.execute(f"GRANT SELECT ON {tabel} TO {', '.join(laesere)}")
            sekvens = op.get_bind().exec_driver_sql(f"SELECT pg_get_serial_sequence('{tabel}', 'id')").scalar()
            op.execute(f"GRANT USAGE ON SEQUENCE {sekvens} TO kontrol_sagsbehandler")
        op.execute(f"GRANT SELECT (cvr) ON sager TO {', '.join(GRUPPER)}")
        for sql, f in ((PG_FIND, "kontrol_find_person(text)"), (PG_DUBLETTER, "kontrol_dubletter(text[])")):
            op.execute(sql)
            op.execute(f"ALTER FUNCTION {f} OWNER TO {EJER}")
            op.execute(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC")
            op.execute(f"GRANT EXECUTE ON FUNCTION {f} TO kontrol_sagsbehandler")
    else:
        for tabel in NYE_TABELLER:
            for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
                op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                           f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, ord_)}'); END")
        op.execute("DROP TRIGGER sager_kun_tilfoejelse_update")
        op.execute(_sqlite_sager((*SAGER_UAENDREDE, "cvr")))


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION kontrol_dubletter(text[])")
        op.execute("DROP FUNCTION kontrol_find_person(text)")
    else:
        op.execute("DROP TRIGGER sager_kun_tilfoejelse_update")
        op.execute(_sqlite_sager(SAGER_UAENDREDE))
    op.drop_index("ix_sager_cvr", "sager")
    op.execute("ALTER TABLE sager DROP COLUMN cvr")
    op.drop_table("sagsrelationer")
    op.drop_table("noter")
