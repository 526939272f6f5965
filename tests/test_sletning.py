"""Retention and erasure (spec/sikkerhed.md, "Retention and minimisation"; issue 13).

Fredning by keyed hash (revision 0008): udfald carry ``ym_noegle`` and ``haendelse_noegle``
(HMAC-SHA256 with the file key); the existing rows are backfilled by the migration, which refuses
without a readable key; the look-ups use the hashes only, so a finding on an erased case stays
fredet, on SQLite and PostgreSQL.

``kontrol slet`` (revision 0009): shows counts per closing year and reason without erasing; with
``udfoer`` erases the personal columns of the cases due (5 years after aendret_tildeling, 1 after
a closing without change; never with an open repayment claim), logs it in the chained
``sletninger``, and ``tjek_log`` still holds; the triggers let through only the erased form of
an erased case; on PostgreSQL only ``kontrol_slet`` can write it; role administrator.
"""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.parametre import alle
from kontrol_lib.sager import SagsLager, regelgrundlag, sletning
from kontrol_lib.sager.grundlag import Beloeb
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular import pseudonym
from kontrol_lib.vokabular.fejl import KontrolFejl
from test_sagsstyring_hjaelp import REGLER, YM1, YM2, YM3, D, frame, u
from test_sagsstyring_migrations import forrige_udgivelse, opgrader, versioner


def _raekker(url: str, sql: str) -> list[tuple]:
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        out = [tuple(r) for r in c.exec_driver_sql(sql)]
    eng.dispose()
    return out


def test_revision_0008_backfills_the_keyed_hashes_of_existing_udfald(db_url):
    forrige_udgivelse(db_url)
    opgrader(db_url, "0007")
    noegle = pseudonym.hent_noegle()                  # the key exists (made on first use)
    SagsLager(db_url, testlager=True).luk()
    [(ym_h, h_h)] = _raekker(db_url, "SELECT ym_noegle, haendelse_noegle FROM udfald")
    assert ym_h == pseudonym.noeglet_hash(YM1, noegle) and h_h == pseudonym.noeglet_teksthash("h1", noegle)
    assert versioner(db_url)[0] >= "0008"


def test_without_a_readable_key_the_migration_refuses_in_danish_and_changes_nothing(db_url, tmp_path, monkeypatch):
    forrige_udgivelse(db_url)
    opgrader(db_url, "0007")
    monkeypatch.setenv(pseudonym.NOEGLE_MILJOE, str(tmp_path / "ingen" / "noegle"))
    with pytest.raises(KontrolFejl, match="pseudonymnøglen kan ikke læses: nøglefilen .* findes ikke") as e:
        SagsLager(db_url, testlager=True)
    assert YM1 not in str(e.value)
    assert versioner(db_url) == ["0007"]
    assert not (tmp_path / "ingen").exists()          # the migration does not make a new key


def test_a_store_without_udfald_needs_no_key_to_migrate(db_url, tmp_path, monkeypatch):
    forrige_udgivelse(db_url, raekker=False)
    opgrader(db_url, "0007")
    monkeypatch.setenv(pseudonym.NOEGLE_MILJOE, str(tmp_path / "ingen" / "noegle"))
    SagsLager(db_url, testlager=True).luk()
    assert versioner(db_url)[0] >= "0008"


# ------------------------------------------------------------------ kontrol slet (revision 0009)
PERSONER = {YM1: ("Jensine Sletmig Hansen", "Glemmevej 17"), YM2: ("Bo Kravsen", "Tilbagevej 3"),
            YM3: ("Åse Åbensag", "Ventevej 9")}


def _sag(lager, ym, dato, hid="h1"):
    navn, adresse = PERSONER[ym]
    fund = frame(u(ym, "flytning", hid, dato=dato.isoformat(), tekst=f"{navn} flyttede fra {adresse}"))
    [sag] = koer_udfald(lager, fund, dato, regler=REGLER,
                        stamdata={ym: {"cpr": ym, "navn": navn, "adresse": adresse}}).nye_sager
    lager.bestil(1, "anna", dato=dato)
    return sag


