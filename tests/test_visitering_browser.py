"""The visitation app in a real browser: Voila serves ``notebooks/visitering.ipynb`` on 127.0.0.1
(started exactly as ``python -m kontrol_lib.flader.visitering`` starts it), Debian's Chromium driven by
Playwright does a caseworker's whole path with every request off 127.0.0.1 refused, and the store
is checked afterwards.

Who acts is the store's business: the stores are test stores (tests/conftest.py), and the server
runs with the test identity provider (``$KONTROL_TESTIDENTITET``, honoured by test stores only).
The browser sends a forged ``X-Remote-User`` header, which changes nothing.

Chromium comes from Debian (``make system-deps`` installs the ``chromium`` package); Playwright's
own browser download is not used. Without ``/usr/bin/chromium`` this test FAILS.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.stamdata import stamoplysninger
from kontrol_lib.flader.visitering import NOTEBOOK, miljoe, voila_kommando
from kontrol_lib.regler.byg import byg_registre
from kontrol_lib.vokabular.koder import DAGLIG_KOERSEL
from test_visitering_hjaelp import CPR_ALLE, YM_B, seed
from hub import frie_porte, kun_lokalt, vent_paa_http

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
START_FRIST = 45      # seconds for Voila to listen
SIDE_FRIST = 40_000   # ms for the app to render (kernel start + store + widgets)
TRIN_FRIST = 15_000   # ms for one action's result
CPR = re.compile(r"\d{6}-?\d{4}")
# cases udstillet from the 1st of last month (in the past, not yet expired): their udloebsdato
# (+3 months) never falls back to a month end, so the order A, B, C, D has no ties
FOERSTE = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
# B's address in the register extract, with its text (the optional table adressetekster)
ADRESSE_ID = "0151-00000447"
ADRESSE_B = {"cpr": YM_B, "adresse_id": ADRESSE_ID, "kommunekode": 151, "fra_dato": "2019-03-01"}
TEKST_B = {"adresse_id": ADRESSE_ID, "vejnavn": "Glemmevej", "husnr": "17B", "etage": "2", "doer": "th",
           "postnr": "2750", "postdistrikt": "Ballerup"}


@pytest.fixture
def voila(tmp_path, db_url):
    """Voila on a free 127.0.0.1 port over a fresh test store (SQLite, then PostgreSQL) seeded with
    four cases, put there by the daily run's identity, B's kontrolark with its address as text;
    the person is the test identity anna."""
    url = db_url
    stamdata = stamoplysninger(byg_registre({"adresser": [ADRESSE_B], "adressetekster": [TEKST_B]}),
                               [YM_B], FOERSTE)
    ids = seed(url, FOERSTE, bruger=DAGLIG_KOERSEL, stamdata=stamdata)
    port = frie_porte(1)[0]
    env = miljoe(db_url=url)
    for navn in ("KONTROL_BRUGER", "JUPYTERHUB_USER", "HTTP_X_REMOTE_USER", "JUPYTERHUB_API_URL",
                 "JUPYTERHUB_API_TOKEN"):
        env.pop(navn, None)
    env["KONTROL_TESTIDENTITET"] = "anna"
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = tmp_path / "voila.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(voila_kommando(NOTEBOOK, port), env=env, cwd=tmp_path,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # a static file: answering it needs the server, not a kernel
        vent_paa_http(proc, f"http://127.0.0.1:{port}/voila/static/voila.js", log, START_FRIST)
        yield {"base": f"http://127.0.0.1:{port}/", "url": url, "ids": ids, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def klik(element) -> None:
    """Scroll the element into view, then click it. (Playwright's click scrolls by itself, but
    below the kontrolark's frame the click then landed beside the button in Chromium.)"""
    element.scroll_into_view_if_needed()
    element.click()


def _chromium(pw):
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} mangler: kør 'make system-deps' (Debian-pakken chromium)")
    return pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)


BILLEDER = Path(__file__).resolve().parents[1] / "docs" / "billeder"
"""Where the morning test writes its screenshots for docs/visitering.md (SQLite run only) when
``KONTROL_SKAERMBILLEDER=1``; otherwise into the test's own folder, so `make test` leaves the
working tree as it was."""
GOTO_FRIST = 120_000  # ms for the first page (kernel start) on a loaded machine


