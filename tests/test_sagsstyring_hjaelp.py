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
