"""Rule effect and fairness (kontrol_lib.maal.regeleffekt), computed by hand.

1. A scripted store, kommune 151 (Ballerup), period 2024 (every figure checked):
     2023-10-01 run: Z (flytning) exposed; expires on the run of 2024-02-01 (udloebsdato 2024-01-01):
                     exposed in 2023, so not in the 2024 cohort
     2024-02-01 run: A (man, born 1990) flytning ×2 udfald (h-A1, h-A2) + bilkoeb (h-A3): one case, two rules
     2024-02-02 run: B (woman, 1985) flytning
     2024-02-03 run: C (man, 1960) bilkoeb
     2024-02-04 run: E (woman, 2000) b_indkomst
     2024-03-05 run: B gets b_indkomst (h-B2) while udstillet: B has rules flytning and b_indkomst
     2024-03-10 bestil 3 → A, B, C (oldest udløbsdato first); 03-11 A and C to partshøring, B henlagt
     2024-03-20 A aendret_tildeling: 1,000.00 kr./md. stopped + krav 5,000.00 → brutto 12 × 1,000 + 5,000
                = 17,000.00; netto 80 % (kontanthjælp, parameters/provenu/nettoprocent) = 13,600.00
     2024-03-21 C henlagt efter partshøring
     2024-05-10 run: E expires (udloebsdato 2024-05-04)

   rule        cases  udfald  bestilte  partshøring  ændrede  udløbne  brutto     pr. bestilt
   bilkoeb     A C    2       2         2            1        0        17,000.00  8,500.00
   b_indkomst  B E    2       1         0            0        1        0.00       0.00
   flytning    A B    3       2         1            1        0        17,000.00  8,500.00
   I alt       A B C E 7      3         2            1        1        17,000.00  5,666.67 (17,000/3)
   Every share's denominator is below 5: every mark 'ja'. Every fairness group has < 5 exposed:
   nothing shown.

2. The fairness example (pure core; 43 cases, one rule each), bestand averaged over two run dates
   (2024-03-31 and 2024-06-30; mand/30-39 19 and 21 → 20; a run date before the period and another
   municipality's rows are left out):
       mand: under 30 10, 30-39 20, 40-49 10, 50-59 20, 60+ 20 = 80
       kvinde: under 30 10, 30-39 40, 40-49 10, 50-59 80, 60+ 20 = 160
       ages: under 30 20, 30-39 60, 40-49 20, 50-59 100, 60+ 40
   flytning (15): mand 10 (2 changed) 30-39; kvinde 1 in 30-39 (1 changed), 4 in 40-49 (1 changed)
     koen: kvinde 5 exp (edge: shown) 5×1000/160 = 31.25, 2/5 = 0.4 → reference
           mand 10×1000/80 = 125.00, 0.2; ratio 125/31.25 = 4.00, 0.2/0.4 = 0.50 → MARKED
     alder: 30-39 11, 40-49 4 (hidden) → the hidden add up to 4, so 30-39 is hidden too: nothing shown
   bilkoeb (13, all 30-39): mand 5 (0 changed), kvinde 8 (2 changed)
     koen: kvinde 8000/160 = 50.00, 0.25 → reference; mand 5000/80 = 62.50, ratio 1.25 exactly
           (edge: not above 1.25), outcome 0/0.25 = 0.00 → not marked
     alder: 30-39 13000/60 = 216.67, 2/13 = 0.1538 → reference of itself
   b_indkomst (15): under 30: 3 mand + 2 kvinde (1 changed); 50-59: 2 mand + 8 kvinde (2 changed)
     koen: kvinde 10000/160 = 62.50, 3/10 = 0.3; mand 5000/80 = 62.50 (tie: kvinde first is the
           reference); mand ratio 1.00, 0.00
     alder: 50-59 10000/100 = 100.00, 0.2 → reference; under 30 5000/20 = 250.00, ratio 2.50 with
           outcome ratio 0.2/0.2 = 1.00 exactly (edge: not below 1) → not marked
   I alt (43): koen: kvinde 23 exp, 23000/160 = 143.75, 7/23 = 0.3043 → reference;
                     mand 20 exp, 250.00, 2/20 = 0.1; 250/143.75 = 1.7391 → 1.74; 0.1/(7/23) = 0.3286 → 0.33 → MARKED
               alder: under 30 5, 30-39 24, 40-49 4 (hidden), 60+ 0 → the hidden add up to 4, so the
                     smallest shown (under 30, 5) is hidden too; 50-59 10 exp 100.00, 0.2 → reference;
                     30-39 24000/60 = 400.00, 5/24 = 0.2083, ratio 4.00, (5/24)/(1/5) = 1.0417 → 1.04
"""

