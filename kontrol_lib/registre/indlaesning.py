"""Read and validate a data folder of register extracts (the contract of :mod:`contract`).

Every table is read as text first, then parsed column by column in DuckDB with the rules of
``spec/registre.md``. Every bad cell is collected (file, row, column, value, reason); nothing is
dropped or coerced. The parsed tables are DuckDB views (Parquet) or tables (CSV, Excel) on one
connection, which the samkøring queries directly; :meth:`Registre.df` hands any of them to pandas.

Row numbers: for CSV and Excel the row as a spreadsheet shows it (header = row 1, first data row
= row 2); for Parquet, the data row counted from 1.

Privacy: values from CPR columns are shown masked in every error (first six digits kept), so
an error report or an exception never carries a whole CPR number.
"""

from __future__ import annotations

import codecs
import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from kontrol_lib.registre.kontrakt import TABLES, Column, Table
from kontrol_lib.vokabular.steder import shipped_kommuner
import datetime as dt
from decimal import Decimal
import hashlib
import json
from kontrol_lib.registre.kontrakt import contract_markdown
from kontrol_lib.vokabular.fejl import KontrolFejl

FORMATS = (".csv", ".xlsx", ".parquet")


# --------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class Fejl:
    """One problem in the input: file, row, column, value and why (Danish)."""
    fil: str
    raekke: int | None
    kolonne: str | None
    vaerdi: str | None
    aarsag: str

    def tekst(self) -> str:
        parts = [self.fil]
        if self.raekke is not None:
            parts.append(f"række {self.raekke}")
        if self.kolonne:
            parts.append(f"kolonne {self.kolonne}")
        if self.vaerdi is not None:
            parts.append(f"værdi '{self.vaerdi}'")
        return ", ".join(parts) + f": {self.aarsag}"


class RegisterFejl(Exception):
    """Raised when a data folder breaks the contract; carries every problem found."""

    def __init__(self, fejl: list[Fejl]):
        self.fejl = list(fejl)
        super().__init__(self.tekst())

    def tekst(self) -> str:
        head = f"Registerudtrækket har {len(self.fejl)} fejl:"
        return "\n".join([head] + ["  " + f.tekst() for f in self.fejl])


def mask_cpr(value: str | None) -> str | None:
    """Keep at most the first six characters of a CPR value; mask the rest."""
    if value is None:
        return None
    v = str(value)
    return v[:6] + "*" * max(0, len(v) - 6)


# --------------------------------------------------------------------------- SQL per kind
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(values) -> str:
    return "(" + ", ".join(_lit(str(v)) for v in values) + ")"


def _cpr_century_sql(c: str) -> str:
    yy = f"TRY_CAST(substr({c}, 5, 2) AS INTEGER)"
    d7 = f"TRY_CAST(substr({c}, 7, 1) AS INTEGER)"
    return (f"(CASE WHEN {d7} <= 3 THEN 1900 "
            f"WHEN {d7} IN (4, 9) THEN CASE WHEN {yy} <= 36 THEN 2000 ELSE 1900 END "
            f"ELSE CASE WHEN {yy} <= 57 THEN 2000 ELSE 1800 END END) + {yy}")


def cpr_date_valid_sql(c: str) -> str:
    """SQL: the first six digits of a normalised 10-digit CPR column are a real date (with the
    century from the 7th digit). Written without ``try()``, which is slow at national scale."""
    d = f"TRY_CAST(substr({c}, 1, 2) AS INTEGER)"
    m = f"TRY_CAST(substr({c}, 3, 2) AS INTEGER)"
    last = f"day(last_day(make_date({_cpr_century_sql(c)}, greatest(1, least(12, {m})), 1)))"
    return f"({m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {last})"


def cpr_birthdate_sql(c: str) -> str:
    """SQL: the birth date encoded in a normalised 10-digit CPR column (NULL if impossible)."""
    return (f"CASE WHEN {cpr_date_valid_sql(c)} THEN make_date({_cpr_century_sql(c)}, "
            f"TRY_CAST(substr({c}, 3, 2) AS INTEGER), TRY_CAST(substr({c}, 1, 2) AS INTEGER)) END")


