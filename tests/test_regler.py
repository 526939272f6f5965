"""Table-driven tests per rule (spec/regler.md): every case of every rule family's
``kontrol_lib/regler/nationale/<familie>/tilfaelde.yaml``, named by its sentence.

The cases are data beside the rules they test (the format: :mod:`kontrol_lib.regler.tilfaelde`):
both sides of every threshold, YM and ÆF, KLE sets, several people. Registers are built in
memory (:func:`kontrol_lib.regler.byg.byg_registre`); one test below checks that they read
exactly as the same rows written to files and loaded. The cases' worlds are run together, one
samkøring per run date (:func:`kontrol_lib.regler.tilfaelde.koer_samlet`); a test below checks
that this gives, row for row, what each case gives alone. ``KONTROL_TILFAELDE_ENKELTVIS=1``
runs every case alone.

Run one family: ``pytest tests/test_regler.py -k biler``.
"""

from functools import cache

import pandas as pd
import pytest

from kontrol_lib.registre import indlaes
from kontrol_lib.registre.kontrakt import TABLES
from kontrol_lib.regler import REGLER
from kontrol_lib.regler import tilfaelde as T
from kontrol_lib.regler.byg import byg_registre, skriv_mappe
from kontrol_lib.regler.nationale import FAMILIE

TILFAELDE = T.alle()


@cache
def resultater() -> dict[str, pd.DataFrame]:
    return T.koer_samlet(TILFAELDE)


@pytest.mark.parametrize("tilfaelde", [pytest.param(t, id=t.id) for t in TILFAELDE])
def test_rule(tilfaelde):
    tilfaelde.tjek(resultater()[tilfaelde.id])


def test_cases_run_together_give_what_each_gives_alone():
    """One case per family with the most hits (among them several people), run alone."""
    for familie in sorted({t.familie for t in TILFAELDE}):
        t = max((t for t in TILFAELDE if t.familie == familie), key=lambda t: len(t.udfald))
        orden = ["ym_cpr", "regel", "haendelsesdato", "haendelse_id", "person_cpr"]
        pd.testing.assert_frame_equal(t.koer().sort_values(orden).reset_index(drop=True),
                                      resultater()[t.id].sort_values(orden).reset_index(drop=True))


def test_every_case_file_under_nationale_is_run():
    assert sorted(T.NATIONALE.glob("**/tilfaelde.yaml")) == sorted(T.filer())


def test_every_rule_has_cases_on_both_sides_in_its_own_family():
    for rid in REGLER:
        egne = [t for t in TILFAELDE if t.regel == rid]
        assert egne, f"{rid} har ingen tilfælde"
        assert all(t.familie == FAMILIE[rid] for t in egne), f"{rid}: tilfælde uden for familien {FAMILIE[rid]}"
        assert any(t.udfald for t in egne) and any(not t.udfald for t in egne), f"{rid}: mangler udfald/intet udfald"


def test_every_family_has_a_case_with_several_people():
    for familie in {t.familie for t in TILFAELDE}:
        assert any(len({f.ym for f in t.udfald}) > 1 for t in TILFAELDE if t.familie == familie), familie


def test_registers_built_in_memory_read_as_the_same_rows_written_to_files(tmp_path):
    """byg_registre must give the engine exactly what the loader gives it from files."""
    # every row of every case once (one row per key where the contract has a key)
    alle: dict[str, list] = {}
    set_af: set = set()
    for t in TILFAELDE:
        for navn, rows in t.tabeller().items():
            for r in rows:
                noegle = (navn,) + (tuple(r.get(k) for k in TABLES[navn].key) if TABLES[navn].key
                                    else tuple(sorted((k, str(v)) for k, v in r.items())))
                if noegle not in set_af:
                    set_af.add(noegle)
                    alle.setdefault(navn, []).append(r)
    fra_filer = indlaes(skriv_mappe(tmp_path / "d", alle))
    i_hukommelsen = byg_registre(alle)
    assert sorted(i_hukommelsen.fravaerende) == sorted(fra_filer.fravaerende)
    for navn in TABLES:
        orden = ", ".join(TABLES[navn].column_names)
        a = fra_filer.con.sql(f"SELECT * FROM {navn} ORDER BY {orden}").fetchall()
        b = i_hukommelsen.con.sql(f"SELECT * FROM {navn} ORDER BY {orden}").fetchall()
        assert a == b, navn
        assert fra_filer.con.sql(f"DESCRIBE {navn}").fetchall() == i_hukommelsen.con.sql(f"DESCRIBE {navn}").fetchall()


def test_a_case_file_that_breaks_the_format_names_file_and_case(tmp_path):
    f = tmp_path / "tilfaelde.yaml"
    f.write_text("- navn: et tilfælde\n  regel: bilkoeb\n  input: {biler: [{cpr: XX}]}\n  udfald: []\n",
                 encoding="utf-8")
    with pytest.raises(T.TilfaeldeFejl, match=r"tilfaelde.yaml, tilfælde 1 \(et tilfælde\).*ukendt person 'XX'"):
        T.laes(f)
    f.write_text("- navn: et tilfælde\n  regel: ukendt\n  udfald: []\n", encoding="utf-8")
    with pytest.raises(T.TilfaeldeFejl, match="ukendt regel 'ukendt'"):
        T.laes(f)
