"""Serving the visitation notebook with Voila, offline.

:func:`voila_kommando` is the single definition of the command line (used by
``python -m kontrol_lib.visitering``, by the browser test and quoted in ``docs/visitering.md``):

- ``--template=kontrol``: the product's template (``jupyter/voila/templates/kontrol``, found
  through ``JUPYTER_PATH``, see :func:`miljoe`), Voila's "lab" template minus the two Font
  Awesome stylesheets it links from a CDN. The widget JavaScript is served by the local
  Jupyter server, so the page needs no network beyond the Voila server itself.
- a Content-Security-Policy header that forbids the page to load anything from another origin
  (defence in depth: the page shows cpr numbers).
- ``--proxy-bruger``: on a shared server behind an authenticating reverse proxy, the proxy's
  ``X-Remote-User`` header is passed to the kernel (``HTTP_X_REMOTE_USER``) and becomes the user
  written to the log.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

PAKKE = Path(__file__).resolve().parent
TEMPLATE_ROD = PAKKE / "jupyter"
NOTEBOOK = PAKKE.parents[1] / "notebooks" / "visitering.ipynb"
TEMPLATE = "kontrol"
CSP = ("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
       "connect-src 'self'; frame-ancestors 'self'; form-action 'self'")
PROXY_HEADER = "X-Remote-User"


def voila_kommando(notebook: str | Path = NOTEBOOK, port: int = 8866, ip: str = "127.0.0.1",
                   base_url: str = "/", proxy_bruger: bool = False, program: list[str] | None = None) -> list[str]:
    """The Voila command line (argv) serving ``notebook``; run it with :func:`miljoe`'s environment."""
    argv = list(program or [sys.executable, "-m", "voila"])
    argv += [str(notebook), "--no-browser", f"--port={int(port)}", f"--Voila.ip={ip}",
             f"--template={TEMPLATE}",
             "--Voila.tornado_settings={'headers': {'Content-Security-Policy': \"" + CSP + "\"}}"]
    if base_url != "/":
        argv.append(f"--Voila.base_url={base_url}")
    if proxy_bruger:
        argv.append(f"--VoilaConfiguration.http_header_envs=['{PROXY_HEADER}']")
    return argv


def miljoe(db_url: str | None = None, bruger: str | None = None, basis: dict | None = None) -> dict:
    """The environment for :func:`voila_kommando`: ``JUPYTER_PATH`` starting with the product's
    template folder; ``KONTROL_DB``/``KONTROL_BRUGER`` when given (the notebook's defaults)."""
    env = dict(os.environ if basis is None else basis)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATE_ROD), env.get("JUPYTER_PATH", "")) if p)
    if db_url:
        env["KONTROL_DB"] = db_url
    if bruger:
        env["KONTROL_BRUGER"] = bruger
    return env


def kommandolinje(argv: list[str], jupyter_path: str | Path = TEMPLATE_ROD) -> str:
    """The command line as one copy-pasteable shell line, with its ``JUPYTER_PATH``."""
    return f"JUPYTER_PATH={shlex.quote(str(jupyter_path))} {shlex.join(argv)}"
