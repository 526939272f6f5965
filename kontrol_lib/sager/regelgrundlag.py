"""What the rule-effect and fairness measures (:mod:`kontrol_lib.maal.regeleffekt`) need from the
case store beyond its log, as aggregates only: never a CPR number out of this module.

- :func:`koen` and :func:`foedselsdato` read a CPR number (digit 10 odd = man; digits 1–6 the
  birth date, digit 7 the century by the CPR office's table); :func:`aldersgruppe` is the age band.
- :func:`sagsgruppe`: a new case's sex and age band on the day it is created, written to
  ``sagsgrupper`` by the store when the case is created; :func:`sagernes_grupper` reads them back
  (no CPR number read: on PostgreSQL the application roles cannot, and an erased case keeps its
  group, so ``kontrol slet`` leaves the figures unchanged).
- :func:`udfald_pr_regel`: per case and rule, the number of udfald on it.
- :func:`bestandsgrupper_af` turns a samkøring's bestand (one row per qualifying case, with
  ``ym_cpr``) into counts of distinct YM per (kommune, sex, age band);
  :func:`gem_bestandsgrupper` records them in ``bestandsgrupper`` (revision 0011) once per
  (run date, municipality); :func:`bestandsgrupper` reads them back.

Decision (docs/regeleffekt.md): the bestand of a run date exists only in that day's registers, so
its size per group is recorded at samkøring time, as aggregates; the fairness measures divide by
the average of these counts over the run dates of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, insert, select

from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import ramme

KOEN = ("kvinde", "mand")
ALDERSGRUPPER = ("under 30", "30-39", "40-49", "50-59", "60+")
UKENDT = "ukendt"
_GRAENSER = ((30, "under 30"), (40, "30-39"), (50, "40-49"), (60, "50-59"))


def koen(cpr) -> str:
    """'mand' (digit 10 odd), 'kvinde' (even) or 'ukendt' (not a 10-digit number, e.g. erased)."""
    s = "" if cpr is None else str(cpr).replace("-", "")
    if len(s) != 10 or not s.isdigit():
        return UKENDT
    return "mand" if int(s[9]) % 2 else "kvinde"


def _aarhundrede(yy: int, d7: int) -> int:
    if d7 <= 3:
        return 1900
    if d7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def foedselsdato(cpr) -> dt.date | None:
    """The birth date a CPR number encodes (None when it encodes none)."""
    s = "" if cpr is None else str(cpr).replace("-", "")
    if len(s) != 10 or not s.isdigit():
        return None
    dd, mm, yy, d7 = int(s[0:2]), int(s[2:4]), int(s[4:6]), int(s[6])
    try:
        return dt.date(_aarhundrede(yy, d7) + yy, mm, dd)
    except ValueError:
        return None


def alder(foedt: dt.date, dato: dt.date) -> int:
    """Whole years on ``dato`` (a birthday counts on the day)."""
    return dato.year - foedt.year - ((dato.month, dato.day) < (foedt.month, foedt.day))


def aldersgruppe(cpr, dato: dt.date) -> str:
    """The age band on ``dato``: under 30, 30-39, 40-49, 50-59, 60+ (or 'ukendt')."""
    f = foedselsdato(cpr)
    if f is None:
        return UKENDT
    a = alder(f, dato)
    for graense, navn in _GRAENSER:
        if a < graense:
            return navn
    return "60+"


def sagernes_grupper(lager, kommune: int | None = None, sag_ids: Iterable[str] | None = None,
                     bruger: str | None = None) -> pd.DataFrame:
    """sag_id, kommunekode, koen, aldersgruppe (on the day the case was created) for every case
    with a YM (role leder or tilsyn), from ``sagsgrupper``: written when the case was created
    (:func:`sagsgruppe`), so no CPR number is read here and an erased case keeps its group."""
    lager.aktoer(("leder", "tilsyn"), "se regeleffekt og ligebehandling", bruger)
    s, g = S.sager, S.sagsgrupper
    q = select(g.c.sag_id, s.c.kommunekode, g.c.koen, g.c.aldersgruppe).join_from(g, s, g.c.sag_id == s.c.sag_id)
    if kommune is not None:
        q = q.where(s.c.kommunekode == int(kommune))
    rows = []
    with lager.laes() as conn:
        for qq in _i_bidder(q, g.c.sag_id, sag_ids):
            rows += [{"sag_id": r.sag_id, "kommunekode": int(r.kommunekode), "koen": r.koen,
                      "aldersgruppe": r.aldersgruppe} for r in conn.execute(qq)]
    return ramme(rows, ["sag_id", "kommunekode", "koen", "aldersgruppe"])


def sagsgruppe(ym_cpr, oprettet: dt.date) -> dict | None:
    """The ``sagsgrupper`` row of a new case (None for a case without a YM)."""
    if not ym_cpr:
        return None
    return {"koen": koen(ym_cpr), "aldersgruppe": aldersgruppe(ym_cpr, oprettet)}


def _i_bidder(q, kolonne, sag_ids, n: int = 500):
    """``q`` as it is, or restricted to ``sag_ids`` in slices of ``n`` (bound parameters)."""
    if sag_ids is None:
        return [q]
    ids = sorted(set(sag_ids))
    return [q.where(kolonne.in_(ids[i:i + n])) for i in range(0, len(ids), n)]


def udfald_pr_regel(lager, kommune: int | None = None, bruger: str | None = None,
                    sag_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """sag_id, regel, udfald (the number of udfald of the rule on the case); role leder or tilsyn."""
    lager.aktoer(("leder", "tilsyn"), "se regeleffekt og ligebehandling", bruger)
    u = S.udfald
    q = select(u.c.sag_id, u.c.regel, func.count().label("udfald")).group_by(u.c.sag_id, u.c.regel)
    if kommune is not None:
        q = q.join_from(u, S.sager, u.c.sag_id == S.sager.c.sag_id).where(S.sager.c.kommunekode == int(kommune))
    with lager.laes() as conn:
        rows = [{"sag_id": r.sag_id, "regel": r.regel, "udfald": int(r.udfald)}
                for qq in _i_bidder(q, u.c.sag_id, sag_ids) for r in conn.execute(qq)]
    return ramme(rows, ["sag_id", "regel", "udfald"])


def bestandsgrupper_af(bestand: pd.DataFrame, dato: dt.date) -> pd.DataFrame:
    """Distinct YM of a bestand (:func:`kontrol_lib.regler.bestand`, or the udfald-free bestand of
    a samkøring) per kommunekode, koen and aldersgruppe on ``dato``: kommunekode, koen,
    aldersgruppe, antal. Only counts leave; groups with no YM are absent."""
    cols = ["kommunekode", "koen", "aldersgruppe", "antal"]
    if bestand is None or len(bestand) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    b = bestand[["ym_cpr", "kommunekode"]].drop_duplicates()
    grp = pd.DataFrame({"kommunekode": b["kommunekode"].astype("int64").to_numpy(),
                        "koen": [koen(c) for c in b["ym_cpr"]],
                        "aldersgruppe": [aldersgruppe(c, dato) for c in b["ym_cpr"]]})
    out = grp.groupby(["kommunekode", "koen", "aldersgruppe"]).size().reset_index(name="antal")
    out["antal"] = out["antal"].astype("int64")
    return out[cols].sort_values(cols[:3]).reset_index(drop=True)


def gem_bestandsgrupper(lager, conn, dato: dt.date, grupper: pd.DataFrame) -> int:
    """Record the bestand's group counts of run date ``dato`` (inside ``conn``'s transaction),
    once per (dato, municipality): a municipality already recorded for ``dato`` is left as it
    is (the daily run is idempotent). Returns the number of rows written."""
    t = S.bestandsgrupper
    if grupper is None or len(grupper) == 0:
        return 0
    kommuner = sorted({int(k) for k in grupper["kommunekode"]})
    kendte = {int(k) for (k,) in conn.execute(select(t.c.kommunekode).distinct().where(
        t.c.koersdato == dato, t.c.kommunekode.in_(kommuner)))}
    nu = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = [{"koersdato": dato, "kommunekode": int(r.kommunekode), "koen": str(r.koen),
             "aldersgruppe": str(r.aldersgruppe), "antal": int(r.antal), "tid": nu}
            for r in grupper.itertuples(index=False) if int(r.kommunekode) not in kendte]
    if rows:
        conn.execute(insert(t), rows)
    return len(rows)


def bestandsgrupper(lager, kommune: int | None = None, fra: dt.date | None = None, til: dt.date | None = None,
                    bruger: str | None = None) -> pd.DataFrame:
    """The recorded group counts: koersdato, kommunekode, koen, aldersgruppe, antal (role leder
    or tilsyn)."""
    lager.aktoer(("leder", "tilsyn"), "se regeleffekt og ligebehandling", bruger)
    t = S.bestandsgrupper
    q = select(t.c.koersdato, t.c.kommunekode, t.c.koen, t.c.aldersgruppe, t.c.antal).order_by(t.c.id)
    if kommune is not None:
        q = q.where(t.c.kommunekode == int(kommune))
    if fra is not None:
        q = q.where(t.c.koersdato >= fra)
    if til is not None:
        q = q.where(t.c.koersdato <= til)
    with lager.laes() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    return ramme(rows, ["koersdato", "kommunekode", "koen", "aldersgruppe", "antal"])
