"""The same numbers whether cases came through the workflow, the import or the file; and
corrections that never rewrite a reported year (the case store, SQLite)."""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from kontrol_lib.sager import kontrolsagsfil as kontrolsager
from kontrol_lib.maal import provenu
from kontrol_lib.flader.cli import main
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.jobs.daglig import koer_udfald

FIXTURE = Path(__file__).parent / "data" / "provenu" / "ballerup_2019_2023.csv"
TABELLER = ("kategorier", "ydelser", "udvikling", "kanaler")


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def importeret(tmp_path_factory):
    d = tmp_path_factory.mktemp("lager")
    url = f"sqlite:///{d / 'kontrol.sqlite'}"
    assert main(["importer-sager", "--sager", str(FIXTURE), "--db", url, "--bruger", "anna"]) == 0
    return url, d


def test_the_imported_store_gives_the_files_numbers_with_an_empty_corrections_row(importeret):
    url, d = importeret
    for kilde, args in (("db", ["--db", url]), ("fil", ["--sager", str(FIXTURE)])):
        assert main(["provenu", *args, "--aar", "2023", "--kommune", "151", "--ud", str(d / kilde)]) == 0
    for t in TABELLER:
        db, fil = lines(d / "db" / f"{t}.csv"), lines(d / "fil" / f"{t}.csv")
        korr = [x for x in db if provenu.KORREKTIONER in x]
        assert [x for x in db if provenu.KORREKTIONER not in x] == fil, t
        assert all(x.endswith(",0.00") for x in korr)
    assert "I alt,31,3641834.21,7438669.23,93098.00,91345.56,11264947.00" in lines(d / "db" / "kategorier.csv")


def test_the_kl_workbook_is_the_same_from_the_store_and_from_the_file(importeret):
    url, d = importeret
    for kilde, args in (("db", ["--db", url]), ("fil", ["--sager", str(FIXTURE)])):
        assert main(["kl-effektmaaling", *args, "--aar", "2023", "--kommune", "151",
                     "--ud", str(d / f"kl_{kilde}.xlsx")]) == 0
    a = list(openpyxl.load_workbook(d / "kl_db.xlsx")["Effektmåling"].values)
    b = list(openpyxl.load_workbook(d / "kl_fil.xlsx")["Effektmåling"].values)
    assert len(a) == 39 and sorted(a[1:], key=str) == sorted(b[1:], key=str) and a[0] == b[0]


def test_the_ballerup_cases_imported_into_either_database_give_the_published_figures(db_url):
    df, _ = kontrolsager.indlaes(FIXTURE)
    lager = SagsLager(db_url)
    try:
        lager.importer_kontrolsager(df[kontrolsager.KOLONNER], "anna")
        sager, korr = lager.kontrolsager(151), lager.korrektioner(151)
    finally:
        lager.luk()
    fra_fil = provenu.kategorier(df, 2023, kommune=151)
    fra_lager = provenu.kategorier(sager, 2023, korr, kommune=151)
    assert fra_lager[fra_lager["kategori"] != provenu.KORREKTIONER].reset_index(drop=True).equals(fra_fil)
    assert fra_lager.iloc[-1]["provenu"] == D("11264947.00")
    assert provenu.ydelser(sager, 2023, korr, 151, "UDK-ydelser").iloc[-1]["provenu"] == D("1640160.00")


def test_reimporting_the_same_file_changes_nothing(importeret):
    url, _ = importeret
    lager = SagsLager(url)
    try:
        df, _ = kontrolsager.indlaes(FIXTURE)
        before = provenu.kategorier(lager.kontrolsager(151), 2023, lager.korrektioner(151))
        res = lager.importer_kontrolsager(df[kontrolsager.KOLONNER], "anna")
        assert res["nye"] == 0 and res["korrektioner"] == 0
        assert provenu.kategorier(lager.kontrolsager(151), 2023, lager.korrektioner(151)).equals(before)
    finally:
        lager.luk()


def test_a_bad_file_imports_nothing_and_names_every_bad_row(tmp_path, capsys):
    p = tmp_path / "k.csv"
    p.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0] + "\n"
                 "A;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;10;;;;\n"
                 "B;151;intern;9;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;;;10;;;;\n"
                 "C;151;intern;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;uge;;;;;;\n",
                 encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    assert main(["importer-sager", "--sager", str(p), "--db", url, "--bruger", "anna"]) == 1
    err = capsys.readouterr().err
    assert "række 3, kolonne kontroltrin, værdi '9'" in err and "række 4, kolonne besparelse_beloeb" in err
    lager = SagsLager(url)
    try:
        assert len(lager.kontrolsager()) == 0
    finally:
        lager.luk()


HEADER = kontrolsager.KOLONNER


def _csv(rows) -> pd.DataFrame:
    base = dict(kommunekode=151, kanal="intern", kontroltrin=3, myndighed="kommune", paragraf11="nej",
                resultat="aendret_tildeling", besparelse_rytme=None, besparelse_beloeb=None,
                tilbagebetalingskrav=None, efterregulering=None, skat=None, politianmeldt="nej", videresendt_til=None)
    return kontrolsager.normaliser(pd.DataFrame([{**base, **r} for r in rows])[HEADER])