def _raa(url: str, sql: str, params: dict | None = None):
    """The statements of ``sql`` (separated by ';') in one transaction; the last one's rows."""
    eng = create_engine(url, poolclass=NullPool)
    try:
        with eng.begin() as c:
            for stmt in filter(str.strip, sql.split(";")):
                r = c.execute(text(stmt), params or {})
            return [tuple(x) for x in r] if r.returns_rows else []
    finally:
        eng.dispose()


def _alt(url: str) -> str:
    """Every column of every row of every table, as text."""
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        tabeller = [t for t in inspect(c).get_table_names()]
        ud = [repr(c.exec_driver_sql(f"SELECT * FROM {t}").fetchall()) for t in tabeller]
    eng.dispose()
    return "\n".join(ud)


@pytest.fixture
def lagret(db_url):
    lg = SagsLager(db_url)
    yield lg
    lg.luk()


def test_slet_shows_then_erases_keeps_fredning_and_the_chain(lagret, db_url):
    henlagt = _sag(lagret, YM1, D(2019, 5, 15))
    lagret.visiter(henlagt, "anna", "henlaeg", dato=D(2019, 5, 16))
    krav = _sag(lagret, YM2, D(2019, 6, 3))
    lagret.visiter(krav, "anna", "partshoering", dato=D(2019, 6, 4))
    lagret.afgoer(krav, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="100",
                                                             tilbagebetalingskrav="5000", aendring="stop"),
                  dato=D(2019, 6, 20))
    aaben = _sag(lagret, YM3, D(2019, 7, 1))                       # still bestilt: never erased

    assert lagret.slet(D(2020, 5, 15)).antal == 0                  # one year after 2019-05-16 is not yet
    vis = lagret.slet(D(2020, 5, 16))
    assert (vis.antal, vis.udfoert, vis.sag_ids) == (1, False, [henlagt])
    assert vis.oversigt.values.tolist() == [[2019, "henlagt_i_visitering", 1]]
    assert YM1 in _alt(db_url)                                     # showing erased nothing

    res = lagret.slet(D(2020, 5, 16), udfoer=True)
    assert (res.antal, res.udfoert, res.sag_ids) == (1, True, [henlagt])
    alt = _alt(db_url)
    assert YM1 not in alt and YM2 in alt and YM3 in alt
    assert lagret.tjek_log() == []
    assert lagret.slet(D(2020, 5, 16)).antal == 0                  # erased once

    # the same finding again: fredet, although no CPR number is left on its case
    igen = koer_udfald(lagret, frame(u(YM1, "flytning", "h1")), D(2021, 1, 4), regler=REGLER)
    assert (igen.nye_udfald, igen.fredede_udfald, igen.nye_sager) == (0, 1, [])

    # aendret_tildeling: five years; an open repayment claim keeps it, a korrektion to 0 releases it
    senere = lagret.slet(D(2024, 6, 20))
    assert senere.antal == 0 and senere.holdes_tilbage == [krav]
    lagret.korriger(krav, "anna", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="100",
                                          tilbagebetalingskrav="0", aendring="stop"), dato=D(2021, 3, 1))
    senere = lagret.slet(D(2024, 6, 20), udfoer=True)
    assert senere.sag_ids == [krav] and senere.oversigt.values.tolist() == [[2019, "aendret_tildeling", 1]]
    alt = _alt(db_url)
    for v in (YM1, YM2, *PERSONER[YM1], *PERSONER[YM2]):
        assert v not in alt, v
    assert all(v in alt for v in (YM3, *PERSONER[YM3])) and aaben
    assert lagret.tjek_log() == []
    log = _raa(db_url, "SELECT antal, oversigt, sag_ids FROM sletninger ORDER BY id")
    assert [r[0] for r in log] == [1, 1] and YM1 not in repr(log)


