"""Build small registers from Python rows (for tests, examples and notebooks).

``byg_registre({"ydelsessager": [{"cpr": ..., ...}], ...})`` loads the rows straight into an
in-memory DuckDB connection as typed tables of the register contract and returns
:class:`~kontrol_lib.registre.Registre` ready for :func:`~kontrol_lib.regler.samkoer`: no file is
written and the loader's file checks are not run (the rows are the test's own). A table given,
even with no rows, is present; a table not given is absent (as a missing file), so "could not
run" stays apart from "no hit" exactly as for a data folder.

``skriv_mappe(mappe, tabeller)`` writes the same rows as one CSV per table (every contract column;
a column not given is left empty), for what must go through files: the CLI and the loader.

Values are read as the loader reads a cell: amounts as Danish or plain text ("1.250,01",
"500,00", "-200") or numbers, dates as ``datetime.date`` or ISO text, codes in lower case.
Texts (CPR, CVR, KLE, codes) must be given as text, so that no leading zero is ever lost.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from kontrol_lib.vokabular.format import celle
from kontrol_lib.registre import Registre
from kontrol_lib.registre.kontrakt import TABLES, Column
from kontrol_lib.regler.regel import sql_lit

# The SQL type of each column kind, as the loader types a parsed table.
SQL_TYPE = {"cpr": "VARCHAR", "cvr": "VARCHAR", "digits": "VARCHAR", "kle": "VARCHAR", "kommune": "INTEGER",
            "date": "DATE", "amount": "DECIMAL(18, 2)", "int": "BIGINT", "code": "VARCHAR", "text": "VARCHAR"}

# One in-memory database for every register built here; each build gets its own connection
# (a cursor: cheap, and its temp tables are its own).
_DATABASE = duckdb.connect(config={"threads": 1})   # small tables: one thread is fastest



def _beloeb(v, hvor: str) -> Decimal:
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return Decimal(v)
    s = str(v).replace(" ", "")
    if "," in s:                                # Danish: thousands point, decimal comma
        s = s.replace(".", "").replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"{hvor}: '{v}' er ikke et beløb") from None
    if d != d.quantize(Decimal("0.01")):
        raise ValueError(f"{hvor}: '{v}' har mere end to decimaler")
    return d


def _vaerdi(c: Column, v, hvor: str):
    """A row's value for column ``c`` as the Python value the loader would have parsed."""
    if v is None or v == "":
        return None
    if c.kind == "amount":
        return _beloeb(v, hvor)
    if c.kind in ("int", "kommune"):
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            raise ValueError(f"{hvor}: '{v}' er ikke et heltal")
        return int(v)
    if c.kind == "date":
        return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
    if not isinstance(v, str):
        raise ValueError(f"{hvor}: '{v}' skal angives som tekst ({c.kind})")
    return v.lower() if c.kind == "code" else v


def byg_registre(tabeller: dict[str, list[dict]]) -> Registre:
    """The rows as loaded registers in memory (see the module docstring)."""
    con = _DATABASE.cursor()
    sql = []
    for navn, t in TABLES.items():
        kolonner = ", ".join(f"{c.name} {SQL_TYPE[c.kind]}" for c in t.columns)
        sql.append(f"CREATE TEMP TABLE {navn} ({kolonner})")     # an absent table is empty
        raekker = []
        for i, r in enumerate(tabeller.get(navn, ()), 1):
            ukendte = set(r) - set(t.column_names)
            if ukendte:
                raise KeyError(f"{navn}: ukendte kolonner {sorted(ukendte)}")
            raekker.append("(" + ", ".join(
                "NULL" if (x := _vaerdi(c, r.get(c.name), f"{navn} række {i}, {c.name}")) is None else sql_lit(x)
                for c in t.columns) + ")")
        if raekker:
            sql.append(f"INSERT INTO {navn} VALUES {', '.join(raekker)}")
    con.execute(";\n".join(["BEGIN TRANSACTION"] + sql + ["COMMIT"]))      # one commit for all tables
    return Registre(Path("<hukommelse>"), con, {}, [n for n in TABLES if n not in tabeller], [])


def skriv_mappe(mappe: str | Path, tabeller: dict[str, list[dict]]) -> Path:
    mappe = Path(mappe)
    mappe.mkdir(parents=True, exist_ok=True)
    for navn, rows in tabeller.items():
        cols = TABLES[navn].column_names
        with (mappe / f"{navn}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(cols)
            for r in rows:
                extra = set(r) - set(cols)
                if extra:
                    raise KeyError(f"{navn}: ukendte kolonner {sorted(extra)}")
                w.writerow([celle(r.get(c)) for c in cols])
    return mappe
