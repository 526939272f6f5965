"""One helper per legal phrase of time in ``spec/regler.md``.

Every helper works on ``datetime.date`` and has an SQL twin (the macros in :mod:`kontrol_lib.regler.motor` use
DuckDB's month arithmetic, which keeps the day of month and falls back to the month's last day,
exactly like :func:`plus_maaneder`). The tests check both against the same cases.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd


def maanedens_foerste(d: dt.date) -> dt.date:
    return d.replace(day=1)


def maanedens_sidste(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def plus_maaneder(d: dt.date, n: int) -> dt.date:
    """"d + n months": same day of month, or the month's last day when that day does not exist
    (2023-11-30 + 3 months = 2024-02-29). ``n`` may be negative."""
    m = d.year * 12 + (d.month - 1) + n
    year, month = divmod(m, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def plus_aar(d: dt.date, n: int) -> dt.date:
    """"d + n years" with the same fallback (2008-02-29 + 18 years = 2026-02-28)."""
    return plus_maaneder(d, 12 * n)


def minus_aar(d: dt.date, n: int) -> dt.date:
    """"D − n years" ("højst 15 år siden" is a first registration on or after this date)."""
    return plus_maaneder(d, -12 * n)


def kontrolperiode(d: dt.date, maaneder: int = 3) -> tuple[dt.date, dt.date]:
    """"Fra den første dag for tre måneder siden indtil sidste dag i indeværende måned":
    D = 2024-05-15 → (2024-02-01, 2024-05-31)."""
    return maanedens_foerste(plus_maaneder(maanedens_foerste(d), -maaneder)), maanedens_sidste(d)


def seneste_hele_maaned(d: dt.date) -> tuple[dt.date, dt.date]:
    """"Seneste hele måned": the calendar month before D's month (D = 2024-05-15 → April)."""
    start = plus_maaneder(maanedens_foerste(d), -1)
    return start, maanedens_sidste(start)


def hele_maaneder_foer(start: dt.date, maaneder: int) -> tuple[dt.date, dt.date]:
    """The ``maaneder`` whole calendar months just before ``start`` (the first of a month):
    hele_maaneder_foer(2024-02-01, 3) = (2023-11-01, 2024-01-31)."""
    if start.day != 1:
        raise ValueError("start skal være den første i en måned")
    return plus_maaneder(start, -maaneder), start - dt.timedelta(days=1)


def fyldt(foedselsdato: dt.date, alder: int) -> dt.date:
    """The day a person born on ``foedselsdato`` turns ``alder`` (Feb 29 → Feb 28). A child is
    "under 18 on d" when d < fyldt(foedselsdato, 18)."""
    return plus_aar(foedselsdato, alder)


def dage_mellem(a: dt.date, b: dt.date) -> int:
    """"Dage mellem" two dates: b − a in days (2024-01-01 → 2024-03-01 is 60)."""
    return (b - a).days


def som_dato(v) -> dt.date | None:
    """A cell (date, datetime, Timestamp or ISO text) as a ``datetime.date``; empty → None."""
    if v is None or (not isinstance(v, (str, dt.date)) and pd.isna(v)):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    return dt.date.fromisoformat(str(v)[:10])


DANSK_TID = ZoneInfo("Europe/Copenhagen")


def lokal_tid(v) -> dt.datetime | None:
    """A stored timestamp (naive UTC) as Danish local time (naive, to the second), for people
    to read; None stays None."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if v.tzinfo is None:
        v = v.replace(tzinfo=dt.timezone.utc)
    return v.astimezone(DANSK_TID).replace(tzinfo=None, microsecond=0)
