"""kontrol rapport --kommune K --aar Y [--type aarsrapport|udvalgsorientering|alle] (--sager FIL | --db URL)"""

from pathlib import Path

from . import add_parser


def register(sub):
    p = add_parser(sub, "rapport", "dan årsrapport og/eller udvalgsorientering for én kommune og ét år",
                   "Kører rapport-notebooks med papermill og skriver den kørte notebook, HTML og PDF i "
                   "<ud>/<kode>-<navn>/<år>/. Rapporten offentliggøres samlet eller slet ikke.")
    p.add_argument("--kommune", required=True, metavar="KOMMUNE", help="kommunekode (fx 151) eller navn (fx Ballerup)")
    p.add_argument("--aar", required=True, type=int, metavar="ÅR", help="rapportåret, fx 2024")
    p.add_argument("--type", default="alle", choices=["aarsrapport", "udvalgsorientering", "alle"],
                   help="hvilken rapport (standard: alle)")
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--sager", metavar="FIL", help="kontrolsager-fil (CSV, XLSX eller Parquet)")
    kilde.add_argument("--db", metavar="URL", help="sagslagerets URL, fx sqlite:///kontrol.sqlite")
    p.add_argument("--benchmark", metavar="FIL", help="national benchmark.csv (valgfri)")
    p.add_argument("--ud", type=Path, default=Path("reports"), metavar="MAPPE", help="rapportmappen (standard: reports)")
    p.add_argument("--uden-pdf", action="store_true", help="dan ikke PDF (kun notebook og HTML)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..fejl import KontrolFejl
    from ..rapporter.koersel import TYPER, Bestilling, lav_rapporter, tjek_bestilling
    typer = tuple(TYPER) if args.type == "alle" else (args.type,)
    b = Bestilling(kommune=args.kommune, aar=args.aar, typer=typer, sager=args.sager, db=args.db,
                   benchmark=args.benchmark, ud=args.ud, pdf=not args.uden_pdf)
    tjek_bestilling(b)   # a bad order is a KontrolFejl before anything runs
    r = lav_rapporter(b)
    if not r.ok:
        raise KontrolFejl(f"Rapporten blev ikke dannet: {r.fejl}")
    for f in r.filer:
        print(f)
    return 0
