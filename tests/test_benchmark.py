"""The national benchmark (spec/benchmark.md): a hand-computed three-municipality example.

Input: tests/data/benchmark/tre_kommuner.csv. Window: 2024-04, i.e. the months 2023-05 … 2024-04.
Rows outside the window (101 and 147 in 2023-04, 101 in 2024-05) must not count.

Rows in the window (ud = udstillede, udt = udtagne, opr = oprettede, stop, krav, mp = med_provenu,
prov = provenu, udl = udloebne, ym = ydelsesmodtagere):

  101 København (Region Hovedstaden)
    r1 2023-05 KH  t2  ud 10 udt 8 opr 3 stop 2 krav 1 mp 2 prov 29999.87 udl 1 ym 1000
    r2 2023-05 KH  t3  ud  6 udt 3 opr 2 stop 1 krav 1 mp 1 prov  5000.50 udl 0 ym 1000 (same figure)
    r3 2023-05 SD  t3  ud  4 udt 4 opr 2 stop 1 krav 2 mp 2 prov 12000.25 udl 0 ym  400
    r4 2024-04 KH  t2  ud 10 udt 9 opr 3 stop 2 krav 1 mp 3 prov 20000.00 udl 0 ym 1100
    r5 2024-04 KH  t3  ud  4 udt 2 opr 1 stop 0 krav 0 mp 0 prov     0.00 udl 1 ym 1100 (same figure)
    r6 2024-04 ØF  t3  ud  2 udt 2 opr 1 stop 0 krav 1 mp 1 prov  3000.00 udl 0 ym  200
  147 Frederiksberg (Region Hovedstaden)
    s1 2023-05 KH  t3  ud  0 udt 6 opr 2 stop 1 krav 0 mp 1 prov  4000.00 udl 0 ym  300
       (the 6 cases taken in 2023-05 were exposed in 2023-04, outside the window: share > 1)
    s2 2024-04 KH  t2  ud  5 udt 1 opr 1 stop 0 krav 1 mp 1 prov  1500.00 udl 2 ym  320
  751 Aarhus (Region Midtjylland): only 2023-06 and 2023-07, all counts 0 except
    2023-06 KH t3 udt 5; ym KH 2000 (2023-06) / 2100 (2023-07), SD 800 / 900.
"""

from decimal import Decimal

import pandas as pd
import pytest

from kontrol_lib.maal.benchmark import (BENCHMARK_TABEL, KOLONNER, afrund, flet, indlaes_benchmark, peers,
                                   sammenligning, tjek_maaned, udvikling, vindue, vinduets_maaneder)
from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.registre import RegisterFejl

DATA = "tests/data/benchmark"
D = Decimal


@pytest.fixture(scope="module")
def df():
    return indlaes_benchmark(f"{DATA}/tre_kommuner.csv")


def row(v: pd.DataFrame, kode: str) -> dict:
    r = v.loc[v["kommunekode"] == kode]
    assert len(r) == 1
    out = r.iloc[0].to_dict()
    return {k: (None if (x is pd.NA) else x) for k, x in out.items()}


def measures(r: dict, prefix: str = "") -> tuple:
    names = ("andel_udtaget", "andel_udloebet", "andel_oprettet", "andel_med_provenu",
             "provenu_pr_sag", "udstillede_pr_1000")
    return tuple(r[prefix + n] for n in names)


def ranks(r: dict) -> tuple:
    return measures(r, "rang_")


def lille(r: dict) -> tuple:
    return measures(r, "lille_")


def sums(r: dict) -> tuple:
    return (r["udstillede"], r["udtagne"], r["oprettede"], r["med_stop"], r["med_krav"],
            r["med_provenu"], r["provenu"], r["udloebne"], r["ydelsesmodtagere"])


