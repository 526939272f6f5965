"""kontrol tilknyt SAG [ANDEN --grund T [--fjern]]: link two cases (or remove their link) with a
reason; without ANDEN, show the cases linked to SAG (role sagsbehandler to link; leder and tilsyn
may see the links)."""

from kontrol_lib.flader.argumenter import add_parser, lager, tabel, tilfoej_bruger, tilfoej_db
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import brugertekst
from kontrol_lib.vokabular.tid import lokal_tid


def register(sub):
    p = add_parser(sub, "tilknyt", "kæd to sager sammen med en begrundelse (eller fjern sammenkædningen med --fjern); "
                                   "uden ANDEN vises sagens sammenkædede sager",
                   "Sammenkædningen gælder begge veje og logges; en fjernelse er en ny række (intet slettes). "
                   "Skriv aldrig et CPR-nummer i begrundelsen.")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    p.add_argument("anden", metavar="ANDEN", nargs="?", help="den anden sags id")
    p.add_argument("--grund", metavar="TEKST", help="begrundelsen (højst 200 tegn; påkrævet med ANDEN)")
    p.add_argument("--fjern", action="store_true", help="fjern sammenkædningen i stedet")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lg = lager(args)
    if args.anden is None:
        if args.grund or args.fjern:
            raise KontrolFejl("Angiv den anden sag (ANDEN) sammen med --grund eller --fjern")
        df = lg.relationer(args.sag, args.bruger)
        if df.empty:
            print(f"Sag {args.sag} er ikke kædet sammen med andre sager.")
            return 0
        df["tid"] = [lokal_tid(t) for t in df["tid"]]
        df["bruger"] = [brugertekst(b) for b in df["bruger"]]
        print(tabel(df.rename(columns={"sag_id": "sag", "grund": "begrundelse", "tid": "kædet sammen (dansk tid)",
                                       "bruger": "af"})))
        return 0
    if not args.grund:
        raise KontrolFejl("Angiv en begrundelse med --grund")
    if args.fjern:
        lg.fjern_tilknytning(args.sag, args.anden, args.grund, args.bruger)
        print(f"Sammenkædningen af sagerne {args.sag} og {args.anden} er fjernet.")
    else:
        lg.tilknyt(args.sag, args.anden, args.grund, args.bruger)
        print(f"Sagerne {args.sag} og {args.anden} er kædet sammen.")
    return 0
