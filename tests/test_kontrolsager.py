"""Reading kontrolsager.csv: every bad row reported with row, column and value; rows of one case
must agree; money on a row without a changed award is a warning naming the row."""

import datetime as dt
from decimal import Decimal as D

import pytest

from kontrol_lib.sager import kontrolsagsfil as kontrolsager
from kontrol_lib.flader.cli import main
from kontrol_lib.registre import RegisterFejl

HEADER = ("sag_id;kommunekode;kanal;kontroltrin;ydelse;myndighed;paragraf11;oprettet;afsluttet;resultat;"
          "besparelse_rytme;besparelse_beloeb;tilbagebetalingskrav;efterregulering;skat;politianmeldt;videresendt_til\n")
GOD = "S1;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;maaned;1.234,50;100;;;ja;\n"


def write(tmp_path, body, header=HEADER, name="kontrolsager.csv"):
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def test_a_good_file_is_read_with_exact_amounts_and_dates(tmp_path):
    p = write(tmp_path, GOD + "S1;151;intern;3;boligydelse;udk;nej;2023-01-02;2023-03-31;henlagt_efter_partshoering;"
                              ";;;;;nej;udk\n"
                              "S2;0151;UDK;1;su;su_styrelsen;NEJ;02.01.2023;;;;;;;;;\n")
    df, advarsler = kontrolsager.indlaes(p)
    assert advarsler == []
    assert list(df["sag_id"]) == ["S1", "S1", "S2"]
    assert df.loc[0, "besparelse_beloeb"] == D("1234.50") and df.loc[0, "tilbagebetalingskrav"] == D("100.00")
    assert df.loc[0, "afsluttet"] == dt.date(2023, 3, 31) and df.loc[2, "afsluttet"] is None
    assert (df.loc[2, "kommunekode"], df.loc[2, "kanal"], df.loc[2, "paragraf11"]) == (151, "udk", "nej")
    assert df.loc[2, "oprettet"] == dt.date(2023, 1, 2)


def test_every_bad_row_is_reported_with_row_column_and_value(tmp_path):
    p = write(tmp_path, GOD +
              "S2;151;brev;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n"     # 3 kanal
              "S3;151;intern;4;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n"    # 4 trin
              "S4;151;intern;3;pension;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n"          # 5 ydelse
              "S5;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2022-12-31;aendret_tildeling;;;;;;;\n"    # 6 før
              "S6;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;;aendret_tildeling;;;;;;;\n"              # 7 uden afsl.
              "S7;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;;;;;;;;\n"                     # 8 uden res.
              "S8;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;maaned;;;;;;\n"  # 9
              "S9;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;12;;;;;\n"  # 10
              "S10;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;-5;;;;\n"  # 11
              "S11;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;1,234;;;;\n"  # 12
              "S1;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n")   # 13 key
    with pytest.raises(RegisterFejl) as e:
        kontrolsager.indlaes(p)
    got = {(f.raekke, f.kolonne) for f in e.value.fejl}
    assert got == {(3, "kanal"), (4, "kontroltrin"), (5, "ydelse"), (6, "afsluttet"), (7, "afsluttet"),
                   (8, "resultat"), (9, "besparelse_beloeb"), (10, "besparelse_rytme"),
                   (11, "tilbagebetalingskrav"), (12, "tilbagebetalingskrav"), (13, "sag_id, ydelse")}
    text = e.value.tekst()
    assert "kontrolsager.csv, række 3, kolonne kanal, værdi 'brev': ukendt kode" in text
    assert "række 4, kolonne kontroltrin, værdi '4': uden for det tilladte interval 1–3" in text
    assert "række 13, kolonne sag_id, ydelse" in text and "findes også i række 2" in text


def test_rows_of_one_case_must_share_kommune_kanal_trin_and_dates(tmp_path):
    p = write(tmp_path, GOD +
              "S1;153;intern;3;boligydelse;udk;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n"      # 3
              "S1;151;projekt;2;su;su_styrelsen;nej;2023-01-02;2023-04-01;aendret_tildeling;;;;;;;\n"     # 4
              "S1;151;intern;3;sygedagpenge;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;;;;;\n")  # 5 fine
    with pytest.raises(RegisterFejl) as e:
        kontrolsager.indlaes(p)
    got = [(f.raekke, f.kolonne, f.vaerdi) for f in e.value.fejl]
    assert got == [(3, "kommunekode", "153"), (4, "kanal", "projekt"), (4, "kontroltrin", "2"),
                   (4, "afsluttet", "2023-04-01")]
    assert "sag S1 har værdien '151' i række 2; alle rækker for en sag skal have samme kommunekode" in e.value.tekst()


def test_money_on_a_row_without_a_changed_award_is_a_warning_naming_the_row(tmp_path):
    p = write(tmp_path, GOD +
              "S2;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;henlagt_i_visitering;;;500;;;;\n"
              "S3;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;;;fast;10;;;;;\n"
              "S4;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;udloebet;;;0;;;;\n")  # 0 kr.: no warning
    df, advarsler = kontrolsager.indlaes(p)
    assert [(a.raekke, a.kolonne, a.vaerdi) for a in advarsler] == [(3, "tilbagebetalingskrav", "500.00"),
                                                                     (4, "besparelse_beloeb", "10.00")]
    assert "resultatet er henlagt_i_visitering" in advarsler[0].aarsag
    assert "sagen er åben" in advarsler[1].aarsag


