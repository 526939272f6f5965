"""The report pipeline end to end: papermill → offline HTML → A4 PDF, publishing, batch.

One module-scoped run makes Ballerup's 2023 reports from the provenu fixture (the figures of
Ballerup's own annual report 2023); the tests read them as a manager would: in a browser with the
network blocked, as PDF text, and scanned for anything shaped like a CPR number.
"""

import base64
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from notebookkoersel import koer_notebook
from offline_browser import charts_drawn_offline

from kontrol_lib.flader.cli import main
from kontrol_lib.rapporter.koersel import Bestilling, lav_rapporter

ROOT = Path(__file__).resolve().parents[1]
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"


@pytest.fixture(scope="module")
def rapporter(tmp_path_factory):
    ud = tmp_path_factory.mktemp("reports")
    rc = main(["rapport", "--kommune", "151", "--aar", "2023", "--sager", str(BALLERUP), "--ud", str(ud)])
    assert rc == 0
    return ud / "151-ballerup" / "2023"


def test_the_report_folder_holds_notebook_html_and_pdf_of_both_reports(rapporter):
    assert sorted(p.name for p in rapporter.iterdir()) == [
        "aarsrapport.html", "aarsrapport.ipynb", "aarsrapport.pdf",
        "udvalgsorientering.html", "udvalgsorientering.ipynb", "udvalgsorientering.pdf"]
    assert not [p for p in rapporter.parent.iterdir() if p.name.startswith(".")]   # no staging left


