"""kontrol kl-effektmaaling --sager FIL | --db URL --aar ÅÅÅÅ [--kommune KODE] --ud FIL.xlsx"""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, hent_sager, sagskilde
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import kr


def register(sub):
    p = add_parser(sub, "kl-effektmaaling", "skriv KL's effektmåling som Excel-projektmappe",
                   "Én række pr. afsluttet sag og ydelse i året med KL's kolonner, et ark med summer og et ark, "
                   "der forklarer kolonnerne.")
    sagskilde(p)
    p.add_argument("--ud", type=Path, required=True, metavar="FIL.xlsx", help="projektmappen, der skrives")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.maal.kl_effektmaaling import skriv  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    if args.ud.suffix.lower() != ".xlsx":
        raise KontrolFejl(f"--ud skal være en .xlsx-fil, ikke {args.ud.name}")
    sager, _korr = hent_sager(args)
    s = skriv(sager, args.aar, args.ud, args.kommune)
    print(f"Skrev {args.ud}: {s['antal_raekker']} rækker ({s['antal_sager']} sager), tilbagebetalingskrav "
          f"{kr(s['tilbagebetalingskrav'], 2)}, fremadrettet besparelse {kr(s['fremadrettet_besparelse'], 2)}")
    return 0
