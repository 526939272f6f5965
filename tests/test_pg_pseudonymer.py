"""PostgreSQL computes the analytiker's pseudonyms (revision 0007; spec/sikkerhed.md, Roles).

On the team server the analyst's kernel may hold neither a CPR number nor the pseudonym key. The
analysis key lives in ``kontrol_noegle.analysenoegle`` (readable by ``kontrol_ejer`` only); the
SECURITY DEFINER functions ``kontrol_analyse_sager``/``kontrol_analyse_udfald`` return pseudonyms
computed in SQL. Proven here: the SQL pseudonyms, ids and free-text replacements equal
:mod:`kontrol_lib.vokabular.pseudonym`'s with the same key (read as the superuser); the login
``alma`` (analytiker) gets pseudonyms through ``psql`` and the library, reads no key file, and can
select neither the key nor a CPR column; a leder or sagsbehandler login is refused in Danish.
"""

import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from notebookkoersel import koer_notebook
from sqlalchemy.pool import NullPool
from test_pg_adgang import ANNA, EFTERNAVN, LARS, lagret, psql, som  # noqa: F401 - lagret is a fixture
from test_sagsstyring_kontrolark import AEF, YM

from kontrol_lib.rapporter import analyse as an
from kontrol_lib.rapporter.adgang import Adgang
from kontrol_lib.sager import SagsLager, pg_adgang
from kontrol_lib.sager import pseudonymisering as pz
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import ramme
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.pseudonym import Pseudonymer

ALMA = f"alma_{EFTERNAVN}"
CPR = re.compile(r"\d{6}-?\d{4}")
TEKSTER = ["YM-0101801234", "cpr0101801234x", "010180-1234 og 0202811235.", "a0101801234b0202811235c",
           "12345678901", "0101801234-5678", "x010180-12345", "010180--1234", "0101801234\n0987654321",
           "æøå «010180-1234» ☃", "tlf. 12 34 56 78, kr. 1.234.567,89", "ingen", "", " ", None]


@pytest.fixture
def alma(lagret):  # noqa: F811 - the fixture imported above
    """``alma``, an analytiker login (granted through the product), and the analysis key."""
    admin = lagret["admin"]
    with admin.engine.begin() as c:
        c.exec_driver_sql(f'CREATE ROLE "{ALMA}" LOGIN')
    admin.giv_roller(ALMA, ["analytiker"], bruger="admin_" + EFTERNAVN)
    with admin.engine.connect() as c:                  # the superuser may read it; nobody else
        noegle = bytes(c.exec_driver_sql("SELECT noegle FROM kontrol_noegle.analysenoegle").scalar())
    try:
        yield {**lagret, "noegle": noegle}
    finally:
        with admin.engine.begin() as c:
            c.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{ALMA}'")
            c.exec_driver_sql(f'DROP ROLE IF EXISTS "{ALMA}"')


def test_the_analysis_key_is_32_random_bytes_owned_by_kontrol_ejer_with_no_grants(alma):
    assert len(alma["noegle"]) == 32 and len(set(alma["noegle"])) > 8
    with alma["admin"].engine.connect() as c:
        assert c.exec_driver_sql("SELECT tableowner FROM pg_tables WHERE schemaname = 'kontrol_noegle' "
                                 "AND tablename = 'analysenoegle'").scalar() == pg_adgang.EJER
        assert c.exec_driver_sql("SELECT count(*) FROM information_schema.role_table_grants WHERE "
                                 "table_schema = 'kontrol_noegle' AND grantee <> 'kontrol_ejer'").scalar() == 0
        for g in pg_adgang.GRUPPER.values():
            assert not c.exec_driver_sql(f"SELECT has_schema_privilege('{g}', 'kontrol_noegle', 'USAGE')").scalar()


