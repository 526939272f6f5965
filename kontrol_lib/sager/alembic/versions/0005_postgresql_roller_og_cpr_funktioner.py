"""PostgreSQL: the database decides who can read what (spec/sikkerhed.md). A no-op on SQLite.

1. Cluster roles (created when missing; they are cluster-wide, so a second database in the same
   cluster finds them and goes on): the NOLOGIN group roles ``kontrol_sagsbehandler``,
   ``kontrol_leder``, ``kontrol_analytiker``, ``kontrol_administrator`` and ``kontrol_tilsyn``
   mirror the product's roles, and the NOLOGIN owner role ``kontrol_ejer`` owns every table,
   sequence and function of the store, with ADMIN OPTION on the five group roles and CREATE on
   the store's schema.
2. Schema changes run as ``kontrol_ejer``: the login that runs this revision (the cluster
   superuser, or a login with CREATEROLE that created the tables) becomes a member of
   ``kontrol_ejer`` and hands the tables over. From then on ``migrations.forbered`` runs every
   later revision under ``SET LOCAL ROLE kontrol_ejer`` (the connecting login must be a member:
   the migration login); any other login that finds revisions pending is refused in Danish.
3. The five group roles get SELECT and INSERT on the log tables (no UPDATE, DELETE or TRUNCATE:
   revision 0003's triggers stay as a second wall), USAGE on their id sequences, SELECT on
   ``alembic_version``, and on ``sager`` and ``udfald`` SELECT only on the columns without CPR
   numbers (``sager.ym_cpr``, ``sager.stamdata``, ``udfald.ym_cpr``, ``udfald.person_cpr`` and
   ``udfald.oplysninger`` are not readable by any of them).
4. CPR-bearing data is read through SECURITY DEFINER functions owned by ``kontrol_ejer`` (their
   ``search_path`` pinned), EXECUTE granted to ``kontrol_sagsbehandler`` only:
   ``kontrol_vis_personer`` (lists) and ``kontrol_kontrolark`` (the sheet) write the
   ``visninger`` rows in the caller's transaction, with the hash chain computed exactly as
   ``logkaede.kanonisk``/``beregn`` do it (canonical JSON, SHA-256, hex) under the same advisory
   lock (``logkaede.PG_LAAS``); the person logged is ``session_user``. ``kontrol_kendte_udfald``,
   ``kontrol_fredningsperioder`` and ``kontrol_sager_for`` are the daily run's fredning and
   case look-ups: they answer only for the CPR numbers the caller already holds (which keys
   exist, which periods, which cases), never list a CPR number, and show nothing.
   ``kontrol_indsigt_sager`` (EXECUTE: ``kontrol_tilsyn``) finds the cases of one CPR number for
   the citizen's access to the log.
5. A trigger on ``roller`` (SECURITY DEFINER) mirrors the product's grants onto the database:
   ``giv``/``fjern`` of role R to person X runs ``GRANT/REVOKE kontrol_R TO/FROM X`` when a login
   role X exists; a grant written by a login that is neither administrator nor owner is refused.
   ``kontrol_synkroniser_roller()`` (EXECUTE: ``kontrol_administrator``) does the same for every
   grant already in ``roller`` (a login created after its roles were granted).

The purposes allowed (``koder.FORMAAL`` when this revision was written) are written into the
functions: a new purpose is a new revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

# A released revision is never edited: a further change is a new revision.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EJER = "kontrol_ejer"
ROLLER = ("sagsbehandler", "leder", "analytiker", "administrator", "tilsyn")
GRUPPER = tuple(f"kontrol_{r}" for r in ROLLER)
FORMAAL = ("visitering", "partshoering", "afgoerelse", "klage", "aktindsigt", "tilsyn")
LOGTABELLER = ("overgange", "beloeb", "visninger", "lager", "roller", "afvisninger")
CPR_KOLONNER = {"sager": ("ym_cpr", "stamdata"), "udfald": ("ym_cpr", "person_cpr", "oplysninger")}
LAAS_VISNINGER = 4212          # logkaede.PG_LAAS["visninger"] when this revision was written

FUNKTIONER = ("kontrol_bruger(text)", "kontrol_visning(text, timestamp, text, text, text, text, text)",
              "kontrol_vis_personer(text[], text, text, text, text, text)",
              "kontrol_kontrolark(text, text, text, text, text)",
              "kontrol_kendte_udfald(text[], text[], text[])", "kontrol_fredningsperioder(text[], text[])",
              "kontrol_sager_for(text[])", "kontrol_indsigt_sager(text)", "kontrol_roller_til_db()",
              "kontrol_synkroniser_roller()")

_LISTE = ", ".join(f"'{f}'" for f in FORMAAL)

ROLLER_SQL = f"""
DO $$
DECLARE
    g text;
