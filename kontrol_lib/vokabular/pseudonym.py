"""Keyed pseudonyms of CPR numbers (``spec/sikkerhed.md``: the analytiker sees pseudonymised data
only; fredning keeps a keyed hash instead of the number).

The pseudonym of a CPR number is HMAC-SHA256 over its ten digits (a dash after the sixth is
removed first), keyed with a secret that lives **outside the case store**, in a key file:

- ``$KONTROL_NOEGLE`` (a path) if set: the team server sets it (e.g. ``/etc/kontrol/noegle``);
- else ``/etc/kontrol/noegle`` if that file exists (the server's default);
- else ``~/.config/kontrol/noegle`` (a laptop, single user).

A key file that does not exist is created on first use with 32 random bytes (:mod:`secrets`),
written as 64 hex digits and a newline, mode 0600 in a folder the process creates 0700. This is
for the single-user laptop: on the server the file is installed once, and a process that cannot
create it (``/etc/kontrol`` is not writable) gets a Danish error instead of a new key. A key file
that cannot be read, is too short, or is readable by everyone is a Danish error too.

Forms (both stable across runs with the same key, neither reversible without it):

- :func:`noeglet_hash`: the full HMAC as 64 hex digits (for fredning, issue 13);
- :func:`pseudonym`: ``P-`` + the first 16 hex digits of the same HMAC in groups of four
  (``P-4597-38f9-800c-3dca``), what people see (64 bits: for six million persons a collision has
  a probability of about one in a million). The groups keep any pseudonym from looking like a
  CPR number (never six digits in a row).

The same value is computable in PostgreSQL with pgcrypto:
``h := encode(hmac(cpr, decode(<key hex>, 'hex'), 'sha256'), 'hex')``, then
``'P-' || substr(h, 1, 4) || '-' || substr(h, 5, 4) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4)``.
Revision 0006 does exactly that on the team server, with a key of its own (the store's *analysis
key*, readable only by ``kontrol_ejer``; not this file's key), so that an analyst's process holds
no key (``docs/analyse.md``).

Losing the key changes every pseudonym (and every fredning hash): back it up with the store.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl

NOEGLE_MILJOE = "KONTROL_NOEGLE"
"""The path of the key file (overrides the defaults)."""
SERVER_NOEGLE = Path("/etc/kontrol/noegle")
"""The team server's key file (used when it exists and ``$KONTROL_NOEGLE`` is not set)."""
NOEGLE_BYTES = 32
PRAEFIKS = "P-"
PSEUDONYM_CIFRE = 16
GRUPPE = 4
"""Hex digits per group: a pseudonym never holds six digits in a row, so it can never look like a
CPR number to a person or to a scanner for CPR-shaped numbers."""

CPR_I_TEKST = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
"""A CPR-shaped number inside free text: ten digits not part of a longer run, a dash allowed after
the sixth; also when glued to letters or other signs (``YM-0101801234``, ``cpr0101801234``)."""


