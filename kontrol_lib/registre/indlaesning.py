"""Read and validate a data folder of register extracts (the contract of :mod:`contract`).

Every table is read as text first, then parsed column by column in DuckDB with the rules of
``spec/registre.md``. Every bad cell is collected (file, row, column, value, reason); nothing is
dropped or coerced. The parsed tables are DuckDB views (Parquet) or tables (CSV, Excel) on one
connection, which the samkøring queries directly; :meth:`Registre.df` hands any of them to pandas.

Row numbers: for CSV and Excel the row as a spreadsheet shows it (header = row 1, first data row
= row 2); for Parquet, the data row counted from 1.

Privacy: values from CPR columns are shown masked in every error (first six digits kept), and
so is any CPR-shaped number in any other value shown (a shifted column), so an error report or an
exception never carries a whole CPR number. Invisible characters in a value are shown escaped
(``\\ufeff``) and long values cut.

Robustness (issue 13): every cast is a ``TRY_CAST`` whose failure is a row error; a file that is
not one encoding throughout, holds NUL bytes, has a header line over :data:`MAX_OVERSKRIFT` bytes,
is not a regular file, or is a link out of the folder is refused with a Danish error; files are
read in bounded chunks, never whole; any error of the engine on one file becomes an error on that
file, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from kontrol_lib.registre.kontrakt import TABLES, Column, Table, contract_markdown, kr_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.pseudonym import CPR_I_TEKST, hent_noegle, noeglefil
from kontrol_lib.vokabular.steder import shipped_kommuner

FORMATS = (".csv", ".xlsx", ".parquet")
BLOK = 1 << 22
"""Files are read in blocks of this many bytes (4 MB), never whole."""
MAX_OVERSKRIFT = 1 << 16
"""A CSV header line longer than this (64 KB) is refused: no register has such a header, and a
file without line breaks must not be read into memory to find its end."""
VIST_LAENGDE = 60
"""A value shown in an error is cut after this many characters."""


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
    # (name, expression) computed once per value before the checks, in order (a later one may
    # use an earlier name); checks may use the names, ``value`` may not. Without them the
    # engine evaluates the shared regular expressions again in every check.
    lets: list[tuple[str, str]] = field(default_factory=list)


_TYPER_UDEN_TEKST = ("DATE", "TIMESTAMP", "DECIMAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                     "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE")
"""Source types whose text is never blank: such a cell is missing exactly when it is NULL."""

_TEKSTARTER = ("cpr", "cvr", "digits", "kle", "code")
"""Kinds whose parsed value is text (a normal form of the cell, or NULL)."""


def _column_sql(col: Column, src: str, src_type: str, kommuner: list[int]) -> _ColumnSql:
    """Parse expression and error conditions for one column. ``src`` is the raw column. A typed
    column already of the parsed type (DATE, DECIMAL(18, 2), BIGINT) is read as it is, without a
    cast, so that the engine pushes the rules' filters into the Parquet reader (issue 15)."""
    typed = src_type.upper()
    v = f"nullif(trim(CAST({src} AS VARCHAR)), '')"
    k = col.kind
    if k == "cpr":
        def norm_of(x: str) -> str:
            return f"CASE WHEN length({x}) = 11 AND substr({x}, 7, 1) = '-' THEN replace({x}, '-', '') ELSE {x} END"
        norm = norm_of(v)
        fmt_ok = _digits_sql(norm, 10)
        # the checks read the trimmed value and its normal form computed once per value (lets):
        # written out, the date check repeats the normalisation a dozen times (issue 15)
        out = _ColumnSql(f"CASE WHEN {fmt_ok} THEN {norm} END",
                         lets=[("_v", v), ("_norm", norm_of("_v")), ("_fmt", _digits_sql("_norm", 10))])
        out.checks.append(("_v IS NOT NULL AND NOT _fmt", "ikke et CPR-nummer (10 cifre)"))
        out.checks.append((f"_v IS NOT NULL AND _fmt AND NOT {cpr_date_valid_sql('_norm')}",
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
            # an integer's text is 1–4 digits exactly when it lies in 0–9999: no text per row
            v = src
            ok = f"({src} BETWEEN 0 AND 9999)"
            num = f"TRY_CAST({src} AS INTEGER)"
        else:
            # TRY_CAST: the engine may evaluate the cast before the pattern guard (issue 13: 'abc',
            # '=1+1' and a BOM before '151' crashed the load)
            ok = f"regexp_full_match({v}, '\\d{{1,4}}')"
            num = f"TRY_CAST({v} AS INTEGER)"
        val = f"CASE WHEN {ok} THEN {num} END"
        out = _ColumnSql(val)
        out.checks.append((f"{v} IS NOT NULL AND NOT {ok}", "ikke en kommunekode (3 cifre)"))
        out.checks.append((f"{v} IS NOT NULL AND {ok} AND {num} NOT IN "
                           f"({', '.join(str(x) for x in kommuner)})", "ukendt kommunekode"))
    elif k == "date":
        if typed in ("DATE",) or typed.startswith("TIMESTAMP"):
            val = src if typed == "DATE" else f"TRY_CAST({src} AS DATE)"
            out = _ColumnSql(val)
            out.checks.append((f"{src} IS NOT NULL AND {val} IS NULL", "ikke en gyldig dato"))
        else:
            val = (f"CAST(coalesce(try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d-%m-%Y'), "
                   f"try_strptime({v}, '%d.%m.%Y')) AS DATE)")
            out = _ColumnSql(val)
            out.checks.append((f"{v} IS NOT NULL AND {val} IS NULL",
                               "ikke en gyldig dato (brug ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"))
        lo, hi = col.interval()
        out.checks.append((f"{val} NOT BETWEEN DATE '{lo.isoformat()}' AND DATE '{hi.isoformat()}'",
                           f"datoen ligger uden for det plausible interval {lo.isoformat()} til {hi.isoformat()}"))
    elif k == "amount":
        lo, hi = col.interval()
        uden_for = f"beløbet ligger uden for det plausible interval {kr_tekst(lo)} til {kr_tekst(hi)} kr."
        smal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", typed)
        if smal and int(smal.group(2)) <= 2 and int(smal.group(1)) - int(smal.group(2)) <= 16:
            # a decimal with at most two decimals that fits DECIMAL(18, 2) (the Parquet files the
            # extracts are written as): the casts cannot fail or round, so only the range is
            # checked, on the value as it is (the same answer as below, without two casts per row)
            val = src if typed.replace(" ", "") == "DECIMAL(18,2)" else f"TRY_CAST({src} AS DECIMAL(18, 2))"
            out = _ColumnSql(val)
            out.checks.append((f"{src} NOT BETWEEN {lo} AND {hi}", uden_for))
        elif typed.startswith("DECIMAL") or typed in ("INTEGER", "BIGINT", "SMALLINT", "HUGEINT"):
            wide = f"TRY_CAST({src} AS DECIMAL(38, 10))"
            val = f"TRY_CAST({src} AS DECIMAL(18, 2))"
            out = _ColumnSql(val)
            out.checks.append((f"{src} IS NOT NULL AND {wide} IS NULL", "ikke et beløb"))
            out.checks.append((f"{wide} NOT BETWEEN {lo} AND {hi}", uden_for))
            out.checks.append((f"{wide} BETWEEN {lo} AND {hi} AND {wide} <> {val}",
                               "mere end to decimaler"))
        else:
            def norm_of(x: str) -> str:
                s = f"replace({x}, ' ', '')"
                both = f"(contains({s}, '.') AND contains({s}, ','))"
                return (f"CASE WHEN {both} THEN CASE WHEN regexp_full_match({s}, '[+-]?\\d{{1,3}}(\\.\\d{{3}})+,\\d+') "
                        f"THEN replace(replace({s}, '.', ''), ',', '.') END ELSE replace({s}, ',', '.') END")

            def ok_of(n: str) -> str:
                return f"regexp_full_match({n}, '[+-]?\\d+(\\.\\d+)?')"

            def two_of(n: str) -> str:
                return f"NOT regexp_matches({n}, '\\.\\d{{3,}}$')"
            norm = norm_of(v)
            # TRY_CAST: 20 digits overflow DECIMAL(18, 2); the range is checked on a wide decimal
            val = f"CASE WHEN {ok_of(norm)} AND {two_of(norm)} THEN TRY_CAST({norm} AS DECIMAL(18, 2)) END"
            out = _ColumnSql(val, lets=[("_v", v), ("_norm", norm_of("_v")),
                                        ("_ok", f"coalesce({ok_of('_norm')}, false)"), ("_two", two_of("_norm"))])
            out.checks.append(("_v IS NOT NULL AND NOT _ok", "ikke et beløb"))
            out.checks.append(("_v IS NOT NULL AND _ok AND NOT _two", "mere end to decimaler (beløb angives i kr. og øre)"))
            out.checks.append((f"_v IS NOT NULL AND _ok AND _two AND "
                               f"coalesce(TRY_CAST(_norm AS DECIMAL(38, 2)) NOT BETWEEN {lo} AND {hi}, true)", uden_for))
        if col.nonnegative:      # below the range is the range's error, reported once
            parsed = "TRY_CAST(_norm AS DECIMAL(18, 2))" if out.lets else out.value
            neg = f"{parsed} < 0 AND {parsed} >= {lo}" + (" AND _ok AND _two" if out.lets else "")
            out.checks.append((neg, "negativt beløb er ikke muligt her"))
    elif k == "int":
        if typed in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
            val = src if typed == "BIGINT" else f"TRY_CAST({src} AS BIGINT)"
            out = _ColumnSql(val)
            out.checks.append((f"{src} IS NOT NULL AND {val} IS NULL", "ikke et heltal (for mange cifre)"))
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
        # a typed (number, date) cell is missing exactly when it is NULL: its text is never blank,
        # so the text is not made for every row of a Parquet column (issue 15)
        out.checks.insert(0, (f"{src} IS NULL" if typed.startswith(_TYPER_UDEN_TEKST) else f"{v} IS NULL",
                              "mangler værdi"))
    return out


# --------------------------------------------------------------------------- reading files
# A valid multi-byte UTF-8 sequence (no overlongs, no surrogates).
_UTF8_FLERBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                            rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_IKKE_ASCII = re.compile(rb"[\x80-\xff]")


def _ufuldendt_hale(data: bytes) -> int:
    """Where a UTF-8 sequence cut by the block boundary starts (``len(data)`` if none)."""
    n = len(data)
    for back in range(1, min(4, n) + 1):
        b = data[n - back]
        if b < 0x80:
            return n
        if b >= 0xC0:
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return n - back if need > back else n
    return n


@dataclass(frozen=True)
class _Tegnsaet:
    """What a byte scan of a CSV file found: its encoding, or why it is refused. ``linje`` is the
    line in the file (the row, unless a quoted cell spans lines above it)."""
    encoding: str | None        # 'utf-8', 'cp1252', or None (refused)
    linje: int | None = None    # the line that broke
    aarsag: str | None = None


def _tegnsaet(path: Path) -> _Tegnsaet:
    """Scan the file block by block (bounded memory): UTF-8 throughout (with or without BOM),
    Windows-1252 throughout, or refused: a NUL byte (binary data), or both valid UTF-8
    sequences and bytes that are not UTF-8 (mixed encodings: re-decoding the whole file would
    turn its æøå into mojibake), or an odd number of quote characters: a quote that never
    closes, after which the engine silently drops every row. Lines are counted only for a
    refused file."""
    utf8_ved = ugyldig_ved = None        # offset of the first valid multi-byte UTF-8 / non-UTF-8 byte
    start = citater = 0                  # offset of ``data`` in the file
    rest = b""
    with path.open("rb") as f:
        while True:
            blok = f.read(BLOK)
            data = rest + blok
            if blok:
                cut = _ufuldendt_hale(data)
                data, rest = data[:cut], data[cut:]
            else:
                rest = b""
            if data:
                nul = data.find(b"\0")
                if nul >= 0:
                    return _Tegnsaet(None, _linje_ved(path, start + nul),
                                     "rækken indeholder en NUL-byte (binære data); filen er ikke en tekstfil (CSV)")
                if not data.isascii() and (utf8_ved is None or ugyldig_ved is None):
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError as e:
                        if ugyldig_ved is None:
                            ugyldig_ved = start + e.start
                        m = _UTF8_FLERBYTE.search(data) if utf8_ved is None else None
                    else:
                        m = _IKKE_ASCII.search(data) if utf8_ved is None else None
                    if m is not None:
                        utf8_ved = start + m.start()
                citater += data.count(b'"')
                start += len(data)
            if not blok:
                break
    if citater % 2:
        return _Tegnsaet(None, _aabent_citat(path), "et anførselstegn (\") i rækken afsluttes aldrig, så resten af "
                                                    "filen ville blive læst som én værdi; ret rækken, eller gem filen "
                                                    "igen som CSV")
    if ugyldig_ved is None:
        return _Tegnsaet("utf-8")
    if utf8_ved is None:
        return _Tegnsaet("cp1252")
    with path.open("rb") as f:
        f.seek(ugyldig_ved)
        byte = f.read(1)[0]
    return _Tegnsaet(None, _linje_ved(path, ugyldig_ved),
                     f"rækken har et tegn, der ikke er UTF-8 (byte 0x{byte:02X}, fx Windows-1252), men række "
                     f"{_linje_ved(path, utf8_ved)} er UTF-8: filen blander tegnsæt; gem hele filen som UTF-8")


def _linje_ved(path: Path, offset: int) -> int:
    """The line (from 1) of the byte at ``offset``, counted block by block."""
    linje, laest = 1, 0
    with path.open("rb") as f:
        while laest < offset and (blok := f.read(min(BLOK, offset - laest))):
            linje += blok.count(b"\n")
            laest += len(blok)
    return linje


def _aabent_citat(path: Path) -> int:
    """The line of the quote that never closes (the last one that opens, counting quotes in
    pairs as a CSV reader does). Only run on a file already refused."""
    linje, aaben, aabnet = 1, False, 1
    with path.open("rb") as f:
        while blok := f.read(BLOK):
            for m in re.finditer(rb'["\n]', blok):
                if m.group() == b"\n":
                    linje += 1
                else:
                    aaben = not aaben
                    if aaben:
                        aabnet = linje
    return aabnet


def _som_utf8(path: Path, tmpdir: Path) -> tuple[Path | None, tuple[int, int] | None]:
    """A Windows-1252 file transcoded to UTF-8 in ``tmpdir`` block by block; (None, line) when a
    byte is not a character of Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D)."""
    out = tmpdir / (path.name + ".utf8.csv")
    linjer = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while blok := src.read(BLOK):
            try:
                dst.write(blok.decode("cp1252"))       # one byte per character: blocks decode alone
            except UnicodeDecodeError as e:
                return None, (linjer + blok.count(b"\n", 0, e.start) + 1, blok[e.start])
            linjer += blok.count(b"\n")
    return out, None


def _overskrift(path: Path) -> bytes | None:
    """The header line's bytes, read with a bound (None: longer than :data:`MAX_OVERSKRIFT`)."""
    with path.open("rb") as f:
        linje = f.readline(MAX_OVERSKRIFT + 1)
        if len(linje) > MAX_OVERSKRIFT:
            return None
        if not linje.strip(b"\xef\xbb\xbf \r\n\t"):
            # blank first line: the file is empty when the next bytes are blank too (bounded read)
            return linje if f.read(4096).strip(b" \r\n\t") else b""
        return linje


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
        self.normale: dict[str, list[str]] = {}
        self._cpr_gode: str | None = None      # temp table of CPR values that passed every check
        self.kommuner = [int(x) for x in shipped_kommuner()["kommunekode"]]

    # -- raw stage -------------------------------------------------------------------------
    def raw(self, t: Table, path: Path) -> _Raw | None:
        """The file as text columns plus its row numbers (None if it cannot be read at all)."""
        return {".csv": self._raw_csv, ".xlsx": self._raw_xlsx, ".parquet": self._raw_parquet}[path.suffix](t, path)

    def _raw_csv(self, t: Table, path: Path) -> _Raw | None:
        header_bytes = _overskrift(path)
        if header_bytes is None:
            self.fejl.append(Fejl(path.name, 1, None, None,
                                  f"første linje (kolonneoverskrifterne) er længere end {MAX_OVERSKRIFT // 1024} KB; "
                                  "filen er ikke en CSV-fil med en række pr. linje"))
            return None
        if not header_bytes:
            self.fejl.append(Fejl(path.name, None, None, None, "filen er tom (ingen kolonneoverskrifter)"))
            return None
        tegn = _tegnsaet(path)
        if tegn.encoding is None:
            self.fejl.append(Fejl(path.name, tegn.linje, None, None, tegn.aarsag))
            return None
        src = path
        if tegn.encoding == "cp1252":
            src, brud = _som_utf8(path, self.tmp)
            if src is None:
                self.fejl.append(Fejl(path.name, brud[0], None, None,
                                      f"rækken har en byte (0x{brud[1]:02X}), som hverken er UTF-8 eller "
                                      "Windows-1252; gem filen som UTF-8"))
                return None
            self.noter.append(f"{path.name} er læst som Windows-1252")
        header = header_bytes.decode("utf-8-sig" if tegn.encoding == "utf-8" else "cp1252")
        delim = ";" if header.count(";") >= header.count(",") else ","
        try:
            names = next(csv.reader([header.rstrip("\r\n")], delimiter=delim), [])
        except csv.Error:
            names = []
        if not names:
            self.fejl.append(Fejl(path.name, 1, None, None, "kolonneoverskrifterne kan ikke læses"))
            return None
        names = [n.strip() or f"_tom_{i}" for i, n in enumerate(names)]
        seen: dict[str, int] = {}
        for n in names:
            seen[n.lower()] = seen.get(n.lower(), 0) + 1
        dubletter = [n for n in dict.fromkeys(names) if seen[n.lower()] > 1]
        if dubletter:
            for n in dubletter:
                self.fejl.append(Fejl(path.name, 1, _vis(n), None, "kolonnen står flere gange i overskriften"))
            return None
        columns = "{" + ", ".join(f"{_lit(n)}: 'VARCHAR'" for n in names) + "}"
        rel = f"raw_{t.name}"
        rej = f"rej_{t.name}"
        # the engine appends to an existing rejects table: start from empty ones
        self.con.execute(f"DROP TABLE IF EXISTS {rej}")
        self.con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT row_number() OVER () + 1 AS _raekke, * "
                f"FROM read_csv({_lit(str(src))}, delim={_lit(delim)}, header=true, columns={columns}, "
                f"quote='\"', escape='\"', auto_detect=false, null_padding=false, store_rejects=true, "
                f"rejects_table={_lit(rej)}, rejects_scan={_lit(rej + '_scan')}, parallel=false)")
        except duckdb.Error:
            # the engine's CSV state machine gives up on the file (quotes in impossible places);
            # its message may quote the data, so it is not shown
            self.fejl.append(Fejl(path.name, None, None, None,
                                  "filen kan ikke læses som CSV (fx anførselstegn midt i en værdi); "
                                  "ret filen, eller gem den igen som CSV"))
            return None
        # One error per rejected row (a row with two extra fields is two rejects), in row order.
        rejected = self.con.execute(
            f"SELECT line, string_agg(DISTINCT error_type, ', ' ORDER BY error_type) FROM {rej} "
            f"GROUP BY line ORDER BY line").fetchall()
        for line, etypes in rejected:
            grunde = ", ".join(dict.fromkeys(_reject_text(e) for e in etypes.split(", ")))
            self.fejl.append(Fejl(path.name, int(line), None, None, f"rækken kan ikke læses ({grunde})"))
        if rejected:
            # row_number() counts only the rows read: a row after the j-th rejected row is j rows
            # further down. g = the number of rows read before the j-th rejected row.
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {rel}_spring AS SELECT g, max(j) AS j FROM ("
                f"SELECT line - 1 - row_number() OVER (ORDER BY line) AS g, row_number() OVER (ORDER BY line) AS j "
                f"FROM (SELECT DISTINCT line FROM {rej})) GROUP BY g")
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT r.* REPLACE (r._raekke + coalesce(s.j, 0) AS _raekke) "
                f"FROM {rel} r ASOF LEFT JOIN {rel}_spring s ON r._raekke - 2 >= s.g ORDER BY r._raekke")
            self.con.execute(f"DROP TABLE {rel}_spring")
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
    def _rene_typede(self, t: Table, raw: _Raw, sqls: dict[str, _ColumnSql]) -> set[str]:
        """The typed columns (a Parquet file's DATE, DECIMAL, INTEGER) in which no cell breaks a
        check, found in ONE scan of the file: every check of every such column is a cheap
        predicate on the typed value, counted per column in one projection. Only a column with a
        bad cell goes on to the per-value search that names its rows; text columns (CPR numbers,
        codes) keep that search over their distinct values, where a value repeats (issue 15)."""
        tal = []
        for n, col_sql in sqls.items():
            if not col_sql.checks or raw.types[n].upper().startswith("VARCHAR"):
                continue
            per_row = _column_sql(t.column(n), _q(raw.columns[n]), raw.types[n], self.kommuner)
            if per_row.lets:
                continue
            tal.append((n, " OR ".join(f"coalesce({cond}, false)" for cond, _r in per_row.checks)))
        if not tal:
            return set()
        try:
            antal = self.con.execute("SELECT " + ", ".join(f"count_if({e})" for _n, e in tal)
                                     + f" FROM {raw.relation}").fetchall()[0]
        except duckdb.Error:
            return set()            # a shortcut only: the per-value search decides as before
        return {n for (n, _e), a in zip(tal, antal) if a == 0}

    def parse(self, t: Table, path: Path, raw: _Raw, materialise: bool, kontroller: bool = True,
              normale: list[str] = ()) -> bool:
        """Create ``<table>_parsed``; with ``kontroller`` also run every check (False only for a
        file proven unchanged since it passed them, see :func:`_stempel`; ``normale`` are then
        the text columns the stamp found already in parsed form, read as they are)."""
        missing = [c.name for c in t.columns if c.name not in raw.columns]
        for m in missing:
            self.fejl.append(Fejl(path.name, 1 if path.suffix != ".parquet" else None, m, None,
                                  "kolonnen mangler"))
        if missing:
            return False
        sqls = {c.name: _column_sql(c, _q(raw.columns[c.name]), raw.types[c.name], self.kommuner)
                for c in t.columns}
        if not kontroller:
            for n in normale:
                if raw.types[n].upper() == "VARCHAR":
                    sqls[n].value = _q(raw.columns[n])
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
        rene = self._rene_typede(t, raw, sqls)
        normale: list[str] = []       # text columns every value of which is already its parsed value
        for n, col_sql in sqls.items():
            if not col_sql.checks or n in rene:
                continue
            src = _q(raw.columns[n])
            per_value = _column_sql(t.column(n), '"v"', raw.types[n], self.kommuner)
            flags = ", ".join(f"coalesce({cond}, false) AS f{i}" for i, (cond, _r) in enumerate(per_value.checks))
            any_flag = " OR ".join(f"f{i}" for i in range(len(per_value.checks)))
            bad_values = f"bad_{t.name}_{t.column_names.index(n)}"
            tekst = t.column(n).kind in _TEKSTARTER and raw.types[n].upper() == "VARCHAR"
            # A CPR number recurs in most registers: a value that passed every CPR check in an
            # earlier column (and is its own normal form) is not checked again (issue 15).
            kendt = tekst and t.column(n).kind == "cpr"
            anti = f" ANTI JOIN {self._cpr_gode} USING (v)" if kendt and self._cpr_gode else ""
            # The distinct values are stored first: in one statement the optimiser pushes the
            # checks below the DISTINCT and runs them on every row (a MATERIALIZED CTE does not
            # prevent it: 3 CPU-s instead of 0.2 for eIndkomst's CVR numbers).
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {bad_values} AS SELECT * FROM "
                             f"(SELECT DISTINCT {src} AS v FROM {raw.relation}){anti}")
            source = bad_values
            for let_name, let_sql in per_value.lets:
                source = f"(SELECT *, {let_sql} AS {let_name} FROM {source})"
            # one pass over the distinct values: every check, and (text kinds) whether the value
            # differs from its parsed value; counted first, kept per value only when one fires
            anders = f", v IS DISTINCT FROM ({per_value.value}) AS _anders" if tekst else ", false AS _anders"
            flagget = f"SELECT v, {flags}{anders} FROM {source}"
            n_anders, n_bad = self.con.execute(f"SELECT count_if(_anders), count_if({any_flag}) "
                                               f"FROM ({flagget})").fetchall()[0]
            if tekst and not n_anders:
                normale.append(n)
            ren = not n_bad and not n_anders
            if not ren:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE {bad_values} AS {flagget}")
            if kendt:
                if not self._cpr_gode:
                    self._cpr_gode = "_cpr_gode"
                    self.con.execute(f"CREATE OR REPLACE TEMP TABLE {self._cpr_gode} (v VARCHAR)")
                self.con.execute(f"INSERT INTO {self._cpr_gode} SELECT v FROM {bad_values} WHERE v IS NOT NULL"
                                 + ("" if ren else f" AND NOT ({any_flag} OR _anders)"))
            if not n_bad:
                continue
            rows = self.con.execute(
                f"SELECT r._raekke, CAST(r.{src} AS VARCHAR), "
                + ", ".join(f"b.f{i}" for i in range(len(per_value.checks)))
                + f" FROM {raw.relation} r JOIN (SELECT * FROM {bad_values} WHERE {any_flag}) b "
                f"ON r.{src} IS NOT DISTINCT FROM b.v ORDER BY r._raekke").fetchall()
            for r, value, *fl in rows:
                for (_cond, reason), hit in zip(per_value.checks, fl):
                    if hit:
                        bad_cells.append(Fejl(path.name, int(r), n, _show(t.column(n), value), reason))
        if normale:
            # No re-parse after validation (issue 15): a text column whose every distinct value
            # equals its parsed value (a CPR number already in 10 digits, a code already in lower
            # case) is read as it is by the row checks, the duplicate checks and the samkøring.
            self.normale[t.name] = normale
            for n in normale:
                sqls[n].value = _q(raw.columns[n])
            if not materialise:
                select = ", ".join(f"{s.value} AS {_q(n)}" for n, s in sqls.items())
                self.con.execute(f"CREATE OR REPLACE TEMP VIEW {t.name}_parsed AS "
                                 f"SELECT _raekke, {select} FROM {raw.relation}")
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
        # Each check is one hash aggregate over the columns; the rows are looked up only when a
        # group has more than one row. The key is checked first: a table whose key is unique has
        # no two equal rows either, so its whole-row check is not run (issue 15).
        good = "true" if not bad_rows else f"_raekke NOT IN (SELECT unnest({bad_rows!r}::BIGINT[]))"
        parsed = ", ".join(f"{s.value} AS {_q(n)}" for n, s in sqls.items())
        p = f"(SELECT _raekke, {parsed} FROM {raw.relation} WHERE {good})"
        fundet: dict[str | None, list] = {}
        for what, navne in (("key", t.key), (None, t.column_names if t.whole_row_unique else ())):
            if not navne or (what is None and t.key and not fundet["key"]):
                fundet[what] = []
                continue
            cols = ", ".join(_q(n) for n in navne)
            if not self.con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {p} GROUP BY ALL "
                                    f"HAVING count(*) > 1)").fetchall()[0][0]:   # fetchall: no open result
                fundet[what] = []
                continue
            dubletter = f"dub_{t.name}"
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {dubletter} AS SELECT {cols}, min(_raekke) AS first_row "
                             f"FROM {p} GROUP BY ALL HAVING count(*) > 1")
            fundet[what] = self.con.execute(
                f"SELECT p._raekke, d.first_row FROM {p} p JOIN {dubletter} d ON "
                + " AND ".join(f"p.{_q(n)} IS NOT DISTINCT FROM d.{_q(n)}" for n in navne) + " "
                "WHERE p._raekke <> d.first_row ORDER BY p._raekke").fetchall()
        for r, first in fundet[None]:
            ok = False
            self.fejl.append(Fejl(path.name, int(r), None, None, f"rækken er en kopi af række {first}"))
        for r, first in fundet["key"]:
            ok = False
            self.fejl.append(Fejl(path.name, int(r), ", ".join(t.key), None,
                                  f"nøglen ({', '.join(t.key)}) findes også i række {first}"))
        return ok


