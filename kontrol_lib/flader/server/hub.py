"""``jupyterhub_config.py`` from the team server's configuration (:mod:`.konfig`), through the
Jinja2 template ``templates/jupyterhub_config.py.j2``. Every value is written as a Python literal
(``repr``), so nothing in the YAML file can become code.

What the generated hub does (``docs/drift.md``):

- listens on ``adresse:port`` (127.0.0.1 by default: TLS is terminated by a reverse proxy in front);
  the hub's own API and configurable-http-proxy's API on 127.0.0.1; its state, pid files and
  cookie secret under ``mappe``;
- authenticates with PAM (default), LDAP (ldapauthenticator) or Azure AD / Entra ID
  (oauthenticator's ``AzureAdOAuthenticator``); ``test``: one shared password, for tests on
  127.0.0.1 only;
- spawns each person's own server as that person (``LocalProcessSpawner``; ``test``: the hub's
  user) with the store (``KONTROL_DB``) and Voila's offline template and config in its
  environment; members of an app group start in the visitation app
  (``/user/<navn>/voila/render/visitering.ipynb``), everyone else in JupyterLab;
- culls idle kernels in each server (``MappingKernelManager``) and stops idle servers
  (jupyterhub-idle-culler as a hub service).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import jinja2

from kontrol_lib.flader.server.konfig import ServerKonfig

SKABELONER = Path(__file__).resolve().parent / "templates"
# Voila's offline template and config: the folders kontrol_lib.flader.visitering.server serves the app
# with alone (DATA_ROD, CONFIG_ROD; a test checks they are the same). Not imported from there: the
# visitation package's launcher imports the CLI, which imports this command.
VOILA_DATA = Path(__file__).resolve().parents[1] / "visitering" / "jupyter" / "data"
VOILA_CONFIG = Path(__file__).resolve().parents[1] / "visitering" / "jupyter" / "config"
SERVER_CONFIG = Path(__file__).resolve().parent / "jupyter" / "config"
"""The user servers' own settings (``jupyter_server_config.json``): Voila's server extension would
otherwise point the page at MathJax on a CDN (its ``mathjax_url`` default), and the standalone
app's Content-Security-Policy (``voila.json``, ``Voila.tornado_settings``) is not applied by the
extension; both are set here for the whole server, so JupyterLab gets the same policy."""
APP_STI = "/voila/render/visitering.ipynb"
"""The visitation app under a user's server (Voila's server extension)."""
KONFIGFIL = "jupyterhub_config.py"


@cache
def _miljoe() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SKABELONER), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["py"] = lambda v: repr(str(v) if isinstance(v, Path) else v)
    return env


def spawner_args(k: ServerKonfig, som_root: bool | None = None) -> list[str]:
    """The single-user server's arguments: idle kernels culled after ``tomgang.kerne_minutter``."""
    kerne_s = k.tomgang.kerne_minutter * 60
    args = [f"--MappingKernelManager.cull_idle_timeout={kerne_s}",
            f"--MappingKernelManager.cull_interval={max(10, min(300, kerne_s // 4))}",
            "--MappingKernelManager.cull_connected=False"]
    if k.login.metode == "test" and (os.geteuid() == 0 if som_root is None else som_root):
        args.append("--allow-root")       # the simple spawner runs servers as the hub's user
    return args


def konfiguration(k: ServerKonfig, kilde: str = "server.yaml", som_root: bool | None = None) -> str:
    """The text of ``jupyterhub_config.py`` for ``k``."""
    mappe = Path(k.mappe)
    server_s = k.tomgang.server_minutter * 60
    metode = k.login.metode
    return _miljoe().get_template(KONFIGFIL + ".j2").render(
        kilde=kilde, adresse=k.adresse, port=k.port, hub_port=k.hub_port,
        proxy_api_url=f"http://127.0.0.1:{k.proxy_api_port}", proxy_program=k.proxy_program,
        proxy_pid=mappe / "proxy.pid", hub_pid=mappe / "hub.pid",
        hub_db=f"sqlite:///{mappe / 'jupyterhub.sqlite'}", cookie_secret=mappe / "jupyterhub_cookie_secret",
        metode=metode, ldap=k.ldap, azuread=k.azuread, test=k.test,
        grupper=list(k.login.grupper), brugere=list(k.login.brugere),
        administratorer=list(k.login.administratorer),
        load_groups={g: {"users": list(u)} for g, u in k.grupper.items()},
        spawner="simple" if metode == "test" else "localprocess",
        singleuser=k.programmappe / "jupyterhub-singleuser", spawner_args=spawner_args(k, som_root),
        notebooks=k.notebooks,
        miljoe={"KONTROL_DB": k.db, "JUPYTER_PATH": str(VOILA_DATA), "JUPYTER_CONFIG_PATH": f"{SERVER_CONFIG}{os.pathsep}{VOILA_CONFIG}"},
        app_url=APP_STI, app_grupper=list(k.app_grupper),
        python=k.programmappe / "python", server_s=server_s, cull_every=max(10, min(600, server_s // 4)))


def skriv(k: ServerKonfig, kilde: str = "server.yaml") -> Path:
    """Write ``jupyterhub_config.py`` into ``k.mappe`` (created 0700: the hub's state is private)."""
    mappe = Path(k.mappe)
    mappe.mkdir(parents=True, exist_ok=True)
    os.chmod(mappe, 0o700)
    sti = mappe / KONFIGFIL
    sti.write_text(konfiguration(k, kilde), encoding="utf-8")
    os.chmod(sti, 0o600)
    return sti


def hub_kommando(k: ServerKonfig) -> list[str]:
    """The command line that starts the hub with the written configuration."""
    return [str(k.programmappe / "jupyterhub"), "-f", str(Path(k.mappe) / KONFIGFIL)]
