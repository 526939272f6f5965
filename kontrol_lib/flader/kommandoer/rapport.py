"""kontrol rapport --kommune K --aar Y [--type aarsrapport|udvalgsorientering|benchmark|regeleffekt|alle] [--sager FIL | --db URL]
[--benchmark FIL] [--maaned ÅÅÅÅ-MM]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "rapport", "dan årsrapport, udvalgsorientering og/eller benchmarkrapport for én kommune og ét år",
                   "Kører rapport-notebooks med papermill og skriver den kørte notebook, HTML og PDF i "
                   "<ud>/<kode>-<navn>/<år>/. Rapporten offentliggøres samlet eller slet ikke. "
                   "--type alle danner årsrapport og udvalgsorientering, og benchmarkrapporten med, når --benchmark er angivet.")
    p.add_argument("--kommune", required=True, metavar="KOMMUNE", help="kommunekode (fx 151) eller navn (fx Ballerup)")
    p.add_argument("--aar", required=True, type=int, metavar="ÅR", help="rapportåret, fx 2024")
    p.add_argument("--type", default="alle", choices=["aarsrapport", "udvalgsorientering", "benchmark", "regeleffekt", "alle"],
                   help="hvilken rapport (standard: alle; regeleffekt: regeleffekt og ligebehandling, kræver --db)")
    kilde = p.add_mutually_exclusive_group()
    kilde.add_argument("--sager", metavar="FIL", help="kontrolsager-fil (CSV, XLSX eller Parquet); kræves af "
                       "årsrapport og udvalgsorientering")
    kilde.add_argument("--db", metavar="URL", help="sagslagerets URL, fx sqlite:///kontrol.sqlite (benchmarkrapporten "
                       "afstemmer da kommunens tal med lagerets log)")
    p.add_argument("--benchmark", metavar="FIL", help="national benchmark.csv (valgfri; kræves af benchmarkrapporten)")
    p.add_argument("--maaned", metavar="ÅÅÅÅ-MM", help="benchmarkrapporten: vinduets sidste måned (standard: december i --aar)")
    p.add_argument("--ud", type=Path, default=Path("reports"), metavar="MAPPE", help="rapportmappen (standard: reports)")
    p.add_argument("--uden-pdf", action="store_true", help="dan ikke PDF (kun notebook og HTML)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.rapporter.koersel import Bestilling, alle_typer, lav_rapporter, tjek_bestilling  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    typer = alle_typer(args.benchmark) if args.type == "alle" else (args.type,)
    b = Bestilling(kommune=args.kommune, aar=args.aar, typer=typer, sager=args.sager, db=args.db,
                   benchmark=args.benchmark, maaned=args.maaned, ud=args.ud, pdf=not args.uden_pdf)
    tjek_bestilling(b)   # a bad order is a KontrolFejl before anything runs
    r = lav_rapporter(b)
    if not r.ok:
        raise KontrolFejl(f"Rapporten blev ikke dannet: {r.fejl}")
    for f in r.filer:
        print(f)
    return 0
