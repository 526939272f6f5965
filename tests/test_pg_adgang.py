"""PostgreSQL decides who can read what (spec/sikkerhed.md; revision 0005, kontrol_lib.sager.pg_adgang).

Three logins of a throw-away cluster: ``anna`` (sagsbehandler, granted through the product),
``lars`` (leder only) and ``koersel`` (the daily run's service identity, sagsbehandler). Proven
with Debian's ``psql`` as each login: nobody selects a CPR column; lars may not call the showing
function; anna may, and the ``visninger`` row it writes names her login and the purpose, in a hash
chain that ``tjek_log`` verifies; UPDATE, DELETE and TRUNCATE are refused by privileges; the
daily run works as the service identity; schema changes run as ``kontrol_ejer``.
"""

import datetime as dt
import glob
import importlib.util
import random
import shutil
import string
import subprocess

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from test_sagsstyring_hjaelp import NAESTE, UDGIVNE, alembic_kopi, revision
from test_sagsstyring_kontrolark import AEF, YM, D, verden

from kontrol_lib.jobs.daglig import koer
from kontrol_lib.regler.byg import skriv_mappe
from kontrol_lib.sager import SagsLager, logkaede, migrations, pg_adgang
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import FORMAAL, ROLLER

PSQL = (sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True) or [shutil.which("psql")])[0]
EFTERNAVN = "".join(random.choices(string.ascii_lowercase, k=6))     # cluster roles outlive a database
ANNA, LARS, KOERSEL, ADMIN = (f"{n}_{EFTERNAVN}" for n in ("anna", "lars", "koersel", "admin"))


def som(url: str, login: str) -> str:
    return make_url(url).set(username=login).render_as_string(hide_password=False)


def psql(pg_url: str, login: str, sql: str) -> subprocess.CompletedProcess:
    u = make_url(pg_url)
    return subprocess.run([PSQL, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", u.query["host"], "-U", login,
                           "-d", u.database, "-c", sql], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def lagret(pg_url, tmp_path):
    """A store made by the cluster superuser (a test store), the three logins with their roles
    granted through the product (``kontrol rolle --giv``), and one case from the daily run, run as
    the service identity ``koersel``."""
    su = sa.create_engine(pg_url, poolclass=NullPool)
    with su.begin() as c:
        for login in (ANNA, LARS, KOERSEL):
            c.exec_driver_sql(f'CREATE ROLE "{login}" LOGIN')
    admin = SagsLager(pg_url)                                       # the superuser: migrates (0001–0005)
    admin.giv_roller(ADMIN, ["administrator", "tilsyn", "leder"], bruger=ADMIN)
    admin.giv_roller(ANNA, ["sagsbehandler"], bruger=ADMIN)
    admin.giv_roller(LARS, ["leder"], bruger=ADMIN)
    admin.giv_roller(KOERSEL, ["sagsbehandler"], bruger=ADMIN)
    data = skriv_mappe(tmp_path / "data", verden())
    koersel = SagsLager(som(pg_url, KOERSEL))
    res = koer(data, D, lager=koersel, bruger=KOERSEL)
    koersel.luk()
    lagre = [admin]
    try:
        yield {"admin": admin, "sag": res.nye_sager[0], "res": res, "url": pg_url, "data": data, "lagre": lagre}
    finally:
        for lg in lagre:
            lg.luk()
        with su.begin() as c:
            c.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              f"WHERE usename IN ('{ANNA}', '{LARS}', '{KOERSEL}')")
            for login in (ANNA, LARS, KOERSEL):
                c.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        su.dispose()


def test_the_daily_run_works_as_the_service_identity_and_fredning_holds(lagret):
    res = lagret["res"]
    assert (res.udfald_i_alt, res.nye_udfald, len(res.nye_sager)) == (2, 2, 1)
    koersel = SagsLager(som(lagret["url"], KOERSEL))
    lagret["lagre"].append(koersel)
    igen = koer(lagret["data"], D, lager=koersel, bruger=KOERSEL)     # the same day again: all fredet
    assert (igen.nye_udfald, igen.nye_sager) == (0, [])


