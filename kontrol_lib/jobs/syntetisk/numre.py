"""Synthetic CPR and CVR numbers that look real but cannot belong to real people (CPR) or are
drawn from one documented range (CVR). Vectorised: every function works on numpy arrays.

CPR construction (documented in ``docs/synth.md``):

* digits 1-6 are the real birth date, digit 7 gives the right century (the CPR office's table:
  0-3 → 1900-1999; 4 and 9 → 2000-2036 for yy ≤ 36, else 1900s; 5-8 → 2000-2057 for yy ≤ 57,
  else 1858-1899), digit 10 gives the sex (odd = man);
* every number FAILS modulus 11 (weights 4,3,2,7,6,5,4,3,2,1). Until 1 October 2007 every CPR
  number passed modulus 11; since then numbers without it are issued only for birth dates whose
  modulus-11 series ran out, which the CPR office lists as 1 January dates (cpr.dk, "Personnumre
  uden kontrolciffer");
* the generator never uses 1 January. So a synthetic number is outside everything the CPR office
  says it has issued. This is not a promise about the future: the office says its list is not
  necessarily complete, and it may issue numbers without modulus 11 for other dates later.

CVR construction: 8 digits in the range ``CVR_LAV``..``CVR_HOEJ`` with a valid modulus-11 check
digit (weights 2,7,6,5,4,3,2,1), so they look and validate like real CVR numbers. A synthetic
CVR number can coincide with a real company's number; it is only ever used with synthetic
people.
"""

from __future__ import annotations

import numpy as np

CPR_VAEGTE = np.array([4, 3, 2, 7, 6, 5, 4, 3, 2, 1], dtype=np.int64)
CVR_VAEGTE = np.array([2, 7, 6, 5, 4, 3, 2, 1], dtype=np.int64)
CVR_LAV = 60_000_000
CVR_HOEJ = 69_999_999


def _digits(numbers: np.ndarray, n: int) -> np.ndarray:
    """(len, n) array of the decimal digits of ``numbers`` (most significant first)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    powers = 10 ** np.arange(n - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers[None, :]) % 10


def cpr_digits(cpr: np.ndarray | list[str]) -> np.ndarray:
    """Digits of 10-digit CPR strings as a (len, 10) int array."""
    a = np.asarray(cpr, dtype="S10")
    return (np.frombuffer(a.tobytes(), dtype=np.uint8).reshape(-1, 10) - ord("0")).astype(np.int64)


def cpr_mod11_ok(cpr) -> np.ndarray:
    """True where a CPR number passes modulus 11."""
    return (cpr_digits(cpr) @ CPR_VAEGTE) % 11 == 0


def cvr_mod11_ok(cvr) -> np.ndarray:
    """True where a CVR number passes modulus 11."""
    a = np.asarray([int(x) for x in cvr], dtype=np.int64) if not isinstance(cvr, np.ndarray) else cvr
    return (_digits(np.asarray(a, dtype=np.int64), 8) @ CVR_VAEGTE) % 11 == 0


def _century_digit(rng: np.random.Generator, year: np.ndarray) -> np.ndarray:
    """A 7th digit that encodes the century of ``year`` under the CPR office's table."""
    yy = year % 100
    n = len(year)
    d7 = np.full(n, -1, dtype=np.int64)
    c19 = (year >= 1900) & (year <= 1999)
    # 1900s: 0-3 always; 4 and 9 also when yy >= 37.
    choice19 = np.where(yy >= 37, rng.integers(0, 6, n), rng.integers(0, 4, n))
    d7 = np.where(c19, np.array([0, 1, 2, 3, 4, 9])[choice19], d7)
    c20 = year >= 2000
    # 2000s: 4 and 9 for yy <= 36, 5-8 for yy <= 57.
    choice20 = np.where(yy <= 36, rng.integers(0, 6, n), rng.integers(2, 6, n))
    d7 = np.where(c20, np.array([4, 9, 5, 6, 7, 8])[choice20], d7)
    c18 = year < 1900
    d7 = np.where(c18, rng.integers(5, 9, n), d7)
    if (d7 < 0).any():  # pragma: no cover - years outside 1858-2057
        raise ValueError("fødselsår uden for CPR-systemets interval")
    return d7


