"""The analyst's notebook in a real JupyterLab, offline (issue 14, deliverable 5): every chart of
``udforskning.ipynb`` draws.

A JupyterLab server is started by the test on 127.0.0.1 (a free port, a token, its own runtime,
config, settings and workspace folders) over a copy of the notebook whose parameters point at the
test's Ballerup case file. Debian's Chromium opens it with every request that is not to 127.0.0.1
aborted, runs all cells from the Run menu, and the test counts what DREW in JupyterLab's page:

- the interactive charts: Vega's rendered ``svg.marks`` inside the output areas, one per output
  that embeds Vega (``vegaEmbed``) in the notebook as saved after the run;
- the report figures: ``img.graf`` SVG images loaded with a real size, one per such image in the
  saved outputs.

The browser console must stay free of errors. Before the fix in
:func:`kontrol_lib.rapporter.visning.egne_scopes` the second Vega chart stayed blank here with
"Identifier 'spec' has already been declared" (checked by reverting the fix: 1 of 2 charts drew and
the console held that error).

Chromium comes from Debian (``make system-deps``); without ``/usr/bin/chromium`` the test FAILS.
The test runs in the ``servere`` xdist group (one server or browser test at a time)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from hub import frie_porte, kun_lokalt, vent_paa_http

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "udforskning.ipynb"
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
START_FRIST = 90          # seconds for JupyterLab to answer (a loaded 2-core machine)
SIDE_FRIST = 120_000      # ms for the page, the kernel and the run of all cells
# what the notebook shows with the Ballerup file: the drill-down and the five-year bars (Vega),
# and the kanal section's report figure (an SVG image)
VEGA_DIAGRAMMER, FIGURER = 2, 1

pytestmark = pytest.mark.xdist_group("servere")


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on a free 127.0.0.1 port with a token, its own folders, no news or update checks,
    serving a folder with the parameterised copy of udforskning.ipynb."""
    mappe = tmp_path / "notebooks"
    mappe.mkdir()
    nb = parameterize_notebook(load_notebook_node(str(NOTEBOOK)),
                               {"kommune": 151, "aar": 2023, "sager": str(BALLERUP), "db": "", "benchmark": "",
                                "data": ""})
    nbformat.write(nb, mappe / "udforskning.ipynb")
    port, token = frie_porte(1)[0], secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KONTROL_", "JUPYTER", "JPY_")) and k not in ("HTTP_X_REMOTE_USER",)}
    env |= {"PYTHONPATH": str(ROOT), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"), "IPYTHONDIR": str(tmp_path / "ipython")}
    log = tmp_path / "jupyterlab.log"
    kommando = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={mappe}", "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with open(log, "w") as fh:
        proc = subprocess.Popen(kommando, env=env, cwd=mappe, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        basis = f"http://127.0.0.1:{port}"
        vent_paa_http(proc, f"{basis}/api/status?token={token}", log, START_FRIST)
        yield {"basis": basis, "token": token, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _gemte_diagrammer(basis: str, token: str) -> tuple[int, int]:
    """From the notebook as JupyterLab saved it: the outputs that embed Vega, and the report
    figures (``img`` with class ``graf``) in the outputs."""
    with urllib.request.urlopen(f"{basis}/api/contents/udforskning.ipynb?token={token}&content=1", timeout=30) as r:
        nb = json.load(r)["content"]
    html = [o["data"]["text/html"] for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]
    html = ["".join(h) if isinstance(h, list) else h for h in html]
    return sum("vegaEmbed" in h for h in html), sum(h.count('class="graf"') for h in html)


def test_every_chart_of_udforskning_draws_in_jupyterlab_offline_with_no_console_error(jupyterlab):
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} mangler: kør 'make system-deps' (Debian-pakken chromium)")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright
    basis, token = jupyterlab["basis"], jupyterlab["token"]
    udenfor: list[str] = []
    konsol: list[str] = []


    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.route("**/*", kun_lokalt(udenfor))
            page.on("console", lambda m: konsol.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: konsol.append(str(e)))
            page.goto(f"{basis}/lab/tree/udforskning.ipynb?token={token}", timeout=SIDE_FRIST)
            nb = page.locator(".jp-Notebook")
            expect(nb).to_be_visible(timeout=SIDE_FRIST)
            expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=SIDE_FRIST)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # the run is over: every code cell has its count and none is queued or running
            page.wait_for_function(
                """() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                           return p.length > 0 && p.every(x => /\\[\\d+\\]/.test(x.textContent)); }""",
                timeout=SIDE_FRIST)
            # the charts are drawn asynchronously after their output arrives: wait for as many as the
            # notebook has (a blank chart never comes, and the counts below then tell)
            try:
                page.wait_for_function(
                    f"""() => document.querySelectorAll('.jp-OutputArea-output .vega-embed svg.marks').length
                              >= {VEGA_DIAGRAMMER}""", timeout=30_000)
            except PlaywrightTimeout:
                pass                                # the exact counts below fail, with what drew
            vega = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output .vega-embed')]
                .map(e => e.querySelectorAll('svg.marks, canvas.marks').length)""")
            billeder = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output img.graf')]
                .map(i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 50)""")
            fejl = [e.text_content() for e in
                    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all()]
            page.keyboard.press("Control+s")       # save, to count the chart outputs the run produced
            expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30_000)
        finally:
            browser.close()
    gemte_vega, gemte_billeder = _gemte_diagrammer(basis, token)
    assert (gemte_vega, gemte_billeder) == (VEGA_DIAGRAMMER, FIGURER)   # the chart outputs of the run
    assert vega == [1] * VEGA_DIAGRAMMER            # each Vega output drew its chart (before the fix: [1])
    assert billeder == [True] * FIGURER
    assert (konsol, fejl, udenfor) == ([], [], [])
