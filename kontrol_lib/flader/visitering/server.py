"""Serving the visitation notebook with Voila, offline.

:func:`voila_kommando` and :func:`miljoe` are the single definition of how the app is served
(used by ``python -m kontrol_lib.flader.visitering``, by the browser test, and quoted in
``docs/visitering.md``):

- ``JUPYTER_PATH`` starts with ``jupyter/data``, which holds the product's Voila template
  ``kontrol``: Voila's "lab" template without the two Font Awesome stylesheets it links from a
  CDN. The widget JavaScript is served by the local Jupyter server, so the page needs nothing
  but the Voila server itself.
- ``JUPYTER_CONFIG_PATH`` starts with ``jupyter/config``, whose ``voila.json`` selects that
  template, hides tracebacks, and sends a Content-Security-Policy header that forbids the page
  to load anything from another origin (defence in depth: the page shows cpr numbers).
- ``proxy_bruger``: on a shared server behind an authenticating reverse proxy, the proxy's
  ``X-Remote-User`` header is passed to the kernel (``HTTP_X_REMOTE_USER``) and becomes the user
  written to the log.
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
PROXY_HEADER = "X-Remote-User"


def voila_kommando(notebook: str | Path = NOTEBOOK, port: int = 8866, ip: str = "127.0.0.1",
                   base_url: str = "/", proxy_bruger: bool = False, program: list[str] | None = None) -> list[str]:
    """The Voila command line (argv) serving ``notebook``; run it with :func:`miljoe`'s environment."""
    argv = list(program or [sys.executable, "-m", "voila"])
    argv += [str(notebook), "--no-browser", f"--port={int(port)}", f"--Voila.ip={ip}"]
    if base_url != "/":
        argv.append(f"--Voila.base_url={base_url}")
    if proxy_bruger:
        argv.append(f"--VoilaConfiguration.http_header_envs={PROXY_HEADER}")
    return argv


def _foran(mappe: Path, eksisterende: str | None) -> str:
    return os.pathsep.join(p for p in (str(mappe), eksisterende or "") if p)


def miljoe(db_url: str | None = None, bruger: str | None = None, basis: dict | None = None) -> dict:
    """The environment for :func:`voila_kommando`: the product's template and Voila config
    first on ``JUPYTER_PATH``/``JUPYTER_CONFIG_PATH``; ``KONTROL_DB``/``KONTROL_BRUGER`` when
    given (the notebook's defaults for empty parameters)."""
    env = dict(os.environ if basis is None else basis)
    env["JUPYTER_PATH"] = _foran(DATA_ROD, env.get("JUPYTER_PATH"))
    env["JUPYTER_CONFIG_PATH"] = _foran(CONFIG_ROD, env.get("JUPYTER_CONFIG_PATH"))
    if db_url:
        env["KONTROL_DB"] = db_url
    if bruger:
        env["KONTROL_BRUGER"] = bruger
    return env


def kommandolinje(argv: list[str], data: str | Path = DATA_ROD, config: str | Path = CONFIG_ROD,
                  ekstra: dict[str, str] | None = None) -> str:
    """The command line as one copy-pasteable shell line, with its environment variables."""
    env = {"JUPYTER_PATH": str(data), "JUPYTER_CONFIG_PATH": str(config), **(ekstra or {})}
    return " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv)
