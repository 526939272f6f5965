"""The engine around the rules: bestand, spouse, vindue, applicability, one row per event,
several people, evidence, the CLI file, the catalogue and the parameters.

Registers are built in memory (:func:`kontrol_lib.regler.byg.byg_registre`) from the standard
world of the rule cases (:mod:`kontrol_lib.regler.tilfaelde`); only what must go through files
(the CLI) writes a data folder. The per-rule cases, including every rule's exact sentence, live
beside the rules in ``kontrol_lib/regler/nationale/<familie>/tilfaelde.yaml``."""

import dataclasses
import datetime as dt
import importlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.regler import (REGLER, UDFALD_KOLONNER, bestand, forklaring, motor, regelkatalog,
                                regelkatalog_html, regelkatalog_markdown, samkoer)
from kontrol_lib.regler.byg import byg_registre, skriv_mappe
from kontrol_lib.regler.regel import talord, vaerdi_tekst
from kontrol_lib.regler.tilfaelde import D, PERSONER, grund, med

YM, AEF, EKS, YM2, AEF2 = (PERSONER[p] for p in ("YM", "AEF", "EKS", "YM2", "AEF2"))
# the catalogue's module (the package's name regelkatalog is the function of that name)
KATALOG_MODUL = importlib.import_module("kontrol_lib.regler.regelkatalog")


def bil(cpr, handel, dato, fr, kode=2, indeks=7500100, stel="VF1AAAA"):
    return dict(cpr=cpr, stelnummer=stel, handel=handel, handelsdato=dato, foerste_registrering=fr,
                ejerbrugerkode=kode, r75_indeks=indeks)


def ind(cpr, typ, dato, beloeb, cvr="11111111", branche="471100"):
    return dict(cpr=cpr, indberetter_cvr=cvr, branchekode=branche, indkomsttype=typ, udbetalingsdato=dato,
                beloeb=beloeb)


def adr(cpr, aid, fra, til=None):
    return dict(cpr=cpr, adresse_id=aid, kommunekode=151, fra_dato=fra, til_dato=til)


def reg_af(tmp_path, t):
    return byg_registre(t)


def ym_bestand(tmp_path, t, dato=D, kommune=None):
    b = bestand(reg_af(tmp_path, t), dato, kommune)
    return [(r.ym_cpr, r.kle, None if pd.isna(r.aef_cpr) else r.aef_cpr) for r in b.itertuples()]


# ------------------------------------------------------------------------------ bestand
@pytest.mark.parametrize("aendring, med_i", [
    pytest.param({}, True, id="a case with a payment in the seneste hele maaned qualifies"),
    pytest.param({"udbetalingsdato": "2024-04-30"}, True, id="a payment on the last day of the previous month counts"),
    pytest.param({"udbetalingsdato": "2024-04-01"}, True, id="a payment on the first day of the previous month counts"),
    pytest.param({"udbetalingsdato": "2024-05-01"}, False, id="a payment in D's own month does not count"),
    pytest.param({"udbetalingsdato": "2024-03-31"}, False, id="a payment two months back does not count"),
    pytest.param({"beloeb": "0"}, False, id="a payment of 0 kr does not count"),
    pytest.param({"beloeb": "-100"}, False, id="a negative payment does not count"),
    pytest.param({"ophoert": "2024-05-15"}, True, id="a case ending on D is active on D"),
    pytest.param({"ophoert": "2024-05-14"}, False, id="a case ending the day before D is not active"),
    pytest.param({"oprettet": "2024-05-15"}, True, id="a case created on D is active"),
    pytest.param({"oprettet": "2024-05-16"}, False, id="a case created after D is not active"),
    pytest.param({"kle": "32.18.04"}, False, id="a case on a KLE outside the Bestand-KLE does not qualify"),
    pytest.param({"betaling_kle": "32.24.08"}, False, id="a payment on another KLE than the case does not qualify it"),
])
def test_bestand(tmp_path, aendring, med_i):
    t = grund()
    sag, bet = t["ydelsessager"][0], t["udbetalinger"][0]
    for k, v in aendring.items():
        if k in ("udbetalingsdato", "beloeb"):
            bet[k] = v
        elif k == "betaling_kle":
            bet["kle"] = v
        elif k == "kle":
            sag[k] = v
            bet[k] = v
        else:
            sag[k] = v
    assert ym_bestand(tmp_path, t) == ([(YM, sag["kle"], AEF)] if med_i else [])


def test_with_kommune_only_that_municipalitys_cases_qualify(tmp_path):
    t = grund()
    t["ydelsessager"].append(dict(cpr=YM2, kommunekode=101, kle="32.24.10", oprettet="2020-01-01"))
    t["udbetalinger"].append(dict(cpr=YM2, kle="32.24.10", udbetalingsdato="2024-04-03", beloeb="10"))
    assert ym_bestand(tmp_path, t) == [(YM, "32.24.04", AEF), (YM2, "32.24.10", None)]
    assert ym_bestand(tmp_path / "b", t, kommune=101) == [(YM2, "32.24.10", None)]
    with pytest.raises(KontrolFejl, match="Ukendt kommunekode: 999"):
        bestand(reg_af(tmp_path / "c", t), D, 999)


