"""kontrol regeleffekt (--data FIL [FIL ...] | --db URL (--aar ÅÅÅÅ | --fra DATO --til DATO)) [--ud FIL]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "regeleffekt", "rangér reglerne nationalt ud fra mange kommuners regeleffekt-filer",
                   "Lægger kommunernes filer fra `kontrol regeleffekt-eksport` sammen (summer pr. regel; "
                   "andelene regnes af summerne) og rangerer reglerne efter provenu pr. bestilt sag "
                   "(1 = højest; et tal, der bygger på færre end 5 bestilte sager, rangeres ikke). Viser også, "
                   "hvor mange kommuner der har markeret en regel for skæv udvælgelse efter køn eller alder. "
                   "Med --db i stedet for --data: alle kommuner i ét sagslager som én (fx den nationale "
                   "simulering), med ligebehandlingens markeringer for det hele. Til tilbagemelding til "
                   "Digitaliseringsstyrelsen (DFD). Se docs/regeleffekt.md.")
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--data", nargs="+", type=Path, metavar="FIL",
                       help="en eller flere filer fra regeleffekt-eksport (én pr. kommune)")
    kilde.add_argument("--db", metavar="URL", help="et sagslager; alle dets kommuner lægges sammen")
    p.add_argument("--aar", type=int, metavar="ÅÅÅÅ", help="med --db: kalenderåret (sager udstillet i året)")
    p.add_argument("--fra", metavar="ÅÅÅÅ-MM-DD", help="med --db: periodens første dag")
    p.add_argument("--til", metavar="ÅÅÅÅ-MM-DD", help="med --db: periodens sidste dag")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv rangordenen som CSV")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal import regeleffekt as R  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    from kontrol_lib.vokabular.format import kr, procent, tal  # lazy: only this path formats figures
    sk = None
    if args.db is not None:
        from kontrol_lib.sager import SagsLager  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
        from kontrol_lib.vokabular.tid import som_dato  # lazy: only this path reads dates
        lager = SagsLager(args.db)
        try:
            r = R.regeleffekt(lager, aar=args.aar, fra=som_dato(args.fra) if args.fra else None,
                              til=som_dato(args.til) if args.til else None, alle=True)
        finally:
            lager.luk()
        df, sk = R.rangordn(r.effekt), r.skaeve
        print(f"Regeleffekt for hele sagslageret, sager udstillet {r.fra.isoformat()} – {r.til.isoformat()}, "
              "rangeret efter provenu pr. bestilt sag:")
    else:
        df = R.national(args.data)
        print(f"Regeleffekt for {len(df.attrs['kommuner'])} kommuner, rangeret efter provenu pr. bestilt sag:")
    if args.ud is not None:
        R.skriv_csv(df, args.ud)
    med_kommuner = "kommuner_skaev_koen" in df.columns
    print(f"{'rang':>4}  {'regel':<40} {'udstillede':>10} {'bestilte':>8} {'ændret':>8} {'pr. bestilt':>14} "
          f"{'udløbet':>8}" + ("  skæv (køn/alder)" if med_kommuner else ""))
    for r in df.to_dict("records"):
        rang = "" if r["rang"] is None or r["rang"] != r["rang"] else str(int(r["rang"]))
        pr = "–" if r["provenu_pr_bestilt"] is None else kr(r["provenu_pr_bestilt"])
        if r["lille_provenu_pr_bestilt"] == "ja" and r["provenu_pr_bestilt"] is not None:
            pr += "*"
        skaev = ("" if not med_kommuner or r["regel"] == R.I_ALT
                 else f"  {r['kommuner_skaev_koen']}/{r['kommuner_skaev_alder']} kommuner")
        print(f"{rang:>4}  {str(r['titel'])[:40]:<40} {tal(r['udstillede']):>10} {tal(r['bestilte']):>8} "
              f"{procent(r['andel_aendret']):>8} {pr:>14} {procent(r['andel_udloebet']):>8}{skaev}")
    print("* bygger på færre end 5 bestilte sager (rangeres ikke).")
    if sk is not None:
        print(f"Ligebehandling ({R.KRITERIUM})")
        if len(sk) == 0:
            print("  Ingen markeringer.")
        for x in sk.assign(_t=sk["tydelig"] != "ja").sort_values("_t", kind="stable").to_dict("records"):
            print(f"  {'TYDELIG ' if x['tydelig'] == 'ja' else ''}{x['titel']}: {x['gruppe']} udvælges "
                  f"{tal(x['udvaelgelse_forhold'], 2)} gange så ofte, udfaldsforhold "
                  f"{tal(x['andel_aendret_forhold'], 2)} ({tal(x['udstillede'])} udstillede)")
    if args.ud is not None:
        print(f"Skrev {args.ud}")
    return 0
