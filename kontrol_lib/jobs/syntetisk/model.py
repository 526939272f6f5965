"""Building blocks of the generator: dates as int64 day numbers, the growing person register
and the growing tables. Everything is vectorised over numpy arrays.

Internally a date is an int64 count of days since 1970-01-01 (the Arrow ``date32`` value);
``INGEN`` marks an empty date. A person is an int64 index into :class:`Folk`; CPR numbers are
given to everybody at the very end. Amounts are int64 øre.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

INGEN = np.int64(-(1 << 40))      # an empty date
EPOCH = np.datetime64("1970-01-01", "D")


def dag(d: dt.date | str) -> int:
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def som_dato(n: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(n))


def _parts(days: np.ndarray):
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    y = m.astype("datetime64[Y]")
    return (y.astype(np.int64) + 1970, m.astype(np.int64) % 12 + 1,
            (d - m.astype("datetime64[D]")).astype(np.int64) + 1, m)


def aar(days) -> np.ndarray:
    return _parts(days)[0]


def maaned_nr(days) -> np.ndarray:
    """Months since 1970-01 (for comparing months)."""
    return _parts(days)[3].astype(np.int64)


def foerste_i_maaned(month_nr) -> np.ndarray:
    return np.asarray(month_nr, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def sidste_i_maaned(month_nr) -> np.ndarray:
    return foerste_i_maaned(np.asarray(month_nr) + 1) - 1


def plus_maaneder(days, k) -> np.ndarray:
    """``days + k months``, keeping the day of month and falling back to the month's last day
    (2023-11-30 + 3 months = 2024-02-29), as regler.md defines it."""
    days = np.asarray(days, dtype=np.int64)
    _, _, dom, m = _parts(days)
    nm = m.astype(np.int64) + np.asarray(k, dtype=np.int64)
    first = foerste_i_maaned(nm)
    length = sidste_i_maaned(nm) - first + 1
    return first + np.minimum(dom, length) - 1


def plus_aar(days, k) -> np.ndarray:
    return plus_maaneder(days, 12 * np.asarray(k, dtype=np.int64))


def er_1_januar(days) -> np.ndarray:
    _, mo, dom, _ = _parts(days)
    return (mo == 1) & (dom == 1)


def undgaa_1_januar(days) -> np.ndarray:
    """Move 1 January to 2 January (synthetic CPR numbers never carry 1 January)."""
    days = np.asarray(days, dtype=np.int64)
    return np.where(er_1_januar(days), days + 1, days)


def ugedag(days) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7


def sidste_bankdag(month_nr) -> np.ndarray:
    """Last weekday of each month (holidays ignored): the usual Danish pay day."""
    last = sidste_i_maaned(month_nr)
    wd = ugedag(last)
    return last - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))


def tilfaeldig_dag(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform day in [lo, hi] (inclusive), element-wise; requires lo <= hi."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    if np.any(hi < lo):
        raise ValueError("tomt datointerval")
    n = max(lo.size, hi.size)
    return lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)


@dataclass(frozen=True)
class Perioder:
    """The dates of regler.md for one run date D."""
    D: int
    kp_start: int          # first day of the month three months before D's month
    E: int                 # last day of D's month (= kontrolperiode end)
    lm_start: int          # seneste hele måned
    lm_end: int
    look_start: int        # first day of the three whole months before the kontrolperiode
    hist_start: int        # first day of the twelve months of history
    md0: int               # month number of hist_start
    md_D: int              # month number of D

    @classmethod
    def for_dato(cls, d: dt.date) -> "Perioder":
        D = dag(d)
        mD = int(maaned_nr(np.array([D]))[0])
        return cls(D=D, kp_start=int(foerste_i_maaned(mD - 3)), E=int(sidste_i_maaned(mD)),
                   lm_start=int(foerste_i_maaned(mD - 1)), lm_end=int(sidste_i_maaned(mD - 1)),
                   look_start=int(foerste_i_maaned(mD - 6)), hist_start=int(foerste_i_maaned(mD - 12)),
                   md0=mD - 12, md_D=mD)

    def loenningsdage(self) -> np.ndarray:
        """Pay day of each month from hist_start's month to D's month (index 0..12)."""
        return sidste_bankdag(np.arange(self.md0, self.md_D + 1))


class Folk:
    """The person register, grown in blocks. Index = person id."""

    def __init__(self):
        self._foedsel: list[np.ndarray] = []
        self._mand: list[np.ndarray] = []
        self.n = 0
        self._doed: list[tuple[np.ndarray, np.ndarray]] = []

    def ny(self, foedsel, mand) -> np.ndarray:
        foedsel = undgaa_1_januar(np.atleast_1d(np.asarray(foedsel, dtype=np.int64)))
        mand = np.broadcast_to(np.asarray(mand, dtype=bool), foedsel.shape).copy()
        idx = np.arange(self.n, self.n + len(foedsel), dtype=np.int64)
        self._foedsel.append(foedsel)
        self._mand.append(mand)
        self.n += len(foedsel)
        return idx

    def foedsel(self) -> np.ndarray:
        return np.concatenate(self._foedsel) if self._foedsel else np.empty(0, np.int64)

    def mand(self) -> np.ndarray:
        return np.concatenate(self._mand) if self._mand else np.empty(0, bool)

    def doedsdatoer(self) -> np.ndarray:
        out = np.full(self.n, INGEN, dtype=np.int64)
        for k, v in self._doed:
            out[k] = v
        return out

    def saet_doed(self, personer, datoer) -> None:
        personer = np.atleast_1d(np.asarray(personer, dtype=np.int64))
        self._doed.append((personer, np.broadcast_to(np.asarray(datoer, dtype=np.int64), personer.shape).copy()))


class Tabeller:
    """Columns of each output table, appended block by block (arrays or scalars)."""

    def __init__(self):
        self.dele: dict[str, list[dict[str, np.ndarray]]] = defaultdict(list)

    def tilfoej(self, navn: str, **cols) -> None:
        n = max((np.size(v) for v in cols.values() if np.ndim(v) > 0), default=1)
        if n == 0:
            return
        block = {}
        for k, v in cols.items():
            a = np.asarray(v)
            block[k] = np.broadcast_to(a, (n,)).copy() if a.ndim == 0 else a
            if len(block[k]) != n:
                raise ValueError(f"{navn}.{k}: længde {len(block[k])} ≠ {n}")
        self.dele[navn].append(block)

    def samlet(self, navn: str, kolonner: list[str]) -> dict[str, np.ndarray]:
        blocks = self.dele.get(navn, [])
        out = {}
        for k in kolonner:
            arrs = [b[k] for b in blocks if k in b]
            if len(arrs) != len(blocks):
                raise KeyError(f"{navn}: kolonnen {k} mangler i en blok")
            out[k] = np.concatenate(arrs) if arrs else np.empty(0)
        return out
