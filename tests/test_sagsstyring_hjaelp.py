"""Hand-made udfald and rule metadata for the case-store tests (no samkøring needed)."""

import datetime as dt
from types import SimpleNamespace

import pandas as pd

REGLER = {
    "flytning": SimpleNamespace(titel="Flytning", kontroltype="flytning"),
    "b_indkomst": SimpleNamespace(titel="B-indkomst", kontroltype="indkomst"),
    "bilkoeb": SimpleNamespace(titel="Bilkøb", kontroltype="formue"),
    "ny_virksomhed": SimpleNamespace(titel="Ny virksomhed", kontroltype="virksomhed"),
}

YM1, YM2, YM3 = "0101801234", "0202851235", "0303901236"
AEF1 = "1111821237"


def u(ym=YM1, regel="flytning", hid="h1", dato="2024-05-02", kle="32.24.04", kommune=151,
      person=None, rolle="YM", tekst=None):
    return dict(ym_cpr=ym, person_cpr=person or ym, rolle=rolle, regel=regel,
                haendelsesdato=dt.date.fromisoformat(dato), haendelse_id=hid, kle=kle,
                kommunekode=kommune, oplysninger=tekst or f"{regel} {hid} den {dato}")


def frame(*rows):
    cols = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "haendelse_id", "kle",
            "kommunekode", "oplysninger"]
    return pd.DataFrame(list(rows), columns=cols)


D = dt.date


# ---------------------------------------------------------------- workers for the parallel tests
def mange_udfald(n: int, dato="2024-05-02"):
    """One udfald for each of ``n`` synthetic YM (valid CPR dates: day 01-28, month 01-12)."""
    rows = []
    for i in range(n):
        cpr = f"{(i % 28) + 1:02d}{(i // 28) % 12 + 1:02d}80{i:04d}"
        rows.append(u(cpr, "flytning", f"h{i}", dato=dato))
    return frame(*rows)


def bestil_arbejder(url, bruger, barrier, queue):
    """Order 3 at a time until the list is empty; report the ids."""
    from kontrol_lib.sager import SagsLager
    lg = SagsLager(url)
    barrier.wait()
    got = []
    try:
        while True:
            ids = lg.bestil(3, bruger, dato=D(2024, 5, 16))
            if not ids:
                break
            got += ids
        queue.put((bruger, got, None))
    except Exception as e:  # noqa: BLE001 - reported to the test
        queue.put((bruger, got, repr(e)))


def afgoer_arbejder(url, bruger, sag_ids, barrier, queue):
    """Try to close every case; report which this worker won and which it was told about."""
    from kontrol_lib.vokabular.fejl import KontrolFejl
    from kontrol_lib.sager import Beloeb, SagsLager
    lg = SagsLager(url)
    barrier.wait()
    vundet, afvist, andet = [], [], []
    for s in sag_ids:
        try:
            lg.afgoer(s, bruger, "aendret_tildeling", Beloeb(tilbagebetalingskrav="100.00"), dato=D(2024, 6, 1))
            vundet.append(s)
        except KontrolFejl as e:
            afvist.append((s, str(e)))
        except Exception as e:  # noqa: BLE001
            andet.append((s, repr(e)))
    queue.put((bruger, vundet, afvist, andet))


# ---------------------------------------------------------------- Alembic revisions made in a test
def revision(rev: str, ned: str, doc: str, upgrade: str, downgrade: str = "pass") -> str:
    """The source of an Alembic revision file (``upgrade``/``downgrade``: the functions' bodies)."""
    import textwrap
    indent = lambda body: textwrap.indent(textwrap.dedent(body).strip(), "    ")  # noqa: E731
    return (f'"""{doc}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
            f"revision = {rev!r}\ndown_revision = {ned!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n{indent(upgrade)}\n\n\ndef downgrade():\n{indent(downgrade)}\n")


def alembic_kopi(mappe, revisioner: dict[str, str]):
    """A copy of the case store's Alembic folder in ``mappe`` with extra revision files
    (file name → source); point ``migrations.SCRIPT_LOCATION`` at it."""
    import shutil
    from pathlib import Path

    from kontrol_lib.sager import migrations
    kopi = Path(mappe) / "alembic"
    shutil.copytree(migrations.SCRIPT_LOCATION, kopi, ignore=shutil.ignore_patterns("__pycache__"))
    for navn, kilde in revisioner.items():
        (kopi / "versions" / navn).write_text(kilde, encoding="utf-8")
    return kopi


# The released Alembic revisions, in order (a new revision adds its id here, once); a test's own
# "future" revision is NAESTE on top of the last.
UDGIVNE = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012",
           "0013"]
NAESTE = f"{int(UDGIVNE[-1]) + 1:04d}"
