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