def _digits_sql(v: str, n: int) -> str:
    """SQL: ``v`` is exactly ``n`` digits (cheaper than a regular expression at national scale)."""
    return f"(length({v}) = {n} AND ltrim({v}, '0123456789') = '')"


@dataclass
class _ColumnSql:
    value: str                  # parsed value (typed), NULL when missing
    checks: list[tuple[str, str]] = field(default_factory=list)   # (bad-condition, reason)


def _column_sql(col: Column, src: str, src_type: str, kommuner: list[int]) -> _ColumnSql:
    """Parse expression and error conditions for one column. ``src`` is the raw column."""
    typed = src_type.upper()
    v = f"nullif(trim(CAST({src} AS VARCHAR)), '')"
    k = col.kind
    if k == "cpr":
        norm = f"CASE WHEN length({v}) = 11 AND substr({v}, 7, 1) = '-' THEN replace({v}, '-', '') ELSE {v} END"
        fmt_ok = _digits_sql(norm, 10)
        out = _ColumnSql(f"CASE WHEN {fmt_ok} THEN {norm} END")
        out.checks.append((f"{v} IS NOT NULL AND NOT {fmt_ok}", "ikke et CPR-nummer (10 cifre)"))
        out.checks.append((f"{v} IS NOT NULL AND {fmt_ok} AND NOT {cpr_date_valid_sql(norm)}",
                           "CPR-nummerets første seks cifre er ikke en gyldig dato"))
    elif k == "cvr":
        ok = _digits_sql(v, 8)
        out = _ColumnSql(f"CASE WHEN {ok} THEN {v} END")
        out.checks.append((f"{v} IS NOT NULL AND NOT {ok}", "ikke et CVR-nummer (8 cifre)"))
    elif k == "digits":
        ok = _digits_sql(v, col.digits)
        out = _ColumnSql(f"CASE WHEN {ok} THEN {v} END")
        out.checks.append((f"{v} IS NOT NULL AND NOT {ok}", f"skal være {col.digits} cifre"))
    elif k == "kle":
        ok = f"regexp_full_match({v}, '\\d{{2}}\\.\\d{{2}}\\.\\d{{2}}')"
        out = _ColumnSql(f"CASE WHEN {ok} THEN {v} END")
        out.checks.append((f"{v} IS NOT NULL AND NOT {ok}", "ikke et KLE-nummer (NN.NN.NN)"))
        if col.domain:
            out.checks.append((f"{v} IS NOT NULL AND {ok} AND {v} NOT IN {_in_list(col.domain)}",
                               "ukendt KLE-nummer"))
    elif k == "kommune":
        if typed.startswith(("INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER")):
            v = f"CAST({src} AS VARCHAR)"
        ok = f"regexp_full_match({v}, '\\d{{1,4}}')"
        val = f"CASE WHEN {ok} THEN CAST({v} AS INTEGER) END"
        out = _ColumnSql(val)
        out.checks.append((f"{v} IS NOT NULL AND NOT {ok}", "ikke en kommunekode (3 cifre)"))
        out.checks.append((f"{v} IS NOT NULL AND {ok} AND CAST({v} AS INTEGER) NOT IN "
                           f"({', '.join(str(x) for x in kommuner)})", "ukendt kommunekode"))
    elif k == "date":
        if typed in ("DATE",) or typed.startswith("TIMESTAMP"):
            out = _ColumnSql(f"CAST({src} AS DATE)")
        else:
            val = (f"CAST(coalesce(try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d-%m-%Y'), "
                   f"try_strptime({v}, '%d.%m.%Y')) AS DATE)")
            out = _ColumnSql(val)
            out.checks.append((f"{v} IS NOT NULL AND {val} IS NULL",
                               "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"))
    elif k == "amount":
        if typed.startswith("DECIMAL") or typed in ("INTEGER", "BIGINT", "SMALLINT", "HUGEINT"):
            val = f"CAST({src} AS DECIMAL(18, 2))"
            out = _ColumnSql(val)
            out.checks.append((f"{src} IS NOT NULL AND CAST({src} AS DECIMAL(38, 10)) <> {val}",
                               "mere end to decimaler"))
        else:
            s = f"replace({v}, ' ', '')"
            both = f"(contains({s}, '.') AND contains({s}, ','))"
            norm = (f"CASE WHEN {both} THEN CASE WHEN regexp_full_match({s}, '[+-]?\\d{{1,3}}(\\.\\d{{3}})+,\\d+') "
                    f"THEN replace(replace({s}, '.', ''), ',', '.') END ELSE replace({s}, ',', '.') END")
            ok = f"regexp_full_match({norm}, '[+-]?\\d+(\\.\\d+)?')"
            two = f"NOT regexp_matches({norm}, '\\.\\d{{3,}}$')"
            val = f"CASE WHEN {ok} AND {two} THEN CAST({norm} AS DECIMAL(18, 2)) END"
            out = _ColumnSql(val)
            out.checks.append((f"{v} IS NOT NULL AND NOT coalesce({ok}, false)", "ikke et beløb"))
            out.checks.append((f"{v} IS NOT NULL AND coalesce({ok}, false) AND NOT {two}",
                               "mere end to decimaler (beløb angives i kr. og øre)"))
        if col.nonnegative:
            out.checks.append((f"{out.value} < 0", "negativt beløb er ikke muligt her"))
    elif k == "int":
        if typed in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
            val = f"CAST({src} AS BIGINT)"
            out = _ColumnSql(val)
        else:
            ok = f"regexp_full_match({v}, '[+-]?\\d+')"
            val = f"CASE WHEN {ok} THEN TRY_CAST({v} AS BIGINT) END"
            out = _ColumnSql(val)
            out.checks.append((f"{v} IS NOT NULL AND {val} IS NULL", "ikke et heltal"))
        if col.domain:
            lo, hi = col.domain
            out.checks.append((f"{val} IS NOT NULL AND ({val} < {lo} OR {val} > {hi})",
                               f"uden for det tilladte interval {lo}–{hi}"))
    elif k == "code":
        val = f"lower({v})"
        out = _ColumnSql(f"CASE WHEN {val} IN {_in_list(col.domain)} THEN {val} END")
        out.checks.append((f"{v} IS NOT NULL AND {val} NOT IN {_in_list(col.domain)}",
                           "ukendt kode (tilladt: " + ", ".join(col.domain) + ")"))
    elif k == "text":
        out = _ColumnSql(v)
    else:  # pragma: no cover - the contract only uses the kinds above
        raise ValueError(f"ukendt kolonnetype {k}")
    if not col.optional:
        out.checks.insert(0, (f"{v} IS NULL", "mangler værdi"))
    return out