def cs(cpr, h, dato, aeg=None):
    return dict(cpr=cpr, haendelse=h, dato=dato, aegtefaelle_cpr=aeg)


@pytest.mark.parametrize("civil, adresser, aef", [
    pytest.param([], None, AEF, id="the spouse of the latest vielse is the spouse"),
    pytest.param([cs(YM, "skilsmisse", "2020-01-01")], None, None, id="a later skilsmisse ends the marriage"),
    pytest.param([cs(YM, "enkestand", "2020-01-01")], None, None, id="a later enkestand with no spouse named ends it"),
    pytest.param([cs(YM, "skilsmisse", "2020-01-01", EKS)], None, AEF,
                 id="a skilsmisse from another spouse does not end the marriage"),
    pytest.param([cs(YM, "skilsmisse", "2015-06-01")], None, AEF, id="a skilsmisse on the vielse date does not end it"),
    pytest.param([cs(YM, "skilsmisse", "2024-05-16")], None, AEF, id="a skilsmisse after D does not count yet"),
    pytest.param([cs(YM, "vielse", "2024-05-16", EKS)], None, AEF, id="a vielse after D does not count yet"),
    pytest.param([cs(YM, "skilsmisse", "2020-01-01"), cs(YM, "vielse", "2021-01-01", EKS)], None, EKS,
                 id="a new vielse after a skilsmisse gives the new spouse"),
    pytest.param([cs(YM, "vielse", "2010-01-01", EKS), cs(YM, "skilsmisse", "2020-01-01")], None, None,
                 id="an older marriage never comes back"),
    pytest.param([cs(YM, "separation", "2024-02-01", AEF)], None, None,
                 id="a separation on the first day of the kontrolperiode leaves the spouse out"),
    pytest.param([cs(YM, "separation", "2024-05-15", AEF)], None, None, id="a separation on D leaves the spouse out"),
    pytest.param([cs(YM, "separation", "2024-05-16", AEF)], None, AEF, id="a separation after D is not counted"),
    pytest.param([cs(YM, "separation", "2024-01-31", AEF)], None, AEF,
                 id="an older separation while still living together keeps the spouse"),
    pytest.param([cs(YM, "separation", "2024-01-31", AEF)],
                 [adr(YM, "A1", "2010-01-01"), adr(AEF, "A1", "2010-01-01", "2024-05-14"), adr(AEF, "A5", "2024-05-15")],
                 None, id="an older separation and different addresses on D leave the spouse out"),
    pytest.param([cs(YM, "separation", "2024-01-31", AEF)], [adr(YM, "A1", "2010-01-01")], None,
                 id="an older separation and no address for the spouse on D leave the spouse out"),
    pytest.param([], [adr(YM, "A1", "2010-01-01")], AEF, id="without a separation the address does not matter"),
])
def test_the_spouse_on_D(tmp_path, civil, adresser, aef):
    t = grund()
    t["civilstand"] += civil
    if adresser is not None:
        t["adresser"] = adresser
    assert ym_bestand(tmp_path, t) == [(YM, "32.24.04", aef)]


# ------------------------------------------------------------------------------ vindue
def test_events_before_the_case_was_created_are_not_checked(tmp_path):
    t = med(grund(oprettet="2024-03-10"), biler=[bil(YM, "koeb", "2024-03-09", "2020-01-01", stel="A"),
                                                bil(YM, "koeb", "2024-03-10", "2020-01-01", stel="B")])
    reg = byg_registre(t)
    df = samkoer(reg, D, regler=["bilkoeb"])
    assert list(df["haendelsesdato"]) == [dt.date(2024, 3, 10)]
    assert bestand(reg, D)["vindue_start"].tolist() == [dt.date(2024, 3, 10)]


def test_events_before_the_municipalitys_activation_date_are_not_checked(tmp_path):
    t = med(grund(), biler=[bil(YM, "koeb", "2024-03-31", "2020-01-01", stel="A"),
                            bil(AEF, "koeb", "2024-04-01", "2020-01-01", stel="B")],
            kommuner=[dict(kommunekode=151, paragraf10_aktiveringsdato="2024-04-01"),
                      dict(kommunekode=101, paragraf10_aktiveringsdato="2024-05-01")])
    df = samkoer(byg_registre(t), D, regler=["bilkoeb"])
    assert [(r.rolle, r.haendelsesdato) for r in df.itertuples()] == [("ÆF", dt.date(2024, 4, 1))]


def test_an_activation_date_after_the_period_leaves_nothing_to_check(tmp_path):
    t = med(grund(), biler=[bil(YM, "koeb", "2024-05-31", "2020-01-01")],
            kommuner=[dict(kommunekode=151, paragraf10_aktiveringsdato="2024-06-01")])
    assert samkoer(byg_registre(t), D, regler=["bilkoeb"]).empty


# ------------------------------------------------------------------------------ applicability, one row per event
def two_cases(kle_a, opr_a, kle_b, opr_b, kom_b=151):
    t = grund(kle=kle_a, oprettet=opr_a)
    t["ydelsessager"].append(dict(cpr=YM, kommunekode=kom_b, kle=kle_b, oprettet=opr_b))
    t["udbetalinger"].append(dict(cpr=YM, kle=kle_b, udbetalingsdato="2024-04-20", beloeb="1"))
    return t