def laptop_noegle() -> Path:
    """The single-user default: ``~/.config/kontrol/noegle`` (``$XDG_CONFIG_HOME`` respected)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kontrol" / "noegle"


def noeglefil(miljoe: dict | None = None) -> Path:
    """Where the key is: ``$KONTROL_NOEGLE``, else :data:`SERVER_NOEGLE` if it exists, else
    :func:`laptop_noegle`."""
    env = os.environ if miljoe is None else miljoe
    if env.get(NOEGLE_MILJOE):
        return Path(env[NOEGLE_MILJOE]).expanduser()
    if SERVER_NOEGLE.exists():
        return SERVER_NOEGLE
    return laptop_noegle()


def opret_noegle(sti: Path) -> bytes:
    """Write a new key (32 random bytes as hex) to ``sti``, owner-only; never overwrites. The
    key is written to a private temporary file first and linked into place, so another process
    never reads a half-written key, and of two processes creating it at once both get the same."""
    noegle = secrets.token_bytes(NOEGLE_BYTES)
    try:
        sti.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".noegle-", dir=sti.parent)      # mode 0600
    except OSError:
        raise KontrolFejl(f"Pseudonymnøglen {sti} findes ikke og kan ikke oprettes; "
                          f"bed administratoren om nøglefilen, eller peg på den med ${NOEGLE_MILJOE}") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (noegle.hex() + "\n").encode("ascii"))
        os.fsync(fd)
        os.close(fd)
        fd = -1
        try:
            os.link(tmp, sti)
        except FileExistsError:
            return laes_noegle(sti)              # created by another process in the meantime
    finally:
        if fd != -1:
            os.close(fd)
        os.unlink(tmp)
    return noegle


def laes_noegle(sti: Path) -> bytes:
    """The key in ``sti`` (hex text, at least 32 bytes). Danish errors: unreadable, too short,
    not hex, readable by everyone."""
    try:
        st = sti.stat()
        tekst = sti.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError):
        raise KontrolFejl(f"Pseudonymnøglen {sti} kan ikke læses; pseudonymer kan ikke dannes uden "
                          f"den. Kontrollér filens rettigheder, eller peg på nøglen med ${NOEGLE_MILJOE}") from None
    if st.st_mode & stat.S_IROTH:
        raise KontrolFejl(f"Pseudonymnøglen {sti} kan læses af alle på maskinen og er derfor ikke hemmelig; "
                          f"fjern læseretten for andre (chmod o-rwx {sti})")
    try:
        noegle = bytes.fromhex(tekst)
    except ValueError:
        raise KontrolFejl(f"Pseudonymnøglen {sti} er ikke en gyldig nøgle (den skal være hexadecimale cifre)") from None
    if len(noegle) < NOEGLE_BYTES:
        raise KontrolFejl(f"Pseudonymnøglen {sti} er for kort ({len(noegle)} byte; mindst {NOEGLE_BYTES})")
    return noegle


def hent_noegle(sti: str | Path | None = None) -> bytes:
    """The key from ``sti`` (default :func:`noeglefil`); created when missing (see module doc)."""
    p = Path(sti).expanduser() if sti is not None else noeglefil()
    try:
        return laes_noegle(p)
    except FileNotFoundError:
        return opret_noegle(p)


def normaliser(cpr) -> str:
    """Ten digits (a dash after the sixth removed). The error never repeats the value."""
    c = str(cpr).strip().replace("-", "")
    if len(c) != 10 or not c.isdigit():
        raise KontrolFejl("Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); en værdi, der skulle pseudonymiseres, "
                          "har det ikke")
    return c


def noeglet_hash(cpr, noegle: bytes) -> str:
    """HMAC-SHA256 of the normalised CPR number with ``noegle``, 64 hex digits."""
    return hmac.new(noegle, normaliser(cpr).encode("ascii"), hashlib.sha256).hexdigest()


def noeglet_teksthash(tekst, noegle: bytes) -> str:
    """HMAC-SHA256 of the text's UTF-8 bytes with ``noegle``, 64 hex digits (fredning's
    ``haendelse_noegle``: a ``haendelse_id`` may be derived from a CPR number)."""
    return hmac.new(noegle, str(tekst).encode("utf-8"), hashlib.sha256).hexdigest()


def _grupper(hexcifre: str) -> str:
    return "-".join(hexcifre[i:i + GRUPPE] for i in range(0, len(hexcifre), GRUPPE))


def pseudonym(cpr, noegle: bytes) -> str:
    """``P-`` and the first 16 hex digits of :func:`noeglet_hash` in groups of four, e.g.
    ``P-4597-38f9-800c-3dca``."""
    return PRAEFIKS + _grupper(noeglet_hash(cpr, noegle)[:PSEUDONYM_CIFRE])


def _tom(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA or v is pd.NaT or str(v).strip() == ""


class Pseudonymer:
    """Pseudonyms with one key, read once: ``p = Pseudonymer()``; ``p("0101801234")``."""

    def __init__(self, noegle: bytes | None = None, sti: str | Path | None = None):
        self.noegle = noegle if noegle is not None else hent_noegle(sti)
        if len(self.noegle) < NOEGLE_BYTES:
            raise KontrolFejl(f"En pseudonymnøgle skal være mindst {NOEGLE_BYTES} byte")

    def __repr__(self) -> str:           # never the key
        return "Pseudonymer(<nøgle>)"

    def __call__(self, cpr) -> str | None:
        """The pseudonym; None for an empty value."""
        return None if _tom(cpr) else pseudonym(cpr, self.noegle)

    def hash(self, cpr) -> str | None:
        """:func:`noeglet_hash` (fredning); None for an empty value."""
        return None if _tom(cpr) else noeglet_hash(cpr, self.noegle)

    def noeglet_id(self, tekst, praefiks: str = "H-") -> str | None:
        """A keyed stand-in for any text that may be derived from a CPR number (e.g. a
        ``haendelse_id`` holding an unkeyed md5 of one): ``praefiks`` + 16 hex digits in groups."""
        if _tom(tekst):
            return None
        return praefiks + _grupper(hmac.new(self.noegle, str(tekst).encode("utf-8"), hashlib.sha256)
                                   .hexdigest()[:PSEUDONYM_CIFRE])

    def i_tekst(self, tekst):
        """Every CPR-shaped number in free text replaced by its pseudonym."""
        if _tom(tekst):
            return tekst
        return CPR_I_TEKST.sub(lambda m: pseudonym(m.group(1) + m.group(2), self.noegle), str(tekst))

    def kolonner(self, df: pd.DataFrame, cpr: Iterable[str] = (), tekst: Iterable[str] = (),
                 noeglede: Iterable[str] = ()) -> pd.DataFrame:
        """A copy of ``df`` with the ``cpr`` columns replaced by pseudonyms, CPR numbers in the
        ``tekst`` columns replaced, and the ``noeglede`` columns by :meth:`noeglet_id`. Columns
        not in ``df`` are skipped."""
        ud = df.copy()
        for c in cpr:
            if c in ud.columns:
                ud[c] = pd.Series([self(v) for v in ud[c]], index=ud.index, dtype=object)
        for c in tekst:
            if c in ud.columns:
                ud[c] = pd.Series([self.i_tekst(v) for v in ud[c]], index=ud.index, dtype=object)
        for c in noeglede:
            if c in ud.columns:
                ud[c] = pd.Series([self.noeglet_id(v) for v in ud[c]], index=ud.index, dtype=object)
        return ud
