"""A caseworker's day in the app (issue 16), driven from Python: each defect the issue lists is an
assertion here (the browser test repeats the morning in Chromium). Stores are test stores seeded
through the public API (``test_visitering_hjaelp.seed``: A-D udstillet 1-4 May 2024, udløbsdato
1-4 August 2024)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from kontrol_lib.flader.visitering import VisiteringsApp
from kontrol_lib.flader.visitering.app import FANE_SOEG
from test_visitering_hjaelp import YM_A, YM_B, seed, seed_mange

D = dt.date
DAG = D(2024, 5, 10)


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'kontrol.sqlite'}"


@pytest.fixture
def ids(url):
    return seed(url, D(2024, 5, 1))


@pytest.fixture
def app(url, ids):
    a = VisiteringsApp(url, "anna", dato=DAG)
    a.formaal.value = "visitering"
    yield a
    a.lager.luk()


def raekker(html: str) -> list[str]:
    return re.findall(r'<tr data-sag="([^"]+)"', html)


def celler(html: str, kolonne: str) -> list[str]:
    return re.findall(f'<td data-kolonne="{kolonne}">([^<]*)</td>', html)


def til_partshoering(app, sag) -> None:
    app.faner.selected_index = 1
    app.prio_sag.value = sag
    app.prio_ark_knap.click()
    app.partshoering_knap.click()


# ---------------------------------------------------------------- ordering
def test_the_order_controls_and_their_result_sit_above_the_list(app, ids):
    fane = app.faner.children[0].children
    knapper = next(i for i, c in enumerate(fane) if app.bestil_knap in getattr(c, "children", ()))
    assert knapper < fane.index(app.bestil_resultat) < fane.index(app.bestillings_tabel)
    app.antal.value = 2
    app.bestil_knap.click()
    assert f"2 sager er bestilt og står nu på prioriteringslisten: {ids['A']}, {ids['B']}." in app.bestil_resultat.value


def test_expired_cases_are_shown_as_expired_and_not_ordered(url, ids):
    app = VisiteringsApp(url, "anna", dato=D(2024, 8, 3))          # A (1 Aug) and B (2 Aug) have expired
    try:
        html = app.bestillings_tabel.value
        assert re.findall(r'<tr data-sag="([^"]+)" class="kontrol-udloebet" data-udloebet>', html) == [ids["A"], ids["B"]]
        assert celler(html, "udloebsdato") == ["01-08-2024 (udløbet)", "02-08-2024 (udløbet)", "03-08-2024",
                                               "04-08-2024"]
        assert 'data-udloebne="2">Heraf 2 udløbet' in html
        app.antal.value = 3
        app.bestil_knap.click()
        assert f"2 sager er bestilt og står nu på prioriteringslisten: {ids['C']}, {ids['D']}." in app.besked.value
        app.bestil_knap.click()
        assert "Sagerne på listen er udløbet og kan ikke bestilles." in app.bestil_resultat.value
        assert app.lager.status(ids["A"], "anna") == "udstillet"
    finally:
        app.lager.luk()


def test_the_bestillingsliste_is_paged_and_sorted(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    mange = seed_mange(url, 60, D(2024, 5, 1))
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        assert raekker(app.bestillings_tabel.value) == mange[:50]
        assert "Side 1 af 2 (60 sager)" in app.bestil_sider.tekst.value
        app.bestil_sider.naeste.click()
        assert raekker(app.bestillings_tabel.value) == mange[50:]
        app.bestil_sortering.value = "sag_id:ned"
        assert raekker(app.bestillings_tabel.value) == mange[::-1][:50]
    finally:
        app.lager.luk()


# ---------------------------------------------------------------- the kontrolark
def test_the_kontrolark_shows_the_reason_first_full_height_and_agrees_with_the_status_after_each_action(app, ids):
    b = ids["B"]
    app.antal.value = 2
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_sag.value = b
    app.prio_ark_knap.click()
    fane = app.faner.children[2].children
    assert fane.index(app.ark_grund) < fane.index(app.ark_indhold)
    assert "Nærmere oplysninger" in app.ark_grund.value and "bilkoeb (c-b) registreret den 2024-05-01" in \
        app.ark_grund.value
    assert "min-height:900px" in app.ark_indhold.value and "height:620px" not in app.ark_indhold.value
    app.partshoering_knap.click()
    assert 'data-status="partshoering"' in app.ark_status.value
    assert "sendt i partshøring (på feedbacklisten)" in app.ark_indhold.value.split("Historik")[0]
    assert "Gemt: sag" in app.ark_gemt.value and "sendt i partshøring (på feedbacklisten) den 10-05-2024 af anna" \
        in app.ark_gemt.value
    app.resultat.value = "aendret_tildeling"
    app.rytme.value = "maaned"
    app.besparelse.value = "1.234,56"
    app.tilbagebetaling.value = "10000"
    app.afgoer_knap.click()
    assert app.fejl is None and app.besparelse.value == ""                      # the form is emptied ...
    assert 'data-status="aendret_tildeling"' in app.ark_status.value
    assert "afgjort med ændret tildeling" in app.ark_indhold.value
    # ... and what was stored is shown, read back from the store
    assert "Kontanthjælp: besparelse 1.234,56 kr., tilbagebetalingskrav 10.000,00 kr., rytme pr. måned." \
        in app.ark_gemt.value


def test_a_refused_step_says_the_state_and_date_in_danish(app, ids):
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    app.afgoer_knap.click()
    assert app.fejl == (f"Sagen {ids['A']} kan ikke afgøres: den er bestilt (på prioriteringslisten), sat af anna "
                        "den 10-05-2024. Det kræver, at sagen er sendt i partshøring (på feedbacklisten). "
                        "Intet er ændret.")


def test_the_header_names_the_person_and_roles_but_not_the_store(app, url):
    assert "anna" in app.hoved.value and "Sagslager" not in app.hoved.value and "sqlite" not in app.hoved.value


# ---------------------------------------------------------------- feedbackliste
def test_the_feedbackliste_has_danish_names_filters_and_the_newest_first(url, ids):
    anna = VisiteringsApp(url, "anna", dato=DAG)
    bo = VisiteringsApp(url, "bo", dato=D(2024, 5, 12))
    try:
        for a in (anna, bo):
            a.formaal.value = "visitering"
        anna.antal.value = 2
        anna.bestil_knap.click()                                  # A, B
        bo.antal.value = 2
        bo.bestil_knap.click()                                    # C (sygedagpenge), D
        til_partshoering(anna, ids["A"])
        til_partshoering(bo, ids["C"])
        til_partshoering(bo, ids["D"])
        anna.faner.selected_index = 3
        html = anna.feedback_tabel.value
        assert raekker(html)[0] in (ids["C"], ids["D"]) and raekker(html)[-1] == ids["A"]   # newest first
        assert set(celler(html, "ydelse")) == {"Kontanthjælp", "Sygedagpenge"}
        assert "kontanthjaelp" not in html and "dfd_registersamkoering" not in html
        assert celler(html, "kanal")[0] == "Registersamkøring (Den Fælles Dataenhed)"
        anna.feedback_sagsbehandler.value = "bo"
        anna.feedback_filtrer_knap.click()
        assert sorted(raekker(anna.feedback_tabel.value)) == sorted([ids["C"], ids["D"]])
        anna.feedback_ydelse.value = "sygedagpenge"
        assert raekker(anna.feedback_tabel.value) == [ids["C"]]
        anna.feedback_sagsbehandler.value = ""
        anna.feedback_ydelse.value = ""
        anna.feedback_til.value = D(2024, 5, 11)
        anna.feedback_filtrer_knap.click()
        assert raekker(anna.feedback_tabel.value) == [ids["A"]]
        anna.feedback_til.value = None
        anna.feedback_status.value = "aendret_tildeling"          # a closed status: closed cases are included
        assert anna.feedback_alle.value is True and raekker(anna.feedback_tabel.value) == []
        # only the rows shown were logged (the filtered-out ones never left the store)
        v = anna.lager.visninger(bruger="tilsyn")
        v = v[(v["bruger"] == "anna") & (v["hvad"] == "feedbackliste")]
        alle = raekker(html)
        assert v["sag_id"].tolist() == [*alle,                                    # the tab opened
                                        *[s for s in alle if s != ids["A"]],      # bo's
                                        ids["C"],                                 # bo's sygedagpenge
                                        *alle,                                    # ydelse back to all
                                        ids["A"]]                                 # until 11 May; none closed
    finally:
        anna.lager.luk()
        bo.lager.luk()


# ---------------------------------------------------------------- search, notes, reopen, links, CVR
def test_person_search_notes_reopen_and_links_from_the_app(app, ids):
    a, b = ids["A"], ids["B"]
    app.faner.selected_index = FANE_SOEG
    app.soeg_felt.value = f"{YM_A[:6]}-{YM_A[6:]}"
    app.soeg_knap.click()
    assert raekker(app.soeg_tabel.value) == [a] and 'data-soegning="1"' in app.soeg_tabel.value
    assert celler(app.soeg_tabel.value, "status") == ["udstillet på bestillingslisten"]
    app.soeg_felt.value = "0101801"
    app.soeg_knap.click()
    assert "Et CPR-nummer har 10 cifre" in app.fejl
    # open B from the search, write notes, close it, reopen it, link it to A
    app.antal.value = 2
    app.bestil_knap.click()
    app.soeg_felt.value = YM_B
    app.soeg_knap.click()
    app.soeg_ark_knap.click()
    assert app.aktuel_sag == b and app.faner.selected_index == 2
    assert "Ingen notater på sagen." in app.noter_html.value
    app.note_tekst.value = "Borgeren ringede 10.05; sender kontoudtog."
    app.note_knap.click()
    assert celler(app.noter_html.value, "tekst") == ["Borgeren ringede 10.05; sender kontoudtog."]
    app.note_tekst.value = f"Ægtefælle {YM_A}"
    app.note_knap.click()
    assert "ligner et CPR-nummer" in app.fejl and app.note_tekst.value == f"Ægtefælle {YM_A}"
    assert len(app.lager.noter(b, "anna", formaal="visitering")) == 1
    app.henlaeg_knap.click()
    app.genaabn_grund.value = "Ny oplysning fra banken"
    app.genaabn_knap.click()
    assert app.fejl is None and 'data-status="bestilt"' in app.ark_status.value
    assert "genåbnet og er nu bestilt (på prioriteringslisten)" in app.ark_gemt.value
    app.tilknyt_sag.value = a.lower()
    app.tilknyt_grund.value = "Samme husstand"
    app.tilknyt_knap.click()
    assert raekker(app.relationer_html.value) == [a] and "Samme husstand" in app.relationer_html.value


def test_a_company_case_from_the_app_warns_about_an_open_one(app):
    app.faner.selected_index = FANE_SOEG
    app.cvr.value, app.cvr_kommune.value, app.cvr_ydelse.value = "12345678", 151, "sygedagpenge"
    app.cvr_grund.value = "Anmeldelse om sort arbejde"
    app.cvr_knap.click()
    assert "Virksomhedskontrol oprettet som sag" in app.besked.value and "Advarsel" not in app.besked.value
    app.cvr.value, app.cvr_grund.value = "12345678", "Ny anmeldelse"
    app.cvr_knap.click()
    assert "Advarsel: samme virksomhed og ydelse har allerede en åben sag" in app.besked.value
    app.soeg_felt.value = "12345678"
    app.soeg_knap.click()
    assert len(raekker(app.soeg_tabel.value)) == 2
    assert set(celler(app.soeg_tabel.value, "kanal")) == {"Virksomhedskontrol (CVR)"}
    assert isinstance(app.lager.find_person("12345678", "anna", formaal="visitering"), pd.DataFrame)