@pytest.mark.parametrize("sql", [
    "UPDATE udfald SET regel = 'x' WHERE sag_id = :s",                               # not the erased form
    "UPDATE udfald SET oplysninger = 'ny tekst' WHERE sag_id = :s",                    # erased, then changed
    "UPDATE sager SET ym_cpr = '', stamdata = NULL WHERE sag_id = :s",                 # a case not in slettede_sager
    "DELETE FROM slettede_sager",
    "UPDATE sletninger SET antal = 0",
])
def test_the_triggers_let_through_only_the_erasure_of_an_erased_case(lagret, db_url, sql):
    sag = _sag(lagret, YM1, D(2019, 5, 15))
    lagret.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 16))
    lagret.slet(D(2021, 1, 1), udfoer=True)
    levende = _sag(lagret, YM2, D(2020, 5, 15))
    with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
        _raa(db_url, sql, {"s": levende if "sager" in sql else sag})


def test_on_postgresql_even_the_owner_cannot_write_the_erased_form_outside_kontrol_slet(pg_url):
    lg = SagsLager(pg_url)
    try:
        sag = _sag(lg, YM1, D(2019, 5, 15))
        lg.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 16))
        lg.slet(D(2021, 1, 1), udfoer=True)
        andet = _sag(lg, YM2, D(2019, 5, 15), hid="h2")
        lg.visiter(andet, "anna", "henlaeg", dato=D(2019, 5, 16))
        # listed as erased by hand, then the erased form written directly: refused (not kontrol_slet)
        with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
            _raa(pg_url, "INSERT INTO slettede_sager (sag_id, sletning_id) SELECT :s, max(id) FROM sletninger; "
                         "SELECT set_config('kontrol.sletning', 'ja', true); "
                         "UPDATE sager SET ym_cpr = '', stamdata = NULL WHERE sag_id = :s", {"s": andet})
    finally:
        lg.luk()


def test_slet_is_for_administrators_and_the_command_shows_counts_without_cpr(lagret, db_url, capsys):
    sag = _sag(lagret, YM1, D(2019, 5, 15))
    lagret.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 16))
    lagret.giv_roller("admin", ["administrator"], bruger="admin")
    lagret.giv_roller("anna", ["sagsbehandler"], bruger="admin")
    with pytest.raises(AdgangNaegtet, match="administrator"):
        lagret.slet(D(2021, 1, 1), bruger="anna")
    if not db_url.startswith("sqlite"):
        return
    fil = db_url.removeprefix("sqlite:///")
    assert main(["slet", "--db", fil, "--dato", "2021-01-01", "--bruger", "admin"]) == 0
    ud = capsys.readouterr().out
    assert "henlagt_i_visitering" in ud and "1 sager ville få slettet" in ud and YM1 not in ud
    assert YM1 in _alt(db_url)
    assert main(["slet", "--db", fil, "--dato", "2021-01-01", "--udfoer", "--bruger", "admin"]) == 0
    ud = capsys.readouterr().out
    assert "er slettet og sletningen er logget" in ud and YM1 not in ud and YM1 not in _alt(db_url)


def test_the_periods_are_dated_parameters_with_an_own_value_per_municipality(tmp_path, monkeypatch):
    mappe = tmp_path / "parameters"
    shutil.copytree(Path(__file__).parents[1] / "parameters", mappe)
    egen = mappe / "sletning" / "kommune_151"
    egen.mkdir()
    (egen / "aar_efter_aendret_tildeling.yaml").write_text(
        (mappe / "sletning" / "aar_efter_aendret_tildeling.yaml").read_text(encoding="utf-8")
        .replace("2018-05-08: 5", "2018-05-08: 5\n  2025-01-01: 3"), encoding="utf-8")
    monkeypatch.setenv("KONTROL_PARAMETRE", str(mappe))
    alle.cache_clear()
    try:
        assert [sletning.aar(g, k, D(2025, 6, 1)) for g, k in (
            ("aendret_tildeling", 151), ("aendret_tildeling", 101), ("udloebet", 151),
            ("henlagt_i_visitering", 101))] == [3, 5, 1, 1]
        assert sletning.aar("aendret_tildeling", 151, D(2024, 6, 1)) == 5
    finally:
        alle.cache_clear()


