"""PostgreSQL: the analytiker's pseudonyms are computed by the database (spec/sikkerhed.md). A no-op on SQLite.

On the team server the analyst's kernel runs as the analyst: if it could read the pseudonym key it
could pseudonymise every possible CPR number and re-identify anyone. So on PostgreSQL the key for
the analysts' pseudonyms lives in the store, readable only by ``kontrol_ejer``, and the
pseudonyms are computed in SQL by SECURITY DEFINER functions:

1. The schema ``kontrol_noegle`` (owned by ``kontrol_ejer``; no USAGE for anyone else) holds
   pgcrypto (``CREATE EXTENSION pgcrypto``: trusted since PostgreSQL 13, so the database owner
   may; an existing installation elsewhere is used as it is) and the table
   ``kontrol_noegle.analysenoegle``: one row, the **analysis key** (32 random bytes from
   ``gen_random_bytes``, made by this revision). No group role gets any privilege on it.
   It is a key of its own, not the file key of :mod:`kontrol_lib.vokabular.pseudonym` (the
   laptop's pseudonyms and the service identity's files), and it is used only for the
   analysts' pseudonyms of the store on the team server. The fredning key (issue 13) stays
   outside the store.
2. ``kontrol_noegle.pseudonym``, ``kontrol_noegle.noeglet_id`` and ``kontrol_noegle.i_tekst``
   compute exactly what ``Pseudonymer.__call__``, ``noeglet_id`` and ``i_tekst`` compute in Python
   with the same key: ``P-`` + the first 16 hex digits of HMAC-SHA256(key, normalised CPR) in
   groups of four; ``H-`` + the same of the text's UTF-8 bytes; every CPR-shaped number in free
   text (ten digits not part of a longer run, a dash allowed after the sixth, also when glued to
   letters: ``YM-0101801234``) replaced by its pseudonym.
3. ``kontrol_analyse_sager(kommune)`` (sag_id → ``ym_pseudonym``) and
   ``kontrol_analyse_udfald(kommune)`` (the udfald on cases, as ``pseudonymisering.udfald``
   returns them) are SECURITY DEFINER, owned by ``kontrol_ejer``, ``search_path`` pinned; EXECUTE
   is granted to the five group roles so that a login without ``kontrol_analytiker`` gets a
   Danish refusal from the function rather than the database's English one. They show no
   personal data and write no ``visninger`` row.

4. Every SECURITY DEFINER function of the store, and the functions they call, get ``pg_temp``
   **last** in their pinned ``search_path`` (``pg_catalog, public, pg_temp``). Not listed,
   PostgreSQL searches the session's temporary schema *first* for tables: a login could create a
   temporary ``sager`` or ``udfald`` (and grant it to ``kontrol_ejer``) and have the functions read
   it, which made ``kontrol_analyse_sager`` pseudonymise CPR numbers of the caller's choice (a
   re-identification oracle), and ``kontrol_vis_personer`` write its ``visninger`` row into the
   caller's temporary ``visninger`` (a CPR number shown without a log row). Revision 0005's
   functions are altered here (a released revision is never edited).

pgcrypto and the schema need CREATE on the database: a later revision runs as ``kontrol_ejer``
(``pg_adgang.migrer_som_ejer``), which has none, so this revision creates them as the migration
login itself (``RESET ROLE``, then back) and names the login's missing privilege in Danish.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

from kontrol_lib.vokabular.fejl import KontrolFejl

# A released revision is never edited: a further change is a new revision.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
SKEMA = "kontrol_noegle"
GRUPPER = tuple(f"kontrol_{r}" for r in ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"))
NOEGLE_BYTES = 32
MOENSTER = r"(?<![0-9])([0-9]{6})-?([0-9]{4})(?![0-9])"
"""``pseudonym.CPR_I_TEKST`` in PostgreSQL's regular expressions (``[0-9]`` for Python's ``\\d``:
see docs/analyse.md)."""
BLANKT = r"E' \t\n\r\f\v'"

SOEGESTI = "pg_catalog, public, pg_temp"
"""The pinned search_path: the temporary schema searched last (never first, see 4.)."""
FUNKTIONER_0005 = ("kontrol_bruger(text)", "kontrol_visning(text, timestamp, text, text, text, text, text)",
                   "kontrol_vis_personer(text[], text, text, text, text, text)",
                   "kontrol_kontrolark(text, text, text, text, text)",
                   "kontrol_kendte_udfald(text[], text[], text[])", "kontrol_fredningsperioder(text[], text[])",
                   "kontrol_sager_for(text[])", "kontrol_indsigt_sager(text)", "kontrol_roller_til_db()",
                   "kontrol_synkroniser_roller()")
"""Revision 0005's functions (its ``FUNKTIONER`` when it was released) and their search_path then."""
SOEGESTI_0005 = "pg_catalog, public"

