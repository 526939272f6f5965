"""The visitation app driven from Python: widget values set, buttons clicked with ``.click()``,
the store checked afterwards. The store is seeded through its public API
(``test_visitering_hjaelp.seed``: four cases A-D udstillet 1-4 May 2024).

Stores are test stores (tests/conftest.py): ``VisiteringsApp(url, "anna")`` acts as the test
identity anna. The tests of a real store unset ``$KONTROL_TESTLAGER`` and act as the OS login."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import pwd
import re
import sys
from decimal import Decimal
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

from kontrol_lib.sager import SagsLager
from kontrol_lib.flader.visitering import (CONFIG_ROD, DATA_ROD, NOTEBOOK, PR_SIDE, VisiteringsApp, kommandolinje,
                                           miljoe, voila_kommando)
from kontrol_lib.flader.visitering.__main__ import main
from kontrol_lib.flader.visitering.app import udloeb_graf, udloeb_uger
from kontrol_lib.vokabular.koder import FORMAAL_TEKST
from test_visitering_hjaelp import CPR_ALLE, YM_B, YM_D, seed, seed_mange

D = dt.date
DAG = D(2024, 5, 10)
ROD = Path(__file__).resolve().parents[1]
CPR = re.compile(r"\d{6}-?\d{4}")
KH = "Kontanthjælp, uddannelseshjælp m.v. (aktivloven) (32.24.04)"


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'kontrol.sqlite'}"


@pytest.fixture
def ids(url):
    return seed(url, D(2024, 5, 1))


@pytest.fixture
def app(url, ids):
    """anna's app with the purpose visitering chosen."""
    a = VisiteringsApp(url, "anna", dato=DAG)
    a.formaal.value = "visitering"
    yield a
    a.lager.luk()


def raekker(html: str) -> list[str]:
    return re.findall(r'<tr data-sag="([^"]+)">', html)


def alt_vist(widget) -> str:
    """Every text a widget tree shows: HTML values, labels, options, titles."""
    dele = []
    for attr in ("value", "description", "placeholder", "tooltip"):
        v = getattr(widget, attr, None)
        if isinstance(v, str):
            dele.append(v)
    for opt in getattr(widget, "options", ()) or ():
        dele.append(str(opt))
    dele += [str(t) for t in getattr(widget, "titles", ()) or ()]
    for child in getattr(widget, "children", ()) or ():
        dele.append(alt_vist(child))
    return "\n".join(dele)


def ny_log(app) -> list[list]:
    lg = app.lager.log()
    lg = lg[lg["haendelse"] != "udstillet"]
    return lg[["sag_id", "bruger", "dato", "haendelse", "fra", "til"]].values.tolist()


def visninger(app, *kolonner) -> list[list]:
    return app.lager.visninger()[["bruger", "sag_id", "hvad", *kolonner]].values.tolist()


def afvisninger(lager) -> list[list]:
    return lager.afvisninger(bruger="admin")[["bruger", "handling", "rolle"]].values.tolist()


def til_partshoering(app, ids) -> str:
    app.omraade.value = "kontanthjaelp"
    app.fravalg["flytning"].value = True
    app.antal.value = 1
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_sag.value = ids["B"]
    app.prio_ark_knap.click()
    app.partshoering_knap.click()
    assert app.lager.status(ids["B"]) == "partshoering"
    return ids["B"]


# ---------------------------------------------------------------------------- bestillingsliste
def test_the_bestillingsliste_shows_the_udstillet_cases_oldest_first_and_no_cpr_anywhere_in_the_app(app, ids):
    assert raekker(app.bestillings_tabel.value) == [ids["A"], ids["B"], ids["C"], ids["D"]]
    assert "<b>4</b> sager på bestillingslisten" in app.bestillings_tabel.value
    assert "<th>Udløbsdato</th>" in app.bestillings_tabel.value
    assert '<td data-kolonne="udloebsdato">01-08-2024</td>' in app.bestillings_tabel.value
    shown = alt_vist(app.widget)
    assert not CPR.search(shown) and not any(c in shown for c in CPR_ALLE)
    assert visninger(app) == []          # the bestillingsliste holds no personal data: nothing to log


def test_the_chart_counts_cases_per_udloebsuge_with_weeks_starting_on_monday():
    df = pd.DataFrame({"udloebsdato": [D(2024, 8, 4), D(2024, 8, 5), D(2024, 8, 11), D(2024, 8, 12)]})
    # Sunday 4 Aug is in week 31 (Monday 29 Jul); Monday 5 Aug starts week 32, Sunday 11 Aug ends it
    assert udloeb_uger(df).values.tolist() == [["uge 31 (29-07)", 1], ["uge 32 (05-08)", 2],
                                                ["uge 33 (12-08)", 1]]
    img = udloeb_graf(df)
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", img).group(1)).decode()
    tekster = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert tekster[:3] == ["uge 31 (29-07)", "uge 32 (05-08)", "uge 33 (12-08)"]
    assert "Sager efter udløbsuge" in tekster and "http" not in svg.replace("http://www.w3.org", "")
    assert udloeb_graf(df.iloc[0:0]) == ""


def test_the_bestillingsliste_shows_the_chart_of_the_filtered_list(app, ids):
    assert '<img data-graf="udloeb"' in app.bestillings_tabel.value
    app.omraade.value = "pension"
    assert "data-graf" not in app.bestillings_tabel.value


def test_the_filters_narrow_the_bestillingsliste_through_the_api(app, ids):
    app.omraade.value = "kontanthjaelp"
    assert raekker(app.bestillings_tabel.value) == [ids["A"], ids["B"], ids["D"]]
    app.fravalg["flytning"].value = True        # A has only a flytning udfald; B also has bilkøb
    assert raekker(app.bestillings_tabel.value) == [ids["B"], ids["D"]]
    app.omraade.value = ""
    app.fravalg["indkomst"].value = True
    assert raekker(app.bestillings_tabel.value) == [ids["B"], ids["D"]]
    app.fravalg["flytning"].value = app.fravalg["indkomst"].value = False
    assert raekker(app.bestillings_tabel.value) == [ids["A"], ids["B"], ids["C"], ids["D"]]


