"""The synthetic case history is deterministic, keeps the import format and reads without errors."""

import datetime as dt

from kontrol_lib.sager import kontrolsagsfil as kontrolsager
from kontrol_lib.jobs.syntetisk.sagshistorik import KOLONNER, generer_sager, skriv_sager


def test_the_history_is_the_same_for_the_same_seed_and_differs_for_another():
    a = generer_sager(151, 2022, 2023, seed=3)
    b = generer_sager(151, 2022, 2023, seed=3)
    c = generer_sager(151, 2022, 2023, seed=4)
    assert a.equals(b)
    assert not a.equals(c)
    assert list(a.columns) == KOLONNER


def test_the_written_file_passes_the_import_validation_with_no_warnings(tmp_path):
    df = generer_sager(151, 2019, 2024, seed=1, aabne_til=dt.date(2024, 11, 30))
    path = skriv_sager(df, tmp_path / "kontrolsager.csv")
    read, warnings = kontrolsager.indlaes(path)
    assert warnings == []
    assert len(read) == len(df)
    assert read["sag_id"].nunique() == df["sag_id"].nunique()


def test_money_only_on_changed_awards_and_open_cases_have_no_result():
    df = generer_sager(151, 2020, 2023, seed=2, aabne_til=dt.date(2023, 12, 1))
    money = df[["besparelse_beloeb", "tilbagebetalingskrav", "efterregulering"]].notna().any(axis=1)
    assert set(df.loc[money, "resultat"]) == {"aendret_tildeling"}
    open_ = df["afsluttet"].isna()
    assert open_.any() and df.loc[open_, "resultat"].isna().all()
    assert (df.loc[~open_, "afsluttet"] <= dt.date(2023, 12, 1)).all()
    expired = df[df["resultat"] == "udloebet"]
    assert set(expired["kanal"]) == {"dfd_registersamkoering"}