def test_the_command_prints_the_warning_and_still_writes_the_tables(tmp_path, capsys):
    p = write(tmp_path, GOD +
              "S2;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;henlagt_i_visitering;;;500;;;;\n")
    assert main(["provenu", "--sager", str(p), "--aar", "2023", "--ud", str(tmp_path / "ud")]) == 0
    err = capsys.readouterr().err
    assert "Advarsel: kontrolsager.csv, række 3, kolonne tilbagebetalingskrav, værdi '500.00'" in err
    # 1.234,50 × 12 + 100 = 14.914,00; the henlagt 500 counts nowhere
    assert "I alt,1,14814.00,100.00,0.00,0.00,14914.00" in (tmp_path / "ud" / "kategorier.csv").read_text()


def test_a_bad_file_fails_the_command_with_every_error_and_no_tables(tmp_path, capsys):
    p = write(tmp_path, GOD + "S2;999;intern;3;kontanthjaelp;kommune;nej;2023-01-02;;;;;;;;;\n"
                              "S3;151;intern;3;kontanthjaelp;kommune;maaske;2023-01-02;;;;;;;;;\n")
    assert main(["provenu", "--sager", str(p), "--aar", "2023", "--ud", str(tmp_path / "ud")]) == 1
    err = capsys.readouterr().err
    assert "række 3, kolonne kommunekode, værdi '999': ukendt kommunekode" in err
    assert "række 4, kolonne paragraf11, værdi 'maaske'" in err
    assert not (tmp_path / "ud").exists()


def test_the_optional_effektmaaling_columns_are_read_when_all_three_are_there(tmp_path):
    h = HEADER.rstrip("\n") + ";sagstype;selvstaendig_erhvervsdrivende;virksomhedskontrol\n"
    p = write(tmp_path, GOD.rstrip("\n") + ";Samlivsforhold;ja;nej\n", header=h)
    df, _ = kontrolsager.indlaes(p)
    assert (df.loc[0, "sagstype"], df.loc[0, "selvstaendig_erhvervsdrivende"], df.loc[0, "virksomhedskontrol"]) == (
        "Samlivsforhold", "ja", "nej")
    h2 = HEADER.rstrip("\n") + ";sagstype\n"
    p2 = write(tmp_path, GOD.rstrip("\n") + ";Samlivsforhold\n", header=h2, name="delvis.csv")
    with pytest.raises(RegisterFejl, match="selvstaendig_erhvervsdrivende: kolonnen mangler"):
        kontrolsager.indlaes(p2)
    df3, _ = kontrolsager.indlaes(write(tmp_path, GOD, name="uden.csv"))
    assert df3.loc[0, "sagstype"] is None


def test_a_missing_column_and_a_missing_file_are_named(tmp_path):
    p = write(tmp_path, "S1;151\n", header="sag_id;kommunekode\n")
    with pytest.raises(RegisterFejl, match="kolonne kanal: kolonnen mangler"):
        kontrolsager.indlaes(p)
    with pytest.raises(RegisterFejl, match="filen findes ikke"):
        kontrolsager.indlaes(tmp_path / "findes_ikke.csv")


def test_an_excel_file_is_read_like_the_csv(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append(["S1", 151, "intern", 3, "kontanthjaelp", "kommune", "nej", dt.date(2023, 1, 2), dt.date(2023, 3, 31),
               "aendret_tildeling", "uge", 99.5, None, None, None, "nej", None])
    wb.save(tmp_path / "kontrolsager.xlsx")
    df, _ = kontrolsager.indlaes(tmp_path / "kontrolsager.xlsx")
    assert df.loc[0, "besparelse_beloeb"] == D("99.50") and df.loc[0, "afsluttet"] == dt.date(2023, 3, 31)


def test_a_written_table_reads_back_identically(tmp_path):
    df, _ = kontrolsager.indlaes(write(tmp_path, GOD))
    kontrolsager.skriv_csv(df, tmp_path / "igen.csv")
    again, _ = kontrolsager.indlaes(tmp_path / "igen.csv")
    assert again.equals(df)


def test_in_a_spreadsheet_with_an_empty_row_errors_name_the_row_excel_shows(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    good = ["S1", 151, "intern", 3, "kontanthjaelp", "kommune", "nej", "2023-01-02", "2023-03-31",
            "aendret_tildeling", None, None, 10, None, None, "nej", None]
    ws.append(good)
    ws.append([None] * 17)                                             # row 3 empty
    ws.append(["S1", 153] + good[2:4] + ["boligydelse"] + good[5:])    # row 4: other kommunekode
    wb.save(tmp_path / "kontrolsager.xlsx")
    with pytest.raises(RegisterFejl) as e:
        kontrolsager.indlaes(tmp_path / "kontrolsager.xlsx")
    assert [(f.raekke, f.kolonne) for f in e.value.fejl] == [(4, "kommunekode")]


def test_a_sag_id_that_looks_like_a_cpr_number_is_refused_and_never_shown_whole(tmp_path):
    p = write(tmp_path, GOD + "0101801234;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;;;;;;;;;\n"
                              "010180-1234;151;projekt;3;su;su_styrelsen;nej;2023-01-02;;;;;;;;;\n")
    with pytest.raises(RegisterFejl) as e:
        kontrolsager.indlaes(p)
    assert [(f.raekke, f.kolonne, f.vaerdi) for f in e.value.fejl] == [(3, "sag_id", "010180****"),
                                                                       (4, "sag_id", "010180*****")]
    assert "1234" not in e.value.tekst()
