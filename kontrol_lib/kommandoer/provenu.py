"""kontrol provenu --sager FIL | --db URL --aar ÅÅÅÅ [--kommune KODE] --ud MAPPE [--netto]"""

import sys
from pathlib import Path

from . import add_parser


def register(sub):
    p = add_parser(sub, "provenu", "opgør provenu pr. kategori, ydelse, år og kanal",
                   "Skriver kategorier.csv, ydelser.csv, udvikling.csv og kanaler.csv (brutto, som KL og UDK "
                   "opgør) ud fra kontrolsagerne. En sag tæller i det år, den første gang blev afsluttet; "
                   "senere ændringer vises som 'Korrektioner til tidligere år' i det år, de blev registreret.")
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--sager", type=Path, metavar="FIL", help="kontrolsager.csv (importformatet)")
    kilde.add_argument("--db", metavar="URL", help="sagslageret (SQLAlchemy-URL eller SQLite-fil)")
    p.add_argument("--aar", type=int, required=True, metavar="ÅÅÅÅ", help="opgørelsesåret")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommunekode")
    p.add_argument("--ud", type=Path, required=True, metavar="MAPPE", help="mappen, tabellerne skrives til")
    p.add_argument("--netto", action="store_true",
                   help="skriv også netto-tabeller (kommunens andel efter statsrefusion), mærket _netto")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..kontrolsager import hent
    from ..provenu import skriv_tabeller
    sager, korrektioner, advarsler = hent(args.sager, args.db, args.kommune)
    for a in advarsler:
        print(f"Advarsel: {a.tekst()}", file=sys.stderr)
    paths = skriv_tabeller(sager, args.aar, args.ud, korrektioner, args.kommune, args.netto)
    for path in paths:
        print(f"Skrev {path}")
    return 0
