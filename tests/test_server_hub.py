"""The team server for real: JupyterHub on 127.0.0.1 as ``kontrol server`` configures it (test
mode: a shared password and the simple spawner), over SQLite and over PostgreSQL, driven by
Playwright in Debian's Chromium with every request off 127.0.0.1 aborted.

- the caseworker (hub group ``sagsbehandlere``) logs in and lands in the visitation app, served by
  Voila's server extension in her own server, with the store from ``KONTROL_DB``, and named as
  herself (the hub's user);
- a request with a spoofed ``X-Remote-User`` header and no hub cookie gets no app: it is sent to the
  hub's login;
- the second user (not a caseworker) lands in JupyterLab, and gets 403 on the first user's server.

The full scenario of issue 12 (deliverable 5), on a REAL store (roles granted in the store before
the hub starts; identity from the hub's token, never a test identity):

- the caseworker anna (sagsbehandler) orders two cases in the app, chooses the purpose, opens each
  kontrolark and decides (one to partshøring, one henlagt i visitering);
- the analyst lis (analytiker) is refused the lists and the kontrolark in the app (the Danish
  sentence naming sagsbehandler), and runs udforskning.ipynb in her JupyterLab: pseudonyms, no
  CPR number (on PostgreSQL the pseudonyms are computed by the database, revision 0007);
- the store's log names both hub users with the identity source ``jupyterhub``: anna's showings
  with their purpose (on PostgreSQL written by the showing functions as her own database login),
  lis's refusals; the hash chains hold.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
import sqlalchemy as sa
from hub import LOGIN_FRIST, chromium, hub_fabrik, log_ind  # noqa: F401 - hub_fabrik is a fixture
from sqlalchemy.engine import make_url
from test_pseudonym import TESTNOEGLE
from test_visitering_hjaelp import CPR_ALLE, YM_B, seed

from kontrol_lib.flader.server.konfig import NOTEBOOKS
from kontrol_lib.sager import SagsLager
from kontrol_lib.vokabular.pseudonym import pseudonym

CPR = re.compile(r"\d{6}-?\d{4}")
APP = "/voila/render/visitering.ipynb"
FOERSTE = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class _IngenOmdirigering(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _hent(url: str, headers: dict) -> tuple[int, str, str]:
    """(status, Location, body) of one request, redirects not followed, no cookies."""
    opener = urllib.request.build_opener(_IngenOmdirigering)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=20) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", ""), e.read().decode("utf-8", "replace")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    seed(url, FOERSTE)
    return url


@pytest.fixture
def notebooks(tmp_path):
    """A copy of the product's notebook folder as the servers' root (autosave never touches the repo)."""
    mappe = tmp_path / "notebooks"
    mappe.mkdir()
    shutil.copy(NOTEBOOKS / "visitering.ipynb", mappe / "visitering.ipynb")
    return mappe


def test_the_caseworker_logs_in_to_the_hub_and_sees_the_app_a_spoofed_header_gets_nothing_and_another_user_gets_403(
        hub_fabrik, store, notebooks):  # noqa: F811 - the fixture imported from hub
    from playwright.sync_api import expect, sync_playwright  # reason: only the browser tests need Playwright

    hub = hub_fabrik(store, ["anna", "bo"], grupper={"sagsbehandlere": ["anna"]}, notebooks=notebooks)
    udenfor: list[str] = []
    with sync_playwright() as pw:
        browser = chromium(pw)
        try:
            # the caseworker: login → her own server → the app (her group's start page)
            svar = []
            ctx, page = log_ind(browser, hub, "anna", udenfor=udenfor)
            page.on("response", lambda r: svar.append(r) if r.url.endswith(APP) else None)
            page.wait_for_url(re.compile(re.escape(f"/user/anna{APP}")), timeout=LOGIN_FRIST)
            expect(page.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=LOGIN_FRIST)
            expect(page.locator("[data-bruger]")).to_have_text("anna")
            expect(page.locator('table[data-liste="bestillingsliste"] tbody tr')).to_have_count(4)
            assert not CPR.search(page.locator('table[data-liste="bestillingsliste"]').inner_text())
            # the page forbids loading from other origins (the product's policy, set for the server)
            page.reload()
            expect(page.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=LOGIN_FRIST)
            csp = svar[-1].all_headers()["content-security-policy"]
            assert csp.startswith("default-src 'self' ") and "connect-src 'self'" in csp
            ctx.close()

            # a spoofed identity header without the hub's cookie: sent to the hub, no app content
            for sti in (f"/user/anna{APP}", "/user/anna/lab", "/user/anna/api/contents"):
                status, hen, tekst = _hent(hub.url + sti, {"X-Remote-User": "anna"})
                assert status in (302, 403), (sti, status)
                if status == 302:
                    assert hen.startswith(("/hub/", f"{hub.url}/hub/")), (sti, hen)
                assert "Bestillingsliste" not in tekst and "kontrol-visitering" not in tekst and not CPR.search(tekst)
            ctx = browser.new_context(extra_http_headers={"X-Remote-User": "anna"})
            page = ctx.new_page()
            page.goto(hub.url + f"/user/anna{APP}")
            page.wait_for_load_state("load")
            assert "/hub/login" in page.url
            assert page.locator("#login_submit").count() == 1
            assert "Bestillingsliste" not in page.content()
            ctx.close()

            # another user on the caseworker's server: 403, no app. (On one of the two stores, bo
            # first lands in his own JupyterLab, under the same policy, fetching nothing from outside.)
            if store.startswith("sqlite"):
                ctx, page = log_ind(browser, hub, "bo", udenfor=udenfor)
                page.wait_for_url(re.compile(re.escape("/user/bo/lab")), timeout=LOGIN_FRIST)
                expect(page.locator(".jp-LabShell")).to_be_visible(timeout=LOGIN_FRIST)
                expect(page.get_by_text("visitering.ipynb").first).to_be_visible(timeout=LOGIN_FRIST)
            else:
                ctx, page = log_ind(browser, hub, "bo", naeste=f"/user/anna{APP}", udenfor=udenfor)
            svar = page.goto(hub.url + f"/user/anna{APP}")
            assert svar.status == 403, (svar.status, page.url)
            assert "Bestillingsliste" not in page.content()
            ctx.close()
        finally:
            browser.close()
    assert udenfor == []


# ---------------------------------------------------------------------------------------------
# The full scenario of issue 12 (deliverable 5): a REAL store (roles granted in it before the hub
# starts; the person in every row is the hub's user, identity source ``jupyterhub``), the
# caseworker orders, opens a kontrolark with a purpose and decides in the app; the analyst is
# refused the kontrolark in the app and sees only pseudonyms in JupyterLab (udforskning.ipynb);
# the log names both hub users. On PostgreSQL each user's server connects as that person's own
# database login, so the showing functions (which write ``session_user``) name the hub user.

ANNA, LIS = "anna", "lis"
TRIN_FRIST = 20_000      # ms for one action's result in the app
KOERSEL_FRIST = 90_000   # ms for udforskning.ipynb to run in JupyterLab
YDELSE = "Kontanthjælp, uddannelseshjælp m.v. (aktivloven) (32.24.04)"
PSEUDONYM = re.compile(r"P-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}")


def _analysenoegle(url: str, db: str) -> bytes:
    """The key lis's pseudonyms are made with: the test key file on SQLite; on PostgreSQL the
    database's analysis key (revision 0007), read here as the cluster's superuser."""
    if db == "sqlite":
        return TESTNOEGLE
    eng = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with eng.connect() as c:
            return bytes(c.exec_driver_sql("SELECT noegle FROM kontrol_noegle.analysenoegle").scalar())
    finally:
        eng.dispose()


def _som(url: str, login: str) -> str:
    return make_url(url).set(username=login).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def rigtigt_lager(request, tmp_path, monkeypatch):
    """A REAL store (not a test store) created by this process's OS login (its first
    administrator, who also takes sagsbehandler to seed it and tilsyn to read the log), seeded with
    the four cases, anna granted sagsbehandler and lis analytiker before any hub starts. On
    PostgreSQL: the logins anna and lis exist in the cluster first, so granting the roles in the
    product also grants ``kontrol_<rolle>`` to the logins; each user's server gets its own URL."""

    monkeypatch.delenv("KONTROL_TESTIDENTITET", raising=False)   # a real store refuses test identities
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
        urls = {ANNA: url, LIS: url}
    else:
        url = request.getfixturevalue("pg_url")
        urls = {n: _som(url, n) for n in (ANNA, LIS)}
        su = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with su.begin() as c:
            for n in (ANNA, LIS):
                c.exec_driver_sql(f'CREATE ROLE "{n}" LOGIN')
    lager = SagsLager(url, testlager=False)
    try:
        assert not lager.testlager
        mig = lager.person.navn
        lager.giv_roller(mig, ["sagsbehandler", "tilsyn"])
        lager.giv_roller(ANNA, ["sagsbehandler"])
        lager.giv_roller(LIS, ["analytiker"])
    finally:
        lager.luk()
    ids = seed(url, FOERSTE)
    try:
        yield {"url": url, "urls": urls, "ids": ids, "db": request.param}
    finally:
        if request.param == "postgresql":
            with su.begin() as c:
                c.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  f"WHERE usename IN ('{ANNA}', '{LIS}')")
                c.exec_driver_sql(f'DROP OWNED BY "{ANNA}", "{LIS}"')
                for n in (ANNA, LIS):
                    c.exec_driver_sql(f'DROP ROLE "{n}"')
            su.dispose()