def test_the_executed_notebook_carries_the_injected_parameters(rapporter):
    nb = nbformat.read(rapporter / "aarsrapport.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "kommune = 151" in injected[0].source and "aar = 2023" in injected[0].source


def test_the_html_has_no_code_no_script_and_no_network_reference(rapporter):
    for name in ("aarsrapport.html", "udvalgsorientering.html"):
        html = (rapporter / name).read_text(encoding="utf-8")
        assert "<script" not in html
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
        assert "http://" not in html and "https://" not in html
        assert "import " not in html and "kontrol_lib" not in html and 'class="jp-InputArea' not in html
        assert '<html lang="da">' in html


def test_the_annual_report_shows_ballerups_2023_figures_in_danish_format(rapporter):
    html = (rapporter / "aarsrapport.html").read_text(encoding="utf-8")
    for figure in ("11.264.947 kr.", "5.764.357", "1.640.160", "1.115.157", "761.984", "1.983.289",
                   "8.030.923", "1.733.069 kr.", "86,1 %"):
        assert figure in html, figure
    assert "Benchmarkingen er ikke tilgængelig" in html
    assert "Tragten fra udstillet sag til provenu kan ikke følges for Ballerup Kommune i 2023" in html


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_annual_report_pdf_is_a4_with_page_numbers_and_the_key_figures(rapporter):
    pdf = rapporter / "aarsrapport.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = _pdftotext(pdf)
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    assert "I alt er der beregnet et provenu på 11.264.947 kr. for Team CPR og Kontrol i 2023" in text
    flat = " ".join(text.split())
    for figure in ("5.764.357", "1.640.160", "1.115.157", "761.984", "1.983.289", "288.412", "1.258.650", "93.098"):
        assert figure in flat, figure


def test_the_briefing_pdf_has_the_municipal_sections_and_fits_on_three_pages(rapporter):
    """Ballerup's example briefing carries Herning's Netværk and Det fremadrettede arbejde (issue 14):
    three pages, in Herning's order."""
    pdf = rapporter / "udvalgsorientering.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == 3
    text = _pdftotext(pdf)
    positions = [text.index(s) for s in ("Sagsresume", "Sagsfremstilling", "Resultat", "Netværk",
                                         "Sammenligning med andre kommuner", "Det fremadrettede arbejde",
                                         "Indstilling")]
    assert positions == sorted(positions)
    assert "Økonomiudvalget" in text
    assert "at udvalget tager orienteringen til efterretning." in text
    assert "Sammenligningen med andre kommuner er ikke tilgængelig" in " ".join(text.split())
    assert "Direktøren for Økonomi, Borgerservice og Digitalisering indstiller," in text
    flat = " ".join(text.split())
    assert "Det samlede provenu er 11.264.947 kr. mod 8.030.923 kr. i 2022." in flat
    assert "* Opgjort på færre end 5 sager" in flat
    html = (rapporter / "udvalgsorientering.html").read_text(encoding="utf-8")
    assert '1.115.157 kr.<sup class="lille">*</sup>' in html          # § 11: 1 case
    assert '5.764.357 kr.<sup class="lille">' not in html             # KL-ydelser: 12 cases


def test_every_chart_draws_in_chromium_with_the_network_blocked(rapporter):
    drawn, requested = charts_drawn_offline([rapporter / "aarsrapport.html", rapporter / "udvalgsorientering.html"])
    assert drawn == {"aarsrapport.html": [True, True], "udvalgsorientering.html": [True]}
    assert requested == []


def _charts(html: str) -> list[str]:
    return [base64.b64decode(b).decode("utf-8") for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]


def test_the_charts_are_svg_with_marks_and_danish_axis_numbers(rapporter):
    svgs = _charts((rapporter / "aarsrapport.html").read_text(encoding="utf-8"))
    assert len(svgs) == 2
    udvikling = svgs[0]
    assert udvikling.count("<path") > 20          # 5 years × 6 categories of bars, axes, legend
    assert "12.000.000" in udvikling and "2019" in udvikling and "KL-ydelser" in udvikling


CPR = re.compile(r"(?<![\d.,])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})-?(\d{4})(?![\d.,])")


def _cpr_shaped(text: str) -> list[str]:
    return [m.group(0) for m in CPR.finditer(text)]


def test_the_cpr_scan_finds_a_cpr_shaped_number_and_ignores_amounts():
    assert _cpr_shaped("Borger 010190-1234 og 0101901234") == ["010190-1234", "0101901234"]
    assert _cpr_shaped("11.264.947 kr. og 1.733.068,77 og sag BK-2023-0001 og 3201901234") == []


def test_no_output_contains_anything_shaped_like_a_cpr_number(rapporter):
    for f in sorted(rapporter.iterdir()):
        if f.suffix == ".pdf":
            text = _pdftotext(f)
        else:
            text = f.read_text(encoding="utf-8")
            text += "\n".join(_charts(text))
        assert _cpr_shaped(text) == [], f.name


def test_a_failing_report_publishes_nothing_and_keeps_the_notebook_for_the_analyst(tmp_path):
    bad = tmp_path / "sager.csv"
    lines = BALLERUP.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(";151;", ";151;", 1).replace("aendret_tildeling", "vundet_i_lotto", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ud = tmp_path / "reports"
    r = lav_rapporter(Bestilling(kommune=151, aar=2023, sager=str(bad), ud=ud, pdf=False))
    assert not r.ok
    assert r.fejl.startswith("aarsrapport: RegisterFejl")
    assert "vundet_i_lotto" in r.fejl
    assert not (ud / "151-ballerup" / "2023").exists()
    assert [p.name for p in (ud / "151-ballerup").iterdir()] == []      # no staging folder left
    assert (ud / ".fejl" / "151-ballerup-2023-aarsrapport.ipynb").exists()


def test_remaking_one_report_keeps_the_other_and_a_failed_remake_keeps_the_old(tmp_path, rapporter):
    ud = tmp_path / "reports"
    shutil.copytree(rapporter, ud / "151-ballerup" / "2023")
    before = (ud / "151-ballerup" / "2023" / "udvalgsorientering.html").read_bytes()
    r = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("aarsrapport",), sager=str(BALLERUP), ud=ud, pdf=False))
    assert r.ok, r.fejl
    d = ud / "151-ballerup" / "2023"
    assert (d / "udvalgsorientering.html").read_bytes() == before
    assert not (d / "aarsrapport.pdf").exists()        # remade without PDF this time
    assert (d / "aarsrapport.html").exists()
    r = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("aarsrapport",), sager=str(tmp_path / "mangler.csv"), ud=ud))
    assert not r.ok and "findes ikke" in r.fejl
    assert (d / "aarsrapport.html").exists() and (d / "udvalgsorientering.html").read_bytes() == before


