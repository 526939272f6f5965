"""kontrol soeg --cpr CPR|--cvr CVR --formaal F: every case of a person (or company), open and
closed, every kanal (role sagsbehandler; each case shown is logged with the purpose)."""

import sys

from kontrol_lib.flader.argumenter import add_parser, lager, tabel, tilfoej_bruger, tilfoej_db, tilfoej_formaal
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "soeg", "find alle en persons (CPR) eller virksomheds (CVR) sager, åbne og afsluttede "
                                "(rolle sagsbehandler; hver vist sag logges med formål)",
                   "Personsøgning: CPR-nummeret med eller uden bindestreg. Skriv - i stedet for nummeret for at "
                   "læse det fra standard input, så det ikke står i skallens historik eller proceslisten. "
                   "Fejlbeskeder gentager aldrig nummeret.")
    hvem = p.add_mutually_exclusive_group(required=True)
    hvem.add_argument("--cpr", metavar="CPR", help="personens CPR-nummer (DDMMÅÅ-XXXX eller 10 cifre; - læser stdin)")
    hvem.add_argument("--cvr", metavar="CVR", help="virksomhedens CVR-nummer (8 cifre; - læser stdin)")
    tilfoej_formaal(p)
    tilfoej_bruger(p)
    tilfoej_db(p)
    p.set_defaults(func=run)


def _nummer(v: str) -> str:
    return sys.stdin.readline().strip() if v == "-" else v


def run(args) -> int:
    lg = lager(args)
    if args.cvr is not None:
        from kontrol_lib.sager.sagsbehandling import normaliser_cvr   # lazy, as lager(): `kontrol -h` stays light
        df = lg.find_person(normaliser_cvr(_nummer(args.cvr)), args.bruger, formaal=args.formaal)
        hvem = "virksomheden"
    else:
        cpr = _nummer(args.cpr)
        if len(cpr.replace("-", "").replace(" ", "")) == 8:      # the store reads eight digits as a CVR number
            raise KontrolFejl("Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); det angivne har det ikke. "
                              "Søg efter en virksomhed med --cvr")
        df = lg.find_person(cpr, args.bruger, formaal=args.formaal)
        hvem = "personen"
    if df.empty:
        print(f"Ingen sager for {hvem} i sagslageret.")
        return 0
    print(tabel(df))
    print(f"{len(df)} sager for {hvem} (visningen er logget med formålet {args.formaal}).")
    return 0