def test_the_sql_pseudonyms_are_python_s_with_the_same_key(alma):
    p = Pseudonymer(alma["noegle"])
    cprs = [YM, AEF, "010180-1234", " 0101801234 ", None, ""]
    with alma["admin"].engine.connect() as c:
        def sql(f, *args):
            return c.execute(sa.text(f"SELECT kontrol_noegle.{f}(:n, {', '.join(f':a{i}' for i in range(len(args)))})"),
                             {"n": alma["noegle"], **{f"a{i}": a for i, a in enumerate(args)}}).scalar()
        assert [sql("pseudonym", x) for x in cprs] == [p(x) for x in cprs]
        assert sql("pseudonym", YM).startswith("P-") and len(sql("pseudonym", YM)) == 21
        assert [sql("i_tekst", t) for t in TEKSTER] == [p.i_tekst(t) for t in TEKSTER]
        assert sql("i_tekst", "YM-0101801234") == "YM-" + p(YM)
        ids = ["a3f9c2d1e0b4", "flytning|A2|2024-03-10", "æøå", " ", None]
        assert [sql("noeglet_id", h, "H-") for h in ids] == [p.noeglet_id(h) for h in ids]
    with alma["admin"].engine.connect() as c, pytest.raises(sa.exc.DBAPIError) as e:
        c.execute(sa.text("SELECT kontrol_noegle.pseudonym(:n, '01018012345')"), {"n": alma["noegle"]})
    assert "Et CPR-nummer har 10 cifre" in str(e.value.orig) and "01018012345" not in str(e.value.orig).split("\n")[0]


