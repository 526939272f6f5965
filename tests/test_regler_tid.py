"""One helper per legal phrase of time, each checked against its SQL twin in the engine."""

import datetime as dt

import duckdb
import pytest

from kontrol_lib.vokabular import tid
from kontrol_lib.regler.motor import MACROS

d = dt.date


@pytest.mark.parametrize("start, n, expected", [
    pytest.param(d(2023, 11, 30), 3, d(2024, 2, 29), id="30 November plus 3 months falls back to 29 February in a leap year"),
    pytest.param(d(2022, 11, 30), 3, d(2023, 2, 28), id="30 November plus 3 months falls back to 28 February otherwise"),
    pytest.param(d(2024, 1, 10), 3, d(2024, 4, 10), id="the day of month is kept when it exists"),
    pytest.param(d(2024, 3, 31), -1, d(2024, 2, 29), id="minus one month from 31 March is 29 February"),
    pytest.param(d(2024, 12, 15), 1, d(2025, 1, 15), id="adding months crosses the year"),
])
def test_plus_maaneder_and_its_sql_twin(start, n, expected):
    assert tid.plus_maaneder(start, n) == expected
    con = duckdb.connect()
    for m in MACROS:
        con.execute(f"CREATE TEMP MACRO {m}")
    assert con.execute(f"SELECT sk_plus_maaneder(DATE '{start}', {n})").fetchone()[0] == expected


@pytest.mark.parametrize("dato, expected", [
    pytest.param(d(2024, 5, 15), d(2009, 5, 15), id="D minus 15 years keeps the day"),
    pytest.param(d(2024, 2, 29), d(2009, 2, 28), id="D minus 15 years from 29 February is 28 February"),
])
def test_minus_aar(dato, expected):
    assert tid.minus_aar(dato, 15) == expected


@pytest.mark.parametrize("dato, expected", [
    pytest.param(d(2024, 5, 15), (d(2024, 2, 1), d(2024, 5, 31)), id="mid May gives February to end of May"),
    pytest.param(d(2024, 5, 1), (d(2024, 2, 1), d(2024, 5, 31)), id="the first of the month gives the same period"),
    pytest.param(d(2024, 5, 31), (d(2024, 2, 1), d(2024, 5, 31)), id="the last of the month gives the same period"),
    pytest.param(d(2024, 1, 20), (d(2023, 10, 1), d(2024, 1, 31)), id="January reaches back into the previous year"),
    pytest.param(d(2024, 2, 10), (d(2023, 11, 1), d(2024, 2, 29)), id="February ends on the 29th in a leap year"),
])
def test_kontrolperiode(dato, expected):
    assert tid.kontrolperiode(dato) == expected


@pytest.mark.parametrize("dato, expected", [
    pytest.param(d(2024, 5, 15), (d(2024, 4, 1), d(2024, 4, 30)), id="the seneste hele maaned of mid May is April"),
    pytest.param(d(2024, 1, 1), (d(2023, 12, 1), d(2023, 12, 31)), id="the seneste hele maaned of 1 January is December"),
    pytest.param(d(2024, 3, 31), (d(2024, 2, 1), d(2024, 2, 29)), id="the seneste hele maaned of 31 March is February"),
])
def test_seneste_hele_maaned(dato, expected):
    assert tid.seneste_hele_maaned(dato) == expected


def test_the_three_whole_months_before_the_kontrolperiode():
    assert tid.hele_maaneder_foer(d(2024, 2, 1), 3) == (d(2023, 11, 1), d(2024, 1, 31))
    with pytest.raises(ValueError):
        tid.hele_maaneder_foer(d(2024, 2, 2), 3)


def test_a_child_born_on_29_february_turns_18_on_28_february():
    assert tid.fyldt(d(2008, 2, 29), 18) == d(2026, 2, 28)
    assert tid.fyldt(d(2006, 5, 16), 18) == d(2024, 5, 16)


def test_dage_mellem_counts_calendar_days():
    assert tid.dage_mellem(d(2024, 1, 1), d(2024, 3, 1)) == 60
    assert tid.dage_mellem(d(2024, 1, 1), d(2024, 3, 2)) == 61
