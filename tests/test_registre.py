"""The register contract: every kind of bad input is reported with file, row, column and value."""

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.registre import Fejl, RegisterFejl, indlaes, mask_cpr, valider


def write(folder: Path, name: str, text: str, encoding="utf-8"):
    (folder / name).write_bytes(text.encode(encoding))


@pytest.fixture
def bad_folder(tmp_path):
    d = tmp_path / "daarlig"
    d.mkdir()
    write(d, "ydelsessager.csv",
          "cpr;kommunekode;kle;oprettet;ophoert\n"
          "0101901234;151;32.24.04;2024-01-01;\n"        # row 2 good
          "3102901234;151;32.24.04;2024-01-01;\n"        # row 3 impossible CPR date
          "010190123;151;32.24.04;2024-01-01;\n"         # row 4 nine-digit CPR
          "0202901234;151;32.99.99;2024-01-01;\n"        # row 5 unknown KLE
          "0303901234;999;32.24.04;2024-01-01;\n"        # row 6 unknown kommunekode
          "0404901234;151;32.24.04;2024-13-01;\n"        # row 7 unparseable date
          "0505901234;151;32.24.04;2024-03-01;2024-02-01\n"  # row 8 ophoert before oprettet
          "0101901234;151;32.24.04;2024-01-01;\n")       # row 9 duplicate of row 2
    write(d, "udbetalinger.csv",
          "cpr,kle,udbetalingsdato,beloeb\n"
          '0101901234,32.24.04,2024-04-30,"1.234,50"\n'   # row 2 good (decimal comma)
          "0101901234,32.24.04,2024-04-30,12x4\n"        # row 3 unparseable amount
          "0101901234,32.24.04,2024-04-30,12.345\n")     # row 4 three decimals
    write(d, "personer.csv", "cpr;foedselsdato\n0101901234;1990-01-01\n")  # missing column doedsdato
    write(d, "civilstand.csv",
          "cpr;haendelse;dato;aegtefaelle_cpr\n"
          "0101901234;bryllup;2024-03-01;0202901234\n"   # row 2 unknown code
          "0101901234;vielse;2024-03-01;\n")             # row 3 spouse missing on vielse
    write(d, "feriekonto.csv",
          "cpr;anmodningsdato;foerste_feriedag;beloeb;forventet_udbetaling\n"
          "0101901234;01.04.2024;15-04-2024;-100,00;2024-04-20\n")  # row 2 negative amount
    write(d, "adresser.csv",
          "cpr;adresse_id;kommunekode;fra_dato;til_dato\n"
          "0101901234;Ærøvej 1;0151;2020-01-01;\n"       # row 2 good, Latin-1 file, 0151 -> 151
          "0101901234;Søvej 2;151;;\n", encoding="cp1252")  # row 3 missing fra_dato
    write(d, "relationer.csv", "")                       # empty file
    write(d, "eindkomst.csv",
          "cpr;indberetter_cvr;branchekode;indkomsttype;udbetalingsdato;beloeb\n"
          "0101901234;1234567;841100;0;2024-04-30;100\n"  # row 2 seven-digit CVR
          "0101901234;12345674;8411;0;2024-04-30;100\n"   # row 3 five... four-digit branchekode
          "0101901234;12345674;841100;x;2024-04-30;100\n")  # row 4 indkomsttype not an integer
    write(d, "borgerstatus.csv", "cpr;status;dato\n0101901234;udrejst;2024-04-01;ekstra\n")  # too many fields
    return d


def reasons(fejl: list[Fejl]) -> set[tuple]:
    return {(f.fil, f.raekke, f.kolonne, f.vaerdi, f.aarsag) for f in fejl}


