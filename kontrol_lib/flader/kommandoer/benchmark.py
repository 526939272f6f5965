"""kontrol benchmark --data FIL --maaned ÅÅÅÅ-MM [--ydelse OMRAADE] [--trin N] --ud FIL"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "benchmark", "beregn benchmark for de seneste 12 måneder",
                   "Læser en benchmark.csv (én række pr. kommune, måned, ydelsesområde og "
                   "kontroltrin) og skriver én række pr. kommune med summer, andele, placeringer "
                   "og markering af små tal for de 12 måneder, der slutter med --maaned, og til "
                   "sidst rækken 000 Hele landet.")
    p.add_argument("--data", required=True, type=Path, metavar="FIL",
                   help="benchmark.csv (eller .xlsx/.parquet)")
    p.add_argument("--maaned", required=True, metavar="ÅÅÅÅ-MM", help="vinduets sidste måned")
    p.add_argument("--ydelse", metavar="OMRAADE",
                   choices=("kontanthjaelp", "sygedagpenge", "oekonomisk_friplads"),
                   help="kun ét ydelsesområde: kontanthjaelp, sygedagpenge eller oekonomisk_friplads")
    p.add_argument("--trin", type=int, metavar="N", choices=(2, 3), help="kun ét kontroltrin (2 eller 3)")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="CSV-filen, der skrives")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal.benchmark import indlaes_benchmark, skriv_csv, tjek_maaned, vinduets_maaneder, vindue  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    maaned = tjek_maaned(args.maaned)
    df = indlaes_benchmark(args.data)
    v = vindue(df, maaned, ydelse=args.ydelse, trin=args.trin)
    skriv_csv(v, args.ud)
    m = vinduets_maaneder(maaned)
    filtre = [f for f in (args.ydelse and f"ydelsesområde {args.ydelse}",
                          args.trin and f"kontroltrin {args.trin}") if f]
    print(f"Skrev {len(v) - 1} kommuner og Hele landet for {m[0]} – {m[-1]}"
          f"{' (' + ', '.join(filtre) + ')' if filtre else ''} til {args.ud}.")
    return 0
