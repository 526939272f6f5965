"""Money, exact: amounts are ``decimal.Decimal`` kr. with two decimals in the API and whole øre
(int) in the case store. Never float in anything summed or shown."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl

NUL = Decimal("0.00")
OERE = Decimal("0.01")


def er_tom(v) -> bool:
    """None, NaN, NA or NaT (an empty cell); an empty string is a value."""
    return v is None or (not isinstance(v, str) and pd.isna(v))


def beloeb(v) -> Decimal | None:
    """A cell as an exact amount in kr. (None when empty). A float is read by its shortest repr;
    more than two decimals is a ``ValueError``."""
    if er_tom(v):
        return None
    if isinstance(v, Decimal):
        return v
    if isinstance(v, float):
        v = repr(v)
    d = Decimal(str(v).strip().replace(",", "."))
    if d != d.quantize(OERE):
        raise ValueError(f"beløbet {v} har mere end to decimaler")
    return d


def til_oere(vaerdi, felt: str, ikke_negativ: bool = True) -> int | None:
    """An amount (Decimal, int, or text with decimal comma or point) as whole øre."""
    if vaerdi is None or (isinstance(vaerdi, float) and pd.isna(vaerdi)) or vaerdi is pd.NA:
        return None
    if isinstance(vaerdi, float):
        raise KontrolFejl(f"{felt}: beløb skal angives eksakt (tekst eller Decimal), ikke som kommatal")
    s = str(vaerdi).strip().replace(" ", "")
    if s == "":
        return None
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise KontrolFejl(f"{felt}: '{vaerdi}' er ikke et beløb") from None
    if not d.is_finite() or d != d.quantize(OERE):
        raise KontrolFejl(f"{felt}: '{vaerdi}' har mere end to decimaler (beløb angives i kr. og øre)")
    if ikke_negativ and d < 0:
        raise KontrolFejl(f"{felt}: beløbet kan ikke være negativt ('{vaerdi}')")
    return int(d * 100)


def fra_oere(oere) -> Decimal | None:
    """Whole øre back to kr. with two decimals (None stays None)."""
    if oere is None or (not isinstance(oere, int) and pd.isna(oere)):
        return None
    return (Decimal(int(oere)) / 100).quantize(OERE)
