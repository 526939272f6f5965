"""Reports a manager forwards as they are (issue 14): clean pages and one story.

One module-scoped world, made by the national simulation for three municipalities of different
size (København, Ballerup, Læsø) over the 13 months to December 2023: a case store whose log has
every exposure, and the benchmark file counted from that log. From it, for each municipality,
the annual report, the committee briefing and the benchmark report are made as PDF and read:

- **pages** (:func:`sideproblemer`): every page is rendered to PNG (pdftoppm) and laid beside its
  text boxes (``pdftotext -bbox``). A page other than the last fails when more than 35 % of its
  text area is empty below the last ink, or when its last line of text is a heading (an ``h1``–
  ``h4`` or a table title of the report's HTML) with no ink under it: a heading at the foot of
  the page whose content starts overleaf. Both are measured, not guessed from the HTML, so a CSS
  rule that WeasyPrint ignores is caught.
- **one story**: the counts about the same cases agree across sections and reports (the same
  closed cases per category, kanal and kontroltrin; the briefing's totals; the own funnel's
  exposed cases equal to the benchmark's udstillede of the same year; no own share above 100 %);
  and a kontrolsager file imported into a store gives the same tables as the file itself.
"""

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.simulering import simuler
from kontrol_lib.maal import benchmark as bm
from kontrol_lib.maal.provenu import I_ALT, KORREKTIONER
from kontrol_lib.rapporter import benchmarkrapport as br
from kontrol_lib.rapporter import indhold as ind
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.kontrolsagsfil import indlaes

KOMMUNER = {101: "101-koebenhavn", 151: "151-ballerup", 825: "825-laesoe"}
AAR = 2023
PERSON = "lis"
TOM_GRAENSE = 0.35
# A4 in points and the report's top and bottom page margins (rapport.css: 22 mm each)
SIDE_HOEJDE, MARGIN = 841.89, 22 / 25.4 * 72


@pytest.fixture(scope="module")
def verden(tmp_path_factory):
    ud = tmp_path_factory.mktemp("verden")
    r = simuler(f"{AAR - 1}-12", f"{AAR}-12", ud, kommuner=list(KOMMUNER), skala=0.005, seed=3,
                vis_fremdrift=False)
    (Path(r.mappe) / "kontrol.sqlite").chmod(0o600)       # it holds (synthetic) CPR numbers
    lager = SagsLager(r.db)
    lager.giv_roller(PERSON, ["administrator"], bruger=PERSON)
    lager.giv_roller(PERSON, ["leder"], bruger=PERSON)
    lager.luk()
    return r


@pytest.fixture(scope="module")
def rapporter(verden, tmp_path_factory):
    ud = tmp_path_factory.mktemp("rapporter")
    mp = pytest.MonkeyPatch()
    mp.setenv("KONTROL_TESTIDENTITET", PERSON)
    try:
        for kode in KOMMUNER:
            assert main(["rapport", "--kommune", str(kode), "--aar", str(AAR), "--type", "alle", "--db", verden.db,
                         "--benchmark", str(verden.benchmark), "--ud", str(ud)]) == 0
    finally:
        mp.undo()
    return ud


# --------------------------------------------------------------------------- reading a page
def overskrifter(html: str) -> set[str]:
    """The headings of a report's HTML: h1–h4 and the table titles, as plain text."""
    fund = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)
    fund += re.findall(r'<div class="tabeltitel">(.*?)</div>', html, re.S)
    return {_normaliser(re.sub(r"<[^>]+>", "", f)) for f in fund}


def _normaliser(tekst: str) -> str:
    tekst = tekst.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"').replace("¶", "")
    return " ".join(tekst.split())


