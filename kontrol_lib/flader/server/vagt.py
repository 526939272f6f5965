"""The wrapper a scheduled job runs in: ``python -m kontrol_lib.flader.server.vagt --navn NAVN
--logmappe MAPPE [--mail-til ADR] -- PROGRAM ARG...``.

The job's output (stdout and stderr together) may hold CPR numbers, names and addresses: it is
kept only in ``<logmappe>/<navn>.log``, the last run, readable by the service user alone (0600).
A failure (exit code not 0, or the program could not start) is reported with **only** the job's
name, the command's name (``kontrol koer``), the exit code, the time and a Danish sentence: on
stderr (the systemd journal, or cron's mail), appended to ``<logmappe>/fejl.log``, and mailed
with ``sendmail`` when ``--mail-til`` is given. Never a line of the output.

The argument ``@idag`` is replaced by today's date (ÅÅÅÅ-MM-DD), so a cron line or a systemd unit
needs no shell (``%`` is special to both).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from kontrol_lib.flader.dansk import DanskParser

IDAG = "@idag"
SENDMAIL = "/usr/sbin/sendmail"
TIDSGRAENSE_S = 6 * 3600
"""A scheduled job that runs longer than this is stopped and reported (it would hang the next)."""


def kommandonavn(argv: list[str]) -> str:
    """``kontrol koer`` for ``/opt/kontrol/.venv/bin/kontrol koer --data …``: the program's file
    name and its sub-command, nothing from the arguments (they may name people's files)."""
    navn = Path(argv[0]).name if argv else "?"
    if navn == "kontrol" and len(argv) > 1 and not argv[1].startswith("-"):
        return f"kontrol {argv[1]}"
    return navn


def besked(navn: str, kommando: str, kode: int | None, tid: dt.datetime, log: Path) -> str:
    """The Danish notice of a failure: no output line, no argument."""
    hvad = (f"sluttede med afslutningskode {kode}" if kode is not None and kode >= 0 else
            f"blev stoppet af signal {-kode}" if kode is not None else "kunne ikke startes")
    return (f"Den planlagte kørsel '{navn}' ({kommando}) {hvad} {tid:%Y-%m-%d kl. %H:%M}. Uddata indeholder "
            f"muligvis personoplysninger og er derfor ikke med her; de ligger i {log}, som kun "
            f"tjenestebrugeren kan læse.")


def _mail(til: str, emne: str, tekst: str, sendmail: str) -> None:
    msg = EmailMessage()
    msg["To"], msg["Subject"] = til, emne
    msg["From"] = f"kontrol@{os.uname().nodename}"
    msg.set_content(tekst)
    subprocess.run([sendmail, "-t", "-oi"], input=msg.as_bytes(), timeout=60, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def koer(navn: str, argv: list[str], logmappe: Path, mail_til: str | None = None, sendmail: str = SENDMAIL,
         idag: dt.date | None = None, tidsgraense: float = TIDSGRAENSE_S) -> int:
    """Run ``argv`` (``@idag`` replaced), keep its output privately, report a failure safely.
    Returns the job's exit code (1 when it could not start, 124 when it was stopped at the limit)."""
    logmappe = Path(logmappe)
    logmappe.mkdir(parents=True, exist_ok=True)
    dag = (idag or dt.date.today()).isoformat()
    argv = [dag if a == IDAG else a for a in argv]
    log = logmappe / f"{navn}.log"
    start = dt.datetime.now()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    kode: int | None
    with os.fdopen(fd, "w") as fh:
        try:
            kode = subprocess.run(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=tidsgraense, check=False).returncode
        except subprocess.TimeoutExpired:
            kode = 124
        except OSError:
            kode = None
    if kode == 0:
        return 0
    tekst = besked(navn, kommandonavn(argv), kode, start, log)
    print(tekst, file=sys.stderr, flush=True)
    fd = os.open(logmappe / "fejl.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(f"{start:%Y-%m-%dT%H:%M:%S} {navn} kode={kode if kode is not None else 'start'} {tekst}\n")
    if mail_til and (Path(sendmail).exists() or shutil.which(sendmail)):
        _mail(mail_til, f"Kontrol: den planlagte kørsel '{navn}' fejlede", tekst, sendmail)
    return 1 if kode is None else (kode if 0 < kode < 256 else 1)


def main(argv: list[str] | None = None) -> int:
    p = DanskParser(prog="python -m kontrol_lib.flader.server.vagt", add_help=False,
                                description="Kør en planlagt kørsel og meld fejl uden personoplysninger.")
    p.add_argument("-h", "--hjaelp", action="help", help="vis denne hjælp og afslut")
    p.add_argument("--navn", required=True, help="kørslens navn (fx daglig)")
    p.add_argument("--logmappe", required=True, type=Path, help="mappen til uddata og fejlbeskeder")
    p.add_argument("--mail-til", default=None, help="send fejlbeskeden hertil (med sendmail)")
    p.add_argument("--sendmail", default=SENDMAIL, help=argparse.SUPPRESS)
    p.add_argument("kommando", nargs=argparse.REMAINDER, help="programmet og dets argumenter, efter --")
    a = p.parse_args(argv)
    kommando = a.kommando[1:] if a.kommando[:1] == ["--"] else a.kommando
    if not kommando:
        p.error("intet program at køre (skriv det efter --)")
    return koer(a.navn, kommando, a.logmappe, a.mail_til, a.sendmail)


if __name__ == "__main__":
    sys.exit(main())
