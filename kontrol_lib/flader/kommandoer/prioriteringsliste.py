"""kontrol prioriteringsliste --formaal F [--side N]: the ordered cases, with cpr (the page shown is logged)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import (add_parser, lager, sideinfo, tilfoej_bruger, tilfoej_db, tilfoej_formaal,
                                           tilfoej_side, vis_eller_skriv)


def register(sub):
    p = add_parser(sub, "prioriteringsliste", "vis de bestilte sager med CPR-nummer (rolle sagsbehandler; "
                                              "visningen logges med formål)")
    tilfoej_formaal(p)
    tilfoej_side(p)
    tilfoej_bruger(p)
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv hele listen som CSV til filen (hver række logges)")
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lg = lager(args)
    df = lg.prioriteringsliste(args.bruger, args.kommune, formaal=args.formaal, side=args.side,
                                        pr_side=None if args.ud else args.pr_side)
    vis_eller_skriv(df, args.ud, "Ingen bestilte sager på prioriteringslisten.")
    if args.ud:                                 # the file holds CPR numbers: kontrol slet erases it with them
        lg.registrer_fil(args.ud, df["sag_id"], "prioriteringsliste", args.bruger)
    if not args.ud and len(df):
        print(sideinfo(df))
    return 0
