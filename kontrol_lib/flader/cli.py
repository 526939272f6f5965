"""The ``kontrol`` command. A thin face over the library: every sub-command lives in
``kontrol_lib/flader/kommandoer/<navn>.py`` as ``register(subparsers)`` and calls library functions.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import warnings

from kontrol_lib.flader import kommandoer
from kontrol_lib.vokabular.fejl import KontrolAdvarsel, KontrolFejl
from kontrol_lib.registre import RegisterFejl
from kontrol_lib.flader.dansk import DanskParser


def build_parser() -> argparse.ArgumentParser:
    parser = DanskParser(
        prog="kontrol",
        description="Kontrolgruppens arbejdsbænk: registersamkøring, sagsgang, provenu, "
                    "benchmark og rapporter.",
        add_help=False,
    )
    parser.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    sub = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO", parser_class=DanskParser)
    for info in sorted(pkgutil.iter_modules(kommandoer.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{kommandoer.__name__}.{info.name}")
        module.register(sub)
    return parser


def vis_advarsler(standard):
    """A ``warnings.showwarning`` that prints the product's own warnings (:class:`KontrolAdvarsel`)
    as the command's other warnings: ``Advarsel: ...`` on stderr, no file name or line."""
    def vis(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, KontrolAdvarsel):
            print(f"Advarsel: {message}", file=sys.stderr)
        else:
            standard(message, category, filename, lineno, file, line)
    return vis


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    with warnings.catch_warnings():
        warnings.showwarning = vis_advarsler(warnings.showwarning)
        return koer(args)


def koer(args) -> int:
    try:
        return int(args.func(args) or 0)
    except RegisterFejl as e:
        print(e.tekst(), file=sys.stderr)
        return 1
    except KontrolFejl as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:          # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