def test_an_event_in_the_window_of_two_cases_is_one_hit_with_the_lowest_kle(tmp_path):
    t = med(two_cases("32.24.10", "2020-01-01", "32.24.04", "2021-01-01", kom_b=101),
            eindkomst=[ind(YM, 5, "2024-03-01", "600")])
    df = samkoer(byg_registre(t), D, regler=["b_indkomst"])
    assert df[["kle", "kommunekode"]].values.tolist() == [["32.24.04", 101]]


def test_same_kle_twice_takes_the_latest_oprettet(tmp_path):
    t = med(two_cases("32.24.04", "2020-01-01", "32.24.04", "2022-01-01", kom_b=101),
            eindkomst=[ind(YM, 5, "2024-03-01", "600")])
    df = samkoer(byg_registre(t), D, regler=["b_indkomst"])
    assert df[["kle", "kommunekode"]].values.tolist() == [["32.24.04", 101]]


def test_the_kle_of_a_hit_is_the_lowest_among_cases_whose_window_holds_the_event(tmp_path):
    # 32.24.04 was created after the event, so only 32.24.10 covers it
    t = med(two_cases("32.24.10", "2020-01-01", "32.24.04", "2024-04-01"),
            biler=[bil(YM, "koeb", "2024-03-01", "2020-01-01", stel="A"), bil(YM, "koeb", "2024-04-02", "2020-01-01", stel="B")])
    df = samkoer(byg_registre(t), D, regler=["bilkoeb"])
    assert [(r.haendelsesdato.isoformat(), r.kle) for r in df.itertuples()] == [
        ("2024-03-01", "32.24.10"), ("2024-04-02", "32.24.04")]


def test_a_sum_is_taken_within_each_case_window_and_stands_if_one_holds(tmp_path):
    # 32.24.04 (window from 2024-04-01) sees 300 kr; 32.24.08 (whole period) sees 600 kr
    t = med(two_cases("32.24.04", "2024-04-01", "32.24.08", "2020-01-01"),
            eindkomst=[ind(YM, 5, "2024-03-01", "300"), ind(YM, 5, "2024-04-05", "300")])
    df = samkoer(byg_registre(t), D, regler=["b_indkomst"])
    assert df[["kle", "haendelsesdato"]].values.tolist() == [["32.24.08", dt.date(2024, 4, 5)]]
    assert "600,00 kr." in df["oplysninger"][0]


def test_a_new_public_payer_is_one_hit_even_when_two_case_windows_start_differently(tmp_path):
    # 32.24.04 (window from 2024-04-01) sees the payer first on 04-05, 32.24.08 (whole period) on
    # 03-05: one hit, from the case with the lowest KLE, dated at the first line in ITS window
    t = med(two_cases("32.24.04", "2024-04-01", "32.24.08", "2020-01-01"),
            eindkomst=[ind(YM, 1, "2024-03-05", "900", cvr="29189846"), ind(YM, 1, "2024-04-05", "900", cvr="29189846")])
    df = samkoer(byg_registre(t), D, regler=["offentlig_ydelse"])
    assert df[["kle", "haendelsesdato", "haendelse_id"]].values.tolist() == [
        ["32.24.04", dt.date(2024, 4, 5), "YM|29189846|2024-04-05"]]


def test_the_spouse_is_checked_only_through_cases_in_the_rules_aef_set(tmp_path):
    t = med(two_cases("32.24.08", "2020-01-01", "32.24.30", "2020-01-01"),
            eindkomst=[ind(AEF, 5, "2024-03-01", "600")], feriekonto=[], biler=[bil(AEF, "koeb", "2024-03-01", "2020-01-01")])
    df = samkoer(byg_registre(t), D)
    assert df.empty


def test_several_people_get_only_their_own_hits(tmp_path):
    t = grund()
    t["ydelsessager"].append(dict(cpr=YM2, kommunekode=101, kle="32.24.48", oprettet="2020-01-01"))
    t["udbetalinger"].append(dict(cpr=YM2, kle="32.24.48", udbetalingsdato="2024-04-03", beloeb="10"))
    t["civilstand"] += [cs(YM2, "vielse", "2019-01-01", AEF2)]
    t["adresser"] += [adr(YM2, "Z1", "2010-01-01"), adr(AEF2, "Z1", "2010-01-01")]
    t = med(t, eindkomst=[ind(YM, 5, "2024-03-01", "600"), ind(AEF2, 5, "2024-03-02", "700"),
                          ind(AEF2, 0, "2024-03-02", "9000", cvr="44444444")],
            biler=[bil(AEF, "koeb", "2024-03-03", "2020-01-01")])
    df = samkoer(byg_registre(t), D)
    got = [(r.ym_cpr, r.person_cpr, r.rolle, r.regel, r.haendelsesdato.isoformat(), r.kle, r.kommunekode)
           for r in df.itertuples()]
    assert got == [
        (YM, YM, "YM", "b_indkomst", "2024-03-01", "32.24.04", 151),
        (YM, AEF, "ÆF", "bilkoeb", "2024-03-03", "32.24.04", 151),
        (YM2, AEF2, "ÆF", "b_indkomst", "2024-03-02", "32.24.48", 101),
        (YM2, AEF2, "ÆF", "ny_arbejdsgiver", "2024-03-02", "32.24.48", 101),
    ]