# --------------------------------------------------------------------------- reading
def test_the_example_file_is_read_with_exact_types(df):
    assert len(df) == 17
    assert list(df.columns) == BENCHMARK_TABEL.column_names
    first = df.iloc[0]
    assert first["kommunekode"] == 101 and first["maaned"] == "2023-04"
    assert first["provenu"] == D("99999.99") and isinstance(first["provenu"], Decimal)
    assert int(first["kontroltrin"]) == 3


def test_every_bad_row_of_a_benchmark_file_is_reported_with_file_row_column_and_value(tmp_path):
    f = tmp_path / "benchmark.csv"
    f.write_text(
        "kommunekode;maaned;ydelsesomraade;kontroltrin;udstillede;udtagne;oprettede;med_stop;med_krav;"
        "med_provenu;provenu;udloebne;ydelsesmodtagere\n"
        "101;2024-04;kontanthjaelp;2;1;1;1;0;0;0;0;0;10\n"          # row 2 good
        "101;2024-13;kontanthjaelp;2;1;1;1;0;0;0;0;0;10\n"          # row 3 month 13
        "101;24-04;kontanthjaelp;3;1;1;1;0;0;0;0;0;10\n"            # row 4 not YYYY-MM
        "101;2024-04;sygedagpenge;2;1;1;1;0;0;0;0;0;10\n"           # row 5 trin 2 outside KH
        "101;2024-04;boligstoette;3;1;1;1;0;0;0;0;0;10\n"           # row 6 unknown area
        "101;2024-04;oekonomisk_friplads;3;-1;1;1;0;0;0;0;0;10\n"   # row 7 negative count
        "101;2024-04;sygedagpenge;3;1;1;1;1;1;3;0;0;10\n"           # row 8 mp > stop + krav
        "147;2024-04;sygedagpenge;3;1;1;1;1;0;0;0;0;10\n"           # row 9 mp < stop
        "147;2024-04;kontanthjaelp;3;1;1;1;0;0;0;12,345;0;10\n"     # row 10 provenu with 3 decimals
        "101;2024-04;kontanthjaelp;2;2;2;2;0;0;0;0;0;10\n"          # row 11 key of row 2 again
        "999;2024-04;kontanthjaelp;3;1;1;1;0;0;0;0;0;10\n",         # row 12 unknown kommune
        encoding="utf-8")
    with pytest.raises(RegisterFejl) as e:
        indlaes_benchmark(f)
    got = {(x.fil, x.raekke, x.kolonne, x.vaerdi) for x in e.value.fejl}
    assert got == {
        ("benchmark.csv", 3, "maaned", "2024-13"),
        ("benchmark.csv", 4, "maaned", "24-04"),
        ("benchmark.csv", 5, "kontroltrin", "2"),
        ("benchmark.csv", 6, "ydelsesomraade", "boligstoette"),
        ("benchmark.csv", 7, "udstillede", "-1"),
        ("benchmark.csv", 8, "med_provenu", "3"),
        ("benchmark.csv", 9, "med_provenu", "0"),
        ("benchmark.csv", 10, "provenu", "12,345"),
        ("benchmark.csv", 11, "kommunekode, maaned, ydelsesomraade, kontroltrin", None),
        ("benchmark.csv", 12, "kommunekode", "999"),
    }
    assert "ikke en måned (brug ÅÅÅÅ-MM)" in e.value.tekst()


def test_trin_rows_of_one_area_that_disagree_on_ydelsesmodtagere_are_reported(tmp_path):
    f = tmp_path / "benchmark.csv"
    f.write_text(
        "kommunekode,maaned,ydelsesomraade,kontroltrin,udstillede,udtagne,oprettede,med_stop,med_krav,"
        "med_provenu,provenu,udloebne,ydelsesmodtagere\n"
        "101,2024-04,kontanthjaelp,2,1,1,1,0,0,0,0,0,1000\n"
        "101,2024-04,kontanthjaelp,3,1,1,1,0,0,0,0,0,1001\n"        # row 3 disagrees with row 2
        "101,2024-04,sygedagpenge,3,1,1,1,0,0,0,0,0,1001\n"         # other area: fine
        "101,2024-05,kontanthjaelp,2,1,1,1,0,0,0,0,0,1000\n"
        "101,2024-05,kontanthjaelp,3,1,1,1,0,0,0,0,0,1000\n",       # same figure: fine
        encoding="utf-8")
    with pytest.raises(RegisterFejl) as e:
        indlaes_benchmark(f)
    assert [(x.raekke, x.kolonne, x.vaerdi) for x in e.value.fejl] == [(3, "ydelsesmodtagere", "1001")]
    assert "afviger fra række 2 (1000)" in e.value.fejl[0].aarsag


