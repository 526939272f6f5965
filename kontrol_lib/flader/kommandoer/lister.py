"""kontrol lister --data DIR --dato D [--liste NAVN ...] [--kommune K] [--proev] [--db URL]:
the local control lists' hits onto the bestillingsliste (kontroltrin 3, kanal lokal_kontrolliste)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import dato, tilfoej_db
from kontrol_lib.flader.argumenter import lager


def register(sub):
    p = add_parser(sub, "lister", "kør de lokale kontrollister og læg fundene på bestillingslisten",
                   "Kører kontrollisterne i parameters/lister/*.yaml (de, der gælder på datoen) på "
                   "registerudtrækket og lægger fundene på bestillingslisten som sager på kontroltrin 3 med "
                   "kanalen lokal_kontrolliste, listens navn og begrundelse. Et fund, der allerede er på en "
                   "sag, vises ikke igen (fredning), og en person i en fredningsperiode springes over. Samme "
                   "dato to gange ændrer intet. Med --proev vises kun antallet af fund pr. liste.")
    p.add_argument("--data", required=True, type=Path, metavar="MAPPE", help="mappen med registerudtræk")
    p.add_argument("--dato", required=True, type=dato, metavar="DATO", help="kørselsdato (ÅÅÅÅ-MM-DD)")
    p.add_argument("--liste", action="append", metavar="NAVN",
                   help="kun denne liste (filnavnet uden .yaml); kan gentages. Standard: alle gældende lister")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun denne kommunes sager")
    p.add_argument("--proev", action="store_true",
                   help="læg intet i sagslageret; vis hvor mange hver liste udvælger trin for trin")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if args.proev:
        from kontrol_lib.regler.lokale.listemotor import tragt  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
        df = tragt(args.data, args.dato, args.liste, args.kommune)
        for navn, g in df.groupby("liste", sort=False):
            print(f"{navn}:")
            for r in g.itertuples(index=False):
                print(f"  {r.personer:>7}  {r.beskrivelse}")
        return 0
    from kontrol_lib.jobs.lokale_lister import koer  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    res = koer(args.data, args.dato, lager=lager(args), lister=args.liste, kommune=args.kommune,
               bruger=args.bruger)
    print(res.tekst())
    return 0