def test_a_person_who_is_both_a_ym_and_a_spouse_appears_under_each_ym(tmp_path):
    t = grund()
    t["ydelsessager"].append(dict(cpr=AEF, kommunekode=151, kle="32.24.04", oprettet="2020-01-01"))
    t["udbetalinger"].append(dict(cpr=AEF, kle="32.24.04", udbetalingsdato="2024-04-03", beloeb="10"))
    t = med(t, eindkomst=[ind(AEF, 5, "2024-03-01", "600")])
    df = samkoer(byg_registre(t), D, regler=["b_indkomst"])
    assert [(r.ym_cpr, r.person_cpr, r.rolle) for r in df.itertuples()] == [(YM, AEF, "ÆF"), (AEF, AEF, "YM")]


# ------------------------------------------------------------------------------ evidence and keys
# Every rule's exact sentence and evidence: the cases in kontrol_lib/regler/nationale/*/tilfaelde.yaml
# (the sentences of b_indkomst, ny_arbejdsgiver and bilkoeb that were asserted here are there).
def test_every_hit_carries_its_evidence_as_data_beside_the_sentence(tmp_path):
    t = med(grund(), eindkomst=[ind(YM, 5, "2024-03-01", "250,00"), ind(YM, 5, "2024-05-31", "1.250,01", cvr="22222222"),
                                ind(AEF, 0, "2024-01-02", "100"), ind(AEF, 0, "2024-03-05", "12.345,67")],
            biler=[bil(AEF, "koeb", "2024-03-10", "2015-07-01", kode=3)],
            adresser=[adr(YM, "A2", "2024-03-01")], relationer=[dict(cpr=YM, barn_cpr=PERSONER["BARN"])],
            personer=[dict(cpr=PERSONER["BARN"], foedselsdato="2024-04-04")],
            feriekonto=[dict(cpr=YM, anmodningsdato="2024-04-01", foerste_feriedag="2024-06-01", beloeb="1000",
                             forventet_udbetaling="2024-05-28")])
    df = samkoer(byg_registre(t), D)
    assert sorted(df["regel"]) == ["b_indkomst", "bilkoeb", "feriekonto", "flytning", "foedsel", "ny_arbejdsgiver"]
    assert list(df.columns) == UDFALD_KOLONNER + ["bevis"]
    for r in df.itertuples():
        bevis = json.loads(r.bevis)
        assert set(bevis) == {"parametre", "vindue", "fakta"}
        regel = REGLER[r.regel]
        # the parameters the rule read, with their values on D; the KLE sets it was applied with
        assert set(bevis["parametre"]) <= set(regel.parameternavne)
        assert f"regler.{regel.ym_kle_parameter}" in bevis["parametre"]
        for navn, v in bevis["parametre"].items():
            vaerdi = parametre.hent(navn, D)
            assert v == (list(vaerdi) if isinstance(vaerdi, tuple) else
                         f"{vaerdi:.2f}" if not isinstance(vaerdi, (int, str)) else vaerdi)
        assert bevis["vindue"] == {"fra": "2024-02-01", "til": "2024-05-31"}
        assert bevis["fakta"]
        assert not re.search(r"\d{10}", r.bevis), "no CPR number in the evidence"
    b = json.loads(df.set_index("regel").loc["b_indkomst", "bevis"])
    assert b["fakta"]["sum"] == "1500.01" and b["parametre"]["regler.b_indkomst_graense"] == "500.00"
    n = json.loads(df.set_index("regel").loc["ny_arbejdsgiver", "bevis"])
    assert n["fakta"]["dage_imellem"] == 63 and n["parametre"]["regler.ny_arbejdsgiver_dage"] == 60
    c = json.loads(df.set_index("regel").loc["bilkoeb", "bevis"])
    assert c["fakta"]["alder_paa_handelsdagen_aar"] == 8 and c["parametre"]["regler.bil_alder_aar"] == 15


def test_haendelse_id_is_the_same_in_every_run(tmp_path):
    t = med(grund(), biler=[bil(YM, "koeb", "2024-05-20", "2020-01-01")],
            eindkomst=[ind(YM, 0, "2024-05-20", "100")])
    t["udbetalinger"].append(dict(cpr=YM, kle="32.24.04", udbetalingsdato="2024-05-15", beloeb="10"))
    reg = reg_af(tmp_path, t)
    a = samkoer(reg, D)
    b = samkoer(reg, dt.date(2024, 6, 10))
    assert list(a["haendelse_id"]) == list(b["haendelse_id"]) == [
        "YM|VF1AAAA|koeb|2024-05-20", "YM|11111111|2024-05-20"]
    assert "0101801234" not in "".join(a["haendelse_id"])