def test_every_kind_of_bad_input_is_reported_with_its_row(bad_folder):
    got = reasons(valider(bad_folder))
    expected = {
        ("ydelsessager.csv", 3, "cpr", "310290****", "CPR-nummerets første seks cifre er ikke en gyldig dato"),
        ("ydelsessager.csv", 4, "cpr", "010190***", "ikke et CPR-nummer (10 cifre)"),
        ("ydelsessager.csv", 5, "kle", "32.99.99", "ukendt KLE-nummer"),
        ("ydelsessager.csv", 6, "kommunekode", "999", "ukendt kommunekode"),
        ("ydelsessager.csv", 7, "oprettet", "2024-13-01",
         "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"),
        ("ydelsessager.csv", 8, "ophoert", "2024-02-01", "ophørsdato ligger før oprettelsesdato"),
        ("ydelsessager.csv", 9, None, None, "rækken er en kopi af række 2"),
        ("udbetalinger.csv", 3, "beloeb", "12x4", "ikke et beløb"),
        ("udbetalinger.csv", 4, "beloeb", "12.345", "mere end to decimaler (beløb angives i kr. og øre)"),
        ("personer.csv", 1, "doedsdato", None, "kolonnen mangler"),
        ("civilstand.csv", 2, "haendelse", "bryllup",
         "ukendt kode (tilladt: vielse, skilsmisse, separation, enkestand)"),
        ("civilstand.csv", 3, "aegtefaelle_cpr", "",
         "ægtefællens CPR-nummer skal udfyldes ved vielse og separation"),
        ("feriekonto.csv", 2, "beloeb", "-100,00", "negativt beløb er ikke muligt her"),
        ("adresser.csv", 3, "fra_dato", "", "mangler værdi"),
        ("relationer.csv", None, None, None, "filen er tom (ingen kolonneoverskrifter)"),
        ("eindkomst.csv", 2, "indberetter_cvr", "1234567", "ikke et CVR-nummer (8 cifre)"),
        ("eindkomst.csv", 3, "branchekode", "8411", "skal være 6 cifre"),
        ("eindkomst.csv", 4, "indkomsttype", "x", "ikke et heltal"),
        ("borgerstatus.csv", 2, None, None, "rækken kan ikke læses (for mange felter)"),
    }
    assert got == expected


