"""The kontrolark's stamoplysninger, snapshotted from the register folder when a case is made.

For each ydelsesmodtager (YM) of a daily run: cpr, birth date and age on D, the address on D
(with kommune, and as text where the extract has the optional table ``adressetekster``), the active ydelsessager on D (KLE/ydelser), the spouse on D (latest vielse not
ended by skilsmisse/enkestand; a separation is shown), income over the three whole months before
D's month (per month and indkomsttype, for YM and spouse), and the data look-ups that were made
for the YM and found nothing (the rules that apply to the YM's KLE and had no hit), kept apart
from rules that could not run because a register was missing.

Everything is stored as JSON-ready values (dates ISO, amounts as text with two decimals) in the
case row, so the kontrolark can be produced later without the data folder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pandas as pd

from kontrol_lib.parametre import hent
from kontrol_lib.vokabular.steder import known_kle, kommunenavn
from kontrol_lib.vokabular.tid import plus_maaneder


def _iso(v) -> str | None:
    if v is None or (not isinstance(v, (str, dt.date)) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.date()
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _navn(kode) -> str | None:
    try:
        return kommunenavn(int(kode))
    except (KeyError, TypeError, ValueError):
        return None


def _alder(foedt: dt.date, dato: dt.date) -> int:
    return dato.year - foedt.year - ((dato.month, dato.day) < (foedt.month, foedt.day))


def tre_hele_maaneder(dato: dt.date) -> tuple[dt.date, dt.date]:
    """The three whole months before ``dato``'s month: 2024-05-15 → 2024-02-01 … 2024-04-30."""
    start = plus_maaneder(dato.replace(day=1), -3)
    return start, dato.replace(day=1) - dt.timedelta(days=1)


