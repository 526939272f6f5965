"""The benchmark report (notebooks/benchmark.ipynb) end to end, from the three-municipality fixture.

One module-scoped run makes København's benchmark report for the window May 2023 – April 2024 from
``tests/data/benchmark/tre_kommuner.csv``; the figures below are computed by hand from that file.

København (101), rows 2023-05 and 2024-04 (six rows):
  udstillede 10+6+4+10+4+2 = 36, udtagne 8+3+4+9+2+2 = 28, oprettede 3+2+2+3+1+1 = 12,
  med provenu 2+1+2+3+0+1 = 9, udløbne 1+0+0+0+1+0 = 2,
  provenu 29.999,87 + 5.000,50 + 12.000,25 + 20.000,00 + 0 + 3.000,00 = 70.000,62 kr.
  → udtaget 28/36 = 77,8 %, oprettet 12/28 = 42,9 %, med provenu 9/12 = 75,0 %, udløbet 2/36 = 5,6 %,
    provenu pr. sag 70.000,62/12 = 5.833,39 → 5.833 kr.
Region (Frederiksberg 147 only; Aarhus is in Midtjylland): 5, 7, 3, 2, udløbne 2
  → 140,0 %, 42,9 %, 66,7 % * (3 oprettede < 5), 40,0 %.
Size (the other two, 147 and 751): 5, 12, 3, 2, 2 → 240,0 %, 25,0 %, 66,7 % *, 40,0 %.
Country: 41, 40, 15, 11, 4 → 97,6 %, 37,5 %, 73,3 %, 9,8 %.
Kontanthjælp trin 2: København 20 udstillede, 17 udtagne (85,0 %), 5 of 6 oprettede with provenu
  (83,3 %); country 25, 18 (72,0 %), 6 of 7 (85,7 %).
Ranks on andel med provenu: København 1; Frederiksberg (small) and Aarhus (no oprettede) unranked.
"""

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kontrol_lib.maal.benchmark import indlaes_benchmark
from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.rapporter import benchmarkrapport as br
from kontrol_lib.rapporter.koersel import Bestilling, alle_typer, tjek_bestilling
from kontrol_lib.sager.sagsimport import KOLONNER as KS_KOLONNER
from offline_browser import charts_drawn_offline
from test_rapporter import _charts, _cpr_shaped, _pdftotext

ROOT = Path(__file__).resolve().parents[1]
TRE = ROOT / "tests" / "data" / "benchmark" / "tre_kommuner.csv"


@pytest.fixture(scope="module")
def mappe(tmp_path_factory):
    ud = tmp_path_factory.mktemp("reports")
    rc = main(["rapport", "--kommune", "101", "--aar", "2024", "--maaned", "2024-04", "--type", "benchmark",
               "--benchmark", str(TRE), "--ud", str(ud)])
    assert rc == 0
    return ud / "101-koebenhavn" / "2024"


