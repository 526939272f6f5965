"""Danish formatting of numbers, money and dates for everything a user reads.

Amounts are formatted from exact values (Decimal, int øre or int kr.); never from a float sum.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MAANEDER = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
            "oktober", "november", "december")


def _group(n: int) -> str:
    s = f"{abs(n):,}".replace(",", ".")
    return ("-" if n < 0 else "") + s


def tal(x, decimaler: int = 0) -> str:
    """1234567 → '1.234.567'; with decimals a decimal comma: 1234,5 → '1.234,50'."""
    d = Decimal(str(x)) if not isinstance(x, Decimal) else x
    q = d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    out = sign + _group(int(whole))
    return out + ("," + frac if decimaler else "")


def kr(x, decimaler: int = 0) -> str:
    """Amount in kroner: '1.234.567 kr.' (rounded half up to whole kroner by default)."""
    return f"{tal(x, decimaler)} kr."


def kr_fra_oere(oere: int, decimaler: int = 2) -> str:
    return kr(Decimal(int(oere)) / 100, decimaler)


def procent(andel, decimaler: int = 1) -> str:
    """A fraction 0.1234 → '12,3 %'. None (empty denominator) → '–'."""
    if andel is None:
        return "–"
    return f"{tal(Decimal(str(andel)) * 100, decimaler)} %"


def dato(d: dt.date) -> str:
    """2024-05-15 → '15-05-2024' (the form caseworkers use)."""
    return d.strftime("%d-%m-%Y")


def dato_lang(d: dt.date) -> str:
    """2024-05-15 → '15. maj 2024'."""
    return f"{d.day}. {MAANEDER[d.month - 1]} {d.year}"


ORD_UNDER_TI = ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni")


def celle(v) -> str:
    """A value as a register file's cell: ISO dates, empty for None, otherwise its text."""
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def maaneder_tekst(n: int) -> str:
    """A number of months in Danish prose: words below ten, digits from ten
    (1 → 'én måned', 3 → 'tre måneder', 12 → '12 måneder')."""
    n = int(n)
    if n == 1:
        return "én måned"
    return f"{ORD_UNDER_TI[n] if 0 <= n < 10 else tal(n)} måneder"
