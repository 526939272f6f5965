"""Shared pieces of the case commands (``kontrol koer``, ``bestil``, ...): the --db option,
dates, printing a table or writing it as CSV. No workflow logic lives here."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..kommandoer import dato  # noqa: F401  (re-exported: the commands import it from here)



def tilfoej_db(p) -> None:
    p.add_argument("--db", metavar="URL",
                   help="sagslageret: SQLAlchemy-URL (sqlite:///fil.sqlite eller postgresql://...) "
                        "eller en SQLite-fil; standard er $KONTROL_DB eller kontrol.sqlite i den "
                        "aktuelle mappe")


def tilfoej_dato(p, hjaelp: str = "registreringsdato (ÅÅÅÅ-MM-DD); standard er i dag") -> None:
    p.add_argument("--dato", type=dato, metavar="DATO", help=hjaelp)


def lager(args):
    from .lager import SagsLager
    return SagsLager(getattr(args, "db", None))


def liste(tekst: str | None) -> list[str]:
    return [x.strip() for x in (tekst or "").split(",") if x.strip()]


def _celle(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat(sep=" ", timespec="seconds") if isinstance(v, dt.datetime) else v.isoformat()
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    return str(v)


def tabel(df: pd.DataFrame) -> str:
    """A plain fixed-width table (every row, every column)."""
    cols = list(df.columns)
    rows = [[_celle(v) for v in r] for r in df.itertuples(index=False, name=None)]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths])] + [line(r) for r in rows])


def skriv_csv(df: pd.DataFrame, path: Path) -> None:
    out = df.copy()
    for c in out.columns:
        out[c] = [_celle(v) for v in out[c]]
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8")


def vis_eller_skriv(df: pd.DataFrame, ud: Path | None, tom: str) -> None:
    if ud:
        skriv_csv(df, ud)
        print(f"{len(df)} sager skrevet til {ud}")
    elif df.empty:
        print(tom)
    else:
        print(tabel(df))