# --------------------------------------------------------------------------- months
def test_the_window_is_the_twelve_months_ending_with_the_month():
    assert vinduets_maaneder("2024-04") == [
        "2023-05", "2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12",
        "2024-01", "2024-02", "2024-03", "2024-04"]
    assert vinduets_maaneder("2024-12")[0] == "2024-01"


@pytest.mark.parametrize("bad", ["2024-4", "2024-00", "2024-13", "april", "2024/04", ""])
def test_a_month_that_is_not_yyyy_mm_is_a_danish_error(bad):
    with pytest.raises(KontrolFejl, match="ÅÅÅÅ-MM"):
        tjek_maaned(bad)


# --------------------------------------------------------------------------- rounding
def test_rounding_is_exact_half_up_not_half_even_and_not_float():
    assert afrund(D("5833.385"), 2) == D("5833.39")       # half-even would give 5833.38
    assert afrund(D(1) / 32, 4) == D("0.0313")            # 0.03125 → 0.0313
    assert afrund(D("0.03124"), 4) == D("0.0312")
    assert afrund(0, 4) == D("0.0000")


# --------------------------------------------------------------------------- the hand example
def test_the_total_view_matches_the_hand_computed_sums_shares_ranks_and_marks(df):
    v = vindue(df, "2024-04")
    assert list(v.columns) == KOLONNER
    assert list(v["kommunekode"]) == ["101", "147", "751", "000"]
    assert list(v["kommunenavn"]) == ["København", "Frederiksberg", "Aarhus", "Hele landet"]

    k = row(v, "101")
    # ud 10+6+4+10+4+2 = 36; udt 8+3+4+9+2+2 = 28; opr 3+2+2+3+1+1 = 12; stop 2+1+1+2 = 6;
    # krav 1+1+2+1+0+1 = 6; mp 2+1+2+3+0+1 = 9; prov 29999.87+5000.50+12000.25+20000+0+3000 = 70000.62;
    # udl 1+1 = 2; ym: 2023-05 KH 1000 (once, not 2000) + SD 400 = 1400; 2024-04 KH 1100 + ØF 200
    # = 1300; two months with data → (1400 + 1300) / 2 = 1350 (not /12, and the 2023-04 row's
    # 5000 and the 2024-05 row's 7000 do not count).
    assert sums(k) == (36, 28, 12, 6, 6, 9, D("70000.62"), 2, D("1350.00"))
    # 28/36 = 0.7777… → 0.7778; 2/36 = 0.0555… → 0.0556; 12/28 = 3/7 = 0.428571… → 0.4286;
    # 9/12 = 0.75; 70000.62/12 = 5833.385 → 5833.39 (half up); 36·1000/1350 = 26.666… → 26.67
    assert measures(k) == (D("0.7778"), D("0.0556"), D("0.4286"), D("0.7500"), D("5833.39"), D("26.67"))
    assert lille(k) == ("nej",) * 6
    # udtaget: 147 has 1.4 → 101 second; oprettet: tie with 147 at 3/7 → both 1
    assert ranks(k) == (2, 2, 1, 1, 1, 1)

    f = row(v, "147")
    # ud 0+5 = 5; udt 6+1 = 7; opr 2+1 = 3; stop 1; krav 1; mp 2; prov 4000+1500 = 5500.00; udl 2;
    # ym (300 + 320) / 2 = 310
    assert sums(f) == (5, 7, 3, 1, 1, 2, D("5500.00"), 2, D("310.00"))
    # 7/5 = 1.4 (> 1 at the window edge, shown as it is); 2/5 = 0.4; 3/7 → 0.4286;
    # 2/3 → 0.6667 but opr 3 < 5: marked and not ranked; 5500/3 = 1833.333… → 1833.33, marked;
    # 5·1000/310 = 16.129… → 16.13. udstillede = 5 is not below 5: not marked.
    assert measures(f) == (D("1.4000"), D("0.4000"), D("0.4286"), D("0.6667"), D("1833.33"), D("16.13"))
    assert lille(f) == ("nej", "nej", "nej", "ja", "ja", "nej")
    assert ranks(f) == (1, 1, 1, None, None, 2)

    a = row(v, "751")
    # ud 0 → andel_udtaget and andel_udloebet empty (not 0); udt 5 (exposed before the window),
    # opr 0 → andel_oprettet = 0/5 = 0.0000, ranked third after the tie (1, 1, 3);
    # andel_med_provenu, provenu_pr_sag empty; ym (2000+800 + 2100+900) / 2 = 2900; 0/2900 = 0.00
    assert sums(a) == (0, 5, 0, 0, 0, 0, D("0.00"), 0, D("2900.00"))
    assert measures(a) == (None, None, D("0.0000"), None, None, D("0.00"))
    assert lille(a) == ("ja", "ja", "nej", "ja", "ja", "nej")
    assert ranks(a) == (None, None, 3, None, None, 3)

    n = row(v, "000")
    # national sums: ud 36+5+0 = 41; udt 28+7+5 = 40; opr 12+3 = 15; stop 6+1 = 7; krav 6+1 = 7;
    # mp 9+2 = 11; prov 70000.62+5500 = 75500.62; udl 2+2 = 4; ym 1350+310+2900 = 4560
    assert sums(n) == (41, 40, 15, 7, 7, 11, D("75500.62"), 4, D("4560.00"))
    # 40/41 = 0.97560… → 0.9756 (the mean of the shares would be (0.7778+1.4)/2 = 1.0889);
    # 4/41 = 0.09756… → 0.0976; 15/40 = 0.375; 11/15 = 0.7333…; 75500.62/15 = 5033.3746… → 5033.37;
    # 41000/4560 = 8.991… → 8.99
    assert measures(n) == (D("0.9756"), D("0.0976"), D("0.3750"), D("0.7333"), D("5033.37"), D("8.99"))
    assert ranks(n) == (None,) * 6
    assert lille(n) == ("nej",) * 6


