"""Fredning by a keyed hash of the CPR number, not the number itself (spec/sikkerhed.md, issue 13).

1. ``udfald`` gets ``ym_noegle`` and ``haendelse_noegle``: HMAC-SHA256 (hex, 64 digits) with the
   file key of :mod:`kontrol_lib.vokabular.pseudonym` (``noeglet_hash``) of the normalised
   ``ym_cpr``, and of the UTF-8 bytes of ``haendelse_id`` (which may be derived from a CPR
   number). Every insert path fills them; the rows a store already holds are backfilled here,
   which needs the key: a store with udfald and no readable key file is refused in Danish
   (nothing changes). A store without udfald needs no key. The columns are nullable only
   because they are added to an existing table; every row the code writes has both.
2. A unique index ``uq_udfald_fredning_noegle`` on (ym_noegle, regel, haendelse_noegle): the
   fredning key. The old ``uq_udfald_fredning`` on (ym_cpr, regel, haendelse_id) stays (an
   erased row keeps it unique, see revision 0009).
3. PostgreSQL: revision 0005's look-ups ``kontrol_kendte_udfald``, ``kontrol_fredningsperioder``
   and ``kontrol_sager_for`` (by CPR number) are dropped and replaced by
   ``kontrol_kendte_fredning``, ``kontrol_fredningsperioder_noegle`` and
   ``kontrol_sager_for_noegle``, which take and return only the keyed hashes (EXECUTE:
   ``kontrol_sagsbehandler``; SECURITY DEFINER, owner ``kontrol_ejer``, search_path pinned with
   ``pg_temp`` last). The hash columns are not readable by the group roles. A case whose CPR
   number is erased keeps its udfald fredet.

The backfill updates ``udfald`` with revision 0003's trigger out of the way (SQLite: dropped and
created again; PostgreSQL: disabled and enabled by the owner) in the migration's transaction.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from kontrol_lib.vokabular import pseudonym
from kontrol_lib.vokabular.fejl import KontrolFejl

# A released revision is never edited: a further change is a new revision.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
SOEGESTI = "pg_catalog, public, pg_temp"
GAMLE = ("kontrol_kendte_udfald(text[], text[], text[])", "kontrol_fredningsperioder(text[], text[])",
         "kontrol_sager_for(text[])")
NYE = ("kontrol_kendte_fredning(text[], text[], text[])", "kontrol_fredningsperioder_noegle(text[], text[])",
       "kontrol_sager_for_noegle(text[])")
SQLITE_TRIGGER = ("CREATE TRIGGER udfald_kun_tilfoejelse_update BEFORE UPDATE ON udfald BEGIN SELECT "
                  "RAISE(ABORT, 'loggen kan kun tilføjes: udfald kan ikke ændres (rækker indsættes, men ændres "
                  "og slettes aldrig)'); END")
"""Revision 0003's UPDATE trigger on udfald, exactly."""

_KUN_SAGSBEHANDLER = """
    IF NOT pg_has_role(session_user, 'kontrol_sagsbehandler', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen sagsbehandler (kontrol_sagsbehandler)', session_user);
    END IF;"""

PG_SQL = (f"""
CREATE FUNCTION kontrol_kendte_fredning(p_ym text[], p_regel text[], p_haendelse text[])
RETURNS TABLE (ym_noegle text, regel text, haendelse_noegle text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT k.y, k.r, k.h FROM unnest(p_ym, p_regel, p_haendelse) AS k(y, r, h)
                 WHERE EXISTS (SELECT 1 FROM udfald u WHERE u.ym_noegle = k.y AND u.regel = k.r
                               AND u.haendelse_noegle = k.h);
END
$$""", f"""
CREATE FUNCTION kontrol_fredningsperioder_noegle(p_noegler text[], p_til text[])
RETURNS TABLE (ym_noegle text, dato date, data text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT DISTINCT u.ym_noegle::text, o.dato, o.data FROM overgange o
                 JOIN sager s ON s.sag_id = o.sag_id JOIN udfald u ON u.sag_id = s.sag_id
                 WHERE s.kontroltrin = 3 AND u.ym_noegle = ANY (p_noegler) AND o.til = ANY (p_til);
END
$$""", f"""
CREATE FUNCTION kontrol_sager_for_noegle(p_noegler text[])
RETURNS TABLE (sag_id text, ym_noegle text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT DISTINCT u.sag_id::text, u.ym_noegle::text FROM udfald u WHERE u.ym_noegle = ANY (p_noegler);
END
$$""")


