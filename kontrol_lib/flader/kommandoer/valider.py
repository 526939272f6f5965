"""kontrol valider --data DIR"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "valider", "kontrollér et registerudtræk mod kontrakten",
                   "Læser alle tabeller i mappen og melder hver fejl med fil, række, kolonne, "
                   "værdi og årsag. Afslutter med kode 1, hvis der er fejl.")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.registre import indlaes  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    reg = indlaes(args.data, genbrug_validering=False)  # raises RegisterFejl with every problem
    print(f"{args.data}: registerudtrækket overholder kontrakten.")
    for name, path in sorted(reg.filer.items()):
        print(f"  {path.name:<24} {reg.antal(name):>12,} rækker".replace(",", "."))
    for note in reg.noter:
        print(f"  Bemærk: {note}")
    return 0