import datetime as dt
import re
from decimal import Decimal

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.maal import regeleffekt as R
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.sager import regelgrundlag as G
from kontrol_lib.vokabular.fejl import KontrolFejl
from test_sagsstyring_hjaelp import REGLER, D, frame, u

CPR = {"Z": "0101702011", "A": "0501902001", "B": "1203852002", "C": "0707602003", "E": "0202004004"}
CPR_RE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
d = Decimal


def run(lager, dato, *rows):
    return koer_udfald(lager, frame(*rows), dato, regler=REGLER)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('lager') / 'kontrol.sqlite'}"
    lager = SagsLager(url)
    ids = {}
    ids["Z"] = run(lager, D(2023, 10, 1), u(CPR["Z"], "flytning", "h-Z", dato="2023-09-20")).nye_sager[0]
    r = run(lager, D(2024, 2, 1), u(CPR["A"], "flytning", "h-A1", dato="2024-01-20"),
            u(CPR["A"], "flytning", "h-A2", dato="2024-01-21"), u(CPR["A"], "bilkoeb", "h-A3", dato="2024-01-22"))
    assert r.udloebne_sager == [ids["Z"]]
    ids["A"] = r.nye_sager[0]
    ids["B"] = run(lager, D(2024, 2, 2), u(CPR["B"], "flytning", "h-B", dato="2024-01-20")).nye_sager[0]
    ids["C"] = run(lager, D(2024, 2, 3), u(CPR["C"], "bilkoeb", "h-C", dato="2024-01-20")).nye_sager[0]
    ids["E"] = run(lager, D(2024, 2, 4), u(CPR["E"], "b_indkomst", "h-E", dato="2024-01-20")).nye_sager[0]
    assert run(lager, D(2024, 3, 5), u(CPR["B"], "b_indkomst", "h-B2", dato="2024-03-01")).udvidede_sager == [ids["B"]]
    assert lager.bestil(3, "anna", ydelsesomraade="kontanthjaelp", kommune=151, dato=D(2024, 3, 10)) == \
        [ids["A"], ids["B"], ids["C"]]
    lager.visiter(ids["A"], "anna", "partshoering", dato=D(2024, 3, 11))
    lager.visiter(ids["B"], "anna", "henlaeg", dato=D(2024, 3, 11))
    lager.visiter(ids["C"], "anna", "partshoering", dato=D(2024, 3, 11))
    lager.afgoer(ids["A"], "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1000.00",
                                                                tilbagebetalingskrav="5000.00", aendring="stop"),
                 dato=D(2024, 3, 20))
    lager.afgoer(ids["C"], "anna", "henlagt_efter_partshoering", dato=D(2024, 3, 21))
    assert run(lager, D(2024, 5, 10)).udloebne_sager == [ids["E"]]
    with lager.skriv() as conn:
        best = pd.DataFrame({"ym_cpr": [CPR["A"], CPR["B"], CPR["C"], CPR["E"], CPR["E"]],
                             "kommunekode": [151] * 5})
        assert G.gem_bestandsgrupper(lager, conn, D(2024, 2, 29), G.bestandsgrupper_af(best, D(2024, 2, 29))) == 4
        # the same run date again writes nothing (the daily run is idempotent)
        assert G.gem_bestandsgrupper(lager, conn, D(2024, 2, 29), G.bestandsgrupper_af(best, D(2024, 2, 29))) == 0
    yield lager, ids
    lager.luk()


RAEKKER = {   # regel: udfald, udstillede, bestilte, partshoering, aendrede, udloebne, brutto, netto
    "bilkoeb": (2, 2, 2, 2, 1, 0, d("17000.00"), d("13600.00")),
    "b_indkomst": (2, 2, 1, 0, 0, 1, d("0.00"), d("0.00")),
    "flytning": (3, 2, 2, 1, 1, 0, d("17000.00"), d("13600.00")),
    "i_alt": (7, 4, 3, 2, 1, 1, d("17000.00"), d("13600.00")),
}
MAAL = {      # andel_bestilt, andel_partshoering, andel_aendret, andel_aendret_af_bestilte, andel_udloebet, pr_bestilt
    "bilkoeb": (d("1.0000"), d("1.0000"), d("0.5000"), d("0.5000"), d("0.0000"), d("8500.00")),
    "b_indkomst": (d("0.5000"), d("0.0000"), d("0.0000"), d("0.0000"), d("0.5000"), d("0.00")),
    "flytning": (d("1.0000"), d("0.5000"), d("0.5000"), d("0.5000"), d("0.0000"), d("8500.00")),
    "i_alt": (d("0.7500"), d("0.6667"), d("0.2500"), d("0.3333"), d("0.2500"), d("5666.67")),
}


