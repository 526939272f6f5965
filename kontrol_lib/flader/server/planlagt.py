"""The scheduled work of the team server, under its own service identity (``planlagt.bruger``,
default ``kontrol``): the daily samkøring (``kontrol koer``) and the monthly and yearly report
batches (``kontrol batch``), each run through :mod:`.vagt` (a failure is reported without
personal data).

:func:`systemd_filer` writes one ``.service`` (oneshot, as the service user, private umask,
read-only system) and one ``.timer`` per job, plus ``kontrol-hub.service`` for the hub itself;
:func:`cron_fil` is the same schedule as an ``/etc/cron.d`` file, for machines where systemd is
not PID 1. :func:`installer` writes either into a folder and, for the system's own folders,
enables them.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kontrol_lib.flader.server.hub import hub_kommando
from kontrol_lib.flader.server.konfig import ServerKonfig
from kontrol_lib.flader.server.vagt import IDAG

SYSTEMD_MAPPE = Path("/etc/systemd/system")
CRON_MAPPE = Path("/etc/cron.d")
CRON_FIL = "kontrol"
VAGT_MODUL = "kontrol_lib.flader.server.vagt"


@dataclass(frozen=True)
class Job:
    navn: str            # daglig, maanedlig, aarlig
    beskrivelse: str     # Danish
    kommando: list[str]  # without the wrapper
    minut: int
    time: int
    dag: int | None = None      # day of month
    maaned: int | None = None

    def oncalendar(self) -> str:
        maaned = f"{self.maaned:02d}" if self.maaned else "*"
        dag = f"{self.dag:02d}" if self.dag else "*"
        return f"*-{maaned}-{dag} {self.time:02d}:{self.minut:02d}:00"

    def cron_tid(self) -> str:
        return f"{self.minut} {self.time} {self.dag or '*'} {self.maaned or '*'} *"


def _kl(tekst: str) -> tuple[int, int]:
    t, m = tekst.split(":")
    return int(t), int(m)


def jobs(k: ServerKonfig) -> list[Job]:
    """The scheduled jobs ``k`` asks for: always the daily run; a batch per plan given."""
    p = k.planlagt
    kontrol = str(k.programmappe / "kontrol")
    t, m = _kl(p.daglig_kl)
    out = [Job("daglig", "daglig samkøring", [kontrol, "koer", "--data", str(p.data), "--dato", IDAG, "--db", k.db],
               m, t)]
    bt, bm = _kl(p.batch_kl)
    if p.maanedsplan:
        out.append(Job("maanedlig", "månedens rapporter", [kontrol, "batch", str(p.maanedsplan), "--stille"],
                       bm, bt, dag=p.maaned_dag))
    if p.aarsplan:
        maaned, dag = (int(x) for x in p.aar_dato.split("-"))
        out.append(Job("aarlig", "årets rapporter", [kontrol, "batch", str(p.aarsplan), "--stille"],
                       bm, bt, dag=dag, maaned=maaned))
    return out


def vagt_kommando(k: ServerKonfig, job: Job) -> list[str]:
    """The job's command line inside the failure wrapper."""
    p = k.planlagt
    argv = [str(k.programmappe / "python"), "-m", VAGT_MODUL, "--navn", job.navn, "--logmappe", str(p.logmappe)]
    if p.mail_til:
        argv += ["--mail-til", p.mail_til]
    return argv + ["--", *job.kommando]


def _systemd(tekst: str) -> str:
    return tekst.replace("%", "%%")          # systemd's specifier character


def systemd_filer(k: ServerKonfig, kilde: str = "server.yaml") -> dict[str, str]:
    """File name → content of every systemd unit (``kontrol-<job>.service``/``.timer`` and
    ``kontrol-hub.service``)."""
    p = k.planlagt
    hoved = f"# GENERERET af kontrol server fra {kilde}; ret den fil og kør kommandoen igen (docs/drift.md).\n"
    out: dict[str, str] = {}
    for job in jobs(k):
        out[f"kontrol-{job.navn}.service"] = hoved + "\n".join([
            "[Unit]",
            f"Description=Kontrol: {job.beskrivelse}",
            "After=network-online.target postgresql.service",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=oneshot",
            f"User={p.bruger}",
            f"Group={p.bruger}",
            f"WorkingDirectory={p.arbejdsmappe}",
            _systemd(f"Environment={shlex.quote('KONTROL_DB=' + k.db)}"),
            _systemd("ExecStart=" + shlex.join(vagt_kommando(k, job))),
            "UMask=0077",
            "NoNewPrivileges=yes",
            "PrivateTmp=yes",
            "ProtectSystem=full",
            "ProtectHome=yes",
            "",
        ])
        out[f"kontrol-{job.navn}.timer"] = hoved + "\n".join([
            "[Unit]",
            f"Description=Kontrol: {job.beskrivelse} (tidsplan)",
            "",
            "[Timer]",
            f"OnCalendar={job.oncalendar()}",
            "Persistent=true",
            f"Unit=kontrol-{job.navn}.service",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ])
    out["kontrol-hub.service"] = hoved + "\n".join([
        "[Unit]",
        "Description=Kontrol: JupyterHub (team-serveren)",
        "After=network-online.target postgresql.service",
        "Wants=network-online.target",
        "",
        "[Service]",
        "User=root",
        f"WorkingDirectory={k.mappe}",
        _systemd("ExecStart=" + shlex.join(hub_kommando(k))),
        "Restart=on-failure",
        "RestartSec=5",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ])
    return out


