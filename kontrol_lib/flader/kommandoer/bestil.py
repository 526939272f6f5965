"""kontrol bestil --antal N --bruger U: move the N oldest cases to the prioriteringsliste."""

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import tilfoej_dato, tilfoej_db
import sys
from kontrol_lib.flader.argumenter import lager, liste


def register(sub):
    p = add_parser(sub, "bestil", "flyt de N ældste sager fra bestillingslisten til prioriteringslisten",
                   "Bestiller de N sager med ældst udløbsdato (efter filtrene). Bestil ikke flere, "
                   "end der kan behandles samme dag. Skriver sags-id'erne, ét pr. linje.")
    p.add_argument("--antal", required=True, type=int, metavar="N", help="antal sager")
    tilfoej_bruger(p)
    p.add_argument("--ydelse", metavar="OMRAADE", help="kun dette ydelsesområde")
    p.add_argument("--fravaelg", metavar="TYPER", help="kommaseparerede kontroltyper, der fravælges")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:

    ids = lager(args).bestil(args.antal, args.bruger, args.ydelse, liste(args.fravaelg), args.kommune,
                             args.dato)
    for i in ids:
        print(i)
    if len(ids) < args.antal:
        print(f"Der var kun {len(ids)} sager at bestille.", file=sys.stderr)
    return 0
