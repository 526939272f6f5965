"""The team server for real: JupyterHub on 127.0.0.1 as ``kontrol server`` configures it (test
mode: a shared password and the simple spawner), over SQLite and over PostgreSQL, driven by
Playwright in Debian's Chromium with every request off 127.0.0.1 aborted.

- the caseworker (hub group ``sagsbehandlere``) logs in and lands in the visitation app, served by
  Voila's server extension in her own server, with the store from ``KONTROL_DB``, and named as
  herself (the hub's user);
- a request with a spoofed ``X-Remote-User`` header and no hub cookie gets no app: it is sent to the
  hub's login;
- the second user (not a caseworker) lands in JupyterLab, and gets 403 on the first user's server.

The harness (tests/hub.py) is meant for the full scenario too (order, kontrolark with a purpose,
decide; the analyst refused; the log naming both hub users).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.error
import urllib.request

import pytest

from hub import LOGIN_FRIST, chromium, hub_fabrik, log_ind  # noqa: F401 - hub_fabrik is a fixture
from test_visitering_hjaelp import seed

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
    from kontrol_lib.flader.server.konfig import NOTEBOOKS
    mappe = tmp_path / "notebooks"
    mappe.mkdir()
    shutil.copy(NOTEBOOKS / "visitering.ipynb", mappe / "visitering.ipynb")
    return mappe


def test_the_caseworker_logs_in_to_the_hub_and_sees_the_app_a_spoofed_header_gets_nothing_and_another_user_gets_403(
        hub_fabrik, store, notebooks):  # noqa: F811 - the fixture imported from hub
    from playwright.sync_api import expect, sync_playwright

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