HJAELPERE = (f"{SKEMA}.pseudonym(bytea, text)", f"{SKEMA}.noeglet_id(bytea, text, text)",
             f"{SKEMA}.i_tekst(bytea, text)")
FUNKTIONER = ("kontrol_analyse_sager(integer)", "kontrol_analyse_udfald(integer)")


def _hjaelpere(krypto: str) -> list[str]:
    """The pure functions (key as an argument; EXECUTE for nobody but the owner). ``krypto``:
    the schema pgcrypto is installed in."""
    grupper = ("substr(h, 1, 4) || '-' || substr(h, 5, 4) || '-' || substr(h, 9, 4) || '-' "
               "|| substr(h, 13, 4)")
    return [f"""
CREATE FUNCTION {SKEMA}.pseudonym(p_noegle bytea, p_cpr text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c text;
    h text;
BEGIN
    IF p_cpr IS NULL OR btrim(p_cpr, {BLANKT}) = '' THEN
        RETURN NULL;
    END IF;
    c := replace(btrim(p_cpr, {BLANKT}), '-', '');
    IF c !~ '^[0-9]{{10}}$' THEN          -- the value is never repeated: it may be a CPR number
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE =
            'Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); en værdi, der skulle pseudonymiseres, har det ikke';
    END IF;
    h := encode({krypto}.hmac(convert_to(c, 'UTF8'), p_noegle, 'sha256'), 'hex');
    RETURN 'P-' || {grupper};
END
$$""", f"""
CREATE FUNCTION {SKEMA}.noeglet_id(p_noegle bytea, p_tekst text, p_praefiks text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    h text;
BEGIN
    IF p_tekst IS NULL OR btrim(p_tekst, {BLANKT}) = '' THEN
        RETURN NULL;
    END IF;
    h := encode({krypto}.hmac(convert_to(p_tekst, 'UTF8'), p_noegle, 'sha256'), 'hex');
    RETURN p_praefiks || {grupper};
END
$$""", f"""
CREATE FUNCTION {SKEMA}.i_tekst(p_noegle bytea, p_tekst text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    moenster constant text := '{MOENSTER}';
    dele text[];
    m text[];
    i integer := 1;
    ud text;
BEGIN
    IF p_tekst IS NULL OR p_tekst !~ moenster THEN
        RETURN p_tekst;
    END IF;
    -- the pieces between the matches and the matches, in the same order: interleave them
    dele := regexp_split_to_array(p_tekst, moenster);
    ud := dele[1];
    FOR m IN SELECT regexp_matches(p_tekst, moenster, 'g') LOOP
        i := i + 1;
        ud := ud || {SKEMA}.pseudonym(p_noegle, m[1] || m[2]) || dele[i];
    END LOOP;
    RETURN ud;
END
$$"""]


_KUN_ANALYTIKER = """
    IF NOT pg_has_role(session_user, 'kontrol_analytiker', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen analytiker (kontrol_analytiker), '
            'som kræves for at se pseudonymiserede data', session_user);
    END IF;
    SELECT k.noegle INTO n FROM kontrol_noegle.analysenoegle k WHERE k.id = 1;
    IF n IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE =
            'Sagslageret har ingen analysenøgle (kontrol_noegle.analysenoegle); se docs/drift.md, PostgreSQL-roller';
    END IF;"""

SAGER_SQL = f"""
CREATE FUNCTION kontrol_analyse_sager(p_kommune integer)
RETURNS TABLE (sag_id text, ym_pseudonym text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
#variable_conflict use_column
DECLARE
    n bytea;
BEGIN
{_KUN_ANALYTIKER}
    RETURN QUERY SELECT s.sag_id::text, {SKEMA}.pseudonym(n, s.ym_cpr::text) FROM sager s
                 WHERE p_kommune IS NULL OR s.kommunekode = p_kommune ORDER BY s.sag_id;
END
$$"""

