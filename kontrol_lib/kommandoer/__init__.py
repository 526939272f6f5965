"""One module per ``kontrol`` sub-command; each defines ``register(subparsers)``.

``add_parser`` below gives every sub-command the same Danish help flag.
"""


def add_parser(sub, name: str, help: str, description: str | None = None):
    p = sub.add_parser(name, help=help, description=description or help, add_help=False)
    p.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    return p


def dato(tekst: str):
    """argparse type: an ISO date; a bad one is reported by argparse, in Danish."""
    import argparse
    import datetime as dt
    try:
        return dt.date.fromisoformat(tekst)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{tekst}' er ikke en dato (brug ÅÅÅÅ-MM-DD)") from None


def skala(tekst: str) -> float:
    """argparse type: a positive number (decimal comma or point)."""
    import argparse
    try:
        x = float(tekst.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{tekst}' er ikke et tal") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"skalaen skal være større end 0 (fik {tekst})")
    return x


def sagskilde(p) -> None:
    """The case source every provenu-type command takes: --sager FIL or --db URL, --aar, --kommune."""
    from pathlib import Path
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--sager", type=Path, metavar="FIL", help="kontrolsager.csv (importformatet)")
    kilde.add_argument("--db", metavar="URL", help="sagslageret (SQLAlchemy-URL eller SQLite-fil)")
    p.add_argument("--aar", type=int, required=True, metavar="ÅÅÅÅ", help="opgørelsesåret")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommunekode")


def hent_sager(args):
    """(cases, corrections, ...) from the arguments of :func:`sagskilde`; warnings go to stderr."""
    import sys
    from ..kontrolsager import hent
    sager, korrektioner, advarsler = hent(args.sager, args.db, args.kommune)
    for a in advarsler:
        print(f"Advarsel: {a.tekst()}", file=sys.stderr)
    return sager, korrektioner