def test_the_command_refuses_two_sources_and_an_unknown_municipality(capsys):
    assert main(["rapport", "--kommune", "999", "--aar", "2023", "--sager", str(BALLERUP)]) == 1
    assert "Ukendt kommunekode: 999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["rapport", "--kommune", "151", "--aar", "2023", "--sager", str(BALLERUP), "--db", "sqlite://"])
    assert e.value.code == 2
    assert "fejl i kommandoen" in capsys.readouterr().err


def test_a_batch_goes_on_after_a_failure_summarises_and_exits_1(tmp_path, monkeypatch, capsys):
    params = tmp_path / "parameters"
    shutil.copytree(ROOT / "parameters", params)
    (params / "kommuner" / "101-koebenhavn.yaml").write_text("aarsvaerk: -1\n", encoding="utf-8")
    monkeypatch.setenv("KONTROL_PARAMETRE", str(params))
    shutil.copy(BALLERUP, tmp_path / "sager.csv")
    (tmp_path / "plan.yaml").write_text(
        "sager: sager.csv\naar: 2023\nkommuner: [151, 101, 825]\ntyper: [udvalgsorientering]\nworkers: 2\npdf: false\n",
        encoding="utf-8")
    rc = main(["batch", str(tmp_path / "plan.yaml"), "--stille"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "2 af 3 kørsler lykkedes (4 filer)" in out
    assert "101 2023: Fejl i kommuneparametrene:" in out and "'aarsvaerk' skal være et positivt tal" in out
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir() if not p.name.startswith(".")) == ["151-ballerup", "825-laesoe"]
    assert sorted(p.name for p in (reports / "825-laesoe" / "2023").iterdir()) == [
        "udvalgsorientering.html", "udvalgsorientering.ipynb"]
    html = (reports / "825-laesoe" / "2023" / "udvalgsorientering.html").read_text(encoding="utf-8")
    assert "I 2023 er der afsluttet 0 sager med ændret tildeling" in html


def test_the_exploration_notebook_runs_and_its_interactive_charts_need_no_network(tmp_path):
    out = tmp_path / "udforskning.ipynb"
    koer_notebook(str(ROOT / "notebooks" / "udforskning.ipynb"), str(out),
                  parameters={"kommune": 151, "aar": 2023, "sager": str(BALLERUP), "db": "", "benchmark": "",
                              "data": ""},
                  cwd=str(ROOT / "notebooks"), kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    assert "Afprøvningen af et kriterium springes over: der er ikke angivet en registermappe" in out.read_text(encoding="utf-8")
    html_out = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if "text/html" in o.get("data", {}) and "vegaEmbed" in o["data"]["text/html"]]
    assert len(html_out) == 2
    for h in html_out:
        assert not re.search(r"<script[^>]+src=", h)       # vega, vega-lite and vega-embed are inlined


def test_every_report_notebook_has_a_typed_parameters_cell_with_help():
    faelles = {"kommune", "aar", "sager", "db", "benchmark"}
    for name, navne in (("aarsrapport", faelles), ("udvalgsorientering", faelles),
                        ("udforskning", faelles | {"data", "dato"}),
                        ("benchmark", {"kommune", "aar", "maaned", "benchmark", "db"})):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, name
        lines = [ln for ln in cells[0].source.splitlines() if ln and not ln.startswith("#")]
        assert {ln.split(":")[0] for ln in lines} == navne, name
        # papermill reads 'name: type = value  # help'; an '=' in the help would break its parser
        assert all(re.match(r"\w+: (int|str) = [^=#]+  # [^=]+$", ln) for ln in lines), name


BENCHMARK = """kommunekode;maaned;ydelsesomraade;kontroltrin;udstillede;udtagne;oprettede;med_stop;med_krav;med_provenu;provenu;udloebne;ydelsesmodtagere
151;2023-06;kontanthjaelp;3;20;10;8;3;2;4;50000,00;2;1000
101;2023-06;kontanthjaelp;3;100;50;25;6;6;10;200000,00;5;10000
"""


def test_with_a_benchmark_file_the_report_shows_the_funnel_and_the_position(tmp_path):
    bm = tmp_path / "benchmark.csv"
    bm.write_text(BENCHMARK, encoding="utf-8")
    ud = tmp_path / "reports"
    r = lav_rapporter(Bestilling(kommune=151, aar=2023, sager=str(BALLERUP), benchmark=str(bm), ud=ud, pdf=False))
    assert r.ok, r.fejl
    html = (ud / "151-ballerup" / "2023" / "aarsrapport.html").read_text(encoding="utf-8")
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", html))
    # issue 14: STAR's window figures stay in the benchmark section (labelled); no own funnel from the file
    assert "|Udtaget til visitering|" not in cells
    assert "Tragten fra udstillet sag til provenu kan ikke følges for Ballerup Kommune i 2023" in html
    assert "s benchmarking af de registerbaserede kontrolsager, 12 måneder til december 2023" in html
    # Country: 60 of 120 taken; 33 of 60 created = 55,0 %; 14 of 33 with provenu = 0,4242 → 42,4 %;
    # provenu per created case 250.000 / 33 = 7.575,76 → 7.576 kr.
    assert "|Hele landet||120||50,0 %||55,0 %||42,4 %||7.576 kr.|" in cells
    assert "Ballerup Kommune ligger nr. 1 af 2 kommuner på andelen af kontrolsager med provenu og nr. 1 på andelen" in html
    assert "Benchmarkingen er ikke tilgængelig" not in html
    assert len(_charts(html)) == 2          # the category development and the kanaler; no funnel chart
    briefing = (ud / "151-ballerup" / "2023" / "udvalgsorientering.html").read_text(encoding="utf-8")
    assert ("endte 50,0 % af Ballerup Kommunes oprettede kontrolsager med provenu mod 42,4 % på landsplan, "
            "og kommunen udtog 50,0 % af de udstillede sager til visitering mod 50,0 % på landsplan.") in briefing


def test_after_a_failed_report_the_warm_kernel_is_fresh_for_the_next(tmp_path):
    from kontrol_lib.rapporter.koersel import VarmKerne
    bad = tmp_path / "sager.csv"
    bad.write_text(BALLERUP.read_text(encoding="utf-8").replace("aendret_tildeling", "vundet", 1), encoding="utf-8")
    with VarmKerne() as k:
        r1 = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(bad),
                                      ud=tmp_path / "r", pdf=False), k)
        r2 = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(BALLERUP),
                                      ud=tmp_path / "r", pdf=False), k)
    assert not r1.ok and r2.ok
    assert (tmp_path / "r" / "151-ballerup" / "2023" / "udvalgsorientering.html").exists()


