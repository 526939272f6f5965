"""Shared pieces of the ``kontrol`` sub-commands: the Danish help flag, argparse types (dates,
scale), the --db option and the case-source arguments, printing a table or writing it as CSV.
No workflow logic lives here; every command module in :mod:`.kommandoer` imports from it."""


from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import argparse
import sys

from kontrol_lib.vokabular.celler import csv_tekst
from kontrol_lib.vokabular.koder import brugertekst
from kontrol_lib.vokabular.filer import aaben_privat
from kontrol_lib.vokabular.koder import FORMAAL


def add_parser(sub, name: str, help: str, description: str | None = None):
    p = sub.add_parser(name, help=help, description=description or help, add_help=False)
    p.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    return p


def dato(tekst: str):
    """argparse type: an ISO date; a bad one is reported by argparse, in Danish."""
    try:
        return dt.date.fromisoformat(tekst)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{tekst}' er ikke en dato (brug ÅÅÅÅ-MM-DD)") from None


def skala(tekst: str) -> float:
    """argparse type: a positive number (decimal comma or point)."""
    try:
        x = float(tekst.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{tekst}' er ikke et tal") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"skalaen skal være større end 0 (fik {tekst})")
    return x


def sagskilde(p) -> None:
    """The case source every provenu-type command takes: --sager FIL or --db URL, --aar, --kommune."""
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--sager", type=Path, metavar="FIL", help="kontrolsager.csv (importformatet)")
    kilde.add_argument("--db", metavar="URL", help="sagslageret (SQLAlchemy-URL eller SQLite-fil)")
    p.add_argument("--aar", type=int, required=True, metavar="ÅÅÅÅ", help="opgørelsesåret")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommunekode")


def hent_sager(args):
    """(cases, corrections, ...) from the arguments of :func:`sagskilde`; warnings go to stderr."""
    from kontrol_lib.sager.kilder import hent  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    sager, korrektioner, advarsler = hent(args.sager, args.db, args.kommune)
    for a in advarsler:
        print(f"Advarsel: {a.tekst()}", file=sys.stderr)
    return sager, korrektioner


def tilfoej_db(p) -> None:
    p.add_argument("--db", metavar="URL",
                   help="sagslageret: SQLAlchemy-URL (sqlite:///fil.sqlite eller postgresql://...) "
                        "eller en SQLite-fil; standard er $KONTROL_DB eller kontrol.sqlite i den "
                        "aktuelle mappe")


def tilfoej_dato(p, hjaelp: str = "registreringsdato (ÅÅÅÅ-MM-DD); standard er i dag") -> None:
    p.add_argument("--dato", type=dato, metavar="DATO", help=hjaelp)


def tilfoej_bruger(p) -> None:
    """``--bruger``: only a check. The person is who the login says (the operating system's, or
    JupyterHub's); a different name is refused. On a test/demo store the name is used as given."""
    p.add_argument("--bruger", metavar="NAVN",
                   help="kun som kontrol: skal være dit eget login-navn (handlingen registreres altid på den, "
                        "der er logget ind; et andet navn afvises)")


def tilfoej_formaal(p) -> None:
    p.add_argument("--formaal", choices=FORMAAL, metavar="FORMÅL",
                   help=f"hvorfor du ser personoplysningerne (logges; påkrævet): {', '.join(FORMAAL)}")


def tilfoej_side(p) -> None:
    p.add_argument("--side", type=int, default=1, metavar="N", help="vis side N (standard 1)")
    p.add_argument("--pr-side", type=int, default=50, metavar="N",
                   help="rækker pr. side (standard 50); kun de viste rækker logges som set")


def sideinfo(df: pd.DataFrame) -> str:
    a = df.attrs
    return f"Side {a.get('side', 1)} af {a.get('sider', 1)} ({a.get('i_alt', len(df))} sager i alt)"


def lager(args):
    from kontrol_lib.sager.lager import SagsLager  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
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
    """Write a table as UTF-8 CSV, readable by its owner only (the lists carry CPR numbers).
    Text a spreadsheet could take for a formula gets a leading apostrophe (:mod:`.celler`);
    numbers, dates and amounts are written as they are."""
    out = df.copy()
    for c in out.columns:
        out[c] = [csv_tekst(v) if isinstance(v, str) else _celle(v) for v in out[c]]
    with aaben_privat(path, "w", encoding="utf-8", newline="") as f:
        out.to_csv(f, index=False)


def vis_eller_skriv(df: pd.DataFrame, ud: Path | None, tom: str) -> None:
    """A list to a CSV file as it is, or to the screen with a run's user name described
    (:func:`~kontrol_lib.vokabular.koder.brugertekst`: «Daglig kørsel (automatisk)»)."""
    if ud:
        skriv_csv(df, ud)
        print(f"{len(df)} sager skrevet til {ud}")
    elif df.empty:
        print(tom)
    else:
        vis = df.copy()
        for kol in ("bestilt_af", "registreret_af", "bruger"):
            if kol in vis.columns:
                vis[kol] = [brugertekst(v) for v in vis[kol]]
        print(tabel(vis))
