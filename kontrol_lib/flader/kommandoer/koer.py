"""kontrol koer --data DIR --dato D [--kommune K] [--db URL]: the daily run."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import dato, tilfoej_db
from kontrol_lib.flader.argumenter import lager


def register(sub):
    p = add_parser(sub, "koer", "dagens kørsel: samkøring, fredning, nye sager, udløb",
                   "Kører registersamkøringen for datoen, fjerner udfald der allerede er på en sag "
                   "(fredning), lægger nye udfald på ydelsesmodtagerens udstillede sag eller en ny "
                   "sag, og lader sager udløbe efter tre måneder. Samme dato to gange ændrer intet.")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="DATO", help="kørselsdato (ÅÅÅÅ-MM-DD)")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.jobs.daglig import koer  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    res = koer(args.data, args.dato, kommune=args.kommune, lager=lager(args), bruger=args.bruger)
    print(res.tekst())
    return 0
