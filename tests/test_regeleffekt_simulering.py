"""The planted unfair rule is found on simulated data (issue 17), the report is made offline with no
CPR number and no group under 5, and the national pooling works on the simulated municipalities.

One simulation: København (101) and Aarhus (751), 2024-01 – 2024-08, skala 0.1, seed 1 (about three
minutes on the shared machine). ``jobs/simulering/regelvirkning.py`` plants ``ny_arbejdsgiver``:
women's udfald kept at 30 %, men changed far less often.
"""

import re
import subprocess

import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.simulering import regelvirkning as RV
from kontrol_lib.jobs.simulering import simuler
from kontrol_lib.maal import regeleffekt as R
from kontrol_lib.rapporter.koersel import Bestilling, lav_rapporter
from kontrol_lib.sager import SagsLager

CPR_RE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    ud = tmp_path_factory.mktemp("sim")
    res = simuler("2024-01", "2024-08", ud, kommuner=[101, 751], skala=0.1, seed=1, vis_fremdrift=False)
    assert res.antal["udfald_plantet_fravalgt"] > 0
    lager = SagsLager(res.db)
    yield res, lager
    lager.luk()


def test_the_planted_rule_is_the_one_clear_mark(sim):
    _res, lager = sim
    r = R.regeleffekt(lager, aar=2024, kommune=101)
    sk = r.skaeve
    tydelige = sk.loc[sk["tydelig"] == "ja"]
    assert list(zip(tydelige["regel"], tydelige["dimension"], tydelige["gruppe"])) == [
        (RV.PLANTET_REGEL, "koen", "mand")]
    row = tydelige.iloc[0]
    assert row["udvaelgelse_forhold"] > 2 and row["andel_aendret_forhold"] < 1
    s = R.sammenfatning(r.effekt, r.ligebehandling)
    assert s[2].startswith("Ligebehandling: Ny arbejdsgiver (mænd, ")
    # the bestand was recorded at every samkøring (8 month ends)
    assert r.koersdatoer == 8


def test_rules_differ_in_effect(sim):
    _res, lager = sim
    e = R.regeleffekt(lager, aar=2024, kommune=101).effekt.set_index("regel")
    # the strongest and the weakest factors of the model: their outcome rates are far apart
    assert e.loc["b_indkomst", "andel_aendret"] > 2 * e.loc["borgerstatus", "andel_aendret"]
    assert e.loc["i_alt", "udstillede"] == len(set(R.kohorte(lager.log(kommune=101),
                                                               _udfald(lager), *_aar())["sag_id"]))


def _udfald(lager):
    from kontrol_lib.sager.regelgrundlag import udfald_pr_regel
    return udfald_pr_regel(lager, 101)


def _aar():
    import datetime as dt
    return dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def test_no_group_under_5_is_shown(sim):
    _res, lager = sim
    for k in (101, 751):
        lige = R.regeleffekt(lager, aar=2024, kommune=k).ligebehandling
        vist = lige.loc[lige["vist"] == "ja"]
        assert len(vist) > 0
        assert (vist["udstillede"] >= 5).all() and all(b >= 5 for b in vist["bestand"])
        assert lige.loc[lige["vist"] == "nej", R.LIGE_KOLONNER[5:]].isna().all().all()


def test_the_report_export_and_national_ranking_hold_no_cpr(sim, tmp_path, capsys):
    res, _lager = sim
    r = lav_rapporter(Bestilling(kommune=101, aar=2024, typer=("regeleffekt",), db=res.db, ud=tmp_path / "rap"))
    assert r.ok, r.fejl
    mappe = tmp_path / "rap" / "101-koebenhavn" / "2024"
    html = (mappe / "regeleffekt.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    pdf = subprocess.run(["pdftotext", "-layout", str(mappe / "regeleffekt.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    ord_ = " ".join(pdf.split())
    assert "Tydeligt skæv udvælgelse: • Ny arbejdsgiver: mand (køn) udvælges" in ord_ and "Side 1 af" in pdf
    assert "SKÆV, tydelig" in " ".join(html.split())
    filer = []
    for k in (101, 751):
        f = tmp_path / f"regeleffekt_{k}.csv"
        assert main(["regeleffekt-eksport", "--db", res.db, "--aar", "2024", "--kommune", str(k), "--ud", str(f)]) == 0
        filer.append(f)
    assert main(["regeleffekt", "--data", *map(str, filer), "--ud", str(tmp_path / "national.csv")]) == 0
    assert main(["regeleffekt", "--db", res.db, "--aar", "2024"]) == 0      # the whole store as one
    out = capsys.readouterr().out
    assert "Regeleffekt for hele sagslageret" in out and "  TYDELIG Ny arbejdsgiver: mand udvælges " in out
    nat = R.national(filer)
    assert nat.attrs["kommuner"] == [101, 751]
    assert nat["rang"].notna().sum() >= 10 and int(nat.loc[nat["regel"] == RV.PLANTET_REGEL,
                                                            "kommuner_tydelig_koen"].iloc[0]) >= 1
    for tekst in (html, pdf, (mappe / "regeleffekt.ipynb").read_text(encoding="utf-8"), out,
                  *(f.read_text(encoding="utf-8") for f in filer), (tmp_path / "national.csv").read_text()):
        assert not CPR_RE.search(tekst)
