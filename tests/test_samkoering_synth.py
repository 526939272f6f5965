"""On synthetic municipalities (kontrol_lib.jobs.syntetisk): the engine finds every planted udfald, finds
nothing else, and every hit explains itself. The generator's oracle (planlagte_haendelser.csv)
is written from regler.md independently of the engine."""

import datetime as dt

import pandas as pd
import pytest

from kontrol_lib.registre import indlaes
from kontrol_lib.regler import REGLER, UDFALD_KOLONNER, samkoer
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

    # every hit explains itself and has a stable key without CPR numbers
    assert list(fundet.columns) == UDFALD_KOLONNER
    assert set(fundet["regel"]) <= set(REGLER)
    assert fundet["oplysninger"].str.endswith(".").all()
    assert not fundet["oplysninger"].str.contains(r"\. [A-ZÆØÅ]").any()   # one sentence each
    assert not any(r.ym_cpr in r.haendelse_id or r.person_cpr in r.haendelse_id for r in fundet.itertuples())
    assert not fundet.duplicated(["ym_cpr", "regel", "haendelse_id"]).any()


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
