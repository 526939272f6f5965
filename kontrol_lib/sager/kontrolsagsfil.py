"""The case table ``kontrolsager.csv`` of ``spec/provenu.md``, declared once, and its reading.

One row per (sag, ydelse). Cases that did not go through the workflow (history, other systems)
are imported from this table; the case store hands its own cases back in the same columns
(``SagsLager.kontrolsager()``), so :mod:`kontrol_lib.maal.provenu` works on one shape only.

Reading (:func:`indlaes`) uses the register reader (:func:`kontrol_lib.registre.indlaes_fil`),
so every bad cell is reported with file, row, column and value, then adds the checks that span
rows (:func:`tjek`): all rows of one ``sag_id`` must agree on kommunekode, kanal, kontroltrin,
oprettet and afsluttet. Money on a row whose result is not ``aendret_tildeling`` is not an error
but a warning naming the row (the amounts count nowhere).

Three optional columns feed KL's effektmåling and are read when present (never required, the
spec's import format does not carry them): ``sagstype`` (text), ``selvstaendig_erhvervsdrivende``
and ``virksomhedskontrol`` (ja/nej).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kontrol_lib.registre.kontrakt import Column, RowCheck, Table
from kontrol_lib.vokabular.koder import (AENDRET, JA_NEJ, KANALER, MYNDIGHEDER, RESULTATER, RYTMER,
                                         VIDERESENDT, YDELSER)
from kontrol_lib.vokabular.penge import beloeb, er_tom
from kontrol_lib.vokabular.tid import som_dato
from kontrol_lib.registre import Fejl, RegisterFejl, indlaes_fil, mask_cpr
from kontrol_lib.vokabular.fejl import KontrolFejl

_CPR = re.compile(r"\d{6}-?\d{4}")


BELOEBSKOLONNER = ("besparelse_beloeb", "tilbagebetalingskrav", "efterregulering", "skat")
# All rows of one sag_id share these (spec/provenu.md, "Counting").
FAELLES = ("kommunekode", "kanal", "kontroltrin", "oprettet", "afsluttet")

_COLUMNS = (
    Column("sag_id", "text", "Sagens id (gentages, når sagen berører flere ydelser)"),
    Column("kommunekode", "kommune", "Kommunen, der har sagen"),
    Column("kanal", "code", "Hvor sagen kom fra: " + ", ".join(KANALER), domain=KANALER),
    Column("kontroltrin", "int", "Kontroltrin 1, 2 eller 3", domain=(1, 3)),
    Column("ydelse", "code", "Ydelsen: " + ", ".join(YDELSER), domain=YDELSER),
    Column("myndighed", "code", "Myndigheden for ydelsen: " + ", ".join(MYNDIGHEDER), domain=MYNDIGHEDER),
    Column("paragraf11", "code", "ja, hvis kommunen har oplyst en UDK-sag efter UDK-lovens § 11",
           domain=JA_NEJ),
    Column("oprettet", "date", "Sagens oprettelsesdato"),
    Column("afsluttet", "date", "Sagens afslutningsdato; tom = åben sag", optional=True),
    Column("resultat", "code", "Sagens udfald for ydelsen: " + ", ".join(RESULTATER), optional=True,
           domain=RESULTATER),
    Column("besparelse_rytme", "code", "Rytmen for den fremadrettede besparelse: " + ", ".join(RYTMER),
           optional=True, domain=RYTMER),
    Column("besparelse_beloeb", "amount", "Beløbet pr. rytme (eller det faste beløb)", optional=True,
           nonnegative=True),
    Column("tilbagebetalingskrav", "amount", "Rejst tilbagebetalingskrav i kr.", optional=True,
           nonnegative=True),
    Column("efterregulering", "amount", "Efterregulering i kr. (som i UDK's statusopgørelse)", optional=True),
    Column("skat", "amount", "Skat i kr. (som i UDK's statusopgørelse)", optional=True),
    Column("politianmeldt", "code", "ja/nej", optional=True, domain=JA_NEJ),
    Column("videresendt_til", "code", "Myndighed, sagen er sendt videre til: " + ", ".join(VIDERESENDT),
           optional=True, domain=VIDERESENDT),
)
_ROW_CHECKS = (
    RowCheck("afsluttet_efter_oprettet", "afsluttet IS NULL OR afsluttet >= oprettet", "afsluttet",
             "afslutningsdatoen ligger før oprettelsesdatoen"),
    RowCheck("resultat_kraever_afsluttet", "resultat IS NULL OR afsluttet IS NOT NULL", "afsluttet",
             "en sag med et resultat skal have en afslutningsdato"),
    RowCheck("afsluttet_kraever_resultat", "afsluttet IS NULL OR resultat IS NOT NULL", "resultat",
             "en afsluttet sag skal have et resultat"),
    RowCheck("rytme_kraever_beloeb", "besparelse_rytme IS NULL OR besparelse_beloeb IS NOT NULL",
             "besparelse_beloeb", "en besparelsesrytme kræver et besparelsesbeløb"),
    RowCheck("beloeb_kraever_rytme", "besparelse_beloeb IS NULL OR besparelse_beloeb = 0 "
             "OR besparelse_rytme IS NOT NULL", "besparelse_rytme",
             "et besparelsesbeløb kræver en rytme (maaned, uge, kvartal, aar eller fast)"),
)

TABLE = Table("kontrolsager", "Kontrolsager: én række pr. (sag, ydelse)", _COLUMNS,
              key=("sag_id", "ydelse"), row_checks=_ROW_CHECKS)

EKSTRA = (
    Column("sagstype", "text", "Sagstype til KL's effektmåling (valgfri kolonne)", optional=True),
    Column("selvstaendig_erhvervsdrivende", "code", "ja/nej (valgfri kolonne)", optional=True, domain=JA_NEJ),
    Column("virksomhedskontrol", "code", "ja, hvis der er udført virksomhedskontrol (valgfri kolonne)",
           optional=True, domain=JA_NEJ),
)
TABLE_UDVIDET = Table(TABLE.name, TABLE.description, _COLUMNS + EKSTRA, key=TABLE.key,
                      row_checks=_ROW_CHECKS)

KOLONNER = TABLE.column_names


def _header(path: Path) -> list[str]:
    if path.suffix == ".csv":
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
            line = f.readline()
        delim = ";" if line.count(";") >= line.count(",") else ","
        return [h.strip().strip('"').lower() for h in line.split(delim)]
    if path.suffix == ".xlsx":
        import openpyxl  # lazy: only this path needs openpyxl
        try:
            wb = openpyxl.load_workbook(path, read_only=True)
            row = next(wb.worksheets[0].iter_rows(values_only=True), ())
            wb.close()
        except Exception:  # noqa: BLE001 - the register reader reports the unreadable file
            return []
        return [str(h).strip().lower() for h in row if h is not None]
    return []


def indlaes(path: str | Path) -> tuple[pd.DataFrame, list[Fejl]]:
    """Read and validate ``kontrolsager.csv`` (or .xlsx/.parquet). Returns the parsed table
    (amounts as Decimal, dates as ``datetime.date``) and the warnings. Raises
    :class:`RegisterFejl` listing every bad row; nothing is half-read."""
    path = Path(path)
    header = _header(path) if path.exists() else []
    udvidet = any(c.name in header for c in EKSTRA)
    if udvidet:
        missing = [c.name for c in EKSTRA if c.name not in header]
        if missing:
            raise RegisterFejl([Fejl(path.name, 1, m, None, "kolonnen mangler (de valgfrie kolonner "
                                     "sagstype, selvstaendig_erhvervsdrivende og virksomhedskontrol "
                                     "skal enten alle med eller alle udelades)") for m in missing])
    df = indlaes_fil(path, TABLE_UDVIDET if udvidet else TABLE)
    df = normaliser(df)
    raekker = raekkenumre(path, len(df))
    fejl, advarsler = tjek(df, path.name, raekker)
    if fejl:
        raise RegisterFejl(fejl)
    return df, advarsler


def raekkenumre(path: Path, n: int) -> list[int]:
    """Each data row's number as the register reader counts it: in a spreadsheet the row as Excel
    shows it (empty rows are skipped but keep their numbers), in a CSV file header = row 1, in
    Parquet the data row from 1."""
    if path.suffix == ".xlsx":
        import openpyxl  # lazy: only this path needs openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        nrs = [i for i, r in enumerate(wb.worksheets[0].iter_rows(min_row=2, values_only=True), start=2)
               if r is not None and not all(x is None for x in r)]
        wb.close()
        if len(nrs) == n:
            return nrs
    first = 1 if path.suffix == ".parquet" else 2
    return list(range(first, first + n))


def tjek(df: pd.DataFrame, fil: str = "kontrolsager", raekker: list[int] | None = None
         ) -> tuple[list[Fejl], list[Fejl]]:
    """Checks across rows of a parsed kontrolsager table: (errors, warnings).

    ``raekker`` gives each row's number in the file (default: index + 2, as a spreadsheet)."""
    raekker = raekker if raekker is not None else [i + 2 for i in range(len(df))]
    fejl, advarsler = [], []
    cpr_agtige = set()
    for pos, sag in enumerate(df["sag_id"]):
        if _CPR.fullmatch(str(sag).strip()):
            cpr_agtige.add(str(sag))
            fejl.append(Fejl(fil, raekker[pos], "sag_id", mask_cpr(str(sag)),
                             "sags-id'et ligner et CPR-nummer; brug kontrolgruppens eget sagsnummer"))
    if cpr_agtige:
        return fejl, advarsler    # never repeat such an id in the messages below
    first: dict[str, int] = {}
    for pos, rec in enumerate(df.to_dict("records")):
        sag = str(rec["sag_id"])
        if sag not in first:
            first[sag] = pos
            continue
        ref = df.iloc[first[sag]]
        for col in FAELLES:
            a, b = rec[col], ref[col]
            if not (er_tom(a) and er_tom(b)) and (er_tom(a) or er_tom(b) or a != b):
                fejl.append(Fejl(fil, raekker[pos], col, "" if er_tom(a) else str(a),
                                 f"sag {sag} har værdien '{'' if er_tom(b) else b}' i række "
                                 f"{raekker[first[sag]]}; alle rækker for en sag skal have samme {col}"))
    for pos, rec in enumerate(df.to_dict("records")):
        if rec["resultat"] == AENDRET:
            continue
        for col in BELOEBSKOLONNER:
            v = rec[col]
            if not er_tom(v) and Decimal(v) != 0:
                hvad = "sagen er åben" if er_tom(rec["resultat"]) else f"resultatet er {rec['resultat']}"
                advarsler.append(Fejl(fil, raekker[pos], col, str(v),
                                      f"beløbet tæller ikke med, fordi {hvad} (kun aendret_tildeling "
                                      f"giver provenu)"))
    return fejl, advarsler


