"""``kontrol slet`` erases the caseworkers' free text too (revision 0013, issue 16), on SQLite and
PostgreSQL: a note, a link's reason (either side erased), a reopening's reason and a company
case's reason of an erased case are replaced by ``logkaede.SLETTET_FRITEKST``; no typed name is
left in any table (nor in the SQLite file's bytes); ``kontrol log --kontroller`` still holds,
because the chains hash the texts' SHA-256; a case that is not erased keeps its text; and no
direct UPDATE of a text gets through, whoever tries.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from kontrol_lib.flader.cli import main
from kontrol_lib.sager import SagsLager, logkaede
from kontrol_lib.sager.lager import sqlite_fil
from test_sagsstyring_hjaelp import YM1, YM2, D
from test_sagsstyring_migrations import forrige_udgivelse, opgrader, versioner
from test_sletning import PERSONER, _alt, _raa, _sag

M = logkaede.SLETTET_FRITEKST
NAVN = "Jensine Sletmig Hansen"                 # YM1's name, as a caseworker might type it
LEVENDE_NOTE = "Bo Kravsen har sendt kontoudtog"
FIRMA = "Glemmesen ApS"


def _fritekst(lg):
    """A case of YM1 (to be erased) with a note, a link to YM2's case (which stays), a reopening
    and a company case linked to it, every text naming the person; YM2's case has its own note."""
    sag = _sag(lg, YM1, D(2019, 5, 15))
    levende = _sag(lg, YM2, D(2020, 5, 15), hid="h2")
    lg.skriv_note(sag, f"{NAVN} ringede og fortalte om flytningen", "anna")
    lg.skriv_note(levende, LEVENDE_NOTE, "anna")
    lg.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 16))
    assert lg.genaabn(sag, f"Klage fra {NAVN}", "anna", dato=D(2019, 5, 20)) == "bestilt"
    lg.visiter(sag, "anna", "henlaeg", dato=D(2019, 5, 21))
    lg.tilknyt(sag, levende, f"{NAVN} bor hos Bo", "anna")
    firma, _ = lg.opret_virksomhedssag("12345678", 151, "kontanthjaelp", f"{FIRMA}: anmeldt af {NAVN}", "anna",
                                       dato=D(2019, 5, 16))
    lg.visiter(firma, "anna", "henlaeg", dato=D(2019, 5, 17))
    return sag, levende, firma


def test_slet_erases_notes_and_reasons_keeps_the_chain_and_the_living_case(db_url):
    lg = SagsLager(db_url)
    try:
        sag, levende, firma = _fritekst(lg)
        assert NAVN in _alt(db_url) and lg.tjek_log() == []
        res = lg.slet(D(2020, 5, 22), udfoer=True)
        assert res.sag_ids == sorted([sag, firma])
        alt = _alt(db_url)
        for v in (YM1, *PERSONER[YM1], "Jensine", "Sletmig", FIRMA):
            assert v not in alt, v
        assert LEVENDE_NOTE in alt and YM2 in alt                    # the case that is not erased keeps its text
        if (fil := sqlite_fil(db_url)) is not None:                  # ... and nothing is left on free pages
            raa = Path(fil).read_bytes()
            assert b"Sletmig" not in raa and FIRMA.encode() not in raa and YM1.encode() not in raa
        assert lg.tjek_log() == []                                   # the chains hash the texts' SHA-256
        assert lg.noter(sag, "anna", formaal="klage")["tekst"].tolist() == [M]
        assert lg.noter(levende, "anna", formaal="klage")["tekst"].tolist() == [LEVENDE_NOTE]
        assert lg.relationer(levende, "anna")[["sag_id", "grund"]].values.tolist() == [[sag, M]]
        log = lg.log(sag_id=sag, bruger="leder")
        genaabn = log[log["haendelse"] == "genaabn"]["data"].item()
        assert genaabn == {"grund": M, "lukket_som": "henlagt_i_visitering"}    # the digest stays in the row
        [(raa,)] = _raa(db_url, "SELECT data FROM overgange WHERE haendelse = 'genaabn'")
        assert json.loads(raa)["grund_sha256"] == logkaede.sha256(f"Klage fra {NAVN}")
        opret = lg.log(sag_id=firma, bruger="leder")
        assert opret[opret["haendelse"] == "opret"]["data"].item()["grund"] == M
        assert NAVN not in lg.kontrolark(sag, "anna", formaal="klage").html()
        assert lg.slet(D(2020, 5, 22), udfoer=True).antal == 0      # once
        assert lg.tjek_log() == []
    finally:
        lg.luk()


