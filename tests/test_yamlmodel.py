"""The YAML files a user edits: the pydantic models load the shipped files to exactly the values
the hand-written loaders gave, and every problem of a bad file is reported at once in Danish."""

import ast
import shutil
from pathlib import Path

import pytest
from yaml_snapshot import snapshot

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.regler.lokale import ListeFejl, indlaes_lister
from kontrol_lib.rapporter.batch import laes_plan
from kontrol_lib.parametre.kommune import KommuneParameterFejl, hent_kommune

FOER = Path(__file__).resolve().parent / "data" / "yaml_indlaest.txt"


def test_the_shipped_files_load_to_exactly_the_values_of_the_hand_written_loaders():
    foer = FOER.read_text(encoding="utf-8").splitlines()
    nu = snapshot().splitlines()
    assert [n.split(":")[0] for n in nu] == [f.split(":")[0] for f in foer]
    for f, n in zip(foer, nu):
        assert n == f


# --------------------------------------------------------------------------- every problem at once
ROOT = Path(__file__).resolve().parents[1]


def fejllinjer(e) -> list[str]:
    """The problem lines of a message: one per problem, after the heading."""
    overskrift, *linjer = str(e.value).splitlines()
    assert overskrift.startswith("Fejl i ") and overskrift.endswith(":")
    assert all(linje.startswith("  - ") for linje in linjer)
    return [linje[4:] for linje in linjer]


