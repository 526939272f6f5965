"""kontrol kontrakt [--ud FILE]: the register contract as Markdown (docs/registre.md)."""

from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser


def register(sub):
    p = add_parser(sub, "kontrakt", "skriv registerkontrakten som Markdown")
    p.add_argument("--ud", type=Path, metavar="FIL", help="skriv til filen i stedet for skærmen")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.registre.kontrakt import contract_markdown  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    text = contract_markdown()
    if args.ud:
        args.ud.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0
