"""kontrol afgoer SAG --bruger U --resultat henlagt_efter_partshoering|aendret_tildeling [amounts]."""

from kontrol_lib.vokabular.koder import AENDRET_TILDELING, HENLAGT_EFTER_PARTSHOERING, RYTMER
from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import tilfoej_dato, tilfoej_db
from kontrol_lib.flader.argumenter import lager
from kontrol_lib.vokabular.koder import STATUSTEKST


def register(sub):
    p = add_parser(sub, "afgoer", "afgør en sag i partshøring og registrér resultatet og beløbene",
                   "Beløb angives i kr. med højst to decimaler (1234,50 eller 1234.50) og kun ved "
                   "resultatet aendret_tildeling.")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    tilfoej_bruger(p)
    p.add_argument("--resultat", required=True, choices=[HENLAGT_EFTER_PARTSHOERING, AENDRET_TILDELING],
                   help="sagens resultat")
    p.add_argument("--ydelse", metavar="YDELSE", help="ydelsen beløbene gælder (standard: sagens ydelse)")
    p.add_argument("--besparelse-rytme", choices=RYTMER,
                   help="rytmen for den stoppede eller nedsatte ydelse")
    p.add_argument("--besparelse-beloeb", metavar="KR", help="beløbet pr. rytme (eller det faste beløb)")
    p.add_argument("--tilbagebetalingskrav", metavar="KR", help="rejst tilbagebetalingskrav")
    p.add_argument("--efterregulering", metavar="KR", help="efterregulering")
    p.add_argument("--skat", metavar="KR", help="skat (som i UDK's statusopgørelse)")
    p.add_argument("--aendring", choices=["stop", "nedsat"], help="om ydelsen blev stoppet eller nedsat")
    p.add_argument("--politianmeldt", choices=["ja", "nej"], help="om sagen er politianmeldt")
    p.add_argument("--videresendt-til", metavar="MYNDIGHED", help="myndighed sagen er sendt videre til")
    p.add_argument("--fredningsperiode", type=int, metavar="MÅNEDER",
                   help="kun kontroltrin 3: antal måneder personen ikke udstilles igen")
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.sager.grundlag import Beloeb  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    felter = (args.besparelse_rytme, args.besparelse_beloeb, args.tilbagebetalingskrav,
              args.efterregulering, args.skat, args.aendring, args.politianmeldt, args.videresendt_til)
    beloeb = None
    if any(f is not None for f in felter) or args.ydelse:
        beloeb = Beloeb(args.ydelse, *felter)
    lager(args).afgoer(args.sag, args.bruger, args.resultat, beloeb, args.dato, args.fredningsperiode)
    print(f"Sagen {args.sag} er {STATUSTEKST[args.resultat]}.")
    return 0
