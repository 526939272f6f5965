"""``python -m kontrol_lib.flader.visitering``: serve the visitation notebook with Voila, offline,
for one person on their own machine (127.0.0.1, a token unless ``--uden-token``)."""

from __future__ import annotations

import os
import secrets
import sys

from kontrol_lib.flader.dansk import DanskParser
from kontrol_lib.sager import standard_url
from kontrol_lib.flader.visitering.server import IP, NOTEBOOK, TOKEN_MILJOE, kommandolinje, miljoe, voila_kommando


def main(argv: list[str] | None = None) -> int:
    p = DanskParser(
        prog="python -m kontrol_lib.flader.visitering", add_help=False,
        description="Start visiteringen (notebooks/visitering.ipynb) som app i browseren med Voila, for én "
                    "person på egen maskine. Siden henter intet fra internettet og lytter kun på 127.0.0.1; "
                    "et team bruger appen gennem JupyterHub (kontrol server, se docs/drift.md). Du er den, "
                    "maskinen siger, du er logget ind som.")
    p.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    p.add_argument("--db", default=None, help="sagslagerets URL eller SQLite-fil (standard: $KONTROL_DB, "
                                              "ellers kontrol.sqlite i notebook-mappen)")
    p.add_argument("--port", type=int, default=8866, help="port på 127.0.0.1 (standard 8866)")
    p.add_argument("--uden-token", action="store_true",
                   help="ingen token i adressen: kun på en maskine, hvor ingen andre er logget ind")
    p.add_argument("--vis-kommando", action="store_true", help="vis kun Voila-kommandoen, start intet")
    a = p.parse_args(argv)
    token = None if a.uden_token else secrets.token_urlsafe(24)
    args = voila_kommando(NOTEBOOK, a.port, token=token is not None)
    # a relative SQLite path is resolved here: the kernel runs in the notebook's folder
    env = miljoe(standard_url(a.db) if a.db else None, token=token)
    ekstra = {k: env[k] for k, v in (("KONTROL_DB", a.db), (TOKEN_MILJOE, token)) if v}
    if a.vis_kommando:
        print(kommandolinje(args, ekstra=ekstra))
        return 0
    adresse = f"http://{IP}:{a.port}/" + (f"?token={token}" if token else "")
    print(f"Åbn visiteringen i browseren: {adresse}", file=sys.stderr, flush=True)
    os.execvpe(args[0], args, env)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
