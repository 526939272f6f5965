"""KL's effektmåling: the yearly export KL asks for (``spec/provenu.md``, "KL's effektmåling").

One row per closed (sag × ydelse) in the year, with Danish headers, in an Excel workbook (KL's
tool is a spreadsheet). Sheets:

* ``Effektmåling``: the rows, one per closed (sag × ydelse), sorted by afslutningsdato and sags-id;
* ``Opsummering``: number of rows and cases and the two money sums, so a reader can check the
  data sheet against the provenu tables;
* ``Forklaring``: every column of the data sheet, what it holds and where it comes from.

Money is written as exact numbers (two decimals, Danish number format in Excel). Amounts count
only on rows whose result is ``aendret_tildeling`` (the same rule as the provenu tables), so
"samlet tilbagebetalingskrav" and "samlet fremadrettet besparelse" here add up to the
tilbagebetalingskrav and fremadrettet besparelse of ``kategorier.csv`` for the same year.

Where the import format does not carry a KL field (sagstype, selvstændig erhvervsdrivende,
virksomhedskontrol udført), the optional columns of :mod:`kontrol_lib.sager.kontrolsagsfil` are used
when present; otherwise the cell says "Ikke oplyst" — the product never guesses a KL answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kontrol_lib.maal.provenu import NUL, raekker
from kontrol_lib.vokabular.celler import tekst_celler
from kontrol_lib.vokabular.koder import KANAL_TEKST, RESULTAT_TEKST, VIDERESENDT_TEKST, YDELSE_TEKST

IKKE_OPLYST = "Ikke oplyst"

# (header, explanation) in sheet order; the explanation sheet is generated from this list.
KOLONNER = (
    ("Sags-id", "Kontrolsagens id i kommunens sagsstyring (sporbarhed: hver række kan findes igen)."),
    ("Kommunekode", "Kommunen, der har sagen."),
    ("Afsluttet", "Dato, sagen første gang blev afsluttet; den bestemmer året."),
    ("Kontroltrin", "Kontroltrin 1, 2 eller 3."),
    ("Kanal", "Hvor sagen kom fra (anmeldelse, intern, registersamkøring, UDK, ...)."),
    ("Sagstype", "Sagstype til KL; fra kolonnen sagstype, ellers 'Ikke oplyst'."),
    ("Ydelsestype", "Ydelsen, rækken handler om (én række pr. sag og ydelse)."),
    ("Selvstændig erhvervsdrivende", "Ja/Nej fra kolonnen selvstaendig_erhvervsdrivende, ellers 'Ikke oplyst'."),
    ("Virksomhedskontrol udført", "Ja/Nej fra kolonnen virksomhedskontrol, ellers 'Ikke oplyst'."),
    ("Samlet tilbagebetalingskrav (kr.)",
     "Rejst tilbagebetalingskrav i kr. og øre. Kun ved resultatet 'Ændret tildeling'; ellers 0."),
    ("Samlet fremadrettet besparelse ved ydelsesstop (kr.)",
     "Stoppet/nedsat ydelse over KL's horisont på 12 måneder (pr. måned × 12, pr. uge × 52, pr. kvartal × 4, "
     "pr. år × 1 eller fast beløb), i kr. og øre. Kun ved 'Ændret tildeling'; ellers 0."),
    ("Videresendt til anden myndighed", "Myndigheden, sagen er sendt videre til, eller 'Nej'."),
    ("Politianmeldt", "Ja/Nej ('Ikke oplyst' hvis tomt)."),
    ("Status", "Sagens resultat for ydelsen: Henlagt i visitering, Henlagt efter partshøring, "
               "Ændret tildeling eller Udløbet."),
)
HEADERS = [h for h, _ in KOLONNER]
KRAV, BESPARELSE = HEADERS[9], HEADERS[10]


def _ja_nej(v) -> str:
    return {"ja": "Ja", "nej": "Nej"}.get(v, IKKE_OPLYST)


def raekker_til_kl(sager: pd.DataFrame, aar: int, kommune: int | None = None) -> pd.DataFrame:
    """The effektmåling rows as a DataFrame with the Danish headers of :data:`KOLONNER`
    (amounts as Decimal)."""
    rows = raekker(sager, kommune)
    year = rows[rows["aar"] == aar].sort_values(["afsluttet", "sag_id", "ydelse"], kind="stable")
    out = []
    for r in year.to_dict("records"):
        out.append([
            r["sag_id"], int(r["kommunekode"]), r["afsluttet"], int(r["kontroltrin"]),
            KANAL_TEKST[r["kanal"]], r["sagstype"] or IKKE_OPLYST, YDELSE_TEKST[r["ydelse"]],
            _ja_nej(r["selvstaendig_erhvervsdrivende"]), _ja_nej(r["virksomhedskontrol"]),
            r["tilbagebetalingskrav"], r["fremadrettet_besparelse"],
            VIDERESENDT_TEKST.get(r["videresendt_til"], "Nej") if r["videresendt_til"] else "Nej",
            _ja_nej(r["politianmeldt"]), RESULTAT_TEKST[r["resultat"]],
        ])
    return pd.DataFrame(out, columns=HEADERS)


def skriv(sager: pd.DataFrame, aar: int, ud: str | Path, kommune: int | None = None) -> dict:
    """Write the workbook to ``ud`` (.xlsx). Returns the summary written on ``Opsummering``:
    antal_raekker, antal_sager, tilbagebetalingskrav, fremadrettet_besparelse (Decimal)."""
    import openpyxl  # lazy: only this path needs openpyxl
    from openpyxl.styles import Alignment, Font  # lazy: only this path needs openpyxl

    df = raekker_til_kl(sager, aar, kommune)
    summary = {"antal_raekker": len(df), "antal_sager": int(df["Sags-id"].nunique()),
               "tilbagebetalingskrav": sum(df[KRAV], NUL), "fremadrettet_besparelse": sum(df[BESPARELSE], NUL)}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Effektmåling"
    ws.append(HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    money = (HEADERS.index(KRAV) + 1, HEADERS.index(BESPARELSE) + 1)
    for rec in df.itertuples(index=False):
        ws.append(list(rec))  # Decimal is written exactly (openpyxl keeps its text)
    for row in ws.iter_rows(min_row=2):
        row[2].number_format = "DD-MM-YYYY"
        for col in money:
            row[col - 1].number_format = "#,##0.00"
    widths = (16, 12, 12, 11, 28, 14, 22, 14, 14, 18, 22, 22, 12, 24)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = w
    ws.freeze_panes = "A2"

    so = wb.create_sheet("Opsummering")
    so.append(["Opgørelse", "Værdi"])
    so.append(["År", aar])
    so.append(["Kommune", kommune if kommune is not None else "Alle i filen"])
    so.append(["Antal rækker (sag × ydelse)", summary["antal_raekker"]])
    so.append(["Antal sager", summary["antal_sager"]])
    so.append(["Samlet tilbagebetalingskrav (kr.)", summary["tilbagebetalingskrav"]])
    so.append(["Samlet fremadrettet besparelse ved ydelsesstop (kr.)", summary["fremadrettet_besparelse"]])
    so["B6"].number_format = so["B7"].number_format = "#,##0.00"
    so.column_dimensions["A"].width = 52
    so.column_dimensions["B"].width = 18
    for c in so[1]:
        c.font = Font(bold=True)

    sf = wb.create_sheet("Forklaring")
    sf.append(["Kolonne", "Forklaring"])
    for h, tekst in KOLONNER:
        sf.append([h, tekst])
    sf.append([])
    sf.append(["Om arket", f"Én række pr. afsluttet sag og ydelse med afslutningsdato i {aar}. Beløb er brutto "
                           "(før statsrefusion), som KL opgør dem. Danner grundlag for indberetningen i KL's "
                           "effektmålingsredskab."])
    for c in sf[1]:
        c.font = Font(bold=True)
    sf.column_dimensions["A"].width = 48
    sf.column_dimensions["B"].width = 110
    for row in sf.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    for ark in wb.worksheets:     # a case id such as =HYPERLINK(...) stays text, never a live formula
        tekst_celler(ark)
    ud = Path(ud)
    ud.parent.mkdir(parents=True, exist_ok=True)
    wb.save(ud)
    return summary
