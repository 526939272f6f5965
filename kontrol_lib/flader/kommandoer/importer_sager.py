"""kontrol importer-sager --sager FIL [--db URL] --bruger NAVN"""

import sys
from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger


def register(sub):
    p = add_parser(sub, "importer-sager", "importér kontrolsager (kontrolsager.csv) i sagslageret",
                   "Læser og kontrollerer hele filen først; er der fejl, meldes hver fejl med række, kolonne og "
                   "værdi, og intet importeres. Ellers importeres alle rækker i én transaktion og logges. En "
                   "gentaget import af samme fil ændrer intet; et ændret beløb på en afsluttet sag bliver en "
                   "korrektion.")
    p.add_argument("--sager", type=Path, required=True, metavar="FIL", help="kontrolsager.csv")
    p.add_argument("--db", metavar="URL", help="sagslageret (standard: $KONTROL_DB eller kontrol.sqlite)")
    tilfoej_bruger(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.sager.kilder import importer  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    resultat, advarsler = importer(args.sager, args.db, args.bruger)
    for a in advarsler:
        print(f"Advarsel: {a.tekst()}", file=sys.stderr)
    print(f"{args.sager}: importeret.")
    for k, v in resultat.items():
        print(f"  {k}: {v}")
    if resultat.get("aabne_uden_cpr"):
        print(f"Bemærk: {resultat['aabne_uden_cpr']} nye åbne sager fra filen har intet CPR-nummer "
              "(importformatet har ingen person), så de kan ikke indgå i dubletkontrollen (samme person og "
              "ydelse); en sag i filen genkendes kun på sit eget sags-id.")
    return 0