def test_bestil_orders_the_oldest_of_the_filtered_list_and_says_which(app, ids):
    app.omraade.value = "kontanthjaelp"
    app.fravalg["flytning"].value = True
    app.antal.value = 2
    app.bestil_knap.click()
    assert app.besked.value == ('<div class="kontrol-besked kontrol-ok" data-besked="ok">2 sager er bestilt og '
                                f'står nu på prioriteringslisten: {ids["B"]}, {ids["D"]}.</div>')
    assert ny_log(app) == [[ids["B"], "anna", DAG, "bestil", "udstillet", "bestilt"],
                           [ids["D"], "anna", DAG, "bestil", "udstillet", "bestilt"]]
    assert raekker(app.bestillings_tabel.value) == []
    app.fravalg["flytning"].value = False
    assert raekker(app.bestillings_tabel.value) == [ids["A"]]


def test_bestil_when_nothing_is_left_says_so_and_changes_nothing(app, ids):
    app.omraade.value = "pension"
    app.bestil_knap.click()
    assert "Ingen sager at bestille med de valgte filtre." in app.besked.value
    assert ny_log(app) == []


# ---------------------------------------------------------------------------- prioriteringsliste
def test_the_prioriteringsliste_is_fetched_when_its_tab_opens_and_every_showing_is_logged(app, ids):
    app.antal.value = 2
    app.bestil_knap.click()
    assert visninger(app) == [] and app.prio_tabel.value == ""
    app.faner.selected_index = 1
    assert raekker(app.prio_tabel.value) == [ids["A"], ids["B"]]
    assert f'<td data-kolonne="cpr">{YM_B}</td>' in app.prio_tabel.value
    assert f'<td data-kolonne="ydelse">{KH}</td>' in app.prio_tabel.value
    assert '<td data-kolonne="bestilt_af">anna</td><td data-kolonne="bestilt">10-05-2024</td>' in app.prio_tabel.value
    assert app.prio_sag.options == ((f"{ids['A']} · {KH}", ids["A"]), (f"{ids['B']} · {KH}", ids["B"]))
    assert app.prio_sag.value == ids["A"]
    assert visninger(app, "formaal", "rolle") == [
        ["anna", ids["A"], "prioriteringsliste", "visitering", "sagsbehandler"],
        ["anna", ids["B"], "prioriteringsliste", "visitering", "sagsbehandler"]]
    assert 'data-i-alt="2">Side 1 af 1 (2 sager)</span>' in app.prio_sider.tekst.value
    app.opdater_prio_knap.click()
    assert len(visninger(app)) == 4


def test_opening_a_kontrolark_goes_through_the_api_is_logged_and_shows_the_sheet(app, ids):
    app.antal.value = 2
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_sag.value = ids["B"]
    app.prio_ark_knap.click()
    assert app.aktuel_sag == ids["B"] and app.faner.selected_index == 2
    assert visninger(app)[-1] == ["anna", ids["B"], "kontrolark"]
    ark = app.ark_indhold.value
    assert f'<iframe data-kontrolark="{ids["B"]}"' in ark
    assert f"{YM_B[:6]}-{YM_B[6:]}" in ark and "Kontrolark – § 10-opfølgning" in ark
    assert f'download="kontrolark_{ids["B"]}.html"' in ark
    assert '<b data-status="bestilt">bestilt (på prioriteringslisten)</b>' in app.ark_status.value
    assert f"Kontrolark for sag {ids['B']} er åbnet" in app.besked.value


def test_dan_pdf_offers_the_open_kontrolark_as_a_pdf_download(app, ids):
    app.pdf_knap.click()
    assert "Åbn et kontrolark først" in app.besked.value
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    pdf = app.dan_pdf()
    assert pdf.startswith(b"%PDF")
    assert f'download="kontrolark_{app.aktuel_sag}.pdf"' in app.pdf_link.value


# ---------------------------------------------------------------------------- decisions
def test_partshoering_then_aendret_tildeling_stores_the_exact_amounts_and_clears_the_form(app, ids):
    sag = til_partshoering(app, ids)
    assert app.besked.value.endswith(f"Sag {sag}: sendt i partshøring (på feedbacklisten).</div>")
    app.resultat.value = "aendret_tildeling"
    app.rytme.value = "maaned"
    app.besparelse.value = "1.234,56"
    app.tilbagebetaling.value = " 10000.01 "
    app.efterregulering.value = "-50,10"
    app.aendring.value = "stop"
    app.politianmeldt.value = "nej"
    app.afgoer_knap.click()
    assert app.fejl is None
    assert f"Sag {sag}: afgjort med ændret tildeling. Afgørelsen er registreret." in app.besked.value
    assert ny_log(app) == [[sag, "anna", DAG, "bestil", "udstillet", "bestilt"],
                           [sag, "anna", DAG, "visiter", "bestilt", "partshoering"],
                           [sag, "anna", DAG, "afgoer", "partshoering", "aendret_tildeling"]]
    ks = app.lager.kontrolsager()
    r = ks[ks["sag_id"] == sag].iloc[0]
    assert (r.besparelse_rytme, r.besparelse_beloeb, r.tilbagebetalingskrav, r.efterregulering, r.skat) == (
        "maaned", Decimal("1234.56"), Decimal("10000.01"), Decimal("-50.10"), None)
    assert [app.besparelse.value, app.tilbagebetaling.value, app.efterregulering.value, app.rytme.value,
            app.aendring.value, app.politianmeldt.value] == [""] * 6
    assert 'data-status="aendret_tildeling"' in app.ark_status.value