def test_the_command_line_check_holds_after_the_erasure(tmp_path, capsys):
    fil = tmp_path / "k.sqlite"
    lg = SagsLager(f"sqlite:///{fil}")
    _fritekst(lg)
    lg.luk()
    assert main(["slet", "--db", str(fil), "--dato", "2020-05-22", "--udfoer", "--bruger", "admin"]) == 0
    capsys.readouterr()
    assert main(["log", "--db", str(fil), "--kontroller"]) == 0
    ud = capsys.readouterr().out
    assert ud == "Loggen forklarer hver sag.\n"


@pytest.mark.parametrize("sql", [
    "UPDATE noter SET tekst = 'ændret' WHERE sag_id = :s",                     # an erased note, changed again
    "UPDATE noter SET tekst = :m WHERE sag_id = :l",                            # the erased form, case not erased
    "UPDATE noter SET bruger = 'x' WHERE sag_id = :s",                          # another column
    "UPDATE noter SET tekst = :m, tekst_sha256 = NULL WHERE sag_id = :s",       # the digest
    "UPDATE sagsrelationer SET grund = 'ændret'",
    "UPDATE sagsrelationer SET handling = 'fjern', grund = :m",
    "UPDATE overgange SET data = '{}' WHERE sag_id = :s AND haendelse = 'genaabn'",
    "UPDATE overgange SET data = '{}' WHERE sag_id = :l",
    "DELETE FROM noter WHERE sag_id = :s",
    "DELETE FROM sagsrelationer",
])
def test_no_direct_update_of_a_text_gets_through(db_url, sql):
    lg = SagsLager(db_url)
    try:
        sag, levende, _ = _fritekst(lg)
        lg.slet(D(2020, 5, 22), udfoer=True)
        with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
            _raa(db_url, sql, {"s": sag, "l": levende, "m": M})
        assert lg.tjek_log() == []
    finally:
        lg.luk()


@pytest.mark.parametrize("rolle", ["sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"])
def test_on_postgresql_no_role_can_update_a_note_and_the_owner_only_inside_kontrol_slet(pg_url, rolle):
    lg = SagsLager(pg_url)
    try:
        sag, levende, _ = _fritekst(lg)
        with pytest.raises(DBAPIError, match="permission denied|loggen kan kun tilføjes"):
            _raa(pg_url, f"SET LOCAL ROLE kontrol_{rolle}; UPDATE noter SET tekst = :m WHERE sag_id = :s",
                 {"s": sag, "m": M})
        # the setting of kontrol_slet, set by hand, and the case listed as erased: still refused
        with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
            _raa(pg_url, "SELECT set_config('kontrol.sletning', 'ja', true); "
                         "UPDATE noter SET tekst = :m WHERE sag_id = :l", {"l": levende, "m": M})
        with pytest.raises(DBAPIError, match="permission denied"):     # 0009's function is the owner's only
            _raa(pg_url, "SET LOCAL ROLE kontrol_administrator; SELECT kontrol_slet_0009(1)")
        assert NAVN in _alt(pg_url)
    finally:
        lg.luk()


def _kaedet_0012(c, tabel: str, raekke: dict) -> None:
    """Insert ``raekke`` chained in revision 0012's form, as the 0012 code wrote it."""
    forrige = c.execute(text(f"SELECT hash FROM {tabel} ORDER BY id DESC LIMIT 1")).scalar() or logkaede.START
    h = logkaede.beregn(tabel, raekke, forrige, logkaede.FELTER_0012)
    kol = [*raekke, "forrige_hash", "hash"]
    c.execute(text(f"INSERT INTO {tabel} ({', '.join(kol)}) VALUES ({', '.join(':' + k for k in kol)})"),
              {**raekke, "forrige_hash": forrige, "hash": h})