# --------------------------------------------------------------------------- reading files
def _detect_encoding(path: Path) -> str:
    """'utf-8' (with or without BOM) or 'cp1252'. Decodes the file incrementally."""
    dec = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            try:
                dec.decode(chunk)
            except UnicodeDecodeError:
                return "cp1252"
    return "utf-8"


def _as_utf8(path: Path, tmpdir: Path) -> tuple[Path, str]:
    enc = _detect_encoding(path)
    if enc == "utf-8":
        return path, enc
    out = tmpdir / (path.name + ".utf8.csv")
    with path.open("r", encoding="cp1252", errors="replace", newline="") as src, \
            out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 22):
            dst.write(chunk)
    return out, "Windows-1252"


def _header_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as f:
        return f.readline()


def _excel_text(x) -> str | None:
    if x is None:
        return None
    if isinstance(x, dt.datetime):
        return x.date().isoformat()
    if isinstance(x, dt.date):
        return x.isoformat()
    if isinstance(x, float):
        return format(Decimal(repr(x)).normalize(), "f") if x != int(x) else str(int(x))
    return str(x)


@dataclass
class _Raw:
    relation: str                    # DuckDB relation name holding _raekke + raw columns
    columns: dict[str, str]          # lower-case contract name -> (raw column name, type)
    types: dict[str, str]


