"""Voila's kernels go away (issue 16): every open tab of the app holds a kernel (a Python process
with the store open); a closed tab must not leave one behind, and a tab whose browser died is
culled by the kernel manager (``jupyter/config/voila.json``: ``MappingKernelManager``).

The kernels are counted as the Voila server's child processes running ``ipykernel_launcher``
(standalone Voila has no kernel listing API). Waits are bounded polls, not timings."""

from __future__ import annotations

import json
import os
import time

import psutil
import pytest

from kontrol_lib.flader.visitering import CONFIG_ROD, NOTEBOOK, miljoe, voila_kommando
from hub import frie_porte, vent_paa_http
from test_visitering_browser import SIDE_FRIST, START_FRIST, _chromium
from test_visitering_hjaelp import seed
from test_visitering_browser import FOERSTE

VENT_S = 90          # the longest a bounded poll waits for the kernels to go


def kerner(pid: int) -> int:
    """Live kernel processes under the Voila server ``pid``."""
    try:
        boern = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    n = 0
    for p in boern:
        try:
            if p.status() != psutil.STATUS_ZOMBIE and any("ipykernel_launcher" in a for a in p.cmdline()):
                n += 1
        except psutil.NoSuchProcess:
            pass
    return n


def vent_til(pid: int, antal: int) -> int:
    slut = time.monotonic() + VENT_S
    while time.monotonic() < slut:
        if kerner(pid) == antal:
            return antal
        time.sleep(0.5)
    return kerner(pid)


def start_voila(tmp_path, ekstra: list[str] = ()):
    import subprocess
    url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    seed(url, FOERSTE)
    port = frie_porte(1)[0]
    env = miljoe(db_url=url)
    env["KONTROL_TESTIDENTITET"] = "anna"
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = tmp_path / "voila.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([*voila_kommando(NOTEBOOK, port), *ekstra], env=env, cwd=tmp_path,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    vent_paa_http(proc, f"http://127.0.0.1:{port}/voila/static/voila.js", log, START_FRIST)
    return proc, f"http://127.0.0.1:{port}/"


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except Exception:  # noqa: BLE001
        proc.kill()
        proc.wait(5)


def test_the_app_s_voila_config_culls_idle_kernels_of_dead_tabs_but_not_open_ones():
    conf = json.loads((CONFIG_ROD / "voila.json").read_text())
    assert conf["MappingKernelManager"] == {"cull_idle_timeout": 600, "cull_interval": 60,
                                            "cull_connected": False, "cull_busy": False}


def test_five_sessions_opened_and_closed_leave_no_kernel(tmp_path):
    from playwright.sync_api import expect, sync_playwright
    proc, base = start_voila(tmp_path)
    try:
        assert kerner(proc.pid) == 0
        with sync_playwright() as pw:
            browser = _chromium(pw)
            try:
                ctx = browser.new_context()
                sider = []
                for _ in range(5):
                    side = ctx.new_page()
                    side.goto(base)
                    expect(side.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=SIDE_FRIST)
                    sider.append(side)
                assert vent_til(proc.pid, 5) == 5
                for side in sider:
                    side.close(run_before_unload=True)
                assert vent_til(proc.pid, 0) == 0
            finally:
                browser.close()
    finally:
        stop(proc)


def test_the_kernel_of_a_browser_that_died_is_culled(tmp_path):
    """The same culler as voila.json, with seconds instead of minutes so the test is short."""
    from playwright.sync_api import expect, sync_playwright
    proc, base = start_voila(tmp_path, ["--MappingKernelManager.cull_idle_timeout=5",
                                        "--MappingKernelManager.cull_interval=2"])
    try:
        with sync_playwright() as pw:
            browser = _chromium(pw)
            side = browser.new_context().new_page()
            side.goto(base)
            expect(side.get_by_role("tab", name="Bestillingsliste")).to_be_visible(timeout=SIDE_FRIST)
            assert vent_til(proc.pid, 1) == 1
            # the browser process is killed: no unload, no shutdown request reaches Voila. Only
            # this test's own Chromium (a descendant of this process) is touched.
            egne = psutil.Process(os.getpid()).children(recursive=True)
            chromium = [p for p in egne if p.name().startswith("chrom") and p.parent() is not None
                        and not p.parent().name().startswith("chrom")]
            if len(chromium) != 1:
                pytest.fail(f"Fandt {len(chromium)} Chromium-hovedprocesser under testen, ventede én")
            chromium[0].kill()
            chromium[0].wait(10)
        assert vent_til(proc.pid, 0) == 0
    finally:
        stop(proc)
