"""KL's effektmåling workbook: one row per closed (sag × ydelse), Danish headers, sums that tie
back to the provenu tables, and a sheet explaining every column."""

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kontrol_lib.maal import kl_effektmaaling, provenu
from kontrol_lib.sager import kontrolsagsfil as kontrolsager
from kontrol_lib.flader.cli import main

FIXTURE = Path(__file__).parent / "data" / "provenu" / "ballerup_2019_2023.csv"


def cents(x) -> D:
    return D(str(x)).quantize(D("0.01"))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    ud = tmp_path_factory.mktemp("kl") / "effektmaaling_2023.xlsx"
    assert main(["kl-effektmaaling", "--sager", str(FIXTURE), "--aar", "2023", "--kommune", "151",
                 "--ud", str(ud)]) == 0
    return openpyxl.load_workbook(ud)


def test_the_workbook_has_the_data_a_summary_and_an_explanation_sheet(workbook):
    assert workbook.sheetnames == ["Effektmåling", "Opsummering", "Forklaring"]
    ws = workbook["Effektmåling"]
    assert [c.value for c in ws[1]] == [
        "Sags-id", "Kommunekode", "Afsluttet", "Kontroltrin", "Kanal", "Sagstype", "Ydelsestype",
        "Selvstændig erhvervsdrivende", "Virksomhedskontrol udført", "Samlet tilbagebetalingskrav (kr.)",
        "Samlet fremadrettet besparelse ved ydelsesstop (kr.)", "Videresendt til anden myndighed", "Politianmeldt",
        "Status"]
    forklaring = {r[0]: r[1] for r in workbook["Forklaring"].iter_rows(min_row=2, values_only=True) if r[0]}
    for header in kl_effektmaaling.HEADERS:
        assert forklaring[header]


def test_one_row_per_closed_case_row_of_the_year_and_sums_that_tie_to_the_provenu_tables(workbook):
    rows = list(workbook["Effektmåling"].iter_rows(min_row=2, values_only=True))
    # Ballerup's 2023 rows in the fixture: 38 closed (sag × ydelse) rows in 36 cases; the three open
    # cases and Brøndby's two rows are not there.
    assert len(rows) == 38
    assert len({r[0] for r in rows}) == 36
    assert all(r[1] == 151 and r[2].year == 2023 for r in rows)
    krav = sum((cents(r[9]) for r in rows), D(0))
    besp = sum((cents(r[10]) for r in rows), D(0))
    assert krav == D("7438669.23")
    assert besp == D("3641834.21")
    # The same sums as kategorier.csv's I alt for the year (the § 11 + UDK parts are published:
    # krav 996.981 + 1.258.650, besparelse 118.176 + 288.412).
    df, _ = kontrolsager.indlaes(FIXTURE)
    i_alt = provenu.kategorier(df, 2023, kommune=151).iloc[-1]
    assert (krav, besp) == (i_alt["tilbagebetalingskrav"], i_alt["fremadrettet_besparelse"])
    udk = [r for r in rows if r[6] in ("Boligydelse", "Børne- og ungeydelse", "Børnetilskud", "Førtidspension")
           and r[13] == "Ændret tildeling"]
    assert sum((cents(r[9]) for r in udk), D(0)) == D("1258650")
    assert sum((cents(r[10]) for r in udk), D(0)) == D("288412")
    summary = {r[0]: r[1] for r in workbook["Opsummering"].iter_rows(min_row=2, values_only=True)}
    assert summary["Antal rækker (sag × ydelse)"] == 38 and summary["Antal sager"] == 36
    assert cents(summary["Samlet tilbagebetalingskrav (kr.)"]) == D("7438669.23")
    assert cents(summary["Samlet fremadrettet besparelse ved ydelsesstop (kr.)"]) == D("3641834.21")


def test_rows_without_a_changed_award_are_listed_with_zero_money_and_their_status(workbook):
    rows = list(workbook["Effektmåling"].iter_rows(min_row=2, values_only=True))
    status = pd.Series([r[13] for r in rows]).value_counts().to_dict()
    assert status == {"Ændret tildeling": 33, "Henlagt i visitering": 2, "Henlagt efter partshøring": 2,
                      "Udløbet": 1}
    for r in rows:
        if r[13] != "Ændret tildeling":
            assert (r[9], r[10]) == (0, 0)


def test_codes_are_written_as_danish_labels_and_unknown_kl_fields_as_ikke_oplyst(workbook):
    rows = list(workbook["Effektmåling"].iter_rows(min_row=2, values_only=True))
    p11 = [r for r in rows if r[9] and cents(r[9]) == D("996981")]
    assert len(p11) == 1
    r = p11[0]
    assert (r[4], r[6], r[5], r[7], r[8], r[11], r[12]) == (
        "Udbetaling Danmark", "Boligsikring", "Ikke oplyst", "Ikke oplyst", "Ikke oplyst", "Nej", "Nej")
    assert cents(r[10]) == D("118176")
    su = [r for r in rows if r[6] == "SU"]
    assert su and all(r[11] == "SU-styrelsen" for r in su)
    assert any(r[12] == "Ja" for r in rows)


def test_the_optional_columns_fill_the_kl_fields(tmp_path):
    header = ("sag_id;kommunekode;kanal;kontroltrin;ydelse;myndighed;paragraf11;oprettet;afsluttet;resultat;"
              "besparelse_rytme;besparelse_beloeb;tilbagebetalingskrav;efterregulering;skat;politianmeldt;"
              "videresendt_til;sagstype;selvstaendig_erhvervsdrivende;virksomhedskontrol\n")
    p = tmp_path / "k.csv"
    p.write_text(header + "S1;151;anonym_anmeldelse;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;"
                          "aendret_tildeling;uge;100.50;1000;;;ja;skattestyrelsen;Samlivsforhold;ja;ja\n"
                          "S2;151;intern;3;kontanthjaelp;kommune;nej;2022-01-02;2022-03-31;"
                          "aendret_tildeling;;;1000;;;nej;;;;\n", encoding="utf-8")
    df, _ = kontrolsager.indlaes(p)
    s = kl_effektmaaling.skriv(df, 2023, tmp_path / "kl.xlsx")
    assert s == {"antal_raekker": 1, "antal_sager": 1, "tilbagebetalingskrav": D("1000.00"),
                 "fremadrettet_besparelse": D("5226.00")}                    # 100,50 × 52
    row = next(openpyxl.load_workbook(tmp_path / "kl.xlsx")["Effektmåling"].iter_rows(min_row=2, values_only=True))
    assert row[4:9] == ("Anonym anmeldelse", "Samlivsforhold", "Kontanthjælp", "Ja", "Ja")
    assert (row[11], row[12], row[13]) == ("Skattestyrelsen", "Ja", "Ændret tildeling")


def test_the_output_must_be_an_xlsx_file(tmp_path, capsys):
    assert main(["kl-effektmaaling", "--sager", str(FIXTURE), "--aar", "2023", "--ud", str(tmp_path / "x.csv")]) == 1
    assert "--ud skal være en .xlsx-fil" in capsys.readouterr().err


def test_a_year_without_closed_cases_gives_headers_only(tmp_path):
    df, _ = kontrolsager.indlaes(FIXTURE)
    s = kl_effektmaaling.skriv(df, 2015, tmp_path / "tom.xlsx")
    assert s["antal_raekker"] == 0 and s["tilbagebetalingskrav"] == D(0)
    ws = openpyxl.load_workbook(tmp_path / "tom.xlsx")["Effektmåling"]
    assert ws.max_row == 1
