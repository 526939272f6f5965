"""kontrol feedbackliste --bruger U [--alle]: cases in partshøring (viewing is logged)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.flader.argumenter import tilfoej_db
from kontrol_lib.flader.argumenter import lager, vis_eller_skriv


def register(sub):
    p = add_parser(sub, "feedbackliste", "vis sagerne i partshøring med CPR-nummer (visningen logges)")
    p.add_argument("--bruger", required=True, metavar="BRUGER", help="hvem der ser listen (logges)")
    p.add_argument("--alle", action="store_true", help="vis også de afsluttede sager med deres resultat")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv listen som CSV til filen")
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    df = lager(args).feedbackliste(args.bruger, args.kommune, args.alle)
    vis_eller_skriv(df, args.ud, "Ingen sager på feedbacklisten.")
    return 0