@pytest.mark.parametrize("aendret", [False, True])
def test_revision_0013_fills_the_digests_and_rechains_a_0012_store(db_url, aendret):
    """A 0012 store with a note, a link and a reopening reason (chained in 0012's form) is upgraded:
    digests filled, chains verify in today's form; a note edited before the upgrade stops it."""
    forrige_udgivelse(db_url)
    opgrader(db_url, "0012")
    tid = dt.datetime(2024, 5, 20, 8, 0)
    hvem = dict(tid=tid, bruger="anna", rolle="sagsbehandler", identitet="test")
    eng = create_engine(db_url, poolclass=NullPool)
    with eng.begin() as c:
        _kaedet_0012(c, "noter", dict(sag_id="A7M3-Q9PX", tekst=f"{NAVN} ringede", **hvem))
        _kaedet_0012(c, "sagsrelationer", dict(sag_id="A7M3-Q9PX", relateret_sag_id="B2C4-D6FH", handling="tilknyt",
                                               grund="samme adresse", **hvem))
        _kaedet_0012(c, "overgange", dict(sag_id="B2C4-D6FH", sekvens=2, dato=dt.date(2024, 5, 20), haendelse="afgoer",
                                          fra="partshoering", til="henlagt_efter_partshoering", data="{}", **hvem))
        _kaedet_0012(c, "overgange", dict(sag_id="B2C4-D6FH", sekvens=3, dato=dt.date(2024, 5, 21), haendelse="genaabn",
                                          fra="henlagt_efter_partshoering", til="partshoering",
                                          data=json.dumps({"grund": f"Klage fra {NAVN}",
                                                           "lukket_som": "henlagt_efter_partshoering"}), **hvem))
        if aendret:
            c.execute(text("DROP TRIGGER noter_kun_tilfoejelse_update" if db_url.startswith("sqlite")
                           else "ALTER TABLE noter DISABLE TRIGGER noter_kun_tilfoejelse"))
            c.execute(text("UPDATE noter SET tekst = 'ændret'"))
    eng.dispose()
    if aendret:
        with pytest.raises(Exception, match="kan ikke opgraderes, fordi loggen ikke er hel: hashkæden er brudt i "
                                            "noter, række id 1 \\(sag A7M3-Q9PX\\)"):
            SagsLager(db_url, testlager=True)
        assert versioner(db_url) == ["0012"]
        return
    lg = SagsLager(db_url, testlager=True)
    try:
        assert versioner(db_url) == ["0013"]
        assert lg.tjek_log() == []
        assert _raa(db_url, "SELECT tekst_sha256 FROM noter") == [(logkaede.sha256(f"{NAVN} ringede"),)]
        assert _raa(db_url, "SELECT grund_sha256 FROM sagsrelationer") == [(logkaede.sha256("samme adresse"),)]
        [(data,)] = _raa(db_url, "SELECT data FROM overgange WHERE haendelse = 'genaabn'")
        assert json.loads(data) == {"grund": f"Klage fra {NAVN}", "lukket_som": "henlagt_efter_partshoering",
                                    "grund_sha256": logkaede.sha256(f"Klage fra {NAVN}")}
    finally:
        lg.luk()


def test_revision_0013_downgrades_to_0012_s_chain_and_upgrades_again(db_url):
    from test_sagsstyring_logvagt import alembic_trin
    from kontrol_lib.sager.lager import opret_engine
    lg = SagsLager(db_url)
    try:
        _fritekst(lg)
        lg.slet(D(2020, 5, 22), udfoer=True)
    finally:
        lg.luk()
    eng = opret_engine(db_url)
    alembic_trin(eng, ("downgrade", "0012"))
    with eng.connect() as c:                   # the three chains hold in 0012's form (an erased text stays erased)
        for tabel in ("overgange", "noter", "sagsrelationer"):
            kol = ", ".join(["id", *logkaede.FELTER_0012[tabel], "forrige_hash", "hash"])
            raekker = c.execute(text(f"SELECT {kol} FROM {tabel} ORDER BY id")).mappings().all()
            assert logkaede.tjek(tabel, raekker, logkaede.FELTER_0012) is None, tabel
        assert M in repr(c.exec_driver_sql("SELECT tekst FROM noter").fetchall())
    eng.dispose()
    lg = SagsLager(db_url)
    try:
        assert versioner(db_url) == ["0013"] and lg.tjek_log() == []
        assert NAVN not in _alt(db_url)
    finally:
        lg.luk()
