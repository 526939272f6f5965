"""The case commands: thin faces over the store API (SQLite; the API itself is tested on both
databases)."""

import datetime as dt
import json
import re

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.regler.byg import skriv_mappe
from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager import logkaede
from kontrol_lib.sager import schema as S
from test_sagsstyring_hjaelp import REGLER, YM1, YM2, YM3, D, frame, u


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    lg = SagsLager(url)
    koer_udfald(lg, frame(u(YM1, "flytning", "a"), u(YM2, "bilkoeb", "b"), u(YM3, "b_indkomst", "c")),
                D(2024, 5, 15), regler=REGLER)
    return url, lg


def cli(capsys, *args):
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_the_daily_run_command_prints_what_it_did_and_the_second_run_changes_nothing(tmp_path, capsys):
    ym, aef = "0101801234", "0202811234"
    data = skriv_mappe(tmp_path / "data", {
        "ydelsessager": [dict(cpr=ym, kommunekode=151, kle="32.24.04", oprettet="2020-01-01")],
        "udbetalinger": [dict(cpr=ym, kle="32.24.04", udbetalingsdato="2024-04-15", beloeb="5000")],
        "adresser": [dict(cpr=ym, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01", til_dato="2024-03-09"),
                     dict(cpr=ym, adresse_id="A2", kommunekode=151, fra_dato="2024-03-10")],
        "personer": [dict(cpr=ym, foedselsdato="1980-01-01"), dict(cpr=aef, foedselsdato="1981-01-01")]})
    db = str(tmp_path / "k.sqlite")
    rc, out, _ = cli(capsys, "koer", "--data", str(data), "--dato", "2024-05-15", "--kommune", "151", "--db", db)
    assert rc == 0 and "nye sager på bestillingslisten:     1" in out and ym not in out
    rc, out, _ = cli(capsys, "koer", "--data", str(data), "--dato", "2024-05-15", "--kommune", "151", "--db", db)
    assert rc == 0 and "heraf fredede (allerede på en sag): 1" in out and "Intet ændret i sagslageret." in out


def test_the_bestillingsliste_prints_a_table_or_writes_csv_without_cpr(db, capsys, tmp_path):
    url, lg = db
    rc, out, _ = cli(capsys, "bestillingsliste", "--db", url, "--fravaelg", "flytning,indkomst")
    lines = out.splitlines()
    assert rc == 0 and lines[0].split()[:2] == ["sag_id", "kommunekode"] and len(lines) == 3
    assert "Bilkøb" in out and YM2 not in out
    rc, out, _ = cli(capsys, "bestillingsliste", "--db", url, "--ud", str(tmp_path / "bl.csv"))
    csv = pd.read_csv(tmp_path / "bl.csv", dtype=str)
    assert rc == 0 and out.strip() == f"3 sager skrevet til {tmp_path / 'bl.csv'}"
    assert list(csv["udloebsdato"]) == ["2024-08-15"] * 3 and len(set(csv["sag_id"])) == 3
    assert not any(c in (tmp_path / "bl.csv").read_text() for c in (YM1, YM2, YM3))


def test_bestil_prints_the_ordered_ids_one_per_line(db, capsys):
    url, lg = db
    expected = lg.bestillingsliste()["sag_id"].tolist()
    rc, out, err = cli(capsys, "bestil", "--antal", "2", "--bruger", "anna", "--db", url)
    assert rc == 0 and out.splitlines() == expected[:2] and err == ""
    rc, out, err = cli(capsys, "bestil", "--antal", "5", "--bruger", "anna", "--db", url)
    assert out.splitlines() == expected[2:] and "Der var kun 1 sager at bestille." in err


def test_the_decision_commands_change_the_state_and_an_illegal_one_exits_1_with_a_danish_error(db, capsys):
    url, lg = db
    [sag] = lg.bestil(1, "anna")
    rc, out, err = cli(capsys, "visiter", sag, "--bruger", "anna", "--beslutning", "henlaeg", "--db", url)
    assert rc == 0 and out.strip() == f"Sagen {sag} er nu henlagt i visitering."
    rc, out, err = cli(capsys, "visiter", sag, "--bruger", "bo", "--beslutning", "partshoering", "--db", url)
    assert rc == 1 and out == ""
    assert err.startswith(f"Fejl: Sagen {sag} kan ikke visiteres: den er henlagt i visitering")
    assert "Traceback" not in err and YM1 not in err
    assert lg.status(sag) == "henlagt_i_visitering"


def test_afgoer_records_the_amounts_given_on_the_command_line(db, capsys):
    url, lg = db
    [sag] = lg.bestil(1, "anna")
    assert cli(capsys, "visiter", sag, "--bruger", "anna", "--beslutning", "partshoering", "--db", url)[0] == 0
    rc, out, _ = cli(capsys, "afgoer", sag, "--bruger", "anna", "--resultat", "aendret_tildeling",
                     "--besparelse-rytme", "kvartal", "--besparelse-beloeb", "3.000,00",
                     "--tilbagebetalingskrav", "1234,56", "--efterregulering", "-10", "--dato", "2024-06-01",
                     "--db", url)
    assert rc == 0 and out.strip() == f"Sagen {sag} er afgjort med ændret tildeling."
    r = lg.kontrolsager().set_index("sag_id").loc[sag]
    assert (r.afsluttet, r.besparelse_rytme, str(r.besparelse_beloeb), str(r.tilbagebetalingskrav),
            str(r.efterregulering)) == (dt.date(2024, 6, 1), "kvartal", "3000.00", "1234.56", "-10.00")


def test_genbestil_puts_the_case_back(db, capsys):
    url, lg = db
    [sag] = lg.bestil(1, "anna")
    rc, out, _ = cli(capsys, "genbestil", sag, "--bruger", "anna", "--db", url)
    assert rc == 0 and lg.status(sag) == "udstillet"


def test_the_lists_with_cpr_log_who_saw_them(db, capsys):
    url, lg = db
    [sag] = lg.bestil(1, "anna")
    rc, out, _ = cli(capsys, "prioriteringsliste", "--bruger", "bo", "--formaal", "visitering", "--db", url)
    assert rc == 0 and lg.sag(sag, formaal="visitering")["ym_cpr"] in out and sag in out
    assert "Side 1 af 1 (1 sager i alt)" in out
    rc, out, _ = cli(capsys, "feedbackliste", "--bruger", "bo", "--formaal", "visitering", "--db", url)
    assert rc == 0 and out.strip() == "Ingen sager på feedbacklisten."
    rc, out, _ = cli(capsys, "log", "--visninger", "--db", url)
    assert rc == 0 and re.search(rf"\bbo\s+{sag}\s+prioriteringsliste\s+visitering\s+sagsbehandler\s+test\n", out)
    rc, _, err = cli(capsys, "prioriteringsliste", "--bruger", "bo", "--db", url)
    assert rc == 1 and "Angiv formålet" in err


def test_the_log_command_shows_transitions_and_never_a_cpr(db, capsys, tmp_path):
    url, lg = db
    lg.bestil(3, "anna")
    rc, out, _ = cli(capsys, "log", "--db", url)
    assert rc == 0 and out.count("udstillet") >= 6 and out.count("bestil ") == 3
    assert not any(c in out for c in (YM1, YM2, YM3))
    rc, out, _ = cli(capsys, "log", "--db", url, "--ud", str(tmp_path / "log.csv"))
    log = pd.read_csv(tmp_path / "log.csv", dtype=str, keep_default_na=False)
    assert list(log.columns) == ["tid (dansk tid)", "dato", "bruger", "sag_id", "haendelse", "fra", "til", "data"]
    assert json.loads(log["data"][0]) == {"antal_udfald": 1, "koersel": "2024-05-15", "regler": ["flytning"]}
    assert log["fra"][0] == "" and log["til"][0] == "udstillet"


def test_the_store_defaults_to_kontrol_sqlite_in_the_current_folder_or_kontrol_db(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KONTROL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli(capsys, "bestillingsliste")[1].strip() == "Ingen udstillede sager på bestillingslisten."
    assert (tmp_path / "kontrol.sqlite").exists()
    monkeypatch.setenv("KONTROL_DB", str(tmp_path / "andet.sqlite"))
    assert cli(capsys, "log")[0] == 0 and (tmp_path / "andet.sqlite").exists()


def test_the_log_check_finds_a_transition_that_breaks_the_state_machine(db, capsys):
    url, lg = db
    sag = lg.bestillingsliste()["sag_id"][0]
    with lg.skriv() as conn:       # tampering, bypassing the API (but chained, as the code would)
        [raekke] = logkaede.kaed(conn, "overgange", [dict(
            sag_id=sag, sekvens=2, tid=dt.datetime(2024, 5, 16), dato=D(2024, 5, 16), bruger="x",
            haendelse="afgoer", fra="udstillet", til="aendret_tildeling", data="{}", rolle="sagsbehandler",
            identitet="test")])
        conn.execute(S.overgange.insert().values(**raekke))
    assert lg.tjek_log() == [f"sag {sag}, sekvens 2: 'afgoer' fra 'udstillet' til 'aendret_tildeling' er ikke "
                             f"en tilladt overgang"]
    rc, out, _ = cli(capsys, "log", "--kontroller", "--db", url)
    assert rc == 1 and "1 fejl i loggen." in out


def test_a_bad_date_or_database_is_a_danish_error(db, capsys, tmp_path):
    url, _ = db
    with pytest.raises(SystemExit) as e:
        main(["bestil", "--antal", "1", "--bruger", "a", "--dato", "15-05-2024", "--db", url])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "'15-05-2024' er ikke en dato (brug ÅÅÅÅ-MM-DD)" in err
    rc, _, err = cli(capsys, "log", "--db", "mysql://x/y")
    assert rc == 1 and "understøttes ikke" in err
