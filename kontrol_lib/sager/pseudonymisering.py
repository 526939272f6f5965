"""Pseudonymised data for the analytiker (``spec/sikkerhed.md``, Roles): udfald, cases and
register rows with every CPR number replaced by its keyed pseudonym
(:mod:`kontrol_lib.vokabular.pseudonym`).

- :func:`udfald_pseudonymiseret`: an udfald table (a samkøring's, or the store's) without CPR:
  ``ym_cpr`` → ``ym_pseudonym``, ``person_cpr`` → ``person_pseudonym``, CPR numbers inside
  ``oplysninger`` replaced, ``haendelse_id`` (which may hold an unkeyed md5 of a CPR number)
  replaced by a keyed id, the evidence column ``bevis`` dropped.
- :func:`hits_pseudonymiseret`: the hits of a local list (``cpr`` → ``pseudonym``).
- :func:`sager` and :func:`udfald` read the case store (role ``analytiker``; a refusal is
  logged by :meth:`~kontrol_lib.sager.lager.SagsLager.aktoer`). No ``visninger`` row is
  written, since no personal data is shown.

Where the pseudonyms of the store come from depends on the database:

- **SQLite** (a laptop, one user): this process reads the CPR numbers and replaces them with the
  key file's pseudonyms (:class:`~kontrol_lib.vokabular.pseudonym.Pseudonymer`).
- **PostgreSQL** (the team server): the analyst's process can neither select a CPR column nor
  may it hold a key (with the key it could pseudonymise every possible CPR number). The database
  computes the pseudonyms (revision 0007: :func:`.pg_adgang.analyse_sager`,
  :func:`.pg_adgang.analyse_udfald`) with its own *analysis key*, which only ``kontrol_ejer`` can
  read; no key file is read and ``p`` is not used. The pseudonyms then differ from the key file's
  (see ``docs/analyse.md``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from kontrol_lib.sager import pg_adgang
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import ramme
from kontrol_lib.sager.lager import SagsLager
from kontrol_lib.vokabular.pseudonym import Pseudonymer

ANALYTIKER = ("analytiker",)
HVAD = "se pseudonymiserede data"

UDFALD_OMDOEB = {"ym_cpr": "ym_pseudonym", "person_cpr": "person_pseudonym"}


def udfald_pseudonymiseret(df: pd.DataFrame, p: Pseudonymer) -> pd.DataFrame:
    """``df`` (udfald columns) without any CPR number (see the module doc)."""
    ud = p.kolonner(df.drop(columns=["bevis"], errors="ignore"), cpr=list(UDFALD_OMDOEB),
                    tekst=["oplysninger", "regel_titel"], noeglede=["haendelse_id"])
    return ud.rename(columns=UDFALD_OMDOEB)


def hits_pseudonymiseret(hits: pd.DataFrame, p: Pseudonymer) -> pd.DataFrame:
    """The hits of a local list without CPR: ``cpr`` → ``pseudonym``; CPR-shaped numbers in the
    texts and the ids replaced."""
    ud = p.kolonner(hits, cpr=["cpr"], tekst=["oplysninger", "begrundelse", "haendelse_id", "adresse_id"])
    return ud.rename(columns={"cpr": "pseudonym"})


def sager(lager: SagsLager, kommune: int | None = None, bruger: str | None = None,
          p: Pseudonymer | None = None) -> pd.DataFrame:
    """Every case with its current state and ``ym_pseudonym`` instead of ``ym_cpr`` (role
    analytiker; on PostgreSQL the database's pseudonyms, see the module doc)."""
    lager.aktoer(ANALYTIKER, HVAD, bruger)
    if lager.dialekt == "postgresql":
        with lager.laes() as conn:
            df = lager.aktuelle(conn, None, kommune)          # ym_cpr is NULL on PostgreSQL
            ps = pg_adgang.analyse_sager(conn, kommune)
        df["ym_cpr"] = pd.Series([ps.get(s) for s in df["sag_id"]], index=df.index, dtype=object)
    else:
        p = p or Pseudonymer()
        with lager.laes() as conn:
            df = lager.aktuelle(conn, None, kommune)
        df = p.kolonner(df, cpr=["ym_cpr"])
    df = df.rename(columns={"ym_cpr": "ym_pseudonym"})
    return df.sort_values(["oprettet", "sag_id"], kind="stable").reset_index(drop=True)


UDFALD_KOLONNER = ["sag_id", "ym_cpr", "person_cpr", "rolle", "regel", "regel_titel", "kontroltype",
                   "haendelsesdato", "haendelse_id", "kle", "kommunekode", "oplysninger", "koersdato"]


def udfald(lager: SagsLager, kommune: int | None = None, bruger: str | None = None,
           p: Pseudonymer | None = None) -> pd.DataFrame:
    """Every udfald on a case in the store, pseudonymised (:func:`udfald_pseudonymiseret`;
    role analytiker), in the order they were stored. On PostgreSQL the database pseudonymises
    (the same columns; see the module doc)."""
    lager.aktoer(ANALYTIKER, HVAD, bruger)
    if lager.dialekt == "postgresql":
        with lager.laes() as conn:
            rows = pg_adgang.analyse_udfald(conn, kommune)
        return ramme(rows, pg_adgang.ANALYSE_UDFALD)
    p = p or Pseudonymer()
    u, s = S.udfald, S.sager
    q = (select(*[u.c[k] for k in UDFALD_KOLONNER]).join_from(u, s, u.c.sag_id == s.c.sag_id).order_by(u.c.id))
    if kommune is not None:
        q = q.where(s.c.kommunekode == int(kommune))
    with lager.laes() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    return udfald_pseudonymiseret(ramme(rows, UDFALD_KOLONNER), p)
