"""kontrol provenu --sager FIL | --db URL --aar ÅÅÅÅ [--kommune KODE] --ud MAPPE [--netto]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, hent_sager, sagskilde


def register(sub):
    p = add_parser(sub, "provenu", "opgør provenu pr. kategori, ydelse, år og kanal",
                   "Skriver kategorier.csv, ydelser.csv, udvikling.csv og kanaler.csv (brutto, som KL og UDK "
                   "opgør) ud fra kontrolsagerne. En sag tæller i det år, den første gang blev afsluttet; "
                   "senere ændringer vises som 'Korrektioner til tidligere år' i det år, de blev registreret.")
    sagskilde(p)
    p.add_argument("--ud", type=Path, required=True, metavar="MAPPE", help="mappen, tabellerne skrives til")
    p.add_argument("--netto", action="store_true",
                   help="skriv også netto-tabeller (kommunens andel efter statsrefusion), mærket _netto")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal.provenu import skriv_tabeller  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    sager, korrektioner = hent_sager(args)
    paths = skriv_tabeller(sager, args.aar, args.ud, korrektioner, args.kommune, args.netto)
    for path in paths:
        print(f"Skrev {path}")
    return 0