def test_the_kontanthjaelp_filter_counts_both_trin_and_recipients_once(df):
    v = vindue(df, "2024-04", ydelse="kontanthjaelp")
    k = row(v, "101")
    # r1 r2 r4 r5: ud 10+6+10+4 = 30; udt 8+3+9+2 = 22; opr 3+2+3+1 = 9; stop 2+1+2 = 5;
    # krav 1+1+1 = 3; mp 2+1+3 = 6; prov 29999.87+5000.50+20000 = 55000.37; udl 1+1 = 2;
    # ym (1000 + 1100) / 2 = 1050 (each month's trin 2 and trin 3 rows carry the same figure)
    assert sums(k) == (30, 22, 9, 5, 3, 6, D("55000.37"), 2, D("1050.00"))
    # 22/30 = 0.7333…; 2/30 = 0.0666… → 0.0667; 9/22 = 0.40909… → 0.4091; 6/9 → 0.6667;
    # 55000.37/9 = 6111.152… → 6111.15; 30000/1050 = 28.571… → 28.57
    assert measures(k) == (D("0.7333"), D("0.0667"), D("0.4091"), D("0.6667"), D("6111.15"), D("28.57"))
    assert ranks(k) == (2, 2, 2, 1, 1, 1)
    f = row(v, "147")                   # all of 147's rows are kontanthjælp: as in the total
    assert sums(f) == (5, 7, 3, 1, 1, 2, D("5500.00"), 2, D("310.00"))
    assert ranks(f) == (1, 1, 1, None, None, 2)
    a = row(v, "751")
    # ym (2000 + 2100) / 2 = 2050; andel_oprettet 0/5
    assert sums(a) == (0, 5, 0, 0, 0, 0, D("0.00"), 0, D("2050.00"))
    assert measures(a) == (None, None, D("0.0000"), None, None, D("0.00"))
    assert ranks(a) == (None, None, 3, None, None, 3)
    n = row(v, "000")
    # ud 30+5 = 35; udt 22+7+5 = 34; opr 9+3 = 12; stop 5+1 = 6; krav 3+1 = 4; mp 6+2 = 8;
    # prov 55000.37+5500 = 60500.37; udl 2+2 = 4; ym 1050+310+2050 = 3410
    assert sums(n) == (35, 34, 12, 6, 4, 8, D("60500.37"), 4, D("3410.00"))
    # 34/35 = 0.97142… → 0.9714; 4/35 = 0.11428… → 0.1143; 12/34 = 0.35294… → 0.3529;
    # 8/12 → 0.6667; 60500.37/12 = 5041.6975 → 5041.70; 35000/3410 = 10.2639… → 10.26
    assert measures(n) == (D("0.9714"), D("0.1143"), D("0.3529"), D("0.6667"), D("5041.70"), D("10.26"))


