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
