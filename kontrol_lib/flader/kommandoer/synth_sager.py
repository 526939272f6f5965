"""kontrol synth-sager: a synthetic history of control cases in the import format."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato


def register(sub):
    p = add_parser(sub, "synth-sager", "lav en syntetisk historik af kontrolsager (importformatet)",
                   "Skriver kontrolsager.csv med lukkede og åbne sager fra alle kanaler for én kommune "
                   "og en række år. Til demo og test; ingen CPR-numre.")
    p.add_argument("--kommune", type=int, required=True, metavar="KODE", help="kommunekode, fx 151")
    p.add_argument("--fra", type=int, required=True, metavar="ÅR", help="første år")
    p.add_argument("--til", type=int, required=True, metavar="ÅR", help="sidste år")
    p.add_argument("--aabne-til", type=dato, metavar="DATO",
                   help="sager, der ikke er afsluttet på denne dato, står som åbne (standard: årets udgang)")
    p.add_argument("--seed", type=int, default=1, help="startværdi for tilfældighederne (standard 1)")
    p.add_argument("--ud", type=Path, required=True, metavar="FIL", help="CSV-filen, der skrives")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.jobs.syntetisk.sagshistorik import generer_sager, skriv_sager  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    df = generer_sager(args.kommune, args.fra, args.til, seed=args.seed, aabne_til=args.aabne_til)
    path = skriv_sager(df, args.ud)
    print(f"{path}: {df['sag_id'].nunique()} sager ({len(df)} rækker) {args.fra}–{args.til}")
    return 0
