"""The provenu rules of spec/provenu.md on small hand-built case tables; the arithmetic is in
the comments."""

import datetime as dt
from decimal import Decimal as D

import pandas as pd
import pytest

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.maal import provenu
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager.kontrolsagsfil import KOLONNER

BASE = dict(kommunekode=151, kanal="intern", kontroltrin=3, ydelse="kontanthjaelp", myndighed="kommune",
            paragraf11="nej", oprettet="2023-01-01", afsluttet="2023-06-30", resultat="aendret_tildeling",
            besparelse_rytme=None, besparelse_beloeb=None, tilbagebetalingskrav=None, efterregulering=None,
            skat=None, politianmeldt="nej", videresendt_til=None)


def sager(*rows):
    """Case rows: each a dict overriding BASE (sag_id required)."""
    return pd.DataFrame([{**BASE, **r} for r in rows])[KOLONNER]


def k(df, aar=2023, **kw):
    return {r["kategori"]: r for r in provenu.kategorier(df, aar, **kw).to_dict("records")}


@pytest.mark.parametrize("rytme, beloeb, besparelse", [
    ("maaned", "1000.00", "12000.00"),     # × 12
    ("uge", "100.01", "5200.52"),          # × 52
    ("kvartal", "250.25", "1001.00"),      # × 4 (børne- og ungeydelse is paid quarterly)
    ("aar", "9999.99", "9999.99"),         # × 1
    ("fast", "500.00", "500.00"),          # a fixed amount
])
def test_the_fremadrettet_besparelse_is_the_amount_times_its_rhythm_over_12_months(rytme, beloeb, besparelse):
    df = sager({"sag_id": "A", "besparelse_rytme": rytme, "besparelse_beloeb": beloeb})
    r = provenu.raekker(df).iloc[0]
    assert r["fremadrettet_besparelse"] == D(besparelse)
    assert r["provenu"] == D(besparelse)


def test_provenu_is_besparelse_plus_krav_plus_efterregulering_plus_skat_to_the_oere():
    df = sager({"sag_id": "A", "besparelse_rytme": "maaned", "besparelse_beloeb": "0.01",
                "tilbagebetalingskrav": "0.02", "efterregulering": "0.03", "skat": "0.04"})
    r = provenu.raekker(df).iloc[0]
    assert (r["fremadrettet_besparelse"], r["provenu"]) == (D("0.12"), D("0.21"))   # 0.12 + 0.02 + 0.03 + 0.04


def test_the_horizon_is_a_dated_parameter_read_on_the_closing_day(tmp_path, monkeypatch):
    root = tmp_path / "p"
    (root / "provenu").mkdir(parents=True)
    (root / "provenu" / "horisont_maaneder.yaml").write_text(
        "beskrivelse: x\nenhed: måneder\nreference: test\nvaerdier:\n  2010-01-01: 12\n  2024-01-01: 6\n",
        encoding="utf-8")
    monkeypatch.setenv("KONTROL_PARAMETRE", str(root))
    parametre.alle.cache_clear()
    try:
        df = sager(*[{"sag_id": f"{r}-{d}", "afsluttet": d, "besparelse_rytme": r, "besparelse_beloeb": "120.00"}
                     for r in ("maaned", "uge", "kvartal", "aar", "fast") for d in ("2023-12-31", "2024-01-01")])
        got = {r["sag_id"]: r["fremadrettet_besparelse"] for r in provenu.raekker(df).to_dict("records")}
        assert got == {"maaned-2023-12-31": D("1440.00"), "maaned-2024-01-01": D("720.00"),   # × 12, × 6
                       "uge-2023-12-31": D("6240.00"), "uge-2024-01-01": D("3120.00"),        # × 52, × 26
                       "kvartal-2023-12-31": D("480.00"), "kvartal-2024-01-01": D("240.00"),  # × 4, × 2
                       "aar-2023-12-31": D("120.00"), "aar-2024-01-01": D("60.00"),           # × 1, × 0.5
                       "fast-2023-12-31": D("120.00"), "fast-2024-01-01": D("120.00")}
        with pytest.raises(KontrolFejl, match="provenu.horisont_maaneder har ingen værdi den 2009-12-31"):
            provenu.raekker(sager({"sag_id": "X", "oprettet": "2009-01-01", "afsluttet": "2009-12-31",
                                   "besparelse_rytme": "maaned", "besparelse_beloeb": "1"}))
    finally:
        parametre.alle.cache_clear()


