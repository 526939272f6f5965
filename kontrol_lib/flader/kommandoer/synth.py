"""kontrol synth (--kommune KODE | --national) --dato D --ud DIR [--skala F] [--seed N] [--format csv|parquet]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato, skala
from kontrol_lib.vokabular.format import tal


def register(sub):
    p = add_parser(sub, "synth", "dan syntetiske registerudtræk med planlagte hændelser",
                   "Danner alle tabeller i registerkontrakten for én kommune eller hele landet (98 kommuner "
                   "i én mappe) med tolv måneders historik før kørselsdatoen, og skriver "
                   "planlagte_haendelser.csv (de udfald samkøringen skal finde for kørselsdatoen) og "
                   "planlagte_ikke_udfald.csv (plantede grænsetilfælde, der ikke må give udfald). "
                   "Alle CPR-numre er syntetiske (se docs/synth.md).")
    hvem = p.add_mutually_exclusive_group(required=True)
    hvem.add_argument("--kommune", type=int, metavar="KODE", help="kommunekoden (fx 151 for Ballerup)")
    hvem.add_argument("--national", action="store_true", help="alle 98 kommuner i én mappe")
    p.add_argument("--dato", required=True, type=dato, metavar="ÅÅÅÅ-MM-DD", help="kørselsdatoen D")
    p.add_argument("--ud", required=True, type=Path, metavar="MAPPE", help="mappen der skrives til")
    p.add_argument("--skala", type=skala, default=1.0, metavar="F",
                   help="skalering af antal ydelsesmodtagere (1 = realistisk størrelse; standard 1)")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="startværdi for tilfældighed (standard 1)")
    p.add_argument("--aktiveringsdato", type=dato, metavar="ÅÅÅÅ-MM-DD",
                   help="kommunens dato for aktivering af § 10-opfølgning (kun med --kommune; standard "
                        "2018-10-01). En dato i kontrolperioden afskærer hændelser før den")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv",
                   help="filformat (standard csv; brug parquet på landsplan)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.jobs.syntetisk import generer  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    r = generer(None if args.national else args.kommune, args.dato, args.ud, skala=args.skala,
                seed=args.seed, fmt=args.format, aktiveringsdato=args.aktiveringsdato)
    print(f"{r.mappe}: {tal(r.antal_ym)} ydelsesmodtagere i bestanden, {tal(r.antal_udfald)} planlagte "
          f"udfald, {tal(r.antal_ikke_udfald)} plantede grænsetilfælde uden udfald.")
    for navn, n in r.raekker.items():
        print(f"  {navn + '.' + args.format:<24} {tal(n):>12} rækker")
    return 0
