"""kontrol visiter SAG --bruger U --beslutning henlaeg|partshoering."""

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import tilfoej_dato, tilfoej_db
from kontrol_lib.flader.argumenter import lager
from kontrol_lib.vokabular.koder import STATUSTEKST


def register(sub):
    p = add_parser(sub, "visiter", "visitér en bestilt sag: henlæg den eller send den i partshøring")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    tilfoej_bruger(p)
    p.add_argument("--beslutning", required=True, choices=["henlaeg", "partshoering"],
                   help="henlaeg (sagen afsluttes) eller partshoering")
    p.add_argument("--fredningsperiode", type=int, metavar="MÅNEDER",
                   help="kun kontroltrin 3: antal måneder personen ikke udstilles igen")
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    til = lager(args).visiter(args.sag, args.bruger, args.beslutning, args.dato, args.fredningsperiode)
    print(f"Sagen {args.sag} er nu {STATUSTEKST[til]}.")
    return 0
