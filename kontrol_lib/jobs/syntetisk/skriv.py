"""Write the generated tables in the contract's column order, as CSV (``;``, UTF-8, ISO dates,
decimal point) or Parquet (DATE, DECIMAL(18,2), VARCHAR cpr/cvr/kle, integer kommunekode).
Rows are sorted by CPR number and date, as a register extract would be."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kontrol_lib.registre.kontrakt import TABLES
from kontrol_lib.registre import FORMATS
from kontrol_lib.jobs.syntetisk.model import INGEN

# Internal column names differ from the contract in eindkomst (payer index) and adressetekster
# (the municipality, to form adresse_id as in adresser).
_INTERN = {"eindkomst": ["cpr", "payer", "indkomsttype", "udbetalingsdato", "beloeb"],
           "adressetekster": ["adresse_id", "kommunekode", "vejnavn", "husnr", "etage", "doer", "postnr",
                              "postdistrikt"]}


def _decimal(oere: np.ndarray) -> pa.Array:
    oere = np.asarray(oere, dtype=np.int64)
    buf = np.empty(2 * len(oere), dtype=np.int64)
    buf[0::2] = oere
    buf[1::2] = np.where(oere < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(oere), [None, pa.py_buffer(buf.tobytes())])


def _dato(days: np.ndarray) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    mask = days == INGEN
    return pa.array(np.where(mask, 0, days).astype(np.int32), mask=mask).cast(pa.date32())


def _ordbog(idx: np.ndarray, ordbog: pa.Array) -> pa.Array:
    idx = np.asarray(idx, dtype=np.int64)
    mask = idx < 0
    ind = pa.array(np.where(mask, 0, idx).astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(ind, ordbog).cast(pa.string())


def _nuller(x: np.ndarray, bredde: int) -> np.ndarray:
    """Whole numbers as zero-padded text of ``bredde`` digits."""
    x = np.asarray(x, dtype=np.int64)
    if len(x) == 0:
        return np.empty(0, dtype=f"U{bredde}")
    return np.char.zfill(x.astype(f"U{bredde}"), bredde)


def _tekst8(x: np.ndarray) -> pa.Array:
    return pa.array(_nuller(x, 8), type=pa.string())


def _tabel(v, navn: str, cpr_ordbog: pa.Array, cpr_rang: np.ndarray) -> pa.Table:
    t = TABLES[navn]
    intern = _INTERN.get(navn, t.column_names)
    data = _uden_dubletter(navn, v.T.samlet(navn, intern))
    n = len(next(iter(data.values()))) if data else 0
    # sort by CPR number, then by the table's first date column
    first_date = next((c.name for c in t.columns if c.kind == "date"), None)
    if "cpr" in data and n:
        keys = _pak([cpr_rang[data["cpr"]]] + ([data[first_date]] if first_date else []))
        order = np.lexsort(keys[::-1])
        data = {k: a[order] for k, a in data.items()}
    cols = {}
    for c in t.columns:
        if navn == "eindkomst" and c.name == "indberetter_cvr":
            cols[c.name] = _ordbog(data["payer"], _tekst8(v.payer_cvr))
            continue
        if navn == "eindkomst" and c.name == "branchekode":
            cols[c.name] = _ordbog(data["payer"], pa.array(v.payer_branche.astype(str)))
            continue
        a = data[c.name]
        if c.kind == "cpr":
            cols[c.name] = _ordbog(a, cpr_ordbog)
        elif c.kind == "cvr":
            cols[c.name] = _tekst8(a)
        elif c.kind == "date":
            cols[c.name] = _dato(a)
        elif c.kind == "amount":
            cols[c.name] = _decimal(a)
        elif c.kind in ("kommune", "int"):
            cols[c.name] = pa.array(np.asarray(a, dtype=np.int64))
        elif c.name == "adresse_id":
            kom = _nuller(data["kommunekode"], 4)
            cols[c.name] = pa.array(np.char.add(np.char.add(kom, "-"), _nuller(a, 8)), type=pa.string())
        elif c.name == "stelnummer":
            cols[c.name] = pa.array(np.char.add("SYNZZZ", _nuller(a, 11)), type=pa.string())
        elif c.optional and c.kind == "text":           # an empty text is a missing value (NULL)
            tekst = np.asarray(a).astype(str)
            cols[c.name] = pa.array(tekst, mask=tekst == "", type=pa.string())
        else:
            cols[c.name] = pa.array(np.asarray(a).astype(str), type=pa.string())
    return pa.table(cols)


def _koder(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return a.astype(np.int64, copy=False)
    return np.unique(a, return_inverse=True)[1].astype(np.int64)


def _pak(keys: list[np.ndarray]) -> list[np.ndarray]:
    """Pack non-negative-shifted integer keys into as few int64 words as fit (63 bits each),
    keeping their order of significance, so that sorting compares fewer arrays."""
    out, word, used = [], None, 0
    for k in keys:
        k = k - k.min() if len(k) else k
        bits = max(1, int(k.max()).bit_length()) if len(k) else 1
        if word is not None and used + bits <= 63:
            word = (word << bits) | k
            used += bits
        else:
            if word is not None:
                out.append(word)
            word, used = k.astype(np.int64), bits
    if word is not None:
        out.append(word)
    return out


def gentagelser(data: dict[str, np.ndarray]) -> np.ndarray:
    """For each row, how many identical rows come before it (0 = first occurrence)."""
    keys = _pak([_koder(a) for a in data.values()])
    n = len(keys[0]) if keys else 0
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    order = np.lexsort(keys[::-1])
    same = np.ones(n - 1, dtype=bool)
    for k in keys:
        ks = k[order]
        same &= ks[1:] == ks[:-1]
    idx = np.arange(n)
    run_start = np.maximum.accumulate(np.where(np.r_[True, ~same], idx, 0))
    rep = np.empty(n, dtype=np.int64)
    rep[order] = idx - run_start
    return rep


def _uden_dubletter(navn: str, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """No exact duplicate rows. A repeated eIndkomst line (same person, payer, type, date and
    amount: possible when two random amounts meet) gets one øre more per repeat; B-indkomst
    lines are planted with distinct amounts and never touched. Any other repeat is a bug."""
    for _ in range(10):
        rep = gentagelser(data)
        if not rep.any():
            return data
        if navn != "eindkomst" or (rep[data["indkomsttype"] == 5] > 0).any():
            raise RuntimeError(f"generatorfejl: {navn} har {int((rep > 0).sum())} ens rækker")
        data["beloeb"] = data["beloeb"] + rep
    raise RuntimeError(f"generatorfejl: {navn} har ens rækker")  # pragma: no cover


def skriv_tabeller(v, cpr: np.ndarray, ud: Path, fmt: str) -> dict[str, int]:
    for name in TABLES:               # a table in two formats is refused by the loader
        for ext in FORMATS:
            p = ud / f"{name}{ext}"
            if p.exists():
                p.unlink()
    cpr_str = cpr.astype(str)
    cpr_ordbog = pa.array(cpr_str)
    cpr_rang = np.empty(len(cpr), dtype=np.int64)
    cpr_rang[np.argsort(cpr_str, kind="stable")] = np.arange(len(cpr))
    antal = {}
    for navn, t in TABLES.items():
        tab = _tabel(v, navn, cpr_ordbog, cpr_rang)
        v.T.dele.pop(navn, None)          # free the blocks as soon as the table is built
        antal[navn] = tab.num_rows
        if fmt == "parquet":
            pq.write_table(tab, ud / f"{navn}.parquet", compression="zstd")
        else:
            with open(ud / f"{navn}.csv", "wb") as f:
                f.write((";".join(t.column_names) + "\n").encode("utf-8"))
                pacsv.write_csv(tab, f, pacsv.WriteOptions(include_header=False, delimiter=";",
                                                           quoting_style="none"))
    return antal