def adressetekst(a: dict) -> str:
    """An address as one line, as DAR writes it (adressebetegnelse): "Glemmevej 17, 2. th, 2750
    Ballerup"; a house: "Glemmevej 17B, 2750 Ballerup"; etage without doer: "Glemmevej 17, st.,
    2750 Ballerup"."""
    dele = [f"{a['vejnavn']} {a['husnr']}"]
    etage = f"{a['etage']}." if a.get("etage") else None
    lejlighed = " ".join(x for x in (etage, a.get("doer")) if x)
    if lejlighed:
        dele.append(lejlighed)
    dele.append(f"{a['postnr']} {a['postdistrikt']}")
    return ", ".join(dele)


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def stamoplysninger(reg, cprs: list[str], dato: dt.date, regler=None,
                    udfald: pd.DataFrame | None = None) -> dict[str, dict]:
    """ym_cpr → snapshot (see module doc). ``reg``: loaded :class:`~kontrol_lib.registre.Registre`;
    ``regler``: the rule catalogue (``REGLER``); ``udfald``: this run's udfald (to tell the
    look-ups with a hit from those without)."""
    if not cprs:
        return {}
    con = reg.con
    con.register("_stam_ym", pd.DataFrame({"cpr": list(cprs)}))
    d = dato.isoformat()
    out: dict[str, dict] = {c: {"dato": d, "cpr": c} for c in cprs}

    for r in _rows(con, "SELECT p.cpr, p.foedselsdato, p.doedsdato FROM personer p JOIN _stam_ym USING (cpr)", []):
        o = out[r["cpr"]]
        o["foedselsdato"] = _iso(r["foedselsdato"])
        o["alder"] = _alder(r["foedselsdato"], dato) if r["foedselsdato"] else None
        o["doedsdato"] = _iso(r["doedsdato"])

    for r in _rows(con, """
            SELECT x.cpr, x.adresse_id, x.kommunekode, x.fra_dato, t.vejnavn, t.husnr, t.etage, t.doer, t.postnr,
                   t.postdistrikt FROM (
              SELECT a.*, row_number() OVER (PARTITION BY a.cpr ORDER BY a.fra_dato DESC) AS n
              FROM adresser a JOIN _stam_ym USING (cpr)
              WHERE a.fra_dato <= CAST(? AS DATE) AND (a.til_dato IS NULL OR a.til_dato >= CAST(? AS DATE))) x
            LEFT JOIN adressetekster t ON t.adresse_id = x.adresse_id
            WHERE x.n = 1""", [d, d]):
        adr = {"adresse_id": r["adresse_id"], "kommunekode": int(r["kommunekode"]),
               "kommunenavn": _navn(r["kommunekode"]), "fra_dato": _iso(r["fra_dato"])}
        if r["vejnavn"] is not None:                 # the extract has the address as text
            adr["tekst"] = adressetekst(r)
        out[r["cpr"]]["adresse"] = adr

    titler = dict(zip(known_kle()["kle"], known_kle()["titel"]))
    bestand_kle = set(hent("regler.bestand_kle", dato))
    ydelser = defaultdict(list)
    for r in _rows(con, """
            SELECT y.cpr, y.kle, y.kommunekode, y.oprettet, y.ophoert FROM ydelsessager y JOIN _stam_ym USING (cpr)
            WHERE y.oprettet <= CAST(? AS DATE) AND (y.ophoert IS NULL OR y.ophoert >= CAST(? AS DATE))
            ORDER BY y.cpr, y.kle, y.oprettet""", [d, d]):
        ydelser[r["cpr"]].append({"kle": r["kle"], "titel": titler.get(r["kle"], r["kle"]),
                                  "kommunekode": int(r["kommunekode"]), "kommunenavn": _navn(r["kommunekode"]),
                                  "oprettet": _iso(r["oprettet"]), "ophoert": _iso(r["ophoert"])})
    for c in cprs:
        out[c]["ydelser"] = ydelser.get(c, [])
        koder = [y["kommunekode"] for y in out[c]["ydelser"] if y["kle"] in bestand_kle]
        if koder:
            out[c]["kommune"] = {"kommunekode": koder[0], "kommunenavn": _navn(koder[0])}

    # the spouse on D: latest vielse ≤ D, unless a later skilsmisse/enkestand ≤ D ended it
    civil = defaultdict(list)
    for r in _rows(con, """SELECT c.cpr, c.haendelse, c.dato, c.aegtefaelle_cpr FROM civilstand c
                           JOIN _stam_ym USING (cpr) WHERE c.dato <= CAST(? AS DATE) ORDER BY c.cpr, c.dato""", [d]):
        civil[r["cpr"]].append(r)
    aef_of = {}
    for c, rows in civil.items():
        vielser = [r for r in rows if r["haendelse"] == "vielse"]
        if not vielser:
            continue
        v = vielser[-1]
        if any(r["haendelse"] in ("skilsmisse", "enkestand") and r["dato"] > v["dato"] for r in rows):
            continue
        sep = [r for r in rows if r["haendelse"] == "separation" and r["dato"] >= v["dato"]
               and r["aegtefaelle_cpr"] == v["aegtefaelle_cpr"]]
        out[c]["aegtefaelle"] = {"cpr": v["aegtefaelle_cpr"], "vielse": _iso(v["dato"]),
                                 "separation": _iso(sep[-1]["dato"]) if sep else None}
        aef_of[c] = v["aegtefaelle_cpr"]

    # income: the three whole months before D's month, per month and indkomsttype
    start, slut = tre_hele_maaneder(dato)
    personer = pd.DataFrame([(c, c, "YM") for c in cprs] + [(c, a, "ÆF") for c, a in aef_of.items()],
                            columns=["ym", "cpr", "rolle"])
    con.register("_stam_pers", personer)
    indkomst = defaultdict(list)
    for r in _rows(con, """
            SELECT p.ym, p.rolle, strftime(e.udbetalingsdato, '%Y-%m') AS maaned, e.indkomsttype,
                   sum(e.beloeb) AS beloeb
            FROM eindkomst e JOIN _stam_pers p ON p.cpr = e.cpr
            WHERE e.udbetalingsdato BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
            GROUP BY ALL ORDER BY p.ym, p.rolle DESC, maaned, e.indkomsttype""", [start.isoformat(), slut.isoformat()]):
        indkomst[r["ym"]].append({"rolle": r["rolle"], "maaned": r["maaned"], "indkomsttype": int(r["indkomsttype"]),
                                  "beloeb": f"{Decimal(r['beloeb']):.2f}"})
    for c in cprs:
        out[c]["indkomst"] = {"fra": start.isoformat(), "til": slut.isoformat(), "linjer": indkomst.get(c, [])}

    # the look-ups made for the YM: rules applying to its KLE (as YM, or via the spouse)
    if regler is not None:
        ikke_koert = dict((udfald.attrs.get("ikke_koert") or {}) if udfald is not None else {})
        ramt = defaultdict(set)
        if udfald is not None:
            for ym, regel in zip(udfald["ym_cpr"].astype(str), udfald["regel"]):
                ramt[ym].add(regel)
        for c in cprs:
            kle = {y["kle"] for y in out[c]["ydelser"] if y["kle"] in bestand_kle}
            kontrolleret, ikke = [], []
            for rid, r in regler.items():
                gaelder = bool(kle & set(r.kle("YM", dato))) or (c in aef_of and bool(kle & set(r.kle("ÆF", dato))))
                if not gaelder:
                    continue
                if rid in ikke_koert:
                    ikke.append({"regel": rid, "titel": r.titel})
                elif rid not in ramt[c]:
                    kontrolleret.append({"regel": rid, "titel": r.titel})
            out[c]["kontrollerede_regler"] = kontrolleret
            out[c]["ikke_koerte_regler"] = ikke
    con.unregister("_stam_ym")
    con.unregister("_stam_pers")
    return out
