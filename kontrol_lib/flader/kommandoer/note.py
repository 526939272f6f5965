"""kontrol note SAG --tekst T: add a note to a case (role sagsbehandler; append-only, chained; a
CPR-shaped string in the text is refused)."""

from kontrol_lib.flader.argumenter import add_parser, lager, tilfoej_bruger, tilfoej_db


def register(sub):
    p = add_parser(sub, "note", "skriv et notat på en sag (rolle sagsbehandler; notater ændres og slettes aldrig, "
                                "undtagen af kontrol slet efter opbevaringsfristen)",
                   "Skriv aldrig et CPR-nummer i et notat: tekst, der ligner et CPR-nummer, afvises (beskeden "
                   "gentager den ikke). Se notaterne med: kontrol noter SAG --formaal F.")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    p.add_argument("--tekst", required=True, metavar="TEKST", help="notatets tekst (højst 4000 tegn)")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    n = lager(args).skriv_note(args.sag, args.tekst, args.bruger)
    print(f"Notatet er gemt på sag {args.sag} (af {n['bruger']}, {len(n['tekst'])} tegn).")
    return 0
