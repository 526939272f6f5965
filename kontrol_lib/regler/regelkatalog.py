"""The regelkatalog, generated from the rule objects (never written twice).

``regelkatalog()`` is a DataFrame (one row per rule, for notebooks and the bestillingsliste
filters); ``regelkatalog_html()`` a stand-alone page; ``regelkatalog_markdown()`` the body of
``docs/regler.md``. Parameters are shown with every dated value and its source; the product's
reading and interpretations cite the parameter values in force on the catalogue's date.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular.format import dato as dk_dato
from kontrol_lib.regler.nationale import REGLER
from kontrol_lib.regler.regel import vaerdi_tekst

KATALOG_KOLONNER = ["regel", "titel", "kontroltype", "register", "ym_kle", "aef_kle", "kilde_afsnit", "kilde",
                    "semantik", "fortolkning", "parametre"]


def parameter_tekst(navn: str, mappe=None) -> str:
    """'regler.b_indkomst_graense = 500,00 kr. fra 08-05-2018' (every dated value)."""
    p = parametre.alle(mappe)[navn]
    vals = "; ".join(f"{vaerdi_tekst(v)} fra {dk_dato(d)}" for d, v in p.vaerdier)
    return f"{navn} ({p.enhed}): {vals}"


def regelkatalog(dato: dt.date | None = None, mappe=None) -> pd.DataFrame:
    """One row per rule: id, Danish title, kontroltype, register, the KLE sets for YM and ÆF in
    force on ``dato`` (default today), the quoted source sentence, the product's reading, where
    the product had to interpret the source, and the parameters with all their dated values."""
    dato = dato or dt.date.today()
    rows = []
    for r in REGLER.values():
        rows.append({
            "regel": r.id, "titel": r.titel, "kontroltype": r.kontroltype, "register": r.register,
            "ym_kle": ", ".join(r.kle("YM", dato, mappe)) or "–",
            "aef_kle": ", ".join(r.kle("ÆF", dato, mappe)) or "–",
            "kilde_afsnit": r.kilde_afsnit, "kilde": r.kilde, "semantik": r.tekst("semantik", dato, mappe),
            "fortolkning": r.tekst("fortolkning", dato, mappe),
            "parametre": "\n".join(parameter_tekst(p, mappe) for p in r.parameternavne),
        })
    return pd.DataFrame(rows, columns=KATALOG_KOLONNER)


def regelkatalog_html(dato: dt.date | None = None, mappe=None) -> str:
    df = regelkatalog(dato, mappe)
    e = html.escape
    parts = ["<!DOCTYPE html>", "<html lang=\"da\"><head><meta charset=\"utf-8\">",
             "<title>Regelkatalog – registersamkøring for § 10-opfølgning</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "section{border-top:1px solid #ccc;padding:.5em 0}blockquote{color:#444;border-left:3px solid #bbb;"
             "margin:.5em 0;padding-left:1em}.fortolkning{background:#fff4d6;padding:.4em .8em;border-left:"
             "3px solid #e0a800}dt{font-weight:bold}code{background:#f4f4f4}</style></head><body>",
             "<h1>Regelkatalog: registersamkøring for § 10-opfølgning</h1>",
             "<p>Genereret fra regelobjekterne i <code>kontrol_lib/regler</code>. Kilde: Den Fælles "
             "Dataenhed, Kvikguide \"§ 10-opfølgning understøttet af registersamkøring\", \"Oversigt over "
             "dataopslag\" pr. 8. maj 2018. Steder, hvor produktet har måttet fortolke kilden, er markeret "
             "<span class=\"fortolkning\">Fortolkning</span>.</p>",
             "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th>regel</th>"
             "<th>titel</th><th>kontroltype</th><th>KLE for YM</th><th>KLE for ÆF</th></tr>"]
    for r in df.itertuples():
        parts.append(f"<tr><td><a href=\"#{e(r.regel)}\"><code>{e(r.regel)}</code></a></td><td>{e(r.titel)}</td>"
                     f"<td>{e(r.kontroltype)}</td><td>{e(r.ym_kle)}</td><td>{e(r.aef_kle)}</td></tr>")
    parts.append("</table>")
    for r in df.itertuples():
        parts += [f"<section id=\"{e(r.regel)}\"><h2>{e(r.titel)} <code>{e(r.regel)}</code></h2>",
                  f"<p>Register: {e(r.register)}. Kontroltype: <b>{e(r.kontroltype)}</b>. "
                  f"KLE for YM: {e(r.ym_kle)}. KLE for ÆF: {e(r.aef_kle)}.</p>",
                  f"<p>Kilde ({e(r.kilde_afsnit)}):</p><blockquote>{e(r.kilde)}</blockquote>",
                  f"<p><b>Produktets læsning:</b> {e(r.semantik)}</p>"]
        if r.fortolkning:
            parts.append(f"<p class=\"fortolkning\"><b>Fortolkning:</b> {e(r.fortolkning)}</p>")
        parts.append("<dl><dt>Parametre (med datoer de gælder fra)</dt>"
                     + "".join(f"<dd><code>{e(x)}</code></dd>" for x in r.parametre.split("\n")) + "</dl></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def regelkatalog_markdown(dato: dt.date | None = None, mappe=None) -> str:
    df = regelkatalog(dato, mappe)
    lines = ["| regel | titel | kontroltype | KLE for YM | KLE for ÆF |", "|---|---|---|---|---|"]
    for r in df.itertuples():
        lines.append(f"| [`{r.regel}`](#{r.regel}) | {r.titel} | {r.kontroltype} | {r.ym_kle} | {r.aef_kle} |")
    lines.append("")
    for r in df.itertuples():
        lines += [f"### {r.titel} (`{r.regel}`) {{#{r.regel}}}", "",
                  f"Register: {r.register}. Kontroltype: **{r.kontroltype}**. KLE for YM: {r.ym_kle}. "
                  f"KLE for ÆF: {r.aef_kle}.", "", f"Kilde ({r.kilde_afsnit}):", "", f"> {r.kilde}", "",
                  f"**Produktets læsning:** {r.semantik}", ""]
        if r.fortolkning:
            lines += [f"**⚠ Fortolkning:** {r.fortolkning}", ""]
        lines += ["Parametre:", ""] + [f"- `{x}`" for x in r.parametre.split("\n")] + [""]
    return "\n".join(lines)