def cpr_numre(rng: np.random.Generator, foedsel: np.ndarray, mand: np.ndarray) -> np.ndarray:
    """Unique CPR numbers (as an ``S10`` array) for the birth dates ``foedsel``
    (datetime64[D]) and sexes ``mand`` (bool), all failing modulus 11. Raises if a birth date
    is 1 January."""
    foedsel = np.asarray(foedsel, dtype="datetime64[D]")
    n = len(foedsel)
    years = foedsel.astype("datetime64[Y]").astype(np.int64) + 1970
    months = foedsel.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (foedsel - foedsel.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    if ((months == 1) & (days == 1)).any():
        raise ValueError("syntetiske CPR-numre må ikke have fødselsdato 1. januar")
    dato6 = days * 10_000 + months * 100 + years % 100
    d7 = _century_digit(rng, years)
    serial = rng.integers(0, 100, n)
    # Redraw (vectorised, a few rounds at most) where the first nine digits collide.
    for _ in range(200):
        first9 = dato6 * 1000 + d7 * 100 + serial
        _, inverse, counts = np.unique(first9, return_inverse=True, return_counts=True)
        dup = counts[inverse] > 1
        # keep the first occurrence of each value
        order = np.argsort(first9, kind="stable")
        first_of = np.zeros(n, dtype=bool)
        s = first9[order]
        first_of[order[np.r_[True, s[1:] != s[:-1]]]] = True
        redo = dup & ~first_of
        if not redo.any():
            break
        serial = np.where(redo, rng.integers(0, 100, n), serial)
        d7 = np.where(redo, _century_digit(rng, years), d7)
    else:  # pragma: no cover
        raise RuntimeError("kunne ikke danne entydige CPR-numre")
    first9 = dato6 * 1000 + d7 * 100 + serial
    partial = (_digits(first9, 9) @ CPR_VAEGTE[:9]) % 11
    valid_check = (11 - partial) % 11          # the check digit that WOULD pass modulus 11
    # Candidate check digits of the right parity; pick one at random that is not the valid one.
    parity = np.where(mand, 1, 0)
    cand = parity[:, None] + 2 * np.arange(5)[None, :]          # 5 digits of the right parity
    ok = cand != valid_check[:, None]
    keys = rng.random((n, 5)) + (~ok) * 10                       # invalid candidates sort last
    check = cand[np.arange(n), np.argmin(keys, axis=1)]
    number = first9 * 10 + check
    return np.char.zfill(number.astype("S10"), 10)


def cvr_numre(rng: np.random.Generator, n: int, brugt: np.ndarray | None = None) -> np.ndarray:
    """``n`` distinct CVR numbers (int64) in [CVR_LAV, CVR_HOEJ] that pass modulus 11 and are
    not in ``brugt``."""
    out = np.empty(0, dtype=np.int64)
    taken = np.asarray(brugt if brugt is not None else [], dtype=np.int64)
    while len(out) < n:
        base = rng.integers(CVR_LAV // 10, CVR_HOEJ // 10 + 1, 2 * (n - len(out)) + 10)
        partial = (_digits(base, 7) @ CVR_VAEGTE[:7]) % 11
        check = (11 - partial) % 11
        good = check < 10                           # check 10 is impossible: skip that base
        cand = base[good] * 10 + check[good]
        cand = cand[~np.isin(cand, taken) & ~np.isin(cand, out)]
        cand = cand[np.sort(np.unique(cand, return_index=True)[1])]
        out = np.concatenate([out, cand[: n - len(out)]])
    return out