def test_the_trin_3_filter_adds_the_areas_once_each_and_ties_share_the_best_rank(df):
    v = vindue(df, "2024-04", trin=3)
    k = row(v, "101")
    # r2 r3 r5 r6: ud 6+4+4+2 = 16; udt 3+4+2+2 = 11; opr 2+2+1+1 = 6; stop 1+1 = 2;
    # krav 1+2+0+1 = 4; mp 1+2+0+1 = 4; prov 5000.50+12000.25+0+3000 = 20000.75; udl 1;
    # ym 2023-05 KH 1000 + SD 400 = 1400, 2024-04 KH 1100 + ØF 200 = 1300 → 1350
    assert sums(k) == (16, 11, 6, 2, 4, 4, D("20000.75"), 1, D("1350.00"))
    # 11/16 = 0.6875; 1/16 = 0.0625; 6/11 = 0.5454… → 0.5455; 4/6 → 0.6667;
    # 20000.75/6 = 3333.4583… → 3333.46; 16000/1350 = 11.851… → 11.85
    assert measures(k) == (D("0.6875"), D("0.0625"), D("0.5455"), D("0.6667"), D("3333.46"), D("11.85"))
    assert ranks(k) == (1, 1, 1, 1, 1, 1)
    f = row(v, "147")
    # only s1: ud 0, udt 6, opr 2, stop 1, mp 1, prov 4000; ym: only 2023-05 has a trin 3 row → 300
    assert sums(f) == (0, 6, 2, 1, 0, 1, D("4000.00"), 0, D("300.00"))
    # 2/6 → 0.3333; 1/2 = 0.5 marked; 4000/2 = 2000.00 marked; 0/300 = 0.00
    assert measures(f) == (None, None, D("0.3333"), D("0.5000"), D("2000.00"), D("0.00"))
    assert lille(f) == ("ja", "ja", "nej", "ja", "ja", "nej")
    # udstillede_pr_1000: 147 and 751 both 0.00 → tie at rank 2 behind 101's 11.85
    assert ranks(f) == (None, None, 2, None, None, 2)
    a = row(v, "751")
    assert sums(a) == (0, 5, 0, 0, 0, 0, D("0.00"), 0, D("2900.00"))
    assert ranks(a) == (None, None, 3, None, None, 2)
    n = row(v, "000")
    # ud 16; udt 11+6+5 = 22; opr 6+2 = 8; stop 2+1 = 3; krav 4; mp 4+1 = 5; prov 24000.75; udl 1;
    # ym 1350+300+2900 = 4550. 22/16 = 1.375: the national share exceeds 1 as well;
    # 1/16 = 0.0625; 8/22 = 0.3636…; 5/8 = 0.625; 24000.75/8 = 3000.09375 → 3000.09;
    # 16000/4550 = 3.516… → 3.52
    assert sums(n) == (16, 22, 8, 3, 4, 5, D("24000.75"), 1, D("4550.00"))
    assert measures(n) == (D("1.3750"), D("0.0625"), D("0.3636"), D("0.6250"), D("3000.09"), D("3.52"))


