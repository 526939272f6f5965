"""Shared fixtures. ``pg_url``: a throw-away PostgreSQL cluster for the whole session, started
from the Debian binaries (``make system-deps`` installs the ``postgresql`` package) on a unix
socket in a temporary folder, as the ``postgres`` user when the tests run as root. If the
binaries are missing, the PostgreSQL tests FAIL: the store must be tested against both databases.

Stores created by the tests are test stores (``$KONTROL_TESTLAGER=1``): the test identity
provider of ``kontrol_lib.sager.identitet`` (names given in code or ``--bruger``, logged as
``test``). A test that needs a real store passes ``testlager=False``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# Every store a test creates is a test store (spec/sikkerhed.md: names given are accepted there and
# logged as test identities). Tests of real stores (the OS login, refused names) unset it.
os.environ["KONTROL_TESTLAGER"] = "1"
# ... and whoever acts without naming themselves there is the test identity "koersel" (the daily
# run, list runs), the same on every machine whatever the OS login.
os.environ["KONTROL_TESTIDENTITET"] = "koersel"
# The pseudonym key (kontrol_lib.vokabular.pseudonym) of the test run: a throw-away file, never the
# tester's ~/.config/kontrol/noegle, created here (not on first use: revision 0008 refuses to upgrade a
# store with udfald without a readable key, so a test that upgrades one must not depend on an earlier
# test having created it). Tests that need exact pseudonyms set their own.
os.environ["KONTROL_NOEGLE"] = str(Path(tempfile.mkdtemp(prefix="kontrol-noegle-")) / "noegle")
from kontrol_lib.vokabular.pseudonym import opret_noegle  # noqa: E402

opret_noegle(Path(os.environ["KONTROL_NOEGLE"]))


def _pg_bindir() -> Path | None:
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-c", " ".join(cmd)]


@pytest.fixture(scope="session")
def pg_server():
    bindir = _pg_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL-programmerne (initdb, pg_ctl) mangler: kør 'make system-deps' "
                    "(Debian-pakken postgresql)")
    root = Path(tempfile.mkdtemp(prefix="kontrol-pg-"))
    os.chmod(root, 0o777)
    data = root / "data"
    log = root / "server.log"
    run = lambda cmd: subprocess.run(_as_pg_user(cmd), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run([str(bindir / "initdb"), "-D", str(data), "-U", "kontrol", "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync"])
        run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
             f"-k {root} -c listen_addresses='' -c fsync=off -c max_connections=100", "start"])
    except subprocess.CalledProcessError as e:
        detail = log.read_text() if log.exists() else ""
        pytest.fail(f"Kunne ikke starte PostgreSQL: {e.stderr}\n{detail}")
    try:
        yield {"url": f"postgresql+psycopg://kontrol@/postgres?host={root}", "host": str(root)}
    finally:
        subprocess.run(_as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_db_nr = itertools.count(1)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database for one test."""
    import sqlalchemy as sa
    name = f"t{os.getpid()}_{next(_db_nr)}"
    eng = sa.create_engine(pg_server["url"], isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://kontrol@/{name}?host={pg_server['host']}"
    finally:
        with eng.connect() as c:           # keep the throw-away cluster small
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The store's URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    return request.getfixturevalue("pg_url")


# A watchdog: no single test may hang CI. pytest-timeout (pyproject.toml: `timeout`) fails a test
# that runs longer than that with its own traceback and the run goes on, on every xdist worker.
# (It replaced a faulthandler watchdog whose exit went into pytest's output capture: a slow test
# ended the whole run silently, and under xdist a worker vanished "not properly terminated".)


# ---- parallel runs (pytest-xdist: `make test` runs `pytest -n auto --dist loadgroup`) ----------
# Every worker is its own process with its own throw-away PostgreSQL cluster (``pg_server``), its
# own pseudonym key (``KONTROL_NOEGLE`` above), its own ``tmp_path`` tree, and picks free ports
# (tests/hub.py ``frie_porte``), so tests are independent across workers. What must not be split:
# a module whose tests share a module- or class-scoped fixture (a rendered report, a simulated
# store, a hub) keeps all its tests on one worker, so the fixture is built once, not once per
# worker. Every other test is handed out one by one.
_DELT = ("module", "class", "package")
# Tests that start a Jupyter server, a hub or a browser session of their own run one at a time on
# one worker: two of them side by side on a 2-core machine only make both slower and risk their
# start-up deadlines.
_SERVERE = {"tests/test_server_hub.py", "tests/test_visitering_browser.py", "tests/test_visitering_token.py",
            "tests/test_visitering_kerner.py", "tests/test_rapporter_interaktiv.py",
            "tests/test_udforskning_jupyterlab.py"}


@pytest.hookimpl(tryfirst=True)     # before xdist's own hook, which reads the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        if item.nodeid.split("::")[0] in _SERVERE:
            item.add_marker(pytest.mark.xdist_group("servere"))
            continue
        info = getattr(item, "_fixtureinfo", None)      # pytest has no public accessor for this
        defs = info.name2fixturedefs.values() if info is not None else ()
        if any(d and d[-1].scope in _DELT for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


# pytest-xdist groups a test by renaming it "<nodeid>@<group>" on the worker; pytest 9.2 made node
# ids structured and the renaming silently stopped taking effect (pytest-xdist issue #1386, open; fix
# in PR #1388): every module fixture was then built on both workers and the server tests ran side by
# side. pytest is pinned to 9.1.1 for that; these checks make an upgrade fail loudly, not quietly:
# on the controller by version (its message reaches the user), on each worker by the result.
def pytest_configure(config):
    from importlib.metadata import version
    if config.getoption("dist", "no") == "loadgroup" and not getattr(config.option, "loadgroup", False):
        pt = tuple(int(x) for x in version("pytest").split(".")[:2])
        xd = tuple(int(x) for x in version("pytest-xdist").split(".")[:2])
        if pt >= (9, 2) and xd <= (3, 8):
            raise pytest.UsageError(
                f"pytest {version('pytest')} og pytest-xdist {version('pytest-xdist')} grupperer ikke "
                "testene (--dist loadgroup, pytest-xdist issue #1386): brug pytest 9.1.1 (requirements.lock)")


def pytest_collection_finish(session):
    if not getattr(session.config.option, "loadgroup", False):     # set on xdist workers under --dist loadgroup
        return
    tabt = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") is not None
            and "@" not in i.nodeid.rsplit("]", 1)[-1]]
    if tabt:
        raise pytest.UsageError(f"pytest-xdist grupperer ikke testene med denne pytest-version "
                                f"({len(tabt)} tests uden gruppe, fx {tabt[0]}); se tests/conftest.py")