def test_the_cli_lists_every_bad_row_in_danish_and_exits_nonzero(bad_folder, capsys):
    assert main(["valider", "--data", str(bad_folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Registerudtrækket har 19 fejl:")
    assert "ydelsessager.csv, række 3, kolonne cpr, værdi '310290****': CPR-nummerets" in err
    assert "3102901234" not in err  # a CPR number never appears whole in an error


def test_a_latin1_file_is_read_with_its_danish_letters(tmp_path):
    write(tmp_path, "adresser.csv",
          "cpr;adresse_id;kommunekode;fra_dato;til_dato\n0101901234;Ærøvej 1;0151;01-02-2020;\n",
          encoding="cp1252")
    reg = indlaes(tmp_path)
    df = reg.df("adresser")
    assert df.to_dict("records") == [{"cpr": "0101901234", "adresse_id": "Ærøvej 1", "kommunekode": 151,
                                      "fra_dato": pd.Timestamp("2020-02-01").date(), "til_dato": None}]
    assert "adresser.csv er læst som Windows-1252" in reg.noter


@pytest.mark.parametrize("text, expected", [
    ("1.234,50", Decimal("1234.50")), ("1234,50", Decimal("1234.50")), ("1234.50", Decimal("1234.50")),
    ("-12,5", Decimal("-12.50")), ("500", Decimal("500.00")), ("1.234.567,89", Decimal("1234567.89")),
])
def test_amounts_in_every_danish_notation_are_exact(tmp_path, text, expected):
    write(tmp_path, "udbetalinger.csv",
          f'\ufeffcpr;kle;udbetalingsdato;beloeb\n010190-1234;32.24.04;15.04.2024;"{text}"\n')
    df = indlaes(tmp_path).df("udbetalinger")
    assert df["beloeb"].tolist() == [expected]
    assert df["cpr"].tolist() == ["0101901234"]  # DDMMYY-SSSS normalised


@pytest.mark.parametrize("cpr, ok", [
    ("2902001234", True),    # 7th digit 1 → 1900: 29-02-1900 does not exist
    ("2902004234", True),    # 7th digit 4, yy 00 → 2000: leap day exists
    ("2902961234", True),    # 1996 leap year
    ("2902971234", False),   # 1997 no leap day
    ("3104901234", False),   # 31 April
    ("0100901234", False),   # month 0
])
def test_cpr_birth_date_uses_the_century_digit(tmp_path, cpr, ok):
    if cpr == "2902001234":
        ok = False  # 1900 was not a leap year
    write(tmp_path, "personer.csv", f"cpr;foedselsdato;doedsdato\n{cpr};2000-01-01;\n")
    assert (valider(tmp_path) == []) is ok


def test_a_table_in_two_formats_is_refused(tmp_path):
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n")
    pd.DataFrame({"cpr": [], "foedselsdato": [], "doedsdato": []}).to_parquet(tmp_path / "personer.parquet")
    assert [f.aarsag for f in valider(tmp_path)] == ["tabellen findes i flere formater; fjern alle på nær én"]


def test_absent_tables_are_empty_and_named(tmp_path):
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    reg = indlaes(tmp_path)
    assert reg.antal("eindkomst") == 0
    assert "eindkomst" in reg.fravaerende and "personer" not in reg.fravaerende


def test_excel_and_parquet_read_like_csv(tmp_path):
    df = pd.DataFrame({"cpr": ["0101901234"], "kle": ["32.24.04"], "udbetalingsdato": ["2024-04-15"],
                       "beloeb": [1234.5]})
    x = tmp_path / "x"
    x.mkdir()
    df.to_excel(x / "udbetalinger.xlsx", index=False)
    p = tmp_path / "p"
    p.mkdir()
    df.assign(udbetalingsdato=pd.to_datetime(df["udbetalingsdato"]).dt.date).to_parquet(p / "udbetalinger.parquet")
    for folder in (x, p):
        got = indlaes(folder).df("udbetalinger")
        assert got["beloeb"].tolist() == [Decimal("1234.50")]
        assert str(got["udbetalingsdato"].iloc[0]) == "2024-04-15"


def test_excel_errors_name_the_spreadsheet_row(tmp_path):
    pd.DataFrame({"cpr": ["0101901234", "01019"], "foedselsdato": ["1990-01-01", "1990-01-01"],
                  "doedsdato": [None, None]}).to_excel(tmp_path / "personer.xlsx", index=False)
    assert reasons(valider(tmp_path)) == {("personer.xlsx", 3, "cpr", "01019", "ikke et CPR-nummer (10 cifre)")}


def test_mask_cpr_keeps_only_the_date_part():
    assert mask_cpr("0101901234") == "010190****"
    assert mask_cpr("0101") == "0101"
    with pytest.raises(RegisterFejl):
        indlaes("/findes/ikke")


def test_the_contract_page_in_docs_is_generated_from_the_code():
    from kontrol_lib.registre.kontrakt import contract_markdown
    page = Path(__file__).resolve().parents[1] / "docs" / "registre.md"
    assert page.read_text(encoding="utf-8") == contract_markdown(), "run: kontrol kontrakt --ud docs/registre.md"


def test_a_folder_that_passed_is_not_checked_again_until_a_byte_changes(tmp_path):
    from kontrol_lib.registre import STEMPEL
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    first = indlaes(tmp_path)
    assert (tmp_path / STEMPEL).exists()
    assert not any("uændret" in n for n in first.noter)
    again = indlaes(tmp_path)
    assert any("uændret siden den sidst bestod" in n for n in again.noter)
    assert again.df("personer")["cpr"].tolist() == ["0101901234"]
    # one changed byte: a full check, which now finds the error
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-13-01;\n")
    assert [f.kolonne for f in valider(tmp_path)] == ["foedselsdato"]
    with pytest.raises(RegisterFejl):
        indlaes(tmp_path)
    # an added table also means a full check
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    indlaes(tmp_path)
    write(tmp_path, "relationer.csv", "cpr;barn_cpr\n0101901234;0101901234\n")
    assert [f.aarsag for f in valider(tmp_path)] == ["en person kan ikke være sit eget barn"]


# --------------------------------------------------------------------------- issue 13: bad input
# Every bad input is an error naming file, row, column and value, never a traceback; nothing is
# silently re-decoded, shifted or skipped.
YS = "cpr;kommunekode;kle;oprettet;ophoert\n"
UD = "cpr;kle;udbetalingsdato;beloeb\n"
UDEN_FOR_BELOEB = "beløbet ligger uden for det plausible interval -999.999.999,99 til 999.999.999,99 kr."
UDEN_FOR_DATO = "datoen ligger uden for det plausible interval 1900-01-01 til 2099-12-31"


def test_random_bytes_in_personer_are_one_error_with_the_line_not_a_traceback(tmp_path, capsys):
    import random
    junk = random.Random(13).randbytes(4000)
    (tmp_path / "personer.csv").write_bytes(b"cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n" + junk)
    line = 3 + junk[: junk.index(b"\0")].count(b"\n")
    assert reasons(valider(tmp_path)) == {
        ("personer.csv", line, None, None, "rækken indeholder en NUL-byte (binære data); filen er ikke en tekstfil (CSV)")}
    assert main(["valider", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Registerudtrækket har 1 fejl:") and "Traceback" not in err


def test_a_quote_that_never_closes_refuses_the_file_instead_of_dropping_every_row_after_it(tmp_path):
    write(tmp_path, "personer.csv", 'cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n'
                                    '0202901234;"1990-01-01;\n0303901234;1990-01-01;\n')
    assert reasons(valider(tmp_path)) == {
        ("personer.csv", 3, None, None, 'et anførselstegn (") i rækken afsluttes aldrig, så resten af filen '
                                        "ville blive læst som én værdi; ret rækken, eller gem filen igen som CSV")}


@pytest.mark.parametrize("kode, vist", [("abc", "abc"), ("=1+1", "=1+1"), ("\ufeff151", "\\ufeff151"),
                                        ("99999999999", "99999999999")])
def test_a_kommunekode_that_is_not_a_number_is_a_row_error(tmp_path, kode, vist):
    write(tmp_path, "ydelsessager.csv", YS + "0101901234;151;32.24.04;2024-01-01;\n"
                                             f"0202901234;{kode};32.24.04;2024-01-01;\n")
    assert reasons(valider(tmp_path)) == {
        ("ydelsessager.csv", 3, "kommunekode", vist, "ikke en kommunekode (3 cifre)")}


def test_amounts_and_dates_outside_the_plausible_range_are_refused_with_row_and_value(tmp_path):
    write(tmp_path, "udbetalinger.csv", UD +
          "0101901234;32.24.04;2024-04-30;12345678901234567890\n"      # row 2: 20 digits, DECIMAL(18,2) overflow
          "0101901234;32.24.04;2024-04-30;1234567890123456\n"          # row 3: 16 digits
          "0101901234;32.24.04;0001-01-01;100\n"                       # row 4
          "0101901234;32.24.04;9999-12-31;100\n"                       # row 5
          "0101901234;32.24.04;2099-12-31;-999.999.999,99\n"           # row 6: both limits are inside
          "0101901234;32.24.04;1900-01-01;1.000.000.000,00\n")         # row 7: one milliard is outside
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n"
          "0101581234;1858-01-01;\n"                                   # row 2: births go back to 1858
          "0202581234;1857-12-31;\n")                                  # row 3
    assert reasons(valider(tmp_path)) == {
        ("udbetalinger.csv", 2, "beloeb", "12345678901234567890", UDEN_FOR_BELOEB),
        ("udbetalinger.csv", 3, "beloeb", "1234567890123456", UDEN_FOR_BELOEB),
        ("udbetalinger.csv", 4, "udbetalingsdato", "0001-01-01", UDEN_FOR_DATO),
        ("udbetalinger.csv", 5, "udbetalingsdato", "9999-12-31", UDEN_FOR_DATO),
        ("udbetalinger.csv", 7, "beloeb", "1.000.000.000,00", UDEN_FOR_BELOEB),
        ("personer.csv", 3, "foedselsdato", "1857-12-31",
         "datoen ligger uden for det plausible interval 1858-01-01 til 2099-12-31"),
    }


def test_typed_parquet_amounts_and_dates_are_checked_against_the_same_ranges(tmp_path):
    import datetime as dt
    pd.DataFrame({"cpr": ["0101901234"] * 3, "kle": ["32.24.04"] * 3,
                  "udbetalingsdato": [dt.date(2024, 4, 30), dt.date(1, 1, 1), dt.date(2024, 4, 30)],
                  "beloeb": [Decimal("100"), Decimal("100"), Decimal("12345678901234567890")]}
                 ).to_parquet(tmp_path / "udbetalinger.parquet")
    assert reasons(valider(tmp_path)) == {
        ("udbetalinger.parquet", 2, "udbetalingsdato", "0001-01-01", UDEN_FOR_DATO),
        ("udbetalinger.parquet", 3, "beloeb", "12345678901234567890", UDEN_FOR_BELOEB)}


def test_the_contract_page_states_the_ranges():
    from kontrol_lib.registre.kontrakt import contract_markdown
    page = contract_markdown()
    assert "| udbetalingsdato | dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ), fra 1900-01-01 til 2099-12-31 | nej |" in page
    assert "| beloeb | beløb i kr. (højst to decimaler), fra -999.999.999,99 til 999.999.999,99 | nej |" in page


def test_a_folder_named_like_a_table_is_refused(tmp_path):
    (tmp_path / "personer.csv").mkdir()
    assert reasons(valider(tmp_path)) == {("personer.csv", None, None, None, "er en mappe, ikke en fil")}


def test_a_link_out_of_the_data_folder_is_refused_and_one_inside_is_read(tmp_path):
    ude = tmp_path / "andetsteds"
    ude.mkdir()
    write(ude, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    d = tmp_path / "data"
    d.mkdir()
    (d / "personer.csv").symlink_to(ude / "personer.csv")
    (d / "relationer.csv").symlink_to(tmp_path / "findes-ikke.csv")
    assert reasons(valider(d)) == {
        ("personer.csv", None, None, None,
         "filen er en genvej (symbolsk link) til en fil uden for datamappen; læg selve filen i mappen"),
        ("relationer.csv", None, None, None,
         "filen er en genvej (symbolsk link) til en fil uden for datamappen; læg selve filen i mappen")}
    (d / "personer.csv").unlink()
    (d / "relationer.csv").unlink()
    write(d, "personer-2024.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    (d / "personer.csv").symlink_to(d / "personer-2024.csv")
    assert indlaes(d).df("personer")["cpr"].tolist() == ["0101901234"]


def test_one_windows_1252_byte_in_a_utf8_file_refuses_the_file_with_its_line(tmp_path):
    (tmp_path / "adresser.csv").write_bytes(
        "cpr;adresse_id;kommunekode;fra_dato;til_dato\n0101901234;Ærøvej 1;151;2020-01-01;\n".encode("utf-8")
        + "0202901234;Søvej 2;151;2020-01-01;\n".encode("cp1252"))
    assert reasons(valider(tmp_path)) == {
        ("adresser.csv", 3, None, None, "rækken har et tegn, der ikke er UTF-8 (byte 0xF8, fx Windows-1252), "
                                        "men række 2 er UTF-8: filen blander tegnsæt; gem hele filen som UTF-8")}


def test_a_byte_that_is_not_windows_1252_is_refused_not_replaced(tmp_path):
    (tmp_path / "adresser.csv").write_bytes(
        b"cpr;adresse_id;kommunekode;fra_dato;til_dato\n0101901234;S\xf8vej 1;151;2020-01-01;\n"
        b"0202901234;S\x81vej 2;151;2020-01-01;\n")
    assert reasons(valider(tmp_path)) == {
        ("adresser.csv", 3, None, None, "rækken har en byte (0x81), som hverken er UTF-8 eller Windows-1252; "
                                        "gem filen som UTF-8")}


def test_after_a_rejected_row_the_rows_keep_their_numbers_and_each_error_is_reported_once(tmp_path):
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n"
          "0101901234;1990-01-01;\n"              # row 2 good
          "0202901234;1990-01-01;;x;y\n"          # row 3: two fields too many (two rejects, one error)
          "3102901234;1990-01-01;\n"              # row 4: bad CPR date
          "0303901234\n"                          # row 5: too few fields
          "0404901234;1990-01-01;\n"              # row 6 good
          "0404901234;1990-13-01;\n")             # row 7: bad date
    expected = {
        ("personer.csv", 3, None, None, "rækken kan ikke læses (for mange felter)"),
        ("personer.csv", 4, "cpr", "310290****", "CPR-nummerets første seks cifre er ikke en gyldig dato"),
        ("personer.csv", 5, None, None, "rækken kan ikke læses (for få felter)"),
        ("personer.csv", 7, "foedselsdato", "1990-13-01",
         "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"),
    }
    got = valider(tmp_path)
    assert reasons(got) == expected and len(got) == len(expected)
    # the same connection twice: the second load reports the same errors, once each
    import duckdb
    con = duckdb.connect()
    for _ in range(2):
        with pytest.raises(RegisterFejl) as e:
            indlaes(tmp_path, con=con, genbrug_validering=False)
        assert reasons(e.value.fejl) == expected and len(e.value.fejl) == len(expected)


def test_a_200_mb_line_is_not_read_into_memory_to_find_the_header(tmp_path):
    import time
    import tracemalloc
    with (tmp_path / "personer.csv").open("wb") as f:
        f.write(b"cpr;foedselsdato;doedsdato")
        f.truncate(200 * 1024 * 1024)               # sparse: no newline in 200 MB
    start = time.monotonic()
    tracemalloc.start()
    try:
        got = valider(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reasons(got) == {("personer.csv", 1, None, None, "første linje (kolonneoverskrifterne) er længere end "
                                                            "64 KB; filen er ikke en CSV-fil med en række pr. linje")}
    assert peak < 24 * 1024 * 1024, f"{peak / 2**20:.0f} MB read into memory"
    assert time.monotonic() - start < 20


def test_a_bom_and_an_invisible_character_are_shown_escaped_and_cpr_shaped_values_masked(tmp_path):
    write(tmp_path, "civilstand.csv", "cpr;haendelse;dato;aegtefaelle_cpr\n"
                                      "0101901234;0202901234;2024-03-01;0202901234\n")    # shifted column
    assert reasons(valider(tmp_path)) == {
        ("civilstand.csv", 2, "haendelse", "020290****",
         "ukendt kode (tilladt: vielse, skilsmisse, separation, enkestand)")}


def _forge(folder: Path, stamp: dict) -> None:
    """What anyone who can write the folder can compute: the files' SHA-256."""
    import hashlib
    import json
    from kontrol_lib.registre import STEMPEL
    stamp["filer"] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}
    (folder / STEMPEL).write_text(json.dumps(stamp), encoding="utf-8")


def test_a_forged_validation_stamp_does_not_let_bad_cells_through(tmp_path):
    import json
    from kontrol_lib.registre import STEMPEL
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    indlaes(tmp_path)                                         # passes: stamped
    genuine = json.loads((tmp_path / STEMPEL).read_text(encoding="utf-8"))
    write(tmp_path, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n"
                                    "3102901234;1990-13-01;\n")  # bad CPR and date
    bad = {("personer.csv", 3, "cpr", "310290****", "CPR-nummerets første seks cifre er ikke en gyldig dato"),
           ("personer.csv", 3, "foedselsdato", "1990-13-01",
            "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)")}
    # the stamp recomputed with the old recipe (contract hash + file hashes), with and without
    # the genuine signature: the daily run (indlaes with the stamp) still checks and refuses
    for forged in ({"kontrakt": genuine["kontrakt"]}, dict(genuine)):
        _forge(tmp_path, forged)
        with pytest.raises(RegisterFejl) as e:
            indlaes(tmp_path)
        assert reasons(e.value.fejl) == bad


def test_the_stamp_is_signed_with_a_key_outside_the_folder(tmp_path, monkeypatch):
    import json
    from kontrol_lib.registre import STEMPEL
    d = tmp_path / "data"
    d.mkdir()
    write(d, "personer.csv", "cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n")
    indlaes(d)
    assert any("uændret siden" in n for n in indlaes(d).noter)
    # another key (a copy of the folder on another machine, or a rotated key): a full check
    monkeypatch.setenv("KONTROL_NOEGLE", str(tmp_path / "ny-noegle"))
    assert not any("uændret siden" in n for n in indlaes(d).noter)
    # a key inside the data folder is no secret from whoever writes the folder: no stamp is trusted
    monkeypatch.setenv("KONTROL_NOEGLE", str(d / "noegle"))
    (d / STEMPEL).unlink()
    indlaes(d)
    assert not (d / STEMPEL).exists()


def test_the_daily_run_with_a_forged_stamp_refuses_the_folder_and_writes_nothing(tmp_path, capsys):
    d = tmp_path / "data"
    d.mkdir()
    good = "cpr;kommunekode;kle;oprettet;ophoert\n0101801234;151;32.24.04;2020-01-01;\n"
    write(d, "ydelsessager.csv", good)
    indlaes(d)                                                    # stamped
    import json
    from kontrol_lib.registre import STEMPEL
    genuine = json.loads((d / STEMPEL).read_text(encoding="utf-8"))
    write(d, "ydelsessager.csv", good + "0202801234;abc;32.24.04;2020-13-01;\n")
    _forge(d, genuine)                                            # new file hashes, the old signature
    db = str(tmp_path / "k.sqlite")
    assert main(["koer", "--data", str(d), "--dato", "2024-05-15", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "ydelsessager.csv, række 3, kolonne kommunekode, værdi 'abc': ikke en kommunekode (3 cifre)" in err
    assert "ydelsessager.csv, række 3, kolonne oprettet, værdi '2020-13-01'" in err
    assert "Traceback" not in err and "0202801234" not in err


def test_a_row_over_2_mb_is_one_row_error_and_the_rows_after_it_keep_their_numbers(tmp_path):
    (tmp_path / "personer.csv").write_bytes(b"cpr;foedselsdato;doedsdato\n0101901234;1990-01-01;\n"
                                            b"0202901234;" + b"x" * 3_000_000 + b";\n0303901234;1990-13-01;\n")
    assert reasons(valider(tmp_path)) == {
        ("personer.csv", 3, None, None, "rækken kan ikke læses (over 2 MB lang)"),
        ("personer.csv", 4, "foedselsdato", "1990-13-01",
         "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)")}


@pytest.mark.parametrize("navn, aarsag", [("personer.xlsx", "regnearket kan ikke åbnes (BadZipFile)"),
                                          ("personer.parquet", "Parquet-filen kan ikke læses (InvalidInputException)")])
def test_random_bytes_in_a_spreadsheet_or_parquet_file_are_an_error_on_the_file(tmp_path, navn, aarsag):
    import random
    (tmp_path / navn).write_bytes(random.Random(13).randbytes(4000))
    assert reasons(valider(tmp_path)) == {(navn, None, None, None, aarsag)}


def test_a_cell_with_two_problems_is_reported_once(tmp_path):
    write(tmp_path, "feriekonto.csv", "cpr;anmodningsdato;foerste_feriedag;beloeb;forventet_udbetaling\n"
          "0101901234;01.04.2024;15-04-2024;-5000000000;2024-04-20\n"     # negative AND below the range
          "0101901234;01.04.2024;15-04-2024;-1;2024-04-21\n")
    assert [(f.raekke, f.kolonne, f.aarsag) for f in valider(tmp_path)] == [
        (2, "beloeb", UDEN_FOR_BELOEB), (3, "beloeb", "negativt beløb er ikke muligt her")]