def test_a_dated_parameter_file_with_several_errors_lists_each_with_file_key_and_value(tmp_path):
    (tmp_path / "regler").mkdir()
    f = tmp_path / "regler" / "graense.yaml"
    f.write_text("beskrivelse: x\nenhed: [kr]\nreference: y\nfarve: blaa\nvaerdier:\n  2019-01-01: 500.00\n"
                 "  2018-13-01: 600\n  2024-01-01: {beloeb: 1}\n  2018-01-01: 400\n", encoding="utf-8")
    (tmp_path / "regler" / "syntaks.yaml").write_text("beskrivelse: [x\n", encoding="utf-8")
    (tmp_path / "regler" / "liste.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    parametre.alle.cache_clear()
    with pytest.raises(parametre.ParameterFejl) as e:
        parametre.alle(tmp_path)
    assert isinstance(e.value, KontrolFejl)
    assert fejllinjer(e) == [
        f"{f}: farve: ukendt nøgle (kendte: beskrivelse, enhed, reference, vaerdier)",
        f"{f}: enhed: skal være en tekst, ikke ['kr']",
        f"{f}: vaerdier: datoerne under 'vaerdier' skal stå i stigende orden uden gentagelser "
        "(2018-01-01 står efter 2024-01-01)",
        f"{f}: vaerdier.2018-13-01: '2018-13-01' under 'vaerdier' er ikke en dato (ÅÅÅÅ-MM-DD)",
        f"{f}: vaerdier.2024-01-01: skal være et tal, en tekst, en liste af dem eller null, ikke {{'beloeb': 1}}",
        f"{tmp_path / 'regler' / 'liste.yaml'}: filen skal være en samling af nøgle: værdi, ikke [1, 2]",
        f"{tmp_path / 'regler' / 'syntaks.yaml'}: ikke gyldig YAML (linje 2, kolonne 1: expected ',' or ']', "
        "but got '<stream end>')",
    ]


def test_a_municipality_file_with_several_errors_lists_each_with_file_key_and_value(tmp_path):
    mappe = tmp_path / "kommuner"
    mappe.mkdir()
    shutil.copy(ROOT / "parameters" / "kommuner" / "standard.yaml", mappe / "standard.yaml")
    f = mappe / "151-ballerup.yaml"
    f.write_text("udvalgg: x\nenhed: [a]\nmoededato: 2025-02-30\nnettoprocent: {kontanthjaelp: 120}\n"
                 "tekster: {indledning: 'I {aar}', afslutning: x}\n"
                 "perioder:\n  2024: {aarsvaerk: nul, kommunekode: 151}\n", encoding="utf-8")
    with pytest.raises(KommuneParameterFejl) as e:
        hent_kommune(151, 2024, mappe=mappe)
    assert fejllinjer(e) == [
        f"{f}: ukendt nøgle 'udvalgg' (kendte nøgler: kommunekode, kommunenavn, enhed, forvaltning, udvalg, "
        "indstiller, sagsbehandler, sagsnummer, moededato, aarsvaerk, paragraf10_aktiveringsdato, nettoprocent, "
        "tekster, moede, afsnit, kategori_raekkefoelge, kategori_forklaringer, personale, paragraf11_retur, "
        "perioder)",         # issue 14: the meeting, the narrative sections, category order and explanations
        f"{f}: 'enhed' skal være en ikke-tom tekst, ikke ['a']",
        f"{f}: 'moededato' skal være en dato (ÅÅÅÅ-MM-DD), ikke '2025-02-30'",
        f"{f}: 'nettoprocent.kontanthjaelp' skal være en procent mellem 0 og 100, ikke 120",
        f"{f}: ukendt tekst 'tekster.afslutning' (kendte: indledning, sagsresume, sagsfremstilling, resultat, "
        "indstilling, perspektivering)",
        f"{f}: ukendt nøgle 'perioder.2024.kommunekode' (kendte nøgler: enhed, forvaltning, udvalg, indstiller, "
        "sagsbehandler, sagsnummer, moededato, aarsvaerk, paragraf10_aktiveringsdato, nettoprocent, tekster, moede, "
        "afsnit, kategori_raekkefoelge, kategori_forklaringer, personale, paragraf11_retur)",
        f"{f}: 'perioder.2024.aarsvaerk' skal være et positivt tal (fx 4.5), ikke 'nul'",
    ]


def test_a_problem_in_the_standard_file_is_named_with_the_standard_file(tmp_path):
    mappe = tmp_path / "kommuner"
    mappe.mkdir()
    std = (ROOT / "parameters" / "kommuner" / "standard.yaml").read_text(encoding="utf-8")
    (mappe / "standard.yaml").write_text(std.replace("udvalg: Økonomiudvalget", "udvalg: 7"), encoding="utf-8")
    with pytest.raises(KommuneParameterFejl) as e:
        hent_kommune(101, 2024, mappe=mappe)
    assert fejllinjer(e) == [f"{mappe / 'standard.yaml'}: 'udvalg' skal være en ikke-tom tekst, ikke 7"]


def test_a_list_file_with_several_errors_lists_each_with_file_key_and_value(tmp_path):
    (tmp_path / "god.yaml").write_text((ROOT / "parameters" / "lister" / "bopaelssamlinger.yaml")
                                       .read_text(encoding="utf-8"), encoding="utf-8")
    f = tmp_path / "x.yaml"
    f.write_text("titel: T\nkilde: K\nbegrundelse: [B]\nkontroltype: snyd\ngaelder_fra: 2024-01-01\n"
                 "gaelder_til: 2023-12-31\nfarve: blaa\nbefolkning: {ydelser: [kaffe], kraev_udbetaling: maaske}\n"
                 "adresse: tilflyttet_i_perioden\nperiode: {maaneder: 0}\n"
                 "kriterier:\n  - {type: voksne_paa_adressen, min_antal: {2024-01-01: 3, primo: 4}, undtag: nabo}\n"
                 "  - {type: ingen_aegtefaelle, ikke: maaske}\n", encoding="utf-8")
    with pytest.raises(ListeFejl) as e:
        indlaes_lister(tmp_path)
    assert e.value.fejl == fejllinjer(e) == [
        f"{f}: farve: ukendt nøgle (kendte: navn, titel, beskrivelse, kilde, begrundelse, kontroltype, gaelder_fra, "
        "gaelder_til, befolkning, adresse, periode, sag, kriterier)",
        f"{f}: begrundelse: skal være en tekst, ikke ['B']",
        f"{f}: kontroltype: 'snyd' er ukendt (kendte: formue, virksomhed, indkomst, familie, flytning, status)",
        f"{f}: gaelder_til: 2023-12-31 ligger før gaelder_fra (2024-01-01)",
        f"{f}: befolkning.ydelser: ukendt ydelse 'kaffe' (kendte: andet, boernebidrag, boernetilskud, "
        "foertidspension, folkepension, integrationsydelse, kontanthjaelp, ledighedsydelse, oekonomisk_friplads, "
        "ressourceforloeb, sygedagpenge)",
        f"{f}: befolkning.kraev_udbetaling: skal være ja eller nej, ikke 'maaske'",
        f"{f}: periode.maaneder: 0 skal ligge mellem 1 og 120",
        f"{f}: kriterier[1].min_antal.primo: 'primo' under 'min_antal' er ikke en dato (ÅÅÅÅ-MM-DD)",
        f"{f}: kriterier[1].undtag: ukendt relation 'nabo' (kendte: aegtefaelle, barn, foraelder, soeskende)",
        f"{f}: kriterier[2].ikke: skal være ja eller nej, ikke 'maaske'",
    ]


def test_a_batch_plan_with_several_errors_lists_each_with_file_key_and_value(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text("sager: mangler.csv\naar: [2024, 1999]\nkommuner: [151, Atlantis]\ntyper: [aarsrapport, budget]\n"
                 "workers: to\npdf: ja\ntidsgraense: -5\nfarve: blaa\n", encoding="utf-8")
    with pytest.raises(KontrolFejl) as e:
        laes_plan(f)
    assert fejllinjer(e) == [
        f"{f}: ukendt nøgle 'farve' (kendte: sager, db, benchmark, ud, aar, kommuner, typer, workers, pdf, tidsgraense)",
        f"{f}: 'sager': filen findes ikke: {tmp_path / 'mangler.csv'}",
        f"{f}: 'aar' skal være et årstal eller en liste af årstal, ikke [2024, 1999]",
        f"{f}: 'kommuner[2]': Ukendt kommune: 'Atlantis'. Angiv kommunekoden (fx 151) eller navnet (fx Ballerup).",
        f"{f}: 'typer[2]': ukendt rapporttype 'budget' (kendte: aarsrapport, udvalgsorientering, benchmark, regeleffekt eller alle)",
        f"{f}: 'workers' skal være et positivt heltal, ikke 'to'",
        f"{f}: 'pdf' skal være true eller false, ikke 'ja'",
        f"{f}: 'tidsgraense' skal være et positivt antal sekunder, ikke -5",
    ]


def test_a_cpr_number_in_a_bad_value_is_masked(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text("db: x\naar: '0101901234'\nkommuner: ['010190-1234']\n", encoding="utf-8")
    with pytest.raises(KontrolFejl) as e:
        laes_plan(f)
    msg = str(e.value)
    assert "0101901234" not in msg and "010190-1234" not in msg and "1234" not in msg
    assert "'aar' skal være et årstal eller en liste af årstal, ikke '010190****'" in msg


def test_the_yaml_helper_imports_nothing_of_the_product_but_its_error_and_parameters_no_higher_layer():
    def imports(modul):
        tree = ast.parse((ROOT / "kontrol_lib" / modul).read_text(encoding="utf-8"))
        return {("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
            {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {m for m in imports("parametre/yamlmodel.py") if m.startswith(".") or m.startswith("kontrol_lib")} == \
        {"kontrol_lib.vokabular.fejl"}
    assert {m for m in imports("parametre/daterede.py") if m.startswith(".") or m.startswith("kontrol_lib")} == \
        {"kontrol_lib.vokabular.fejl", "kontrol_lib.parametre.yamlmodel"}