# The columns and their order: pseudonymisering.UDFALD_KOLONNER after udfald_pseudonymiseret
# (ym_cpr → ym_pseudonym, person_cpr → person_pseudonym), and the row's id for the order.
UDFALD_SQL = f"""
CREATE FUNCTION kontrol_analyse_udfald(p_kommune integer)
RETURNS TABLE (id bigint, sag_id text, ym_pseudonym text, person_pseudonym text, rolle text, regel text,
               regel_titel text, kontroltype text, haendelsesdato date, haendelse_id text, kle text,
               kommunekode integer, oplysninger text, koersdato date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SOEGESTI} AS $$
#variable_conflict use_column
DECLARE
    n bytea;
BEGIN
{_KUN_ANALYTIKER}
    RETURN QUERY
        SELECT u.id::bigint, u.sag_id::text, {SKEMA}.pseudonym(n, u.ym_cpr::text),
               {SKEMA}.pseudonym(n, u.person_cpr::text), u.rolle::text, u.regel::text,
               {SKEMA}.i_tekst(n, u.regel_titel::text), u.kontroltype::text, u.haendelsesdato,
               {SKEMA}.noeglet_id(n, u.haendelse_id::text, 'H-'), u.kle::text, u.kommunekode,
               {SKEMA}.i_tekst(n, u.oplysninger::text), u.koersdato
        FROM udfald u JOIN sager s ON s.sag_id = u.sag_id
        WHERE p_kommune IS NULL OR s.kommunekode = p_kommune
        ORDER BY u.id;
END
$$"""


def _skema_og_pgcrypto() -> str:
    """The schema ``kontrol_noegle`` and pgcrypto, created as the migration login when missing
    (they need CREATE on the database, which ``kontrol_ejer`` lacks). Returns pgcrypto's schema."""
    bind = op.get_bind()
    har_skema = bind.exec_driver_sql(f"SELECT to_regnamespace('{SKEMA}') IS NOT NULL").scalar()
    krypto = bind.exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                  "WHERE extname = 'pgcrypto'").scalar()
    if har_skema and krypto:
        return krypto
    rolle, login = bind.exec_driver_sql("SELECT current_user::text, session_user::text").one()
    if rolle != login:
        op.execute("RESET ROLE")              # back to the migration login for CREATE on the database
    kan = bind.exec_driver_sql("SELECT rolsuper OR has_database_privilege(current_user, current_database(), 'CREATE') "
                               "FROM pg_roles WHERE rolname = current_user").scalar()
    if not kan:
        raise KontrolFejl(
            f"Skemaversion 0006 skal oprette skemaet {SKEMA} og udvidelsen pgcrypto, men databaselogin {login} "
            "har ikke CREATE-rettighed på databasen. Kør opgraderingen som databasens ejer (migreringsloginnet, "
            "se docs/drift.md, PostgreSQL-roller), eller lad en superbruger køre CREATE EXTENSION pgcrypto. "
            "Intet er ændret.")
    if not har_skema:
        op.execute(f"CREATE SCHEMA {SKEMA} AUTHORIZATION {EJER}")
    if not krypto:
        op.execute(f"CREATE EXTENSION pgcrypto SCHEMA {SKEMA}")
        krypto = SKEMA
    if rolle != login:
        op.execute(f'SET LOCAL ROLE "{rolle}"')
    return krypto


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    krypto = _skema_og_pgcrypto()
    op.execute(f"ALTER SCHEMA {SKEMA} OWNER TO {EJER}")
    op.execute(f"REVOKE ALL ON SCHEMA {SKEMA} FROM PUBLIC")
    op.execute(f"""CREATE TABLE {SKEMA}.analysenoegle (
        id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        noegle bytea NOT NULL CHECK (length(noegle) >= {NOEGLE_BYTES}),
        oprettet timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))""")
    op.execute(f"ALTER TABLE {SKEMA}.analysenoegle OWNER TO {EJER}")
    op.execute(f"REVOKE ALL ON {SKEMA}.analysenoegle FROM PUBLIC")
    op.execute(f"INSERT INTO {SKEMA}.analysenoegle (noegle) VALUES ({krypto}.gen_random_bytes({NOEGLE_BYTES}))")
    for sql in (*_hjaelpere(krypto), SAGER_SQL, UDFALD_SQL):
        op.execute(sql)
    for f in (*HJAELPERE, *FUNKTIONER):
        op.execute(f"ALTER FUNCTION {f} OWNER TO {EJER}")
        op.execute(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC")
    for f in FUNKTIONER:
        op.execute(f"GRANT EXECUTE ON FUNCTION {f} TO {', '.join(GRUPPER)}")
    for f in FUNKTIONER_0005:
        op.execute(f"ALTER FUNCTION {f} SET search_path = {SOEGESTI}")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for f in FUNKTIONER_0005:
        op.execute(f"ALTER FUNCTION {f} SET search_path = {SOEGESTI_0005}")
    for f in (*FUNKTIONER, *reversed(HJAELPERE)):
        op.execute(f"DROP FUNCTION {f}")
    # The key goes with it: upgrading again makes a new key, and every analyst's pseudonym changes.
    op.execute(f"DROP TABLE {SKEMA}.analysenoegle")
    # The schema and pgcrypto stay (like the cluster roles: something else may use them).
