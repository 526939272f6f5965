"""kontrol regelkatalog --ud FILE [--dato D]"""

import datetime as dt
from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser, dato
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "regelkatalog", "skriv regelkataloget (HTML eller Markdown)",
                   "Skriver kataloget over de 17 regler, genereret fra regelobjekterne: kildetekst, KLE for YM "
                   "og ÆF, kontroltype, parametre med datoer og de steder, hvor produktet fortolker kilden.")
    p.add_argument("--ud", required=True, type=Path, metavar="FIL", help="filen, der skrives (.html eller .md)")
    p.add_argument("--dato", type=dato, metavar="ÅÅÅÅ-MM-DD", help="dato for KLE-sættene (standard: i dag)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.regler import regelkatalog_html, regelkatalog_markdown  # lazy: `kontrol -h` starts without pandas, DuckDB and SQLAlchemy
    dato = args.dato or dt.date.today()
    if args.ud.suffix.lower() in (".html", ".htm"):
        text = regelkatalog_html(dato)
    elif args.ud.suffix.lower() == ".md":
        text = regelkatalog_markdown(dato)
    else:
        raise KontrolFejl(f"Ukendt filtype for {args.ud.name}: brug .html eller .md")
    args.ud.parent.mkdir(parents=True, exist_ok=True)
    args.ud.write_text(text, encoding="utf-8")
    print(f"Regelkataloget er skrevet til {args.ud}")
    return 0
