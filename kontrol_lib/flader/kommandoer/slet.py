"""kontrol slet [--dato DATO] [--udfoer]: erase personal data after the retention period
(role administrator; see kontrol_lib.sager.sletning). Without --udfoer only shows what would go."""

import datetime as dt

from kontrol_lib.flader.argumenter import add_parser, dato, lager, tabel, tilfoej_bruger, tilfoej_db


def register(sub):
    p = add_parser(sub, "slet", "slet personoplysninger på afsluttede sager efter opbevaringsfristen "
                   "(rolle administrator; uden --udfoer vises kun, hvad der ville blive slettet)",
                   "Fristerne er daterede parametre (parameters/sletning/): år efter lukning for sager med "
                   "ændret tildeling og for sager lukket uden ændring. Sager med et åbent tilbagebetalingskrav "
                   "slettes ikke. Produktets egne filer med sagernes personoplysninger (kontrolark, lister med "
                   "CPR, indsigt) slettes med dem, når de ligger under datamappen ($KONTROL_DATAMAPPE, ellers "
                   "SQLite-lagerets mappe) og er uændrede; andre nævnes, så brugeren kan slette dem. Sletningen logges (antal pr. lukkeår og grund, aldrig CPR-numre).")
    p.add_argument("--dato", type=dato, metavar="DATO", help="opgør fristerne til denne dato (standard: i dag)")
    p.add_argument("--udfoer", action="store_true", help="slet for alvor (ellers vises kun optællingen)")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    lg = lager(args)
    res = lg.slet(args.dato or dt.date.today(), udfoer=args.udfoer, bruger=args.bruger)
    if res.antal:
        print(tabel(res.oversigt.rename(columns={"lukkeaar": "lukkeår"})))
    if res.holdes_tilbage:
        print(f"{len(res.holdes_tilbage)} sager holdes tilbage: de har et åbent tilbagebetalingskrav.")
    if not res.antal:
        print(f"Ingen sager skal have slettet personoplysninger pr. {res.dato.isoformat()}.")
    elif res.udfoert:
        print(f"Personoplysningerne på {res.antal} sager er slettet og sletningen er logget.")
    else:
        print(f"{res.antal} sager ville få slettet personoplysninger pr. {res.dato.isoformat()}. "
              "Kør igen med --udfoer for at slette.")
    filer = res.filer
    if filer.slettet:
        print(f"{len(filer.slettet)} filer med personoplysninger fra slettede sager "
              f"{'er slettet' if res.udfoert else 'slettes med dem'} (kontrolark og lister under datamappen).")
    if filer.til_brugeren:
        print(f"{len(filer.til_brugeren)} filer med personoplysninger fra slettede sager skal slettes af brugeren:")
        for sti, hvorfor in filer.til_brugeren:
            print(f"  {sti} ({hvorfor})")
    return 0
