"""What the caseworker reads (issue 16): the daily run is shown as «Daglig kørsel (automatisk)»,
never its user name, on the kontrolark and in the app; the feedbackliste shows the decided
amounts in Danish kroner with øre (the API gives them in øre)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.vokabular.koder import DAGLIG_KOERSEL, brugertekst
from test_visitering import DAG, app, ids, raekker, til_partshoering, url  # noqa: F401  (fixtures)
from test_visitering_hjaelp import UDFALD_KOLONNER, udfald

D = dt.date


def test_a_run_s_user_is_described_and_a_person_s_login_is_kept():
    assert [brugertekst(n) for n in (DAGLIG_KOERSEL, "kontrol", "anna", None)] == [
        "Daglig kørsel (automatisk)", "Planlagt kørsel (automatisk, tjenesteidentiteten kontrol)", "anna", None]


def test_the_kontrolark_names_the_daily_run_in_danish(tmp_path):
    lg = SagsLager(f"sqlite:///{tmp_path / 'k.sqlite'}")
    try:
        df = pd.DataFrame([udfald("0101801234", "flytning", "f-a", D(2024, 5, 1))], columns=UDFALD_KOLONNER)
        [sag] = koer_udfald(lg, df, D(2024, 5, 1), DAGLIG_KOERSEL).nye_sager
        lg.bestil(1, "anna", dato=D(2024, 5, 2))
        html = lg.kontrolark(sag, "anna", formaal="visitering").html()
        assert "Daglig kørsel (automatisk)" in html and DAGLIG_KOERSEL not in html
        assert lg.log(sag)["bruger"].tolist() == [DAGLIG_KOERSEL, "anna"]        # the log keeps the name
    finally:
        lg.luk()


def test_the_feedbackliste_shows_the_decided_amounts_exactly(app, ids):  # noqa: F811
    sag = til_partshoering(app, ids)
    app.faner.selected_index = 3
    assert '<td data-kolonne="besparelse"></td>' in app.feedback_tabel.value        # in partshøring: none yet
    app.faner.selected_index = 2
    app.resultat.value = "aendret_tildeling"
    app.rytme.value = "maaned"
    app.besparelse.value = "1.234,56"
    app.tilbagebetaling.value = "10000.01"
    app.afgoer_knap.click()
    assert app.fejl is None
    app.lager.korriger(sag, "anna", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1234.56",
                                           tilbagebetalingskrav="0.99"), dato=DAG)
    app.faner.selected_index = 3
    app.feedback_alle.value = True
    assert raekker(app.feedback_tabel.value) == [sag]
    assert '<td data-kolonne="besparelse">1.234,56 kr. pr. måned</td>' in app.feedback_tabel.value
    assert '<td data-kolonne="tilbagebetalingskrav">0,99 kr.</td>' in app.feedback_tabel.value   # the korrektion
    api = app.lager.feedbackliste("anna", alle=True, formaal="visitering")
    assert api[["sag_id", "besparelse_oere", "besparelse_rytme", "tilbagebetalingskrav_oere"]].values.tolist() == [
        [sag, 123456, "maaned", 99]]


def test_a_henlagt_case_has_no_amounts_on_the_feedbackliste(app, ids):  # noqa: F811
    sag = til_partshoering(app, ids)
    app.resultat.value = "henlagt_efter_partshoering"
    app.afgoer_knap.click()
    api = app.lager.feedbackliste("anna", alle=True, formaal="visitering")
    assert api[["sag_id", "besparelse_oere", "tilbagebetalingskrav_oere"]].values.tolist() == [[sag, None, None]]
    app.faner.selected_index = 3
    app.feedback_alle.value = True
    assert '<td data-kolonne="tilbagebetalingskrav"></td>' in app.feedback_tabel.value
