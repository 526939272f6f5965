"""kontrol server [--config FIL] [--planlaeg systemd|cron|ingen] [--planmappe MAPPE] [--kun-opsaet] [--eksempel]"""

import os
import sys
from pathlib import Path

from kontrol_lib.flader.argumenter import add_parser
from kontrol_lib.vokabular.fejl import KontrolFejl


def register(sub):
    p = add_parser(sub, "server", "opsæt og start team-serveren (JupyterHub, planlagte kørsler)",
                   "Læser serverens konfiguration (YAML), skriver JupyterHubs konfiguration, installerer de "
                   "planlagte kørsler (daglig samkøring, månedens og årets rapporter) som systemd-timere eller "
                   "cron-linjer under tjenestebrugeren, og starter JupyterHub. Se docs/drift.md.")
    p.add_argument("--config", type=Path, default=Path("/etc/kontrol/server.yaml"), metavar="FIL",
                   help="serverens konfiguration (standard: /etc/kontrol/server.yaml)")
    p.add_argument("--planlaeg", choices=["systemd", "cron", "ingen"], default=None,
                   help="hvordan de planlagte kørsler installeres (standard: systemd, hvis systemd kører, ellers cron)")
    p.add_argument("--planmappe", type=Path, metavar="MAPPE",
                   help="skriv enhedsfilerne/cron-filen her i stedet for i systemets mappe (intet aktiveres)")
    p.add_argument("--kun-opsaet", action="store_true", help="skriv konfiguration og tidsplan, men start ikke hubben")
    p.add_argument("--eksempel", action="store_true", help="vis en eksempelkonfiguration og afslut")
    p.set_defaults(func=run)


def run(args) -> int:
    from kontrol_lib.flader.server import hub, konfig, planlagt  # lazy: `kontrol -h` starts without pydantic models and Jinja2
    if args.eksempel:
        print(konfig.EKSEMPEL.read_text(encoding="utf-8"), end="")
        return 0
    if not args.config.exists():
        raise KontrolFejl(f"Konfigurationen {args.config} findes ikke. Se et eksempel med "
                          "'kontrol server --eksempel' og docs/drift.md")
    k = konfig.laes(args.config)
    sti = hub.skriv(k, str(args.config))
    print(f"JupyterHubs konfiguration: {sti}")
    if args.planlaeg != "ingen":
        filer, noter = planlagt.installer(k, args.planlaeg, args.planmappe, str(args.config))
        for f in filer:
            print(f"Planlagt kørsel: {f}")
        for n in noter:
            print(f"Bemærk: {n}", file=sys.stderr)
    if args.kun_opsaet:
        return 0
    for program, hjaelp in ((k.proxy_program, "kør 'make proxy' (installerer configurable-http-proxy fra npm)"),
                            (k.programmappe / "jupyterhub", "installér projektets miljø ('make venv')")):
        if not Path(program).exists():
            raise KontrolFejl(f"{program} mangler: {hjaelp}")
    argv = hub.hub_kommando(k)
    print("Starter JupyterHub: " + " ".join(argv), flush=True)
    os.chdir(k.mappe)
    os.execv(argv[0], argv)
    return 0  # pragma: no cover
