"""kontrol oversigt --data DIR --dato D [--kommune K]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato


def register(sub):
    p = add_parser(sub, "oversigt", "kort oversigt over et registerudtræk: tabeller, bestand og udfald pr. regel",
                   "Læser og validerer mappen, finder bestanden og kører registersamkøringen. "
                   "Viser kun antal (ingen CPR-numre).")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="ÅÅÅÅ-MM-DD", help="kørselsdato")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager i denne kommune")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal.oversigt import lav_oversigt  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    print(lav_oversigt(args.data, args.dato, args.kommune).tekst())
    return 0
