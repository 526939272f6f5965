"""kontrol lister-berig --data DIR --dato D [--seed N]: plant the local lists' patterns in a
generated data folder."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.flader.argumenter import dato


def register(sub):
    p = add_parser(sub, "lister-berig", "tilføj mønstre for de lokale kontrollister til syntetiske data",
                   "Tilføjer nye syntetiske personer til en mappe dannet med kontrol synth: bopælssamlinger, "
                   "unge der flytter hjemmefra til adresser med mange tilmeldte, og enlige forsørgere på "
                   "økonomisk friplads eller børnetilskud, der deler adresse med en anden voksen — både fund "
                   "og grænsetilfælde uden fund (se planlagte_lister.csv). Samkøringens planlagte udfald "
                   "ændres ikke. Mappen kan kun beriges én gang.")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="DATO", help="kørselsdatoen D (ÅÅÅÅ-MM-DD)")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="startværdi for tilfældighed (standard 1)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.jobs.syntetisk.listeberigelse import berig  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    print(berig(args.data, args.dato, args.seed).tekst())
    return 0
