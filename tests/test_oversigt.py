"""The demo summary: counts only, and they tie to the planted events of the synthetic folder."""

import datetime as dt

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.maal.oversigt import lav_oversigt
from kontrol_lib.regler import REGLER
from kontrol_lib.jobs.syntetisk import generer

D = dt.date(2024, 5, 15)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    ud = tmp_path_factory.mktemp("oversigt")
    generer(151, D, ud, skala=0.2, seed=7)
    return ud


def test_the_summary_counts_every_planted_udfald_per_rule(folder):
    o = lav_oversigt(folder, D)
    planted = pd.read_csv(folder / "planlagte_haendelser.csv", sep=";", dtype=str)
    expected = planted.groupby("regel").size().reindex(list(REGLER), fill_value=0)
    assert o.udfald.set_index("regel")["udfald"].to_dict() == expected.to_dict()
    assert o.ym_med_udfald == planted["ym_cpr"].nunique()
    assert list(o.udfald["regel"]) == list(REGLER)


def test_the_printed_summary_has_no_cpr_number(folder, capsys):
    assert main(["oversigt", "--data", str(folder), "--dato", D.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Bestand:" in out and "Udfald:" in out
    planted = pd.read_csv(folder / "planlagte_haendelser.csv", sep=";", dtype=str)
    assert not any(c in out for c in planted["ym_cpr"])