def normaliser(df: pd.DataFrame) -> pd.DataFrame:
    """One shape for every source (file, case store): amounts as Decimal (or None), dates as
    ``datetime.date`` (or None), codes as text, kommunekode and kontroltrin as int, and the
    optional effektmåling columns present (None where not given)."""
    missing = [c for c in KOLONNER if c not in df.columns]
    if missing:
        raise KontrolFejl("Kontrolsagerne mangler kolonnen " + ", ".join(missing))
    out = df.copy()
    for c in EKSTRA:
        if c.name not in out.columns:
            out[c.name] = None
    for col in BELOEBSKOLONNER:
        out[col] = pd.Series([beloeb(v) for v in out[col]], index=out.index, dtype=object)
    for col in ("oprettet", "afsluttet"):
        out[col] = pd.Series([som_dato(v) for v in out[col]], index=out.index, dtype=object)
    out["kommunekode"] = out["kommunekode"].astype("int64")
    out["kontroltrin"] = out["kontroltrin"].astype("int64")
    for col in ("sag_id", "kanal", "ydelse", "myndighed", "paragraf11", "resultat", "besparelse_rytme",
                "politianmeldt", "videresendt_til", "sagstype", "selvstaendig_erhvervsdrivende",
                "virksomhedskontrol"):
        out[col] = pd.Series([None if er_tom(v) else str(v) for v in out[col]], index=out.index, dtype=object)
    return out[KOLONNER + [c.name for c in EKSTRA]].reset_index(drop=True)


def skriv_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write a kontrolsager table in the import format (semicolon, amounts with a decimal point)."""
    df = normaliser(df)
    cols = KOLONNER + ([c.name for c in EKSTRA] if df[[c.name for c in EKSTRA]].notna().any().any() else [])
    out = df[cols].copy()
    for col in BELOEBSKOLONNER:
        out[col] = [("" if v is None else f"{v:.2f}") for v in out[col]]
    for col in ("oprettet", "afsluttet"):
        out[col] = [("" if v is None else v.isoformat()) for v in out[col]]
    out.to_csv(path, sep=";", index=False)
