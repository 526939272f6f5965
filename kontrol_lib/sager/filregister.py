"""The register of the product's own files with personal data (revision 0010), so that
``kontrol slet`` erases them with the cases they show (spec/sikkerhed.md, "Retention").

Every file the product writes with personal data (a kontrolark as HTML or PDF, the
prioriteringsliste or feedbackliste as CSV, a citizen's indsigt) is registered in ``filer`` by
:meth:`.SagsLager.registrer_fil` right after it is written: when, who, in which role, what, the
absolute path, the SHA-256 of the content as written, and the sag_ids in it (never a CPR number).

``kontrol slet --udfoer`` then looks at every registered file that holds at least one erased
case and has not been dealt with (no ``filsletninger`` row):

- the file is gone: logged as ``mangler`` (someone else deleted it);
- the file lies under the product's **data folder** (:func:`datamappe`), is a regular file (not
  a link) and its SHA-256 is still the one registered: it is deleted and logged as ``slettet``.
  A list file is deleted whole even when only some of its cases are erased: it is a snapshot
  that can be written again from the store, and no part of an erased case may stay;
- otherwise the file is **left for the user** and named every time ``kontrol slet`` runs, with
  the reason: outside the data folder (the product never deletes files in a user's own folders),
  changed since it was written (the path may now hold another document), or the deletion failed.

Files written before revision 0010, and files a user copied elsewhere (a download from the app,
a file attached to the journal), are not known to the store: the retention of the journal is the
journal system's.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from kontrol_lib.sager import logkaede
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import nu
from kontrol_lib.sager.roller import Aktoer

HVAD = ("kontrolark", "prioriteringsliste", "feedbackliste", "indsigt")
"""What a registered file is."""
SLETTET, MANGLER = "slettet", "mangler"
UDEN_FOR = "ligger uden for datamappen"
AENDRET = "er ændret, siden den blev skrevet"
MILJOE = "KONTROL_DATAMAPPE"


@dataclass
class Filrydning:
    """What :func:`ryd` did with the registered files of erased cases (paths, no CPR)."""
    slettet: list[str] = field(default_factory=list)
    mangler: list[str] = field(default_factory=list)
    til_brugeren: list[tuple[str, str]] = field(default_factory=list)     # (path, why it was left)


def datamappe(url: str) -> Path | None:
    """The product's data folder, where ``kontrol slet`` may delete the files it registered:
    ``$KONTROL_DATAMAPPE`` when set, else the folder of a SQLite store's file; None (no folder:
    every file is left for the user) for a PostgreSQL store without the variable."""
    if os.environ.get(MILJOE):
        return Path(os.environ[MILJOE]).resolve()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url.removeprefix("sqlite:///")).resolve().parent
    return None


def sha256(sti: Path) -> str:
    h = hashlib.sha256()
    with open(sti, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def registrer(conn: Connection, aktoer: Aktoer, sti: str | Path, sag_ids, hvad: str) -> int:
    """Register a file just written (in ``conn``'s transaction); returns its id."""
    if hvad not in HVAD:
        raise ValueError(f"ukendt filtype {hvad!r}")
    sti = Path(sti).resolve()
    raekke = dict(tid=logkaede.som_tid(nu()), bruger=aktoer.navn, hvad=hvad, sti=str(sti), sha256=sha256(sti),
                  sag_ids=json.dumps(sorted({str(s) for s in sag_ids})), rolle=aktoer.rolle,
                  identitet=aktoer.identitet)
    [raekke] = logkaede.kaed(conn, "filer", [raekke])
    return int(conn.execute(S.filer.insert().values(**raekke)).inserted_primary_key[0])


def beroerte(conn: Connection, ogsaa: set[str] = frozenset()) -> list[dict]:
    """The registered files not yet dealt with that hold an erased case (or one of the cases
    ``ogsaa``: those due for erasure, when only showing what would go): id, hvad, sti, sha256,
    oldest first."""
    f, fs = S.filer, S.filsletninger
    sag_ids = set(conn.execute(select(S.slettede_sager.c.sag_id)).scalars()) | set(ogsaa)
    rows = conn.execute(select(f.c.id, f.c.hvad, f.c.sti, f.c.sha256, f.c.sag_ids)
                        .where(f.c.id.not_in(select(fs.c.fil_id))).order_by(f.c.id)).mappings()
    return [{k: r[k] for k in ("id", "hvad", "sti", "sha256")} for r in rows
            if sag_ids & set(json.loads(r["sag_ids"]))]


def _under(sti: Path, mappe: Path | None) -> bool:
    if mappe is None:
        return False
    try:
        return Path(os.path.realpath(sti.parent)).is_relative_to(mappe)
    except OSError:
        return False


def vurder(fil: dict, mappe: Path | None) -> str:
    """What to do with one registered file: :data:`SLETTET` (delete it), :data:`MANGLER`, or the
    reason it is left for the user."""
    sti = Path(fil["sti"])
    try:
        st = os.lstat(sti)
    except FileNotFoundError:
        return MANGLER
    if not _under(sti, mappe):
        return UDEN_FOR
    if not stat.S_ISREG(st.st_mode) or sha256(sti) != fil["sha256"]:
        return AENDRET
    return SLETTET


def ryd(filer: list[dict], mappe: Path | None, udfoer: bool) -> tuple[Filrydning, list[tuple[int, str]]]:
    """Deal with ``filer`` (from :func:`beroerte`): with ``udfoer`` delete those that may go.
    Returns what happened and the (fil_id, resultat) rows to log (:func:`log`)."""
    res, logges = Filrydning(), []
    for fil in filer:
        hvad = vurder(fil, mappe)
        if hvad == SLETTET and udfoer:
            try:
                os.unlink(fil["sti"])
            except OSError as e:
                res.til_brugeren.append((fil["sti"], f"kunne ikke slettes ({e.strerror})"))
                continue
        if hvad in (SLETTET, MANGLER):
            (res.slettet if hvad == SLETTET else res.mangler).append(fil["sti"])
            logges.append((fil["id"], hvad))
        else:
            res.til_brugeren.append((fil["sti"], hvad))
    return res, logges


def log(conn: Connection, aktoer: Aktoer, logges: list[tuple[int, str]]) -> None:
    """Log the files erased (or found gone) in ``filsletninger``, chained."""
    if not logges:
        return
    tid = logkaede.som_tid(nu())
    raekker = [dict(tid=tid, bruger=aktoer.navn, fil_id=int(i), resultat=r, rolle=aktoer.rolle,
                    identitet=aktoer.identitet) for i, r in logges]
    conn.execute(S.filsletninger.insert(), logkaede.kaed(conn, "filsletninger", raekker))
