"""On synthetic municipalities (kontrol_lib.jobs.syntetisk): the engine finds every planted udfald, finds
nothing else, and every hit explains itself. The generator's oracle (planlagte_haendelser.csv)
is written from regler.md independently of the engine."""

import datetime as dt
import json
import shutil

import pandas as pd
import pytest

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.registre import indlaes
from kontrol_lib.regler import REGLER, UDFALD_KOLONNER, samkoer
from kontrol_lib.regler.forklaring import CPR_MOENSTER
from kontrol_lib.jobs.syntetisk import generer

NOEGLE = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "kle", "kommunekode"]


def _planlagt(mappe, navn):
    df = pd.read_csv(mappe / navn, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    df["haendelsesdato"] = [dt.date.fromisoformat(x) for x in df["haendelsesdato"]]
    if "kommunekode" in df:
        df["kommunekode"] = df["kommunekode"].astype("int64")
    return df


@pytest.mark.parametrize("kommune, dato, skala", [
    pytest.param(151, dt.date(2024, 5, 15), 1.0, id="Ballerup in mid May: every planted udfald is found and nothing else"),
    pytest.param(101, dt.date(2024, 1, 10), 0.1, id="Copenhagen in January: the kontrolperiode crosses the year"),
    pytest.param(461, dt.date(2023, 12, 31), 0.1, id="Odense on New Year's Eve: D is the last day of the month"),
    pytest.param(751, dt.date(2024, 2, 29), 0.1, id="Aarhus on a leap day"),
])
def test_the_engine_finds_exactly_the_planted_udfald(tmp_path, kommune, dato, skala):
    generer(kommune, dato, tmp_path / "data", skala=skala, seed=3)
    mappe = tmp_path / "data"
    reg = indlaes(mappe)
    fundet = samkoer(reg, dato)
    planlagt = _planlagt(mappe, "planlagte_haendelser.csv")
    assert len(planlagt) > 0

    def keys(df):
        return sorted(map(tuple, df[NOEGLE].astype(str).values.tolist()))

    mangler = set(keys(planlagt)) - set(keys(fundet))
    for_meget = set(keys(fundet)) - set(keys(planlagt))
    assert not mangler, f"{len(mangler)} planlagte udfald blev ikke fundet, fx regler {sorted({k[3] for k in mangler})}"
    assert not for_meget, f"{len(for_meget)} udfald var ikke planlagt, fx regler {sorted({k[3] for k in for_meget})}"
    assert keys(fundet) == keys(planlagt)          # same multiplicity too

    # the planted non-udfald (boundary events on the wrong side) are not among the hits
    ikke = _planlagt(mappe, "planlagte_ikke_udfald.csv")
    ikke_keys = set(map(tuple, ikke[["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato"]].astype(str).values.tolist()))
    fundet_keys = set(map(tuple, fundet[["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato"]].astype(str).values.tolist()))
    assert not (ikke_keys & fundet_keys)

    # every hit explains itself, carries its evidence and has a stable key without CPR numbers
    assert list(fundet.columns) == UDFALD_KOLONNER + ["bevis"]
    assert set(fundet["regel"]) <= set(REGLER)
    assert fundet["oplysninger"].str.endswith(".").all()
    assert not fundet["oplysninger"].str.contains(r"\. [A-ZÆØÅ]").any()   # one sentence each
    assert not any(r.ym_cpr in r.haendelse_id or r.person_cpr in r.haendelse_id for r in fundet.itertuples())
    assert not fundet.duplicated(["ym_cpr", "regel", "haendelse_id"]).any()
    assert all(set(json.loads(b)) == {"parametre", "vindue", "fakta"} for b in fundet["bevis"])
    cpr = set(reg.df("personer")["cpr"])                                   # no CPR number in the evidence
    assert not any(m.group(1) + m.group(2) in cpr for b in fundet["bevis"] for m in CPR_MOENSTER.finditer(b))
    assert not any(r.ym_cpr in r.bevis or r.person_cpr in r.bevis for r in fundet.itertuples())


def test_with_kommune_the_run_keeps_exactly_that_municipalitys_udfald(tmp_path):
    dato = dt.date(2024, 5, 15)
    generer(None, dato, tmp_path / "data", skala=0.01, seed=5)
    reg = indlaes(tmp_path / "data")
    alle = samkoer(reg, dato)
    en = samkoer(reg, dato, kommune=751)
    assert len(en) > 0
    # Synthetic YM have all their cases in one municipality, so the hits are the same rows
    pd.testing.assert_frame_equal(en.reset_index(drop=True),
                                  alle[alle["kommunekode"] == 751].reset_index(drop=True))


@pytest.fixture
def andre_parametre(tmp_path, monkeypatch):
    """Rule thresholds changed from 2024-01-01 (a copy of parameters/ via $KONTROL_PARAMETRE)."""
    mappe = tmp_path / "parametre"
    shutil.copytree(parametre.parameter_dir(), mappe)
    for navn, vaerdi in {"b_indkomst_graense": "750.00", "ny_arbejdsgiver_dage": 45, "bil_alder_aar": 12,
                         "mange_bilhandler_antal": 4, "separation_ophaevet_maaneder": 2}.items():
        fil = mappe / "regler" / f"{navn}.yaml"
        fil.write_text(fil.read_text(encoding="utf-8").rstrip("\n") + f"\n  2024-01-01: {vaerdi}\n", encoding="utf-8")
    monkeypatch.setenv("KONTROL_PARAMETRE", str(mappe))
    parametre.alle.cache_clear()
    yield mappe
    monkeypatch.delenv("KONTROL_PARAMETRE")
    parametre.alle.cache_clear()


def test_the_generator_plants_on_the_thresholds_the_parameters_give(tmp_path, andre_parametre):
    """The generator reads the same dated parameters as the rules: with other thresholds in force
    it plants its boundary cases on them, and the engine still finds exactly the planted udfald."""
    dato = dt.date(2024, 5, 15)
    generer(151, dato, tmp_path / "data", skala=1.0, seed=3)
    fundet = samkoer(indlaes(tmp_path / "data"), dato)
    planlagt = _planlagt(tmp_path / "data", "planlagte_haendelser.csv")
    noegler = lambda df: sorted(map(tuple, df[NOEGLE].astype(str).values.tolist()))  # noqa: E731
    assert noegler(fundet) == noegler(planlagt)
    beskrivelser = set(planlagt["beskrivelse"]) | set(_planlagt(tmp_path / "data", "planlagte_ikke_udfald.csv")["beskrivelse"])
    assert {"grænse: 375,00 + 375,01 = 750,01 kr", "grænse: samme arbejdsgiver efter 46 dage",
            "fire handler med biler over 12 år i vinduet", "separation + 2 måneder, stadig samboende"} <= beskrivelser