@pytest.mark.parametrize("resultat, provenu_", [
    ("aendret_tildeling", "1200.00"), ("henlagt_i_visitering", "0.00"),
    ("henlagt_efter_partshoering", "0.00"), ("udloebet", "0.00")])
def test_only_a_changed_award_carries_money(resultat, provenu_):
    df = sager({"sag_id": "A", "resultat": resultat, "tilbagebetalingskrav": "1200.00"})
    assert k(df)["I alt"]["provenu"] == D(provenu_)


@pytest.mark.parametrize("paragraf11, ydelse, myndighed, kategori", [
    ("ja", "tilflytning", "kommune", "§ 11-sager fra UDK"),     # § 11 wins over everything
    ("nej", "tilflytning", "udk", "Stop af tilflytninger"),    # tilflytning wins over myndighed
    ("nej", "kontanthjaelp", "kommune", "KL-ydelser"),
    ("nej", "boligydelse", "udk", "UDK-ydelser"),
    ("nej", "su", "su_styrelsen", "SU-sager"),
    ("nej", "kontanthjaelp", "skattestyrelsen", "Andre myndigheder"),
    ("nej", "kontanthjaelp", "anden_kommune", "Andre myndigheder"),
])
def test_each_row_falls_in_the_first_category_that_matches(paragraf11, ydelse, myndighed, kategori):
    df = sager({"sag_id": "A", "paragraf11": paragraf11, "ydelse": ydelse, "myndighed": myndighed,
                "tilbagebetalingskrav": "10.00"})
    got = k(df)
    assert got[kategori]["provenu"] == D("10.00") and got[kategori]["antal_sager"] == 1
    assert sum(r["provenu"] for n, r in got.items() if n != "I alt") == D("10.00")


def test_a_case_counts_in_the_year_it_was_closed_and_open_cases_count_nowhere():
    df = sager({"sag_id": "DEC", "oprettet": "2022-12-01", "afsluttet": "2022-12-31", "tilbagebetalingskrav": "1.00"},
               {"sag_id": "JAN", "oprettet": "2022-12-01", "afsluttet": "2023-01-01", "tilbagebetalingskrav": "2.00"},
               {"sag_id": "AABEN", "oprettet": "2022-12-01", "afsluttet": None, "resultat": None})
    assert k(df, 2022)["I alt"]["provenu"] == D("1.00")
    assert k(df, 2023)["I alt"]["provenu"] == D("2.00")
    assert provenu.kanaler(df, 2023).set_index("kanal").loc["intern", "afsluttede"] == 1


def test_antal_sager_counts_distinct_cases_and_i_alt_is_distinct_over_categories():
    df = sager({"sag_id": "A", "ydelse": "kontanthjaelp", "tilbagebetalingskrav": "1"},
               {"sag_id": "A", "ydelse": "oekonomisk_friplads", "tilbagebetalingskrav": "1"},   # same category
               {"sag_id": "A", "ydelse": "boligydelse", "myndighed": "udk", "tilbagebetalingskrav": "1"},
               {"sag_id": "B", "ydelse": "kontanthjaelp", "tilbagebetalingskrav": "1"},
               {"sag_id": "C", "ydelse": "kontanthjaelp", "resultat": "henlagt_i_visitering"})
    got = k(df)
    assert got["KL-ydelser"]["antal_sager"] == 2      # A, B (C has no changed award)
    assert got["UDK-ydelser"]["antal_sager"] == 1     # A
    assert got["I alt"]["antal_sager"] == 2           # A, B: less than 2 + 1


def test_stop_and_krav_count_rows_with_an_amount_above_zero():
    df = sager({"sag_id": "A", "besparelse_rytme": "fast", "besparelse_beloeb": "0.01"},
               {"sag_id": "B", "besparelse_rytme": "fast", "besparelse_beloeb": "0.00", "tilbagebetalingskrav": "0.01"},
               {"sag_id": "C", "tilbagebetalingskrav": "0.00"})
    y = provenu.ydelser(df, 2023).set_index("ydelse")
    assert (y.loc["kontanthjaelp", "stop_antal"], y.loc["kontanthjaelp", "krav_antal"]) == (1, 1)
    assert (y.loc["kontanthjaelp", "stop_beloeb"], y.loc["kontanthjaelp", "krav_beloeb"]) == (D("0.01"), D("0.01"))


