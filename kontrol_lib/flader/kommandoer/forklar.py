"""kontrol forklar HAENDELSE_ID --data DIR --dato D [--kommune K] [--regel R]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato


def register(sub):
    p = add_parser(sub, "forklar", "forklar ét udfald: regel, kilde, parametre, bevis og oplysninger",
                   "Kører registersamkøringen på kørselsdatoen og forklarer udfaldet med det givne hændelses-id: "
                   "reglen og kildens tekst, de parameterværdier reglen læste (med enhed og dato), beviset "
                   "(beløb og sum, datoer og dage imellem, bilens alder …) og sætningen i oplysninger. "
                   "CPR-numre vises maskeret. Har flere udfald samme hændelses-id, forklares de alle.")
    p.add_argument("haendelse_id", metavar="HAENDELSE_ID",
                   help="udfaldets hændelses-id, fx 'YM|11111111|2024-03-01' (sæt det i anførselstegn)")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="ÅÅÅÅ-MM-DD", help="kørselsdatoen D")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommune")
    p.add_argument("--regel", metavar="REGEL", help="kun denne regel (fx b_indkomst)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.regler.forklaring import forklaring_tekst, forklaringer  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    alle = forklaringer(args.data, args.dato, args.haendelse_id, args.kommune, args.regel)   # none: a Danish error
    if len(alle) > 1:
        print(f"{len(alle)} udfald har dette hændelses-id.\n")
    print("\n\n".join(forklaring_tekst(f) for f in alle))
    return 0