def _parametre(nb, vaerdier: dict) -> None:
    """Set values in the notebook's parameters cell (as papermill does, but in place)."""
    celle = next(c for c in nb.cells if c.cell_type == "code" and "Parametre" in c.source)
    linjer = []
    for linje in celle.source.splitlines():
        navn = linje.split(":", 1)[0].strip()
        if navn in vaerdier:
            typ = linje.split(":", 1)[1].split("=", 1)[0].strip()
            linje = f"{navn}: {typ} = {vaerdier[navn]!r}"
        linjer.append(linje)
    celle.source = "\n".join(linjer)


@pytest.fixture
def scenarie_notebooks(tmp_path, rigtigt_lager):
    """The servers' root: the app (visitering.ipynb), lis's copy of udforskning.ipynb with its
    parameters set for this store (this year, no files, the store as lis's login), and forsoeg.ipynb:
    the app as lis opens it with a case number she knows and the purpose chosen, on the
    prioriteringsliste tab (whose list is refused), so that she can press "Åbn kontrolark"."""

    mappe = tmp_path / "scenarie"
    mappe.mkdir()
    shutil.copy(NOTEBOOKS / "visitering.ipynb", mappe / "visitering.ipynb")
    nb = nbformat.read(NOTEBOOKS / "udforskning.ipynb", as_version=4)
    _parametre(nb, {"kommune": 151, "aar": dt.date.today().year, "sager": "", "db": rigtigt_lager["urls"][LIS],
                    "benchmark": "", "data": ""})
    nbformat.write(nb, mappe / "udforskning.ipynb")
    sag = rigtigt_lager["ids"]["B"]
    forsoeg = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from kontrol_lib.flader.visitering import VisiteringsApp\n"
        "from kontrol_lib.flader.visitering.app import FANE_PRIO\n"
        f"sag = {sag!r}\n"
        "app = VisiteringsApp()\n"
        "app.formaal.value = 'visitering'\n"
        "app.faner.selected_index = FANE_PRIO\n"
        "app.prio_sag.options = [(sag, sag)]\n"
        "app.prio_sag.value = sag\n"
        "app")])
    nbformat.write(forsoeg, mappe / "forsoeg.ipynb")
    return mappe