def test_the_product_roles_are_database_roles(lagret):
    with lagret["admin"].engine.connect() as c:
        assert pg_adgang.db_roller(c, ANNA) == {"sagsbehandler"}
        assert pg_adgang.db_roller(c, LARS) == {"leder"}
        assert pg_adgang.db_roller(c, KOERSEL) == {"sagsbehandler"}


def test_lars_cannot_select_a_cpr_number_at_all(lagret):
    url, sag = lagret["url"], lagret["sag"]
    for sql in ("SELECT ym_cpr FROM sager", "SELECT stamdata FROM sager", "SELECT * FROM sager",
                "SELECT ym_cpr FROM udfald", "SELECT person_cpr FROM udfald", "SELECT oplysninger FROM udfald",
                "SELECT count(*) FROM sager WHERE ym_cpr LIKE '01%'"):
        r = psql(url, LARS, sql)
        assert r.returncode != 0 and "permission denied for table" in r.stderr, (sql, r.stdout)
    r = psql(url, LARS, f"SELECT * FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', 'leder', "
                        f"'styresystem', NULL)")
    assert r.returncode != 0 and "permission denied for function kontrol_vis_personer" in r.stderr
    r = psql(url, LARS, f"SELECT kontrol_kontrolark('{sag}', 'visitering', 'leder', 'styresystem', NULL)")
    assert r.returncode != 0 and "permission denied for function kontrol_kontrolark" in r.stderr
    for f in ("kontrol_kendte_fredning(ARRAY['ab'], ARRAY['flytning'], ARRAY['x'])",
              "kontrol_sager_for_noegle(ARRAY['ab'])", f"kontrol_indsigt_sager('{YM}')", "kontrol_slet(1)"):
        r = psql(url, LARS, f"SELECT * FROM {f}")
        assert r.returncode != 0 and "permission denied for function" in r.stderr, f
    # what is not personal data is readable
    r = psql(url, LARS, "SELECT sag_id, kommunekode FROM sager")
    assert r.returncode == 0 and r.stdout.strip() == f"{sag}|151"
    assert YM not in r.stdout + r.stderr