def _noegle() -> bytes:
    sti = pseudonym.noeglefil()
    try:
        return pseudonym.laes_noegle(sti)
    except FileNotFoundError:
        grund = f"nøglefilen {sti} findes ikke"
    except KontrolFejl as e:
        grund = str(e)
    raise KontrolFejl(
        "Sagslageret skal opgraderes til skemaversion 0008 (fredning med nøglet hash af CPR-nummeret), "
        f"men pseudonymnøglen kan ikke læses: {grund}. Peg på nøglen med ${pseudonym.NOEGLE_MILJOE} "
        "(samme nøgle som den daglige kørsel bruger; se docs/sikkerhed.md, Sletning). Intet er ændret.")


def _hmac(noegle: bytes, tekst: str) -> str:
    return hmac.new(noegle, tekst.encode("utf-8"), hashlib.sha256).hexdigest()


def _backfill(pg: bool) -> None:
    conn = op.get_bind()
    u = sa.table("udfald", sa.column("id", sa.BigInteger()), sa.column("ym_cpr", sa.String()),
                 sa.column("haendelse_id", sa.String()), sa.column("ym_noegle", sa.String()),
                 sa.column("haendelse_noegle", sa.String()))
    rows = conn.execute(sa.select(u.c.id, u.c.ym_cpr, u.c.haendelse_id)).all()
    if not rows:
        return
    noegle = _noegle()
    if pg:
        op.execute("ALTER TABLE udfald DISABLE TRIGGER udfald_kun_tilfoejelse")
    else:
        op.execute("DROP TRIGGER udfald_kun_tilfoejelse_update")
    for rid, ym, hid in rows:
        cpr = str(ym).replace("-", "").strip()
        conn.execute(u.update().where(u.c.id == rid).values(
            ym_noegle=_hmac(noegle, cpr), haendelse_noegle=_hmac(noegle, str(hid))))
    if pg:
        op.execute("ALTER TABLE udfald ENABLE TRIGGER udfald_kun_tilfoejelse")
    else:
        op.execute(SQLITE_TRIGGER)


def upgrade() -> None:
    pg = op.get_context().dialect.name == "postgresql"
    op.add_column("udfald", sa.Column("ym_noegle", sa.String(64), nullable=True))
    op.add_column("udfald", sa.Column("haendelse_noegle", sa.String(64), nullable=True))
    _backfill(pg)
    op.create_index("uq_udfald_fredning_noegle", "udfald", ["ym_noegle", "regel", "haendelse_noegle"], unique=True)
    if not pg:
        return
    for f in GAMLE:
        op.execute(f"DROP FUNCTION {f}")
    for sql in PG_SQL:
        op.execute(sql)
    for f in NYE:
        op.execute(f"ALTER FUNCTION {f} OWNER TO {EJER}")
        op.execute(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {f} TO kontrol_sagsbehandler")


def _revision_0005():
    sti = Path(__file__).with_name("0005_postgresql_roller_og_cpr_funktioner.py")
    spec = importlib.util.spec_from_file_location("kontrol_revision_0005", sti)
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for f in NYE:
            op.execute(f"DROP FUNCTION {f}")
        r5 = _revision_0005()
        for sql in (r5.KENDTE_SQL, r5.FREDNING_SQL, r5.SAGER_FOR_SQL):
            op.execute(sql)
        for f in GAMLE:
            op.execute(f"ALTER FUNCTION {f} OWNER TO {EJER}")
            op.execute(f"ALTER FUNCTION {f} SET search_path = {SOEGESTI}")      # as revision 0007 left them
            op.execute(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC")
            op.execute(f"GRANT EXECUTE ON FUNCTION {f} TO kontrol_sagsbehandler")
    op.drop_index("uq_udfald_fredning_noegle", "udfald")
    for kolonne in ("haendelse_noegle", "ym_noegle"):
        op.execute(f"ALTER TABLE udfald DROP COLUMN {kolonne}")
