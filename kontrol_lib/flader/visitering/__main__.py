"""``python -m kontrol_lib.flader.visitering``: serve the visitation notebook with Voila, offline."""

from __future__ import annotations

import os
import sys

from kontrol_lib.sager import standard_url
from kontrol_lib.flader.visitering.server import NOTEBOOK, kommandolinje, miljoe, voila_kommando


def main(argv: list[str] | None = None) -> int:
    from kontrol_lib.flader.cli import DanskParser  # lazy: cli imports every command; the app launcher needs only the parser
    p = DanskParser(
        prog="python -m kontrol_lib.flader.visitering", add_help=False,
        description="Start visiteringen (notebooks/visitering.ipynb) som app i browseren med Voila. "
                    "Siden henter intet fra internettet.")
    p.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    p.add_argument("--db", default=None, help="sagslagerets URL eller SQLite-fil (standard: $KONTROL_DB, "
                                              "ellers kontrol.sqlite i notebook-mappen)")
    p.add_argument("--bruger", default=None, help="brugernavn til loggen (standard: $KONTROL_BRUGER, ellers "
                                                  "login-navnet); brug --proxy-bruger på en fælles server")
    p.add_argument("--port", type=int, default=8866, help="port (standard 8866)")
    p.add_argument("--ip", default="127.0.0.1", help="adresse der lyttes på (standard 127.0.0.1)")
    p.add_argument("--base-url", default="/", help="sti bag en reverse proxy, fx /visitering/")
    p.add_argument("--proxy-bruger", action="store_true",
                   help="fælles server bag en login-proxy: brugeren tages fra proxyens X-Remote-User-header")
    p.add_argument("--vis-kommando", action="store_true", help="vis kun Voila-kommandoen, start intet")
    a = p.parse_args(argv)
    args = voila_kommando(NOTEBOOK, a.port, a.ip, a.base_url, a.proxy_bruger)
    # a relative SQLite path is resolved here: the kernel runs in the notebook's folder
    env = miljoe(standard_url(a.db) if a.db else None, a.bruger)
    if a.vis_kommando:
        ekstra = {k: env[k] for k, v in (("KONTROL_DB", a.db), ("KONTROL_BRUGER", a.bruger)) if v}
        print(kommandolinje(args, ekstra=ekstra))
        return 0
    os.execvpe(args[0], args, env)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