def test_a_register_that_is_absent_is_reported_as_could_not_run(tmp_path):
    df = samkoer(byg_registre(grund()), D)
    assert df.empty and list(df.columns) == UDFALD_KOLONNER + ["bevis"]
    assert df.attrs["ikke_koert"]["bilkoeb"] == ["biler"]
    assert "civilstand" not in df.attrs["ikke_koert"]


# ------------------------------------------------------------------------------ CLI
def test_the_cli_writes_the_udfald_table_of_the_contract(tmp_path, capsys):
    t = med(grund(), eindkomst=[ind(YM, 5, "2024-03-01", "600"), ind(AEF, 5, "2024-03-02", "700")],
            biler=[bil(AEF, "koeb", "2024-03-03", "2020-01-01")])
    mappe = skriv_mappe(tmp_path / "d", t)
    ud = tmp_path / "ud" / "udfald.csv"
    assert main(["samkoer", "--data", str(mappe), "--dato", "2024-05-15", "--ud", str(ud)]) == 0
    raw = ud.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(UDFALD_KOLONNER)
    assert [ln.split(";")[:8] for ln in lines[1:]] == [
        [YM, YM, "YM", "b_indkomst", "2024-03-01", "YM|11111111|2024-03-01", "32.24.04", "151"],
        [YM, AEF, "ÆF", "b_indkomst", "2024-03-02", "ÆF|11111111|2024-03-02", "32.24.04", "151"],
        [YM, AEF, "ÆF", "bilkoeb", "2024-03-03", "ÆF|VF1AAAA|koeb|2024-03-03", "32.24.04", "151"],
    ]
    assert "3 udfald for 1 ydelsesmodtagere" in capsys.readouterr().out
    back = pd.read_csv(ud, sep=";", encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == UDFALD_KOLONNER


def test_the_cli_refuses_a_bad_date_and_an_unknown_municipality_in_danish(tmp_path, capsys):
    mappe = skriv_mappe(tmp_path / "d", grund())
    with pytest.raises(SystemExit):
        main(["samkoer", "--data", str(mappe), "--dato", "15-05-2024", "--ud", str(tmp_path / "u.csv")])
    assert "er ikke en dato" in capsys.readouterr().err
    assert main(["samkoer", "--data", str(mappe), "--dato", "2024-05-15", "--kommune", "999",
                 "--ud", str(tmp_path / "u.csv")]) == 1
    assert "Ukendt kommunekode: 999" in capsys.readouterr().err


# ------------------------------------------------------------------------------ catalogue and parameters
def test_the_catalogue_lists_every_rule_of_the_spec_with_its_kle_sets():
    df = regelkatalog(D)
    a4 = "32.24.04, 32.24.10, 32.24.32, 32.24.48"
    alle = "32.24.04, 32.24.08, 32.24.10, 32.24.12, 32.24.28, 32.24.30, 32.24.32, 32.24.48"
    want = {"bilkoeb": (a4, a4, "formue"), "bilsalg": (a4, a4, "formue"), "mange_bilhandler": (a4, a4, "formue"),
            "ny_virksomhed": (alle, a4, "virksomhed"), "b_indkomst": (alle, a4, "indkomst"),
            "ny_arbejdsgiver": (alle, a4, "indkomst"), "momsindberetning": (alle, a4, "virksomhed"),
            "offentlig_ydelse": (alle, a4, "indkomst"), "civilstand": (a4, "–", "familie"),
            "barn_fraflytning": (alle, alle, "flytning"), "flytning": (alle, "–", "flytning"),
            "doedsfald": (alle, "–", "status"), "borgerstatus": (alle, "–", "status"),
            "foedsel": (alle, "–", "familie"), "barn_doedsfald": (alle, "–", "familie"),
            "underholdsbidrag": ("32.24.04, 32.24.32, 32.24.48", "–", "familie"),
            "feriekonto": (alle, a4, "indkomst")}
    assert {r.regel: (r.ym_kle, r.aef_kle, r.kontroltype) for r in df.itertuples()} == want
    assert set(REGLER) == set(want)
    for r in REGLER.values():
        assert r.titel and r.kilde.startswith("Det kontrolleres") and r.parametre
        for p in r.parameternavne:
            assert parametre.hent(p, D) is not None


def test_the_interpretations_are_marked_in_the_catalogue():
    html = regelkatalog_html(D)
    assert html.count('<p class="fortolkning">') == sum(1 for r in REGLER.values() if r.fortolkning)
    assert "helt produktets fortolkning" in REGLER["offentlig_ydelse"].fortolkning
    assert "regler.b_indkomst_graense (kr): 500,00 fra 08-05-2018" in html
    for rid in REGLER:
        assert f'id="{rid}"' in html


def test_docs_regler_md_is_generated_from_the_rule_objects():
    text = Path(__file__).resolve().parents[1].joinpath("docs/regler.md").read_text(encoding="utf-8")
    assert regelkatalog_markdown(D) in text


def test_a_run_before_the_parameters_apply_names_the_parameter_and_file(tmp_path):
    reg = byg_registre(grund(dato=dt.date(2018, 5, 1)))
    with pytest.raises(KontrolFejl, match=r"regler\.kontrolperiode_maaneder.*2018-05-01.*kontrolperiode_maaneder\.yaml"):
        samkoer(reg, dt.date(2018, 5, 1))


def test_a_rule_reading_an_undeclared_parameter_is_refused(tmp_path, monkeypatch):
    r = REGLER["doedsfald"]
    monkeypatch.setitem(motor.REGLER, "doedsfald", dataclasses.replace(
        r, krop=lambda k: (k.p("b_indkomst_graense"), r.krop(k))[1]))
    with pytest.raises(RuntimeError, match="b_indkomst_graense"):
        samkoer(byg_registre(grund()), D, regler=["doedsfald"])


def test_the_cli_writes_the_catalogue_as_html_and_markdown(tmp_path, capsys):
    assert main(["regelkatalog", "--ud", str(tmp_path / "k.html"), "--dato", "2024-05-15"]) == 0
    html = (tmp_path / "k.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Ændring i andre offentlige ydelser" in html
    assert main(["regelkatalog", "--ud", str(tmp_path / "k.md"), "--dato", "2024-05-15"]) == 0
    assert (tmp_path / "k.md").read_text(encoding="utf-8") == regelkatalog_markdown(D)
    assert main(["regelkatalog", "--ud", str(tmp_path / "k.txt")]) == 1
    assert "brug .html eller .md" in capsys.readouterr().err


def test_bestand_has_one_row_per_qualifying_case_with_its_window(tmp_path):
    t = two_cases("32.24.10", "2020-01-01", "32.24.04", "2024-03-05", kom_b=101)
    b = bestand(reg_af(tmp_path, t), D)
    assert b.columns.tolist() == ["ym_cpr", "kle", "kommunekode", "oprettet", "vindue_start", "vindue_slut", "aef_cpr"]
    assert b.drop(columns=["ym_cpr", "aef_cpr"]).values.tolist() == [
        ["32.24.04", 101, dt.date(2024, 3, 5), dt.date(2024, 3, 5), dt.date(2024, 5, 31)],
        ["32.24.10", 151, dt.date(2020, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 5, 31)]]
    assert set(b["aef_cpr"]) == {AEF}


def test_every_rule_parameter_file_is_read_by_a_rule_or_the_engine_and_cites_the_kvikguide():
    brugt = {p for r in REGLER.values() for p in r.parameternavne} | {"regler.bestand_kle",
                                                                      "regler.kontrolperiode_maaneder"}
    filer = {navn: p for navn, p in parametre.alle().items() if navn.startswith("regler.")}
    assert set(filer) == brugt
    for p in filer.values():
        assert "Kvikguide" in p.reference and p.vaerdier[0][0] == dt.date(2018, 5, 8)


# ------------------------------------------------------------------------------ texts cite the parameters in force
def _parametre_med(tmp_path, **nye) -> Path:
    """A copy of parameters/ where each named regler parameter gets a new value from 2025-01-01."""
    mappe = tmp_path / "parametre"
    shutil.copytree(parametre.parameter_dir(), mappe)
    for navn, vaerdi in nye.items():
        fil = mappe / "regler" / f"{navn}.yaml"
        fil.write_text(fil.read_text(encoding="utf-8").rstrip("\n") + f"\n  2025-01-01: {vaerdi}\n", encoding="utf-8")
    return mappe


def test_a_text_that_cites_a_threshold_renders_the_value_in_force_on_the_date(tmp_path):
    mappe = _parametre_med(tmp_path, b_indkomst_graense="600.00", ny_arbejdsgiver_dage=45, bil_alder_aar=12,
                           offentlig_ydelse_maaneder=4)
    senere = dt.date(2025, 2, 1)
    b = REGLER["b_indkomst"]
    assert "er over 500 kr. (500,00 kr. giver ikke udfald)" in b.tekst("semantik", D, mappe)
    assert "er over 600 kr. (600,00 kr. giver ikke udfald)" in b.tekst("semantik", senere, mappe)
    assert b.tekst("fortolkning", senere, mappe).startswith('"Mere end 600 kr." læses')
    assert ("mere end 45 dage imellem (45 dage er ikke udfald, 46 er)"
            in REGLER["ny_arbejdsgiver"].tekst("semantik", senere, mappe))
    assert "på eller efter D − 12 år" in REGLER["bilkoeb"].tekst("semantik", senere, mappe)
    assert "i de fire hele måneder før" in REGLER["offentlig_ydelse"].tekst("semantik", senere, mappe)
    katalog = regelkatalog(senere, mappe).set_index("regel")
    assert "600,00 kr. giver ikke udfald" in katalog.loc["b_indkomst", "semantik"]
    assert "regler.b_indkomst_graense (kr): 500,00 fra 08-05-2018; 600,00 fra 01-01-2025" in katalog.loc["b_indkomst", "parametre"]
    # the source sentence is a dated quotation and stays as the kvikguide wrote it
    assert "mere end 500 kr." in katalog.loc["b_indkomst", "kilde"]


def test_no_rule_text_spells_out_a_value_of_a_parameter_it_reads():
    for r in REGLER.values():
        forbudt = set()
        for navn in r.parameternavne:
            v = parametre.hent(navn, D)
            for x in (v if isinstance(v, tuple) else (v,)):
                forbudt |= {str(x), vaerdi_tekst(x)} | ({talord(x)} if isinstance(x, int) and 1 < x <= 12 else set())
        for felt in ("semantik", "fortolkning"):
            skabelon = re.sub(r"\{[^}]*\}", " ", getattr(r, felt) or "")
            ord_ = set(re.findall(r"\d+(?:[.,]\d+)*", skabelon)) | set(re.findall(r"[a-zæøå]+", skabelon.lower()))
            assert not ord_ & forbudt, f"{r.id}.{felt} skriver {sorted(ord_ & forbudt)} i stedet for en pladsholder"


def test_a_placeholder_must_name_a_parameter_the_rule_declares():
    r = REGLER["flytning"]
    with pytest.raises(ValueError, match=r"semantik nævner \{b_indkomst_graense\}"):
        dataclasses.replace(r, semantik="over {b_indkomst_graense:kr}")
    with pytest.raises(ValueError, match=r"det ukendte format \{bestand_kle:ukendt\}"):
        dataclasses.replace(r, semantik="{bestand_kle:ukendt}")


# ------------------------------------------------------------------------------ one hit explained
def _forklar_verden():
    # YM: B-income 250,00 + 1.250,01 kr.; and from CVR 22222222 also a first salary on the same day,
    # so b_indkomst and ny_arbejdsgiver share the key YM|22222222|2024-05-31
    return med(grund(), eindkomst=[ind(YM, 5, "2024-03-01", "250,00"), ind(YM, 5, "2024-05-31", "1.250,01", cvr="22222222"),
                                   ind(YM, 0, "2024-05-31", "9.000,00", cvr="22222222")],
               biler=[bil(AEF, "koeb", "2024-03-10", "2015-07-01", kode=3)])


def test_forklar_gives_rule_source_parameters_evidence_and_sentence_of_one_hit():
    f = forklaring.forklar(byg_registre(_forklar_verden()), D, "ÆF|VF1AAAA|koeb|2024-03-10")
    assert (f["regel"], f["titel"], f["rolle"], f["ym_cpr"], f["person_cpr"]) == ("bilkoeb", "Bilkøb", "ÆF", YM, AEF)
    assert f["kilde"] == REGLER["bilkoeb"].kilde and "D − 15 år" in f["semantik"]
    assert f["vindue"] == {"fra": dt.date(2024, 2, 1), "til": dt.date(2024, 5, 31)}
    par = {p["navn"]: p for p in f["parametre"]}
    assert par["regler.bil_alder_aar"] == {"navn": "regler.bil_alder_aar", "vaerdi": 15, "enhed": "år",
                                          "gaelder_fra": dt.date(2018, 5, 8),
                                          "beskrivelse": parametre.alle()["regler.bil_alder_aar"].beskrivelse}
    assert par["regler.bil_ejerbrugerkoder"]["vaerdi"] == (2, 3, 6, 9)
    assert f["fakta"]["alder_paa_handelsdagen_aar"] == 8
    assert f["fakta"]["registreret_senest_tilladt_foer"] == "2009-05-15"
    assert f["oplysninger"].startswith("Ægtefællen har købt en privatbil (stelnummer VF1AAAA) den 10-03-2024")
    b = forklaring.forklar(byg_registre(_forklar_verden()), D, "YM|22222222|2024-05-31", regel="b_indkomst")
    assert {p["navn"]: p["vaerdi"] for p in b["parametre"]}["regler.b_indkomst_graense"] == Decimal("500.00")
    assert b["fakta"]["sum"] == "1500.01"


def test_forklar_refuses_an_unknown_id_and_names_several_hits_in_danish():
    reg = byg_registre(_forklar_verden())
    with pytest.raises(KontrolFejl, match=r"intet udfald med hændelses-id 'YM\|ukendt' på kørselsdatoen 2024-05-15"):
        forklaring.forklar(reg, D, "YM|ukendt")
    with pytest.raises(KontrolFejl, match=r"2 udfald har hændelses-id 'YM\|22222222\|2024-05-31': "
                                          r"b_indkomst \(ydelsesmodtager 010180\*\*\*\*\), ny_arbejdsgiver"):
        forklaring.forklar(reg, D, "YM|22222222|2024-05-31")
    with pytest.raises(KontrolFejl, match="Ukendt regel: ukendt"):
        forklaring.forklar(reg, D, "YM|22222222|2024-05-31", regel="ukendt")


def test_the_explanation_masks_every_cpr_number():
    assert forklaring.masker("YM 0101801234 og 010180-1234, CVR 11111111, stel SYN00000000713") == \
        "YM 010180**** og 010180****, CVR 11111111, stel SYN00000000713"
    tekst = forklaring.forklaring_tekst(forklaring.forklar(byg_registre(_forklar_verden()), D,
                                                           "ÆF|VF1AAAA|koeb|2024-03-10", regel="bilkoeb"))
    assert YM not in tekst and AEF not in tekst
    assert "Ydelsesmodtager: 010180****. Person: 020281**** (ægtefællen)." in tekst


def test_the_cli_explains_a_hit_in_danish_with_masked_cpr_numbers(tmp_path, capsys):
    mappe = skriv_mappe(tmp_path / "d", _forklar_verden())
    assert main(["forklar", "YM|22222222|2024-05-31", "--data", str(mappe), "--dato", "2024-05-15",
                 "--regel", "b_indkomst"]) == 0
    ud = capsys.readouterr().out
    for del_ in ("Udfald: b_indkomst – B-indkomst", "Hændelses-id: YM|22222222|2024-05-31",
                 "Kørselsdato: 15-05-2024. Hændelsesdato: 31-05-2024.", "Sag: KLE 32.24.04, kommune 151",
                 "\"Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har fået "
                 "indkomst af mere end 500 kr.",
                 "Produktets læsning: Summen af beløb på indkomsttype 5-linjer i vinduet er over 500 kr.",
                 "regler.b_indkomst_graense = 500,00 (kr), gælder fra 08-05-2018",
                 "  sum: 1.500,01 kr.", "    - beloeb: 250,00 kr., cvr: 11111111, udbetalingsdato: 01-03-2024",
                 "Oplysninger:\n  Ydelsesmodtageren har fået B-indkomst (indkomsttype 5) på i alt 1.500,01 kr."):
        assert del_ in ud, del_
    assert YM not in ud and "010180****" in ud
    # two hits share the key: both are explained
    assert main(["forklar", "YM|22222222|2024-05-31", "--data", str(mappe), "--dato", "2024-05-15"]) == 0
    ud = capsys.readouterr().out
    assert ud.startswith("2 udfald har dette hændelses-id.") and "Udfald: ny_arbejdsgiver – Ny arbejdsgiver" in ud
    assert main(["forklar", "YM|findes-ikke", "--data", str(mappe), "--dato", "2024-05-15", "--regel", "bilkoeb"]) == 1
    assert ("Fejl: Der er intet udfald med hændelses-id 'YM|findes-ikke' på kørselsdatoen 2024-05-15 for reglen "
            "bilkoeb") in capsys.readouterr().err


def test_the_catalogue_template_renders_every_rule_escaped(monkeypatch):
    """regler/templates/regelkatalog.html.j2: one table row and one section per rule, the
    interpretation only where there is one, every text escaped."""
    katalog = KATALOG_MODUL
    raekke = dict(regel="r<1>", titel="Titel & <b>", kontroltype="formue", register="biler", ym_kle="32.24.04",
                  aef_kle="–", kilde_afsnit="2.1", kilde='Det kontrolleres, om "x" < y', semantik="S & T",
                  fortolkning="", parametre="a (kr): 1 fra 01-01-2018\nb (dage): 2 fra 01-01-2018")
    df = pd.DataFrame([raekke, dict(raekke, regel="r2", fortolkning="<i>F</i>")], columns=katalog.KATALOG_KOLONNER)
    monkeypatch.setattr(katalog, "regelkatalog", lambda dato=None, mappe=None: df)
    html = katalog.regelkatalog_html(D)
    assert html.startswith('<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8">\n<title>Regelkatalog')
    assert html.endswith("</section>\n</body></html>")
    assert ('<tr><td><a href="#r&lt;1&gt;"><code>r&lt;1&gt;</code></a></td><td>Titel &amp; &lt;b&gt;</td>'
            '<td>formue</td><td>32.24.04</td><td>–</td></tr>\n') in html
    assert ('<section id="r&lt;1&gt;"><h2>Titel &amp; &lt;b&gt; <code>r&lt;1&gt;</code></h2>\n'
            '<p>Register: biler. Kontroltype: <b>formue</b>. KLE for YM: 32.24.04. KLE for ÆF: –.</p>\n'
            '<p>Kilde (2.1):</p><blockquote>Det kontrolleres, om &quot;x&quot; &lt; y</blockquote>\n'
            '<p><b>Produktets læsning:</b> S &amp; T</p>\n<dl><dt>Parametre (med datoer de gælder fra)</dt>'
            '<dd><code>a (kr): 1 fra 01-01-2018</code></dd><dd><code>b (dage): 2 fra 01-01-2018</code></dd></dl>'
            '</section>\n') in html
    assert html.count('<p class="fortolkning">') == 1
    assert '<p class="fortolkning"><b>Fortolkning:</b> &lt;i&gt;F&lt;/i&gt;</p>' in html


def test_a_run_leaves_the_connection_as_it_was_also_inside_the_callers_transaction():
    reg = byg_registre(med(grund(), eindkomst=[ind(YM, 5, "2024-03-01", "600")]))
    foer = reg.con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
    assert len(samkoer(reg, D, regler=["b_indkomst"])) == 1                 # its own transaction
    reg.con.execute("BEGIN TRANSACTION")
    assert len(samkoer(reg, D, regler=["b_indkomst"])) == 1                 # inside the caller's
    reg.con.execute("COMMIT")
    with pytest.raises(KontrolFejl):
        samkoer(reg, dt.date(2018, 5, 1))                                   # a failed run
    assert len(samkoer(reg, D, regler=["b_indkomst"])) == 1
    assert reg.con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall() == foer
