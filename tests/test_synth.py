"""The synthetic register generator (kontrol synth): contract, size, determinism, CPR/CVR
construction and the planted events file."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.parametre import hent
from kontrol_lib.registre.kontrakt import TABLES

BESTAND_KLE = tuple(hent("regler.bestand_kle", dt.date(2024, 5, 15)))
from kontrol_lib.registre import indlaes
from kontrol_lib.jobs.syntetisk import generer
from kontrol_lib.jobs.syntetisk.kataloger import REGLER
from kontrol_lib.jobs.syntetisk.model import dag, plus_maaneder, som_dato
from kontrol_lib.jobs.syntetisk.numre import CVR_HOEJ, CVR_LAV, cpr_mod11_ok, cvr_mod11_ok

D = dt.date(2024, 5, 15)
KP_START, KP_SLUT = dt.date(2024, 2, 1), dt.date(2024, 5, 31)


def _csv(mappe: Path, navn: str) -> pd.DataFrame:
    return pd.read_csv(mappe / f"{navn}.csv", sep=";", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def ballerup(tmp_path_factory) -> Path:
    ud = tmp_path_factory.mktemp("ballerup")
    generer(151, D, ud, skala=1.0, seed=1)
    return ud


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    ud = tmp_path_factory.mktemp("national")
    generer(None, D, ud, skala=0.001, seed=4, fmt="parquet")
    return ud


def _bestand(mappe: Path) -> set[str]:
    """The YM of regler.md, computed here with pandas straight from the files."""
    sager = _csv(mappe, "ydelsessager")
    udb = _csv(mappe, "udbetalinger")
    d = D.isoformat()
    aktiv = sager[sager["kle"].isin(BESTAND_KLE) & (sager["oprettet"] <= d)
                  & ((sager["ophoert"] == "") | (sager["ophoert"] >= d))]
    betalt = udb[(udb["beloeb"].astype(float) > 0) & (udb["udbetalingsdato"] >= "2024-04-01")
                 & (udb["udbetalingsdato"] <= "2024-04-30")]
    q = aktiv.merge(betalt[["cpr", "kle"]].drop_duplicates(), on=["cpr", "kle"])
    return set(q["cpr"])


def test_ballerup_folder_keeps_the_register_contract(ballerup):
    reg = indlaes(ballerup)
    assert reg.fravaerende == []
    assert set(reg.filer) == set(TABLES)
    assert reg.antal("eindkomst") > 100_000


def test_ballerup_at_scale_one_has_1500_ym_within_ten_percent(ballerup):
    assert 1350 <= len(_bestand(ballerup)) <= 1650


def test_the_bestand_has_cases_that_end_on_D_and_people_outside_it(ballerup):
    sager = _csv(ballerup, "ydelsessager")
    ym = _bestand(ballerup)
    assert (sager["ophoert"] == D.isoformat()).any()                      # still active on D
    assert len(set(sager["cpr"]) - ym) > 300                              # ended, unpaid, other KLE
    ikke_bestand = sager[~sager["kle"].isin(BESTAND_KLE)]
    assert set(ikke_bestand["kle"]) >= {"32.18.04", "32.03.08"}


def test_every_rule_has_a_planted_udfald_for_ballerup(ballerup):
    plan = _csv(ballerup, "planlagte_haendelser")
    assert set(plan["regel"]) == set(REGLER)
    assert len(REGLER) == 17
    assert {"YM", "ÆF"} == set(plan["rolle"])


def test_fewer_than_35_percent_of_ym_have_a_planted_udfald_and_most_have_none(ballerup):
    plan = _csv(ballerup, "planlagte_haendelser")
    ym = _bestand(ballerup)
    assert set(plan["ym_cpr"]) <= ym
    andel = len(set(plan["ym_cpr"])) / len(ym)
    assert 0.10 < andel < 0.35


def test_planted_udfald_dates_lie_in_the_kontrolperiode(ballerup):
    for navn in ("planlagte_haendelser", "planlagte_ikke_udfald"):
        plan = _csv(ballerup, navn)
        assert plan["haendelsesdato"].min() >= "2024-01-31"       # the day before the vindue at most
    plan = _csv(ballerup, "planlagte_haendelser")
    assert plan["haendelsesdato"].min() >= KP_START.isoformat()
    assert plan["haendelsesdato"].max() <= KP_SLUT.isoformat()
    # boundary hits on the first and last day of the kontrolperiode, and after D in D's month
    assert KP_START.isoformat() in set(plan["haendelsesdato"])
    assert KP_SLUT.isoformat() in set(plan["haendelsesdato"])


def test_planted_file_has_the_udfald_columns_and_no_duplicate_rows(ballerup):
    plan = _csv(ballerup, "planlagte_haendelser")
    assert list(plan.columns) == ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "kle",
                                  "kommunekode", "beskrivelse"]
    assert not plan.duplicated(["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato"]).any()
    assert set(plan["kommunekode"]) == {"151"}
    assert set(plan["kle"]) <= set(BESTAND_KLE)
    # spouse events only through an A4 case
    assert set(plan.loc[(plan["rolle"] == "ÆF") & (plan["regel"] != "barn_fraflytning"), "kle"]) <= {
        "32.24.04", "32.24.10", "32.24.32", "32.24.48"}


def _b_sum(mappe: Path, cpr: str, fra: str, til: str) -> float:
    e = _csv(mappe, "eindkomst")
    e = e[(e["cpr"] == cpr) & (e["indkomsttype"] == "5") & (e["udbetalingsdato"] >= fra)
          & (e["udbetalingsdato"] <= til)]
    return round(sum(float(x) for x in e["beloeb"]), 2)


def test_b_indkomst_boundary_plants_sum_to_exactly_500_00_and_500_01(ballerup):
    hit = _csv(ballerup, "planlagte_haendelser")
    ikke = _csv(ballerup, "planlagte_ikke_udfald")
    h = hit[hit["beskrivelse"].str.contains("500,01")].iloc[0]
    i = ikke[ikke["beskrivelse"].str.contains("500,00")].iloc[0]
    assert _b_sum(ballerup, h["ym_cpr"], "2024-02-01", "2024-05-31") == 500.01
    assert _b_sum(ballerup, i["ym_cpr"], "2024-02-01", "2024-05-31") == 500.00


def test_same_employer_boundary_plants_are_exactly_60_and_61_days_apart(ballerup):
    e = _csv(ballerup, "eindkomst")
    e = e[e["indkomsttype"] == "0"]
    for fil, tekst, gap in (("planlagte_haendelser", "61 dage", 61), ("planlagte_ikke_udfald", "60 dage", 60)):
        row = _csv(ballerup, fil).query("beskrivelse.str.contains(@tekst)", engine="python").iloc[0]
        datoer = sorted(set(e.loc[e["cpr"] == row["person_cpr"], "udbetalingsdato"]))
        assert datoer[-1] == row["haendelsesdato"]
        assert (dt.date.fromisoformat(datoer[-1]) - dt.date.fromisoformat(datoer[-2])).days == gap


def test_the_15_year_car_boundary_uses_d_minus_15_years_and_one_day_more(ballerup):
    biler = _csv(ballerup, "biler")
    hit = _csv(ballerup, "planlagte_haendelser")
    ikke = _csv(ballerup, "planlagte_ikke_udfald")
    h = hit[hit["beskrivelse"].str.contains("præcis D − 15 år")].iloc[0]
    i = ikke[ikke["beskrivelse"].str.contains("15 år − 1 dag")].iloc[0]
    assert set(biler.loc[(biler["cpr"] == h["ym_cpr"]) & (biler["handelsdato"] == h["haendelsesdato"]),
                         "foerste_registrering"]) == {"2009-05-15"}
    assert set(biler.loc[(biler["cpr"] == i["ym_cpr"]) & (biler["handelsdato"] == i["haendelsesdato"]),
                         "foerste_registrering"]) == {"2009-05-14"}


def test_the_separation_month_end_plant_lands_on_29_february(ballerup):
    hit = _csv(ballerup, "planlagte_haendelser")
    row = hit[hit["beskrivelse"].str.contains("månedsultimo")].iloc[0]
    assert row["haendelsesdato"] == "2024-02-29"
    cs = _csv(ballerup, "civilstand")
    assert "2023-11-30" in set(cs.loc[(cs["cpr"] == row["ym_cpr"]) & (cs["haendelse"] == "separation"), "dato"])


def _alle_cpr(mappe: Path) -> pd.Series:
    vals = []
    for t in TABLES.values():
        if not (mappe / f"{t.name}.csv").exists():
            continue
        df = _csv(mappe, t.name)
        for c in t.columns:
            if c.kind == "cpr":
                vals.append(df.loc[df[c.name] != "", c.name])
    return pd.concat(vals, ignore_index=True).drop_duplicates()


def test_every_cpr_number_fails_modulus_11_and_none_is_born_1_january(ballerup):
    cpr = _alle_cpr(ballerup)
    assert len(cpr) > 4000
    assert not cpr_mod11_ok(cpr.to_numpy()).any()
    assert not cpr.str.startswith("0101").any()


def test_cpr_numbers_encode_the_birth_date_with_the_right_century_digit(ballerup):
    p = _csv(ballerup, "personer")
    d7 = p["cpr"].str[6].astype(int)
    aar = p["foedselsdato"].str[:4].astype(int)
    yy = aar % 100
    assert (p["cpr"].str[:6] == p["foedselsdato"].str[8:10] + p["foedselsdato"].str[5:7]
            + p["foedselsdato"].str[2:4]).all()
    forventet_1900 = (d7 <= 3) | (d7.isin([4, 9]) & (yy >= 37))
    assert ((aar >= 2000) == ~forventet_1900).all()
    assert (aar >= 2000).any() and (aar < 2000).any()
    assert not p["cpr"].duplicated().any()


def test_employer_cvr_numbers_pass_modulus_11_and_lie_in_the_documented_range(ballerup):
    e = _csv(ballerup, "eindkomst")
    cvr = pd.concat([e["indberetter_cvr"], _csv(ballerup, "virksomheder")["cvr"],
                     _csv(ballerup, "kommuner")["cvr"]]).drop_duplicates()
    tal = cvr.astype(np.int64).to_numpy()
    assert cvr_mod11_ok(tal).all()
    assert ((tal >= CVR_LAV) & (tal <= CVR_HOEJ)).all()
    # the payers carry DB07 codes, among them public administration (84) and pensions (65)
    assert e["branchekode"].str.startswith("84").any() and e["branchekode"].str.startswith("65").any()
    assert {"0", "1", "4", "5"} <= set(e["indkomsttype"]) and len(set(e["indkomsttype"])) > 4


def test_modulus_11_checks_agree_with_known_numbers():
    # 070761-4285 passes modulus 11: 0*4+7*3+0*2+7*7+6*6+1*5+4*4+2*3+8*2+5*1 = 154 = 14*11
    assert cpr_mod11_ok(["0707614285"]).tolist() == [True]
    assert cpr_mod11_ok(["0707614286"]).tolist() == [False]
    # 29403473 passes (2*2+9*7+4*6+0*5+3*4+4*3+7*2+3*1 = 132 = 12*11)
    assert cvr_mod11_ok(np.array([29403473])).tolist() == [True]
    assert cvr_mod11_ok(np.array([29403474])).tolist() == [False]


def test_months_are_added_as_regler_md_says():
    assert som_dato(plus_maaneder([dag("2023-11-30")], 3)[0]) == dt.date(2024, 2, 29)
    assert som_dato(plus_maaneder([dag("2024-05-16")], -3)[0]) == dt.date(2024, 2, 16)
    assert som_dato(plus_maaneder([dag("2024-02-29")], -180)[0]) == dt.date(2009, 2, 28)


def test_same_seed_gives_byte_identical_csv_and_another_seed_does_not(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generer(151, D, a, skala=0.2, seed=7)
    generer(151, D, b, skala=0.2, seed=7)
    generer(151, D, c, skala=0.2, seed=8)
    navne = [f"{t}.csv" for t in TABLES] + ["planlagte_haendelser.csv", "planlagte_ikke_udfald.csv"]
    match, mismatch, errors = filecmp.cmpfiles(a, b, navne, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(navne)
    assert (a / "personer.csv").read_bytes() != (c / "personer.csv").read_bytes()


def test_national_mode_covers_all_98_municipalities_in_one_valid_folder(national):
    reg = indlaes(national)
    koder = {r[0] for r in reg.con.execute("SELECT DISTINCT kommunekode FROM ydelsessager").fetchall()}
    assert len(koder) == 98
    plan = pd.read_csv(national / "planlagte_haendelser.csv", sep=";", dtype=str)
    assert plan["kommunekode"].nunique() > 50
    akt = reg.df("kommuner")
    assert len(akt) == 98 and akt["cvr"].notna().all()
    sene = akt["paragraf10_aktiveringsdato"].dropna()
    assert (sene >= KP_START).any() and (sene < KP_START).any()     # some cut the vindue
    assert akt["paragraf10_aktiveringsdato"].isna().any()


def test_parquet_has_date_decimal_varchar_and_integer_columns(national):
    schema = pq.read_schema(national / "eindkomst.parquet")
    assert str(schema.field("udbetalingsdato").type) == "date32[day]"
    assert str(schema.field("beloeb").type) == "decimal128(18, 2)"
    assert str(schema.field("cpr").type) == "string"
    assert str(schema.field("indberetter_cvr").type) == "string"
    s2 = pq.read_schema(national / "ydelsessager.parquet")
    assert str(s2.field("kle").type) == "string"
    assert str(s2.field("kommunekode").type) == "int64"


def test_cli_writes_a_folder_and_rejects_an_unknown_municipality(tmp_path, capsys):
    assert main(["synth", "--kommune", "151", "--dato", "2024-05-15", "--ud", str(tmp_path / "d"),
                 "--skala", "0,1", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "ydelsesmodtagere i bestanden" in out and (tmp_path / "d" / "planlagte_haendelser.csv").exists()
    assert main(["synth", "--kommune", "999", "--dato", "2024-05-15", "--ud", str(tmp_path / "e")]) == 1
    assert "Ukendt kommunekode: 999" in capsys.readouterr().err


def test_an_activation_date_inside_the_kontrolperiode_cuts_every_planted_vindue(tmp_path):
    generer(151, D, tmp_path, skala=0.5, seed=3, aktiveringsdato=dt.date(2024, 3, 1))
    plan = _csv(tmp_path, "planlagte_haendelser")
    ikke = _csv(tmp_path, "planlagte_ikke_udfald")
    assert plan["haendelsesdato"].min() == "2024-03-01"            # the vindue's first day
    assert "2024-02-29" in set(ikke["haendelsesdato"])              # the day before it: no udfald
    assert _csv(tmp_path, "kommuner").set_index("kommunekode").loc["151", "paragraf10_aktiveringsdato"] == "2024-03-01"
    with pytest.raises(Exception, match="kun bruges sammen med --kommune"):
        generer(None, D, tmp_path / "x", skala=0.001, aktiveringsdato=dt.date(2024, 3, 1))


def test_a_child_leaving_both_parents_gives_a_ym_row_and_a_spouse_row_on_the_same_day(ballerup):
    plan = _csv(ballerup, "planlagte_haendelser")
    b = plan[plan["regel"] == "barn_fraflytning"]
    begge = b[b["rolle"] == "ÆF"].merge(b[b["rolle"] == "YM"], on=["ym_cpr", "haendelsesdato"])
    assert len(begge) >= 1
    assert (begge["person_cpr_x"] != begge["ym_cpr"]).all() and (begge["person_cpr_y"] == begge["ym_cpr"]).all()


def test_people_outside_the_bestand_have_events_in_the_kontrolperiode_but_no_planted_udfald(ballerup):
    ym = _bestand(ballerup)
    sager = _csv(ballerup, "ydelsessager")
    andre = set(sager["cpr"]) - ym
    adr = _csv(ballerup, "adresser")
    flyt = adr[adr["cpr"].isin(andre) & (adr["fra_dato"] >= "2024-02-01") & (adr["fra_dato"] <= "2024-05-31")]
    assert flyt["cpr"].nunique() > 50
    assert not (set(_csv(ballerup, "planlagte_haendelser")["ym_cpr"]) & andre)