def test_anna_reads_cpr_only_through_the_function_which_logs_her_login_and_purpose(lagret):
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    for sql in ("SELECT ym_cpr FROM sager", "SELECT * FROM udfald", "SELECT oplysninger FROM udfald"):
        r = psql(url, ANNA, sql)
        assert r.returncode != 0 and "permission denied for table" in r.stderr, sql
    r = psql(url, ANNA, f"SELECT ym_cpr FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', "
                        f"'sagsbehandler', 'styresystem', NULL)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == YM
    v = admin.visninger(bruger=ADMIN)
    assert v[["bruger", "sag_id", "hvad", "formaal", "rolle"]].values.tolist()[-1] == \
        [ANNA, sag, "psql", "visitering", "sagsbehandler"]
    # another name than the login, no purpose, a role the login does not hold: refused in Danish
    for args, fejl in (("'visitering', 'sagsbehandler', 'styresystem', 'bo'", "en visning kan ikke registreres på"),
                       ("NULL, 'sagsbehandler', 'styresystem', NULL", "Angiv et gyldigt formål"),
                       ("'hygge', 'sagsbehandler', 'styresystem', NULL", "Angiv et gyldigt formål"),
                       ("'visitering', 'tilsyn', 'styresystem', NULL", "har ikke rollen tilsyn")):
        r = psql(url, ANNA, f"SELECT * FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', {args})")
        assert r.returncode != 0 and fejl in r.stderr, (args, r.stderr)
        assert YM not in r.stderr
    assert len(admin.visninger(bruger=ADMIN)) == len(v)
    assert admin.tjek_log(bruger=ADMIN) == []


def test_a_temporary_visninger_cannot_swallow_the_log_row(lagret):
    """The functions' search_path has pg_temp last (revision 0007): anna's temporary ``visninger``
    (granted to kontrol_ejer) does not take the row the showing writes; the store's log does."""
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    n = len(admin.visninger(bruger=ADMIN))
    r = psql(url, ANNA, "CREATE TEMP TABLE visninger (LIKE public.visninger INCLUDING DEFAULTS); "
                        "GRANT ALL ON pg_temp.visninger TO kontrol_ejer; "
                        f"SELECT ym_cpr FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', "
                        "'sagsbehandler', 'styresystem', NULL); SELECT count(*) FROM pg_temp.visninger; "
                        "DROP TABLE pg_temp.visninger")
    assert r.returncode == 0, r.stderr
    linjer = r.stdout.splitlines()
    assert linjer[linjer.index("GRANT") + 1:][:2] == [YM, "0"], r.stdout
    v = admin.visninger(bruger=ADMIN)
    assert len(v) == n + 1 and v["bruger"].tolist()[-1] == ANNA
    assert admin.tjek_log(bruger=ADMIN) == []


def test_anna_cannot_update_delete_or_truncate_and_cannot_grant_herself_a_role(lagret):
    url = lagret["url"]
    for sql in ("UPDATE visninger SET bruger = 'x'", "DELETE FROM visninger", "TRUNCATE visninger",
                "UPDATE overgange SET bruger = 'x'", "DELETE FROM overgange", "UPDATE sager SET kommunekode = 1",
                "DELETE FROM roller", "DROP TABLE afvisninger", "ALTER TABLE visninger DISABLE TRIGGER ALL"):
        r = psql(url, ANNA, sql)
        assert r.returncode != 0, sql
        assert "permission denied" in r.stderr or "must be owner" in r.stderr, (sql, r.stderr)
    r = psql(url, ANNA, "INSERT INTO roller (tid, af, person, rolle, handling, identitet) "
                        f"VALUES (now(), '{ANNA}', '{ANNA}', 'administrator', 'giv', 'test')")
    assert r.returncode != 0 and "har ikke rollen administrator" in r.stderr
    with lagret["admin"].engine.connect() as c:
        assert pg_adgang.db_roller(c, ANNA) == {"sagsbehandler"}


def test_the_store_as_anna_shows_lists_and_kontrolark_through_the_functions(lagret):
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    anna = SagsLager(som(url, ANNA))
    lagret["lagre"].append(anna)
    assert anna.bestil(1, bruger=ANNA) == [sag]
    pl = anna.prioriteringsliste(bruger=ANNA, formaal="visitering")
    assert pl["cpr"].tolist() == [YM]
    ark = anna.kontrolark(sag, bruger=ANNA, formaal="partshoering")
    assert ark.sag["ym_cpr"] == YM and ark.stamdata["aegtefaelle"]["cpr"] == AEF
    assert len(ark.udfald) == 2 and all(u["oplysninger"] for u in ark.udfald)
    h = ark.html()
    assert "010180-1234" in h and "Ydelsesmodtageren er flyttet den 10-03-2024" in h
    v = admin.visninger(bruger=ADMIN)
    assert v[["bruger", "hvad", "formaal"]].values.tolist()[-2:] == [
        [ANNA, "prioriteringsliste", "visitering"], [ANNA, "kontrolark", "partshoering"]]
    # the chain holds across rows written by Python (indsigt) and by the functions
    assert len(admin.indsigt(YM, bruger=ADMIN)) == 2
    anna.visiter(sag, bruger=ANNA, beslutning="partshoering")
    assert admin.tjek_log(bruger=ADMIN) == []


def test_a_login_without_the_role_in_the_database_is_refused_even_if_the_product_says_yes(lagret):
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    admin.fjern_roller(ANNA, ["sagsbehandler"], bruger=ADMIN)          # REVOKE kontrol_sagsbehandler FROM anna
    with admin.engine.connect() as c:
        assert pg_adgang.db_roller(c, ANNA) == set()
    r = psql(url, ANNA, f"SELECT * FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', "
                        f"'sagsbehandler', 'styresystem', NULL)")
    assert r.returncode != 0 and "permission denied for function" in r.stderr


def test_the_chain_written_in_plpgsql_is_the_chain_python_computes(lagret):
    """Odd text (quotes, backslashes, control characters, Danish letters) hashes alike."""
    sag, admin = lagret["sag"], lagret["admin"]
    hvad = "æøå \"citat\" \\ \t\n\x01 ☃"
    with admin.engine.begin() as c:
        c.execute(sa.text("SELECT * FROM kontrol_vis_personer(ARRAY[:s], :h, 'klage', 'sagsbehandler', 'test', :p)"),
                  {"s": sag, "h": hvad[:40], "p": ANNA})
    with admin.engine.connect() as c:
        r = c.execute(sa.text("SELECT id, sag_id, tid, bruger, hvad, formaal, rolle, identitet, forrige_hash, hash "
                              "FROM visninger ORDER BY id DESC LIMIT 1")).mappings().one()
    assert r["hvad"] == hvad[:40] and r["bruger"] == ANNA          # the owner may name the product's person
    assert logkaede.beregn("visninger", r, r["forrige_hash"]) == r["hash"]
    assert admin.tjek_log(bruger=ADMIN) == []


def test_the_tables_belong_to_the_owner_role_and_later_revisions_run_as_it(lagret, tmp_path, monkeypatch):
    url = lagret["url"]
    with lagret["admin"].engine.connect() as c:
        ejere = dict(c.exec_driver_sql("SELECT tablename, tableowner FROM pg_tables "
                                       "WHERE schemaname = 'public'").all())
    assert set(ejere.values()) == {pg_adgang.EJER} and "visninger" in ejere
    v6 = revision(NAESTE, UDGIVNE[-1], "A later revision records who ran it.",
                  "op.execute('CREATE TABLE hvem AS SELECT current_user::text AS rolle, session_user::text AS login')",
                  "op.execute('DROP TABLE hvem')")
    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", alembic_kopi(tmp_path, {f"{NAESTE}_hvem.py": v6}))
    with pytest.raises(KontrolFejl, match=f"databaselogin {ANNA} må ikke ændre skemaet"):
        SagsLager(som(url, ANNA))
    lg = SagsLager(url)                                  # the superuser is a member of kontrol_ejer
    lagret["lagre"].append(lg)
    with lg.engine.connect() as c:
        assert c.exec_driver_sql("SELECT rolle, login FROM hvem").one() == (pg_adgang.EJER, "kontrol")
        assert c.exec_driver_sql("SELECT tableowner FROM pg_tables WHERE tablename = 'hvem'").scalar() == \
            pg_adgang.EJER
        assert c.exec_driver_sql("SELECT current_user").scalar() == "kontrol"     # only the migration ran as it


def test_the_revision_knows_every_purpose():
    """Revision 0005 wrote the purposes into its functions: a new purpose needs a new revision."""
    fil = next(migrations.SCRIPT_LOCATION.glob("versions/0005_*.py"))
    spec = importlib.util.spec_from_file_location("revision_0005", fil)
    rev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rev)
    assert rev.FORMAAL == tuple(FORMAAL) and rev.ROLLER == tuple(ROLLER)
    assert rev.LAAS_VISNINGER == logkaede.PG_LAAS["visninger"]
    assert {t: tuple(k) for t, k in rev.CPR_KOLONNER.items()} == pg_adgang.CPR_KOLONNER


