"""The visitation app alone (``python -m kontrol_lib.flader.visitering``): on 127.0.0.1, and with the
launcher's default token, Voila sends every request without the right token to its login page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from kontrol_lib.flader.visitering.server import NOTEBOOK, miljoe, voila_kommando

TOKEN = "en-lang-tilfaeldig-token-til-testen"


class _IngenOmdirigering(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.build_opener(_IngenOmdirigering).open(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")


def test_the_app_alone_needs_its_token(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = miljoe(f"sqlite:///{tmp_path / 'kontrol.sqlite'}", token=TOKEN)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    argv = voila_kommando(NOTEBOOK, port, token=True)
    assert TOKEN not in " ".join(argv)           # not on the command line, where `ps` shows it
    with open(tmp_path / "voila.log", "w") as log:
        proc = subprocess.Popen(argv, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        basis = f"http://127.0.0.1:{port}"
        slut = time.monotonic() + 45
        while True:
            assert proc.poll() is None, (tmp_path / "voila.log").read_text()
            try:
                status, hen = _status(basis + "/")
                break
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < slut, (tmp_path / "voila.log").read_text()
                time.sleep(0.2)
        assert (status, hen) == (302, "/login?next=%2F")
        assert _status(basis + "/?token=forkert")[0] == 302
        assert _status(basis + "/voila/render/visitering.ipynb")[0] == 302
        status, tekst = _status(f"{basis}/?token={TOKEN}")
        assert status == 200 and "voila" in tekst.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
