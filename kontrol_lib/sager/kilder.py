"""Where the measures and the importer get their cases: ``kontrolsager.csv`` (the import format of
:mod:`.kontrolsagsfil`) or the case store, exactly one of them; and a whole file imported into the
store in one transaction."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kontrol_lib.registre import Fejl
from kontrol_lib.sager.kontrolsagsfil import EKSTRA, KOLONNER, indlaes, normaliser
from kontrol_lib.sager.lager import SagsLager
from kontrol_lib.vokabular.fejl import KontrolFejl

def hent(sager: str | Path | None = None, db: str | None = None, kommune: int | None = None
         ) -> tuple[pd.DataFrame, pd.DataFrame | None, list[Fejl]]:
    """Cases from ``kontrolsager.csv`` (``sager``) or from the case store (``db``, a SQLAlchemy
    URL or a SQLite file): (cases, corrections or None, warnings). Exactly one source."""
    if (sager is None) == (db is None):
        raise KontrolFejl("Angiv enten --sager FIL eller --db URL (præcis én af dem)")
    if sager is not None:
        df, advarsler = indlaes(sager)
        if kommune is not None:
            df = df[df["kommunekode"] == int(kommune)].reset_index(drop=True)
        return df, None, advarsler
    lager = SagsLager(db, opret=False)
    try:
        df = normaliser(lager.kontrolsager(kommune))
        korr = lager.korrektioner(kommune)
    finally:
        lager.luk()
    return df, korr, []


def importer(path: str | Path, db: str | None, bruger: str | None = None) -> tuple[dict, list[Fejl]]:
    """Validate ``kontrolsager.csv`` completely, then import it into the case store in one
    transaction (nothing is half-imported). Returns the store's summary and the warnings."""
    df, advarsler = indlaes(path)
    lager = SagsLager(db)
    try:
        valgfri = [c.name for c in EKSTRA if c.name in df.columns]       # the KL fields, kept on the case
        resultat = lager.importer_kontrolsager(df[KOLONNER + valgfri], bruger)
    finally:
        lager.luk()
    return resultat, advarsler
