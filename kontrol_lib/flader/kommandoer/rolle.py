"""kontrol rolle: grant, revoke and list roles (administrator only; every change is logged)."""

from kontrol_lib.flader.argumenter import add_parser, lager, liste, tabel, tilfoej_bruger, tilfoej_db
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import ROLLE_TEKST, ROLLER


def register(sub):
    roller = "; ".join(f"{r}: {t.split(' (')[1].rstrip(')')}" for r, t in ROLLE_TEKST.items())
    p = add_parser(sub, "rolle", "tildel, fjern eller vis roller (rolle administrator; ændringer logges)",
                   f"Rollerne: {roller}. En person kan have flere roller.")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--giv", metavar="NAVN", help="tildel NAVN (login-navnet) rollerne i --rolle")
    g.add_argument("--fjern", metavar="NAVN", help="fjern rollerne i --rolle fra NAVN")
    g.add_argument("--vis", action="store_true", help="vis alle personer og deres roller")
    g.add_argument("--mine", action="store_true", help="vis dine egne roller")
    p.add_argument("--rolle", metavar="ROLLER",
                   help=f"kommasepareret: {', '.join(ROLLER)} (eller alle)")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lg = lager(args)
    if args.mine:
        mine = lg.mine_roller()
        navn = lg.identitet(args.bruger).navn
        print(f"{navn}: {', '.join(r for r in ROLLER if r in mine) or 'ingen roller'}")
        return 0
    if args.vis:
        df = lg.rolleoversigt(args.bruger)
        print(tabel(df) if len(df) else "Ingen har roller.")
        return 0
    roller = list(ROLLER) if (args.rolle or "").strip() == "alle" else liste(args.rolle)
    if not roller:
        raise KontrolFejl(f"Angiv rollerne med --rolle ({', '.join(ROLLER)} eller alle)")
    if args.giv:
        n = lg.giv_roller(args.giv, roller, args.bruger)
        print(f"{args.giv} har fået {n} ny{'e' if n != 1 else ''} rolle{'r' if n != 1 else ''} "
              f"({', '.join(roller)}).")
    else:
        n = lg.fjern_roller(args.fjern, roller, args.bruger)
        print(f"{n} rolle{'r' if n != 1 else ''} fjernet fra {args.fjern}.")
    return 0