def _celler(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", html))


def test_the_benchmark_report_is_published_as_notebook_html_and_pdf(mappe):
    assert sorted(p.name for p in mappe.iterdir()) == ["benchmark.html", "benchmark.ipynb", "benchmark.pdf"]
    assert not [p for p in mappe.parent.iterdir() if p.name.startswith(".")]
    nb = nbformat.read(mappe / "benchmark.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])][0].source
    assert 'maaned = "2024-04"' in injected and "kommune = 101" in injected


def test_the_funnel_shows_the_municipality_beside_region_size_peers_and_country(mappe):
    cells = _celler((mappe / "benchmark.html").read_text(encoding="utf-8"))
    assert "|Udstillet af Udbetaling Danmark||36||–||–||–||–|" in cells
    assert "|Udtaget til visitering||28||77,8 %||140,0 %||240,0 %||97,6 %|" in cells
    assert "|Oprettet som kontrolsag||12||42,9 %||42,9 %||25,0 %||37,5 %|" in cells
    assert "|Afsluttet med provenu||9||75,0 %||66,7 %|*|||66,7 %|*|||73,3 %|" in cells
    assert "|Udløbet uden behandling||2||5,6 %||40,0 %||40,0 %||9,8 %|" in cells
    assert "|Hele landet||3||41||40||15||11||4||5.033 kr.||9,0|" in cells


def test_the_areas_the_ranked_table_and_the_mark_note_are_shown(mappe):
    html = (mappe / "benchmark.html").read_text(encoding="utf-8")
    cells = _celler(html)
    assert "|Kontanthjælp, kontroltrin 2||20||85,0 %||72,0 %||83,3 %||85,7 %|" in cells
    assert "|Kontanthjælp, kontroltrin 3||10||50,0 %||160,0 %||33,3 %|*|||40,0 %|" in cells
    ranked = re.findall(r'<tr( class="egen")?><td class="tal">(\d+|–)</td><td class="tekst">(\w+)</td>', html)
    assert ranked == [(' class="egen"', "1", "København"), ("", "–", "Frederiksberg"), ("", "–", "Aarhus")]
    assert "Opgjort på færre end 5 sager" in html
    assert "København Kommune ligger nr. 1 af 3 kommuner på andelen af kontrolsager med provenu og nr. 2" in html


def test_the_pdf_holds_the_hand_computed_key_figures(mappe):
    pdf = mappe / "benchmark.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    flat = " ".join(_pdftotext(pdf).split())
    assert "12 måneder fra maj 2023 til april 2024" in flat
    assert "36 77,8 % 75,0 % 5.833 kr." in flat
    assert "Udtaget til visitering 28 77,8 % 140,0 % 240,0 % 97,6 %" in flat
    assert "Benchmark af kontrolsagerne til april 2024" in flat
    assert "1 København 36 77,8 % 42,9 % 75,0 % 5,6 % 5.833 kr." in flat


def test_the_trend_covers_the_full_windows_and_the_scatter_highlights_the_municipality(mappe):
    svgs = _charts((mappe / "benchmark.html").read_text(encoding="utf-8"))
    assert len(svgs) == 4
    tragt, udtaget, provenu, scatter = svgs        # issue 14: one trend figure per measure
    assert "Udtaget til visitering" in tragt and "Hele landet" in tragt
    # issue 14: only full 12-month windows (the file starts 2023-04), Danish month labels
    for trend in (udtaget, provenu):
        assert "mar. 2024" in trend and "apr. 2024" in trend and "2024-04" not in trend
    assert "Andel udstillede sager udtaget til visitering" in udtaget and "Andel kontrolsager med provenu" not in udtaget
    assert "Andel kontrolsager med provenu" in provenu and "udtaget til visitering" not in provenu
    assert "København" in scatter and "Andel udstillede sager udtaget til visitering" in scatter


def test_every_chart_draws_in_chromium_with_the_network_blocked(mappe):
    drawn, requested = charts_drawn_offline([mappe / "benchmark.html"])
    assert drawn == {"benchmark.html": [True, True, True, True]}
    assert requested == []


def test_the_html_has_no_script_and_no_network_reference(mappe):
    html = (mappe / "benchmark.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "kontrol_lib" not in html and '<html lang="da">' in html


def test_no_output_contains_anything_shaped_like_a_cpr_number(mappe):
    for f in sorted(mappe.iterdir()):
        text = _pdftotext(f) if f.suffix == ".pdf" else f.read_text(encoding="utf-8")
        if f.suffix != ".pdf":
            text += "\n".join(_charts(text))
        assert _cpr_shaped(text) == [], f.name


# --------------------------------------------------------------------------- compositions
def test_the_ranked_table_puts_unranked_municipalities_last_and_marks_small_shares():
    r = br.benchmark_rapport(101, 2024, str(TRE), maaned="2024-04")
    t = r.rangtabel
    assert list(t["kommunenavn"]) == ["København", "Frederiksberg", "Aarhus"]
    assert list(t["rang"]) == [1, None, None]
    assert list(t["egen"]) == [True, False, False]
    assert list(t["lille_andel_med_provenu"]) == [False, True, True]
    assert r.rang("andel_med_provenu") == "1" and r.rang("andel_udtaget") == "2"
    # Aarhus has no oprettede: no share, so no point in the scatter
    assert list(r.spredning["kommunenavn"]) == ["København", "Frederiksberg"] and r.uden_punkt == 1
    assert list(r.spredning["lille"]) == [False, True]


def test_the_trend_has_the_full_windows_of_the_municipality_and_the_country():
    r = br.benchmark_rapport(101, 2024, str(TRE), maaned="2024-04")
    # issue 14: of the 24 windows asked for, only those whose 12 months lie in the file (from 2023-04)
    assert list(r.udvikling["maaned"]) == ["2024-03", "2024-04"]
    assert list(dict.fromkeys(r.udvikling_lang["etiket"])) == ["mar. 2024", "apr. 2024"]
    last = r.udvikling_lang[r.udvikling_lang["maaned"] == "2024-04"]
    assert [(s, a) for s, a in zip(last["serie"], last["andel"])] == [
        ("København Kommune", Decimal("0.7778")), ("Hele landet", Decimal("0.9756")),
        ("København Kommune", Decimal("0.7500")), ("Hele landet", Decimal("0.7333"))]


def test_the_month_defaults_to_december_and_must_lie_in_the_year():
    assert br.standard_maaned(2024) == "2024-12"
    assert br.standard_maaned(2024, "2024-01") == "2024-01"
    with pytest.raises(KontrolFejl, match="ligger ikke i rapportåret 2024"):
        br.standard_maaned(2024, "2023-12")
    with pytest.raises(KontrolFejl, match="ÅÅÅÅ-MM"):
        br.standard_maaned(2024, "2024-13")


def test_a_municipality_without_rows_in_the_file_is_a_danish_error():
    with pytest.raises(KontrolFejl, match="Ballerup Kommune \\(151\\) har ingen rækker i benchmarkfilen"):
        br.benchmark_rapport(151, 2024, str(TRE), maaned="2024-04")


# --------------------------------------------------------------------------- reconciliation with the log
def _log_og_sager():
    D = pd.Timestamp
    log = pd.DataFrame([
        dict(dato=D("2024-02-29").date(), sag_id="A", sekvens=1, haendelse="udstillet", til="udstillet", data={}, kommunekode=151),
        dict(dato=D("2024-03-07").date(), sag_id="A", sekvens=2, haendelse="bestil", til="bestilt", data={}, kommunekode=151),
        dict(dato=D("2024-03-31").date(), sag_id="B", sekvens=1, haendelse="udstillet", til="udstillet", data={}, kommunekode=151),
        # imported history is not an exposure: never counted
        dict(dato=D("2024-03-01").date(), sag_id="C", sekvens=1, haendelse="importeret", til="udstillet",
             data={"kilde": "import"}, kommunekode=151),
    ])
    sager = pd.DataFrame([dict(sag_id=s, kommunekode=151, kontroltrin=2, kle=None, ydelsesomraade="kontanthjaelp",
                               ydelse="kontanthjaelp") for s in "ABC"])
    return log, sager


def _fil(tmp_path, udtagne_marts: int) -> pd.DataFrame:
    f = tmp_path / "bm.csv"
    f.write_text("kommunekode;maaned;ydelsesomraade;kontroltrin;udstillede;udtagne;oprettede;med_stop;med_krav;"
                 "med_provenu;provenu;udloebne;ydelsesmodtagere\n"
                 "151;2024-02;kontanthjaelp;2;1;0;0;0;0;0;0,00;0;100\n"
                 f"151;2024-03;kontanthjaelp;2;1;{udtagne_marts};0;0;0;0;0,00;0;100\n", encoding="utf-8")
    return indlaes_benchmark(f)


def test_the_municipalitys_counts_in_the_file_tie_back_to_the_stores_log(tmp_path):
    log, sager = _log_og_sager()
    a = br.afstemning_fra_log(_fil(tmp_path, 1), "2024-03", 151, log, sager, pd.DataFrame(columns=KS_KOLONNER))
    assert dict(zip(a["maal"], zip(a["fil"], a["log"]))) == {
        "Udstillede": (2, 2), "Udtagne": (1, 1), "Oprettede": (0, 0), "Med stop": (0, 0), "Med krav": (0, 0),
        "Med provenu": (0, 0), "Udløbne": (0, 0), "Provenu (kr.)": (Decimal("0.00"), Decimal("0.00"))}
    assert a["stemmer"].all()


def test_a_count_that_differs_from_the_log_is_shown_as_such(tmp_path):
    log, sager = _log_og_sager()
    a = br.afstemning_fra_log(_fil(tmp_path, 2), "2024-03", 151, log, sager, pd.DataFrame(columns=KS_KOLONNER))
    assert list(a.loc[~a["stemmer"], "maal"]) == ["Udtagne"]
    assert a.loc[a["maal"] == "Udtagne", ["fil", "log"]].values.tolist() == [[2, 1]]


# --------------------------------------------------------------------------- ordering
def test_alle_adds_the_benchmark_report_only_when_a_benchmark_file_is_given():
    assert alle_typer(None) == ("aarsrapport", "udvalgsorientering")
    assert alle_typer("bm.csv") == ("aarsrapport", "udvalgsorientering", "benchmark")


def test_the_benchmark_report_needs_the_file_but_no_case_source():
    tjek_bestilling(Bestilling(kommune=101, aar=2024, typer=("benchmark",), benchmark=str(TRE)))
    with pytest.raises(KontrolFejl, match="kræver en national benchmarkfil"):
        tjek_bestilling(Bestilling(kommune=101, aar=2024, typer=("benchmark",)))
    with pytest.raises(KontrolFejl, match="Ballerup Kommune \\(151\\) har ingen rækker i benchmarkfilen"):
        tjek_bestilling(Bestilling(kommune=151, aar=2024, typer=("benchmark",), benchmark=str(TRE)))
    with pytest.raises(KontrolFejl, match="præcis én kilde"):
        tjek_bestilling(Bestilling(kommune=101, aar=2024, typer=("aarsrapport", "benchmark"), benchmark=str(TRE)))


def test_the_command_refuses_a_month_outside_the_year_in_danish(capsys):
    assert main(["rapport", "--kommune", "101", "--aar", "2024", "--maaned", "2023-04", "--type", "benchmark",
                 "--benchmark", str(TRE)]) == 1
    assert "Måneden 2023-04 ligger ikke i rapportåret 2024." in capsys.readouterr().err


def test_a_batch_plan_with_a_benchmark_file_makes_all_three_and_benchmark_alone_needs_no_cases(tmp_path):
    from kontrol_lib.rapporter.batch import laes_plan
    (tmp_path / "bm.csv").write_text(TRE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "s.csv").write_text("", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("sager: s.csv\nbenchmark: bm.csv\naar: 2024\nkommuner: [101]\n", encoding="utf-8")
    assert laes_plan(tmp_path / "a.yaml").bestillinger[0].typer == ("aarsrapport", "udvalgsorientering", "benchmark")
    (tmp_path / "b.yaml").write_text("benchmark: bm.csv\naar: 2024\nkommuner: [101]\ntyper: [benchmark]\n", encoding="utf-8")
    assert laes_plan(tmp_path / "b.yaml").bestillinger[0].typer == ("benchmark",)
    (tmp_path / "c.yaml").write_text("sager: s.csv\naar: 2024\nkommuner: [101]\ntyper: [benchmark]\n", encoding="utf-8")
    with pytest.raises(KontrolFejl, match="benchmarkrapporten kræver en benchmarkfil"):
        laes_plan(tmp_path / "c.yaml")