class Registre:
    """A loaded, validated data folder. ``con`` holds one parsed relation per table."""

    def __init__(self, mappe: Path, con: duckdb.DuckDBPyConnection, filer: dict[str, Path],
                 fravaerende: list[str], noter: list[str]):
        self.mappe = mappe
        self.con = con
        self.filer = filer
        self.fravaerende = fravaerende
        self.noter = noter

    def df(self, tabel: str) -> pd.DataFrame:
        """The parsed table as pandas (amounts as exact Decimal objects)."""
        if tabel not in TABLES:
            raise KeyError(f"Ukendt tabel: {tabel}")
        return self.con.sql(f"SELECT * FROM {tabel}").arrow().read_all().to_pandas()

    def antal(self, tabel: str) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {tabel}").fetchall()[0][0])  # fetchall: no open result


class _Loader:
    def __init__(self, mappe: Path, con: duckdb.DuckDBPyConnection, tmp: Path):
        self.mappe = mappe
        self.con = con
        self.tmp = tmp
        self.fejl: list[Fejl] = []
        self.noter: list[str] = []
        self.kommuner = [int(x) for x in shipped_kommuner()["kommunekode"]]

    # -- raw stage -------------------------------------------------------------------------
    def raw(self, t: Table, path: Path) -> _Raw | None:
        """The file as text columns plus its row numbers (None if it cannot be read at all)."""
        return {".csv": self._raw_csv, ".xlsx": self._raw_xlsx, ".parquet": self._raw_parquet}[path.suffix](t, path)

    def _raw_csv(self, t: Table, path: Path) -> _Raw | None:
        if path.stat().st_size == 0 or not path.read_bytes()[:4096].strip(b"\xef\xbb\xbf \r\n\t"):
            self.fejl.append(Fejl(path.name, None, None, None, "filen er tom (ingen kolonneoverskrifter)"))
            return None
        src, enc = _as_utf8(path, self.tmp)
        if enc != "utf-8":
            self.noter.append(f"{path.name} er læst som {enc}")
        header = _header_line(src)
        delim = ";" if header.count(";") >= header.count(",") else ","
        names = next(csv.reader([header], delimiter=delim))
        names = [n.strip() or f"_tom_{i}" for i, n in enumerate(names)]
        columns = "{" + ", ".join(f"{_lit(n)}: 'VARCHAR'" for n in names) + "}"
        rel = f"raw_{t.name}"
        rej = f"rej_{t.name}"
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT row_number() OVER () + 1 AS _raekke, * "
            f"FROM read_csv({_lit(str(src))}, delim={_lit(delim)}, header=true, columns={columns}, "
            f"quote='\"', escape='\"', auto_detect=false, null_padding=false, store_rejects=true, "
            f"rejects_table={_lit(rej)}, rejects_scan={_lit(rej + '_scan')}, parallel=false)")
        rejected = self.con.execute(f"SELECT line, error_type FROM {rej} ORDER BY line").fetchall()
        for line, etype in rejected:
            self.fejl.append(Fejl(path.name, int(line), None, None,
                                  f"rækken kan ikke læses ({_reject_text(etype)})"))
        return self._describe(rel)

    def _raw_xlsx(self, t: Table, path: Path) -> _Raw | None:
        import openpyxl  # lazy: only this path needs openpyxl
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is one error
            self.fejl.append(Fejl(path.name, None, None, None, f"regnearket kan ikke åbnes ({type(e).__name__})"))
            return None
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(h is None for h in header):
            self.fejl.append(Fejl(path.name, None, None, None, "filen er tom (ingen kolonneoverskrifter)"))
            return None
        names = [str(h).strip() if h is not None else f"_tom_{i}" for i, h in enumerate(header)]
        data = []
        for i, r in enumerate(rows, start=2):
            if r is None or all(x is None for x in r):
                continue
            data.append([i] + [_excel_text(x) for x in list(r)[: len(names)]] + [None] * (len(names) - len(r)))
        wb.close()
        df = pd.DataFrame(data, columns=["_raekke"] + names, dtype=object)
        df["_raekke"] = df["_raekke"].astype("int64")
        for c in names:
            df[c] = df[c].astype(object)
        rel = f"raw_{t.name}"
        self.con.register(f"{rel}_df", df)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT * FROM {rel}_df")
        self.con.unregister(f"{rel}_df")
        return self._describe(rel)

    def _raw_parquet(self, t: Table, path: Path) -> _Raw | None:
        rel = f"raw_{t.name}"
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT file_row_number + 1 AS _raekke, * "
                f"EXCLUDE (file_row_number) FROM read_parquet({_lit(str(path))}, file_row_number=true)")
        except duckdb.Error as e:
            self.fejl.append(Fejl(path.name, None, None, None, f"Parquet-filen kan ikke læses ({type(e).__name__})"))
            return None
        return self._describe(rel)

    def _describe(self, rel: str) -> _Raw:
        desc = self.con.execute(f"DESCRIBE {rel}").fetchall()
        cols, types = {}, {}
        for name, typ, *_ in desc:
            if name == "_raekke":
                continue
            key = name.strip().lower().lstrip("\ufeff")
            cols.setdefault(key, name)
            types[key] = typ
        return _Raw(rel, cols, types)

    # -- parse stage -----------------------------------------------------------------------
    def parse(self, t: Table, path: Path, raw: _Raw, materialise: bool, kontroller: bool = True) -> bool:
        """Create ``<table>_parsed``; with ``kontroller`` also run every check (False only for a
        file proven unchanged since it passed them, see :func:`_stempel`)."""
        missing = [c.name for c in t.columns if c.name not in raw.columns]
        for m in missing:
            self.fejl.append(Fejl(path.name, 1 if path.suffix != ".parquet" else None, m, None,
                                  "kolonnen mangler"))
        if missing:
            return False
        sqls = {c.name: _column_sql(c, _q(raw.columns[c.name]), raw.types[c.name], self.kommuner)
                for c in t.columns}
        select = ", ".join(f"{s.value} AS {_q(n)}" for n, s in sqls.items())
        kind = "TABLE" if materialise else "VIEW"
        self.con.execute(f"CREATE OR REPLACE TEMP {kind} {t.name}_parsed AS "
                         f"SELECT _raekke, {select} FROM {raw.relation}")
        if not kontroller:
            return True
        # Cell errors. Every cell check depends on the cell's value alone, so it runs over the
        # column's DISTINCT values (cheap even for 15 million eIndkomst lines); rows are looked up
        # only for the values that failed.
        ok = True
        bad_cells: list[Fejl] = []
        for n, col_sql in sqls.items():
            if not col_sql.checks:
                continue
            src = _q(raw.columns[n])
            per_value = _column_sql(t.column(n), '"v"', raw.types[n], self.kommuner)
            flags = ", ".join(f"coalesce({cond}, false) AS f{i}" for i, (cond, _r) in enumerate(per_value.checks))
            any_flag = " OR ".join(f"f{i}" for i in range(len(per_value.checks)))
            bad_values = f"bad_{t.name}_{t.column_names.index(n)}"
            # The distinct values are stored first: in one statement the optimiser pushes the
            # checks below the DISTINCT and runs them on every row.
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {bad_values} AS "
                             f"SELECT DISTINCT {src} AS v FROM {raw.relation}")
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {bad_values} AS "
                             f"SELECT * FROM (SELECT v, {flags} FROM {bad_values}) WHERE {any_flag}")
            if not self.con.execute(f"SELECT count(*) FROM {bad_values}").fetchone()[0]:
                continue
            rows = self.con.execute(
                f"SELECT r._raekke, CAST(r.{src} AS VARCHAR), "
                + ", ".join(f"b.f{i}" for i in range(len(per_value.checks)))
                + f" FROM {raw.relation} r JOIN {bad_values} b ON r.{src} IS NOT DISTINCT FROM b.v "
                f"ORDER BY r._raekke").fetchall()
            for r, value, *fl in rows:
                for (_cond, reason), hit in zip(per_value.checks, fl):
                    if hit:
                        bad_cells.append(Fejl(path.name, int(r), n, _show(t.column(n), value), reason))
        if bad_cells:
            ok = False
            order = {c: i for i, c in enumerate(t.column_names)}
            bad_cells.sort(key=lambda f: (f.raekke, order[f.kolonne]))
            self.fejl.extend(bad_cells)
        bad_rows = sorted({f.raekke for f in bad_cells})
        # Checks across columns, on parsed values of otherwise good rows.
        for rc in t.row_checks:
            rows = self.con.execute(
                f"SELECT _raekke, CAST({_q(rc.column)} AS VARCHAR) FROM {t.name}_parsed "
                f"WHERE NOT coalesce({rc.sql}, true) ORDER BY _raekke").fetchall()
            for r, val in rows:
                ok = False
                self.fejl.append(Fejl(path.name, int(r), rc.column, _show(t.column(rc.column), val), rc.message))
        # Duplicates among rows without cell errors: whole rows, then the table's key.
        good = "true" if not bad_rows else f"_raekke NOT IN (SELECT unnest({bad_rows!r}::BIGINT[]))"
        parsed = ", ".join(f"{s.value} AS {_q(n)}" for n, s in sqls.items())
        names = ", ".join(_q(n) for n in t.column_names)
        for cols, what in ((names, None), (", ".join(_q(k) for k in t.key), "key")):
            if not cols or (what == "key" and not t.key):
                continue
            if what is None and not t.whole_row_unique:
                continue
            rows = self.con.execute(
                f"WITH p AS (SELECT _raekke, {parsed} FROM {raw.relation} WHERE {good}), "
                f"d AS (SELECT {cols}, min(_raekke) AS first_row FROM p GROUP BY ALL HAVING count(*) > 1) "
                f"SELECT p._raekke, d.first_row FROM p JOIN d ON "
                + " AND ".join(f"p.{c} IS NOT DISTINCT FROM d.{c}" for c in cols.split(", ")) + " "
                "WHERE p._raekke <> d.first_row ORDER BY p._raekke").fetchall()
            for r, first in rows:
                ok = False
                if what is None:
                    self.fejl.append(Fejl(path.name, int(r), None, None, f"rækken er en kopi af række {first}"))
                else:
                    self.fejl.append(Fejl(path.name, int(r), ", ".join(t.key), None,
                                          f"nøglen ({', '.join(t.key)}) findes også i række {first}"))
        return ok


