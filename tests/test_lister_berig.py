"""kontrol lister-berig: the planted patterns are found by exactly the lists they are planted
for, the samkøring's udfald do not change, and every file keeps its own format."""

import datetime as dt
import shutil

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.regler.lokale import koer_lister
from kontrol_lib.jobs.syntetisk.listeberigelse import MARKOER, PLAN, berig
from kontrol_lib.registre import STEMPEL, indlaes
from kontrol_lib.regler import samkoer
from kontrol_lib.regler.byg import skriv_mappe
from kontrol_lib.jobs.syntetisk import generer

D = dt.date(2024, 5, 15)


@pytest.fixture(scope="module")
def syntetisk(tmp_path_factory):
    """A small synthetic Ballerup before and after berig."""
    root = tmp_path_factory.mktemp("berig")
    generer(151, D, root / "foer", skala=0.1, seed=3, vis_fremdrift=False)
    shutil.copytree(root / "foer", root / "efter")
    res = berig(root / "efter", D, seed=5)
    return root / "foer", root / "efter", res


def test_every_planted_case_is_found_by_its_list_and_no_near_miss_is(syntetisk):
    _, efter, res = syntetisk
    hits = koer_lister(efter, D)
    plan = pd.read_csv(efter / PLAN, sep=";", dtype=str)
    fundet = set(zip(hits["liste"], hits["cpr"]))
    ja = plan[plan["forventet"] == "ja"]
    nej = plan[plan["forventet"] == "nej"]
    assert all((r.liste, r.cpr) in fundet for r in ja.itertuples())
    assert not any((r.liste, r.cpr) in fundet for r in nej.itertuples())
    # each list has hits and near misses planted
    assert sorted(set(ja["liste"])) == sorted(set(nej["liste"])) == \
        ["bopaelssamlinger", "proforma_flytning", "samlivsindikation"]
    assert res.plan.equals(plan)


def test_the_samkoering_finds_the_same_udfald_before_and_after(syntetisk):
    foer, efter, _ = syntetisk
    a, b = samkoer(foer, D), samkoer(efter, D)
    noegle = ["ym_cpr", "regel", "haendelse_id"]
    assert len(a) > 0
    assert sorted(map(tuple, a[noegle].to_numpy())) == sorted(map(tuple, b[noegle].to_numpy()))


def test_berig_only_adds_rows(syntetisk):
    foer, efter, res = syntetisk
    r0, r1 = indlaes(foer), indlaes(efter)
    for t, n in res.raekker.items():
        assert len(r1.df(t)) == len(r0.df(t)) + n
    assert len(r1.df("eindkomst")) == len(r0.df("eindkomst"))


def test_a_second_berig_is_refused(syntetisk):
    _, efter, _ = syntetisk
    with pytest.raises(KontrolFejl, match="er allerede beriget"):
        berig(efter, D)


def test_the_same_seed_plants_the_same_people(tmp_path):
    for navn in ("a", "b"):
        skriv_mappe(tmp_path / navn, {"personer": []})
        berig(tmp_path / navn, D, seed=9)
    assert (tmp_path / "a" / PLAN).read_text() == (tmp_path / "b" / PLAN).read_text()


def test_each_file_keeps_its_format(tmp_path):
    # adresser as Parquet, personer as Excel, relationer as a Latin-1 CSV with commas; the rest missing
    mappe = tmp_path / "d"
    skriv_mappe(mappe, {"adresser": [dict(cpr="0101801234", adresse_id="Ø1", kommunekode=173,
                                          fra_dato="2010-01-01")],
                        "personer": [dict(cpr="0101801234", foedselsdato="1980-01-01")]})
    pd.read_csv(mappe / "adresser.csv", sep=";", dtype=str).astype(
        {"kommunekode": "int64"}).to_parquet(mappe / "adresser.parquet", index=False)
    (mappe / "adresser.csv").unlink()
    pd.read_csv(mappe / "personer.csv", sep=";", dtype=str).to_excel(mappe / "personer.xlsx", index=False)
    (mappe / "personer.csv").unlink()
    (mappe / "relationer.csv").write_bytes("cpr,barn_cpr\r\n0101801234,0101101234\r\n".encode("cp1252"))
    (mappe / "civilstand.csv").write_bytes("cpr;haendelse;dato;aegtefaelle_cpr\n".encode("utf-8") +
                                           "0101801234;vielse;01.02.2003;0202801234".encode("utf-8"))
    res = berig(mappe, D)
    reg = indlaes(mappe)
    assert sorted(p.name for p in mappe.iterdir()) == sorted(
        ["adresser.parquet", "personer.xlsx", "relationer.csv", "civilstand.csv", "ydelsessager.csv",
         "udbetalinger.csv", PLAN, MARKOER, STEMPEL])   # STEMPEL: indlaes stamps a folder that passed
    assert len(reg.df("adresser")) == 1 + res.raekker["adresser"]
    assert len(reg.df("personer")) == 1 + res.raekker["personer"]
    assert len(reg.df("civilstand")) == 1 + res.raekker["civilstand"]
    assert (mappe / "relationer.csv").read_bytes().split(b"\r\n")[2].count(b",") == 1
    # no data folder had recipients: planted in the municipality of the adresser (none) → Ballerup
    assert set(reg.df("ydelsessager")["kommunekode"]) == {151}


def test_the_cli_reports_what_was_planted(tmp_path, capsys):
    skriv_mappe(tmp_path / "d", {"personer": []})
    assert main(["lister-berig", "--data", str(tmp_path / "d"), "--dato", "2024-05-15"]) == 0
    ud = capsys.readouterr().out
    assert "  bopaelssamlinger        3 plantede fund,    1 grænsetilfælde uden fund\n" in ud
    assert "  proforma_flytning       2 plantede fund,    2 grænsetilfælde uden fund\n" in ud
    assert "  samlivsindikation       3 plantede fund,    3 grænsetilfælde uden fund\n" in ud
