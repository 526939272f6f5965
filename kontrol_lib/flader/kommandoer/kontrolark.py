"""kontrol kontrolark SAG --formaal F --ud FILE.html|.pdf (opening it is logged)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger, tilfoej_formaal
from kontrol_lib.flader.argumenter import tilfoej_db
from kontrol_lib.flader.argumenter import lager


def register(sub):
    p = add_parser(sub, "kontrolark", "gem en sags kontrolark som HTML eller PDF (A4) til journalisering",
                   "Kontrolarket indeholder personoplysninger; kræver rollen sagsbehandler, og hver åbning "
                   "logges med bruger, tid, sag og formål.")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    tilfoej_formaal(p)
    tilfoej_bruger(p)
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="filen: .html eller .pdf")
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    sti = lager(args).gem_kontrolark(args.sag, args.ud, args.bruger, formaal=args.formaal)
    print(f"Kontrolarket for sag {args.sag} er gemt i {sti}. Husk at journalisere det og slette filen bagefter.")
    return 0