def test_the_exploration_notebook_tries_a_criterion_on_a_register_folder(tmp_path):
    """Issue 8: 'Prøv et nyt kontrolkriterium' counts how many the notebook's example criterion
    (voksne_paa_adressen, min_antal 3) would select: a YM living with spouse, child and 3 other
    adults is selected, one with 2 others is not."""
    from test_lister import samling
    v, _ = samling(3)
    v2, _ = samling(2)
    for k in v.t:
        v.t[k] += [dict(r, adresse_id="A2") if "adresse_id" in r else r for r in v2.t[k]]
    data = v.mappe(tmp_path)
    out = tmp_path / "udforskning.ipynb"
    koer_notebook(str(ROOT / "notebooks" / "udforskning.ipynb"), str(out),
                  parameters={"kommune": 151, "aar": 2023, "sager": str(BALLERUP), "db": "", "benchmark": "",
                              "data": str(data), "dato": "2024-05-15"},
                  cwd=str(ROOT / "notebooks"), kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    last = nb.cells[-1]
    html = "".join(o["data"]["text/html"] for o in last.outputs if "text/html" in o.get("data", {}))
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", html))
    assert "|0||Befolkning: personer med en aktiv sag på KLE" in cells and "udbetaling i seneste hele måned||2|" in cells
    assert "|1||Med en adresse på kørselsdatoen||2|" in cells
    assert "|2||Andre voksne på adressen (min_antal=3, undtag=aegtefaelle/barn, alder_fra=18)||1|" in cells
    assert "Listen ville udvælge 1 personer." in "".join(o.get("text", "") for o in last.outputs)
    # the section's outputs (the notebook's other cells inline Vega's JavaScript, whose constants
    # can look like a CPR number)
    assert _cpr_shaped(html + "".join(o.get("text", "") for o in last.outputs)) == []


def test_the_exploration_notebook_names_a_missing_register_folder_in_danish(tmp_path):
    out = tmp_path / "udforskning.ipynb"
    koer_notebook(str(ROOT / "notebooks" / "udforskning.ipynb"), str(out),
                  parameters={"kommune": 151, "aar": 2023, "sager": str(BALLERUP), "db": "", "benchmark": "",
                              "data": str(tmp_path / "ingen")},
                  cwd=str(ROOT / "notebooks"), kernel_name="python3")
    assert f"registermappen {tmp_path / 'ingen'} findes ikke" in out.read_text(encoding="utf-8")


def test_the_display_template_renders_tables_key_figures_notes_and_charts_escaped():
    """rapporter/templates/visning.html.j2: every macro renders the markup the reports have always
    had, with text (a municipality's own parameter texts, headings) escaped."""
    from decimal import Decimal

    import altair as alt
    import pandas as pd

    from kontrol_lib.rapporter import visning as vis
    df = pd.DataFrame([{"navn": "A & <b>", "kr": Decimal("1234567.5"), "andel": Decimal("0.1234"), "lille": True,
                        "egen": True},
                       {"navn": "I alt", "kr": None, "andel": None, "lille": False, "egen": False}])
    kolonner = [("navn", "Navn", "tekst"), ("kr", "Provenu <kr.>", "kr"), ("andel", "Andel", "andel")]
    assert vis.tabel_html(df, kolonner, titel="Titel & co", grupper=[("Gruppe", 3)], maerker={"kr": "lille"},
                          fremhaev="egen", note="Note", lang=True) == (
        '<div class="tabel lang"><div class="tabeltitel">Titel &amp; co</div><table class="tal"><thead>'
        '<tr class="gruppe"><th colspan="3">Gruppe</th></tr><tr><th class="tekst">Navn</th>'
        '<th class="tal">Provenu &lt;kr.&gt;</th><th class="tal">Andel</th></tr></thead><tbody>'
        '<tr class="egen"><td class="tekst">A &amp; &lt;b&gt;</td><td class="tal">1.234.568 kr.<sup class="lille">*</sup>'
        '</td><td class="tal">12,3 %</td></tr><tr class="sum"><td class="tekst">I alt</td><td class="tal">–</td>'
        f'<td class="tal">–</td></tr></tbody></table><p class="note">Note {vis.LILLE_NOTE}</p></div>')
    assert vis.noegletal([("Provenu", "1.234 kr."), ("<i>", "&")]).data == (
        '<div class="noegletal"><div><span class="vaerdi">1.234 kr.</span><span class="etiket">Provenu</span></div>'
        '<div><span class="vaerdi">&amp;</span><span class="etiket">&lt;i&gt;</span></div></div>')
    assert vis.mangler("Ingen data for <år> & kommune").data == (
        '<div class="mangler">Ingen data for &lt;år&gt; &amp; kommune</div>')
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    med = vis.graf(chart, 'Figur "1" & <2>').data
    assert med.startswith('<div class="figur"><img class="graf" alt="Figur &quot;1&quot; &amp; &lt;2&gt;" '
                          'src="data:image/svg+xml;base64,')
    assert med.endswith('"><div class="figurtekst">Figur &quot;1&quot; &amp; &lt;2&gt;</div></div>')
    uden = vis.graf(chart).data
    assert 'alt="Figur"' in uden and uden.endswith('"></div>') and "figurtekst" not in uden


def test_the_front_matter_and_notes_of_the_notebooks_come_from_the_template_escaped():
    """The notebooks' front matter (title, subtitle, a briefing's agenda facts from the
    municipality's parameter files) and notes are rendered by visning.html.j2, escaped."""
    from kontrol_lib.rapporter import visning as vis
    assert vis.forside("Årsrapport 2023", "Kontrolgruppen & Co · Social <Forvaltning> · Ballerup Kommune").data == (
        '<div class="forside"><h1>Årsrapport 2023</h1><div class="undertitel">Kontrolgruppen &amp; Co · '
        'Social &lt;Forvaltning&gt; · Ballerup Kommune</div></div>')
    assert vis.forside("Orientering om kontrolindsatsen 2023", oplysninger=[
        ("Udvalg", "Social- & Sundhedsudvalget"), ("Sagsnr.", "–")]).data == (
        '<div class="forside"><h1>Orientering om kontrolindsatsen 2023</h1></div><dl class="dagsorden">'
        '<dt>Udvalg</dt><dd>Social- &amp; Sundhedsudvalget</dd><dt>Sagsnr.</dt><dd>–</dd></dl>')
    assert vis.note(vis.LILLE_NOTE).data == f'<p class="note">{vis.LILLE_NOTE}</p>'
    for navn in ("aarsrapport", "benchmark", "udvalgsorientering"):
        kilde = (ROOT / "notebooks" / f"{navn}.ipynb").read_text(encoding="utf-8")
        assert "HTML(" not in kilde and "<div" not in kilde and "<p " not in kilde, navn


def test_the_yearly_bars_leave_a_category_without_provenu_out_of_the_chart_and_its_legend():
    """Issue 14: no padding in a figure either. 'Andre myndigheder' has 0 kr. in every year: not
    in the data, the legend's domain or its colours; the others keep the colour of their place."""
    from decimal import Decimal as D

    import pandas as pd

    from kontrol_lib.rapporter import visning as vis
    u = pd.DataFrame({"kategori": ["KL-ydelser", "KL-ydelser", "Andre myndigheder", "Andre myndigheder", "SU-sager",
                                   "SU-sager", "I alt", "I alt"],
                      "aar": [2022, 2023] * 4,
                      "provenu": [D("100.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00"), D("5.50"), D("100.00"),
                                  D("5.50")]})
    spec = vis.soejler_udvikling(u).to_dict()
    skala = spec["encoding"]["color"]["scale"]
    assert skala == {"domain": ["KL-ydelser", "SU-sager"], "range": [vis.FARVER[0], vis.FARVER[2]]}
    assert sorted({r["kategori"] for r in spec["datasets"][spec["data"]["name"]]}) == ["KL-ydelser", "SU-sager"]
    # every category empty: the chart keeps them all rather than drawing nothing
    tom = u.assign(provenu=D("0.00"))
    assert vis.soejler_udvikling(tom).to_dict()["encoding"]["color"]["scale"]["domain"] == [
        "KL-ydelser", "Andre myndigheder", "SU-sager"]