def test_the_hit_rate_is_cases_with_provenu_above_zero_over_cases_closed():
    df = sager({"sag_id": "A", "kanal": "projekt", "tilbagebetalingskrav": "0.01"},            # hit
               {"sag_id": "B", "kanal": "projekt", "tilbagebetalingskrav": "0.00"},            # changed, 0 kr.: no hit
               {"sag_id": "C", "kanal": "projekt", "resultat": "henlagt_efter_partshoering"},  # closed, no hit
               {"sag_id": "D", "kanal": "udk", "tilbagebetalingskrav": "5"},
               {"sag_id": "D", "kanal": "udk", "ydelse": "boligydelse", "tilbagebetalingskrav": "5"},  # one case
               {"sag_id": "E", "kanal": "udk", "afsluttet": None, "resultat": None})           # open: not closed
    kan = provenu.kanaler(df, 2023).set_index("kanal")
    assert tuple(kan.loc["projekt"]) == (3, 1, D("0.3333"))   # 1/3 to four decimals
    assert tuple(kan.loc["udk"]) == (1, 1, D("1.0000"))
    assert tuple(kan.loc["politi"]) == (0, 0, None)            # nothing closed: no rate
    assert provenu.hitrate(2, 3) == D("0.6667")


def test_the_kommune_filter_keeps_one_municipality():
    df = sager({"sag_id": "A", "tilbagebetalingskrav": "1"},
               {"sag_id": "B", "kommunekode": 153, "tilbagebetalingskrav": "2"})
    assert k(df, kommune=151)["I alt"]["provenu"] == D("1")
    assert k(df, kommune=153)["I alt"]["provenu"] == D("2")
    assert k(df)["I alt"]["provenu"] == D("3")


def test_paragraf_11_counts_every_closed_case_and_those_with_provenu():
    df = sager({"sag_id": "A", "paragraf11": "ja", "myndighed": "udk", "ydelse": "boligsikring",
                "besparelse_rytme": "maaned", "besparelse_beloeb": "100", "tilbagebetalingskrav": "50"},
               {"sag_id": "B", "paragraf11": "ja", "myndighed": "udk", "resultat": "henlagt_i_visitering"},
               {"sag_id": "C", "paragraf11": "ja", "myndighed": "udk", "afsluttet": None, "resultat": None},
               {"sag_id": "D", "paragraf11": "nej", "tilbagebetalingskrav": "7"})
    p = provenu.paragraf11(df, 2023).iloc[0]
    assert (p["afsluttede"], p["med_provenu"], p["fremadrettet_besparelse"], p["tilbagebetalingskrav"],
            p["provenu"]) == (2, 1, D("1200.00"), D("50.00"), D("1250.00"))


# --------------------------------------------------------------------------- corrections
KORR_SAGER = sager(
    {"sag_id": "GL", "oprettet": "2022-02-01", "afsluttet": "2022-06-30", "besparelse_rytme": "maaned",
     "besparelse_beloeb": "1000.00", "tilbagebetalingskrav": "5000.00"},                       # 2022: 17.000
    {"sag_id": "NY", "oprettet": "2023-02-01", "afsluttet": "2023-03-31", "ydelse": "boligydelse",
     "myndighed": "udk", "tilbagebetalingskrav": "3000.00"})                                    # 2023: 3.000
KORR = pd.DataFrame([
    # the 2022 case's krav is raised by 2.000 in 2023 and its monthly saving lowered by 100 (× 12) in 2024
    {"sag_id": "GL", "ydelse": "kontanthjaelp", "registreret": dt.date(2023, 5, 1),
     "tilbagebetalingskrav": D("2000.00")},
    {"sag_id": "GL", "ydelse": "kontanthjaelp", "registreret": dt.date(2024, 2, 1),
     "besparelse_beloeb": D("-100.00")},
    # the 2023 case is corrected within 2023: part of 2023's own figure
    {"sag_id": "NY", "ydelse": "boligydelse", "registreret": dt.date(2023, 12, 31),
     "efterregulering": D("250.50")},
])


def test_a_reported_year_is_never_rewritten_by_a_later_correction():
    assert k(KORR_SAGER, 2022, korrektioner=KORR)["I alt"]["provenu"] == D("17000.00")
    assert k(KORR_SAGER, 2022, korrektioner=KORR)[provenu.KORREKTIONER]["provenu"] == D("0.00")