def test_a_caseworkers_morning_in_the_browser_offline_and_the_store_logs_exactly_that(voila, tmp_path):
    """Search, order, kontrolark, note, partshøring, decision, reopen, feedbackliste filters: each
    defect of issue 16 an assertion; screenshots for the docs (on SQLite)."""
    from playwright.sync_api import expect, sync_playwright

    ids = voila["ids"]
    a, b, d = ids["A"], ids["B"], ids["D"]
    udenfor, alle_requests = [], []
    billeder = voila["url"].startswith("sqlite")
    mappe = BILLEDER if os.environ.get("KONTROL_SKAERMBILLEDER") == "1" else tmp_path
    mappe.mkdir(parents=True, exist_ok=True)


    with sync_playwright() as pw:
        browser = _chromium(pw)
        try:
            ctx = browser.new_context(extra_http_headers={"X-Remote-User": "mallory"},    # forged: ignored
                                      viewport={"width": 1280, "height": 900}, timezone_id="Europe/Copenhagen")
            ctx.route("**/*", kun_lokalt(udenfor))
            page = ctx.new_page()
            page.on("request", lambda r: alle_requests.append(r.url))
            page.goto(voila["base"], timeout=GOTO_FRIST)
            besked = page.locator(".kontrol-visitering [data-besked]")
            raekker = lambda liste: page.locator(f'table[data-liste="{liste}"] tbody tr')  # noqa: E731
            felt = lambda navn: page.get_by_label(navn, exact=True).filter(visible=True)  # noqa: E731

            def billede(navn: str) -> None:
                if billeder:
                    page.screenshot(path=str(mappe / navn), full_page=False)

            # the app is up, for the person the store knows (not the forged header); no store URL
            expect(page.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=SIDE_FRIST)
            expect(page.locator("[data-bruger]")).to_have_text("anna")
            expect(page.locator("[data-roller]")).to_contain_text("sagsbehandler")
            assert "mallory" not in page.content()
            assert "Sagslager" not in page.locator(".kontrol-visitering").inner_text()
            assert "sqlite" not in page.locator(".kontrol-visitering").inner_text()

            # 1. person search: a citizen calls; her cases, with the dash typed
            page.get_by_label("Formål", exact=True).select_option(label="Visitering")
            klik(page.get_by_role("tab", name="Personsøgning"))
            felt("CPR- eller CVR-nummer").fill(f"{YM_B[:6]}-{YM_B[6:]}")
            klik(page.get_by_role("button", name="Søg", exact=True))
            expect(raekker("personsoegning")).to_have_count(1, timeout=TRIN_FRIST)
            expect(page.locator(f'table[data-liste="personsoegning"] tr[data-sag="{b}"] td[data-kolonne="status"]')
                   ).to_have_text("udstillet på bestillingslisten")
            billede("01_personsoegning.png")

            # 2. the bestillingsliste: the order controls and their result above the list
            klik(page.get_by_role("tab", name="Bestillingsliste"))
            expect(raekker("bestillingsliste")).to_have_count(4, timeout=TRIN_FRIST)
            assert [r.get_attribute("data-sag") for r in raekker("bestillingsliste").all()] == [a, b, ids["C"], d]
            assert not CPR.search(page.locator('table[data-liste="bestillingsliste"]').inner_text())
            graf = page.locator('img[data-graf="udloeb"]')
            expect(graf).to_be_visible()
            assert graf.evaluate("img => img.complete && img.naturalWidth > 0")
            page.get_by_label("Ydelsesområde").select_option(label="Kontanthjælp")
            expect(raekker("bestillingsliste")).to_have_count(3, timeout=TRIN_FRIST)
            page.get_by_label("flytning", exact=True).check()
            expect(raekker("bestillingsliste")).to_have_count(2, timeout=TRIN_FRIST)
            bestil = page.get_by_role("button", name="Bestil", exact=True)
            expect(bestil).to_be_visible()
            assert bestil.bounding_box()["y"] < page.locator('table[data-liste="bestillingsliste"]').bounding_box()["y"]
            assert bestil.bounding_box()["y"] < 900                     # in view without scrolling
            felt("Antal sager").fill("2")
            felt("Antal sager").press("Tab")
            klik(bestil)
            tekst = f"2 sager er bestilt og står nu på prioriteringslisten: {b}, {d}."
            expect(besked).to_have_text(tekst, timeout=TRIN_FRIST)
            resultat = page.locator(".kontrol-visitering [data-resultat]")
            expect(resultat).to_have_text(tekst, timeout=TRIN_FRIST)
            assert resultat.bounding_box()["y"] < 900                    # the confirmation where the eye is
            expect(raekker("bestillingsliste")).to_have_count(0, timeout=TRIN_FRIST)
            billede("02_bestilling.png")

            # 3. prioriteringsliste, then B's kontrolark: the reason first, the sheet full height
            klik(page.get_by_role("tab", name="Prioriteringsliste"))
            expect(raekker("prioriteringsliste")).to_have_count(2, timeout=TRIN_FRIST)
            expect(page.locator("[data-side]").filter(visible=True).first).to_have_text("Side 1 af 1 (2 sager)")
            expect(page.locator(f'table[data-liste="prioriteringsliste"] tr[data-sag="{b}"] '
                                f'td[data-kolonne="cpr"]')).to_have_text(YM_B)
            felt("Sag").select_option(label=f"{b} · Kontanthjælp, uddannelseshjælp m.v. (aktivloven) (32.24.04)")
            klik(page.get_by_role("button", name="Åbn kontrolark"))
            expect(page.locator("[data-aktuel-sag]")).to_have_text(b, timeout=TRIN_FRIST)
            expect(page.locator("[data-status]")).to_have_attribute("data-status", "bestilt")
            grund = page.locator("[data-naermere-oplysninger]")
            expect(grund).to_contain_text("bilkoeb (c-b) registreret den")
            ramme = page.locator(f'iframe[data-kontrolark="{b}"]')
            expect(ramme).to_be_visible(timeout=TRIN_FRIST)
            assert grund.bounding_box()["y"] < ramme.bounding_box()["y"]
            assert ramme.bounding_box()["height"] >= 860                 # not a 420 px slot
            ark = page.frame_locator(f'iframe[data-kontrolark="{b}"]')
            expect(ark.locator("h1")).to_have_text("Kontrolark – § 10-opfølgning", timeout=TRIN_FRIST)
            expect(ark.locator("body")).to_contain_text(f"{YM_B[:6]}-{YM_B[6:]}")
            # the address as text from the extract, not its id; the daily run by its Danish name
            expect(ark.locator("xpath=//tr[th='Adresse']/td")).to_have_text(
                "Glemmevej 17B, 2. th, 2750 Ballerup (Ballerup, siden 01-03-2019)")
            historik = ark.locator("xpath=//h2[.='Sagens historik']/following-sibling::table[1]/tbody/tr/td[3]")
            assert historik.all_inner_texts() == ["Daglig kørsel (automatisk)", "anna"]
            for intern in (ADRESSE_ID, DAGLIG_KOERSEL):
                assert intern not in ark.locator("body").inner_text()
                assert intern not in page.locator(".kontrol-visitering").inner_text()
            pdf = page.get_by_role("button", name="Dan PDF til journalisering")
            assert pdf.evaluate("b => b.scrollWidth <= b.clientWidth")   # the label is not cut off
            grund.scroll_into_view_if_needed()
            billede("03_kontrolark.png")

            # an illegal step: the store's Danish error with a Danish date, no traceback
            klik(page.get_by_role("button", name="Registrér afgørelse"))
            expect(besked).to_contain_text(f"Sagen {b} kan ikke afgøres", timeout=TRIN_FRIST)
            expect(besked).to_contain_text("Intet er ændret")
            assert besked.get_attribute("data-besked") == "fejl"
            assert not re.search(r"\d{4}-\d{2}-\d{2}", besked.inner_text())

            # 4. a note, and a CPR number typed into one is refused
            felt("Nyt notat").fill("Borgeren har ringet; kontoudtog sendes i dag.")
            klik(page.get_by_role("button", name="Gem notat"))
            expect(raekker("noter")).to_have_count(1, timeout=TRIN_FRIST)
            felt("Nyt notat").fill(f"Ægtefællen er {YM_B}")
            klik(page.get_by_role("button", name="Gem notat"))
            expect(besked).to_contain_text("ligner et CPR-nummer", timeout=TRIN_FRIST)
            expect(raekker("noter")).to_have_count(1)

            # 5. partshøring: status line, sheet and "what was stored" agree
            klik(page.get_by_role("button", name="Send i partshøring"))
            expect(besked).to_have_text(f"Sag {b}: sendt i partshøring (på feedbacklisten).", timeout=TRIN_FRIST)
            expect(page.locator("[data-status]")).to_have_attribute("data-status", "partshoering")
            expect(ark.locator("body")).to_contain_text("sendt i partshøring (på feedbacklisten)", timeout=TRIN_FRIST)
            expect(ark.locator("body")).not_to_contain_text("Status: bestilt")
            expect(page.locator("[data-gemt]")).to_contain_text("sendt i partshøring (på feedbacklisten) den")

            # 6. the decision: ændret tildeling with exact amounts; the summary shows what was stored
            felt("Resultat").select_option(label="Ændret tildeling")
            felt("Besparelsens rytme").select_option(label="pr. måned")
            for navn, vaerdi in [("Besparelse (kr.)", "1.234,56"), ("Tilbagebetalingskrav (kr.)", "10.000,00"),
                                 ("Efterregulering (kr.)", "-50,10")]:
                felt(navn).fill(vaerdi)
            felt("Ændring af ydelsen").select_option(label="ydelsen er stoppet")
            klik(page.get_by_role("button", name="Registrér afgørelse"))
            expect(besked).to_have_text(f"Sag {b}: afgjort med ændret tildeling. Afgørelsen er registreret.",
                                        timeout=TRIN_FRIST)
            expect(page.locator("[data-status]")).to_have_attribute("data-status", "aendret_tildeling")
            expect(page.locator("[data-gemt]")).to_contain_text(
                "Kontanthjælp: besparelse 1.234,56 kr., tilbagebetalingskrav 10.000,00 kr., "
                "efterregulering -50,10 kr., rytme pr. måned, ydelsen er stoppet.")
            expect(ark.locator("body")).to_contain_text("afgjort med ændret tildeling")
            page.locator("[data-gemt]").scroll_into_view_if_needed()
            billede("04_afgoerelse.png")

            # the decided case on the feedbackliste (with the closed cases): its amounts in kroner with øre
            klik(page.get_by_role("tab", name="Feedbackliste"))
            expect(page.locator('[data-liste="feedbackliste"]')).to_have_text("Ingen sager på feedbacklisten.",
                                                                              timeout=TRIN_FRIST)
            alle = page.get_by_label("Vis også afsluttede sager")
            alle.check()
            afgjort = f'table[data-liste="feedbackliste"] tr[data-sag="{b}"]'
            expect(page.locator(f'{afgjort} td[data-kolonne="besparelse"]')).to_have_text("1.234,56 kr. pr. måned",
                                                                                         timeout=TRIN_FRIST)
            expect(page.locator(f'{afgjort} td[data-kolonne="tilbagebetalingskrav"]')).to_have_text("10.000,00 kr.")
            alle.uncheck()
            expect(page.locator('[data-liste="feedbackliste"]')).to_have_text("Ingen sager på feedbacklisten.",
                                                                              timeout=TRIN_FRIST)
            klik(page.get_by_role("tab", name="Kontrolark"))

            # 7. reopen with a reason: back on the feedbackliste
            felt("Begrundelse for genåbning").fill("Klage modtaget: indtægten var et engangsbeløb")
            klik(page.get_by_role("button", name="Genåbn sagen"))
            expect(page.locator("[data-status]")).to_have_attribute("data-status", "partshoering", timeout=TRIN_FRIST)
            expect(page.locator("[data-gemt]")).to_contain_text("genåbnet")

            # 8. feedbackliste: Danish names, newest first, filters
            klik(page.get_by_role("tab", name="Feedbackliste"))
            expect(raekker("feedbackliste")).to_have_count(1, timeout=TRIN_FRIST)
            raek = f'table[data-liste="feedbackliste"] tr[data-sag="{b}"]'
            expect(page.locator(f'{raek} td[data-kolonne="ydelse"]')).to_have_text("Kontanthjælp")
            expect(page.locator(f'{raek} td[data-kolonne="kanal"]')).to_have_text(
                "Registersamkøring (Den Fælles Dataenhed)")
            felt("Sagsbehandler").fill("bo")
            klik(page.get_by_role("button", name="Filtrér"))
            expect(page.locator('[data-liste="feedbackliste"]')).to_have_text("Ingen sager på feedbacklisten.",
                                                                              timeout=TRIN_FRIST)
            felt("Sagsbehandler").fill("anna")
            klik(page.get_by_role("button", name="Filtrér"))
            expect(raekker("feedbackliste")).to_have_count(1, timeout=TRIN_FRIST)
            felt("Status").select_option(label="afgjort med ændret tildeling")
            expect(page.get_by_label("Vis også afsluttede sager")).to_be_checked(timeout=TRIN_FRIST)
            expect(page.locator('[data-liste="feedbackliste"]')).to_have_text("Ingen sager på feedbacklisten.",
                                                                              timeout=TRIN_FRIST)
            felt("Status").select_option(label="Alle")
            expect(raekker("feedbackliste")).to_have_count(1, timeout=TRIN_FRIST)
            billede("05_feedbackliste.png")

            assert "Traceback" not in page.content()
        finally:
            browser.close()

    # nothing left the machine: no request to anything but the Voila server
    assert udenfor == []
    assert [u for u in alle_requests if urlparse(u).hostname != "127.0.0.1"] == []

    # the store holds exactly those transitions, by the test identity, today
    lager = SagsLager(voila["url"])
    idag = dt.date.today()
    lg = lager.log()
    lg = lg[lg["haendelse"] != "udstillet"]
    assert lg[["sag_id", "bruger", "dato", "haendelse", "fra", "til"]].values.tolist() == [
        [b, "anna", idag, "bestil", "udstillet", "bestilt"],
        [d, "anna", idag, "bestil", "udstillet", "bestilt"],
        [b, "anna", idag, "visiter", "bestilt", "partshoering"],
        [b, "anna", idag, "afgoer", "partshoering", "aendret_tildeling"],
        [b, "anna", idag, "genaabn", "aendret_tildeling", "partshoering"],
    ]
    ks = lager.kontrolsager()
    r = ks[ks["sag_id"] == b].iloc[0]
    assert (r.besparelse_rytme, r.besparelse_beloeb, r.tilbagebetalingskrav, r.efterregulering, r.skat) == (
        "maaned", Decimal("1234.56"), Decimal("10000.00"), Decimal("-50.10"), None)
    assert lager.noter(b, "anna", formaal="tilsyn")["tekst"].tolist() == [
        "Borgeren har ringet; kontoudtog sendes i dag."]
    # every showing of personal data went through the API and was logged, in order
    # (the forged header named nobody: no log row mentions mallory)
    vist = lager.visninger()
    vist = vist[vist["formaal"] == "visitering"]
    assert vist[["bruger", "sag_id", "hvad", "identitet"]].values.tolist() == [
        ["anna", b, "personsoegning", "test"],
        ["anna", b, "prioriteringsliste", "test"],
        ["anna", d, "prioriteringsliste", "test"],
        ["anna", b, "kontrolark", "test"],                 # opened
        ["anna", b, "noter", "test"],                      # the note written, shown
        ["anna", b, "kontrolark", "test"],                 # after partshøring
        ["anna", b, "noter", "test"],
        ["anna", b, "kontrolark", "test"],                 # after the decision
        ["anna", b, "noter", "test"],
        ["anna", b, "feedbackliste", "test"],              # decided: with the closed cases
        ["anna", b, "kontrolark", "test"],                 # after reopening
        ["anna", b, "noter", "test"],
        ["anna", b, "feedbackliste", "test"],              # the tab
        ["anna", b, "feedbackliste", "test"],              # anna's
        ["anna", b, "feedbackliste", "test"],              # all statuses again
    ]
    assert "mallory" not in lager.visninger().to_csv() + lager.log().to_csv() + lager.afvisninger().to_csv()
    assert not any(c in str(v) for v in lager.log().to_numpy().ravel() for c in CPR_ALLE)


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab (as root: --allow-root) on a free 127.0.0.1 port over a copy of the notebook
    (so an autosave cannot touch the repository) and a seeded test store where admin has given
    lis the role analytiker (and nobody sagsbehandler); the person is the test identity lis.
    Settings and workspaces in the temporary folder."""
    url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    ids = seed(url, FOERSTE)
    lager = SagsLager(url)
    lager.giv_roller("admin", ["administrator", "tilsyn"], bruger="admin")
    lager.giv_roller("lis", ["analytiker"], bruger="admin")
    lager.luk()
    mappe = tmp_path / "notebooks"
    mappe.mkdir()
    shutil.copy(NOTEBOOK, mappe / NOTEBOOK.name)
    port = frie_porte(1)[0]
    env = dict(os.environ, KONTROL_DB=url, KONTROL_TESTIDENTITET="lis",
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    for navn in ("JUPYTERHUB_USER", "HTTP_X_REMOTE_USER", "KONTROL_BRUGER", "JUPYTERHUB_API_URL",
                 "JUPYTERHUB_API_TOKEN"):
        env.pop(navn, None)
    log = tmp_path / "lab.log"
    argv = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", f"--ServerApp.root_dir={mappe}",
            f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
    with open(log, "w") as fh:
        proc = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        vent_paa_http(proc, f"http://127.0.0.1:{port}/api/status", log, START_FRIST)
        yield {"base": f"http://127.0.0.1:{port}/", "ids": ids, "url": url}
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_an_analyst_runs_the_notebook_in_jupyterlab_offline_and_is_refused_every_list_naming_the_role(jupyterlab):
    from playwright.sync_api import expect, sync_playwright

    udenfor = []


    with sync_playwright() as pw:
        browser = _chromium(pw)
        try:
            ctx = browser.new_context()
            ctx.route("**/*", kun_lokalt(udenfor))
            page = ctx.new_page()
            page.goto(jupyterlab["base"] + "lab/tree/visitering.ipynb")
            expect(page.locator(".jp-Notebook")).to_be_visible(timeout=SIDE_FRIST)
            # the kernel is up when the status bar says so; "Run All Cells" is a no-op before
            expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=SIDE_FRIST)
            klik(page.get_by_role("menuitem", name="Run", exact=True))
            klik(page.get_by_role("menuitem", name="Run All Cells", exact=True))
            expect(page.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=SIDE_FRIST)
            expect(page.locator("[data-bruger]")).to_have_text("lis")
            expect(page.locator("[data-roller]")).to_have_text("analytiker")
            expect(page.locator("[data-mangler-rolle]")).to_be_visible()
            besked = page.locator(".kontrol-visitering [data-besked]")
            naegtet = "Adgang nægtet: lis har ikke rollen sagsbehandler, som kræves for at {}."
            expect(besked).to_contain_text(naegtet.format("se bestillingslisten"), timeout=TRIN_FRIST)
            expect(page.locator("[data-afvist]").first).to_be_visible()
            assert page.locator('table[data-liste="bestillingsliste"]').count() == 0
            # with a purpose chosen: the prioriteringsliste is refused too, nothing with cpr shown
            page.get_by_label("Formål", exact=True).select_option(label="Visitering")
            klik(page.get_by_role("tab", name="Prioriteringsliste"))
            expect(besked).to_contain_text(naegtet.format("se prioriteringslisten"), timeout=TRIN_FRIST)
            assert page.locator('table[data-liste="prioriteringsliste"]').count() == 0
            assert not CPR.search(page.locator(".kontrol-visitering").inner_text())
        finally:
            browser.close()
    assert udenfor == []
    lager = SagsLager(jupyterlab["url"])
    assert lager.afvisninger(bruger="admin")[["bruger", "handling", "rolle"]].values.tolist() == [
        ["lis", "se bestillingslisten", "sagsbehandler"], ["lis", "se prioriteringslisten", "sagsbehandler"]]
    assert lager.visninger(bruger="admin").empty
    assert lager.log(bruger="admin")["haendelse"].tolist() == ["udstillet"] * 4
