"""kontrol noter SAG --formaal F: the notes of a case, oldest first (role sagsbehandler; reading
them is logged with the purpose)."""

from kontrol_lib.flader.argumenter import add_parser, lager, tabel, tilfoej_bruger, tilfoej_db, tilfoej_formaal
from kontrol_lib.vokabular.koder import brugertekst
from kontrol_lib.vokabular.tid import lokal_tid


def register(sub):
    p = add_parser(sub, "noter", "vis en sags notater, ældste først (rolle sagsbehandler; visningen logges med formål)")
    p.add_argument("sag", metavar="SAG", help="sags-id")
    tilfoej_formaal(p)
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    df = lager(args).noter(args.sag, args.bruger, formaal=args.formaal)
    if df.empty:
        print(f"Ingen notater på sag {args.sag}.")
        return 0
    df["tid"] = [lokal_tid(t) for t in df["tid"]]
    df["bruger"] = [brugertekst(b) for b in df["bruger"]]
    print(tabel(df.rename(columns={"tid": "skrevet (dansk tid)", "bruger": "af", "tekst": "notat"})))
    return 0