def test_a_correction_counts_in_the_year_it_was_registered_on_its_own_labelled_row():
    y23 = k(KORR_SAGER, 2023, korrektioner=KORR)
    assert y23[provenu.KORREKTIONER]["tilbagebetalingskrav"] == D("2000.00")
    assert y23[provenu.KORREKTIONER]["antal_sager"] == 1
    assert y23["UDK-ydelser"]["provenu"] == D("3250.50")     # 3.000 + the same-year efterregulering 250,50
    assert y23["KL-ydelser"]["provenu"] == D("0.00")
    assert y23["I alt"]["provenu"] == D("5250.50")           # 3.250,50 + 2.000
    assert y23["I alt"]["antal_sager"] == 1                  # only NY was closed in 2023
    y24 = k(KORR_SAGER, 2024, korrektioner=KORR)
    assert y24[provenu.KORREKTIONER]["fremadrettet_besparelse"] == D("-1200.00")   # -100 × 12
    assert y24["I alt"]["provenu"] == D("-1200.00")
    assert list(provenu.kategorier(KORR_SAGER, 2023, korrektioner=KORR)["kategori"])[-2:] == [
        provenu.KORREKTIONER, "I alt"]


def test_without_corrections_the_tables_have_exactly_the_spec_rows():
    assert provenu.KORREKTIONER not in list(provenu.kategorier(KORR_SAGER, 2023)["kategori"])
    assert provenu.KORREKTIONER not in list(provenu.ydelser(KORR_SAGER, 2023)["ydelse"])


def test_corrections_appear_in_ydelser_and_udvikling_in_their_own_year():
    y = provenu.ydelser(KORR_SAGER, 2023, korrektioner=KORR).set_index("ydelse")
    assert y.loc["boligydelse", "efterregulering"] == D("250.50")
    assert y.loc[provenu.KORREKTIONER, "krav_beloeb"] == D("2000.00")
    assert y.loc["I alt", "provenu"] == D("5250.50")
    u = provenu.udvikling(KORR_SAGER, 2024, korrektioner=KORR)
    got = {(r["aar"], r["kategori"]): r["provenu"] for r in u.to_dict("records")}
    assert got[(2022, "I alt")] == D("17000.00")
    assert got[(2023, provenu.KORREKTIONER)] == D("2000.00")
    assert got[(2024, provenu.KORREKTIONER)] == D("-1200.00")


def test_a_correction_dated_before_the_case_was_closed_is_an_error():
    bad = pd.DataFrame([{"sag_id": "NY", "ydelse": "boligydelse", "registreret": dt.date(2023, 3, 30),
                         "skat": D("1")}])
    with pytest.raises(KontrolFejl, match="registreret 2023-03-30, før sagen blev afsluttet 2023-03-31"):
        provenu.kategorier(KORR_SAGER, 2023, korrektioner=bad)


# --------------------------------------------------------------------------- netto
def test_the_netto_view_applies_the_dated_nettoprocent_per_ydelse_and_is_labelled():
    df = sager({"sag_id": "A", "tilbagebetalingskrav": "100.01"},                        # kontanthjælp 80 %
               {"sag_id": "B", "ydelse": "boligydelse", "myndighed": "udk", "tilbagebetalingskrav": "100.02"},  # 25 %
               {"sag_id": "C", "ydelse": "su", "myndighed": "su_styrelsen", "tilbagebetalingskrav": "999"})  # 0 %
    n = provenu.kategorier_netto(df, 2023).set_index("kategori")
    assert n.attrs["opgoerelse"] == "netto"
    assert "provenu" not in n.columns and "provenu_netto" in n.columns
    assert n.loc["KL-ydelser", "provenu_netto"] == D("80.01")      # 100,01 × 0,80 = 80,008 → 80,01
    assert n.loc["UDK-ydelser", "provenu_netto"] == D("25.01")     # 100,02 × 0,25 = 25,005 → 25,01 (half up)
    assert n.loc["SU-sager", "provenu_netto"] == D("0.00")
    assert n.loc["I alt", "provenu_netto"] == D("105.02")
    assert provenu.kategorier(df, 2023).set_index("kategori").loc["I alt", "provenu"] == D("1199.03")  # brutto
    assert provenu.nettoprocent("kontanthjaelp", dt.date(2016, 1, 4)) == D("80")
    with pytest.raises(KontrolFejl, match="provenu.nettoprocent.kontanthjaelp har ingen værdi den 2016-01-03"):
        provenu.nettoprocent("kontanthjaelp", dt.date(2016, 1, 3))


def test_every_ydelse_has_a_nettoprocent_with_a_reference():
    for y in provenu.YDELSER:
        p = parametre.alle()[f"provenu.nettoprocent.{y}"]
        assert p.enhed == "procent" and "bekræfte" in p.reference
        assert D(0) <= D(str(p.vaerdi(dt.date(2023, 1, 1)))) <= D(100)