def _alembic(url: str, handling: str, maal: str) -> None:
    """Drive Alembic to revision ``maal`` (``upgrade``/``downgrade``) over a connection as ``url``'s login."""
    from alembic import command  # lazy: only these tests drive Alembic to a revision
    eng = sa.create_engine(url, poolclass=NullPool)
    with eng.begin() as c:
        cfg = migrations.alembic_config()
        cfg.attributes["connection"] = c
        getattr(command, handling)(cfg, maal)
    eng.dispose()


def _analysenoegle(url: str) -> bytes:
    eng = sa.create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        n = bytes(c.exec_driver_sql("SELECT noegle FROM kontrol_noegle.analysenoegle").scalar())
    eng.dispose()
    return n


def test_revisions_0007_to_0005_downgrade_and_upgrade_again(lagret):
    url, sag = lagret["url"], lagret["sag"]
    anna = SagsLager(som(url, ANNA))
    lagret["lagre"].append(anna)
    anna.bestil(1, bruger=ANNA)
    anna.prioriteringsliste(bruger=ANNA, formaal="visitering")
    anna.luk()
    foer = _analysenoegle(url)
    _alembic(url, "downgrade", "0002")
    r = psql(url, ANNA, "SELECT sag_id FROM sager")
    assert r.returncode != 0 and "permission denied for table sager" in r.stderr      # the grants went too
    with lagret["admin"].engine.connect() as c:
        assert c.exec_driver_sql("SELECT to_regclass('kontrol_noegle.analysenoegle')").scalar() is None
        assert c.exec_driver_sql("SELECT to_regproc('kontrol_analyse_udfald')").scalar() is None
    lg = SagsLager(url)                   # up again, now as kontrol_ejer (it owns the tables)
    lagret["lagre"].append(lg)
    assert lg.tjek_log(bruger=ADMIN) == []
    r = psql(url, ANNA, f"SELECT ym_cpr FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', "
                        f"'sagsbehandler', 'styresystem', NULL)")
    assert r.returncode == 0 and r.stdout.strip() == YM
    efter = _analysenoegle(url)                        # a new analysis key: the analysts' pseudonyms change
    assert len(efter) == 32 and efter != foer
    with lg.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM kontrol_analyse_udfald(NULL)").scalar() == 2
    assert lg.tjek_log(bruger=ADMIN) == []


