"""The caseworker's tools in the case store (issue 16), on SQLite and PostgreSQL: person search,
duplicate warnings, notes with the CPR guard, reopening counted as a correction, linked cases and
company (CVR) cases in their own kanal. Stores are seeded through the public API
(``test_visitering_hjaelp.seed``: cases A-D udstillet 1-4 May 2024)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import text

from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.maal import provenu
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.sager.sagsbehandling import CPR_MOENSTER, DubletAdvarsel
from kontrol_lib.vokabular.fejl import KontrolFejl
from test_visitering_hjaelp import UDFALD_KOLONNER, YM_A, YM_B, YM_C, seed, udfald

D = dt.date
CPR = re.compile(r"\d{6}-?\d{4}")


@pytest.fixture
def lg(db_url):
    ids = seed(db_url, D(2024, 5, 1))
    lager = SagsLager(db_url)
    lager.ids = ids
    yield lager
    lager.luk()


def trin3(ym: str, uid: str, ydelse: str = "kontanthjaelp", dato=D(2024, 5, 20)) -> pd.DataFrame:
    return pd.DataFrame([{"udk_sag_id": uid, "cpr": ym, "kommunekode": 151, "ydelse": ydelse, "modtaget": dato,
                          "oplysninger": "Bagudgående kontrol"}])


def visninger(lg, hvad: str) -> list[tuple]:
    v = lg.visninger(bruger="tilsyn")
    v = v[v["hvad"] == hvad]
    return list(zip(v["sag_id"], v["bruger"], v["formaal"], v["rolle"]))


# ---------------------------------------------------------------- person search
def test_person_search_finds_every_case_of_the_person_open_and_closed_across_kanaler_with_or_without_dash(lg):
    a = lg.ids["A"]
    lg.bestil(1, "anna", dato=D(2024, 5, 10))                                       # A is the oldest
    lg.visiter(a, "anna", "henlaeg", dato=D(2024, 5, 10))
    ny = koer_udfald(lg, pd.DataFrame([udfald(YM_A, "bilkoeb", "c-a2", D(2024, 5, 15))], columns=UDFALD_KOLONNER),
                     D(2024, 5, 15)).nye_sager
    with pytest.warns(DubletAdvarsel):
        [udk] = lg.importer_trin3(trin3(YM_A, "UDK-A"), "anna", dato=D(2024, 5, 20))["nye"]
    med = lg.find_person("010180-1234", "anna", formaal="visitering")
    uden = lg.find_person(" 0101801234 ", "anna", formaal="visitering")
    pd.testing.assert_frame_equal(med, uden)
    assert med[["sag_id", "cpr", "kanal", "kontroltrin", "status"]].values.tolist() == [
        [a, YM_A, "dfd_registersamkoering", 2, "henlagt_i_visitering"],
        [ny[0], YM_A, "dfd_registersamkoering", 2, "udstillet"],
        [udk, YM_A, "udk", 3, "udstillet"]]
    # every case shown is logged, twice (two searches), with who, purpose and role
    assert visninger(lg, "personsoegning") == [(s, "anna", "visitering", "sagsbehandler")
                                               for s in (a, ny[0], udk) * 2]


def test_person_search_needs_a_purpose_the_role_and_a_ten_digit_number(lg):
    with pytest.raises(KontrolFejl, match="Angiv formålet"):
        lg.find_person(YM_A, "anna")
    with pytest.raises(KontrolFejl, match="Et CPR-nummer har 10 cifre") as e:
        lg.find_person("010180-123", "anna", formaal="visitering")
    assert not CPR.search(str(e.value))
    assert lg.find_person("1111111118", "anna", formaal="visitering").empty        # nobody: nothing shown
    assert visninger(lg, "personsoegning") == []
    lg.giv_roller("bo", ["leder"], "admin")
    with pytest.raises(AdgangNaegtet, match="sagsbehandler"):
        lg.find_person(YM_A, "bo", formaal="visitering")


# ---------------------------------------------------------------- duplicates
def test_a_new_case_for_a_person_and_ydelse_with_an_open_case_is_a_returned_and_raised_warning(lg):
    b = lg.ids["B"]
    lg.bestil(2, "anna", dato=D(2024, 5, 10))                                       # A and B leave the list
    # the daily run: B's person gets a new event while B is ordered -> a new case, a duplicate of B
    res = koer_udfald(lg, pd.DataFrame([udfald(YM_B, "b_indkomst", "i-b2", D(2024, 5, 15))],
                                       columns=UDFALD_KOLONNER), D(2024, 5, 15))
    [b2] = res.nye_sager
    assert res.dubletter == [{"sag_id": b2, "ydelse": "kontanthjaelp", "aabne": [b]}]
    # trin 3 for the same person and ydelse: both open cases named, in the result and as a warning
    with pytest.warns(DubletAdvarsel) as w:
        r = lg.importer_trin3(trin3(YM_B, "UDK-B"), "anna", dato=D(2024, 5, 20))
    [udk] = r["nye"]
    assert r["dubletter"] == [{"sag_id": udk, "ydelse": "kontanthjaelp", "aabne": sorted([b, b2])}]
    assert str(w[0].message) == (f"Sag {udk}: samme person og ydelse har allerede en åben sag "
                                 f"({', '.join(sorted([b, b2]))}).")
    # another ydelse, or a person whose only case is closed: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lg.importer_trin3(trin3(YM_B, "UDK-B2", "sygedagpenge"), "anna", dato=D(2024, 5, 20))["dubletter"] == []
        lg.visiter(lg.ids["A"], "anna", "henlaeg", dato=D(2024, 5, 21))
        assert lg.importer_trin3(trin3(YM_A, "UDK-A"), "anna", dato=D(2024, 5, 22))["dubletter"] == []
    assert lg.dubletter([b, lg.ids["C"]], "anna") == [{"sag_id": b, "ydelse": "kontanthjaelp",
                                                       "aabne": sorted([b2, udk])}]


def test_a_local_list_finding_for_a_person_with_an_open_case_warns(lg):
    from kontrol_lib.sager import Kilde
    c = lg.ids["C"]
    kilde = Kilde(kanal="lokal_kontrolliste", kontroltrin=1, gruppering=("ym_cpr", "regel"), orden=("haendelse_id",),
                  tilslutning=("ym_cpr", "regel"), sagsattributter=lambda r: {
                      "myndighed": "kommune", "paragraf11": "nej", "ydelse": "sygedagpenge", "kle": "32.18.04",
                      "ydelsesomraade": "sygedagpenge"})
    fund = pd.DataFrame([dict(udfald(YM_C, "liste_x", "l-c", D(2024, 5, 20)), regel_titel="Liste X",
                              kontroltype="status")])
    with pytest.warns(DubletAdvarsel, match=f"allerede en åben sag \\({c}\\)"):
        res = lg.udstil_fund(fund, D(2024, 5, 20), "anna", kilde)
    assert [d["aabne"] for d in res.dubletter] == [[c]]


# ---------------------------------------------------------------- notes
@pytest.mark.parametrize("tekst, cpr_agtig", [
    ("Ringede til 010180-1234 i dag", True),                 # with the dash
    ("0101801234", True),                                    # without
    ("partner 010180 1234", True),                           # with a space
    ("3112801234", True), ("0112801234", True),              # day 31 and month 12: the edges inside
    ("3212801234", False), ("0113801234", False),            # day 32, month 13: not a date
    ("0001801234", False),                                   # day 00
    ("12345678901", False), ("01018012345", False),       # eleven digits
    ("Beløb 1234567890,50", False), ("Beløb 0101801234,50", True),   # ten digits: a date or not
    ("tlf. 12345678", False), ("Journal 2024-05-10", False),
])
def test_the_cpr_pattern_of_free_text(tekst, cpr_agtig):
    assert bool(CPR_MOENSTER.search(tekst)) is cpr_agtig


def test_notes_are_appended_logged_refused_with_a_cpr_and_never_changed(lg):
    a = lg.ids["A"]
    n1 = lg.skriv_note(a, "  Borgeren ringede; afventer kontoudtog.  ", "anna")
    assert (n1["bruger"], n1["rolle"], n1["tekst"]) == ("anna", "sagsbehandler", "Borgeren ringede; afventer kontoudtog.")
    with pytest.raises(KontrolFejl, match="ligner et CPR-nummer") as e:
        lg.skriv_note(a, "Ægtefællen er 0202851235", "anna")
    assert "0202851235" not in str(e.value)
    with pytest.raises(KontrolFejl, match="Notatet er tom"):
        lg.skriv_note(a, "   ", "anna")
    with pytest.raises(KontrolFejl, match="for lang \\(4001 tegn; højst 4000\\)"):
        lg.skriv_note(a, "x" * 4001, "anna")
    lg.skriv_note(a, "x" * 4000, "bo")
    noter = lg.noter(a, "anna", formaal="partshoering")
    assert noter[["bruger", "tekst"]].values.tolist() == [["anna", "Borgeren ringede; afventer kontoudtog."],
                                                          ["bo", "x" * 4000]]
    assert visninger(lg, "noter") == [(a, "anna", "partshoering", "sagsbehandler")]
    with pytest.raises(KontrolFejl, match="Angiv formålet"):
        lg.noter(a, "anna")
    with pytest.raises(KontrolFejl, match="findes ikke"):
        lg.skriv_note("INGEN-SAG", "tekst", "anna")
    for sql in ("UPDATE noter SET tekst = 'ændret'", "DELETE FROM noter"):
        with pytest.raises(Exception, match="loggen kan kun tilføjes"):
            with lg.engine.begin() as conn:
                conn.execute(text(sql))
    assert lg.tjek_log("tilsyn") == []


def test_a_changed_note_breaks_the_chain_and_is_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    ids = seed(url, D(2024, 5, 1))
    lg = SagsLager(url)
    lg.skriv_note(ids["A"], "første", "anna")
    lg.skriv_note(ids["A"], "anden", "anna")
    with lg.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER noter_kun_tilfoejelse_update")
        conn.exec_driver_sql("UPDATE noter SET tekst = 'ændret' WHERE tekst = 'første'")
    assert lg.tjek_log("tilsyn") == [f"hashkæden er brudt i noter, række id 1 (sag {ids['A']}): rækkens fritekst "
                                     "passer ikke med dens hash (teksten er ændret)"]
    lg.luk()


# ---------------------------------------------------------------- reopening
def test_a_reopened_case_counts_in_the_year_first_closed_and_its_new_closing_is_a_correction(lg):
    c = lg.ids["C"]
    lg.bestil(3, "anna", dato=D(2024, 5, 10))
    lg.visiter(c, "anna", "partshoering", dato=D(2024, 5, 10))
    lg.afgoer(c, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1000.00"),
              dato=D(2024, 6, 1))
    with pytest.raises(KontrolFejl, match="Begrundelsen for genåbning er tom"):
        lg.genaabn(c, "", "anna", dato=D(2025, 1, 10))
    with pytest.raises(KontrolFejl, match="ligner et CPR-nummer"):
        lg.genaabn(c, "klage fra 030390-1236", "anna", dato=D(2025, 1, 10))
    assert lg.genaabn(c, "Klage: indtægten var engangsbeløb", "anna", dato=D(2025, 1, 10)) == "partshoering"
    assert lg.status(c, "anna") == "partshoering"
    lg.afgoer(c, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="400.00"),
              dato=D(2025, 1, 20))
    ks = lg.kontrolsager(bruger="leder")
    row = ks[ks["sag_id"] == c].iloc[0]
    assert (row["afsluttet"], row["resultat"], row["besparelse_beloeb"]) == (D(2024, 6, 1), "aendret_tildeling",
                                                                             Decimal("1000.00"))
    k = lg.korrektioner(bruger="leder")
    assert k[["sag_id", "registreret", "besparelse_beloeb"]].values.tolist() == [[c, D(2025, 1, 20), Decimal("-600.00")]]
    kat = provenu.kategorier(ks, 2024, k)
    assert kat.loc[kat["kategori"] == "I alt", "fremadrettet_besparelse"].item() == Decimal("12000.00")
    kat25 = provenu.kategorier(ks, 2025, k)
    assert kat25.loc[kat25["kategori"] == "Korrektioner til tidligere år", "fremadrettet_besparelse"].item() \
        == Decimal("-7200.00")
    # a case closed in visitation goes back to the prioriteringsliste; closing it again without change
    a = lg.ids["A"]
    lg.visiter(a, "anna", "henlaeg", dato=D(2024, 5, 11))
    assert lg.genaabn(a, "Ny anmeldelse", "anna", dato=D(2024, 5, 12)) == "bestilt"
    lg.visiter(a, "anna", "henlaeg", dato=D(2024, 5, 13))
    assert lg.korrektioner(bruger="leder")["sag_id"].tolist() == [c]       # no amounts before or after
    log = lg.log(a, bruger="leder")
    assert log[["haendelse", "fra", "til"]].values.tolist()[-3:] == [
        ["visiter", "bestilt", "henlagt_i_visitering"], ["genaabn", "henlagt_i_visitering", "bestilt"],
        ["visiter", "bestilt", "henlagt_i_visitering"]]
    assert log["data"].tolist()[-2] == {"grund": "Ny anmeldelse", "lukket_som": "henlagt_i_visitering"}
    assert lg.tjek_log("tilsyn") == []


def test_only_a_closed_and_handled_case_can_be_reopened(lg):
    a, d = lg.ids["A"], lg.ids["D"]
    with pytest.raises(KontrolFejl, match=f"Sagen {a} er ikke afsluttet og kan derfor ikke genåbnes"):
        lg.genaabn(a, "grund", "anna", dato=D(2024, 5, 10))
    koer_udfald(lg, pd.DataFrame([], columns=UDFALD_KOLONNER), D(2024, 8, 5))           # past every udloebsdato
    assert lg.status(d, "anna") == "udloebet"
    with pytest.raises(KontrolFejl, match=f"Sagen {d} er udløbet uden at være behandlet og kan ikke genåbnes"):
        lg.genaabn(d, "grund", "anna", dato=D(2024, 8, 6))


# ---------------------------------------------------------------- links
def test_linked_cases_both_ways_removed_by_a_new_row_and_refused_twice(lg):
    a, b, c = lg.ids["A"], lg.ids["B"], lg.ids["C"]
    lg.tilknyt(a, b, "Samme husstand", "anna")
    lg.tilknyt(c, a, "Samme arbejdsgiver", "bo")
    assert lg.relationer(a, "anna")[["sag_id", "grund", "bruger"]].values.tolist() == [
        [b, "Samme husstand", "anna"], [c, "Samme arbejdsgiver", "bo"]][::1 if b < c else -1]
    assert lg.relationer(b, "anna")["sag_id"].tolist() == [a]
    with pytest.raises(KontrolFejl, match="er allerede kædet sammen"):
        lg.tilknyt(b, a, "igen", "anna")
    with pytest.raises(KontrolFejl, match="kan ikke kædes sammen med sig selv"):
        lg.tilknyt(a, a, "selv", "anna")
    lg.fjern_tilknytning(b, a, "Fejl: ikke samme husstand", "anna")
    assert lg.relationer(b, "anna").empty and lg.relationer(a, "anna")["sag_id"].tolist() == [c]
    with pytest.raises(KontrolFejl, match="er ikke kædet sammen"):
        lg.fjern_tilknytning(a, b, "igen", "anna")
    assert lg.relationer(a, "leder")["sag_id"].tolist() == [c]                   # no personal data: leder may
    assert lg.tjek_log("tilsyn") == []


# ---------------------------------------------------------------- company cases
def test_a_company_case_is_its_own_kanal_found_by_cvr_and_a_second_open_one_warns(lg):
    with pytest.raises(KontrolFejl, match="Et CVR-nummer har 8 cifre"):
        lg.opret_virksomhedssag("1234567", 151, "kontanthjaelp", "grund", "anna", dato=D(2024, 5, 12))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v1, d1 = lg.opret_virksomhedssag("12345678", 151, "kontanthjaelp", "Anmeldelse om sort arbejde", "anna",
                                         dato=D(2024, 5, 12))
    assert d1 == []
    with pytest.warns(DubletAdvarsel):
        v2, d2 = lg.opret_virksomhedssag("1234 5678", 151, "kontanthjaelp", "Ny anmeldelse", "anna",
                                         dato=D(2024, 5, 13))
    assert d2 == [{"sag_id": v2, "ydelse": "kontanthjaelp", "aabne": [v1]}]
    fundet = lg.find_person("12345678", "anna", formaal="visitering")
    assert fundet[["sag_id", "cpr", "cvr", "kanal", "status"]].values.tolist() == [
        [v1, None, "12345678", "virksomhedskontrol", "bestilt"], [v2, None, "12345678", "virksomhedskontrol", "bestilt"]]
    assert visninger(lg, "virksomhedssoegning") == [(v1, "anna", "visitering", "sagsbehandler"),
                                                    (v2, "anna", "visitering", "sagsbehandler")]
    lg.visiter(v1, "anna", "partshoering", dato=D(2024, 5, 14))
    lg.afgoer(v1, "anna", "aendret_tildeling", Beloeb(tilbagebetalingskrav="25000.00"), dato=D(2024, 7, 1))
    lg.visiter(v2, "anna", "henlaeg", dato=D(2024, 5, 14))
    ks = lg.kontrolsager(bruger="leder")
    assert ks.loc[ks["sag_id"] == v1, "virksomhedskontrol"].item() == "ja"
    kan = provenu.kanaler(ks, 2024).set_index("kanal")
    assert kan.loc["virksomhedskontrol", ["afsluttede", "med_provenu"]].tolist() == [2, 1]
    assert kan.loc["virksomhedskontrol", "hitrate"] == Decimal("0.5000")
    assert lg.tjek_log("tilsyn") == []