def cron_fil(k: ServerKonfig, kilde: str = "server.yaml") -> str:
    """The same schedule as one ``/etc/cron.d`` file (user field: the service user). Cron mails
    nothing (``MAILTO=""``): the wrapper writes and mails its own notice, without personal data."""
    p = k.planlagt
    linjer = [f"# Kontrol workbench: planlagte kørsler. GENERERET af kontrol server fra {kilde}; "
              "ret den fil og kør kommandoen igen (docs/drift.md).",
              "SHELL=/bin/sh", "PATH=/usr/local/bin:/usr/bin:/bin", 'MAILTO=""',
              "# m h dag md ugedag bruger kommando"]
    for job in jobs(k):
        kommando = f"cd {shlex.quote(str(p.arbejdsmappe))} && umask 077 && " \
                   f"KONTROL_DB={shlex.quote(k.db)} exec {shlex.join(vagt_kommando(k, job))}"
        linjer.append(f"# {job.beskrivelse}")
        linjer.append(f"{job.cron_tid()} {p.bruger} {kommando.replace('%', chr(92) + '%')}")
    return "\n".join(linjer) + "\n"


def maal() -> str:
    """``systemd`` when systemd runs this machine (PID 1), else ``cron``."""
    return "systemd" if Path("/run/systemd/system").is_dir() else "cron"


def tjenestebruger_findes(navn: str) -> bool:
    try:
        pwd.getpwnam(navn)
    except KeyError:
        return False
    return True


def _mapper(k: ServerKonfig) -> None:
    """The service user's working and log folders, its own (0750), when running as root."""
    p = k.planlagt
    for mappe in (p.arbejdsmappe, p.logmappe):
        Path(mappe).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0 and tjenestebruger_findes(p.bruger):
            pw = pwd.getpwnam(p.bruger)
            os.chown(mappe, pw.pw_uid, pw.pw_gid)
            os.chmod(mappe, 0o750)


def installer(k: ServerKonfig, hvor: str | None = None, mappe: Path | None = None,
              kilde: str = "server.yaml") -> tuple[list[Path], list[str]]:
    """Write the schedule (``hvor``: systemd or cron, default :func:`maal`) into ``mappe``
    (default the system's folder; then the units are enabled too). Returns the files written and
    Danish notes for the administrator."""
    hvor = hvor or maal()
    noter: list[str] = []
    if not tjenestebruger_findes(k.planlagt.bruger):
        noter.append(f"Tjenestebrugeren '{k.planlagt.bruger}' findes ikke på maskinen: opret den med "
                     f"'useradd --system --home-dir {k.planlagt.arbejdsmappe} --shell /usr/sbin/nologin "
                     f"{k.planlagt.bruger}' og kør kommandoen igen.")
    system = mappe is None
    mappe = Path(mappe or (SYSTEMD_MAPPE if hvor == "systemd" else CRON_MAPPE))
    mappe.mkdir(parents=True, exist_ok=True)
    skrevet = []
    if hvor == "systemd":
        for navn, tekst in systemd_filer(k, kilde).items():
            (mappe / navn).write_text(tekst, encoding="utf-8")
            os.chmod(mappe / navn, 0o644)
            skrevet.append(mappe / navn)
    else:
        sti = mappe / CRON_FIL
        sti.write_text(cron_fil(k, kilde), encoding="utf-8")
        os.chmod(sti, 0o644)
        skrevet.append(sti)
    if system:
        _mapper(k)
        if hvor == "systemd" and shutil.which("systemctl"):
            subprocess.run(["systemctl", "daemon-reload"], check=False)
            timere = [p.name for p in skrevet if p.suffix == ".timer"]
            subprocess.run(["systemctl", "enable", "--now", *timere], check=False)
        elif hvor == "cron" and not (shutil.which("cron") or shutil.which("crond")):
            noter.append("cron er ikke installeret: kør 'apt-get install cron' (eller brug systemd).")
    return skrevet, noter
