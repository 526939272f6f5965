"""Serving the visitation notebook with Voila, offline, for ONE person on their own machine.

:func:`voila_kommando` and :func:`miljoe` are the single definition of how the app is served
alone (used by ``python -m kontrol_lib.flader.visitering``, by the browser test, and quoted in
``docs/visitering.md``):

- ``JUPYTER_PATH`` starts with ``jupyter/data``, which holds the product's Voila template
  ``kontrol``: Voila's "lab" template without the two Font Awesome stylesheets it links from a
  CDN. The widget JavaScript is served by the local Jupyter server, so the page needs nothing
  but the Voila server itself.
- ``JUPYTER_CONFIG_PATH`` starts with ``jupyter/config``, whose ``voila.json`` selects that
  template, hides tracebacks, and sends a Content-Security-Policy header that forbids the page
  to load anything from another origin (defence in depth: the page shows cpr numbers).
- The server listens on 127.0.0.1 only, always: a team shares the app through JupyterHub
  (``kontrol server``, ``docs/drift.md``), which authenticates every request. With ``token`` the
  page also needs Voila's token (``JUPYTER_TOKEN`` in the environment, never on the command line,
  where other logins on the machine could read it); without one, anyone logged in on the same
  machine could open the page, which is acceptable only on a one-person machine.
- No identity is taken from the request or the environment here: the app asks
  :func:`kontrol_lib.sager.identitet.logget_ind` (the operating-system login, on a laptop).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

PAKKE = Path(__file__).resolve().parent
DATA_ROD = PAKKE / "jupyter" / "data"          # JUPYTER_PATH: the Voila template
CONFIG_ROD = PAKKE / "jupyter" / "config"      # JUPYTER_CONFIG_PATH: voila.json
NOTEBOOK = PAKKE.parents[2] / "notebooks" / "visitering.ipynb"
IP = "127.0.0.1"
"""The only address the app alone listens on."""
TOKEN_MILJOE = "JUPYTER_TOKEN"
"""Where Voila (jupyter_server's identity provider) reads the token from."""


def voila_kommando(notebook: str | Path = NOTEBOOK, port: int = 8866, token: bool = False,
                   program: list[str] | None = None) -> list[str]:
    """The Voila command line (argv) serving ``notebook`` on 127.0.0.1; run it with :func:`miljoe`'s
    environment. ``token``: the page needs the token in ``$JUPYTER_TOKEN``."""
    argv = list(program or [sys.executable, "-m", "voila"])
    argv += [str(notebook), "--no-browser", f"--port={int(port)}", f"--Voila.ip={IP}"]
    if token:
        argv.append("--token")
    return argv


def _foran(mappe: Path, eksisterende: str | None) -> str:
    return os.pathsep.join(p for p in (str(mappe), eksisterende or "") if p)


def miljoe(db_url: str | None = None, basis: dict | None = None, token: str | None = None) -> dict:
    """The environment for :func:`voila_kommando`: the product's template and Voila config
    first on ``JUPYTER_PATH``/``JUPYTER_CONFIG_PATH``; ``KONTROL_DB`` when given (the notebook's
    default for an empty parameter); ``JUPYTER_TOKEN`` when a token is given."""
    env = dict(os.environ if basis is None else basis)
    env["JUPYTER_PATH"] = _foran(DATA_ROD, env.get("JUPYTER_PATH"))
    env["JUPYTER_CONFIG_PATH"] = _foran(CONFIG_ROD, env.get("JUPYTER_CONFIG_PATH"))
    if db_url:
        env["KONTROL_DB"] = db_url
    if token:
        env[TOKEN_MILJOE] = token
    return env


def kommandolinje(argv: list[str], data: str | Path = DATA_ROD, config: str | Path = CONFIG_ROD,
                  ekstra: dict[str, str] | None = None) -> str:
    """The command line as one copy-pasteable shell line, with its environment variables."""
    env = {"JUPYTER_PATH": str(data), "JUPYTER_CONFIG_PATH": str(config), **(ekstra or {})}
    return " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv)
