"""kontrol virksomhedssag --cvr CVR --kommune K --ydelse Y --grund T: a virksomhedskontrol of a
company (kanal virksomhedskontrol), straight onto the prioriteringsliste (role sagsbehandler).
An open case of the same company and ydelse is a warning, not a refusal."""

import sys
import warnings

from kontrol_lib.flader.argumenter import add_parser, lager, tilfoej_bruger, tilfoej_dato, tilfoej_db
from kontrol_lib.vokabular.koder import MYNDIGHEDER, YDELSER


def register(sub):
    p = add_parser(sub, "virksomhedssag", "opret en virksomhedskontrol af et CVR-nummer (kanal virksomhedskontrol; "
                                          "rolle sagsbehandler); sagen lægges direkte på prioriteringslisten",
                   "Har virksomheden allerede en åben sag for samme ydelse, oprettes sagen alligevel, og der "
                   "skrives en advarsel med de åbne sagers id'er. Skriv aldrig et CPR-nummer i begrundelsen.")
    p.add_argument("--cvr", required=True, metavar="CVR", help="virksomhedens CVR-nummer (8 cifre)")
    p.add_argument("--kommune", required=True, type=int, metavar="KODE", help="kommunekoden (3 cifre)")
    p.add_argument("--ydelse", required=True, choices=YDELSER, metavar="YDELSE", help=f"ydelsen: {', '.join(YDELSER)}")
    p.add_argument("--myndighed", choices=MYNDIGHEDER, default="kommune", metavar="MYNDIGHED",
                   help=f"myndigheden: {', '.join(MYNDIGHEDER)} (standard kommune)")
    p.add_argument("--grund", required=True, metavar="TEKST", help="hvorfor sagen oprettes (højst 200 tegn)")
    tilfoej_bruger(p)
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.sager.sagsbehandling import DubletAdvarsel, dubletbesked  # lazy: `kontrol -h` stays light
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DubletAdvarsel)      # said below, in the command's own words
        sag, dubletter = lager(args).opret_virksomhedssag(args.cvr, args.kommune, args.ydelse, args.grund,
                                                          args.bruger, args.myndighed, args.dato)
    print(f"Virksomhedskontrollen er oprettet som sag {sag} og ligger på prioriteringslisten.")
    if dubletter:
        print(f"Advarsel: {dubletbesked(dubletter)}", file=sys.stderr)
    return 0