def test_rule_effect_of_the_scripted_year_every_count_amount_share_and_mark(scripted):
    lager, _ = scripted
    r = R.regeleffekt(lager, aar=2024, kommune=151)
    e = r.effekt
    assert list(e.columns) == R.EFFEKT_KOLONNER
    assert list(e["regel"]) == ["bilkoeb", "b_indkomst", "flytning", "i_alt"]
    assert list(e["titel"]) == ["Bilkøb", "B-indkomst", "Flytning", "I alt"]
    assert list(e["art"]) == ["national regel"] * 3 + ["i alt"]
    for rec in e.to_dict("records"):
        assert tuple(rec[c] for c in R.ANTAL + R.BELOEB) == RAEKKER[rec["regel"]], rec["regel"]
        assert tuple(rec[m] for m in R.MAAL) == MAAL[rec["regel"]], rec["regel"]
        assert {rec[f"lille_{m}"] for m in R.MAAL} == {"ja"}
    assert e.attrs["antal_sager"] == 4


def test_the_cohort_is_the_exposure_period_followed_to_the_outcome(scripted):
    lager, ids = scripted
    # exposed Feb 2024, outcomes in March and May: a cohort of Feb only still sees them
    e = R.regeleffekt(lager, kommune=151, fra=D(2024, 2, 1), til=D(2024, 2, 29)).effekt
    assert tuple(e.iloc[-1][list(R.ANTAL)]) == (7, 4, 3, 2, 1, 1)
    # exposed on 2024-02-01 only: A
    e = R.regeleffekt(lager, kommune=151, fra=D(2024, 2, 1), til=D(2024, 2, 1)).effekt
    assert list(e["regel"]) == ["bilkoeb", "flytning", "i_alt"]
    assert list(e["udfald"]) == [1, 2, 3] and list(e["udstillede"]) == [1, 1, 1]
    # 2023: Z, which expired unprocessed
    e = R.regeleffekt(lager, aar=2023, kommune=151).effekt
    assert e.to_dict("records")[-1]["udloebne"] == 1 and list(e["regel"]) == ["flytning", "i_alt"]


def test_every_figure_ties_back_to_the_log(scripted):
    lager, ids = scripted
    log = lager.log(kommune=151)
    e = R.regeleffekt(lager, aar=2024, kommune=151).effekt.set_index("regel")
    i2024 = {s for s, t, dd in zip(log["sag_id"], log["til"], log["dato"]) if t == "udstillet" and dd.year == 2024}
    assert len(i2024) == e.loc["i_alt", "udstillede"]
    for til, kol in (("bestilt", "bestilte"), ("partshoering", "partshoering"), ("aendret_tildeling", "aendrede"),
                     ("udloebet", "udloebne")):
        assert len({s for s, t in zip(log["sag_id"], log["til"]) if t == til and s in i2024}) == e.loc["i_alt", kol]


def test_fairness_from_the_store_shows_nothing_for_groups_under_5(scripted):
    lager, _ = scripted
    r = R.regeleffekt(lager, aar=2024, kommune=151)
    lige = r.ligebehandling
    assert list(lige.columns) == R.LIGE_KOLONNER
    assert len(lige) == 4 * 7 and set(lige["vist"]) == {"nej"}
    assert lige[R.LIGE_KOLONNER[5:]].isna().all().all()
    assert len(r.skaeve) == 0
    assert r.bestand.sort_values(["koen", "aldersgruppe"])[["koen", "aldersgruppe", "antal"]].values.tolist() == [
        ["kvinde", "30-39", 1], ["kvinde", "under 30", 1], ["mand", "30-39", 1], ["mand", "60+", 1]]
    assert r.koersdatoer == 1


def test_the_groups_of_the_scripted_cases_are_derived_inside_the_store_layer(scripted):
    lager, ids = scripted
    g = G.sagernes_grupper(lager, 151).set_index("sag_id")
    assert "ym_cpr" not in g.columns
    assert [tuple(g.loc[ids[x], ["koen", "aldersgruppe"]]) for x in "ZABCE"] == [
        ("mand", "50-59"), ("mand", "30-39"), ("kvinde", "30-39"), ("mand", "60+"), ("kvinde", "under 30")]


