"""kontrol batch PLAN.yaml [--workers N] [--kerne]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "batch", "dan rapporter for mange kommuner og år efter en plan (til planlagt kørsel)",
                   "Læser en plan (YAML) og danner rapporterne parallelt med en statuslinje. En fejl stopper "
                   "ikke resten; til sidst vises en opsummering, og afslutningskoden er 1, hvis noget fejlede. "
                   "Se docs/rapporter.md for planens nøgler og et cron-eksempel.")
    p.add_argument("plan", type=Path, metavar="PLAN", help="planen (YAML)")
    p.add_argument("--workers", type=int, metavar="N", help="antal parallelle arbejdere (overskriver planen)")
    p.add_argument("--stille", action="store_true", help="ingen statuslinje (fx i cron)")
    p.add_argument("--tidsgraense", type=float, metavar="SEKUNDER",
                   help="stop kørslen efter så mange sekunder (overskriver planen); ufærdige rapporter "
                        "offentliggøres ikke")
    p.add_argument("--kerne", action="store_true",
                   help="kør notebooks i en Jupyter-kerne pr. arbejder (som kontrol rapport) i stedet for "
                        "direkte i arbejderprocessen; samme rapporter, men langsommere")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.rapporter.batch import koer_batch  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    if args.workers is not None and args.workers < 1:
        raise KontrolFejl(f"--workers skal være mindst 1, ikke {args.workers}")
    if args.tidsgraense is not None and not args.tidsgraense > 0:
        raise KontrolFejl(f"--tidsgraense skal være et positivt antal sekunder, ikke {args.tidsgraense:g}")
    res, tekst = koer_batch(args.plan, args.workers, fremskridt=not args.stille, tidsgraense=args.tidsgraense,
                            kerne=args.kerne)
    print(tekst)
    return 0 if all(r.ok for r in res) else 1