K1 = dict(sag_id="K1", ydelse="kontanthjaelp", oprettet=dt.date(2022, 2, 1), afsluttet=dt.date(2022, 6, 30),
          besparelse_rytme="maaned", besparelse_beloeb=D("1000.00"), tilbagebetalingskrav=D("5000.00"))   # 17.000
K2 = dict(sag_id="K2", ydelse="boligydelse", myndighed="udk", oprettet=dt.date(2023, 1, 5),
          afsluttet=dt.date(2023, 2, 1), tilbagebetalingskrav=D("3000.00"))


def test_corrections_through_the_store_count_in_the_year_they_were_registered(db_url):
    lager = SagsLager(db_url)
    try:
        lager.importer_kontrolsager(_csv([K1, K2]), "anna", dato=dt.date(2023, 2, 1))
        # 2023-05-01: K1 (reported for 2022) gets krav 7.000 (+2.000) and its saving becomes 250 a
        # week (13.000 against 12.000: +1.000); K2 (2023) gets an efterregulering of 250,50.
        lager.importer_kontrolsager(_csv([
            {**K1, "besparelse_rytme": "uge", "besparelse_beloeb": D("250.00"), "tilbagebetalingskrav": D("7000.00")},
            {**K2, "efterregulering": D("250.50")}]), "bo", dato=dt.date(2023, 5, 1))
        # 2024-02-01: K1 also gets a boligydelse krav of 100 (a ydelse it did not have).
        lager.importer_kontrolsager(_csv([
            {**K1, "besparelse_rytme": "uge", "besparelse_beloeb": D("250.00"), "tilbagebetalingskrav": D("7000.00")},
            {**K1, "ydelse": "boligydelse", "myndighed": "udk", "besparelse_rytme": None, "besparelse_beloeb": None,
             "tilbagebetalingskrav": D("100.00")},
            {**K2, "efterregulering": D("250.50")}]), "bo", dato=dt.date(2024, 2, 1))
        sager, korr = lager.kontrolsager(), lager.korrektioner()
    finally:
        lager.luk()

    def k(aar):
        return {r["kategori"]: r for r in provenu.kategorier(sager, aar, korr).to_dict("records")}
    assert k(2022)["I alt"]["provenu"] == D("17000.00")               # reported 2022 figure stands
    assert k(2022)["KL-ydelser"]["fremadrettet_besparelse"] == D("12000.00")
    y23 = k(2023)
    assert (y23[provenu.KORREKTIONER]["fremadrettet_besparelse"], y23[provenu.KORREKTIONER]["tilbagebetalingskrav"],
            y23[provenu.KORREKTIONER]["provenu"]) == (D("1000.00"), D("2000.00"), D("3000.00"))
    assert y23["UDK-ydelser"]["provenu"] == D("3250.50")              # same-year correction folded in
    assert y23["I alt"]["provenu"] == D("6250.50")
    y24 = k(2024)
    assert y24[provenu.KORREKTIONER]["provenu"] == D("100.00")
    assert y24["I alt"]["provenu"] == D("100.00") and y24["I alt"]["antal_sager"] == 0
    u = provenu.udvikling(sager, 2024, korr)
    got = {(r["aar"], r["kategori"]): r["provenu"] for r in u.to_dict("records")}
    assert (got[(2022, "I alt")], got[(2023, "I alt")], got[(2024, "I alt")]) == (
        D("17000.00"), D("6250.50"), D("100.00"))


REGLER = {"flytning": SimpleNamespace(titel="Flytning", kontroltype="flytning")}


def test_a_case_decided_in_the_workflow_counts_like_the_same_case_imported(db_url, tmp_path):
    lager = SagsLager(db_url)
    try:
        udfald = pd.DataFrame([dict(ym_cpr="0101801234", person_cpr="0101801234", rolle="YM", regel="flytning",
                                    haendelsesdato=dt.date(2023, 5, 2), haendelse_id="h1", kle="32.24.04",
                                    kommunekode=151, oplysninger="flytning h1")])
        [sag] = koer_udfald(lager, udfald, dt.date(2023, 5, 15), regler=REGLER).nye_sager
        lager.bestil(1, "anna", dato=dt.date(2023, 5, 16))
        lager.visiter(sag, "anna", "partshoering", dato=dt.date(2023, 5, 17))
        lager.afgoer(sag, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="kvartal", besparelse_beloeb="2500.25",
                                                             tilbagebetalingskrav="999.99"), dato=dt.date(2023, 6, 20))
        fra_lager = lager.kontrolsager()
        korr = lager.korrektioner()
    finally:
        lager.luk()
    # The workflow case written as kontrolsager.csv and read back: the same tables.
    kontrolsager.skriv_csv(fra_lager, tmp_path / "k.csv")
    fra_fil, _ = kontrolsager.indlaes(tmp_path / "k.csv")
    k_lager = provenu.kategorier(fra_lager, 2023, korr)
    k_fil = provenu.kategorier(fra_fil, 2023, pd.DataFrame(columns=["sag_id", "ydelse", "registreret"]))
    assert k_lager.equals(k_fil)
    i_alt = k_lager.iloc[-1]
    assert (i_alt["fremadrettet_besparelse"], i_alt["tilbagebetalingskrav"], i_alt["provenu"]) == (
        D("10001.00"), D("999.99"), D("11000.99"))                  # 2.500,25 × 4 + 999,99
    assert provenu.kanaler(fra_lager, 2023).set_index("kanal").loc["dfd_registersamkoering", "med_provenu"] == 1
