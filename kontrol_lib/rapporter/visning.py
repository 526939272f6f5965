"""How report figures are shown: tables, key figures, charts and notes as notebook outputs.

Formatting only (Danish numbers via :mod:`kontrol_lib.vokabular.format`); no figure is computed here.
Charts are altair specifications rendered to SVG by vl-convert with the Danish number locale
(``1.234.567``), embedded as an image: they draw with no network and no JavaScript, in the
browser, in JupyterLab and in WeasyPrint's PDF. :func:`interaktiv` is for the analyst's notebook:
an altair chart with the Vega JavaScript inlined (works offline in JupyterLab and in HTML).
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal

import altair as alt
import pandas as pd
from IPython.display import HTML, Markdown, display
from markdown_it import MarkdownIt
from markupsafe import Markup

from kontrol_lib.maal.benchmark import LILLE_GRAENSE
from kontrol_lib.vokabular.format import kr, procent, tal
from kontrol_lib.vokabular.html import makro

FARVER = ["#00506e", "#5b9bb4", "#a7c7d6", "#d9822b", "#8c6bb1", "#7a7a7a", "#c8102e"]
_DA = "da-DK"
# The markup of every table, key figure box, note and chart: macros of templates/visning.html.j2.
SKABELON = "visning.html.j2"


def _html(navn: str, **data) -> str:
    """The markup of the macro ``navn`` of :data:`SKABELON` (data in, autoescaped)."""
    return makro(__package__, SKABELON, navn, **data)


def _celle(v, fmt: str) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    if fmt == "kr":
        return kr(v)
    if fmt == "antal":
        return tal(v)
    if fmt == "beloeb":          # an amount without the unit (tables whose header says kr.)
        return tal(v)
    if fmt == "andel":
        return procent(v)
    if fmt == "decimal1":
        return tal(v, 1)
    return str(v)


LILLE_NOTE = (f"* Opgjort på færre end {LILLE_GRAENSE} sager: tallet kan skyldes enkelte sager og bør ikke "
              "tillægges vægt.")


def tabel_html(df: pd.DataFrame, kolonner: list[tuple[str, str, str]], titel: str | None = None,
               sum_raekker: tuple[str, ...] = ("I alt",), note: str | None = None,
               grupper: list[tuple[str, int]] | None = None, maerker: dict[str, str] | None = None,
               fremhaev: str | None = None, lang: bool = False) -> str:
    """A report table. ``kolonner``: (column, header, format) with format one of tekst, antal,
    kr, beloeb, andel, decimal1. Rows whose first column is in ``sum_raekker`` are total rows.
    ``grupper``: an optional header row above, (label, number of columns spanned).
    ``maerker``: {column: boolean column}: a cell gets the small-number mark * where it is true
    (and the table the explaining note). ``fremhaev``: a boolean column; rows where it is true
    are highlighted (the own municipality). ``lang``: a long table that may break across pages."""
    if maerker and any(bool(v) for b in maerker.values() for v in df[b]):
        note = (note + " " if note else "") + LILLE_NOTE
    first = kolonner[0][0]
    raekker = [{"sum": str(rec.get(first)) in sum_raekker, "egen": bool(fremhaev and rec.get(fremhaev)),
                "celler": [{"tekst": _celle(rec.get(c), fmt),
                            "maerke": bool(maerker and maerker.get(c) and rec.get(maerker[c]))}
                           for c, _, fmt in kolonner]}
               for rec in df.to_dict("records")]
    return _html("tabel", kolonner=[{"overskrift": h, "tekst": fmt == "tekst"} for _, h, fmt in kolonner],
                 raekker=raekker, titel=titel, note=note, grupper=grupper, lang=lang)


def tabel(df, kolonner, titel=None, sum_raekker=("I alt",), note=None, grupper=None, maerker=None,
          fremhaev=None, lang=False) -> HTML:
    return HTML(tabel_html(df, kolonner, titel, sum_raekker, note, grupper, maerker, fremhaev, lang))


def noegletal(tal_: list[tuple[str, str]]) -> HTML:
    """Key figures in boxes: (label, already formatted value)."""
    return HTML(_html("noegletal", tal=list(tal_)))


def mangler(tekst: str) -> HTML:
    """A visible note that a section's data is not available (instead of invented numbers)."""
    return HTML(_html("mangler", tekst=tekst))