def test_henlagt_efter_partshoering_without_amounts_closes_the_case(app, ids):
    sag = til_partshoering(app, ids)
    app.resultat.value = "henlagt_efter_partshoering"
    app.afgoer_knap.click()
    assert app.lager.status(sag) == "henlagt_efter_partshoering"
    assert "Sag {}: henlagt efter partshøring.".format(sag) in app.besked.value


def test_henlaeg_in_visitation_closes_an_ordered_case(app, ids):
    app.antal.value = 1
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    app.henlaeg_knap.click()
    assert app.lager.status(ids["A"]) == "henlagt_i_visitering"
    assert ny_log(app)[-1] == [ids["A"], "anna", DAG, "visiter", "bestilt", "henlagt_i_visitering"]


def test_an_illegal_transition_shows_the_store_s_danish_error_in_the_widget_and_changes_nothing(app, ids):
    app.antal.value = 1
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    foer = ny_log(app)
    app.afgoer_knap.click()                        # the case is bestilt, not in partshøring
    assert app.fejl.startswith(f"Sagen {ids['A']} kan ikke afgøres: den er bestilt (på prioriteringslisten)")
    assert "Intet er ændret." in app.fejl
    assert 'data-besked="fejl"' in app.besked.value and "Traceback" not in app.besked.value
    assert ny_log(app) == foer and app.lager.status(ids["A"]) == "bestilt"
    app.partshoering_knap.click()
    app.partshoering_knap.click()                  # twice: the second is illegal
    assert "kan ikke visiteres" in app.fejl and app.lager.status(ids["A"]) == "partshoering"


@pytest.mark.parametrize("felt, vaerdi, fejl", [
    ("besparelse", "12,345", "besparelse_beloeb: '12,345' har mere end to decimaler"),
    ("tilbagebetaling", "-1", "tilbagebetalingskrav: beløbet kan ikke være negativt ('-1')"),
    ("besparelse", "100", "Besparelsens rytme og beløb skal angives sammen"),
    ("tilbagebetaling", "ti kroner", "tilbagebetalingskrav: 'ti kroner' er ikke et beløb"),
])
def test_a_bad_amount_is_refused_by_the_store_and_its_message_shown(app, ids, felt, vaerdi, fejl):
    sag = til_partshoering(app, ids)
    getattr(app, felt).value = vaerdi
    app.afgoer_knap.click()
    assert fejl in app.fejl
    assert app.lager.status(sag) == "partshoering"
    assert getattr(app, felt).value == vaerdi     # the form keeps what the user typed


def test_amounts_with_henlagt_efter_partshoering_are_refused_by_the_store(app, ids):
    sag = til_partshoering(app, ids)
    app.resultat.value = "henlagt_efter_partshoering"
    app.tilbagebetaling.value = "100,00"
    app.afgoer_knap.click()
    assert app.fejl == "Beløb kan kun registreres, når resultatet er aendret_tildeling"
    assert app.lager.status(sag) == "partshoering"


@pytest.mark.parametrize("vaerdi, fejl", [
    ("seks", "Fredningsperioden skal være et helt antal måneder, ikke 'seks'"),
    ("6", "Fredningsperiode kan kun sættes på sager fra kontroltrin 3"),
])
def test_fredningsperiode_must_be_whole_months_and_the_store_refuses_it_on_kontroltrin_2(app, ids, vaerdi, fejl):
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    app.fredning.value = vaerdi
    app.henlaeg_knap.click()
    assert app.fejl.startswith(fejl)
    assert app.lager.status(app.aktuel_sag) == "bestilt"


def test_a_decision_without_an_open_kontrolark_asks_for_one(app, ids):
    for knap in (app.henlaeg_knap, app.partshoering_knap, app.afgoer_knap):
        app.fejl = None
        knap.click()
        assert app.fejl == "Åbn et kontrolark først (fra prioriteringslisten eller feedbacklisten)"
    app.faner.selected_index = 1
    app.prio_ark_knap.click()
    assert app.fejl == "Vælg en sag på listen først"
    assert ny_log(app) == [] and visninger(app) == []


def test_genbestil_puts_the_chosen_case_back_on_the_bestillingsliste(app, ids):
    app.antal.value = 2
    app.bestil_knap.click()
    app.faner.selected_index = 1
    app.prio_sag.value = ids["B"]
    app.genbestil_knap.click()
    assert app.lager.status(ids["B"]) == "udstillet"
    assert raekker(app.prio_tabel.value) == [ids["A"]]
    assert f"Sag {ids['B']} er lagt tilbage på bestillingslisten." in app.besked.value
    app.faner.selected_index = 0
    assert raekker(app.bestillings_tabel.value) == [ids["B"], ids["C"], ids["D"]]


# ---------------------------------------------------------------------------- feedbackliste
def test_the_feedbackliste_shows_cases_in_partshoering_and_on_request_every_outcome_logged(app, ids):
    sag = til_partshoering(app, ids)
    n = len(visninger(app))
    app.faner.selected_index = 3
    assert raekker(app.feedback_tabel.value) == [sag]
    assert '<td data-kolonne="status">sendt i partshøring (på feedbacklisten)</td>' in app.feedback_tabel.value
    assert app.feedback_sag.value == sag
    app.faner.selected_index = 0
    app.feedback_sag.value = sag
    app.feedback_ark_knap.click()                  # reopen from the feedbackliste
    assert app.aktuel_sag == sag and app.faner.selected_index == 2
    app.resultat.value = "henlagt_efter_partshoering"
    app.afgoer_knap.click()
    app.faner.selected_index = 3
    assert "Ingen sager på feedbacklisten." in app.feedback_tabel.value and app.feedback_sag.options == ()
    app.feedback_alle.value = True
    assert raekker(app.feedback_tabel.value) == [sag]
    assert '<td data-kolonne="status">henlagt efter partshøring</td>' in app.feedback_tabel.value
    # the sheet is read again after the decision (status, history and form agree): a second showing
    assert visninger(app)[n:] == [["anna", sag, "feedbackliste"], ["anna", sag, "kontrolark"],
                                  ["anna", sag, "kontrolark"], ["anna", sag, "feedbackliste"]]