def test_both_filters_together_select_one_area_and_one_trin(df):
    v = vindue(df, "2024-04", ydelse="kontanthjaelp", trin=2)
    # 101: r1 + r4: ud 20, udt 17, opr 6; 147: s2; 751: zeros, udt 0 → andel_oprettet empty
    assert [r for r in v["udstillede"]] == [20, 5, 0, 25]
    assert [r for r in v["udtagne"]] == [17, 1, 0, 18]
    assert list(v["andel_oprettet"]) == [D("0.3529"), D("1.0000"), None, D("0.3889")]   # 6/17, 1/1, -, 7/18
    assert list(v["lille_andel_oprettet"]) == ["nej", "ja", "ja", "nej"]


def test_a_combination_outside_the_benchmark_and_unknown_filters_are_danish_errors(df):
    with pytest.raises(KontrolFejl, match="kontroltrin 2 findes kun for kontanthjaelp"):
        vindue(df, "2024-04", ydelse="sygedagpenge", trin=2)
    with pytest.raises(KontrolFejl, match="Ukendt ydelsesområde"):
        vindue(df, "2024-04", ydelse="boligstoette")
    with pytest.raises(KontrolFejl, match="Ukendt kontroltrin"):
        vindue(df, "2024-04", trin=1)


def test_a_denominator_of_4_is_marked_and_not_ranked_and_5_is_not(tmp_path):
    f = tmp_path / "benchmark.csv"
    f.write_text(
        "kommunekode,maaned,ydelsesomraade,kontroltrin,udstillede,udtagne,oprettede,med_stop,med_krav,"
        "med_provenu,provenu,udloebne,ydelsesmodtagere\n"
        "101,2024-04,sygedagpenge,3,4,4,4,0,4,4,400,0,4\n"
        "147,2024-04,sygedagpenge,3,5,5,5,0,5,5,500,0,5\n",
        encoding="utf-8")
    v = vindue(indlaes_benchmark(f), "2024-04")
    assert lille(row(v, "101")) == ("ja",) * 6
    assert ranks(row(v, "101")) == (None,) * 6
    assert measures(row(v, "101")) == (D("1.0000"), D("0.0000"), D("1.0000"), D("1.0000"),
                                       D("100.00"), D("1000.00"))       # shown, only marked
    assert lille(row(v, "147")) == ("nej",) * 6
    assert ranks(row(v, "147")) == (1,) * 6


def test_a_municipality_with_no_rows_in_the_window_has_empty_shares_and_no_recipients(df):
    v = vindue(df, "2023-04")               # window 2022-05 … 2023-04: only the 2023-04 rows
    a = row(v, "751")
    assert sums(a) == (0, 0, 0, 0, 0, 0, D("0.00"), 0, None)
    assert measures(a) == (None,) * 6
    k = row(v, "101")
    assert sums(k) == (50, 40, 20, 10, 10, 15, D("99999.99"), 5, D("5000.00"))
    assert k["andel_udtaget"] == D("0.8000")