def _hub_miljoe(urls: dict[str, str], noegle) -> str:
    """Config appended to the generated jupyterhub_config.py: the product's pre-spawn hook, then
    each person's own store URL (on PostgreSQL: their own database login) and the test's pseudonym
    key in their server's environment. (The harness strips the test identity from the hub's
    environment, and the spawner passes on only its ``env_keep`` list: checked by :func:`_server_miljoe`.)"""
    return (f"\n_KONTROL_DB = {urls!r}\n_NOEGLE = {str(noegle)!r}\n"
            "_produktets_krog = c.Spawner.pre_spawn_hook\n\n\n"
            "def _per_person(spawner):\n"
            "    _produktets_krog(spawner)\n"
            "    spawner.environment = dict(spawner.environment, KONTROL_DB=_KONTROL_DB[spawner.user.name],\n"
            "                               KONTROL_NOEGLE=_NOEGLE)\n\n\n"
            "c.Spawner.pre_spawn_hook = _per_person\n")


def _server_miljoe(hub, navn: str) -> dict[str, str]:
    """The environment of ``navn``'s running single-user server of ``hub`` (from /proc)."""
    fundet = []
    for d in Path("/proc").iterdir():
        try:
            if not d.name.isdigit() or b"jupyterhub-singleuser" not in (d / "cmdline").read_bytes():
                continue
            env = dict(x.split("=", 1) for x in (d / "environ").read_bytes().decode("utf-8", "replace").split("\0")
                       if "=" in x)
        except OSError:
            continue
        if env.get("JUPYTERHUB_USER") == navn and f":{hub.hub_port}/" in env.get("JUPYTERHUB_API_URL", ""):
            fundet.append(env)
    assert len(fundet) == 1, f"{len(fundet)} servere for {navn}"
    return fundet[0]


