"""kontrol benchmark-eksport --maaned ÅÅÅÅ-MM --ud FIL [--db URL] [--kommune KODE]
[--data MAPPE | --ydelsesmodtagere OMRAADE=ANTAL ...]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "benchmark-eksport", "skriv kommunens egne benchmark-rækker fra sagslageret",
                   "Skriver kommunens rækker til benchmark.csv for én måned (én række pr. "
                   "ydelsesområde og kontroltrin) talt direkte fra sagslagerets log: udstillede, "
                   "udtagne, oprettede, afsluttede med stop/krav/provenu og udløbne sager. Antallet "
                   "af ydelsesmodtagere tælles i registerudtrækket (--data) eller angives "
                   "(--ydelsesmodtagere).")
    p.add_argument("--maaned", required=True, metavar="ÅÅÅÅ-MM", help="måneden, der eksporteres")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="CSV-filen, der skrives")
    p.add_argument("--db", metavar="URL", help="sagslageret (standard: $KONTROL_DB eller kontrol.sqlite)")
    p.add_argument("--kommune", type=int, metavar="KODE",
                   help="kommunekoden (standard: den eneste kommune i sagslageret)")
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--data", type=Path, metavar="MAPPE",
                       help="registerudtræk; ydelsesmodtagere = personer med en aktiv ydelsessag "
                            "i området på månedens sidste dag")
    kilde.add_argument("--ydelsesmodtagere", nargs="+", metavar="OMRAADE=ANTAL",
                       help="antal ydelsesmodtagere pr. område, fx kontanthjaelp=1200 "
                            "sygedagpenge=450 oekonomisk_friplads=300")
    p.set_defaults(func=run)


def _antal(par: list[str]) -> dict[str, int]:
    out = {}
    for x in par:
        navn, _, tal = x.partition("=")
        if not navn or not tal.strip().isdigit():
            raise KontrolFejl(f"--ydelsesmodtagere: '{x}' skal skrives OMRAADE=ANTAL, fx kontanthjaelp=1200.")
        out[navn.strip()] = int(tal)
    return out


def run(args) -> int:
    from kontrol_lib.maal.benchmark import benchmark_eksport, skriv_csv, tjek_maaned, ydelsesmodtagere_fra_registre  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    from kontrol_lib.sager import SagsLager  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    maaned = tjek_maaned(args.maaned)
    lager = SagsLager(args.db)
    try:
        if args.data is not None:
            kommune = args.kommune
            if kommune is None:
                koder = sorted({int(x) for x in lager.sager()["kommunekode"]})
                kommune = koder[0] if len(koder) == 1 else None
            if kommune is None:
                raise KontrolFejl("Angiv --kommune (sagslageret har ikke netop én kommune).")
            ym = ydelsesmodtagere_fra_registre(args.data, maaned, kommune)
        else:
            kommune, ym = args.kommune, _antal(args.ydelsesmodtagere)
        df = benchmark_eksport(lager, maaned, kommune, ym)
    finally:
        lager.luk()
    skriv_csv(df, args.ud)
    k = df.iloc[0]["kommunekode"]
    print(f"Skrev {len(df)} benchmark-rækker for kommune {int(k):03d}, {maaned}, til {args.ud}: "
          f"{int(df['udstillede'].sum())} udstillede, {int(df['udtagne'].sum())} udtagne, "
          f"{int(df['oprettede'].sum())} oprettede, {int(df['med_provenu'].sum())} med provenu, "
          f"{int(df['udloebne'].sum())} udløbne.")
    return 0
