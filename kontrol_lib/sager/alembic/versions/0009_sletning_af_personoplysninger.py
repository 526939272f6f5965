"""Erasure of personal data after the retention period: ``kontrol slet`` (spec/sikkerhed.md, issue 13).

1. ``sletninger``: the log of erasures (who, in which role, when, the erasure date, the number of
   cases, the counts per closing year and reason, the sag_ids; never a CPR number), hash-chained
   like the other log tables (``logkaede.FELTER["sletninger"]``). ``slettede_sager``: one row per
   erased case (sag_id, the sletning it belongs to): the database's index of what may be erased.
   Both are append-only (UPDATE and DELETE refused as in revision 0003).
2. The UPDATE triggers of ``sager`` and ``udfald`` let through exactly one update: the erased form
   of a case in ``slettede_sager``. For ``sager``: every column unchanged but ``ym_cpr`` (to ''
   or NULL when it was NULL) and ``stamdata`` (to NULL). For ``udfald``: every column unchanged but
   ``ym_cpr`` and ``person_cpr`` (to ''), ``oplysninger`` (to :data:`SLETTET_TEKST`) and
   ``haendelse_id`` (to ``ym_noegle || ':' || haendelse_noegle``: a ``haendelse_id`` may be derived
   from a CPR number, and the old unique key stays unique). Everything else is refused as before.
   SQLite: the triggers are recreated with a WHEN clause naming the columns (a later revision that
   adds a column to ``sager`` or ``udfald`` must recreate them). PostgreSQL: the trigger function
   ``kontrol_sletning_vagt`` compares the rows as jsonb without the personal columns, and also
   requires ``current_user = kontrol_ejer`` and the transaction-local setting ``kontrol.sletning``,
   which only ``kontrol_slet`` sets (any login can set a custom setting, but no application role
   has UPDATE on the tables, and only the owner passes the ``current_user`` check).
3. PostgreSQL: ``kontrol_slet(sletning_id)`` (SECURITY DEFINER, owner ``kontrol_ejer``, EXECUTE:
   ``kontrol_administrator`` only; refuses a login that is not a member, and a case that is not
   closed) erases the cases of one ``sletninger`` row. INSERT on ``sletninger`` and
   ``slettede_sager``: ``kontrol_administrator`` only; SELECT: the five group roles.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A released revision is never edited: a further change is a new revision.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
SOEGESTI = "pg_catalog, public, pg_temp"
GRUPPER = tuple(f"kontrol_{r}" for r in ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"))
LUKKEDE_SQL = "ARRAY['henlagt_i_visitering', 'henlagt_efter_partshoering', 'aendret_tildeling', 'udloebet']"
"""``koder.LUKKEDE`` when this revision was written, frozen as SQL (a released revision never changes)."""
SLETTET_TEKST = "Oplysningerne er slettet efter opbevaringsfristen (kontrol slet)."
"""udfald.oplysninger of an erased case (``sletning.SLETTET_TEKST`` when this revision was written)."""
SAGER_UAENDREDE = ("sag_id", "kommunekode", "kanal", "kontroltrin", "myndighed", "paragraf11", "ydelse", "kle",
                   "ydelsesomraade", "oprettet", "udloebsdato", "kilde_id", "tid", "sagstype",
                   "selvstaendig_erhvervsdrivende", "virksomhedskontrol")
UDFALD_UAENDREDE = ("id", "sag_id", "overgang_id", "regel", "rolle", "haendelsesdato", "kle", "kommunekode",
                    "regel_titel", "kontroltype", "koersdato", "ym_noegle", "haendelse_noegle")
NYE_TABELLER = ("sletninger", "slettede_sager")


def _besked(tabel: str, op_: str) -> str:
    return f"loggen kan kun tilføjes: {tabel} kan ikke {op_} (rækker indsættes, men ændres og slettes aldrig)"


def _uaendret(kolonner) -> str:
    return " AND ".join(f"NEW.{k} IS OLD.{k}" for k in kolonner)


SQLITE_SAGER = (f"CREATE TRIGGER sager_kun_tilfoejelse_update BEFORE UPDATE ON sager WHEN NOT ("
                f"{_uaendret(SAGER_UAENDREDE)} AND NEW.stamdata IS NULL "
                "AND (NEW.ym_cpr = '' OR (NEW.ym_cpr IS NULL AND OLD.ym_cpr IS NULL)) "
                "AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id)) "
                f"BEGIN SELECT RAISE(ABORT, '{_besked('sager', 'ændres')}'); END")
SQLITE_UDFALD = (f"CREATE TRIGGER udfald_kun_tilfoejelse_update BEFORE UPDATE ON udfald WHEN NOT ("
                 f"{_uaendret(UDFALD_UAENDREDE)} AND NEW.ym_cpr = '' AND NEW.person_cpr = '' "
                 f"AND NEW.oplysninger = '{SLETTET_TEKST}' AND OLD.ym_noegle IS NOT NULL "
                 "AND NEW.haendelse_id = OLD.ym_noegle || ':' || OLD.haendelse_noegle "
                 "AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id)) "
                 f"BEGIN SELECT RAISE(ABORT, '{_besked('udfald', 'ændres')}'); END")

PG_VAGT = f"""
CREATE FUNCTION kontrol_sletning_vagt() RETURNS trigger LANGUAGE plpgsql SET search_path = {SOEGESTI} AS $$
BEGIN
    IF coalesce(current_setting('kontrol.sletning', true), '') = 'ja' AND current_user = '{EJER}'
       AND EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sag_id = OLD.sag_id) THEN
        IF TG_TABLE_NAME = 'sager' THEN
            IF (to_jsonb(NEW) - 'ym_cpr' - 'stamdata') = (to_jsonb(OLD) - 'ym_cpr' - 'stamdata')
               AND NEW.stamdata IS NULL
               AND (NEW.ym_cpr = '' OR (NEW.ym_cpr IS NULL AND OLD.ym_cpr IS NULL)) THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'udfald' THEN
            IF (to_jsonb(NEW) - ARRAY['ym_cpr', 'person_cpr', 'oplysninger', 'haendelse_id'])
                 = (to_jsonb(OLD) - ARRAY['ym_cpr', 'person_cpr', 'oplysninger', 'haendelse_id'])
               AND NEW.ym_cpr = '' AND NEW.person_cpr = '' AND NEW.oplysninger = '{SLETTET_TEKST}'
               AND OLD.ym_noegle IS NOT NULL
               AND NEW.haendelse_id = OLD.ym_noegle || ':' || OLD.haendelse_noegle THEN
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
    IF NOT pg_has_role(session_user, 'kontrol_administrator', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen administrator (kontrol_administrator), '
            'som kræves for at slette personoplysninger', session_user);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sletninger WHERE id = p_sletning_id) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'Sletningen findes ikke i sletningsloggen; intet er slettet';
    END IF;
    IF EXISTS (SELECT 1 FROM slettede_sager s WHERE s.sletning_id = p_sletning_id
               AND NOT coalesce((SELECT o.til FROM overgange o WHERE o.sag_id = s.sag_id
                                 ORDER BY o.sekvens DESC LIMIT 1) = ANY ({LUKKEDE_SQL}),
                                false)) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE =
            'Kun afsluttede sager kan få slettet personoplysninger; intet er slettet';
    END IF;
    PERFORM set_config('kontrol.sletning', 'ja', true);
    UPDATE udfald u SET ym_cpr = '', person_cpr = '', oplysninger = '{SLETTET_TEKST}',
                        haendelse_id = u.ym_noegle || ':' || u.haendelse_noegle
      FROM slettede_sager s WHERE s.sletning_id = p_sletning_id AND u.sag_id = s.sag_id;
    UPDATE sager sa SET ym_cpr = CASE WHEN sa.ym_cpr IS NULL THEN NULL ELSE '' END, stamdata = NULL
      FROM slettede_sager s WHERE s.sletning_id = p_sletning_id AND sa.sag_id = s.sag_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('kontrol.sletning', '', true);
    RETURN n;
