"""How report figures are shown: tables, key figures, charts and notes as notebook outputs.

Formatting only (Danish numbers via :mod:`kontrol_lib.format`); no figure is computed here.
Charts are altair specifications rendered to SVG by vl-convert with the Danish number locale
(``1.234.567``), embedded as an image: they draw with no network and no JavaScript, in the
browser, in JupyterLab and in WeasyPrint's PDF. :func:`interaktiv` is for the analyst's notebook:
an altair chart with the Vega JavaScript inlined (works offline in JupyterLab and in HTML).
"""

from __future__ import annotations

import base64
import html as _html
from decimal import Decimal

import altair as alt
import pandas as pd
from IPython.display import HTML, Markdown

from ..format import kr, procent, tal

FARVER = ["#00506e", "#5b9bb4", "#a7c7d6", "#d9822b", "#8c6bb1", "#7a7a7a", "#c8102e"]
_DA = "da-DK"


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
    return _html.escape(str(v))


_MAERKE = '<sup class="lille">*</sup>'
LILLE_NOTE = "* Opgjort på færre end 5 sager: tallet kan skyldes enkelte sager og bør ikke tillægges vægt."


def tabel_html(df: pd.DataFrame, kolonner: list[tuple[str, str, str]], titel: str | None = None,
               sum_raekker: tuple[str, ...] = ("I alt",), note: str | None = None,
               grupper: list[tuple[str, int]] | None = None, maerker: dict[str, str] | None = None) -> str:
    """A report table. ``kolonner``: (column, header, format) with format one of tekst, antal,
    kr, beloeb, andel, decimal1. Rows whose first column is in ``sum_raekker`` are total rows.
    ``grupper``: an optional header row above, (label, number of columns spanned).
    ``maerker``: {column: boolean column}: a cell gets the small-number mark * where it is true
    (and the table the explaining note)."""
    if maerker and any(bool(v) for b in maerker.values() for v in df[b]):
        note = (note + " " if note else "") + LILLE_NOTE
    first = kolonner[0][0]
    bred = " bred" if len(kolonner) > 5 else ""
    out = ['<div class="tabel">']
    if titel:
        out.append(f'<div class="tabeltitel">{_html.escape(titel)}</div>')
    out.append(f'<table class="tal{bred}">')
    out.append("<thead>")
    if grupper:
        out.append('<tr class="gruppe">' + "".join(
            f'<th colspan="{n}">{_html.escape(h)}</th>' for h, n in grupper) + "</tr>")
    out.append("<tr>" + "".join(
        f'<th class="{"tekst" if fmt == "tekst" else "tal"}">{_html.escape(h)}</th>' for _, h, fmt in kolonner)
        + "</tr></thead><tbody>")
    for rec in df.to_dict("records"):
        cls = ' class="sum"' if str(rec.get(first)) in sum_raekker else ""
        out.append(f"<tr{cls}>" + "".join(
            f'<td class="{"tekst" if fmt == "tekst" else "tal"}">{_celle(rec.get(c), fmt)}'
            f'{_MAERKE if maerker and maerker.get(c) and rec.get(maerker[c]) else ""}</td>'
            for c, _, fmt in kolonner) + "</tr>")
    out.append("</tbody></table>")
    if note:
        out.append(f'<p class="note">{_html.escape(note)}</p>')
    out.append("</div>")
    return "".join(out)


def tabel(df, kolonner, titel=None, sum_raekker=("I alt",), note=None, grupper=None, maerker=None) -> HTML:
    return HTML(tabel_html(df, kolonner, titel, sum_raekker, note, grupper, maerker))


def noegletal(tal_: list[tuple[str, str]]) -> HTML:
    """Key figures in boxes: (label, already formatted value)."""
    return HTML('<div class="noegletal">' + "".join(
        f'<div><span class="vaerdi">{_html.escape(v)}</span><span class="etiket">{_html.escape(e)}</span></div>'
        for e, v in tal_) + "</div>")


def mangler(tekst: str) -> HTML:
    """A visible note that a section's data is not available (instead of invented numbers)."""
    return HTML(f'<div class="mangler">{_html.escape(tekst)}</div>')


def tekst(markdown: str) -> Markdown:
    """Report prose (Markdown). An amount ending a sentence keeps one full stop ('kr.' not 'kr..')."""
    return Markdown(markdown.replace("kr..", "kr."))


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text, numbers in Danish format, rendered locally by vl-convert."""
    import vl_convert as vlc
    return vlc.vegalite_to_svg(chart.to_dict(), format_locale=_DA, time_format_locale=_DA)


def graf(chart: alt.TopLevelMixin, figurtekst: str | None = None) -> HTML:
    """A chart for a report: an SVG image (base64), with an optional caption."""
    data = base64.b64encode(svg(chart).encode("utf-8")).decode("ascii")
    alt_tekst = _html.escape(figurtekst or "Figur")
    cap = f'<div class="figurtekst">{_html.escape(figurtekst)}</div>' if figurtekst else ""
    return HTML(f'<div class="figur"><img class="graf" alt="{alt_tekst}" src="data:image/svg+xml;base64,{data}">{cap}</div>')


def interaktiv(chart: alt.TopLevelMixin):
    """An interactive chart for JupyterLab and HTML, with the Vega JavaScript inlined (offline).
    JupyterLab's own Vega renderer does not know Vega-Lite 6, and altair's default loads from a
    CDN; the inline HTML renderer does neither."""
    from IPython.display import HTML as _H
    alt.renderers.enable("html", template="inline")
    bundle = alt.renderers.get()(chart.to_dict())
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return _H(data["text/html"])


# --------------------------------------------------------------------------- chart builders
def _float_kr(v) -> float:
    """Chart coordinates only (never a shown sum): kroner as float for the axis scale."""
    return float(v) if isinstance(v, Decimal) else float(v or 0)


def soejler_udvikling(udvikling: pd.DataFrame, titel: str = "") -> alt.Chart:
    """Stacked bars: provenu per category and year (from provenu.udvikling, 'I alt' left out)."""
    u = udvikling[udvikling["kategori"] != "I alt"]
    d = pd.DataFrame({"kategori": list(u["kategori"]), "kr": [_float_kr(v) for v in u["provenu"]],
                      "år": [str(a) for a in u["aar"]]})
    orden = list(dict.fromkeys(d["kategori"]))
    return alt.Chart(d, title=titel or alt.Undefined, width=440, height=220).mark_bar().encode(
        x=alt.X("år:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(kr):Q", title="Provenu (kr.)", axis=alt.Axis(format=",.0f")),
        color=alt.Color("kategori:N", title=None, sort=orden, scale=alt.Scale(domain=orden, range=FARVER),
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
        x=alt.X("v:Q", title=akse or None, axis=alt.Axis(format=fmt)),
    ) + alt.Chart(d).mark_text(align="left", dx=3, fontSize=10).encode(
        y=alt.Y("kat:N", sort=None), x="v:Q", text=alt.Text("v:Q", format=fmt))


def tragt_graf(tragt_df: pd.DataFrame) -> alt.Chart:
    """The registersamkøring funnel as horizontal bars (counts)."""
    return soejler_vandret(tragt_df, "trin", "antal", fmt=",.0f", akse="Antal sager")