def tekstlinjer(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """Per page (1-based) the lines of text inside the text area: (top, bottom, text) in points,
    from ``pdftotext -bbox-layout`` (the running head and foot in the margins left out)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    sider: dict[int, list[tuple[float, float, str]]] = {}
    for nr, side in enumerate(re.findall(r"<page[^>]*>(.*?)</page>", xml, re.S), start=1):
        linjer = []
        for top, bund, indhold in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                                             r"(.*?)</line>", side, re.S):
            ord_ = " ".join(re.findall(r">([^<]*)</word>", indhold))
            t, b = float(top), float(bund)
            if t >= MARGIN - 2 and b <= SIDE_HOEJDE - MARGIN + 2:
                linjer.append((t, b, _normaliser(ord_)))
        sider[nr] = sorted(linjer)
    return sider


def laveste_blaek(png: Path) -> float | None:
    """The lowest row with ink inside the text area, in points from the top (None: no ink)."""
    billede = Image.open(png).convert("L")
    b, h = billede.size
    skala = h / SIDE_HOEJDE
    top, bund = int(MARGIN * skala), int((SIDE_HOEJDE - MARGIN) * skala)
    px = billede.load()
    for y in range(bund - 1, top - 1, -1):
        if any(px[x, y] < 235 for x in range(b)):
            return y / skala
    return None


def sideproblemer(pdf: Path, html: str, mappe: Path) -> list[str]:
    """What is wrong with the pages of ``pdf`` (empty: nothing), in Danish, page by page."""
    stem = mappe / pdf.stem
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(stem)], check=True)
    billeder = sorted(mappe.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    linjer, kendte = tekstlinjer(pdf), overskrifter(html)
    hoejde = SIDE_HOEJDE - 2 * MARGIN
    fejl = []
    for nr, png in enumerate(billeder[:-1], start=1):       # the last page may be as short as it is
        blaek = laveste_blaek(png)
        tom = 1.0 if blaek is None else (SIDE_HOEJDE - MARGIN - blaek) / hoejde
        if tom > TOM_GRAENSE:
            fejl.append(f"{pdf.name} side {nr}: {round(tom * 100)} % tom")
        if linjer[nr]:
            top, bund, sidste = linjer[nr][-1]
            if sidste in kendte and (blaek is None or blaek <= bund + 3):
                fejl.append(f"{pdf.name} side {nr} slutter med overskriften {sidste!r}")
    return fejl


def test_the_page_check_finds_a_heading_at_the_foot_and_a_half_empty_page(tmp_path):
    """The check itself, on a PDF made to fail: page 1 ends with a heading whose text is overleaf,
    page 2 is nearly empty, page 3 is the last (its emptiness is allowed)."""
    from weasyprint import HTML
    fyld = "".join(f"<p>Linje {i} med tekst.</p>" for i in range(38))
    html = (f'<html><body style="font-size:10pt"><style>@page {{size: A4; margin: 22mm}} p {{margin:0 0 2mm}}</style>'
            f'{fyld}<h2 style="margin:0">Overskriften</h2><div style="break-before: page">Kort.</div>'
            f'<div style="break-before: page">Sidste side.</div></body></html>')
    pdf = tmp_path / "proeve.pdf"
    HTML(string=html).write_pdf(pdf)
    assert sideproblemer(pdf, html, tmp_path) == ["proeve.pdf side 1 slutter med overskriften 'Overskriften'",
                                                  "proeve.pdf side 2: 99 % tom"]


@pytest.mark.parametrize("kode", list(KOMMUNER))
def test_no_page_but_the_last_is_more_than_a_third_empty_or_ends_with_a_heading(rapporter, kode, tmp_path):
    mappe = rapporter / KOMMUNER[kode] / str(AAR)
    fejl = []
    for navn in ("aarsrapport", "udvalgsorientering", "benchmark"):
        html = (mappe / f"{navn}.html").read_text(encoding="utf-8")
        fejl += sideproblemer(mappe / f"{navn}.pdf", html, tmp_path)
    assert fejl == []


# --------------------------------------------------------------------------- one story
def _i_alt(df: pd.DataFrame, kolonne: str, noegle: str):
    return df.loc[df[noegle] == I_ALT, kolonne].iloc[0]


@pytest.fixture(scope="module")
def tal(verden):
    mp = pytest.MonkeyPatch()
    mp.setenv("KONTROL_TESTIDENTITET", PERSON)
    try:
        return {k: (ind.rapport(k, AAR, db=verden.db, benchmark=str(verden.benchmark)),
                    br.benchmark_rapport(k, AAR, str(verden.benchmark), db=verden.db)) for k in KOMMUNER}
    finally:
        mp.undo()


@pytest.mark.parametrize("kode", list(KOMMUNER))
def test_every_count_about_the_same_closed_cases_agrees_across_sections_and_reports(tal, kode):
    r, _ = tal[kode]
    lukkede = int(_i_alt(r.kanaler, "afsluttede", "tekst"))
    assert lukkede == int(_i_alt(r.kontroltrin, "afsluttede", "kontroltrin"))
    assert int(_i_alt(r.kategorier, "antal_sager", "kategori")) == r.antal_sager == \
        int(_i_alt(r.kontroltrin, "med_aendring", "kontroltrin"))
    # the briefing's table, the five-year table's last year and the category table: one total
    udvalg = ind.udvalg_tabel(r)
    assert int(_i_alt(udvalg, "sager", "kategori")) == r.antal_sager
    assert _i_alt(udvalg, "provenu", "kategori") == r.provenu_i_alt == _i_alt(r.udvikling_bred, str(AAR), "kategori")
    # the rows behind the figures are the same cases
    assert ind.sager_bag(r.kilde, aar=AAR)["sag_id"].nunique() == lukkede


@pytest.mark.parametrize("kode", list(KOMMUNER))
def test_the_own_funnel_is_a_cohort_whose_exposed_cases_are_the_benchmarks_udstillede(tal, kode):
    r, b = tal[kode]
    t = r.tragt
    assert t is not None and t.kilde == "sagslagerets log"
    # the cases first exposed in the year: the benchmark counts each exposure in its month
    egen = b.vindue.loc[b.vindue["kommunekode"] == bm.kode_tekst(kode)].iloc[0]
    assert t.udstillede == int(egen["udstillede"]) == int(r.benchmark.iloc[0]["udstillede"])
    # a cohort: every step a part of the step before, so no own share exceeds 100 %
    assert t.udstillede >= t.udtagne >= t.oprettede >= t.med_provenu
    assert t.udtagne + t.udloebne <= t.udstillede and t.aabne <= t.udstillede     # an expired case was never ordered
    andele = [a for a in ind.tragt_tabel(t)["andel"] if a is not None]
    assert all(Decimal(0) <= a <= Decimal(1) for a in andele)
    # the annual report's benchmark section and the benchmark report: the same window, the same row
    assert r.benchmark.iloc[0].to_dict() == b.sammenligning.iloc[0].to_dict()


def test_the_three_worlds_differ_in_size(tal):
    udstillede = [tal[k][0].tragt.udstillede for k in KOMMUNER]
    assert udstillede[0] > udstillede[1] > udstillede[2]


def test_an_imported_case_file_tells_the_same_story_as_the_file(tmp_path, monkeypatch):
    """Demo-like data: synthetic case history for Ballerup, reported from the file and from a store
    it was imported into. The tables agree; the store's funnel has no exposed case (the import
    format has no exposure date), so the report says which cases it covers instead of a funnel."""
    fil = tmp_path / "kontrolsager.csv"
    assert main(["synth-sager", "--kommune", "151", "--fra", "2019", "--til", "2024", "--aabne-til", "2024-05-15",
                 "--seed", "1", "--ud", str(fil)]) == 0
    db = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    monkeypatch.setenv("KONTROL_TESTIDENTITET", PERSON)
    lager = SagsLager(db)
    lager.giv_roller(PERSON, ["administrator"], bruger=PERSON)
    lager.giv_roller(PERSON, ["leder", "sagsbehandler"], bruger=PERSON)
    lager.luk()
    assert main(["importer-sager", "--sager", str(fil), "--db", db]) == 0
    fra_fil, fra_lager = ind.rapport(151, AAR, sager=str(fil)), ind.rapport(151, AAR, db=db)
    for navn in ("kategorier", "kategorier_forrige", "udvikling_bred", "ydelser", "paragraf11", "kanaler",
                 "kontroltrin"):
        a, b = getattr(fra_fil, navn), getattr(fra_lager, navn)
        noegle = "kategori" if "kategori" in b.columns else "ydelse" if "ydelse" in b.columns else None
        if noegle:        # the store has a corrections row (none here: all zero); the file has no such row
            korr = b[b[noegle] == KORREKTIONER]
            assert all(v == 0 for c in korr.columns[1:] for v in korr[c])
            b = b[b[noegle] != KORREKTIONER].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert fra_fil.tragt is None and fra_lager.tragt is None
    assert len(indlaes(fil)[0]) > 0 and fra_lager.antal_sager == fra_fil.antal_sager > 0