def test_a_migration_login_with_createrole_not_superuser_sets_up_a_new_database(pg_server):
    """The documented installation: a login with CREATEROLE owning the database runs 0001–0005; a
    later program's 0006 and 0007 then run as kontrol_ejer and creates pgcrypto and the analysis key's
    schema as the login (CREATE on the database); a member of kontrol_ejer without it is told so."""
    login, db, ejer2 = f"migrering_{EFTERNAVN}", f"kontrol_{EFTERNAVN}", f"ejer2_{EFTERNAVN}"
    su = sa.create_engine(pg_server["url"], isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with su.connect() as c:
        c.exec_driver_sql(f'CREATE ROLE "{login}" LOGIN CREATEROLE')
        c.exec_driver_sql(f'CREATE DATABASE "{db}" OWNER "{login}"')
    url = f"postgresql+psycopg://{login}@/{db}?host={pg_server['host']}"
    try:
        _alembic(url, "upgrade", "0005")
        with su.connect() as c:
            c.exec_driver_sql(f'CREATE ROLE "{ejer2}" LOGIN IN ROLE {pg_adgang.EJER}')
        with pytest.raises(KontrolFejl, match=f"databaselogin {ejer2} har ikke CREATE-rettighed på databasen"):
            SagsLager(url.replace(login, ejer2, 1))
        lg = SagsLager(url)                                          # 0006 and 0007 as kontrol_ejer
        with lg.engine.connect() as c:
            assert c.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = session_user").scalar() is False
            assert {r for (r,) in c.exec_driver_sql("SELECT DISTINCT tableowner FROM pg_tables "
                                                    "WHERE schemaname IN ('public', 'kontrol_noegle')")} == \
                {pg_adgang.EJER}
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == UDGIVNE[-1]
            assert c.exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                     "WHERE extname = 'pgcrypto'").scalar() == "kontrol_noegle"
            assert c.exec_driver_sql("SELECT current_user").scalar() == login
        lg.giv_roller(ADMIN, ["administrator", "tilsyn"], bruger=ADMIN)
        assert lg.tjek_log(bruger=ADMIN) == []
        lg.luk()
    finally:
        with su.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{ejer2}"')
            c.exec_driver_sql(f'DROP OWNED BY "{login}"')
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        su.dispose()


def test_importing_kontrolsager_works_as_a_caseworker_login(lagret):
    """Re-importing reads the known cases: without their CPR columns."""
    from test_sagsstyring_kontrolsager import CASES, df  # lazy: the import tests' sample cases
    anna = SagsLager(som(lagret["url"], ANNA))
    lagret["lagre"].append(anna)
    assert anna.importer_kontrolsager(df(*CASES), ANNA)["nye"] == 3
    assert anna.importer_kontrolsager(df(*CASES), ANNA)["uaendrede"] == 3
    assert lagret["admin"].tjek_log(bruger=ADMIN) == []


