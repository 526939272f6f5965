"""kontrol regeleffekt-eksport (--aar ÅÅÅÅ | --fra DATO --til DATO) --ud FIL [--db URL] [--kommune KODE]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "regeleffekt-eksport", "skriv kommunens tal pr. regel til national sammenlægning",
                   "Skriver kommunens regeleffekt (én række pr. regel og lokal liste og én I alt-række) som CSV: "
                   "udfald, udstillede, bestilte, sendt i partshøring, ændrede, udløbne, provenu brutto og "
                   "netto, andele og småtalsmærker (lille_* = ja, når nævneren er under 5), og om reglen "
                   "har en markeret skæv udvælgelse efter køn eller alder. Ingen CPR-numre og ingen tal pr. "
                   "køn eller aldersgruppe. Filen kan lægges sammen med andre kommuners med "
                   "`kontrol regeleffekt --data`. Se docs/regeleffekt.md.")
    p.add_argument("--aar", type=int, metavar="ÅÅÅÅ", help="kalenderåret (sager udstillet i året)")
    p.add_argument("--fra", metavar="ÅÅÅÅ-MM-DD", help="periodens første dag (i stedet for --aar)")
    p.add_argument("--til", metavar="ÅÅÅÅ-MM-DD", help="periodens sidste dag (i stedet for --aar)")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="CSV-filen, der skrives")
    p.add_argument("--db", metavar="URL", help="sagslageret (standard: $KONTROL_DB eller kontrol.sqlite)")
    p.add_argument("--kommune", type=int, metavar="KODE",
                   help="kommunekoden (standard: den eneste kommune i sagslageret)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal import regeleffekt as R  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    from kontrol_lib.sager import SagsLager  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    from kontrol_lib.vokabular.tid import som_dato  # lazy: only this path reads dates
    lager = SagsLager(args.db)
    try:
        r = R.regeleffekt(lager, aar=args.aar, kommune=args.kommune,
                          fra=som_dato(args.fra) if args.fra else None, til=som_dato(args.til) if args.til else None)
    finally:
        lager.luk()
    df = R.eksport(r)
    R.skriv_csv(df, args.ud)
    i_alt = df.iloc[-1]
    print(f"Skrev regeleffekt for kommune {r.kommune:03d}, {r.fra.isoformat()} – {r.til.isoformat()}, til {args.ud}: "
          f"{len(df) - 1} regler og lister, {int(i_alt['udstillede'])} udstillede sager, "
          f"{int(i_alt['aendrede'])} med ændret tildeling.")
    return 0
