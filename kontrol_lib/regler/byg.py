"""Build a small data folder from Python rows (for tests, examples and notebooks).

``skriv_mappe(mappe, {"ydelsessager": [{"cpr": ..., ...}], ...})`` writes one CSV per table with
every contract column (a column not given is left empty); dates may be ``datetime.date``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from kontrol_lib.registre.kontrakt import TABLES


def _tekst(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def skriv_mappe(mappe: str | Path, tabeller: dict[str, list[dict]]) -> Path:
    mappe = Path(mappe)
    mappe.mkdir(parents=True, exist_ok=True)
    for navn, rows in tabeller.items():
        cols = TABLES[navn].column_names
        with (mappe / f"{navn}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(cols)
            for r in rows:
                extra = set(r) - set(cols)
                if extra:
                    raise KeyError(f"{navn}: ukendte kolonner {sorted(extra)}")
                w.writerow([_tekst(r.get(c)) for c in cols])
    return mappe