def test_cpr_decoding_and_age_band_edges():
    assert G.foedselsdato("0501902001") == D(1990, 1, 5)
    assert G.foedselsdato("0202004004") == D(2000, 2, 2)       # digit 7 = 4, yy ≤ 36 → 2000s
    assert G.foedselsdato("0202404004") == D(1940, 2, 2)       # digit 7 = 4, yy > 36 → 1900s
    assert G.foedselsdato("0202585004") == D(1858, 2, 2)       # digit 7 = 5, yy > 57 → 1800s
    assert G.foedselsdato("3102902001") is None and G.koen("") == "ukendt" and G.koen(None) == "ukendt"
    assert (G.koen("0501902001"), G.koen("0501902002")) == ("mand", "kvinde")
    # 30 on the birthday: 30-39; the day before: under 30
    assert G.aldersgruppe("0501902001", D(2020, 1, 5)) == "30-39"
    assert G.aldersgruppe("0501902001", D(2020, 1, 4)) == "under 30"
    assert G.aldersgruppe("0501902001", D(2050, 1, 5)) == "60+"
    assert G.aldersgruppe("0501902001", D(2050, 1, 4)) == "50-59"


# ------------------------------------------------------------------ the pure fairness example
def _kohorte_grupper() -> pd.DataFrame:
    rows = []

    def add(regel, n, koen, alder, aendrede):
        for i in range(n):
            rows.append({"sag_id": f"{regel}-{len(rows)}", "regler": (regel,), "aendret": i < aendrede,
                         "koen": koen, "aldersgruppe": alder})
    add("flytning", 10, "mand", "30-39", 2)
    add("flytning", 1, "kvinde", "30-39", 1)
    add("flytning", 4, "kvinde", "40-49", 1)
    add("bilkoeb", 5, "mand", "30-39", 0)
    add("bilkoeb", 8, "kvinde", "30-39", 2)
    add("b_indkomst", 3, "mand", "under 30", 0)
    add("b_indkomst", 2, "kvinde", "under 30", 1)
    add("b_indkomst", 2, "mand", "50-59", 0)
    add("b_indkomst", 8, "kvinde", "50-59", 2)
    return pd.DataFrame(rows)


def _bestand() -> pd.DataFrame:
    celler = {("mand", "under 30"): 10, ("mand", "30-39"): 20, ("mand", "40-49"): 10, ("mand", "50-59"): 20,
              ("mand", "60+"): 20, ("kvinde", "under 30"): 10, ("kvinde", "30-39"): 40, ("kvinde", "40-49"): 10,
              ("kvinde", "50-59"): 80, ("kvinde", "60+"): 20}
    rows = []
    for dato, skift in ((D(2024, 3, 31), -1), (D(2024, 6, 30), 1)):
        for (k, a), n in celler.items():
            rows.append({"koersdato": dato, "kommunekode": 151, "koen": k, "aldersgruppe": a,
                         "antal": n + (skift if (k, a) == ("mand", "30-39") else 0)})
    rows.append({"koersdato": D(2023, 12, 31), "kommunekode": 151, "koen": "mand", "aldersgruppe": "30-39",
                 "antal": 100000})                                          # before the period
    rows.append({"koersdato": D(2024, 3, 31), "kommunekode": 147, "koen": "kvinde", "aldersgruppe": "30-39",
                 "antal": 100000})                                          # another municipality
    return pd.DataFrame(rows)


