"""kontrol bestillingsliste [--ydelse O] [--fravaelg flytning,indkomst] [--ud FILE]: no cpr."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.flader.argumenter import tilfoej_db
from kontrol_lib.flader.argumenter import lager, liste, vis_eller_skriv


def register(sub):
    p = add_parser(sub, "bestillingsliste", "vis de udstillede sager (uden CPR-numre), ældste udløbsdato først")
    p.add_argument("--ydelse", metavar="OMRAADE", help="kun dette ydelsesområde (fx kontanthjaelp)")
    p.add_argument("--fravaelg", metavar="TYPER",
                   help="kommaseparerede kontroltyper, der fravælges (fx flytning,indkomst); en sag "
                        "udelades, når alle dens kontroltyper er fravalgt")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv listen som CSV til filen")
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    df = lager(args).bestillingsliste(args.ydelse, liste(args.fravaelg), args.kommune)
    vis_eller_skriv(df, args.ud, "Ingen udstillede sager på bestillingslisten.")
    return 0