def test_netto_ydelser_and_udvikling_carry_netto_columns():
    df = sager({"sag_id": "A", "tilbagebetalingskrav": "10.00"})
    y = provenu.ydelser_netto(df, 2023)
    assert list(y.columns) == ["ydelse", "stop_antal", "stop_beloeb_netto", "krav_antal", "krav_beloeb_netto",
                               "efterregulering_netto", "skat_netto", "provenu_netto"]
    assert y.iloc[0]["provenu_netto"] == D("8.00")
    u = provenu.udvikling_netto(df, 2023)
    assert list(u.columns) == ["aar", "kategori", "provenu_netto"]


# --------------------------------------------------------------------------- per case and årsværk
def test_provenu_per_case_and_per_aarsvaerk_is_exact_to_the_oere():
    df = sager({"sag_id": "A", "tilbagebetalingskrav": "1000.00"},
               {"sag_id": "B", "tilbagebetalingskrav": "0.01"},
               {"sag_id": "C", "resultat": "henlagt_i_visitering"})
    r = provenu.provenu_pr_aarsvaerk(df, 2023, D("3")).iloc[0]
    assert r["provenu"] == D("1000.01")
    assert (r["afsluttede_sager"], r["sager_med_aendring"]) == (3, 2)
    assert r["provenu_pr_afsluttet_sag"] == D("333.34")       # 1000,01 / 3 = 333,336...
    assert r["provenu_pr_sag_med_aendring"] == D("500.01")    # 1000,01 / 2 = 500,005 → half up
    assert r["provenu_pr_aarsvaerk"] == D("333.34")
    assert provenu.provenu_pr_aarsvaerk(df, 2023, "2.5").iloc[0]["provenu_pr_aarsvaerk"] == D("400.00")


@pytest.mark.parametrize("aarsvaerk", [0, "-1", "to"])
def test_staffing_must_be_a_positive_number(aarsvaerk):
    with pytest.raises(KontrolFejl, match="Årsværk"):
        provenu.provenu_pr_aarsvaerk(sager({"sag_id": "A"}), 2023, aarsvaerk)


def test_a_year_without_cases_gives_zero_rows_and_no_rate():
    r = provenu.provenu_pr_aarsvaerk(sager({"sag_id": "A"}), 2020, 1).iloc[0]
    assert (r["provenu"], r["afsluttede_sager"], r["provenu_pr_afsluttet_sag"]) == (D("0.00"), 0, None)
    assert list(provenu.ydelser(sager({"sag_id": "A"}), 2020)["ydelse"]) == ["I alt"]


def test_a_same_year_correction_that_adds_a_ydelse_adds_its_row():
    korr = pd.DataFrame([{"sag_id": "NY", "ydelse": "boernetilskud", "registreret": dt.date(2023, 4, 1),
                          "besparelse_rytme": "kvartal", "besparelse_beloeb": D("100.00"),
                          "besparelse_rytme_foer": None, "besparelse_beloeb_foer": None}])
    y = provenu.ydelser(KORR_SAGER, 2023, korrektioner=korr).set_index("ydelse")
    assert (y.loc["boernetilskud", "stop_antal"], y.loc["boernetilskud", "stop_beloeb"]) == (1, D("400.00"))  # 100 × 4
    assert y.loc["I alt", "provenu"] == D("3400.00")
    assert k(KORR_SAGER, 2023, korrektioner=korr)["UDK-ydelser"]["antal_sager"] == 1


def test_a_correction_that_changes_the_rhythm_counts_the_difference_over_the_horizon():
    # before: 1.000 a month (12.000); after: 250 a week (13.000) → +1.000
    korr = pd.DataFrame([{"sag_id": "GL", "ydelse": "kontanthjaelp", "registreret": dt.date(2023, 1, 15),
                          "besparelse_rytme": "uge", "besparelse_beloeb": D("-750.00"),
                          "besparelse_rytme_foer": "maaned", "besparelse_beloeb_foer": D("1000.00")}])
    assert k(KORR_SAGER, 2023, korrektioner=korr)[provenu.KORREKTIONER]["fremadrettet_besparelse"] == D("1000.00")


def test_netto_corrections_use_the_cases_closing_day_and_the_corrected_ydelses_share():
    korr = pd.DataFrame([{"sag_id": "GL", "ydelse": "boligydelse", "registreret": dt.date(2023, 5, 1),
                          "tilbagebetalingskrav": D("100.00")}])           # a ydelse GL did not have: 25 %
    n = provenu.kategorier_netto(KORR_SAGER, 2023, korrektioner=korr).set_index("kategori")
    assert n.loc[provenu.KORREKTIONER, "provenu_netto"] == D("25.00")
    assert n.loc["I alt", "provenu_netto"] == D("775.00")                  # NY: 3.000 × 25 % + 25