def forside(titel: str, undertitel: str | None = None,
            oplysninger: list[tuple[str, str]] | None = None) -> HTML:
    """A report's front matter: the title, an optional subtitle and, for a committee briefing,
    the agenda facts as (label, text)."""
    return HTML(_html("forside", titel=titel, undertitel=undertitel, oplysninger=list(oplysninger or [])))


def note(tekst: str) -> HTML:
    """A small note in the report's note style (e.g. :data:`LILLE_NOTE` under key figures)."""
    return HTML(_html("note", tekst=tekst))


def tekst(markdown: str) -> Markdown:
    """Report prose (Markdown). An amount ending a sentence keeps one full stop ('kr.' not 'kr..')."""
    return Markdown(markdown.replace("kr..", "kr."))


# CommonMark with raw HTML switched off: a "<" in a municipality's text is printed, never markup.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": False})


def markdown_html(markdown: str) -> Markup:
    """Report prose (Markdown) as HTML by markdown-it-py; raw HTML in the text is escaped, and
    links are kept as text (a report has no URL)."""
    html = _MD.render(markdown.replace("kr..", "kr."))
    return Markup(html)


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text, numbers in Danish format, rendered locally by vl-convert."""
    import vl_convert as vlc  # lazy: only this path needs vl-convert
    spec = chart.to_dict()
    # Every report chart is measured in the report's font (see SKRIFT), so that labels are
    # neither clipped nor overlapping when WeasyPrint or a browser draws them.
    spec.setdefault("config", {}).setdefault("font", SKRIFT)
    return vlc.vegalite_to_svg(spec, format_locale=_DA, time_format_locale=_DA)


def graf(chart: alt.TopLevelMixin, figurtekst: str | None = None) -> HTML:
    """A chart for a report: an SVG image (base64), with an optional caption."""
    data = base64.b64encode(svg(chart).encode("utf-8")).decode("ascii")
    return HTML(_html("graf", svg_base64=data, figurtekst=figurtekst))


def interaktiv(chart: alt.TopLevelMixin):
    """An interactive chart for JupyterLab and HTML, with the Vega JavaScript inlined (offline).
    JupyterLab's own Vega renderer does not know Vega-Lite 6, and altair's default loads from a
    CDN; the inline HTML renderer does neither."""
    from IPython.display import HTML as _H  # lazy: only this path needs IPython
    alt.renderers.enable("html", template="inline", embed_options={"formatLocale": DA_FORMAT_LOCALE, "renderer": "svg"})
    bundle = alt.renderers.get()(chart.to_dict())
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return _H(egne_scopes(data["text/html"]))


# d3-format's Danish locale for Vega in the browser (vega-embed's formatLocale): 2.000.000 and 86,1 %
DA_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."],
                    "percent": "\u202f%"}
_SCRIPT = re.compile(r'(<script type="text/javascript">)(.*?)(</script>)', re.S)


def egne_scopes(html: str) -> str:
    """altair's inline template declares ``const spec`` (and the bundle its own top-level
    constants) in classic scripts, which share one global scope in a JupyterLab page: the second
    chart fails with "Identifier 'spec' has already been declared" and stays blank. Each script
    body is wrapped in its own function scope; the bundle still publishes ``window.vegaEmbed``."""
    return _SCRIPT.sub(lambda m: f"{m.group(1)}(function () {{\n{m.group(2)}\n}})();{m.group(3)}", html)


# --------------------------------------------------------------------------- chart builders
def _float_kr(v) -> float:
    """Chart coordinates only (never a shown sum): kroner as float for the axis scale."""
    return float(v) if isinstance(v, Decimal) else float(v or 0)


def soejler_udvikling(udvikling: pd.DataFrame, titel: str = "") -> alt.Chart:
    """Stacked bars: provenu per category and year (from provenu.udvikling, 'I alt' left out). A
    category with no provenu in any year shown is left out, also of the legend (issue 14: no
    padding; the table under it names such categories in one line); each category keeps its colour."""
    u = udvikling[udvikling["kategori"] != "I alt"]
    d = pd.DataFrame({"kategori": list(u["kategori"]), "kr": [_float_kr(v) for v in u["provenu"]],
                      "år": [str(a) for a in u["aar"]]})
    alle = list(dict.fromkeys(d["kategori"]))
    med_provenu = {k for k, v in zip(d["kategori"], d["kr"]) if v != 0}
    orden = [k for k in alle if k in med_provenu] or alle
    farver = [FARVER[alle.index(k) % len(FARVER)] for k in orden]
    d = d[d["kategori"].isin(orden)].reset_index(drop=True)
    return alt.Chart(d, title=titel or alt.Undefined, width=440, height=220).mark_bar().encode(
        x=alt.X("år:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(kr):Q", title="Provenu (kr.)", axis=alt.Axis(format=",.0f")),
        color=alt.Color("kategori:N", title=None, sort=orden, scale=alt.Scale(domain=orden, range=farver),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=220, columnPadding=18, symbolType="square")),
        order=alt.Order("orden:Q"),
    ).transform_calculate(orden=f"indexof({orden!r}, datum.kategori)")


def soejler_vandret(df: pd.DataFrame, kat: str, vaerdi: str, titel: str = "", fmt: str = ",.0f",
                    akse: str = "") -> alt.Chart:
    """Horizontal bars, one per row (e.g. provenu per category, hit rate per kanal)."""
    d = pd.DataFrame({"kat": list(df[kat]), "v": [_float_kr(v) for v in df[vaerdi]]})
    return alt.Chart(d, title=titel or alt.Undefined, width=380, height=max(60, 22 * len(d))).mark_bar(
        color=FARVER[0]).encode(
        y=alt.Y("kat:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        # tickMinStep 1: a count axis never repeats a tick ("0 1 1 2 2") when the counts are small
        x=alt.X("v:Q", title=akse or None, axis=alt.Axis(format=fmt, tickMinStep=1)),
    ) + alt.Chart(d).mark_text(align="left", dx=3, fontSize=10).encode(
        y=alt.Y("kat:N", sort=None), x="v:Q", text=alt.Text("v:Q", format=fmt))


def tragt_graf(tragt_df: pd.DataFrame) -> alt.Chart:
    """The registersamkøring funnel as horizontal bars (counts)."""
    return soejler_vandret(tragt_df, "trin", "antal", fmt=",.0f", akse="Antal sager")


# --------------------------------------------------------------------------- benchmark report charts
# The report's own font: vl-convert then measures labels with the font the reader's renderer
# (WeasyPrint, the browser) draws them in, so long labels are not clipped or overlapping.
SKRIFT = "DejaVu Sans"

def _float_andel(v) -> float | None:
    """Chart coordinates only: a share (Decimal) as a float, None stays None (no point drawn)."""
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else float(v)


def tragt_sammenligning_graf(tragt: pd.DataFrame, kommunenavn: str) -> alt.Chart:
    """Grouped horizontal bars: per funnel step (from benchmarkrapport.tragt_sammenligning), the
    share of the step before for the municipality, its two peer groups and the country."""
    serier = [("kommune", kommunenavn), ("region", "Øvrige kommuner i regionen"),
              ("stoerrelse", "Kommuner af samme størrelse"), ("landet", "Hele landet")]
    forste = tragt.iloc[0]["trin"]          # udstillet: the top of the funnel has no share
    d = pd.DataFrame([{"trin": r["trin"], "serie": navn, "andel": _float_andel(r[f"andel_{g}"])}
                      for r in tragt.to_dict("records") if r["trin"] != forste for g, navn in serier])
    orden = [n for _, n in serier]
    trin = list(dict.fromkeys(d["trin"]))
    return alt.Chart(d, width=360, height=alt.Step(11)).mark_bar().encode(
        y=alt.Y("serie:N", title=None, sort=orden, axis=None),
        x=alt.X("andel:Q", title="Andel af trinnet før", axis=alt.Axis(format=".0%")),
        color=alt.Color("serie:N", title=None, sort=orden, scale=alt.Scale(domain=orden, range=FARVER[:3] + [FARVER[3]]),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=260, symbolType="square")),
        row=alt.Row("trin:N", title=None, sort=trin, header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=180)),
    ).configure(font=SKRIFT)


def linjer_udvikling(lang: pd.DataFrame) -> alt.Chart:
    """Trend lines over the windows (from benchmarkrapport.udvikling_lang): one panel per
    measure, the municipality (solid) against the country (dashed); a window whose share rests
    on fewer than 5 cases is drawn as an open circle."""
    d = pd.DataFrame({"måned": list(lang["etiket"]), "maal": list(lang["maal"]), "serie": list(lang["serie"]),
                      "andel": [_float_andel(v) for v in lang["andel"]], "lille": [bool(x) for x in lang["lille"]]})
    serier = list(dict.fromkeys(d["serie"]))
    base = alt.Chart(d).encode(
        # Danish month labels ("dec. 2023"), level; labels that would overlap are left out
        x=alt.X("måned:O", title=None, sort=list(dict.fromkeys(d["måned"])),
                axis=alt.Axis(labelAngle=0, labelFontSize=8, labelOverlap=True)),
        y=alt.Y("andel:Q", title="Andel", axis=alt.Axis(format=".0%")),
        color=alt.Color("serie:N", title=None, sort=serier, scale=alt.Scale(domain=serier, range=[FARVER[0], FARVER[3]]),
                        legend=alt.Legend(orient="bottom")),
    )
    linje = base.mark_line(point=False).encode(
        strokeDash=alt.StrokeDash("serie:N", sort=serier, scale=alt.Scale(domain=serier, range=[[1, 0], [5, 3]]),
                                  legend=None))
    lille = base.transform_filter("datum.lille").mark_point(shape="circle", filled=False, size=40)
    return alt.layer(linje, lille, data=d).properties(width=420, height=75).facet(
        row=alt.Row("maal:N", title=None, sort=list(dict.fromkeys(d["maal"])),
                    header=alt.Header(labelAngle=0, labelOrient="top", labelAlign="left", labelAnchor="start",
                                      labelLimit=420, labelFontWeight="bold"))).configure(font=SKRIFT)


def punkter_andele(spredning: pd.DataFrame, kommunenavn: str) -> alt.Chart:
    """Scatter of andel_udtaget against andel_med_provenu per municipality (from
    benchmarkrapport.spredning); the own municipality highlighted and named, municipalities whose
    shares rest on fewer than 5 cases as open circles."""
    d = pd.DataFrame({"kommune": list(spredning["kommunenavn"]),
                      "udtaget": [_float_andel(v) for v in spredning["andel_udtaget"]],
                      "provenu": [_float_andel(v) for v in spredning["andel_med_provenu"]],
                      "gruppe": [kommunenavn if e else "Øvrige kommuner" for e in spredning["egen"]],
                      "lille": [bool(x) for x in spredning["lille"]]})
    orden = ["Øvrige kommuner", kommunenavn]
    x = alt.X("udtaget:Q", title="Andel udstillede sager udtaget til visitering", axis=alt.Axis(format=".0%"))
    y = alt.Y("provenu:Q", title="Andel kontrolsager med provenu", axis=alt.Axis(format=".0%"))
    farve = alt.Color("gruppe:N", title=None, sort=orden, scale=alt.Scale(domain=orden, range=["#9fb8c4", FARVER[6]]),
                      legend=alt.Legend(orient="bottom"))
    andre = alt.Chart(d).transform_filter(f"datum.gruppe != {kommunenavn!r}").mark_point(size=36).encode(
        x=x, y=y, color=farve, fill=alt.condition("datum.lille", alt.value("transparent"), alt.value("#9fb8c4")))
    egen = alt.Chart(d).transform_filter(f"datum.gruppe == {kommunenavn!r}")
    return alt.layer(andre, egen.mark_point(size=110, filled=True, shape="diamond").encode(x=x, y=y, color=farve),
                     egen.mark_text(align="left", dx=8, fontWeight="bold", fontSize=10).encode(x=x, y=y, text="kommune:N"),
                     data=d).properties(width=400, height=170).configure(font=SKRIFT)


# --------------------------------------------------------------------------- view-model sections
def bor_ned(bag: pd.DataFrame) -> alt.HConcatChart:
    """The analyst's drill-down (for :func:`interaktiv`): provenu per category, click one to see
    the ydelser behind it. ``bag``: kategori, ydelse, provenu (from visningsmodel.provenu_bag)."""
    d = pd.DataFrame({"kategori": list(bag["kategori"]), "ydelse": list(bag["ydelse"]),
                      "kr": [_float_kr(v) for v in bag["provenu"]]})
    valg = alt.selection_point(fields=["kategori"])
    kat = alt.Chart(d, width=300).mark_bar().encode(
        y=alt.Y("kategori:N", title=None), x=alt.X("sum(kr):Q", title="Provenu (kr.)"),
        color=alt.condition(valg, alt.value(FARVER[0]), alt.value("#ccc"))).add_params(valg)
    yd = alt.Chart(d, width=300).mark_bar(color=FARVER[3]).encode(
        y=alt.Y("ydelse:N", title=None), x=alt.X("sum(kr):Q", title="Provenu (kr.)")).transform_filter(valg)
    return kat | yd


# The charts a view-model section may name (visningsmodel.Figur.diagram).
DIAGRAMMER = {f.__name__: f for f in (soejler_udvikling, soejler_vandret, tragt_graf, tragt_sammenligning_graf,
                                      linjer_udvikling, punkter_andele)}


# How each part of a view-model section is shown, by the part's class in :mod:`.visningsmodel`
# (matched by name, so that this module does not import the view-model and everything it reads).
_VIS = {
    "Tekst": lambda d: tekst(d.markdown),
    "Tabel": lambda d: tabel(d.data, d.kolonner, d.titel, d.sum_raekker, d.note, d.grupper, d.maerker, d.fremhaev,
                             d.lang),
    "Figur": lambda d: graf(DIAGRAMMER[d.diagram](d.data, **d.argumenter), d.tekst),
    "Noegletal": lambda d: noegletal(list(d.tal)),
    "Mangler": lambda d: mangler(d.tekst),
    "Forside": lambda d: forside(d.titel, d.undertitel, d.dagsorden),
    "LilleNote": lambda d: note(LILLE_NOTE),
    "Raekker": lambda d: dansk_tabel(d.data),
}

# Danish headings for the analyst's rows (columns not named here: the name with spaces, capitalised)
KOLONNE_TEKST = {
    "sag_id": "Sag", "kommunekode": "Kommunekode", "kanal": "Kanal", "kontroltrin": "Kontroltrin",
    "ydelse": "Ydelse", "myndighed": "Myndighed", "paragraf11": "§ 11", "oprettet": "Oprettet",
    "afsluttet": "Afsluttet", "resultat": "Resultat", "kategori": "Kategori",
    "fremadrettet_besparelse": "Fremadrettet besparelse, kr.", "besparelse_beloeb": "Besparelsesbeløb, kr.",
    "besparelse_rytme": "Besparelsesrytme", "tilbagebetalingskrav": "Tilbagebetalingskrav, kr.",
    "efterregulering": "Efterregulering, kr.", "skat": "Skat, kr.", "provenu": "Provenu, kr.",
    "pseudonym": "Pseudonym", "regel": "Regel", "dato": "Dato", "status": "Status",
}


def _dansk_vaerdi(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, Decimal):
        return tal(v, 2)                      # exact øre, Danish decimal comma
    if isinstance(v, int):
        return tal(v)
    if isinstance(v, float):
        return tal(v, 2)
    return str(v)


def dansk_tabel(df: pd.DataFrame):
    """The analyst's rows as shown in JupyterLab: Danish headings (:data:`KOLONNE_TEKST`) and
    Danish numbers (1.234,50), no index; the frame itself keeps its exact values."""
    overskrifter = {c: KOLONNE_TEKST.get(c, str(c).replace("_", " ").capitalize()) for c in df.columns}
    return df.rename(columns=overskrifter).style.format(_dansk_vaerdi).hide(axis="index")


def _vis_del(d) -> None:
    slags = type(d).__name__
    if slags == "Udskrift":          # the analyst's plain lines: printed, in order with the outputs
        print(d.tekst)
    elif slags in _VIS:
        display(_VIS[slags](d))
    else:
        raise TypeError(f"Ukendt del af et afsnit: {d!r}")


# The parts a report section is made of, each as markup; they are shown together (see afsnit).
_MARKUP = {
    "Tekst": lambda d: markdown_html(d.markdown),
    "Tabel": lambda d: _VIS["Tabel"](d).data,
    "Figur": lambda d: graf(DIAGRAMMER[d.diagram](d.data, **d.argumenter), d.tekst).data,
    "Noegletal": lambda d: noegletal(list(d.tal)).data,
    "Mangler": lambda d: mangler(d.tekst).data,
    "Forside": lambda d: forside(d.titel, d.undertitel, d.dagsorden).data,
    "LilleNote": lambda d: note(LILLE_NOTE).data,
}


def afsnit(*afsnit_: list) -> None:
    """Show view-model sections (lists of parts from :mod:`.visningsmodel`) as notebook outputs, in
    order. The report parts of one section make ONE output (``<section class="afsnit">``), so a
    heading, its text and its table are siblings and the print rules of ``rapport.css`` can keep
    them together; the analyst's rows and lines are shown as they come, between such blocks."""
    for dele in afsnit_:
        stykker: list[Markup] = []
        for d in dele:
            slags = type(d).__name__
            if slags in _MARKUP:
                stykker.append(Markup(_MARKUP[slags](d)))
                continue
            if stykker:
                display(HTML(_html("afsnit", stykker=stykker)))
                stykker = []
            _vis_del(d)
        if stykker:
            display(HTML(_html("afsnit", stykker=stykker)))
