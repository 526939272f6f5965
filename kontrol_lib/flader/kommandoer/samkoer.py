"""kontrol samkoer --data DIR --dato D [--kommune K] --ud FILE"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato



def register(sub):
    p = add_parser(sub, "samkoer", "kør registersamkøringen og skriv udfald",
                   "Kører de 17 regler for § 10-opfølgning på et registerudtræk pr. kørselsdato og skriver "
                   "udfaldstabellen (CSV med semikolon, UTF-8 med BOM, ISO-datoer).")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="ÅÅÅÅ-MM-DD", help="kørselsdatoen D")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommune")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="udfaldsfilen (CSV), der skrives")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.regler import samkoer, skriv_udfald  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    df = samkoer(args.data, args.dato, args.kommune)
    skriv_udfald(df, args.ud)
    print(f"{len(df):,} udfald for {df['ym_cpr'].nunique():,} ydelsesmodtagere skrevet til {args.ud}".replace(",", "."))
    for regel, tabeller in df.attrs.get("ikke_koert", {}).items():
        print(f"  Bemærk: reglen {regel} kunne ikke køres, fordi tabellen {', '.join(tabeller)} mangler.")
    return 0