N = None
FORVENTET = [   # regel, dimension, gruppe, vist, udstillede, bestand, aendrede, udv, andel, ref, udv_f, andel_f, skaev, tydelig
    ("bilkoeb", "koen", "kvinde", "ja", 8, d("160.00"), 2, d("50.00"), d("0.2500"), "ja", d("1.00"), d("1.00"), "nej", "nej"),
    ("bilkoeb", "koen", "mand", "ja", 5, d("80.00"), 0, d("62.50"), d("0.0000"), "nej", d("1.25"), d("0.00"), "nej", "nej"),
    ("bilkoeb", "aldersgruppe", "under 30", "nej", N, N, N, N, N, N, N, N, N, N),
    ("bilkoeb", "aldersgruppe", "30-39", "ja", 13, d("60.00"), 2, d("216.67"), d("0.1538"), "ja", d("1.00"), d("1.00"),
     "nej", "nej"),
    ("bilkoeb", "aldersgruppe", "40-49", "nej", N, N, N, N, N, N, N, N, N, N),
    ("bilkoeb", "aldersgruppe", "50-59", "nej", N, N, N, N, N, N, N, N, N, N),
    ("bilkoeb", "aldersgruppe", "60+", "nej", N, N, N, N, N, N, N, N, N, N),
    ("b_indkomst", "koen", "kvinde", "ja", 10, d("160.00"), 3, d("62.50"), d("0.3000"), "ja", d("1.00"), d("1.00"),
     "nej", "nej"),
    ("b_indkomst", "koen", "mand", "ja", 5, d("80.00"), 0, d("62.50"), d("0.0000"), "nej", d("1.00"), d("0.00"), "nej", "nej"),
    ("b_indkomst", "aldersgruppe", "under 30", "ja", 5, d("20.00"), 1, d("250.00"), d("0.2000"), "nej", d("2.50"),
     d("1.00"), "nej", "nej"),
    ("b_indkomst", "aldersgruppe", "30-39", "nej", N, N, N, N, N, N, N, N, N, N),
    ("b_indkomst", "aldersgruppe", "40-49", "nej", N, N, N, N, N, N, N, N, N, N),
    ("b_indkomst", "aldersgruppe", "50-59", "ja", 10, d("100.00"), 2, d("100.00"), d("0.2000"), "ja", d("1.00"),
     d("1.00"), "nej", "nej"),
    ("b_indkomst", "aldersgruppe", "60+", "nej", N, N, N, N, N, N, N, N, N, N),
    ("flytning", "koen", "kvinde", "ja", 5, d("160.00"), 2, d("31.25"), d("0.4000"), "ja", d("1.00"), d("1.00"), "nej", "nej"),
    ("flytning", "koen", "mand", "ja", 10, d("80.00"), 2, d("125.00"), d("0.2000"), "nej", d("4.00"), d("0.50"), "ja", "nej"),
    *[("flytning", "aldersgruppe", a, "nej", N, N, N, N, N, N, N, N, N, N) for a in G.ALDERSGRUPPER],
    ("i_alt", "koen", "kvinde", "ja", 23, d("160.00"), 7, d("143.75"), d("0.3043"), "ja", d("1.00"), d("1.00"), "nej", "nej"),
    ("i_alt", "koen", "mand", "ja", 20, d("80.00"), 2, d("250.00"), d("0.1000"), "nej", d("1.74"), d("0.33"), "ja", "nej"),
    ("i_alt", "aldersgruppe", "under 30", "nej", N, N, N, N, N, N, N, N, N, N),
    ("i_alt", "aldersgruppe", "30-39", "ja", 24, d("60.00"), 5, d("400.00"), d("0.2083"), "nej", d("4.00"), d("1.04"),
     "nej", "nej"),
    ("i_alt", "aldersgruppe", "40-49", "nej", N, N, N, N, N, N, N, N, N, N),
    ("i_alt", "aldersgruppe", "50-59", "ja", 10, d("100.00"), 2, d("100.00"), d("0.2000"), "ja", d("1.00"), d("1.00"),
     "nej", "nej"),
    ("i_alt", "aldersgruppe", "60+", "nej", N, N, N, N, N, N, N, N, N, N),
]


def test_fairness_hand_computed_every_count_rate_ratio_and_mark():
    lige = R.ligebehandling_fra_data(_kohorte_grupper(), _bestand(), D(2024, 1, 1), D(2024, 12, 31), 151)
    got = [tuple(None if pd.isna(v) else v for v in r) for r in
           lige[[c for c in R.LIGE_KOLONNER if c != "titel"]].itertuples(index=False)]
    assert got == FORVENTET
    assert list(R.skaeve(lige)[["regel", "gruppe"]].itertuples(index=False, name=None)) == [
        ("flytning", "mand"), ("i_alt", "mand")]


def test_tydelig_both_differences_beyond_chance():
    # selection 2.00 (100 vs 50 per 1,000), outcome 0.05 against 0.30: both bounds clear
    assert R.tydelig(100, 1000, 5, 50, 1000, 15) is True
    # selection 1.20: lower bound below 1
    assert R.tydelig(60, 1000, 5, 50, 1000, 15) is False
    # outcome 0.20 against 0.30 (3 of 10): the upper bound is above 1
    assert R.tydelig(100, 1000, 20, 10, 1000, 3) is False
    # no changed cases in the group: 0.5 is added, still clear with many cases
    assert R.tydelig(200, 1000, 0, 50, 1000, 15) is True
    lige = R.ligebehandling_fra_data(_kohorte_grupper(), _bestand(), D(2024, 1, 1), D(2024, 12, 31), 151)
    assert set(lige["tydelig"].dropna()) == {"nej"}