def _reject_text(etype: str) -> str:
    return {"TOO MANY COLUMNS": "for mange felter", "MISSING COLUMNS": "for få felter",
            "UNQUOTED VALUE": "fejl i anførselstegn", "INVALID UNICODE": "ugyldige tegn"}.get(
        str(etype).upper(), str(etype).lower())


def _show(col: Column, value) -> str | None:
    if value is None:
        return ""
    return mask_cpr(value) if col.kind == "cpr" else str(value)


def find_files(mappe: Path) -> tuple[dict[str, Path], list[Fejl]]:
    files, fejl = {}, []
    for name in TABLES:
        found = [mappe / f"{name}{ext}" for ext in FORMATS if (mappe / f"{name}{ext}").exists()]
        if len(found) > 1:
            fejl.append(Fejl(", ".join(p.name for p in found), None, None, None,
                             "tabellen findes i flere formater; fjern alle på nær én"))
        elif found:
            files[name] = found[0]
    return files, fejl


def _empty_view(con: duckdb.DuckDBPyConnection, t: Table) -> None:
    types = {"cpr": "VARCHAR", "cvr": "VARCHAR", "digits": "VARCHAR", "kle": "VARCHAR", "kommune": "INTEGER",
             "date": "DATE", "amount": "DECIMAL(18, 2)", "int": "BIGINT", "code": "VARCHAR", "text": "VARCHAR"}
    cols = ", ".join(f"CAST(NULL AS {types[c.kind]}) AS {_q(c.name)}" for c in t.columns)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {t.name} AS SELECT {cols} WHERE false")