BEGIN
    IF to_regrole('{EJER}') IS NULL THEN
        CREATE ROLE {EJER} NOLOGIN;
    END IF;
    FOREACH g IN ARRAY ARRAY[{", ".join(f"'{g}'" for g in GRUPPER)}] LOOP
        IF to_regrole(g) IS NULL THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = to_regrole(g)
                       AND m.member = to_regrole('{EJER}') AND m.admin_option) THEN
            EXECUTE format('GRANT %I TO {EJER} WITH ADMIN OPTION', g);
        END IF;
    END LOOP;
    IF NOT pg_has_role(current_user, '{EJER}', 'MEMBER') THEN
        EXECUTE format('GRANT {EJER} TO %I', current_user);
    END IF;
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO {EJER}', current_schema());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {", ".join(GRUPPER)}', current_schema());
END
$$"""

# The person a showing is logged on: the database login. Only a login that could write the log
# directly anyway (the owner's members, the superuser) may name the product's person instead.
BRUGER_SQL = f"""
CREATE FUNCTION kontrol_bruger(p_person text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF pg_has_role(session_user, '{EJER}', 'MEMBER') THEN
        RETURN coalesce(nullif(p_person, ''), session_user::text);
    END IF;
    IF p_person IS NOT NULL AND p_person <> session_user::text THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Du er logget ind i databasen som %s; en visning kan ikke registreres på et andet navn',
            session_user);              -- the name given is not repeated: it may be anything
    END IF;
    RETURN session_user::text;