def test_on_sqlite_nothing_changed_lists_and_kontrolark_read_the_tables(tmp_path):
    """Revisions 0005 and 0007 are no-ops on SQLite; the store reads and logs as before."""
    lg = SagsLager(f"sqlite:///{tmp_path / 'kontrol.sqlite'}")
    res = koer(skriv_mappe(tmp_path / "data", verden()), D, lager=lg, bruger="anna")
    sag = res.nye_sager[0]
    with lg.laes() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == UDGIVNE[-1]
    assert lg.bestil(1, bruger="anna") == [sag]
    assert lg.prioriteringsliste(bruger="anna", formaal="visitering")["cpr"].tolist() == [YM]
    ark = lg.kontrolark(sag, bruger="anna", formaal="visitering")
    assert ark.sag["ym_cpr"] == YM and ark.stamdata["aegtefaelle"]["cpr"] == AEF and len(ark.udfald) == 2
    assert lg.visninger(bruger="anna")[["bruger", "hvad"]].values.tolist() == [
        ["anna", "prioriteringsliste"], ["anna", "kontrolark"]]
    assert lg.tjek_log(bruger="anna") == []
    lg.luk()


def test_the_chain_holds_when_functions_and_python_write_visninger_at_the_same_time(lagret):
    """Both writers take logkaede.PG_LAAS['visninger']: the chain never forks."""
    import threading  # lazy: only this test runs threads
    url, admin = lagret["url"], lagret["admin"]
    anna = SagsLager(som(url, ANNA))
    lagret["lagre"].append(anna)
    anna.bestil(1, bruger=ANNA)
    fejl = []

    def gentag(f):
        try:
            for _ in range(15):
                f()
        except Exception as e:          # noqa: BLE001 - reported below
            fejl.append(e)

    traade = [threading.Thread(target=gentag, args=(lambda: anna.prioriteringsliste(bruger=ANNA, formaal="klage"),)),
              threading.Thread(target=gentag, args=(lambda: admin.indsigt(YM, bruger=ADMIN),))]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=300)
    assert fejl == []
    v = admin.visninger(bruger=ADMIN)
    assert (v["hvad"] == "prioriteringsliste").sum() == 15 and (v["hvad"] == "indsigt").sum() >= 15
    assert admin.tjek_log(bruger=ADMIN) == []


def test_a_refusal_by_the_database_is_a_danish_sentence_without_cpr(lagret):
    """The product says sagsbehandler, the database (a DBA revoked it) says no: nothing is shown."""
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    anna = SagsLager(som(url, ANNA))
    lagret["lagre"].append(anna)
    anna.bestil(1, bruger=ANNA)
    with admin.engine.begin() as c:
        c.exec_driver_sql(f'GRANT kontrol_leder TO "{ANNA}"')               # may still read the store
        c.exec_driver_sql(f'REVOKE kontrol_sagsbehandler FROM "{ANNA}"')
    n = len(admin.visninger(bruger=ADMIN))
    for vis in (lambda: anna.kontrolark(sag, bruger=ANNA, formaal="visitering"),
                lambda: anna.prioriteringsliste(bruger=ANNA, formaal="visitering")):
        with pytest.raises(AdgangNaegtet, match="har ikke rollen sagsbehandler i databasen") as e:
            vis()
        assert YM not in str(e.value) and "SELECT" not in str(e.value)
    koersel = SagsLager(som(url, KOERSEL))          # and the service identity's look-ups say the same
    lagret["lagre"].append(koersel)
    with admin.engine.begin() as c:
        c.exec_driver_sql(f'GRANT kontrol_leder TO "{KOERSEL}"')            # may still read the store
        c.exec_driver_sql(f'REVOKE kontrol_sagsbehandler FROM "{KOERSEL}"')
    with pytest.raises(AdgangNaegtet) as e:
        koer(lagret["data"], D, lager=koersel, bruger=KOERSEL)
    assert YM not in str(e.value) and AEF not in str(e.value)
    assert len(admin.visninger(bruger=ADMIN)) == n
    with admin.engine.begin() as c:
        c.exec_driver_sql(f'REVOKE kontrol_leder FROM "{ANNA}"')
    with pytest.raises(AdgangNaegtet, match=f"databaselogin {ANNA} har ingen af sagslagerets roller"):
        SagsLager(som(url, ANNA))                   # without any kontrol_ role the store does not open