# --------------------------------------------------------------------------- peers
def test_the_peer_groups_are_the_same_region_and_the_nearest_in_recipients(df):
    p = peers(df, "2024-04", 101, n=1)
    # region: 147 (Hovedstaden); size: |310 − 1350| = 1040 < |2900 − 1350| = 1550 → 147
    assert p[["gruppe", "kommunekode", "afstand"]].values.tolist() == [
        ["region", "147", None], ["stoerrelse", "147", D("1040.00")]]
    p = peers(df, "2024-04", 751, n=2)
    assert p[["gruppe", "kommunekode", "afstand"]].values.tolist() == [
        ["stoerrelse", "101", D("1550.00")], ["stoerrelse", "147", D("2590.00")]]


def test_the_comparison_puts_the_group_figures_from_group_sums_beside_the_municipality(df):
    s = sammenligning(df, "2024-04", 751, n=2)
    assert list(s["gruppe"]) == ["kommune", "region", "stoerrelse", "landet"]
    assert list(s["antal_kommuner"]) == [1, 0, 2, 3]
    region, size = s.iloc[1].to_dict(), s.iloc[2].to_dict()
    assert region["udstillede"] == 0 and region["andel_udtaget"] is None   # no other in Midtjylland
    # size group = 101 + 147: ud 41, udt 35 → 35/41 = 0.85365… → 0.8537; opr 15 → 15/35 = 0.4286;
    # ym 1350 + 310 = 1660; 41000/1660 = 24.698… → 24.70
    assert (size["udstillede"], size["udtagne"], size["oprettede"]) == (41, 35, 15)
    assert (size["andel_udtaget"], size["andel_oprettet"], size["udstillede_pr_1000"]) == (
        D("0.8537"), D("0.4286"), D("24.70"))
    assert s.iloc[0]["rang_andel_oprettet"] == 3
    assert s.iloc[3]["kommunenavn"] == "Hele landet"


def test_an_unknown_municipality_is_a_danish_error(df):
    with pytest.raises(KontrolFejl, match="Kommune 461 findes ikke i benchmarkdata"):
        peers(df, "2024-04", 461)


# --------------------------------------------------------------------------- development
def test_the_development_is_the_same_measures_for_each_of_the_last_24_windows(df):
    u = udvikling(df, "2024-04", 101)
    assert len(u) == 24
    assert u["maaned"].iloc[0] == "2022-05" and u["maaned"].iloc[-1] == "2024-04"
    last = u.iloc[-1]
    assert (last["udstillede"], last["andel_udtaget"], last["landet_andel_udtaget"]) == (
        36, D("0.7778"), D("0.9756"))
    by = u.set_index("maaned")
    # window ending 2023-04 holds only 101's 2023-04 row (50 exposed) and 147's (6 exposed)
    assert by.loc["2023-04", "udstillede"] == 50
    assert by.loc["2023-04", "landet_andel_udtaget"] == D("0.7143")    # 40/56 = 0.71428…
    # window ending 2023-03 holds no data at all: zeros, empty shares
    assert by.loc["2023-03", "udstillede"] == 0 and by.loc["2023-03", "andel_udtaget"] is None
    # window ending 2024-03 (2023-04 … 2024-03) drops 2024-04 and takes in 2023-04 again:
    # 50 (2023-04) + r1 r2 r3 10+6+4 = 70
    assert by.loc["2024-03", "udstillede"] == 70


# --------------------------------------------------------------------------- CLI
def test_the_cli_writes_the_hand_written_expected_file(tmp_path, capsys):
    ud = tmp_path / "ud" / "benchmark_2024-04.csv"
    assert main(["benchmark", "--data", f"{DATA}/tre_kommuner.csv", "--maaned", "2024-04",
                 "--ud", str(ud)]) == 0
    assert ud.read_text(encoding="utf-8") == open(f"{DATA}/forventet_2024-04.csv", encoding="utf-8").read()
    assert "Skrev 3 kommuner og Hele landet for 2023-05 – 2024-04" in capsys.readouterr().out


