"""kontrol importer-trin3 --fil FILE --bruger U: UDK's kontroltrin 3 cases onto the bestillingsliste."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, tilfoej_bruger
from kontrol_lib.flader.argumenter import tilfoej_db
from kontrol_lib.flader.argumenter import lager


def register(sub):
    p = add_parser(sub, "importer-trin3", "importér kontroltrin 3-sager fra Udbetaling Danmark",
                   "Filen har kolonnerne udk_sag_id, cpr, kommunekode, ydelse (kontanthjaelp, sygedagpenge, "
                   "oekonomisk_friplads), modtaget og evt. oplysninger. Hver række bliver en udstillet sag. "
                   "En sag, der allerede er importeret, ændres ikke; en person i en fredningsperiode springes over.")
    p.add_argument("--fil", required=True, type=Path, metavar="FIL", help="filen fra Udbetaling Danmark")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.sager.trin3 import laes  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    df = laes(args.fil)
    res = lager(args).importer_trin3(df, args.bruger)
    print(f"{args.fil}: {len(res['nye'])} nye sager, {len(res['kendte'])} allerede importeret, "
          f"{len(res['fredede'])} sprunget over (fredningsperiode).")
    for uid in res["fredede"]:
        print(f"  fredet: UDK-sag {uid}")
    return 0