def _reject_text(etype: str) -> str:
    return {"TOO MANY COLUMNS": "for mange felter", "MISSING COLUMNS": "for få felter",
            "UNQUOTED VALUE": "fejl i anførselstegn", "INVALID UNICODE": "ugyldige tegn",
            "LINE SIZE OVER MAXIMUM": "over 2 MB lang", "INVALID STATE": "fejl i anførselstegn"}.get(
        str(etype).upper(), "ukendt fejl")


def _vis(value: str) -> str:
    """A value as an error shows it: every CPR-shaped number masked after its sixth character,
    invisible characters escaped (a BOM is ``\\ufeff``), cut after :data:`VIST_LAENGDE` characters."""
    v = CPR_I_TEKST.sub(lambda m: mask_cpr(m.group(0)), str(value))
    kort = v[:VIST_LAENGDE]
    kort = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in kort)
    return kort + "…" if len(v) > VIST_LAENGDE else kort


def _show(col: Column, value) -> str | None:
    if value is None:
        return ""
    return mask_cpr(value) if col.kind == "cpr" else _vis(value)


def _fil_fejl(mappe: Path, path: Path) -> str | None:
    """Why ``path`` (found in ``mappe`` under a table's name) is not read, or None: a link to a
    file outside the folder, a link to nothing, or not a regular file (a folder, a pipe)."""
    if path.is_symlink():
        maal = path.resolve()
        if not maal.is_relative_to(mappe.resolve()):
            return "filen er en genvej (symbolsk link) til en fil uden for datamappen; læg selve filen i mappen"
        if not maal.exists():
            return "filen er en genvej (symbolsk link) til en fil, der ikke findes"
    if path.is_dir():
        return "er en mappe, ikke en fil"
    if not path.is_file():
        return "er ikke en almindelig fil"
    return None