END
$$"""


def upgrade() -> None:
    pg = op.get_context().dialect.name == "postgresql"
    op.create_table(
        "sletninger",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("tid", sa.DateTime, nullable=False),
        sa.Column("bruger", sa.String(100), nullable=False),
        sa.Column("dato", sa.Date, nullable=False),
        sa.Column("antal", sa.Integer, nullable=False),
        sa.Column("oversigt", sa.Text, nullable=False),
        sa.Column("sag_ids", sa.Text, nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("identitet", sa.String(20), nullable=False),
        sa.Column("forrige_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )
    op.create_table(
        "slettede_sager",
        sa.Column("sag_id", sa.String(40), sa.ForeignKey("sager.sag_id"), primary_key=True),
        sa.Column("sletning_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("sletninger.id"),
                  nullable=False),
    )
    if pg:
        for tabel in NYE_TABELLER:
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_truncate BEFORE TRUNCATE ON {tabel} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"ALTER TABLE {tabel} OWNER TO {EJER}")
            op.execute(f"GRANT SELECT ON {tabel} TO {', '.join(GRUPPER)}")
            op.execute(f"GRANT INSERT ON {tabel} TO kontrol_administrator")
        op.execute("GRANT USAGE ON SEQUENCE " + op.get_bind().exec_driver_sql(
            "SELECT pg_get_serial_sequence('sletninger', 'id')").scalar() + " TO kontrol_administrator")
        op.execute(PG_VAGT)
        op.execute(f"ALTER FUNCTION kontrol_sletning_vagt() OWNER TO {EJER}")
        for tabel in ("sager", "udfald"):
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
            op.execute(f"CREATE TRIGGER {tabel}_sletning BEFORE UPDATE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_sletning_vagt()")
        op.execute(PG_SLET)
        op.execute(f"ALTER FUNCTION kontrol_slet(bigint) OWNER TO {EJER}")
        op.execute("REVOKE ALL ON FUNCTION kontrol_slet(bigint) FROM PUBLIC")
        op.execute("GRANT EXECUTE ON FUNCTION kontrol_slet(bigint) TO kontrol_administrator")
    else:
        for tabel in NYE_TABELLER:
            for sql_op, ord_ in (("UPDATE", "ændres"), ("DELETE", "slettes")):
                op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_{sql_op.lower()} BEFORE {sql_op} ON {tabel} "
                           f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, ord_)}'); END")
        for tabel, sql in (("sager", SQLITE_SAGER), ("udfald", SQLITE_UDFALD)):
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_update")
            op.execute(sql)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION kontrol_slet(bigint)")
        for tabel in ("sager", "udfald"):
            op.execute(f"DROP TRIGGER {tabel}_sletning ON {tabel}")
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse ON {tabel}")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse BEFORE UPDATE OR DELETE ON {tabel} "
                       "FOR EACH ROW EXECUTE FUNCTION kontrol_log_kun_tilfoejelse()")
        op.execute("DROP FUNCTION kontrol_sletning_vagt()")
    else:
        for tabel in ("sager", "udfald"):
            op.execute(f"DROP TRIGGER {tabel}_kun_tilfoejelse_update")
            op.execute(f"CREATE TRIGGER {tabel}_kun_tilfoejelse_update BEFORE UPDATE ON {tabel} "
                       f"BEGIN SELECT RAISE(ABORT, '{_besked(tabel, 'ændres')}'); END")
    op.drop_table("slettede_sager")
    op.drop_table("sletninger")