def test_a_login_created_after_its_roles_were_granted_is_synchronised(lagret):
    url, sag, admin = lagret["url"], lagret["sag"], lagret["admin"]
    sen = f"sen_{EFTERNAVN}"
    admin.giv_roller(sen, ["sagsbehandler", "tilsyn"], bruger=ADMIN)
    admin.fjern_roller(sen, ["tilsyn"], bruger=ADMIN)
    with admin.engine.begin() as c:
        c.exec_driver_sql(f'CREATE ROLE "{sen}" LOGIN')
    try:
        r = psql(url, sen, "SELECT kontrol_synkroniser_roller()")     # only an administrator may
        assert r.returncode != 0 and "permission denied for function" in r.stderr
        with admin.engine.begin() as c:
            assert pg_adgang.synkroniser_roller(c) == 1
            assert pg_adgang.synkroniser_roller(c) == 0
            assert pg_adgang.db_roller(c, sen) == {"sagsbehandler"}
        r = psql(url, sen, f"SELECT ym_cpr FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'klage', "
                           f"'sagsbehandler', 'styresystem', NULL)")
        assert r.returncode == 0 and r.stdout.strip() == YM
    finally:
        with admin.engine.begin() as c:
            c.exec_driver_sql(f'DROP ROLE "{sen}"')


def test_an_administrator_login_erases_through_kontrol_slet_and_fredning_still_holds(lagret):
    """Issue 13: a login holding only administrator erases a closed case through revision 0009's
    function; a caseworker may not; the daily run on the same day afterwards finds every udfald
    fredet although no CPR number is left on the case; the chains hold."""
    url, sag = lagret["url"], lagret["sag"]
    sletter = f"sletter_{EFTERNAVN}"
    su = sa.create_engine(url, poolclass=NullPool)
    with su.begin() as c:
        c.exec_driver_sql(f'CREATE ROLE "{sletter}" LOGIN')
    try:
        lagret["admin"].giv_roller(sletter, ["administrator"], bruger=ADMIN)
        anna = SagsLager(som(url, ANNA))
        lagret["lagre"].append(anna)
        assert anna.bestil(1, ANNA, dato=D) == [sag]
        anna.visiter(sag, ANNA, "henlaeg", dato=D)
        with pytest.raises(AdgangNaegtet):
            anna.slet(dt.date(2026, 1, 1), bruger=ANNA)
        r = psql(url, ANNA, "SELECT kontrol_slet(1)")
        assert r.returncode != 0 and "permission denied for function kontrol_slet" in r.stderr
        lg = SagsLager(som(url, sletter))
        lagret["lagre"].append(lg)
        assert lg.slet(dt.date(2026, 1, 1), bruger=sletter).sag_ids == [sag]
        res = lg.slet(dt.date(2026, 1, 1), udfoer=True, bruger=sletter)
        assert res.sag_ids == [sag] and res.udfoert
        with su.connect() as c:
            rest = c.exec_driver_sql("SELECT ym_cpr, stamdata FROM sager UNION ALL "
                                     "SELECT ym_cpr || person_cpr, oplysninger FROM udfald").fetchall()
        assert YM not in repr(rest) and AEF not in repr(rest)
        assert lagret["admin"].tjek_log(bruger=ADMIN) == []
        koersel = SagsLager(som(url, KOERSEL))
        lagret["lagre"].append(koersel)
        igen = koer(lagret["data"], D, lager=koersel, bruger=KOERSEL)
        assert (igen.nye_udfald, igen.nye_sager) == (0, [])
    finally:
        for lg in lagret["lagre"][1:]:
            lg.luk()
        del lagret["lagre"][1:]
        with su.begin() as c:
            c.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{sletter}'")
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{sletter}"')
        su.dispose()
