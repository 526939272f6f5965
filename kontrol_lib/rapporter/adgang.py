"""The role check of the notebooks (issue 12, item 2: every notebook checks the role before it
shows anything; a refusal is one Danish sentence).

- :func:`adgang`: the first thing the analyst's notebook does. The roles live in the case store
  named by the notebook's ``db`` parameter, else by ``$KONTROL_DB`` (the team server sets it for
  every kernel). A person without one of the roles is refused (logged by the store) and the
  notebook stops there. With no store named at all the notebook runs on files only (a laptop):
  there is no role to check, and the files' permissions decide who reads them.
- :class:`Afvisning`: the store's :class:`~kontrol_lib.sager.roller.AdgangNaegtet` as a notebook
  shows it: IPython renders an exception that has ``_render_traceback_`` with those lines only,
  so the output is the one Danish sentence instead of a traceback; papermill still stops.
- :func:`som_saetning`: around store reads in the report modules, turns a refusal into an
  :class:`Afvisning`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.identitet import logget_ind
from kontrol_lib.sager.roller import AdgangNaegtet

UDFORSKNING = ("analytiker", "leder")
"""Who may open the analyst's notebook (the pseudonymised sections need analytiker)."""


class Afvisning(AdgangNaegtet):
    """A refusal shown as its Danish sentence only (no traceback) in a notebook."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


@contextmanager
def som_saetning() -> Iterator[None]:
    """Re-raise a store's refusal as an :class:`Afvisning` (one sentence in a notebook)."""
    try:
        yield
    except Afvisning:
        raise
    except AdgangNaegtet as e:
        raise Afvisning(str(e)) from None


@dataclass(frozen=True)
class Adgang:
    """Who opened the notebook, in which role, against which store (``db`` empty: files only,
    ``rolle`` None)."""
    person: str
    rolle: str | None
    db: str

    def lager(self) -> SagsLager:
        return SagsLager(self.db, opret=False)


def lager_url(db: str = "") -> str:
    """The store the roles are read from: ``db``, else ``$KONTROL_DB``, else none (``""``)."""
    return (db or os.environ.get("KONTROL_DB") or "").strip()


def adgang(db: str = "", krav: tuple[str, ...] = UDFORSKNING, hvad: str = "udforske kontroldata") -> Adgang:
    """Check that the person holds one of ``krav`` in the store (see the module doc); raises
    :class:`Afvisning` (logged by the store) otherwise."""
    url = lager_url(db)
    if not url:
        return Adgang(logget_ind().navn, None, "")
    lager = SagsLager(url, opret=False)
    try:
        with som_saetning():
            a = lager.aktoer(krav, hvad)
    finally:
        lager.luk()
    return Adgang(a.navn, a.rolle, url)