def test_the_average_bestand_over_the_run_dates():
    g = R.gennemsnitlig_bestand(_bestand(), D(2024, 1, 1), D(2024, 12, 31), 151)
    assert g[("koen", "mand")] == 80 and g[("koen", "kvinde")] == 160
    assert [g[("aldersgruppe", a)] for a in G.ALDERSGRUPPER] == [20, 60, 20, 100, 40]
    # one run date only: mand/30-39 = 19 on 2024-03-31
    g = R.gennemsnitlig_bestand(_bestand(), D(2024, 1, 1), D(2024, 4, 30), 151)
    assert g[("koen", "mand")] == 79


def test_a_bestand_under_5_hides_the_group():
    k = pd.DataFrame([{"sag_id": f"s{i}", "regler": ("flytning",), "aendret": False, "koen": "mand",
                       "aldersgruppe": "30-39"} for i in range(6)])
    b = pd.DataFrame([{"koersdato": D(2024, 1, 31), "kommunekode": 151, "koen": "mand", "aldersgruppe": "30-39",
                       "antal": 4}])
    lige = R.ligebehandling_fra_data(k, b, D(2024, 1, 1), D(2024, 12, 31), 151)
    assert set(lige["vist"]) == {"nej"}
    b["antal"] = 5
    lige = R.ligebehandling_fra_data(k, b, D(2024, 1, 1), D(2024, 12, 31), 151)
    vist = lige.loc[lige["vist"] == "ja"]
    assert list(zip(vist["regel"], vist["gruppe"], vist["udvaelgelse_pr_1000"])) == [
        ("flytning", "mand", d("1200.00")), ("flytning", "30-39", d("1200.00")),
        ("i_alt", "mand", d("1200.00")), ("i_alt", "30-39", d("1200.00"))]


def test_sammenfatning_three_sentences():
    lige = R.ligebehandling_fra_data(_kohorte_grupper(), _bestand(), D(2024, 1, 1), D(2024, 12, 31), 151)
    effekt = _effekt_lokal()
    s = R.sammenfatning(effekt, lige)
    assert s == [
        "Lokal liste: bopael gav mest provenu pr. bestilt sag (0 kr.) som den eneste regel eller liste med mindst "
        "5 bestilte sager, og i alt endte 0 af 6 udstillede sager med ændret tildeling.",
        "1 udstillede sager (16,7 %) udløb ubehandlet, og provenuet fra de udstillede sager var 0 kr. brutto.",
        "2 grupper opfylder kriteriet for skæv udvælgelse (kriterium: udvælgelsesforhold over 1,25 og "
        "udfaldsforhold under 1), men ingen af forskellene er større, end tilfældigheder let giver; se rapporten om "
        "regeleffekt.",
    ]


def test_sammenfatning_from_the_store(scripted):
    lager, _ = scripted
    r = R.regeleffekt(lager, aar=2024, kommune=151)
    assert R.sammenfatning(r.effekt, r.ligebehandling) == [
        "4 sager blev udstillet af reglerne og listerne; ingen regel har 5 eller flere bestilte sager, så der kan "
        "ikke peges på en regel, der betaler sig bedst.",
        "1 udstillede sager (25,0 %) udløb ubehandlet, og provenuet fra de udstillede sager var 17.000 kr. brutto.",
        "Ingen regel udvalgte et køn eller en aldersgruppe markant oftere uden en højere andel med ændret tildeling "
        "(kriterium: udvælgelsesforhold over 1,25 og udfaldsforhold under 1).",
    ]


def test_sammenfatning_of_a_year_without_exposed_cases_is_one_sentence(scripted):
    """make demo's annual report opened its rule-effect section with "0 sager blev udstillet …" and
    then "Ingen sager blev udstillet …": a year with no exposed case gets one sentence."""
    lager, _ = scripted
    r = R.regeleffekt(lager, aar=2020, kommune=151)
    assert r.effekt.loc[r.effekt["regel"] == R.I_ALT, "udstillede"].tolist() == [0]
    assert R.sammenfatning(r.effekt, r.ligebehandling) == [
        "Ingen sager blev udstillet af reglerne og listerne i perioden, så der er hverken regeleffekt eller "
        "ligebehandling at vurdere."]


