import datetime as dt
from decimal import Decimal

from kontrol_lib.vokabular.format import celle, dato, dato_lang, kr, kr_fra_oere, maaneder_tekst, procent, tal


def test_danish_thousands_and_decimal_marks():
    assert tal(1234567) == "1.234.567"
    assert tal(Decimal("1234.5"), 2) == "1.234,50"
    assert tal(-1234) == "-1.234"
    assert kr(11264947) == "11.264.947 kr."
    assert kr(Decimal("0.5")) == "1 kr."          # half up, not banker's rounding
    assert kr(Decimal("2.5")) == "3 kr."
    assert kr_fra_oere(123456) == "1.234,56 kr."
    assert procent(Decimal("0.1234")) == "12,3 %"
    assert procent(None) == "–"


def test_danish_dates():
    assert dato(dt.date(2024, 5, 15)) == "15-05-2024"
    assert dato_lang(dt.date(2024, 5, 1)) == "1. maj 2024"


def test_months_are_words_below_ten_and_digits_from_ten():
    assert maaneder_tekst(1) == "én måned"
    assert maaneder_tekst(3) == "tre måneder"
    assert maaneder_tekst(9) == "ni måneder"
    assert maaneder_tekst(12) == "12 måneder"
    assert maaneder_tekst(24) == "24 måneder"


def test_a_register_cell_is_iso_for_dates_and_empty_for_none():
    assert celle(None) == ""
    assert celle(dt.date(2024, 2, 29)) == "2024-02-29"
    assert celle(Decimal("500.01")) == "500.01"
    assert celle(151) == "151"
    assert celle("") == ""