def test_two_caseworkers_on_one_case_the_second_gets_the_store_s_message_naming_the_first(url, ids):
    anna = VisiteringsApp(url, "anna", dato=DAG)
    bo = VisiteringsApp(url, "bo", dato=DAG)
    anna.formaal.value = bo.formaal.value = "visitering"
    try:
        anna.antal.value = 1
        anna.bestil_knap.click()
        for app in (anna, bo):
            app.faner.selected_index = 1
            app.prio_ark_knap.click()
            assert app.aktuel_sag == ids["A"]
        anna.partshoering_knap.click()
        bo.henlaeg_knap.click()
        assert bo.fejl.startswith(f"Sagen {ids['A']} kan ikke visiteres: den er sendt i partshøring")
        assert "sat af anna" in bo.fejl and "Intet er ændret." in bo.fejl
        assert 'data-status="partshoering"' in bo.ark_status.value      # bo now sees the real state
        assert ny_log(anna) == [[ids["A"], "anna", DAG, "bestil", "udstillet", "bestilt"],
                                [ids["A"], "anna", DAG, "visiter", "bestilt", "partshoering"]]
    finally:
        anna.lager.luk()
        bo.lager.luk()


# ---------------------------------------------------------------------------- the whole path, both databases
def test_the_whole_path_works_the_same_on_sqlite_and_postgresql(db_url):
    ids = seed(db_url, D(2024, 5, 1))
    app = VisiteringsApp(db_url, "bo", dato=DAG)
    app.formaal.value = "afgoerelse"
    try:
        app.omraade.value = "kontanthjaelp"
        app.fravalg["flytning"].value = True
        app.antal.value = 2
        app.bestil_knap.click()
        app.faner.selected_index = 1
        app.prio_sag.value = ids["D"]
        app.prio_ark_knap.click()
        app.partshoering_knap.click()
        app.rytme.value = "uge"
        app.besparelse.value = "500,00"
        app.afgoer_knap.click()
        assert app.fejl is None
        assert ny_log(app) == [[ids["B"], "bo", DAG, "bestil", "udstillet", "bestilt"],
                               [ids["D"], "bo", DAG, "bestil", "udstillet", "bestilt"],
                               [ids["D"], "bo", DAG, "visiter", "bestilt", "partshoering"],
                               [ids["D"], "bo", DAG, "afgoer", "partshoering", "aendret_tildeling"]]
        ks = app.lager.kontrolsager()
        r = ks[ks["sag_id"] == ids["D"]].iloc[0]
        assert (r.besparelse_rytme, r.besparelse_beloeb) == ("uge", Decimal("500.00"))
        assert f'<td data-kolonne="cpr">{YM_D}</td>' in app.prio_tabel.value
        assert visninger(app, "formaal") == [["bo", ids["B"], "prioriteringsliste", "afgoerelse"],
                                             ["bo", ids["D"], "prioriteringsliste", "afgoerelse"],
                                             ["bo", ids["D"], "kontrolark", "afgoerelse"],
                                             ["bo", ids["D"], "kontrolark", "afgoerelse"],    # after visitering
                                             ["bo", ids["D"], "kontrolark", "afgoerelse"]]    # after the decision
    finally:
        app.lager.luk()