def test_the_cli_applies_the_filters(tmp_path, capsys):
    ud = tmp_path / "kh.csv"
    assert main(["benchmark", "--data", f"{DATA}/tre_kommuner.csv", "--maaned", "2024-04",
                 "--ydelse", "kontanthjaelp", "--trin", "2", "--ud", str(ud)]) == 0
    lines = ud.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("101,København,20,17,6,")
    assert lines[-1].startswith("000,Hele landet,25,18,7,")
    assert "(ydelsesområde kontanthjaelp, kontroltrin 2)" in capsys.readouterr().out


def test_the_cli_reports_a_bad_month_and_a_bad_file_in_danish(tmp_path, capsys):
    assert main(["benchmark", "--data", f"{DATA}/tre_kommuner.csv", "--maaned", "2024-4",
                 "--ud", str(tmp_path / "x.csv")]) == 1
    assert "Måneden '2024-4' er ikke gyldig" in capsys.readouterr().err
    bad = tmp_path / "benchmark.csv"
    bad.write_text("kommunekode;maaned\n101;2024-04\n", encoding="utf-8")
    assert main(["benchmark", "--data", str(bad), "--maaned", "2024-04", "--ud", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert "benchmark.csv, række 1, kolonne ydelsesomraade: kolonnen mangler" in err
    assert not (tmp_path / "x.csv").exists()


def test_a_negative_monthly_provenu_is_read_and_summed_exactly(tmp_path):
    f = tmp_path / "benchmark.csv"
    f.write_text(
        "kommunekode,maaned,ydelsesomraade,kontroltrin,udstillede,udtagne,oprettede,med_stop,med_krav,"
        "med_provenu,provenu,udloebne,ydelsesmodtagere\n"
        "101,2024-03,sygedagpenge,3,5,5,5,0,0,0,-120.25,0,100\n"
        "101,2024-04,sygedagpenge,3,5,5,5,1,0,1,100.10,0,100\n",
        encoding="utf-8")
    r = row(vindue(indlaes_benchmark(f), "2024-04"), "101")
    # -120.25 + 100.10 = -20.15; / 10 oprettede = -2.015 → -2.02 (half away from zero)
    assert (r["provenu"], r["provenu_pr_sag"]) == (D("-20.15"), D("-2.02"))


def test_own_rows_replace_the_national_rows_of_the_same_municipality_and_month(df):
    egne = df.loc[(df["kommunekode"] == 147) & (df["maaned"] == "2024-04")].copy()
    egne["udstillede"] = [9]
    flettet = flet(df, egne)
    assert len(flettet) == len(df)
    r = flettet.loc[(flettet["kommunekode"] == 147) & (flettet["maaned"] == "2024-04")]
    assert list(r["udstillede"]) == [9]
    # 147's total window: ud 0 + 9 = 9, udt 7 → 7/9 = 0.7777… → 0.7778
    assert row(vindue(flettet, "2024-04"), "147")["andel_udtaget"] == D("0.7778")
    # a month the national file does not have is added
    ny = egne.assign(maaned="2024-05")
    assert len(flet(df, ny)) == len(df) + 1


def test_a_frame_with_a_municipality_code_that_does_not_exist_is_a_danish_error(df):
    bad = df.copy()
    bad.loc[0, "kommunekode"] = 999
    with pytest.raises(KontrolFejl, match="Ukendte kommunekoder i benchmarkdata: 999"):
        vindue(bad, "2024-04")


def test_the_same_rows_as_an_excel_workbook_give_the_same_window(df, tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    lines = open(f"{DATA}/tre_kommuner.csv", encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        cells = line.split(";")
        if i:   # numbers as numbers, as a spreadsheet holds them
            cells = [cells[0], cells[1], cells[2]] + [int(x) for x in cells[3:10]] + [
                float(cells[10].replace(",", "."))] + [int(x) for x in cells[11:]]
        ws.append(cells)
    wb.save(tmp_path / "benchmark.xlsx")
    fra_excel = vindue(indlaes_benchmark(tmp_path / "benchmark.xlsx"), "2024-04")
    pd.testing.assert_frame_equal(fra_excel, vindue(df, "2024-04"))
