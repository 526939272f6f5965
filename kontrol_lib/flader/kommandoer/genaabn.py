"""kontrol genaabn SAG --grund T: reopen a closed case with a reason (role sagsbehandler); it
goes back to where it was closed from, and a new closing counts as a correction."""

from kontrol_lib.flader.argumenter import add_parser, lager, tilfoej_bruger, tilfoej_dato, tilfoej_db
from kontrol_lib.vokabular.koder import STATUSTEKST


def register(sub):
    p = add_parser(sub, "genaabn", "genåbn en afsluttet sag med en begrundelse (rolle sagsbehandler)",
                   "Sagen vender tilbage til hvor den blev afsluttet fra (henlagt i visitering → prioriteringslisten; "
                   "henlagt efter partshøring eller ændret tildeling → partshøring). Den tæller fortsat i det år, "
                   "den først blev afsluttet; en ny afslutning tæller som en korrektion. En udløbet sag kan ikke "
                   "genåbnes. Skriv aldrig et CPR-nummer i begrundelsen.")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    p.add_argument("--grund", required=True, metavar="TEKST", help="begrundelsen (højst 200 tegn)")
    tilfoej_bruger(p)
    tilfoej_dato(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    til = lager(args).genaabn(args.sag, args.grund, args.bruger, args.dato)
    print(f"Sagen {args.sag} er genåbnet: {STATUSTEKST.get(til, til)}.")
    return 0
