"""kontrol indsigt --cpr CPR --ud FIL.csv|.pdf: every look-up of one person (role tilsyn)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, lager, tilfoej_bruger, tilfoej_db


def register(sub):
    p = add_parser(sub, "indsigt", "eksportér alle opslag på én borgers oplysninger (rolle tilsyn)",
                   "Til borgerens indsigt i loggen (Datatilsynets praksis): dato, klokkeslæt, hvad der blev set, "
                   "formål og enheden, der så det, som CSV eller PDF på dansk. Udtrækket logges selv.")
    p.add_argument("--cpr", required=True, metavar="CPR", help="borgerens CPR-nummer (med eller uden bindestreg)")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="filen: .csv eller .pdf")
    p.add_argument("--med-navne", action="store_true",
                   help="tag medarbejderens navn med (kun når det er nødvendigt for indsigten)")
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.rapporter.indsigt import gem  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    lg = lager(args)
    rows = lg.indsigt(args.cpr, args.bruger)
    sti = gem(rows, args.ud, args.med_navne)
    lg.registrer_fil(sti, rows["sag_id"], "indsigt", args.bruger)   # kontrol slet erases it with the cases
    print(f"{len(rows)} opslag skrevet til {sti}.")
    return 0
