"""kontrol regeleffekt --data FIL [FIL ...] [--ud FIL]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "regeleffekt", "rangér reglerne nationalt ud fra mange kommuners regeleffekt-filer",
                   "Lægger kommunernes filer fra `kontrol regeleffekt-eksport` sammen (summer pr. regel; "
                   "andelene regnes af summerne) og rangerer reglerne efter provenu pr. bestilt sag "
                   "(1 = højest; et tal, der bygger på færre end 5 bestilte sager, rangeres ikke). Viser også, "
                   "hvor mange kommuner der har markeret en regel for skæv udvælgelse efter køn eller alder. "
                   "Til tilbagemelding til Digitaliseringsstyrelsen (DFD). Se docs/regeleffekt.md.")
    p.add_argument("--data", required=True, nargs="+", type=Path, metavar="FIL",
                   help="en eller flere filer fra regeleffekt-eksport (én pr. kommune)")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv rangordenen som CSV")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal import regeleffekt as R  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    from kontrol_lib.vokabular.format import kr, procent  # lazy: only this path formats figures
    df = R.national(args.data)
    if args.ud is not None:
        R.skriv_csv(df, args.ud)
    print(f"Regeleffekt for {len(df.attrs['kommuner'])} kommuner, rangeret efter provenu pr. bestilt sag:")
    print(f"{'rang':>4}  {'regel':<40} {'udstillede':>10} {'bestilte':>8} {'ændret':>8} {'pr. bestilt':>14} "
          f"{'udløbet':>8}  skæv (køn/alder)")
    for r in df.to_dict("records"):
        rang = "" if r["rang"] is None or r["rang"] != r["rang"] else str(int(r["rang"]))
        pr = "–" if r["provenu_pr_bestilt"] is None else kr(r["provenu_pr_bestilt"])
        if r["lille_provenu_pr_bestilt"] == "ja" and r["provenu_pr_bestilt"] is not None:
            pr += "*"
        skaev = "" if r["regel"] == R.I_ALT else f"{r['kommuner_skaev_koen']}/{r['kommuner_skaev_alder']} kommuner"
        print(f"{rang:>4}  {str(r['titel'])[:40]:<40} {r['udstillede']:>10} {r['bestilte']:>8} "
              f"{procent(r['andel_aendret']):>8} {pr:>14} {procent(r['andel_udloebet']):>8}  {skaev}")
    print("* bygger på færre end 5 bestilte sager (rangeres ikke).")
    if args.ud is not None:
        print(f"Skrev {args.ud}")
    return 0
