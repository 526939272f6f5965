"""kontrol kl-effektmaaling --sager FIL | --db URL --aar ÅÅÅÅ [--kommune KODE] --ud FIL.xlsx"""

import sys
from pathlib import Path

from . import add_parser


def register(sub):
    p = add_parser(sub, "kl-effektmaaling", "skriv KL's effektmåling som Excel-projektmappe",
                   "Én række pr. afsluttet sag og ydelse i året med KL's kolonner, et ark med summer og et ark, "
                   "der forklarer kolonnerne.")
    kilde = p.add_mutually_exclusive_group(required=True)
    kilde.add_argument("--sager", type=Path, metavar="FIL", help="kontrolsager.csv (importformatet)")
    kilde.add_argument("--db", metavar="URL", help="sagslageret (SQLAlchemy-URL eller SQLite-fil)")
    p.add_argument("--aar", type=int, required=True, metavar="ÅÅÅÅ", help="opgørelsesåret")
    p.add_argument("--kommune", type=int, metavar="KODE", help="kun sager fra denne kommunekode")
    p.add_argument("--ud", type=Path, required=True, metavar="FIL.xlsx", help="projektmappen, der skrives")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..fejl import KontrolFejl
    from ..kl_effektmaaling import skriv
    from ..kontrolsager import hent
    from ..format import kr
    if args.ud.suffix.lower() != ".xlsx":
        raise KontrolFejl(f"--ud skal være en .xlsx-fil, ikke {args.ud.name}")
    sager, _korr, advarsler = hent(args.sager, args.db, args.kommune)
    for a in advarsler:
        print(f"Advarsel: {a.tekst()}", file=sys.stderr)
    s = skriv(sager, args.aar, args.ud, args.kommune)
    print(f"Skrev {args.ud}: {s['antal_raekker']} rækker ({s['antal_sager']} sager), tilbagebetalingskrav "
          f"{kr(s['tilbagebetalingskrav'], 2)}, fremadrettet besparelse {kr(s['fremadrettet_besparelse'], 2)}")
    return 0