# ------------------------------------------------------------------ local lists through the pure core
def _log_lokal() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six list cases exposed 2024-06-01 (liste:bopael, one udfald each): five ordered, four to
    partshøring, none changed, one expired; an import (not counted) and a case without udfald."""
    log, udf = [], []

    def t(sag, seq, dato, til, data=None):
        log.append({"dato": dato, "sag_id": sag, "sekvens": seq, "til": til, "data": data or {}, "kommunekode": 151})
    for i in range(6):
        s = f"L{i}"
        t(s, 1, D(2024, 6, 1), "udstillet", {"kilde": "lokal_kontrolliste", "liste": "bopael"})
        udf.append({"sag_id": s, "regel": "liste:bopael", "udfald": 1})
        if i < 5:
            t(s, 2, D(2024, 6, 5), "bestilt")
            t(s, 3, D(2024, 6, 9), "partshoering" if i < 4 else "henlagt_i_visitering")
            if i < 4:
                t(s, 4, D(2024, 7, 9), "henlagt_efter_partshoering")
        else:
            t(s, 2, D(2024, 9, 1), "udloebet")
    t("IMP", 1, D(2024, 6, 1), "udstillet", {"kilde": "import"})
    udf.append({"sag_id": "IMP", "regel": "liste:bopael", "udfald": 1})
    t("UDEN", 1, D(2024, 6, 1), "udstillet")
    return pd.DataFrame(log), pd.DataFrame(udf)


def _effekt_lokal() -> pd.DataFrame:
    log, udf = _log_lokal()
    return R.effekt_fra_data(log, udf, pd.DataFrame(), D(2024, 1, 1), D(2024, 12, 31), 151)


def test_a_local_list_is_a_rule_and_the_marks_turn_at_5():
    e = _effekt_lokal()
    assert list(e["regel"]) == ["liste:bopael", "i_alt"]
    assert list(e["titel"]) == ["Lokal liste: bopael", "I alt"] and e["art"].iloc[0] == "lokal liste"
    rec = e.to_dict("records")[0]
    assert tuple(rec[c] for c in R.ANTAL + R.BELOEB) == (6, 6, 5, 4, 0, 1, d("0.00"), d("0.00"))
    assert tuple(rec[m] for m in R.MAAL) == (d("0.8333"), d("0.8000"), d("0.0000"), d("0.0000"), d("0.1667"),
                                           d("0.00"))
    # denominators: udstillede 6, bestilte 5 (edge: not small), ...
    assert [rec[f"lille_{m}"] for m in R.MAAL] == ["nej"] * 6
    log, udf = _log_lokal()
    log = log[log["sag_id"] != "L0"]            # 5 exposed, 4 ordered
    e = R.effekt_fra_data(log, udf, pd.DataFrame(), D(2024, 1, 1), D(2024, 12, 31), 151)
    rec = e.to_dict("records")[0]
    assert (rec["udstillede"], rec["bestilte"]) == (5, 4)
    assert [rec[f"lille_{m}"] for m in R.MAAL] == ["nej", "ja", "nej", "ja", "nej", "ja"]


def test_a_period_the_wrong_way_round_is_a_danish_error(scripted):
    lager, _ = scripted
    with pytest.raises(KontrolFejl, match="Perioden begynder 2024-12-31 efter den slutter 2024-01-01"):
        R.regeleffekt(lager, kommune=151, fra=D(2024, 12, 31), til=D(2024, 1, 1))


# ------------------------------------------------------------------ export, pooling and no CPR
def test_export_reads_back_and_pools_nationally(scripted, tmp_path):
    lager, _ = scripted
    r = R.regeleffekt(lager, aar=2024, kommune=151)
    ex = R.eksport(r)
    assert list(ex.columns) == R.EKSPORT_KOLONNER
    f1 = R.skriv_csv(ex, tmp_path / "151.csv")
    tekst = f1.read_text(encoding="utf-8")
    assert tekst.splitlines()[1].startswith("151,2024-01-01,2024-12-31,bilkoeb,Bilkøb,national regel,2,2,2,2,1,0,"
                                            "17000.00,13600.00,1.0000,1.0000,0.5000,0.5000,0.0000,8500.00,ja,")
    tilbage = R.indlaes_eksport(f1)
    assert list(tilbage["udstillede"]) == [2, 2, 2, 4]
    # two more municipalities with the same figures: 6 ordered cases per rule nationally
    filer = [f1]
    for kode in (147, 101):
        ex2 = ex.copy()
        ex2["kommunekode"] = kode
        filer.append(R.skriv_csv(ex2, tmp_path / f"{kode}.csv"))
    nat = R.national(filer)
    assert list(nat.columns) == R.NATIONAL_KOLONNER
    assert list(nat["regel"]) == ["bilkoeb", "flytning", "b_indkomst", "i_alt"]
    assert list(nat["rang"].astype(object).where(nat["rang"].notna(), None)) == [1, 1, None, None]
    assert list(nat["udstillede"]) == [6, 6, 6, 12] and list(nat["bestilte"]) == [6, 6, 3, 9]
    assert list(nat["provenu_brutto"]) == [d("51000.00"), d("51000.00"), d("0.00"), d("51000.00")]
    assert list(nat["provenu_pr_bestilt"]) == [d("8500.00"), d("8500.00"), d("0.00"), d("5666.67")]
    assert list(nat["lille_provenu_pr_bestilt"]) == ["nej", "nej", "ja", "nej"]
    assert list(nat["antal_kommuner"]) == [3, 3, 3, 3]
    assert nat.attrs["kommuner"] == [101, 147, 151]
    with pytest.raises(KontrolFejl, match="Kommune 151 findes både i 151.csv og i 151.csv"):
        R.national([f1, f1])


def test_a_bad_export_file_names_file_row_column_value(tmp_path):
    f = tmp_path / "fejl.csv"
    f.write_text(",".join(R.EKSPORT_KOLONNER) + "\n" + "151,2024-01-01,2024-12-31,flytning,Flytning,national regel,"
                 "x,2,2,1,1,0,17000.00,13600.00,1.0000,0.5000,0.5000,0.5000,0.0000,8500.00,ja,ja,ja,ja,ja,ja,nej,nej\n",
                 encoding="utf-8")
    from kontrol_lib.registre import RegisterFejl
    with pytest.raises(RegisterFejl) as e:
        R.indlaes_eksport(f)
    assert "fejl.csv" in str(e.value) and "udfald" in str(e.value) and "x" in str(e.value)


def test_the_cli_writes_the_export_and_the_national_ranking_without_cpr(scripted, tmp_path, capsys, monkeypatch):
    lager, _ = scripted
    url = str(lager.engine.url)
    ud = tmp_path / "regeleffekt_151_2024.csv"
    assert main(["regeleffekt-eksport", "--db", url, "--aar", "2024", "--kommune", "151", "--ud", str(ud)]) == 0
    assert main(["regeleffekt", "--data", str(ud), "--ud", str(tmp_path / "national.csv")]) == 0
    out = capsys.readouterr().out
    assert "Bilkøb" in out
    for f in (ud, tmp_path / "national.csv"):
        assert not CPR_RE.search(f.read_text(encoding="utf-8"))
    assert not CPR_RE.search(out)


def test_the_daily_run_records_the_bestand_per_group_once_per_run_date(tmp_path):
    """``kontrol koer`` (jobs.daglig.koer) records the bestand's size per sex and age band, as
    counts only; running the same date again writes nothing."""
    from kontrol_lib.jobs.daglig import koer
    from kontrol_lib.regler import bestand
    from kontrol_lib.regler.byg import skriv_mappe
    from kontrol_lib.regler.tilfaelde import YM, D as KD, grund
    data = skriv_mappe(tmp_path / "data", grund())
    lager = SagsLager(f"sqlite:///{tmp_path / 'kontrol.sqlite'}")
    koer(data, KD, lager=lager, bruger="anna")
    koer(data, KD, lager=lager, bruger="anna")
    b = G.bestandsgrupper(lager)
    forventet = G.bestandsgrupper_af(bestand(data, KD), KD)
    assert len(forventet) == 1 and int(forventet["antal"].sum()) == 1
    assert b[["kommunekode", "koen", "aldersgruppe", "antal"]].values.tolist() == \
        forventet[["kommunekode", "koen", "aldersgruppe", "antal"]].values.tolist()
    assert list(b["koersdato"]) == [KD]
    assert (G.koen(YM), G.aldersgruppe(YM, KD)) == tuple(b.iloc[0][["koen", "aldersgruppe"]])
    assert not any(CPR_RE.search(str(v)) for v in b.to_numpy().ravel())
    lager.luk()


def test_the_annual_reports_section_is_the_three_sentences(scripted):
    from kontrol_lib.rapporter import regeleffektrapport as RR
    lager, _ = scripted
    dele = RR.aarsrapport_afsnit(151, 2024, str(lager.engine.url))
    assert len(dele) == 1 and dele[0].markdown.startswith(
        "## Regeleffekt og ligebehandling\n\n4 sager blev udstillet af reglerne og listerne; ")
    assert " ".join(R.sammenfatning(*(lambda r: (r.effekt, r.ligebehandling))(
        R.regeleffekt(lager, aar=2024, kommune=151)))) in dele[0].markdown
    assert RR.aarsrapport_afsnit(151, 2024, "") == []