def find_files(mappe: Path) -> tuple[dict[str, Path], list[Fejl]]:
    """The table files of ``mappe`` (``<table>.<format>``) and what is wrong with them: a table in
    two formats, a link out of the folder, a folder or special file under a table's name."""
    files, fejl = {}, []
    for name in TABLES:
        found = [mappe / f"{name}{ext}" for ext in FORMATS
                 if (mappe / f"{name}{ext}").exists() or (mappe / f"{name}{ext}").is_symlink()]
        if len(found) > 1:
            fejl.append(Fejl(", ".join(p.name for p in found), None, None, None,
                             "tabellen findes i flere formater; fjern alle på nær én"))
        elif found:
            grund = _fil_fejl(mappe, found[0])
            if grund:
                fejl.append(Fejl(found[0].name, None, None, None, grund))
            else:
                files[name] = found[0]
    return files, fejl


def _empty_view(con: duckdb.DuckDBPyConnection, t: Table) -> None:
    types = {"cpr": "VARCHAR", "cvr": "VARCHAR", "digits": "VARCHAR", "kle": "VARCHAR", "kommune": "INTEGER",
             "date": "DATE", "amount": "DECIMAL(18, 2)", "int": "BIGINT", "code": "VARCHAR", "text": "VARCHAR"}
    cols = ", ".join(f"CAST(NULL AS {types[c.kind]}) AS {_q(c.name)}" for c in t.columns)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {t.name} AS SELECT {cols} WHERE false")


