"""The analyst's pseudonymised sections of ``udforskning.ipynb`` (issue 12, item 2: the analytiker
sees a keyed pseudonym instead of CPR, everywhere in the notebook).

Each function takes the notebook's :class:`~.adgang.Adgang` (the role check at its top) and
returns view-model parts (:mod:`.visningsmodel`). Row-level data, even pseudonymised, needs the
role ``analytiker``: a ``leder`` who opens the notebook sees the aggregated sections and, in
these, the Danish refusal (logged by the store). Pseudonyms come from
:mod:`kontrol_lib.vokabular.pseudonym` (the key file outside the store), except the store's on
PostgreSQL, which the database computes with its analysis key (see docs/analyse.md).

- :func:`udfald_af_samkoering`: the udfald of a samkøring on the register folder;
- :func:`sager_i_lageret`: the store's cases and their udfald;
- :func:`afproevning`: "Prøv et nyt kontrolkriterium": the funnel (counts) and the persons the
  criterion selects, as pseudonyms.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kontrol_lib.rapporter import visningsmodel as vm
from kontrol_lib.rapporter.adgang import Adgang
from kontrol_lib.regler import samkoer
from kontrol_lib.regler.lokale import koer_lister, laes_tekst
from kontrol_lib.sager import pseudonymisering as pz
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import tal
from kontrol_lib.vokabular.pseudonym import Pseudonymer

VIS_RAEKKER = 50
"""Rows shown of a pseudonymised table (the count says how many there are)."""


def om_adgang(a: Adgang) -> list:
    """Who the notebook runs for, in which role."""
    if a.rolle is None:
        return [vm.Udskrift(f"Logget ind som {a.person}. Intet sagslager er angivet, så rollen kontrolleres ikke; "
                            "filernes rettigheder afgør, hvem der kan læse dem. CPR-numre vises kun som pseudonymer.")]
    return [vm.Udskrift(f"Logget ind som {a.person} med rollen {a.rolle}. CPR-numre vises kun som pseudonymer.")]


def _kraev_analytiker(a: Adgang) -> None:
    """Row-level data: the role analytiker in the store (a refusal is logged there)."""
    if not a.db:
        return
    lager = a.lager()
    try:
        lager.aktoer(pz.ANALYTIKER, pz.HVAD)
    finally:
        lager.luk()


def _dato(dato: str) -> dt.date:
    try:
        return dt.date.fromisoformat(dato)
    except (TypeError, ValueError):
        raise KontrolFejl(f"Parameteren dato skal skrives ÅÅÅÅ-MM-DD, fx 2024-05-15, ikke {dato!r}") from None


def _raekker(df, hvad: str) -> list:
    vist = df.head(VIS_RAEKKER)
    tekst = (f"{tal(len(df))} {hvad}" if len(df) <= VIS_RAEKKER
             else f"{tal(len(df))} {hvad}; de første {tal(VIS_RAEKKER)} vises")
    return [vm.Udskrift(tekst + " (CPR-numre erstattet af pseudonymer)."), vm.Raekker(vist)]


def udfald_af_samkoering(a: Adgang, data: str, dato: str, kommune: int | None = None,
                         p: Pseudonymer | None = None) -> list:
    """The samkøring's udfald on ``data`` on ``dato``, pseudonymised (role analytiker)."""
    if not data or not Path(data).is_dir():
        return [vm.Mangler("Samkøringens udfald vises ikke: der er ikke angivet en registermappe, eller den findes "
                           "ikke (parameteren data).")]
    try:
        _kraev_analytiker(a)
    except AdgangNaegtet as e:
        return [vm.Mangler(str(e))]
    if not os.access(data, os.R_OK | os.X_OK):
        return [vm.Mangler("Samkøringens udfald vises ikke: du kan ikke læse registermappen (parameteren data). På "
                           "teamserveren kan kun tjenesteidentiteten læse registermapper med CPR-numre; se "
                           "docs/analyse.md.")]
    df = samkoer(data, _dato(dato), kommune=kommune)
    return _raekker(pz.udfald_pseudonymiseret(df, p or Pseudonymer()), "udfald i samkøringen")


def sager_i_lageret(a: Adgang, kommune: int | None = None, p: Pseudonymer | None = None) -> list:
    """The store's cases and their udfald, pseudonymised (role analytiker)."""
    if not a.db:
        return [vm.Mangler("Sagslagerets sager vises ikke: der er ikke angivet et sagslager (parameteren db).")]
    lager = a.lager()
    try:
        if p is None and lager.dialekt != "postgresql":
            p = Pseudonymer()                 # one key read for both; on PostgreSQL the database's key
        sager = pz.sager(lager, kommune, p=p)
        udfald = pz.udfald(lager, kommune, p=p)
    except AdgangNaegtet as e:
        return [vm.Mangler(str(e))]
    finally:
        lager.luk()
    return _raekker(sager, "sager i sagslageret") + _raekker(udfald, "udfald på sagerne")


def afproevning(a: Adgang, kriterium: str, data: str, dato: str, p: Pseudonymer | None = None) -> list:
    """:func:`.visningsmodel.afproevning` (the funnel, counts only), then the persons the
    criterion selects with pseudonyms instead of CPR (role analytiker)."""
    dele = vm.afproevning(kriterium, data, dato)
    if not any(isinstance(d, vm.Tabel) for d in dele):
        return dele                              # skipped, or a Danish error in the criterion
    try:
        _kraev_analytiker(a)
    except AdgangNaegtet as e:
        return dele + [vm.Mangler(str(e))]
    hits = koer_lister(data, _dato(dato), laes_tekst(kriterium))
    return dele + _raekker(pz.hits_pseudonymiseret(hits, p or Pseudonymer()), "fund")
