"""kontrol log [--sag SAG] [--visninger] [--ud FILE]: the transition log (never a cpr)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.flader.argumenter import dato, tilfoej_db
import json
from kontrol_lib.flader.argumenter import lager, skriv_csv, tabel
from kontrol_lib.vokabular.tid import lokal_tid


def register(sub):
    p = add_parser(sub, "log", "vis sagslagerets log over overgange (eller visninger af persondata)")
    p.add_argument("--sag", metavar="SAG", help="kun denne sag")
    p.add_argument("--fra", type=dato, metavar="DATO", help="kun overgange fra og med denne dato")
    p.add_argument("--til", type=dato, metavar="DATO", help="kun overgange til og med denne dato")
    p.add_argument("--visninger", action="store_true",
                   help="vis i stedet hvem der har set persondata (kontrolark og lister), hvornår, i hvilken "
                        "rolle og med hvilket formål (rolle tilsyn)")
    p.add_argument("--kontroller", action="store_true",
                   help="gennemgå hele loggen: kontrollér hashkæden (første række, der ikke passer, nævnes) "
                        "og at loggen forklarer hver sag (tilladte overgange); rolle tilsyn eller administrator")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv som CSV til filen")
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:

    lg = lager(args)
    if args.kontroller:
        fejl = lg.tjek_log()
        for f in fejl:
            print(f)
        print("Loggen forklarer hver sag." if not fejl else f"{len(fejl)} fejl i loggen.")
        return 1 if fejl else 0
    if args.visninger:
        df = lg.visninger(args.sag)
        df["tid"] = [lokal_tid(t) for t in df["tid"]]
    else:
        df = lg.log(args.sag, fra_dato=args.fra, til_dato=args.til)
        df["tid"] = [lokal_tid(t) for t in df["tid"]]
        df["data"] = [json.dumps(d, ensure_ascii=False, sort_keys=True) if d else "" for d in df["data"]]
        df = df[["tid", "dato", "bruger", "sag_id", "haendelse", "fra", "til", "data"]]
    df = df.rename(columns={"tid": "tid (dansk tid)"})
    if args.ud:
        skriv_csv(df, args.ud)
        print(f"{len(df)} rækker skrevet til {args.ud}")
    elif df.empty:
        print("Loggen er tom.")
    else:
        print(tabel(df))
    return 0