STEMPEL = ".kontrol-valideret.json"
# Bump when the reading rules change in a way the contract text does not show.
_REGLER_VERSION = "registre-2"


def _stempelnoegle(mappe: Path) -> bytes | None:
    """The key that signs the stamp: derived from the pseudonym key (a secret outside the data
    folder, :mod:`kontrol_lib.vokabular.pseudonym`), so whoever can write the folder cannot write
    a stamp that passes. None (no stamp is trusted or written) when the key cannot be had or
    lies inside the folder."""
    try:
        if noeglefil().resolve().is_relative_to(mappe.resolve()):
            return None
        return hmac.new(hent_noegle(), b"kontrol-valideret.json", hashlib.sha256).digest()
    except (KontrolFejl, OSError):
        return None


def _stempel(files: dict[str, Path], noegle: bytes) -> dict:
    """What a successful validation vouches for: the contract and every file's exact content,
    signed (HMAC-SHA256) with :func:`_stempelnoegle`."""
    out = {"kontrakt": hashlib.sha256((contract_markdown() + _REGLER_VERSION).encode()).hexdigest(), "filer": {}}
    for name, path in sorted(files.items()):
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(BLOK):
                h.update(chunk)
        out["filer"][path.name] = h.hexdigest()
    out["hmac"] = hmac.new(noegle, json.dumps(out, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()
    return out


def _gemt_stempel(mappe: Path, stempel: dict, noegle: bytes) -> dict | None:
    """The folder's stamp when it vouches for exactly ``stempel`` (the contract and every file as
    they are now) and carries a valid signature over everything it says, else None. Besides
    ``kontrakt`` and ``filer`` a stamp may name, per table, the text columns found already in
    their parsed form (``normale``, see :meth:`_Loader.parse`); signed like the rest, so they
    cannot be written without the key."""
    try:
        gemt = json.loads((mappe / STEMPEL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(gemt, dict) or not isinstance(gemt.get("hmac"), str):
        return None
    indhold = {k: v for k, v in gemt.items() if k != "hmac"}
    signatur = hmac.new(noegle, json.dumps(indhold, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(gemt["hmac"], signatur):
        return None
    if set(indhold) - {"kontrakt", "filer", "normale"} or any(
            indhold.get(k) != v for k, v in stempel.items() if k != "hmac"):
        return None
    normale = indhold.get("normale", {})
    if not isinstance(normale, dict) or any(
            name not in TABLES or not isinstance(cols, list)
            or any(c not in TABLES[name].column_names or TABLES[name].column(c).kind not in _TEKSTARTER for c in cols)
            for name, cols in normale.items()):
        return None
    return indhold


def _skriv_stempel(mappe: Path, stempel: dict, normale: dict[str, list[str]], noegle: bytes) -> None:
    indhold = {k: v for k, v in stempel.items() if k != "hmac"} | {"normale": normale}
    indhold["hmac"] = hmac.new(noegle, json.dumps(indhold, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()
    try:
        (mappe / STEMPEL).write_text(json.dumps(indhold, indent=1), encoding="utf-8")
    except OSError:
        pass                     # a read-only folder is simply validated every time


def _laes_fil(loader: "_Loader", con: duckdb.DuckDBPyConnection, t: Table, path: Path,
              materialise: bool, kontroller: bool = True, normale: list[str] = ()) -> bool:
    """Read and parse one file; any failure of the engine or the file system on it is an error
    on that file (never a traceback: the engine's message may quote the data, so it is not shown)."""
    try:
        raw = loader.raw(t, path)
        return raw is not None and loader.parse(t, path, raw, materialise, kontroller, normale)
    except duckdb.Error as e:
        loader.fejl.append(Fejl(path.name, None, None, None,
                                f"filen kan ikke læses ({type(e).__name__}); er den en gyldig {path.suffix[1:]}-fil?"))
    except PermissionError:
        loader.fejl.append(Fejl(path.name, None, None, None, "filen kan ikke læses: ingen læseadgang"))
    except OSError as e:
        loader.fejl.append(Fejl(path.name, None, None, None, f"filen kan ikke læses ({type(e).__name__})"))
    return False


def indlaes(mappe: str | Path, con: duckdb.DuckDBPyConnection | None = None,
            materialise_parquet: bool = False, genbrug_validering: bool = True) -> Registre:
    """Load and validate a data folder. Raises :class:`RegisterFejl` listing every problem.

    A folder that passed validation gets a stamp (``.kontrol-valideret.json``: the contract's
    and every file's SHA-256, signed with a key outside the folder, see :func:`_stempelnoegle`).
    When the stamp still matches, the cell, row and duplicate checks are not run again: the
    daily run over a national extract validated once pays only for reading. Any changed byte,
    added or removed file, changed contract, or a stamp not signed with the key means a full
    check. ``genbrug_validering=False`` (``kontrol valider``) always checks everything."""
    mappe = Path(mappe)
    if not mappe.is_dir():
        raise RegisterFejl([Fejl(str(mappe), None, None, None, "mappen findes ikke")])
    con = con or duckdb.connect()
    files, fejl = find_files(mappe)
    noegle = _stempelnoegle(mappe) if not fejl else None
    try:
        stempel = _stempel(files, noegle) if noegle is not None else None
    except OSError:
        stempel = None                       # an unreadable file: its error comes from reading it
    gemt = _gemt_stempel(mappe, stempel, noegle) if genbrug_validering and stempel is not None else None
    kontroller = gemt is None
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
            materialise = path.suffix != ".parquet" or materialise_parquet
            if _laes_fil(loader, con, t, path, materialise, kontroller,
                         (gemt or {}).get("normale", {}).get(name, [])):
                cols = ", ".join(_q(c) for c in t.column_names)
                con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {cols} FROM {name}_parsed")
            else:
                _empty_view(con, t)
        if loader._cpr_gode:          # the validation's memory of good CPR numbers is not kept
            con.execute(f"DROP TABLE IF EXISTS {loader._cpr_gode}")
    if loader.fejl:
        raise RegisterFejl(loader.fejl)
    noter = loader.noter + ([f"Fraværende tabeller (behandles som tomme): {', '.join(absent)}"] if absent else [])
    if not kontroller:
        noter.append("Mappen er uændret siden den sidst bestod valideringen; kontrollerne er ikke kørt igen")
    elif stempel is not None:
        _skriv_stempel(mappe, stempel, loader.normale, noegle)
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
    if not path.is_file():
        raise RegisterFejl([Fejl(path.name, None, None, None, "er ikke en almindelig fil")])
    con = con or duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="kontrol-") as tmp:
        loader = _Loader(path.parent, con, Path(tmp))
        _laes_fil(loader, con, t, path, materialise=True)
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
