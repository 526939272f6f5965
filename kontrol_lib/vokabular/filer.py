"""Files readable by their owner only (``spec/sikkerhed.md``: the SQLite store, kontrolark
PDFs and exports with CPR numbers).

A file is created with mode 0600 through ``os.open`` and then ``fchmod``-ed, so neither the
umask nor an earlier, wider mode of an existing file leaves it readable by group or others.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path

from kontrol_lib.vokabular.fejl import KontrolAdvarsel

EJER = 0o600
ANDRE = stat.S_IRWXG | stat.S_IRWXO


def aaben_privat(sti: str | Path, tilstand: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """``open()`` for writing, but the file is (re)created readable by its owner only.
    ``tilstand``: ``"w"`` (text, ``encoding``/``newline`` apply) or ``"wb"``."""
    if tilstand not in ("w", "wb"):
        raise ValueError(f"aaben_privat: tilstanden skal være 'w' eller 'wb', ikke {tilstand!r}")
    sti = Path(sti)
    sti.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(sti, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, EJER)
    try:
        os.fchmod(fd, EJER)
    except BaseException:
        os.close(fd)
        raise
    if tilstand == "wb":
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding, newline=newline)


def skriv_privat(sti: str | Path, indhold: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``indhold`` (text or bytes) to ``sti``, readable by its owner only."""
    sti = Path(sti)
    if isinstance(indhold, bytes):
        with aaben_privat(sti, "wb") as f:
            f.write(indhold)
    else:
        with aaben_privat(sti, "w", encoding=encoding, newline="") as f:
            f.write(indhold)
    return sti


def opret_privat(sti: str | Path) -> bool:
    """Create ``sti`` empty and readable by its owner only if it does not exist (e.g. a SQLite
    store before SQLite opens it; SQLite gives its -wal and -shm files the mode of the store).
    Returns True when the file was created, False when it was already there."""
    sti = Path(sti)
    sti.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(sti, os.O_WRONLY | os.O_CREAT | os.O_EXCL, EJER)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, EJER)
    finally:
        os.close(fd)
    return True


def laesbar_for_andre(sti: str | Path) -> bool:
    """Whether an existing file grants any permission to its group or to others."""
    try:
        return bool(os.stat(sti).st_mode & ANDRE)
    except FileNotFoundError:
        return False


def sqlite_privat(sti: str | Path) -> str | None:
    """Prepare a SQLite store file before SQLite opens it: a new one is created 0600 (and so are
    its -wal/-shm files, which SQLite creates with the store's mode). An existing store readable
    by group or others (the store itself or its -wal/-shm) gives a :class:`KontrolAdvarsel`
    (Danish, naming the files, never any content); its text is returned, else None."""
    sti = Path(sti)
    if opret_privat(sti):
        return None
    aabne = [p for p in (sti, Path(f"{sti}-wal"), Path(f"{sti}-shm")) if laesbar_for_andre(p)]
    if not aabne:
        return None
    tekst = (f"sagslageret {sti} kan læses af andre end ejeren; det rummer personoplysninger (CPR-numre). "
             f"Gør det privat med: chmod 600 {' '.join(str(p) for p in aabne)}")
    warnings.warn(tekst, KontrolAdvarsel, stacklevel=3)
    return tekst