# ---------------------------------------------------------------------------- errors and the user
def test_an_unexpected_error_is_shown_without_traceback_and_with_cpr_numbers_masked(app, ids, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError(f"forbindelsen tabt under opslag af {YM_B}\nlinje 2")
    monkeypatch.setattr(app.lager, "bestil", boom)
    app.bestil_knap.click()
    assert app.fejl == ("Uventet fejl (RuntimeError): forbindelsen tabt under opslag af **********. Handlingen er "
                        "muligvis ikke gennemført; opdater listen og kontrollér sagen.")


def test_a_store_that_cannot_be_opened_shows_the_danish_error_instead_of_the_app(tmp_path):
    app = VisiteringsApp("mysql://vaert/kontrol", "anna")
    assert app.lager is None
    assert app.fejl == "Databasen 'mysql' understøttes ikke (brug sqlite eller postgresql)"
    assert "Visiteringen kan ikke startes: Databasen &#x27;mysql&#x27; understøttes ikke" in app.besked.value
    assert len(app.widget.children) == 2


def test_a_user_name_holding_a_cpr_number_is_refused_by_the_store_and_the_app_does_not_start(url, ids):
    app = VisiteringsApp(url, f"anna{YM_B}", dato=DAG)
    assert app.fejl == "Brugernavnet må ikke indeholde et CPR-nummer eller lange talrækker"
    assert len(app.widget.children) == 2 and YM_B not in app.besked.value
    assert SagsLager(url).log()["haendelse"].tolist() == ["udstillet"] * 4


# ---------------------------------------------------------------------------- identity (spec/sikkerhed.md)
@pytest.fixture
def rigtigt_lager(tmp_path, monkeypatch):
    """A real store (not a test store) in a process without a hub: the person is the OS login,
    who created the store and so holds only the role administrator."""
    for navn in ("KONTROL_TESTLAGER", "KONTROL_TESTIDENTITET", "JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(navn, raising=False)
    url = f"sqlite:///{tmp_path / 'rigtigt.sqlite'}"
    SagsLager(url).luk()
    return url


def test_headers_and_user_variables_do_not_name_the_person_the_store_s_login_does(rigtigt_lager, monkeypatch):
    login = pwd.getpwuid(os.geteuid()).pw_name
    for navn in ("HTTP_X_REMOTE_USER", "JUPYTERHUB_USER", "KONTROL_BRUGER", "USER", "LOGNAME"):
        monkeypatch.setenv(navn, "mallory")
    app = VisiteringsApp(rigtigt_lager)
    try:
        assert app.person.navn == login and app.person.kilde == "styresystem"
        assert f"<b data-bruger>{login}</b>, identitet: <span data-identitet>styresystemets login</span>" in app.hoved.value
        assert "mallory" not in alt_vist(app.widget)
    finally:
        app.lager.luk()


def test_a_name_given_that_is_not_the_login_is_refused_on_a_real_store_and_the_attempt_logged(rigtigt_lager):
    login = pwd.getpwuid(os.geteuid()).pw_name
    app = VisiteringsApp(rigtigt_lager, "mallory")
    assert app.fejl.startswith(f"Du er logget ind som {login}; et andet brugernavn kan ikke angives")
    assert "Visiteringen kan ikke startes" in app.besked.value and len(app.widget.children) == 2
    lager = SagsLager(rigtigt_lager)
    a = lager.afvisninger()
    assert a[["bruger", "handling"]].values.tolist() == [[login, "handle under et andet navn end sit login"]]
    assert "mallory" not in a.to_csv()                       # the name typed is not logged: it may be anything
    lager.luk()


def test_on_a_real_store_the_login_without_sagsbehandler_is_refused_the_lists_naming_the_role(rigtigt_lager):
    login = pwd.getpwuid(os.geteuid()).pw_name
    app = VisiteringsApp(rigtigt_lager, login)               # the login's own name is accepted
    try:
        assert app.roller == {"administrator"}
        assert '<span data-roller="administrator">administrator</span>' in app.hoved.value
        assert 'data-mangler-rolle="sagsbehandler"' in app.hoved.value
        assert app.fejl.startswith(f"Adgang nægtet: {login} har ikke rollen sagsbehandler, som kræves for at "
                                   "se bestillingslisten.")
        assert "data-afvist" in app.bestillings_tabel.value and "<table" not in app.bestillings_tabel.value
    finally:
        app.lager.luk()


# ---------------------------------------------------------------------------- roles
@pytest.fixture
def roller_givet(url, ids):
    """admin (administrator, tilsyn) gives anna sagsbehandler and lis analytiker; anna orders A and B."""
    lager = SagsLager(url)
    lager.giv_roller("admin", ["administrator", "tilsyn"], bruger="admin")
    lager.giv_roller("anna", ["sagsbehandler"], bruger="admin")
    lager.giv_roller("lis", ["analytiker"], bruger="admin")
    lager.bestil(2, "anna", dato=DAG)
    yield lager
    lager.luk()


def test_the_header_shows_the_person_and_the_roles_the_store_gives_them(url, roller_givet):
    anna = VisiteringsApp(url, "anna", dato=DAG)
    try:
        assert anna.roller == {"sagsbehandler"}
        assert ("<b data-bruger>anna</b>, identitet: <span data-identitet>test-/demolager (navnet er angivet, "
                "ikke logget ind)</span>") in anna.hoved.value
        assert '<span data-roller="sagsbehandler">sagsbehandler</span>' in anna.hoved.value
        assert "data-mangler-rolle" not in anna.hoved.value and anna.fejl is None
        assert len(raekker(anna.bestillings_tabel.value)) == 2
    finally:
        anna.lager.luk()


def test_an_analytiker_is_refused_every_list_and_the_kontrolark_naming_the_role_and_each_attempt_is_logged(
        url, ids, roller_givet):
    app = VisiteringsApp(url, "lis", dato=DAG)
    try:
        assert app.roller == {"analytiker"}
        assert 'data-mangler-rolle="sagsbehandler"' in app.hoved.value
        naegtet = "Adgang nægtet: lis har ikke rollen sagsbehandler, som kræves for at {}."
        # opening the app tries the bestillingsliste: refused, nothing listed
        assert app.fejl.startswith(naegtet.format("se bestillingslisten"))
        assert "En administrator kan tildele rollen" in app.fejl and "Forsøget er logget." in app.fejl
        assert raekker(app.bestillings_tabel.value) == [] and "data-afvist" in app.bestillings_tabel.value
        # without a purpose the store is asked anyway: the refusal names the role, not the purpose
        app.faner.selected_index = 1
        assert app.fejl.startswith(naegtet.format("se prioriteringslisten"))
        assert raekker(app.prio_tabel.value) == [] and app.prio_sag.options == ()
        app.formaal.value = "visitering"
        assert app.fejl.startswith(naegtet.format("se prioriteringslisten"))
        app.faner.selected_index = 3
        assert app.fejl.startswith(naegtet.format("se feedbacklisten"))
        app.feedback_alle.value = True
        assert app.fejl.startswith(naegtet.format("se feedbacklisten")) and "data-afvist" in app.feedback_tabel.value
        app._handling(lambda: app.aabn_kontrolark(ids["A"]))
        assert app.fejl.startswith(naegtet.format("åbne kontrolarket"))
        assert app.aktuel_sag is None and app.ark_indhold.value == ""
        app.bestil_knap.click()
        assert app.fejl.startswith(naegtet.format("bestille sager"))
        shown = alt_vist(app.widget)
        assert not any(c in shown for c in CPR_ALLE)
    finally:
        app.lager.luk()
    assert roller_givet.visninger(bruger="admin").empty
    assert [r for r in afvisninger(roller_givet) if r[0] == "lis"] == [
        ["lis", "se bestillingslisten", "sagsbehandler"],
        ["lis", "se prioriteringslisten", "sagsbehandler"],
        ["lis", "se prioriteringslisten", "sagsbehandler"],
        ["lis", "se feedbacklisten", "sagsbehandler"],
        ["lis", "se feedbacklisten", "sagsbehandler"],
        ["lis", "åbne kontrolarket", "sagsbehandler"],
        ["lis", "bestille sager", "sagsbehandler"],
    ]


# ---------------------------------------------------------------------------- purpose
def test_the_purpose_is_a_required_choice_of_the_danish_labels_without_a_default(url, ids):
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        assert app.formaal.value is None
        assert app.formaal.options == tuple((t, k) for k, t in FORMAAL_TEKST.items())
        assert app.formaal.label is None                     # no empty first entry, nothing chosen
    finally:
        app.lager.luk()


def test_without_a_purpose_no_list_and_no_kontrolark_is_shown_and_nothing_is_logged(url, ids):
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        app.antal.value = 2
        app.bestil_knap.click()
        app.faner.selected_index = 1
        assert "data-vaelg-formaal" in app.prio_tabel.value and raekker(app.prio_tabel.value) == []
        assert "Vælg formålet med at se personoplysningerne i feltet Formål øverst." in app.prio_tabel.value
        assert "Vælg formålet (feltet Formål øverst), før prioriteringslisten vises." in app.besked.value
        assert app.prio_sag.options == () and app.prio_sider.tekst.value == ""
        app._handling(lambda: app.aabn_kontrolark(ids["A"]))
        assert app.fejl == "Vælg formålet (feltet Formål øverst), før kontrolarket vises"
        assert app.aktuel_sag is None and app.ark_indhold.value == ""
        app.faner.selected_index = 3
        app.feedback_alle.value = True
        assert "data-vaelg-formaal" in app.feedback_tabel.value
        assert visninger(app) == []
        shown = alt_vist(app.widget)
        assert not any(c in shown for c in CPR_ALLE)
        # choosing the purpose on the open tab shows the list, logged with that purpose
        app.faner.selected_index = 1
        app.formaal.value = "partshoering"
        assert raekker(app.prio_tabel.value) == [ids["A"], ids["B"]]
        assert visninger(app, "formaal") == [["anna", ids["A"], "prioriteringsliste", "partshoering"],
                                             ["anna", ids["B"], "prioriteringsliste", "partshoering"]]
        app.prio_sag.value = ids["B"]
        app.prio_ark_knap.click()
        assert visninger(app, "formaal")[-1] == ["anna", ids["B"], "kontrolark", "partshoering"]
        assert "logget med formålet partshøring" in app.besked.value
    finally:
        app.lager.luk()


# ---------------------------------------------------------------------------- pages
@pytest.fixture
def mange(url):
    """60 cases, all ordered by anna (so the prioriteringsliste has two pages)."""
    ids = seed_mange(url, 60, D(2024, 5, 1))
    lager = SagsLager(url)
    assert lager.bestil(60, "anna", dato=DAG) == ids
    lager.luk()
    return ids


def test_the_prioriteringsliste_shows_one_page_at_a_time_and_logs_only_the_page_shown(url, mange):
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        app.formaal.value = "visitering"
        assert PR_SIDE == 50
        app.faner.selected_index = 1
        assert raekker(app.prio_tabel.value) == mange[:50]
        assert app.prio_sider.tekst.value == (
            '<span data-side="1" data-sider="2" data-i-alt="60">Side 1 af 2 (60 sager)</span>')
        assert [v for _t, v in app.prio_sag.options] == mange[:50]
        assert [r[1] for r in visninger(app)] == mange[:50]
        app.prio_sider.naeste.click()
        assert raekker(app.prio_tabel.value) == mange[50:]
        assert "Side 2 af 2 (60 sager)" in app.prio_sider.tekst.value
        assert [r[1] for r in visninger(app)] == mange[:50] + mange[50:]
        app.prio_sider.naeste.click()                        # there is no page 3: nothing fetched
        assert app.fejl == "Der er ingen næste side" and len(visninger(app)) == 60
        app.opdater_prio_knap.click()                        # "Opdater listen" keeps the page
        assert raekker(app.prio_tabel.value) == mange[50:] and len(visninger(app)) == 70
        app.prio_sider.forrige.click()
        assert raekker(app.prio_tabel.value) == mange[:50] and len(visninger(app)) == 120
        app.prio_sider.forrige.click()
        assert app.fejl == "Der er ingen forrige side" and len(visninger(app)) == 120
    finally:
        app.lager.luk()


def test_a_page_that_no_longer_exists_gives_the_first_page_and_logs_only_that(url, mange):
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        app.formaal.value = "visitering"
        app.faner.selected_index = 1
        app.prio_sider.naeste.click()
        for sag in mange[:20]:                               # the list shrinks to one page
            app.lager.genbestil(sag, "anna", dato=DAG)
        n = len(visninger(app))
        app.opdater_prio_knap.click()
        assert raekker(app.prio_tabel.value) == mange[20:] and "Side 1 af 1 (40 sager)" in app.prio_sider.tekst.value
        assert [r[1] for r in visninger(app)[n:]] == mange[20:]
    finally:
        app.lager.luk()


def test_one_click_on_vis_ogsaa_afsluttede_sager_logs_exactly_the_rows_of_the_first_page(url, mange):
    lager = SagsLager(url)
    for sag in mange:
        lager.visiter(sag, "anna", "henlaeg", dato=DAG)
    lager.luk()
    app = VisiteringsApp(url, "anna", dato=DAG)
    try:
        app.formaal.value = "visitering"
        app.faner.selected_index = 3
        assert "Ingen sager på feedbacklisten." in app.feedback_tabel.value and visninger(app) == []
        assert "Side 1 af 1 (0 sager)" in app.feedback_sider.tekst.value
        app.feedback_alle.value = True                       # the one click
        vist = raekker(app.feedback_tabel.value)
        assert len(vist) == 50 and set(vist) <= set(mange)
        assert "Side 1 af 2 (60 sager)" in app.feedback_sider.tekst.value
        assert visninger(app, "formaal") == [["anna", s, "feedbackliste", "visitering"] for s in vist]
        app.feedback_sider.naeste.click()
        resten = raekker(app.feedback_tabel.value)
        assert len(resten) == 10 and sorted(vist + resten) == sorted(mange)
        assert [r[1] for r in visninger(app)] == vist + resten
        app.feedback_alle.value = False                      # back to page 1 of the open cases: none
        assert "Side 1 af 1 (0 sager)" in app.feedback_sider.tekst.value and len(visninger(app)) == 60
    finally:
        app.lager.luk()


def test_the_app_displays_as_its_widget(app):
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.widget.model_id
    assert isinstance(app.faner, w.Tab) and app.faner.titles == (
        "Bestillingsliste", "Prioriteringsliste", "Kontrolark", "Feedbackliste", "Personsøgning")


# ---------------------------------------------------------------------------- notebook and serving
def test_the_notebook_is_thin_with_a_typed_parameters_cell_and_runs_headless(url, ids, tmp_path, monkeypatch):
    nb = json.loads(NOTEBOOK.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["metadata"].get("tags") for c in code] == [["parameters"], None]
    par = "".join(code[0]["source"])
    assert re.search(r'^db_url: str = ""\s+# .+', par, re.M) and "bruger" not in par   # no name to type
    assert "".join(code[1]["source"]) == ("from kontrol_lib.flader.visitering import VisiteringsApp\n\n"
                                          "app = VisiteringsApp(db_url)\napp")
    from notebookkoersel import koer_notebook
    out = tmp_path / "ud.ipynb"
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "papermill")     # the test identity provider (test stores only)
    koer_notebook(str(NOTEBOOK), str(out), parameters={"db_url": url}, cwd=str(NOTEBOOK.parent))
    res = json.loads(out.read_text())
    outputs = [o for c in res["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert SagsLager(url).log()["haendelse"].tolist() == ["udstillet"] * 4


def test_the_voila_command_line_is_the_one_in_the_docs():
    argv = voila_kommando(port=8866, program=["voila"], notebook="notebooks/visitering.ipynb")
    assert argv == ["voila", "notebooks/visitering.ipynb", "--no-browser", "--port=8866", "--Voila.ip=127.0.0.1"]
    linje = kommandolinje(argv, "kontrol_lib/flader/visitering/jupyter/data", "kontrol_lib/flader/visitering/jupyter/config")
    assert linje == ("JUPYTER_PATH=kontrol_lib/flader/visitering/jupyter/data "
                     "JUPYTER_CONFIG_PATH=kontrol_lib/flader/visitering/jupyter/config "
                     "voila notebooks/visitering.ipynb --no-browser --port=8866 --Voila.ip=127.0.0.1")
    assert linje in (ROD / "docs" / "visitering.md").read_text()
    # a token: read by Voila from $JUPYTER_TOKEN, never on the command line (ps shows it to everyone)
    assert voila_kommando(program=["voila"], notebook="n.ipynb", token=True)[-1] == "--token"


def test_the_launcher_makes_a_relative_sqlite_path_absolute_because_the_kernel_runs_in_notebooks(
        capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    main(["--vis-kommando", "--db", "kontrol.sqlite", "--uden-token"])
    out = capsys.readouterr().out
    assert f" KONTROL_DB=sqlite:///{tmp_path / 'kontrol.sqlite'} " in out


def test_the_launcher_has_no_way_to_name_the_user_or_to_listen_beyond_this_machine(capsys):
    """The identity is the login (or the hub's), never a name typed or sent in a header; the app
    alone listens on 127.0.0.1 only (a team uses JupyterHub)."""
    for flag in (["--bruger", "mallory"], ["--proxy-bruger"], ["--ip", "0.0.0.0"], ["--base-url", "/v/"]):
        with pytest.raises(SystemExit) as e:
            main(["--vis-kommando", *flag])
        assert e.value.code == 2
    capsys.readouterr()


def test_the_launcher_requires_a_token_by_default_and_passes_it_in_the_environment(capsys):
    main(["--vis-kommando"])
    out = capsys.readouterr().out
    token = re.search(r"JUPYTER_TOKEN=(\S+) ", out).group(1)
    assert len(token) >= 24 and out.rstrip().endswith("--Voila.ip=127.0.0.1 --token") and out.count(token) == 1


def test_the_environment_puts_the_product_s_template_and_config_first():
    env = miljoe("sqlite:///x.sqlite", basis={"JUPYTER_PATH": "/andet", "PATH": "/bin"})
    assert env["JUPYTER_PATH"].split(":") == [str(DATA_ROD), "/andet"]
    assert env["JUPYTER_CONFIG_PATH"] == str(CONFIG_ROD)
    assert (env["KONTROL_DB"], env["PATH"]) == ("sqlite:///x.sqlite", "/bin")
    assert "JUPYTER_TOKEN" not in env and "KONTROL_BRUGER" not in env


def test_the_voila_template_and_config_reference_nothing_outside_the_server():
    skabelon = (DATA_ROD / "voila" / "templates" / "kontrol" / "index.html.j2").read_text()
    assert not re.search(r"https?://|//cdn", skabelon)
    conf = json.loads((CONFIG_ROD / "voila.json").read_text())
    assert conf["VoilaConfiguration"] == {"template": "kontrol", "show_tracebacks": False}
    csp = conf["Voila"]["tornado_settings"]["headers"]["Content-Security-Policy"]
    assert csp.startswith("default-src 'self' ") and "connect-src 'self'" in csp and "http" not in csp


def test_the_launcher_prints_its_exact_command_with_the_store(capsys, tmp_path, monkeypatch):
    # a relative SQLite URL is made absolute: Voila's kernel runs in notebooks/, not here
    monkeypatch.chdir(tmp_path)
    assert main(["--vis-kommando", "--db", "sqlite:///k.sqlite", "--port", "9000", "--uden-token"]) == 0
    assert capsys.readouterr().out == (f"JUPYTER_PATH={DATA_ROD} JUPYTER_CONFIG_PATH={CONFIG_ROD} KONTROL_DB=sqlite:///{tmp_path}/k.sqlite "
                          f"{sys.executable} -m voila {NOTEBOOK} --no-browser --port=9000 --Voila.ip=127.0.0.1\n")


# ---------------------------------------------------------------------------- the template
def test_every_macro_of_the_apps_template_renders_and_escapes_what_it_is_given():
    """templates/app.html.j2 holds every HTML value of the app; each macro renders, and a value
    with markup and '&' (a case id, a message, a cell, the kontrolark document) is shown as text."""
    from kontrol_lib.vokabular.html import jinja_miljoe
    from kontrol_lib.flader.visitering import app as A
    makroer = {n for n in dir(jinja_miljoe("kontrol_lib.flader.visitering").get_template(A.SKABELON).module)
               if not n.startswith("_")}
    faste = {"stil", "ikke_startet", "intro_bestillingsliste", "fravalg", "intro_prioriteringsliste",
             "intet_kontrolark", "intro_visitering", "intro_afgoerelse", "intro_feedbackliste", "intro_noter",
             "intro_genaabn", "intro_relationer", "intro_soegning", "intro_virksomhed"}
    for navn in faste:
        assert A._html(navn).startswith("<"), navn
    assert A._html("ikke_startet").endswith("</style><h2>Visitering</h2>")
    ondt = "<script>alert(1)</script> & Co"
    df = pd.DataFrame([{"sag_id": "S<1>", "ydelse": ondt, "udloebsdato": D(2024, 8, 5), "antal_udfald": None}])
    vis = {"sag_id": "Sag", "ydelse": "Ydelse", "udloebsdato": "Udløbsdato", "antal_udfald": "Udfald"}
    assert A.tabel(df, vis, "bestillingsliste", "tom") == (
        '<table class="kontrol-tabel" data-liste="bestillingsliste"><thead><tr><th>Sag</th><th>Ydelse</th>'
        '<th>Udløbsdato</th><th>Udfald</th></tr></thead><tbody><tr data-sag="S&lt;1&gt;">'
        '<td data-kolonne="sag_id">S&lt;1&gt;</td><td data-kolonne="ydelse">&lt;script&gt;alert(1)&lt;/script&gt; '
        '&amp; Co</td><td data-kolonne="udloebsdato">05-08-2024</td><td data-kolonne="antal_udfald"></td></tr>'
        '</tbody></table>')
    assert A.tabel(df.iloc[0:0], vis, "bestillingsliste", "Ingen & <ingen>") == (
        '<p class="kontrol-tom" data-liste="bestillingsliste">Ingen &amp; &lt;ingen&gt;</p>')
    assert A._besked(f"{ondt}\nanden linje", "fejl") == (
        '<div class="kontrol-besked kontrol-fejl" data-besked="fejl">&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'
        '<br>anden linje</div>')
    ramme = A.ark_ramme("S<1>", f'<p class="x">{ondt}</p>')
    assert 'srcdoc="&lt;p class=&quot;x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co&lt;/p&gt;"' in ramme
    assert '<iframe data-kontrolark="S&lt;1&gt;" title="Kontrolark S&lt;1&gt;" sandbox=""' in ramme
    assert "<script" not in ramme
    assert A.udloeb_graf(df.iloc[0:0]) == ""
    assert A._html("status", sag_id="S&1", status="bestilt", tekst="bestilt <x>") == (
        '<h3>Kontrolark for sag <span data-aktuel-sag>S&amp;1</span></h3><p>Status: <b data-status="bestilt">'
        'bestilt &lt;x&gt;</b></p>')
    assert A._html("pdf_link", sag_id="S&1", pdf_base64="QUJD").startswith('<a download="kontrolark_S&amp;1.pdf"')
    hoved = A._html("hoved", bruger=ondt, identitet="test", roller=["analytiker"], sagsbehandler=False)
    assert "Sagslager" not in hoved and "sqlite" not in hoved
    assert "<b data-bruger>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</b>, identitet: <span data-identitet>test" in hoved
    assert 'data-mangler-rolle="sagsbehandler"' in hoved
    assert A._html("afvist", tekst=ondt) == (
        '<p class="kontrol-besked kontrol-fejl" data-afvist>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</p>')
    assert A._html("side_tekst", side=1, sider=1, i_alt=1).endswith(">Side 1 af 1 (1 sag)</span>")
    assert "data-vaelg-formaal" in A._html("vaelg_formaal", liste="S&1")
    assert A._html("bestillingsliste", antal=1, svg_base64=None, tabel_data=A._tabel_data(
        df.iloc[0:0], vis, "bestillingsliste", "tom")).startswith("<p><b>1</b> sag på bestillingslisten")
    assert A._html("naermere_oplysninger", udfald=[{"titel": ondt, "tekst": ondt, "dato": "01-05-2024"}]).count(
        "&lt;script&gt;") == 2
    assert A._html("gemt", overskrift=ondt, linjer=[ondt]).count("&lt;script&gt;") == 2
    assert A._html("resultat", linjer=[ondt], art="ok").count("&lt;script&gt;") == 1
    assert "<script" not in A._html("soegeresultat", antal=1, aabne=0, tabel_data=A._tabel_data(
        df, vis, "personsoegning", "tom"))
    assert makroer == faste | {"hoved", "besked", "tabel", "udloeb_graf", "bestillingsliste", "ark_ramme",
                               "pdf_link", "status", "afvist", "side_tekst", "vaelg_formaal",
                               "naermere_oplysninger", "gemt", "soegeresultat", "resultat"}