def test_the_analytiker_gets_pseudonyms_in_psql_and_can_read_neither_key_nor_cpr(alma):
    url, sag = alma["url"], alma["sag"]
    p = Pseudonymer(alma["noegle"])
    r = psql(url, ALMA, "SELECT sag_id, ym_pseudonym FROM kontrol_analyse_sager(NULL)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{sag}|{p(YM)}"
    r = psql(url, ALMA, "SELECT ym_pseudonym, person_pseudonym, haendelse_id, oplysninger FROM kontrol_analyse_udfald(151)")
    assert r.returncode == 0, r.stderr
    assert {line.split("|")[1] for line in r.stdout.strip().splitlines()} == {p(YM), p(AEF)}
    assert CPR.findall(r.stdout) == [] and "H-" in r.stdout
    assert psql(url, ALMA, "SELECT count(*) FROM kontrol_analyse_udfald(999)").stdout.strip() == "0"
    for sql, fejl in (("SELECT noegle FROM kontrol_noegle.analysenoegle", "permission denied for schema kontrol_noegle"),
                      (f"SELECT kontrol_noegle.pseudonym('\\x00'::bytea, '{YM}')", "permission denied for schema"),
                      ("SELECT ym_cpr FROM sager", "permission denied for table sager"),
                      ("SELECT person_cpr FROM udfald", "permission denied for table udfald"),
                      ("SELECT oplysninger FROM udfald", "permission denied for table udfald"),
                      ((f"SELECT * FROM kontrol_vis_personer(ARRAY['{sag}'], 'psql', 'visitering', 'analytiker', "
                        "'styresystem', NULL)"), "permission denied for function")):
        r = psql(url, ALMA, sql)
        assert r.returncode != 0 and fejl in r.stderr, (sql, r.stderr)


def test_a_leder_or_sagsbehandler_login_is_refused_in_danish(alma):
    for login, rolle in ((LARS, "leder"), (ANNA, "sagsbehandler")):
        for f in ("kontrol_analyse_sager(NULL)", "kontrol_analyse_udfald(151)"):
            r = psql(alma["url"], login, f"SELECT * FROM {f}")
            assert r.returncode != 0, (login, f)
            assert (f"Adgang nægtet: databaselogin {login} har ikke rollen analytiker (kontrol_analytiker), "
                    "som kræves for at se pseudonymiserede data") in r.stderr
            assert YM not in r.stdout + r.stderr


def _raa(admin) -> tuple[pd.DataFrame, list[dict]]:
    """The cases and udfald with their CPR numbers, read as the superuser (the test's reference)."""
    u, s = S.udfald, S.sager
    with admin.engine.connect() as c:
        sager = admin.aktuelle(c)
        cpr = dict(c.execute(sa.select(s.c.sag_id, s.c.ym_cpr)).all())
        udfald = [dict(r) for r in c.execute(sa.select(*[u.c[k] for k in pz.UDFALD_KOLONNER]).order_by(u.c.id))
                  .mappings()]
    sager["ym_cpr"] = [cpr[x] for x in sager["sag_id"]]
    return sager, udfald


def test_the_library_on_postgresql_returns_what_it_returns_on_sqlite_with_the_database_s_key(alma, monkeypatch):
    """``pseudonymisering.sager``/``udfald`` as alma: the same frame as the SQLite path computes from
    the CPR numbers with the same key, and no key file is read at all."""
    def ingen_noeglefil(*a, **k):
        raise AssertionError("en nøglefil blev læst på PostgreSQL")
    monkeypatch.setattr(pz, "Pseudonymer", ingen_noeglefil)
    monkeypatch.setattr(an, "Pseudonymer", ingen_noeglefil)
    p = Pseudonymer(alma["noegle"])
    raa_sager, raa_udfald = _raa(alma["admin"])
    lg = SagsLager(som(alma["url"], ALMA))
    alma["lagre"].append(lg)
    sager = pz.sager(lg, 151, bruger=ALMA)
    forventet = (p.kolonner(raa_sager, cpr=["ym_cpr"]).rename(columns={"ym_cpr": "ym_pseudonym"})
                 .sort_values(["oprettet", "sag_id"], kind="stable").reset_index(drop=True))
    pd.testing.assert_frame_equal(sager, forventet)
    assert list(sager["ym_pseudonym"]) == [p(YM)]
    udfald = pz.udfald(lg, 151, bruger=ALMA)
    forventet = pz.udfald_pseudonymiseret(ramme(raa_udfald, pz.UDFALD_KOLONNER), p)
    pd.testing.assert_frame_equal(udfald, forventet)
    assert len(udfald) == 2 and set(udfald["person_pseudonym"]) == {p(YM), p(AEF)}
    assert CPR.findall(udfald.to_csv()) == [] and all(h.startswith("H-") for h in udfald["haendelse_id"])
    assert pz.udfald(lg, 999, bruger=ALMA).empty
    # udforskning's section, as the notebook calls it
    monkeypatch.setenv("KONTROL_TESTIDENTITET", ALMA)
    dele = an.sager_i_lageret(Adgang(ALMA, "analytiker", som(alma["url"], ALMA)), 151)
    assert [type(d).__name__ for d in dele] == ["Udskrift", "Raekker", "Udskrift", "Raekker"]
    assert list(dele[1].data["ym_pseudonym"]) == [p(YM)]


def test_the_database_refuses_the_library_when_the_login_lost_the_role(alma):
    """The product still says analytiker, a DBA revoked the database role: a Danish sentence."""
    with alma["admin"].engine.begin() as c:
        c.exec_driver_sql(f'GRANT kontrol_leder TO "{ALMA}"')             # may still open the store
        c.exec_driver_sql(f'REVOKE kontrol_analytiker FROM "{ALMA}"')
    lg = SagsLager(som(alma["url"], ALMA))
    alma["lagre"].append(lg)
    for f in (pz.sager, pz.udfald):
        with pytest.raises(AdgangNaegtet, match="har ikke rollen analytiker \\(kontrol_analytiker\\)") as e:
            f(lg, None, bruger=ALMA)
        assert YM not in str(e.value) and "SELECT" not in str(e.value)


def test_a_store_without_a_key_says_so_in_danish(alma):
    eng = sa.create_engine(alma["url"], poolclass=NullPool)
    lg = SagsLager(som(alma["url"], ALMA))
    alma["lagre"].append(lg)
    try:
        with eng.begin() as c:
            c.exec_driver_sql("DELETE FROM kontrol_noegle.analysenoegle")
        with pytest.raises(KontrolFejl, match="Sagslageret har ingen analysenøgle"):
            pz.sager(lg, None, bruger=ALMA)
    finally:
        with eng.begin() as c:
            c.execute(sa.text("INSERT INTO kontrol_noegle.analysenoegle (noegle) VALUES (:n)"), {"n": alma["noegle"]})
        eng.dispose()


def test_a_temporary_table_cannot_stand_in_for_the_store(alma):
    """Without pg_temp last in the pinned search_path, PostgreSQL would search the caller's temporary
    schema first: alma's own ``sager`` with a CPR number of her choice would come back pseudonymised
    (a re-identification oracle). Revision 0007 pins pg_temp last."""
    p = Pseudonymer(alma["noegle"])
    r = psql(alma["url"], ALMA, "CREATE TEMP TABLE sager (sag_id text, ym_cpr text, kommunekode int); "
                                "CREATE TEMP TABLE udfald (id bigint, sag_id text); "
                                "GRANT ALL ON pg_temp.sager, pg_temp.udfald TO kontrol_ejer; "
                                f"INSERT INTO sager VALUES ('fremmed', '{AEF}', 151); "
                                "SELECT sag_id, ym_pseudonym FROM kontrol_analyse_sager(NULL); "
                                "SELECT count(*) FROM kontrol_analyse_udfald(NULL); "
                                "DROP TABLE pg_temp.sager, pg_temp.udfald")
    assert r.returncode == 0, r.stderr
    linjer = r.stdout.splitlines()
    assert linjer[linjer.index("INSERT 0 1") + 1:][:2] == [f"{alma['sag']}|{p(YM)}", "2"], r.stdout
    assert "fremmed" not in r.stdout and p(AEF) not in r.stdout


def test_udforskning_as_the_analytiker_on_postgresql_shows_the_database_s_pseudonyms(alma, tmp_path, monkeypatch):
    """The notebook end to end as alma's login: the store's sections carry the database's pseudonyms,
    the register folder's samkøring the key file's (readable here: a laptop-like test), no CPR."""
    import nbformat  # lazy: only this test runs the notebook
    from test_pseudonym import TESTNOEGLE  # lazy: the file key of the pseudonym tests
    from test_sagsstyring_kontrolark import D  # lazy: the day of lagret's daily run

    from kontrol_lib.vokabular.pseudonym import pseudonym
    noeglefil = tmp_path / "noegle"
    noeglefil.write_text(TESTNOEGLE.hex() + "\n")
    noeglefil.chmod(0o600)
    monkeypatch.setenv("KONTROL_NOEGLE", str(noeglefil))
    monkeypatch.setenv("KONTROL_TESTIDENTITET", ALMA)
    rod = Path(__file__).resolve().parents[1]
    ud = tmp_path / "udforskning.ipynb"
    koer_notebook(str(rod / "notebooks" / "udforskning.ipynb"), str(ud),
                  cwd=str(rod / "notebooks"), kernel_name="python3",
                  parameters={"kommune": 151, "aar": 2024, "sager": "", "db": som(alma["url"], ALMA),
                              "benchmark": "", "data": str(alma["data"]), "dato": D.isoformat()})
    nb = nbformat.read(ud, as_version=4)
    tekst = "\n".join(str(o) for c in nb.cells for o in c.get("outputs", []))
    assert f"Logget ind som {ALMA} med rollen analytiker" in tekst
    assert "1 sager i sagslageret" in tekst and "2 udfald på sagerne" in tekst
    assert Pseudonymer(alma["noegle"])(YM) in tekst               # the store: the analysis key
    assert pseudonym(YM, TESTNOEGLE) in tekst                       # the register folder: the key file
    raa = re.sub(r"<script.*?</script>", " ", ud.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert [c for c in (YM, AEF, YM[:6] + "-" + YM[6:], AEF[:6] + "-" + AEF[6:]) if c in raa] == []