STEMPEL = ".kontrol-valideret.json"


def _stempel(files: dict[str, Path]) -> dict:
    """What a successful validation vouches for: the contract and every file's exact content."""
    out = {"kontrakt": hashlib.sha256((contract_markdown() + _REGLER_VERSION).encode()).hexdigest(), "filer": {}}
    for name, path in sorted(files.items()):
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 22):
                h.update(chunk)
        out["filer"][path.name] = h.hexdigest()
    return json.loads(json.dumps(out))


# Bump when the reading rules change in a way the contract text does not show.
_REGLER_VERSION = "registre-1"


def _laes_stempel(mappe: Path) -> dict | None:
    try:
        return json.loads((mappe / STEMPEL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def indlaes(mappe: str | Path, con: duckdb.DuckDBPyConnection | None = None,
            materialise_parquet: bool = False, genbrug_validering: bool = True) -> Registre:
    """Load and validate a data folder. Raises :class:`RegisterFejl` listing every problem.

    A folder that passed validation gets a stamp (``.kontrol-valideret.json``: the contract's
    and every file's SHA-256). When the stamp still matches, the cell, row and duplicate checks
    are not run again: the daily run over a national extract validated once pays only for
    reading. Any changed byte, added or removed file, or changed contract means a full check.
    ``genbrug_validering=False`` (``kontrol valider``) always checks everything."""
    mappe = Path(mappe)
    if not mappe.is_dir():
        raise RegisterFejl([Fejl(str(mappe), None, None, None, "mappen findes ikke")])
    con = con or duckdb.connect()
    files, fejl = find_files(mappe)
    stempel = _stempel(files) if not fejl else None
    kontroller = not (genbrug_validering and stempel is not None and _laes_stempel(mappe) == stempel)
    # A Windows-1252 CSV is transcoded to a temporary file, read into a TEMP TABLE at once,
    # and the file removed with the folder.
    with tempfile.TemporaryDirectory(prefix="kontrol-") as tmp:
        loader = _Loader(mappe, con, Path(tmp))
        loader.fejl.extend(fejl)
        absent = []
        for name, t in TABLES.items():
            path = files.get(name)
            if path is None:
                absent.append(name)
                _empty_view(con, t)
                continue
            raw = loader.raw(t, path)
            if raw is None:
                _empty_view(con, t)
                continue
            materialise = path.suffix != ".parquet" or materialise_parquet
            if loader.parse(t, path, raw, materialise, kontroller):
                cols = ", ".join(_q(c) for c in t.column_names)
                con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {cols} FROM {name}_parsed")
            else:
                _empty_view(con, t)
    if loader.fejl:
        raise RegisterFejl(loader.fejl)
    noter = loader.noter + ([f"Fraværende tabeller (behandles som tomme): {', '.join(absent)}"] if absent else [])
    if not kontroller:
        noter.append("Mappen er uændret siden den sidst bestod valideringen; kontrollerne er ikke kørt igen")
    elif stempel is not None:
        try:
            (mappe / STEMPEL).write_text(json.dumps(stempel, indent=1), encoding="utf-8")
        except OSError:
            pass                     # a read-only folder is simply validated every time
    return Registre(mappe, con, files, absent, noter)


def valider(mappe: str | Path) -> list[Fejl]:
    """Every problem in a data folder (empty list = the folder keeps the contract)."""
    try:
        indlaes(mappe, genbrug_validering=False)
    except RegisterFejl as e:
        return e.fejl
    return []


def indlaes_fil(path: str | Path, t: Table, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Read and validate ONE file against a table declaration that need not be a register
    (e.g. ``kontrolsager.csv``, ``benchmark.csv``), with the same reading rules. Returns the
    parsed table as pandas; raises :class:`RegisterFejl` listing every bad row."""
    path = Path(path)
    if not path.exists():
        raise RegisterFejl([Fejl(str(path), None, None, None, "filen findes ikke")])
    if path.suffix not in FORMATS:
        raise RegisterFejl([Fejl(path.name, None, None, None, "ukendt filformat (brug .csv, .xlsx eller .parquet)")])
    con = con or duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="kontrol-") as tmp:
        loader = _Loader(path.parent, con, Path(tmp))
        raw = loader.raw(t, path)
        if raw is not None:
            loader.parse(t, path, raw, materialise=True)
    if loader.fejl:
        raise RegisterFejl(loader.fejl)
    cols = ", ".join(_q(c) for c in t.column_names)
    return con.sql(f"SELECT {cols} FROM {t.name}_parsed ORDER BY _raekke").arrow().read_all().to_pandas()


def som_registre(data) -> Registre:
    """``data`` as loaded registers: a :class:`Registre` as it is, a folder loaded with :func:`indlaes`."""
    if isinstance(data, Registre):
        return data
    if isinstance(data, (str, Path)):
        return indlaes(data)
    raise KontrolFejl("data skal være en mappe med registerudtræk eller indlæste registre")
