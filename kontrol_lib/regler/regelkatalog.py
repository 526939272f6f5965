"""The regelkatalog, generated from the rule objects (never written twice).

``regelkatalog()`` is a DataFrame (one row per rule, for notebooks and the bestillingsliste
filters); ``regelkatalog_html()`` a stand-alone page
(``templates/regelkatalog.html.j2``); ``regelkatalog_markdown()`` the body of
``docs/regler.md``. Parameters are shown with every dated value and its source; the product's
reading and interpretations cite the parameter values in force on the catalogue's date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular.format import dato as dk_dato
from kontrol_lib.regler.nationale import REGLER
from kontrol_lib.regler.regel import vaerdi_tekst
from kontrol_lib.vokabular.html import render

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
    """The catalogue as a stand-alone HTML page (``templates/regelkatalog.html.j2``)."""
    df = regelkatalog(dato, mappe)
    regler = [dict(r, parametre=r["parametre"].split("\n")) for r in df.to_dict("records")]
    return render(__package__, "regelkatalog.html.j2", regler=regler)


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