def test_a_case_marked_as_erased_by_hand_is_found_by_the_log_check(lagret, db_url):
    sag = _sag(lagret, YM1, D(2019, 5, 15))
    lagret.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 16))
    lagret.slet(D(2021, 1, 1), udfoer=True)
    levende = _sag(lagret, YM2, D(2020, 5, 15))
    assert lagret.tjek_log() == []
    _raa(db_url, "INSERT INTO slettede_sager (sag_id, sletning_id) SELECT :s, max(id) FROM sletninger", {"s": levende})
    assert lagret.tjek_log() == [f"slettede_sager: sag {levende} står som slettet (sletning 1), men er ikke med "
                                 "i sletningsloggen"]


def test_after_erasure_the_kontrolark_holds_no_cpr_its_file_is_gone_and_trin3_fredning_holds(
        db_url, tmp_path, monkeypatch):
    """The erased case's kontrolark still opens (without a CPR number), the kontrolark written
    under the data folder is deleted with it, its sex and age band for the fairness measures stay
    (``sagsgrupper``, written at creation), and the fredningsperiode of a kontroltrin 3 case
    outlives the erasure of its CPR number (keyed hash), on SQLite and PostgreSQL."""
    from test_sagsstyring_trin3 import fil
    from kontrol_lib.sager.trin3 import laes
    monkeypatch.setenv("KONTROL_DATAMAPPE", str(tmp_path))     # PostgreSQL has no store folder
    lg = SagsLager(db_url)
    try:
        [sag] = lg.importer_trin3(laes(fil(tmp_path, ("UDK-1", YM1, "151", "sygedagpenge", "2024-05-02", "Løn"))),
                                  "import")["nye"]
        lg.bestil(1, "anna", dato=D(2024, 5, 6))
        lg.visiter(sag, "anna", "henlaeg", dato=D(2024, 5, 10), fredningsperiode=24)
        ark = lg.gem_kontrolark(sag, tmp_path / "ark.html", "anna", formaal="visitering")
        assert YM1[:6] in ark.read_text(encoding="utf-8")
        grupper = regelgrundlag.sagernes_grupper(lg).values.tolist()
        assert grupper == [[sag, 151, regelgrundlag.koen(YM1), regelgrundlag.aldersgruppe(YM1, D(2024, 5, 2))]]
        assert lg.slet(D(2025, 5, 9)).antal == 0                   # one year after the closing: not yet
        res = lg.slet(D(2025, 5, 10), udfoer=True)
        assert (res.sag_ids, res.filer.slettet, res.filer.til_brugeren) == ([sag], [str(ark)], [])
        assert not ark.exists()
        html = lg.kontrolark(sag, "anna", formaal="klage").html()
        assert YM1 not in html and YM1[:6] not in html and sletning.SLETTET_TEKST in html
        assert lg.tjek_log() == []
        assert regelgrundlag.sagernes_grupper(lg).values.tolist() == grupper   # the fairness figures stay
        inde = laes(fil(tmp_path, ("UDK-2", YM1, "151", "kontanthjaelp", "2026-05-09", ""), name="a.csv"))
        assert lg.importer_trin3(inde, "import") == {"nye": [], "kendte": [], "fredede": ["UDK-2"], "dubletter": []}
        ude = laes(fil(tmp_path, ("UDK-3", YM1, "151", "kontanthjaelp", "2026-05-10", ""), name="b.csv"))
        assert len(lg.importer_trin3(ude, "import")["nye"]) == 1
    finally:
        lg.luk()


def test_the_file_register_is_append_only_and_chained(lagret, db_url, tmp_path):
    sti = tmp_path / "liste.csv"
    sti.write_text("sag_id\nS1\n", encoding="utf-8")
    lagret.registrer_fil(sti, ["S1"], "prioriteringsliste", "anna")
    assert _raekker(db_url, "SELECT hvad, sti, sag_ids, bruger FROM filer") == [
        ("prioriteringsliste", str(sti.resolve()), '["S1"]', "anna")]
    for sql in ("UPDATE filer SET sti = 'x'", "DELETE FROM filer"):
        with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
            _raa(db_url, sql)
    assert lagret.tjek_log() == []
