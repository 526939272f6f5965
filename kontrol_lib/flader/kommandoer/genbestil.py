"""kontrol genbestil SAG --bruger U: put an ordered case back on the bestillingsliste."""

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import tilfoej_dato, tilfoej_db
from kontrol_lib.flader.argumenter import lager


def register(sub):
    p = add_parser(sub, "genbestil", "læg en bestilt, ubehandlet sag tilbage på bestillingslisten")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    tilfoej_bruger(p)
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lager(args).genbestil(args.sag, args.bruger, args.dato)
    print(f"Sagen {args.sag} er lagt tilbage på bestillingslisten.")
    return 0
