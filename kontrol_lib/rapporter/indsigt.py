"""A citizen's access to the log of look-ups (Datatilsynet's practice on access to log files):
the rows of :meth:`~kontrol_lib.sager.lager.SagsLager.indsigt` in Danish, as CSV or PDF.

Each row: date and time (Danish time), what was looked at, why (the purpose), and the unit that
looked (the municipality's control team, with the role); the caseworker's name only when asked
for (``med_navne``), since the practice gives the unit unless the person's name is needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kontrol_lib.vokabular.celler import csv_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.filer import aaben_privat
from kontrol_lib.vokabular.format import dato as fdato
from kontrol_lib.vokabular.html import render
from kontrol_lib.vokabular.koder import FORMAAL_TEKST, tekst
from kontrol_lib.vokabular.steder import kommunenavn
from kontrol_lib.vokabular.tid import lokal_tid

HVAD_TEKST = {
    "prioriteringsliste": "Prioriteringslisten (CPR-nummer og ydelse)",
    "feedbackliste": "Feedbacklisten (CPR-nummer og sagens status)",
    "kontrolark": "Kontrolarket (stamoplysninger, indkomst og udfald)",
    "soegning": "Søgning på CPR-nummer",
    "indsigt": "Udtræk af denne oversigt (tilsyn)",
}
ROLLE_ENHED = {
    "sagsbehandler": "sagsbehandler", "tilsyn": "tilsyn (databeskyttelsesrådgiver/revision)",
}


def tabel(rows: pd.DataFrame, med_navne: bool = False) -> pd.DataFrame:
    """The Danish table: Dato, Klokkeslæt, Hvad blev set, Formål, Enhed[, Medarbejder]."""
    ud = []
    for r in rows.itertuples(index=False):
        t = lokal_tid(r.tid)
        enhed = f"Kontrolgruppen, {kommunenavn(int(r.kommunekode))} kommune"
        if r.rolle:
            enhed += f" ({ROLLE_ENHED.get(r.rolle, r.rolle)})"
        raekke = {"Dato": fdato(t.date()), "Klokkeslæt": t.strftime("%H:%M"),
                  "Hvad blev set": HVAD_TEKST.get(r.hvad, tekst({}, r.hvad)),
                  "Formål": tekst(FORMAAL_TEKST, r.formaal) if r.formaal else "ikke registreret (før formål blev krævet)",
                  "Enhed": enhed, "Sag": r.sag_id}
        if med_navne:
            raekke["Medarbejder"] = r.bruger
        ud.append(raekke)
    kol = ["Dato", "Klokkeslæt", "Hvad blev set", "Formål", "Enhed", "Sag"] + (["Medarbejder"] if med_navne else [])
    return pd.DataFrame(ud, columns=kol)


def gem(rows: pd.DataFrame, sti: str | Path, med_navne: bool = False, dannet: dt.datetime | None = None) -> Path:
    """Write the table as ``.csv`` (UTF-8 with BOM, semicolons: opens in a Danish Excel) or
    ``.pdf`` (A4, offline), readable by the owner only."""
    sti = Path(sti)
    t = tabel(rows, med_navne)
    suffix = sti.suffix.lower()
    if suffix not in (".csv", ".pdf"):
        raise KontrolFejl(f"Indsigten kan gemmes som .csv eller .pdf, ikke '{sti.suffix}'")
    with aaben_privat(sti, "wb") as f:
        if suffix == ".csv":
            # text a spreadsheet could take for a formula (a case id such as =HYPERLINK(...)) is neutralised
            f.write(t.map(csv_tekst).to_csv(index=False, sep=";").encode("utf-8-sig"))
        else:
            from weasyprint import HTML  # lazy: only this path needs WeasyPrint
            html = render(__package__, "indsigt.html.j2", raekker=t.to_dict("records"), kolonner=list(t.columns),
                          dannet=(dannet or dt.datetime.now()).strftime("%d-%m-%Y %H:%M"))
            f.write(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
    return sti
