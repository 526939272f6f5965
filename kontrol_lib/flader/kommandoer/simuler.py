"""kontrol simuler (--national | --kommune KODE ...) --fra ÅÅÅÅ-MM --til ÅÅÅÅ-MM --ud MAPPE [--skala F]
[--seed N] [--db URL] [--uden-trin3]"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, skala
from kontrol_lib.vokabular.format import tal


def register(sub):
    p = add_parser(sub, "simuler", "simulér kommunernes kontrolarbejde måned for måned (demo- og benchmarkdata)",
                   "Danner syntetiske registre, kører den rigtige samkøring og daglige kørsel hver måned, "
                   "importerer kontroltrin 3-sager fra Udbetaling Danmark og lader hver kommunes "
                   "kontrolgruppe bestille, visitere, afgøre og lade sager udløbe efter sin egen adfærd. "
                   "Resultatet er et sagslager, benchmark.csv for alle måneder og kommuner (talt fra "
                   "sagslagerets log), sagsbehandling.csv (kommunernes adfærd) og registermapperne. "
                   "Alle CPR-numre er syntetiske (se docs/simulering.md).")
    hvem = p.add_mutually_exclusive_group(required=True)
    hvem.add_argument("--national", action="store_true", help="alle 98 kommuner")
    hvem.add_argument("--kommune", type=int, nargs="+", metavar="KODE", help="en eller flere kommunekoder")
    p.add_argument("--fra", required=True, metavar="ÅÅÅÅ-MM", help="første måned")
    p.add_argument("--til", required=True, metavar="ÅÅÅÅ-MM", help="sidste måned")
    p.add_argument("--ud", required=True, type=Path, metavar="MAPPE", help="mappen der skrives til")
    p.add_argument("--skala", type=skala, default=0.02, metavar="F",
                   help="antal ydelsesmodtagere i forhold til en realistisk størrelse (standard 0,02)")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="startværdi for tilfældighed (standard 1)")
    p.add_argument("--db", metavar="URL", help="sagslageret (SQLAlchemy-URL, fx postgresql://…); "
                   "standard er MAPPE/kontrol.sqlite. Lageret skal være tomt")
    p.add_argument("--erstat", action="store_true",
                   help="erstat en eksisterende MAPPE/kontrol.sqlite, når kørslen er færdig (ikke et --db-lager)")
    p.add_argument("--uden-trin3", action="store_true", help="importér ingen kontroltrin 3-sager")
    p.add_argument("--stille", action="store_true", help="ingen statuslinje")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.jobs.simulering import simuler  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    r = simuler(args.fra, args.til, args.ud, kommuner=None if args.national else args.kommune,
                skala=args.skala, seed=args.seed, db=args.db, trin3=not args.uden_trin3,
                vis_fremdrift=not args.stille, erstat=args.erstat)
    a = r.antal
    print(f"Simuleret {r.maaneder[0]} til {r.maaneder[-1]} for {tal(len(r.kommuner))} kommuner.")
    print(f"  nye udfald:                        {tal(a['udfald']):>10}")
    print(f"  udfald dateret før verdenens start: {tal(a['udfald_foer_verden']):>10} (udeladt, se docs/simulering.md)")
    print(f"  nye sager, kontroltrin 2:          {tal(a['nye_sager_trin2']):>10}")
    print(f"  nye sager, kontroltrin 3:          {tal(a['nye_sager_trin3']):>10}")
    print(f"  bestilt:                           {tal(a['bestilt']):>10}")
    print(f"  henlagt i visitering:              {tal(a['henlagt_i_visitering']):>10}")
    print(f"  sendt i partshøring:               {tal(a['partshoering']):>10}")
    print(f"  henlagt efter partshøring:         {tal(a['henlagt_efter_partshoering']):>10}")
    print(f"  ændret tildeling:                  {tal(a['aendret_tildeling']):>10}")
    print(f"  udløbet (ikke behandlet):          {tal(a['udloebet']):>10}")
    print("Tid (sekunder): " + ", ".join(f"{k} {v:.0f}" for k, v in r.tider.items()))
    from sqlalchemy.engine import make_url  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    print(f"Sagslager: {make_url(r.db).render_as_string(hide_password=True)}")
    print(f"Benchmark: {r.benchmark}")
    return 0
