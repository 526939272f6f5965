import datetime as dt
from decimal import Decimal

import pytest

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre import alle, hent


def write(root, name, text):
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


BASE = "beskrivelse: x\nenhed: kr\nreference: y\n"


def test_the_value_in_force_on_each_side_of_a_change(tmp_path):
    write(tmp_path, "a/graense.yaml", BASE + "vaerdier:\n  2018-05-08: 500.00\n  2024-01-01: 600\n  2025-01-01: null\n")
    alle.cache_clear()
    assert hent("a.graense", dt.date(2018, 5, 8), tmp_path) == Decimal("500.00")
    assert hent("a.graense", dt.date(2023, 12, 31), tmp_path) == Decimal("500.00")
    assert hent("a.graense", dt.date(2024, 1, 1), tmp_path) == 600
    with pytest.raises(KontrolFejl, match="ingen værdi den 2018-05-07"):
        hent("a.graense", dt.date(2018, 5, 7), tmp_path)
    with pytest.raises(KontrolFejl, match="ingen værdi den 2025-01-01"):
        hent("a.graense", dt.date(2025, 1, 1), tmp_path)


@pytest.mark.parametrize("body, message", [
    ("beskrivelse: x\nvaerdier:\n  2018-01-01: 1\n", "mangler nøglen enhed, reference"),
    (BASE + "vaerdier:\n  2019-01-01: 1\n  2018-01-01: 2\n", "stigende orden"),
    (BASE + "vaerdier:\n  primo 2018: 1\n", "'primo 2018' under 'vaerdier' er ikke en dato"),
    (BASE + "vaerdier: 5\n", "'vaerdier' skal være"),
])
def test_a_bad_parameter_file_is_named(tmp_path, body, message):
    write(tmp_path, "b/fejl.yaml", body)
    alle.cache_clear()
    with pytest.raises(KontrolFejl) as e:
        alle(tmp_path)
    assert str(tmp_path / "b/fejl.yaml") in str(e.value) and message in str(e.value)