def _synlig_tekst(page, selector: str) -> str:
    """The text of ``selector`` without scripts and styles (JupyterLab may not paint cells off
    screen, so the text nodes rather than innerText), one text node per word: textContent would run
    adjacent nodes together (a chart's tick labels "2022" "2023" "20…" read as ten digits)."""
    return page.evaluate("""(sel) => { const n = document.querySelector(sel).cloneNode(true);
        n.querySelectorAll('script, style').forEach(e => e.remove());
        const w = document.createTreeWalker(n, NodeFilter.SHOW_TEXT), ud = [];
        while (w.nextNode()) ud.push(w.currentNode.data);
        return ud.join(' '); }""", selector)


def test_the_full_scenario_caseworker_decides_analyst_is_refused_and_sees_pseudonyms_and_the_log_names_both(
        rigtigt_lager, scenarie_notebooks, hub_fabrik, tmp_path):  # noqa: F811 - the fixture imported from hub
    from playwright.sync_api import expect, sync_playwright  # reason: Playwright only for the browser tests


    ids, url, db = rigtigt_lager["ids"], rigtigt_lager["url"], rigtigt_lager["db"]
    a, b = ids["A"], ids["B"]
    tider = {"start": time.monotonic()}
    noegle = tmp_path / "noegle"
    noegle.write_text(TESTNOEGLE.hex() + "\n")
    noegle.chmod(0o600)
    hub = hub_fabrik(url, [ANNA, LIS], grupper={"sagsbehandlere": [ANNA]}, notebooks=scenarie_notebooks,
                     ekstra_konfig=_hub_miljoe(rigtigt_lager["urls"], noegle))
    tider["hub"] = time.monotonic()
    udenfor: list[str] = []
    with sync_playwright() as pw:
        browser = chromium(pw)
        try:
            # ---- the caseworker: order two, open B's kontrolark for visitering, send B to
            # partshøring, open A's and close it (henlæg i visitering)
            ctx, page = log_ind(browser, hub, ANNA, udenfor=udenfor)
            page.wait_for_url(re.compile(re.escape(f"/user/{ANNA}{APP}")), timeout=LOGIN_FRIST)
            besked = page.locator(".kontrol-visitering [data-besked]")
            raekker = lambda liste: page.locator(f'table[data-liste="{liste}"] tbody tr')
            expect(page.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=LOGIN_FRIST)
            expect(page.locator("[data-bruger]")).to_have_text(ANNA)
            expect(page.locator("[data-identitet]")).to_have_text("JupyterHub-login")
            expect(page.locator("[data-roller]")).to_have_attribute("data-roller", "sagsbehandler")
            expect(raekker("bestillingsliste")).to_have_count(4, timeout=TRIN_FRIST)
            page.get_by_label("Antal sager").fill("2")
            page.get_by_label("Antal sager").press("Tab")
            page.get_by_role("button", name="Bestil", exact=True).click()
            expect(besked).to_have_text(f"2 sager er bestilt og står nu på prioriteringslisten: {a}, {b}.",
                                        timeout=TRIN_FRIST)
            page.get_by_role("tab", name="Prioriteringsliste").click()
            expect(page.locator('[data-liste="prioriteringsliste"][data-vaelg-formaal]')).to_be_visible(
                timeout=TRIN_FRIST)
            page.get_by_label("Formål", exact=True).select_option(label="Visitering")
            expect(raekker("prioriteringsliste")).to_have_count(2, timeout=TRIN_FRIST)
            for sag, beslutning, status in ((b, "Send i partshøring", "partshoering"),
                                            (a, "Henlæg i visitering", "henlagt_i_visitering")):
                page.get_by_role("tab", name="Prioriteringsliste").click()
                expect(page.locator(f'table[data-liste="prioriteringsliste"] tr[data-sag="{sag}"]')).to_have_count(
                    1, timeout=TRIN_FRIST)
                page.get_by_label("Sag", exact=True).select_option(label=f"{sag} · {YDELSE}")
                knap = page.get_by_role("button", name="Åbn kontrolark").first
                knap.scroll_into_view_if_needed()
                knap.click()
                expect(page.locator("[data-aktuel-sag]")).to_have_text(sag, timeout=TRIN_FRIST)
                ark = page.frame_locator(f'iframe[data-kontrolark="{sag}"]')
                expect(ark.locator("h1")).to_contain_text("Kontrolark", timeout=TRIN_FRIST)
                knap = page.get_by_role("button", name=beslutning)
                knap.scroll_into_view_if_needed()
                knap.click()
                expect(page.locator("[data-status]")).to_have_attribute("data-status", status, timeout=TRIN_FRIST)
            assert "Traceback" not in page.content()
            ctx.close()
            tider["anna"] = time.monotonic()

            # ---- the analyst: the app (as she opens it with a case number she knows, the purpose
            # chosen) refuses her the lists and the kontrolark, naming sagsbehandler
            forsoeg = f"/user/{LIS}/voila/render/forsoeg.ipynb"       # the hub starts her server first
            ctx, page = log_ind(browser, hub, LIS, naeste=quote(f"/hub/spawn?next={quote(forsoeg)}"), udenfor=udenfor)
            page.wait_for_url(re.compile(re.escape(forsoeg)), timeout=LOGIN_FRIST)
            naegtet = f"Adgang nægtet: {LIS} har ikke rollen sagsbehandler, som kræves for at {{}}."
            expect(page.locator("[data-bruger]")).to_have_text(LIS, timeout=LOGIN_FRIST)
            expect(page.locator("[data-identitet]")).to_have_text("JupyterHub-login")
            expect(page.locator("[data-roller]")).to_have_attribute("data-roller", "analytiker")
            expect(page.locator("[data-mangler-rolle]")).to_be_visible()
            besked = page.locator(".kontrol-visitering [data-besked]")
            expect(besked).to_contain_text(naegtet.format("se prioriteringslisten"), timeout=TRIN_FRIST)
            knap = page.get_by_role("button", name="Åbn kontrolark").first
            knap.scroll_into_view_if_needed()
            knap.click()
            expect(besked).to_contain_text(naegtet.format("åbne kontrolarket"), timeout=TRIN_FRIST)
            assert page.locator("iframe[data-kontrolark]").count() == 0
            assert not CPR.search(page.locator(".kontrol-visitering").inner_text())
            tider["lis: appen"] = time.monotonic()

            # both servers: identity from the hub's token, never a test identity; each person's store URL
            for navn in (ANNA, LIS):
                env = _server_miljoe(hub, navn)
                assert env.get("JUPYTERHUB_API_TOKEN") and env.get("JUPYTERHUB_API_URL")
                assert env["KONTROL_DB"] == rigtigt_lager["urls"][navn]
                assert not {"KONTROL_TESTIDENTITET", "KONTROL_TESTLAGER", "KONTROL_BRUGER"} & set(env), navn

            # ---- the analyst in JupyterLab: udforskning.ipynb, run as herself, shows pseudonyms only
            page.goto(hub.url + f"/user/{LIS}/lab/tree/udforskning.ipynb")
            nb = page.locator(".jp-Notebook")
            expect(nb).to_be_visible(timeout=LOGIN_FRIST)
            expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=LOGIN_FRIST)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            expect(nb).to_contain_text(f"Logget ind som {LIS} med rollen analytiker", timeout=KOERSEL_FRIST)
            expect(nb).to_contain_text("Sagerne i sagslageret", timeout=KOERSEL_FRIST)
            # the run is over: the first cell has its count and none is queued or running (a cell
            # that fails stops "Run All Cells"; its error is read below)
            page.wait_for_function(
                """() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                           return p.length > 0 && /\\[\\d+\\]/.test(p[0].textContent)
                                  && !p.some(x => x.textContent.includes('*')); }""", timeout=KOERSEL_FRIST)
            fejl = [e.text_content() for e in
                    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all()]
            tider["lis: udforskning"] = time.monotonic()
            tekst = _synlig_tekst(page, ".jp-Notebook")
            assert CPR.findall(tekst) == [], CPR.findall(tekst)[:5]
            assert not any(c in tekst for c in CPR_ALLE)
            pseudonymer_ok = (not fejl and pseudonym(YM_B, _analysenoegle(url, db)) in tekst
                              and bool(PSEUDONYM.search(tekst))
                              and "4 sager i sagslageret" in tekst)
            ctx.close()
        finally:
            browser.close()
    assert udenfor == []
    print(" ".join(f"{k}: {v - tider['start']:.1f} s" for k, v in tider.items()))

    # ---- the log, read by this process's login (tilsyn) in the store
    lager = SagsLager(url)
    try:
        vis = lager.visninger()[["bruger", "sag_id", "hvad", "formaal", "identitet"]].values.tolist()
        # exactly the rows shown, each naming anna (the hub's user; on PostgreSQL her login) and the purpose
        assert vis == [[ANNA, s, h, "visitering", "jupyterhub"] for s, h in (
            (a, "prioriteringsliste"), (b, "prioriteringsliste"), (b, "kontrolark"),
            (b, "kontrolark"),                   # read again after the decision (issue 16: status and sheet agree)
            (a, "prioriteringsliste"), (a, "kontrolark"), (a, "kontrolark"))], vis
        lg = lager.log()
        lg = lg[lg["haendelse"] != "udstillet"]
        assert lg[["sag_id", "bruger", "haendelse", "til"]].values.tolist() == [
            [a, ANNA, "bestil", "bestilt"], [b, ANNA, "bestil", "bestilt"],
            [b, ANNA, "visiter", "partshoering"], [a, ANNA, "visiter", "henlagt_i_visitering"]]
        afv = lager.afvisninger()[["bruger", "handling", "rolle", "identitet"]].values.tolist()
        assert [LIS, "åbne kontrolarket", "sagsbehandler", "jupyterhub"] in afv
        assert [LIS, "se prioriteringslisten", "sagsbehandler", "jupyterhub"] in afv
        assert {r[0] for r in afv} == {LIS}
        assert lager.tjek_log() == []                  # the chains hold, rows written by the PG functions too
    finally:
        lager.luk()
    if not pseudonymer_ok:
        pytest.fail(f"udforskning.ipynb viste ikke lis de pseudonymiserede sager:\n{fejl}\n{tekst[-3000:]}")
