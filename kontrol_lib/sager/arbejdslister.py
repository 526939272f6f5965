"""The three lists of the DFD workflow, derived from the log.

- bestillingsliste: udstillet cases, NO cpr (pseudonymous sag_id, ydelsesområde, kontroltyper,
  rule names, udloebsdato), oldest udloebsdato first;
- prioriteringsliste: bestilt cases and the ydelse received;
- feedbackliste: cases in partshøring (and, on request, every closed case with its outcome and
  decided amounts).

The functions take an open connection so that ordering can read and write in one transaction.
The cpr numbers are added to the page shown, and the showing logged, by
:meth:`~.lager.SagsLager.vis_personer`; these functions return no cpr.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, select

from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import KONTROLTYPER
from kontrol_lib.sager import schema as S
from kontrol_lib.vokabular.koder import AENDRET_TILDELING, BESTILT, LUKKEDE, PARTSHOERING, UDSTILLET

# kontroltyper of regler.md's catalogue, plus the kontroltrin 3 cases sent by UDK

BESTILLINGSLISTE_KOLONNER = ["sag_id", "kommunekode", "ydelsesomraade", "kontroltrin", "kontroltyper",
                             "regler", "antal_udfald", "udstillet", "udloebsdato"]
PRIORITERINGSLISTE_KOLONNER = ["sag_id", "kommunekode", "kle", "ydelse", "ydelsesomraade",
                               "kontroltrin", "regler", "bestilt_af", "bestilt", "udloebsdato"]
FEEDBACKLISTE_KOLONNER = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "status",
                          "siden", "registreret_af", "besparelse_oere", "besparelse_rytme", "tilbagebetalingskrav_oere"]
"""The amounts (øre, summed over the case's ydelser; rytme the code, several joined by ', ') are
the decided amounts of a case closed with ``aendret_tildeling``: per ydelse those of the last
transition that registered amounts (the decision, or a later korrektion); None for every other
case (in partshøring nothing is decided; a henlagt case has no amounts)."""


def _tjek_filtre(ydelsesomraade: str | None, fravaelg: Iterable[str]) -> set[str]:
    omraader = sorted(set(known_kle()["ydelsesomraade"]))
    if ydelsesomraade is not None and ydelsesomraade not in omraader:
        raise KontrolFejl(f"Ukendt ydelsesområde '{ydelsesomraade}' (tilladt: {', '.join(omraader)})")
    fra = {f.strip() for f in fravaelg if f and f.strip()}
    ukendte = sorted(fra - set(KONTROLTYPER))
    if ukendte:
        raise KontrolFejl(f"Ukendt kontroltype '{', '.join(ukendte)}' i --fravaelg "
                          f"(tilladt: {', '.join(KONTROLTYPER)})")
    return fra


def _udfald_pr_sag(conn: Connection, sag_ids: list[str]) -> pd.DataFrame:
    u = S.udfald
    rows = []
    for i in range(0, len(sag_ids), 500):
        chunk = sag_ids[i:i + 500]
        rows += [dict(r) for r in conn.execute(
            select(u.c.sag_id, u.c.regel, u.c.regel_titel, u.c.kontroltype).where(u.c.sag_id.in_(chunk))
        ).mappings()]
    df = pd.DataFrame(rows, columns=["sag_id", "regel", "regel_titel", "kontroltype"])
    if df.empty:
        return pd.DataFrame(columns=["sag_id", "kontroltyper", "regler", "antal_udfald", "_typer"])
    g = df.groupby("sag_id")
    return pd.DataFrame({
        "kontroltyper": g["kontroltype"].agg(lambda s: ", ".join(sorted(set(s)))),
        "regler": g["regel_titel"].agg(lambda s: "; ".join(sorted(set(s)))),
        "antal_udfald": g.size().astype("int64"),
        "_typer": g["kontroltype"].agg(lambda s: frozenset(s)),
    }).reset_index()


def bestillingsliste(lager, conn: Connection, ydelsesomraade: str | None = None,
                     fravaelg: Iterable[str] = (), kommune: int | None = None) -> pd.DataFrame:
    """Udstillet cases without cpr, oldest udloebsdato first. ``fravaelg``: kontroltyper the
    municipality handles elsewhere; a case is left out when ALL its kontroltyper are deselected
    (a case that also has, say, a formue udfald stays)."""
    fra = _tjek_filtre(ydelsesomraade, fravaelg)
    df = lager.aktuelle(conn, [UDSTILLET], kommune)
    if ydelsesomraade is not None:
        df = df[df["ydelsesomraade"] == ydelsesomraade]
    u = _udfald_pr_sag(conn, list(df["sag_id"]))
    df = df.merge(u, on="sag_id", how="left")
    if fra:
        df = df[~df["_typer"].map(lambda t: isinstance(t, frozenset) and t <= fra)]
    df = df.rename(columns={"oprettet": "udstillet"})
    df = df.sort_values(["udloebsdato", "sag_id"], kind="stable").reset_index(drop=True)
    if df.empty:
        return pd.DataFrame(columns=BESTILLINGSLISTE_KOLONNER)
    df["antal_udfald"] = df["antal_udfald"].fillna(0).astype("int64")
    return df[BESTILLINGSLISTE_KOLONNER]


def prioriteringsliste(lager, conn: Connection, kommune: int | None = None) -> pd.DataFrame:
    df = lager.aktuelle(conn, [BESTILT], kommune)
    u = _udfald_pr_sag(conn, list(df["sag_id"]))
    df = df.merge(u, on="sag_id", how="left")
    titler = dict(zip(known_kle()["kle"], known_kle()["titel"]))
    df["ydelse"] = [f"{titler[k]} ({k})" if k in titler else y for k, y in zip(df["kle"], df["ydelse"])]
    df = df.rename(columns={"status_bruger": "bestilt_af", "status_dato": "bestilt"})
    df = df.sort_values(["udloebsdato", "sag_id"], kind="stable").reset_index(drop=True)
    if df.empty:
        return pd.DataFrame(columns=PRIORITERINGSLISTE_KOLONNER)
    return df[PRIORITERINGSLISTE_KOLONNER]


def feedbackliste(lager, conn: Connection, kommune: int | None = None, alle: bool = False) -> pd.DataFrame:
    statusser = [PARTSHOERING, *LUKKEDE] if alle else [PARTSHOERING]
    df = lager.aktuelle(conn, statusser, kommune)
    if alle:
        # everything that was ordered ends here; expired cases were never ordered
        df = df[df["status"] != "udloebet"]
    df = df.rename(columns={"status_dato": "siden", "status_bruger": "registreret_af"})
    df = df.sort_values(["siden", "sag_id"], kind="stable").reset_index(drop=True)
    if df.empty:
        return pd.DataFrame(columns=FEEDBACKLISTE_KOLONNER)
    beloeb = _afgjorte_beloeb(conn, list(df.loc[df["status"] == AENDRET_TILDELING, "sag_id"]))
    for kol in ("besparelse_oere", "besparelse_rytme", "tilbagebetalingskrav_oere"):
        df[kol] = pd.Series([beloeb.get(sid, {}).get(kol) for sid in df["sag_id"]], index=df.index, dtype=object)
    return df[FEEDBACKLISTE_KOLONNER]


def _afgjorte_beloeb(conn: Connection, sag_ids: list[str]) -> dict[str, dict]:
    """Per case: the current decided amounts (see :data:`FEEDBACKLISTE_KOLONNER`)."""
    b = S.beloeb
    sidste: dict[tuple, tuple] = {}
    for i in range(0, len(sag_ids), 500):
        for sid, ydelse, _oid, rytme, bes, krav in conn.execute(
                select(b.c.sag_id, b.c.ydelse, b.c.overgang_id, b.c.besparelse_rytme, b.c.besparelse_oere,
                       b.c.tilbagebetalingskrav_oere).where(b.c.sag_id.in_(sag_ids[i:i + 500]))
                .order_by(b.c.overgang_id)):
            sidste[(sid, ydelse)] = (rytme, bes, krav)
    ud: dict[str, dict] = {}
    for (sid, _y), (rytme, bes, krav) in sorted(sidste.items()):
        d = ud.setdefault(sid, {"besparelse_oere": None, "besparelse_rytme": None, "tilbagebetalingskrav_oere": None})
        if bes is not None:
            d["besparelse_oere"] = (d["besparelse_oere"] or 0) + int(bes)
            if rytme and rytme not in (d["besparelse_rytme"] or "").split(", "):
                d["besparelse_rytme"] = ", ".join(filter(None, [d["besparelse_rytme"], rytme]))
        if krav is not None:
            d["tilbagebetalingskrav_oere"] = (d["tilbagebetalingskrav_oere"] or 0) + int(krav)
    return ud