END
$$"""

# One visninger row, chained as logkaede.kanonisk/beregn do it: the JSON array
# ["visninger", sag_id, tid, bruger, hvad, formaal, rolle, identitet, forrige_hash] without spaces,
# non-ASCII as is, SHA-256 of its UTF-8 bytes in hex.
VISNING_SQL = f"""
CREATE FUNCTION kontrol_visning(p_sag_id text, p_tid timestamp, p_bruger text, p_hvad text, p_formaal text,
                                p_rolle text, p_identitet text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    forrige text;
    kanon text;
BEGIN
    PERFORM pg_advisory_xact_lock({LAAS_VISNINGER});
    SELECT v.hash INTO forrige FROM visninger v ORDER BY v.id DESC LIMIT 1;
    forrige := coalesce(forrige, repeat('0', 64));
    kanon := '["visninger",' || concat_ws(',',
        coalesce(to_json(p_sag_id)::text, 'null'),
        coalesce(to_json(to_char(p_tid, 'YYYY-MM-DD HH24:MI:SS.US'))::text, 'null'),
        coalesce(to_json(p_bruger)::text, 'null'),
        coalesce(to_json(p_hvad)::text, 'null'),
        coalesce(to_json(p_formaal)::text, 'null'),
        coalesce(to_json(p_rolle)::text, 'null'),
        coalesce(to_json(p_identitet)::text, 'null'),
        to_json(forrige)::text) || ']';
    INSERT INTO visninger (tid, bruger, sag_id, hvad, formaal, rolle, identitet, forrige_hash, hash)
    VALUES (p_tid, p_bruger, p_sag_id, p_hvad, p_formaal, p_rolle, p_identitet, forrige,
            encode(sha256(convert_to(kanon, 'UTF8')), 'hex'));
END
$$"""

# The checks every showing function makes first (the caller's role, the purpose, the role named).
_TJEK = f"""
    IF NOT pg_has_role(session_user, 'kontrol_sagsbehandler', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen sagsbehandler (kontrol_sagsbehandler), '
            'som kræves for at se CPR-numre', session_user);
    END IF;
    IF p_formaal IS NULL OR NOT p_formaal = ANY (ARRAY[{_LISTE}]) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE =
            'Angiv et gyldigt formål med at se personoplysningerne ({", ".join(FORMAAL)}); '
            'visninger uden formål er ikke tilladt';
    END IF;
    IF p_rolle IS NULL OR NOT p_rolle = ANY (ARRAY[{", ".join(f"'{r}'" for r in ROLLER)}])
       OR NOT pg_has_role(session_user, 'kontrol_' || p_rolle, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen %s i databasen', session_user, p_rolle);
    END IF;"""

VIS_PERSONER_SQL = f"""
CREATE FUNCTION kontrol_vis_personer(p_sag_ids text[], p_hvad text, p_formaal text, p_rolle text,
                                     p_identitet text, p_person text)
RETURNS TABLE (sag_id text, ym_cpr text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
    bruger text;
    t timestamp := clock_timestamp() AT TIME ZONE 'UTC';
    s text;
BEGIN
{_TJEK}
    bruger := kontrol_bruger(p_person);
    FOR s IN SELECT x.id FROM unnest(p_sag_ids) WITH ORDINALITY AS x(id, n)
             GROUP BY x.id ORDER BY min(x.n) LOOP
        PERFORM kontrol_visning(s, t, bruger, p_hvad, p_formaal, p_rolle, p_identitet);
    END LOOP;
    RETURN QUERY SELECT sa.sag_id::text, sa.ym_cpr::text FROM sager sa WHERE sa.sag_id = ANY (p_sag_ids);
END
$$"""

KONTROLARK_SQL = f"""
CREATE FUNCTION kontrol_kontrolark(p_sag_id text, p_formaal text, p_rolle text, p_identitet text, p_person text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    ud jsonb;
BEGIN
{_TJEK}
    SELECT jsonb_build_object('ym_cpr', sa.ym_cpr, 'stamdata', sa.stamdata, 'udfald', coalesce((
               SELECT jsonb_agg(jsonb_build_object(
                          'regel', u.regel, 'regel_titel', u.regel_titel, 'kontroltype', u.kontroltype,
                          'rolle', u.rolle, 'haendelsesdato', u.haendelsesdato, 'oplysninger', u.oplysninger,
                          'koersdato', u.koersdato)
                      ORDER BY u.koersdato, u.regel, u.haendelsesdato, u.id)
               FROM udfald u WHERE u.sag_id = sa.sag_id), '[]'::jsonb))
      INTO ud FROM sager sa WHERE sa.sag_id = p_sag_id;
    IF ud IS NULL THEN
        RETURN NULL;                    -- no such case: nothing shown, nothing logged
    END IF;
    PERFORM kontrol_visning(p_sag_id, (clock_timestamp() AT TIME ZONE 'UTC')::timestamp, kontrol_bruger(p_person),
                            'kontrolark', p_formaal, p_rolle, p_identitet);
    RETURN ud;
END
$$"""

_KUN_SAGSBEHANDLER = """
    IF NOT pg_has_role(session_user, 'kontrol_sagsbehandler', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen sagsbehandler (kontrol_sagsbehandler)', session_user);
    END IF;"""

KENDTE_SQL = f"""
CREATE FUNCTION kontrol_kendte_udfald(p_ym text[], p_regel text[], p_haendelse text[])
RETURNS TABLE (ym_cpr text, regel text, haendelse_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT k.y, k.r, k.h FROM unnest(p_ym, p_regel, p_haendelse) AS k(y, r, h)
                 WHERE EXISTS (SELECT 1 FROM udfald u WHERE u.ym_cpr = k.y AND u.regel = k.r AND u.haendelse_id = k.h);
END
$$"""

FREDNING_SQL = f"""
CREATE FUNCTION kontrol_fredningsperioder(p_cprs text[], p_til text[])
RETURNS TABLE (ym_cpr text, dato date, data text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT s.ym_cpr::text, o.dato, o.data FROM overgange o JOIN sager s ON s.sag_id = o.sag_id
                 WHERE s.kontroltrin = 3 AND s.ym_cpr = ANY (p_cprs) AND o.til = ANY (p_til);
END
$$"""

SAGER_FOR_SQL = f"""
CREATE FUNCTION kontrol_sager_for(p_cprs text[])
RETURNS TABLE (sag_id text, ym_cpr text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
BEGIN
{_KUN_SAGSBEHANDLER}
    RETURN QUERY SELECT s.sag_id::text, s.ym_cpr::text FROM sager s WHERE s.ym_cpr = ANY (p_cprs);
END
$$"""

INDSIGT_SQL = """
CREATE FUNCTION kontrol_indsigt_sager(p_cpr text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'kontrol_tilsyn', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen tilsyn (kontrol_tilsyn)', session_user);
    END IF;
    RETURN QUERY SELECT s.sag_id::text FROM sager s WHERE s.ym_cpr = p_cpr
                 UNION SELECT u.sag_id::text FROM udfald u WHERE u.person_cpr = p_cpr
                 UNION SELECT s.sag_id::text FROM sager s WHERE s.stamdata LIKE '%"' || p_cpr || '"%';
END
$$"""

ROLLER_TRIGGER_SQL = f"""
CREATE FUNCTION kontrol_roller_til_db() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT (pg_has_role(session_user, 'kontrol_administrator', 'MEMBER')
            OR pg_has_role(session_user, '{EJER}', 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen administrator (kontrol_administrator), '
            'som kræves for at tildele og fjerne roller', session_user);
    END IF;
    IF NEW.rolle = ANY (ARRAY[{", ".join(f"'{r}'" for r in ROLLER)}])
       AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = NEW.person AND r.rolcanlogin) THEN
        IF NEW.handling = 'giv' THEN
            EXECUTE format('GRANT %I TO %I', 'kontrol_' || NEW.rolle, NEW.person);
        ELSIF NEW.handling = 'fjern' THEN
            EXECUTE format('REVOKE %I FROM %I', 'kontrol_' || NEW.rolle, NEW.person);
        END IF;
    END IF;
    RETURN NULL;
END
$$"""

# The same for every grant already in roller (a login created after its roles were granted):
# each login named in roller gets exactly the kontrol_ groups of its roles now. Returns the changes.
SYNK_SQL = f"""
CREATE FUNCTION kontrol_synkroniser_roller() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
    n integer := 0;
    har boolean;
BEGIN
    IF NOT (pg_has_role(session_user, 'kontrol_administrator', 'MEMBER')
            OR pg_has_role(session_user, '{EJER}', 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            'Adgang nægtet: databaselogin %s har ikke rollen administrator (kontrol_administrator), '
            'som kræves for at tildele og fjerne roller', session_user);
    END IF;
    FOR r IN SELECT DISTINCT ON (ro.person, ro.rolle) ro.person, ro.rolle, ro.handling, p.oid AS login
             FROM roller ro JOIN pg_roles p ON p.rolname = ro.person AND p.rolcanlogin
             WHERE ro.rolle = ANY (ARRAY[{", ".join(f"'{r}'" for r in ROLLER)}])
             ORDER BY ro.person, ro.rolle, ro.id DESC LOOP
        CONTINUE WHEN pg_has_role(r.login, '{EJER}', 'MEMBER');      -- the owner's members keep theirs
        har := EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = to_regrole('kontrol_' || r.rolle)
                       AND m.member = r.login);
        IF r.handling = 'giv' AND NOT har THEN
            EXECUTE format('GRANT %I TO %I', 'kontrol_' || r.rolle, r.person);
            n := n + 1;
        ELSIF r.handling = 'fjern' AND har THEN
            EXECUTE format('REVOKE %I FROM %I', 'kontrol_' || r.rolle, r.person);
            n := n + 1;
        END IF;
    END LOOP;
    RETURN n;
END
$$"""


def _sekvenser() -> str:
    """The id sequences of the store's tables (the names PostgreSQL gave the serial columns)."""
    tabeller = ", ".join(f"'{t}'" for t in ("udfald", *LOGTABELLER))
    return op.get_bind().exec_driver_sql(
        "SELECT string_agg(s, ', ') FROM (SELECT pg_get_serial_sequence(t, 'id') AS s "
        f"FROM unnest(ARRAY[{tabeller}]) AS t) q WHERE s IS NOT NULL").scalar()


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(ROLLER_SQL)
    for tabel in ("sager", "udfald", *LOGTABELLER, "alembic_version"):
        op.execute(f"ALTER TABLE {tabel} OWNER TO {EJER}")
    op.execute(f"ALTER FUNCTION kontrol_log_kun_tilfoejelse() OWNER TO {EJER}")
    grupper = ", ".join(GRUPPER)
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(LOGTABELLER)} TO {grupper}")
    op.execute(f"GRANT SELECT ON alembic_version TO {grupper}")
    op.execute(f"GRANT USAGE ON SEQUENCE {_sekvenser()} TO {grupper}")
    for tabel, skjulte in CPR_KOLONNER.items():
        op.execute(f"GRANT INSERT ON {tabel} TO {grupper}")
        synlige = op.get_bind().exec_driver_sql(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
            f"WHERE attrelid = '{tabel}'::regclass AND attnum > 0 AND NOT attisdropped "
            f"AND attname NOT IN ({', '.join(repr(k) for k in skjulte)})").scalar()
        op.execute(f"GRANT SELECT ({synlige}) ON {tabel} TO {grupper}")
    for sql in (BRUGER_SQL, VISNING_SQL, VIS_PERSONER_SQL, KONTROLARK_SQL, KENDTE_SQL, FREDNING_SQL, SAGER_FOR_SQL,
                INDSIGT_SQL, ROLLER_TRIGGER_SQL, SYNK_SQL):
        op.execute(sql)
    for f in FUNKTIONER:
        op.execute(f"ALTER FUNCTION {f} OWNER TO {EJER}")
        op.execute(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC")
    for f in FUNKTIONER[2:7]:
        op.execute(f"GRANT EXECUTE ON FUNCTION {f} TO kontrol_sagsbehandler")
    op.execute("GRANT EXECUTE ON FUNCTION kontrol_indsigt_sager(text) TO kontrol_tilsyn")
    op.execute("GRANT EXECUTE ON FUNCTION kontrol_synkroniser_roller() TO kontrol_administrator")
    op.execute("CREATE TRIGGER roller_til_db AFTER INSERT ON roller FOR EACH ROW EXECUTE FUNCTION kontrol_roller_til_db()")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER roller_til_db ON roller")
    for f in reversed(FUNKTIONER):
        op.execute(f"DROP FUNCTION {f}")
    grupper = ", ".join(GRUPPER)
    for tabel in ("sager", "udfald", *LOGTABELLER, "alembic_version"):
        op.execute(f"REVOKE ALL ON {tabel} FROM {grupper}")
    op.execute(f"REVOKE ALL ON SEQUENCE {_sekvenser()} FROM {grupper}")
    # The tables stay with kontrol_ejer and the cluster roles stay: other databases may use them.
