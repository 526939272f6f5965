"""Kontroltrin 3: UDK's cases imported from a file into the same workflow, with fredningsperiode
set at feedback (SQLite and PostgreSQL)."""


import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.registre import RegisterFejl
from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager.trin3 import laes
from test_sagsstyring_hjaelp import REGLER, YM1, YM2, D, frame, u

HEAD = "udk_sag_id;cpr;kommunekode;ydelse;modtaget;oplysninger\n"


def fil(tmp_path, *rows, name="trin3.csv"):
    p = tmp_path / name
    p.write_text(HEAD + "".join(";".join(r) + "\n" for r in rows), encoding="utf-8")
    return p


@pytest.fixture
def lager(db_url):
    lg = SagsLager(db_url)
    yield lg
    lg.luk()


def test_udk_cases_land_on_the_bestillingsliste_as_kontroltrin_3(lager, tmp_path):
    df = laes(fil(tmp_path, ("UDK-1", YM1, "151", "sygedagpenge", "2024-05-02", "Lønindtægt i perioden"),
                  ("UDK-2", YM2, "151", "kontanthjaelp", "2024-05-03", "")))
    res = lager.importer_trin3(df, "import", dato=D(2024, 5, 6))
    assert len(res["nye"]) == 2 and res["kendte"] == res["fredede"] == []
    bl = lager.bestillingsliste()
    assert bl[["kontroltrin", "ydelsesomraade", "kontroltyper", "udstillet", "udloebsdato"]].values.tolist() == [
        [3, "sygedagpenge", "bagudgaaende", D(2024, 5, 2), D(2024, 8, 2)],
        [3, "kontanthjaelp", "bagudgaaende", D(2024, 5, 3), D(2024, 8, 3)]]
    ks = lager.kontrolsager()
    assert ks[["kanal", "kontroltrin", "ydelse", "myndighed"]].values.tolist() == [
        ["udk", 3, "sygedagpenge", "kommune"], ["udk", 3, "kontanthjaelp", "kommune"]]
    ark = lager.kontrolark(res["nye"][0], "anna", formaal="visitering")
    assert [x["oplysninger"] for x in ark.udfald] == ["Lønindtægt i perioden"]


def test_importing_the_same_udk_case_again_changes_nothing(lager, tmp_path):
    df = laes(fil(tmp_path, ("UDK-1", YM1, "151", "sygedagpenge", "2024-05-02", "")))
    lager.importer_trin3(df, "import")
    assert lager.importer_trin3(df, "import") == {"nye": [], "kendte": ["UDK-1"], "fredede": [], "dubletter": []}
    assert len(lager.log()) == 1


def test_a_bad_trin3_file_names_every_bad_row(tmp_path):
    p = fil(tmp_path, ("UDK-1", "12345", "151", "sygedagpenge", "2024-05-02", ""),
            ("UDK-2", YM1, "151", "boligstoette", "2024-05-02", ""))
    with pytest.raises(RegisterFejl) as e:
        laes(p)
    msg = e.value.tekst()
    assert "række 2, kolonne cpr, værdi '12345'" in msg and "række 3, kolonne ydelse, værdi 'boligstoette'" in msg
    assert YM1 not in msg


def _luk_med_fredning(lager, tmp_path, maaneder):
    df = laes(fil(tmp_path, ("UDK-1", YM1, "151", "sygedagpenge", "2024-05-02", "")))
    [sag] = lager.importer_trin3(df, "import")["nye"]
    lager.bestil(1, "anna", dato=D(2024, 5, 6))
    lager.visiter(sag, "anna", "henlaeg", dato=D(2024, 5, 10), fredningsperiode=maaneder)
    return sag


def test_a_person_in_a_fredningsperiode_is_not_exposed_again_by_trin_3_until_it_ends(lager, tmp_path):
    _luk_med_fredning(lager, tmp_path, 6)          # closed 2024-05-10: fredet until 2024-11-09
    inde = laes(fil(tmp_path, ("UDK-2", YM1, "151", "kontanthjaelp", "2024-11-09", ""), name="a.csv"))
    assert lager.importer_trin3(inde, "import") == {"nye": [], "kendte": [], "fredede": ["UDK-2"], "dubletter": []}
    ude = laes(fil(tmp_path, ("UDK-3", YM1, "151", "kontanthjaelp", "2024-11-10", ""), name="b.csv"))
    assert len(lager.importer_trin3(ude, "import")["nye"]) == 1


def test_the_fredningsperiode_does_not_stop_kontroltrin_2_udfald(lager, tmp_path):
    _luk_med_fredning(lager, tmp_path, 6)
    assert len(koer_udfald(lager, frame(u(YM1)), D(2024, 6, 1), regler=REGLER).nye_sager) == 1


def test_the_fredningsperiode_is_stored_on_the_closing_transition(lager, tmp_path):
    sag = _luk_med_fredning(lager, tmp_path, 6)
    last = lager.log(sag).iloc[-1]
    assert (last.til, last.data) == ("henlagt_i_visitering", {"fredningsperiode_maaneder": 6})


def test_the_trin3_command_imports_and_reports_without_cpr(db_url, tmp_path, capsys):
    p = fil(tmp_path, ("UDK-1", YM1, "151", "sygedagpenge", "2024-05-02", ""))
    assert main(["importer-trin3", "--fil", str(p), "--bruger", "import", "--db", db_url]) == 0
    assert main(["importer-trin3", "--fil", str(p), "--bruger", "import", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "1 nye sager, 0 allerede importeret" in out and "0 nye sager, 1 allerede importeret" in out
    assert YM1 not in out
