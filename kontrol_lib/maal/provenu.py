"""Provenu: what the control work brings back (``spec/provenu.md``), from case rows.

Input everywhere is a kontrolsager table (one row per sag × ydelse, the columns of
:mod:`kontrol_lib.sager.kontrolsagsfil`), whether read from ``kontrolsager.csv`` or handed back by the
case store. Every function returns pandas DataFrames whose amounts are exact ``Decimal`` kroner
(two decimals); counts are ints. Nothing here rounds a sum: each case row is computed to the øre
and the tables add them up.

Per case row (only rows whose ``resultat`` is ``aendret_tildeling`` carry money):

* fremadrettet besparelse = besparelse_beloeb × the rhythm's factor over the KL horizon
  (``parameters/provenu/horisont_maaneder.yaml``, in force on the day the case was closed):
  måned × H, uge × H·52/12, kvartal × H/3, år × H/12, fast × 1. With H = 12: 12, 52, 4, 1, 1.
  "Den fremadrettede besparelse er opgjort som den forventede besparelse over 12 måneder …
  følger udmelding fra KL" (Herning Kommune, Økonomi- og Erhvervsudvalget 25.02.2013).
* provenu = fremadrettet besparelse + tilbagebetalingskrav + efterregulering + skat.

Periods and corrections: a case counts in the year it was FIRST closed, with the amounts it had
then. A later change to its amounts is a correction (``korrektioner``: sag_id, ydelse,
registreret, a delta per amount). A correction registered in the same year as the case was first
closed is part of that year's figure (the year is not reported yet). A correction registered in a
later year never changes the earlier year's figure: it counts in the year it was registered, on
the separate row ``Korrektioner til tidligere år``. See docs/provenu.md.

Brutto is the default (what KL and UDK report). The ``*_netto`` functions apply the dated
per-ydelse nettoprocent (``parameters/provenu/nettoprocent/<ydelse>.yaml``, the municipality's
share after state refusion, in force on the day the case was closed); their amount columns are
named ``*_netto`` and ``df.attrs["opgoerelse"] == "netto"``, so a netto figure can never pass
for a brutto one.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular.celler import csv_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager.kontrolsagsfil import normaliser
from kontrol_lib.vokabular.koder import AENDRET, KANALER, YDELSER
from kontrol_lib.vokabular.penge import NUL, beloeb, er_tom
from kontrol_lib.vokabular.tid import som_dato

KATEGORIER = ("§ 11-sager fra UDK", "Stop af tilflytninger", "KL-ydelser", "UDK-ydelser", "SU-sager",
              "Andre myndigheder")
I_ALT = "I alt"
KORREKTIONER = "Korrektioner til tidligere år"
BELOEB = ("fremadrettet_besparelse", "tilbagebetalingskrav", "efterregulering", "skat", "provenu")
KOMPONENTER = BELOEB[:4]
OERE = Decimal("0.01")

# The rhythm's factor as a share of the horizon in months: måned 1/1, uge 52/12, kvartal 1/3, år 1/12.
_RYTME_PR_MAANED = {"maaned": Decimal(1), "uge": Decimal(52) / Decimal(12), "kvartal": Decimal(1) / Decimal(3),
                    "aar": Decimal(1) / Decimal(12)}


# --------------------------------------------------------------------------- parameters
def horisont(dato: dt.date) -> int:
    """The KL horizon for the fremadrettet besparelse, in months, in force on ``dato``."""
    return int(parametre.hent("provenu.horisont_maaneder", dato))


def faktor(rytme: str, dato: dt.date) -> Decimal:
    """How many times the amount per ``rytme`` counts over the horizon in force on ``dato``."""
    if rytme == "fast":
        return Decimal(1)
    if rytme not in _RYTME_PR_MAANED:
        raise KontrolFejl(f"Ukendt besparelsesrytme '{rytme}' (tilladt: maaned, uge, kvartal, aar, fast)")
    return Decimal(horisont(dato)) * _RYTME_PR_MAANED[rytme]


def nettoprocent(ydelse: str, dato: dt.date) -> Decimal:
    """The municipality's share (in percent) of a ydelse after state refusion, on ``dato``."""
    return Decimal(str(parametre.hent(f"provenu.nettoprocent.{ydelse}", dato)))


def _oere(d: Decimal) -> Decimal:
    return d.quantize(OERE, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- per case row
def kategori(paragraf11: str, ydelse: str, myndighed: str) -> str:
    """The one category a (sag × ydelse) row falls in; the first rule that matches wins."""
    if paragraf11 == "ja":
        return "§ 11-sager fra UDK"
    if ydelse == "tilflytning":
        return "Stop af tilflytninger"
    return {"kommune": "KL-ydelser", "udk": "UDK-ydelser", "su_styrelsen": "SU-sager"}.get(
        myndighed, "Andre myndigheder")


def raekker(sager: pd.DataFrame, kommune: int | None = None) -> pd.DataFrame:
    """Every case row with its year, category and exact amounts (zero unless
    ``aendret_tildeling``). Columns: the kontrolsager columns plus ``aar`` (year of closing,
    None when open), ``kategori``, ``aendret`` and :data:`BELOEB`."""
    df = normaliser(sager)
    if kommune is not None:
        df = df[df["kommunekode"] == int(kommune)].reset_index(drop=True)
    out = {c: [] for c in ("aar", "kategori", "aendret") + BELOEB}
    for rec in df.to_dict("records"):
        afsl = rec["afsluttet"]
        aendret = rec["resultat"] == AENDRET and afsl is not None
        out["aar"].append(afsl.year if afsl is not None else None)
        out["kategori"].append(kategori(rec["paragraf11"], rec["ydelse"], rec["myndighed"]))
        out["aendret"].append(aendret)
        if aendret:
            besp = NUL
            if rec["besparelse_beloeb"] is not None and rec["besparelse_beloeb"] != 0:
                besp = _oere(rec["besparelse_beloeb"] * faktor(rec["besparelse_rytme"], afsl))
            krav, efter, skat = (rec[c] if rec[c] is not None else NUL
                                 for c in ("tilbagebetalingskrav", "efterregulering", "skat"))
        else:
            besp = krav = efter = skat = NUL
        for c, v in zip(BELOEB, (besp, krav, efter, skat, besp + krav + efter + skat)):
            out[c].append(_oere(v))
    for c, v in out.items():
        df[c] = pd.Series(v, index=df.index, dtype=object)
    df["aar"] = pd.Series(out["aar"], index=df.index, dtype=object)
    df["aendret"] = pd.Series(out["aendret"], index=df.index, dtype=bool)
    return df


def _korrektioner(korrektioner: pd.DataFrame | None, rows: pd.DataFrame) -> pd.DataFrame:
    """Corrections joined to the case rows they correct: sag_id, ydelse, registreret,
    ``aar_registreret``, ``aar_sag`` (year of first closing), ``kategori``, ``ny_ydelse`` (the
    correction adds a ydelse the case did not have when first closed) and :data:`BELOEB` deltas.

    The besparelse delta may be given as ``fremadrettet_besparelse`` (kr. over the horizon), or as
    ``besparelse_beloeb`` (per rhythm). With ``besparelse_beloeb_foer`` and
    ``besparelse_rytme_foer`` (the case store's form) the delta is the new amount × the new
    rhythm's factor minus the old amount × the old rhythm's factor, so a changed rhythm counts
    right; without them the case row's rhythm converts the delta. Corrections of cases not among
    ``rows`` (another municipality or category) are left out."""
    cols = ["sag_id", "ydelse", "registreret", "aar_registreret", "aar_sag", "kategori", "ny_ydelse", *BELOEB]
    tom = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    if korrektioner is None or len(korrektioner) == 0:
        return tom
    missing = [c for c in ("sag_id", "ydelse", "registreret") if c not in korrektioner.columns]
    if missing:
        raise KontrolFejl("Korrektionerne mangler kolonnen " + ", ".join(missing))
    index = {(str(r["sag_id"]), r["ydelse"]): r for r in rows.to_dict("records")}
    pr_sag = {}
    for r in rows.to_dict("records"):
        pr_sag.setdefault(str(r["sag_id"]), r)
    out = []
    for rec in korrektioner.to_dict("records"):
        key = (str(rec["sag_id"]), rec["ydelse"])
        case = index.get(key)
        ny_ydelse = case is None
        if case is None:
            case = pr_sag.get(key[0])
            if case is None:
                continue  # another municipality's or category's case
        if case["afsluttet"] is None:
            raise KontrolFejl(f"Sag {key[0]} ({key[1]}) har en korrektion, men er ikke afsluttet")
        reg = som_dato(rec["registreret"])
        if reg < case["afsluttet"]:
            raise KontrolFejl(f"Korrektionen af sag {key[0]} ({key[1]}) er registreret {reg.isoformat()}, "
                              f"før sagen blev afsluttet {case['afsluttet'].isoformat()}")
        d = {c: (beloeb(rec.get(c)) or NUL) for c in KOMPONENTER[1:]}
        besp = beloeb(rec.get("fremadrettet_besparelse"))
        if besp is None:
            besp = _besparelse_delta(rec, None if ny_ydelse else case["besparelse_rytme"], case["afsluttet"], key)
        d["fremadrettet_besparelse"] = _oere(besp)
        d["provenu"] = _oere(sum(d[c] for c in KOMPONENTER))
        out.append({"sag_id": key[0], "ydelse": key[1], "registreret": reg, "aar_registreret": reg.year,
                    "aar_sag": case["afsluttet"].year,
                    "kategori": kategori(case["paragraf11"], key[1], case["myndighed"]),
                    "ny_ydelse": ny_ydelse, **d})
    return pd.DataFrame(out, columns=cols) if out else tom


def _besparelse_delta(rec: dict, rytme_sag: str | None, dato: dt.date, key) -> Decimal:
    """The change of the fremadrettet besparelse (over the horizon in force on ``dato``, the
    case's closing day) that one correction record means."""
    delta = beloeb(rec.get("besparelse_beloeb")) or NUL
    rytme = None if er_tom(rec.get("besparelse_rytme")) else rec.get("besparelse_rytme")
    if "besparelse_beloeb_foer" in rec or "besparelse_rytme_foer" in rec:
        foer = beloeb(rec.get("besparelse_beloeb_foer")) or NUL
        rytme_foer = None if er_tom(rec.get("besparelse_rytme_foer")) else rec.get("besparelse_rytme_foer")
        return _horisont_beloeb(foer + delta, rytme, dato, key) - _horisont_beloeb(foer, rytme_foer, dato, key)
    return _horisont_beloeb(delta, rytme or rytme_sag, dato, key)


def _horisont_beloeb(beloeb: Decimal, rytme: str | None, dato, key) -> Decimal:
    if beloeb == 0:
        return NUL
    if not rytme:
        raise KontrolFejl(f"Korrektionen af sag {key[0]} ({key[1]}) har et besparelsesbeløb uden rytme")
    return _oere(beloeb * faktor(rytme, dato))


def _aarets_raekker(rows: pd.DataFrame, korr: pd.DataFrame, aar: int) -> pd.DataFrame:
    """Rows closed in ``aar`` with the corrections registered in that same year applied (a
    correction that adds a ydelse adds a row for it)."""
    year = rows[rows["aar"] == aar].copy()
    same = korr[(korr["aar_registreret"] == aar) & (korr["aar_sag"] == aar)]
    for rec in same.to_dict("records"):
        hit = year.index[(year["sag_id"].astype(str) == rec["sag_id"]) & (year["ydelse"] == rec["ydelse"])]
        if len(hit) == 0:
            base = year[year["sag_id"].astype(str) == rec["sag_id"]].iloc[0].copy()
            base["ydelse"], base["kategori"], base["aendret"] = rec["ydelse"], rec["kategori"], True
            for c in BELOEB:
                base[c] = NUL
            year.loc[len(rows) + len(year) + 1_000_000] = base
            hit = year.index[-1:]
        i = hit[0]
        for c in BELOEB:
            year.at[i, c] = year.at[i, c] + rec[c]
    return year


def _tidligere(korr: pd.DataFrame, aar: int) -> pd.DataFrame:
    return korr[(korr["aar_registreret"] == aar) & (korr["aar_sag"] < aar)]


def sum_beloeb(values) -> Decimal:
    """The exact sum of amounts (Decimal kr.), rounded to whole øre."""
    return _oere(sum(values, NUL))


# --------------------------------------------------------------------------- tables
def kategorier(sager: pd.DataFrame, aar: int, korrektioner: pd.DataFrame | None = None,
               kommune: int | None = None) -> pd.DataFrame:
    """The annual report's first table: one row per category (all six, 0 where none), then
    ``Korrektioner til tidligere år`` (only when ``korrektioner`` is given) and ``I alt``.

    ``antal_sager``: distinct cases closed in ``aar`` with ``aendret_tildeling`` in the category;
    in ``I alt`` distinct over all categories; on the corrections row, the distinct corrected cases
    (not part of ``I alt``'s count)."""
    rows = raekker(sager, kommune)
    return _kategorier(rows, _korrektioner(korrektioner, rows), aar, korrektioner is not None)


def _kategorier(rows, korr, aar, med_korrektioner) -> pd.DataFrame:
    year = _aarets_raekker(rows, korr, aar)
    aendret = year.loc[year["aendret"].astype(bool)]
    out = []
    for k in KATEGORIER:
        r = aendret[aendret["kategori"] == k]
        out.append({"kategori": k, "antal_sager": int(r["sag_id"].nunique()),
                    **{c: sum_beloeb(r[c]) for c in BELOEB}})
    if med_korrektioner:
        t = _tidligere(korr, aar)
        out.append({"kategori": KORREKTIONER, "antal_sager": int(t["sag_id"].nunique()),
                    **{c: sum_beloeb(t[c]) for c in BELOEB}})
    out.append({"kategori": I_ALT, "antal_sager": int(aendret["sag_id"].nunique()),
                **{c: sum_beloeb(x[c] for x in out) for c in BELOEB}})
    return pd.DataFrame(out, columns=["kategori", "antal_sager", *BELOEB])


def ydelser(sager: pd.DataFrame, aar: int, korrektioner: pd.DataFrame | None = None,
            kommune: int | None = None, kategori: str | None = None) -> pd.DataFrame:
    """The layout of UDK's statusopgørelse: per ydelse with at least one changed award closed in
    ``aar`` (in the order of the import format), ``stop_antal``/``stop_beloeb`` (rows whose
    fremadrettet besparelse > 0 and its sum), ``krav_antal``/``krav_beloeb``, efterregulering,
    skat, provenu; then the corrections row (when given) and ``I alt``. ``kategori`` limits the
    table to one category (``"UDK-ydelser"`` gives UDK's own statusopgørelse)."""
    rows = raekker(sager, kommune)
    if kategori is not None:
        if kategori not in KATEGORIER:
            raise KontrolFejl(f"Ukendt kategori '{kategori}' (tilladt: {', '.join(KATEGORIER)})")
        rows = rows[rows["kategori"] == kategori]
    return _ydelser(rows, _korrektioner(korrektioner, rows), aar, korrektioner is not None)


YDELSE_KOLONNER = ["ydelse", "stop_antal", "stop_beloeb", "krav_antal", "krav_beloeb", "efterregulering",
                   "skat", "provenu"]


def _ydelser(rows, korr, aar, med_korrektioner) -> pd.DataFrame:
    year = _aarets_raekker(rows, korr, aar)
    aendret = year.loc[year["aendret"].astype(bool)]
    out = []
    for y in YDELSER:
        r = aendret[aendret["ydelse"] == y]
        if r.empty:
            continue
        out.append({"ydelse": y,
                    "stop_antal": int(sum(1 for v in r["fremadrettet_besparelse"] if v > 0)),
                    "stop_beloeb": sum_beloeb(r["fremadrettet_besparelse"]),
                    "krav_antal": int(sum(1 for v in r["tilbagebetalingskrav"] if v > 0)),
                    "krav_beloeb": sum_beloeb(r["tilbagebetalingskrav"]),
                    "efterregulering": sum_beloeb(r["efterregulering"]), "skat": sum_beloeb(r["skat"]),
                    "provenu": sum_beloeb(r["provenu"])})
    if med_korrektioner:
        t = _tidligere(korr, aar)
        out.append({"ydelse": KORREKTIONER, "stop_antal": 0, "stop_beloeb": sum_beloeb(t["fremadrettet_besparelse"]),
                    "krav_antal": 0, "krav_beloeb": sum_beloeb(t["tilbagebetalingskrav"]),
                    "efterregulering": sum_beloeb(t["efterregulering"]), "skat": sum_beloeb(t["skat"]),
                    "provenu": sum_beloeb(t["provenu"])})
    total = {"ydelse": I_ALT}
    for c in YDELSE_KOLONNER[1:]:
        total[c] = sum(x[c] for x in out) if c.endswith("antal") else sum_beloeb(x[c] for x in out)
    out.append(total)
    return pd.DataFrame(out, columns=YDELSE_KOLONNER)


def udvikling(sager: pd.DataFrame, aar: int, korrektioner: pd.DataFrame | None = None,
              kommune: int | None = None, antal_aar: int = 5) -> pd.DataFrame:
    """Provenu per category for the ``antal_aar`` years up to ``aar``: every category in every
    year (0 where none), the corrections row (when given) and ``I alt`` per year.
    Columns: aar, kategori, provenu."""
    rows = raekker(sager, kommune)
    return _udvikling(rows, _korrektioner(korrektioner, rows), aar, korrektioner is not None, antal_aar)


def _udvikling(rows, korr, aar, med_korrektioner, antal_aar) -> pd.DataFrame:
    out = []
    for y in range(aar - antal_aar + 1, aar + 1):
        k = _kategorier(rows, korr, y, med_korrektioner)
        out += [{"aar": y, "kategori": r["kategori"], "provenu": r["provenu"]} for r in k.to_dict("records")]
    return pd.DataFrame(out, columns=["aar", "kategori", "provenu"])


def kanaler(sager: pd.DataFrame, aar: int, kommune: int | None = None) -> pd.DataFrame:
    """Hit rate per kanal (all kanaler, in the import format's order): ``afsluttede`` = distinct
    cases closed in ``aar`` whatever the result, ``med_provenu`` = those whose total provenu (as
    first closed) is > 0, ``hitrate`` = med_provenu / afsluttede as an exact Decimal fraction
    rounded half up to 4 decimals (None when no case was closed)."""
    rows = raekker(sager, kommune)
    year = rows[rows["aar"] == aar]
    per_sag = {}
    for rec in year.to_dict("records"):
        s = per_sag.setdefault(rec["sag_id"], [rec["kanal"], NUL])
        s[1] += rec["provenu"]
    out = []
    for k in KANALER:
        sager_k = [v for v in per_sag.values() if v[0] == k]
        n, hit = len(sager_k), sum(1 for v in sager_k if v[1] > 0)
        out.append({"kanal": k, "afsluttede": n, "med_provenu": hit, "hitrate": hitrate(hit, n)})
    return pd.DataFrame(out, columns=["kanal", "afsluttede", "med_provenu", "hitrate"])


def hitrate(med_provenu: int, afsluttede: int) -> Decimal | None:
    """med_provenu / afsluttede to 4 decimals (half up); None when nothing was closed."""
    if afsluttede == 0:
        return None
    return (Decimal(med_provenu) / Decimal(afsluttede)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def paragraf11(sager: pd.DataFrame, aar: int, korrektioner: pd.DataFrame | None = None,
               kommune: int | None = None) -> pd.DataFrame:
    """"Anvendelse af § 11" as in UDK's statusopgørelse, one row: ``afsluttede`` (cases with
    paragraf11 = ja closed in ``aar``, whatever the result), ``med_provenu`` (those with provenu
    > 0), fremadrettet_besparelse ("årlig besparelse"), tilbagebetalingskrav, efterregulering,
    skat, provenu. Corrections registered in the same year are included; later ones are not."""
    rows = raekker(sager, kommune)
    year = _aarets_raekker(rows, _korrektioner(korrektioner, rows), aar)
    p = year[year["paragraf11"] == "ja"]
    per_sag = p.groupby("sag_id")["provenu"].agg(lambda s: sum(s, NUL)) if len(p) else pd.Series(dtype=object)
    out = {"afsluttede": int(p["sag_id"].nunique()), "med_provenu": int(sum(1 for v in per_sag if v > 0)),
           **{c: sum_beloeb(p[c]) for c in BELOEB}}
    return pd.DataFrame([out], columns=["afsluttede", "med_provenu", *BELOEB])


def provenu_pr_aarsvaerk(sager: pd.DataFrame, aar: int, aarsvaerk, korrektioner: pd.DataFrame | None = None,
                         kommune: int | None = None) -> pd.DataFrame:
    """Provenu per case and per årsværk in ``aar``, one row. ``aarsvaerk`` is the control team's
    staffing that year (a municipal parameter: ``parameters/kommuner/<kode>.yaml``, supplied by the
    caller). Provenu is the ``I alt`` of :func:`kategorier` (corrections row included when given).
    Columns: provenu, afsluttede_sager (distinct closed, any result), sager_med_aendring
    (distinct closed with aendret_tildeling), aarsvaerk, provenu_pr_afsluttet_sag,
    provenu_pr_sag_med_aendring, provenu_pr_aarsvaerk (each rounded half up to the øre; None
    where the denominator is 0)."""
    try:
        aarsvaerk = Decimal(str(aarsvaerk))
    except Exception:  # noqa: BLE001
        raise KontrolFejl(f"Årsværk skal være et tal, ikke '{aarsvaerk}'") from None
    if not aarsvaerk > 0:
        raise KontrolFejl(f"Årsværk skal være større end 0, ikke {aarsvaerk}")
    rows = raekker(sager, kommune)
    korr = _korrektioner(korrektioner, rows)
    k = _kategorier(rows, korr, aar, korrektioner is not None)
    provenu = k.iloc[-1]["provenu"]
    year = rows[rows["aar"] == aar]
    n_all = int(year["sag_id"].nunique())
    n_aendret = int(k.iloc[-1]["antal_sager"])

    def per(n):
        return None if n == 0 else _oere(provenu / Decimal(n))
    return pd.DataFrame([{"provenu": provenu, "afsluttede_sager": n_all, "sager_med_aendring": n_aendret,
                          "aarsvaerk": aarsvaerk, "provenu_pr_afsluttet_sag": per(n_all),
                          "provenu_pr_sag_med_aendring": per(n_aendret),
                          "provenu_pr_aarsvaerk": _oere(provenu / aarsvaerk)}])


# --------------------------------------------------------------------------- netto
def netto_raekker(rows: pd.DataFrame) -> pd.DataFrame:
    """Case rows (from :func:`raekker`) with every amount multiplied by the ydelse's nettoprocent
    in force on the day the case was closed, each component rounded half up to the øre and
    provenu their sum."""
    out = rows.copy()
    for i, rec in zip(out.index, out.to_dict("records")):
        if not rec["aendret"]:
            continue
        pct = nettoprocent(rec["ydelse"], rec["afsluttet"]) / Decimal(100)
        vals = [_oere(rec[c] * pct) for c in KOMPONENTER]
        for c, v in zip(BELOEB, vals + [sum(vals, NUL)]):
            out.at[i, c] = v
    return out


def _netto_korr(korr: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    out = korr.copy()
    afsl = {str(r["sag_id"]): r["afsluttet"] for r in rows.to_dict("records")}   # one date per case
    for i, rec in zip(out.index, out.to_dict("records")):
        pct = nettoprocent(rec["ydelse"], afsl[rec["sag_id"]]) / Decimal(100)
        vals = [_oere(rec[c] * pct) for c in KOMPONENTER]
        for c, v in zip(BELOEB, vals + [sum(vals, NUL)]):
            out.at[i, c] = v
    return out


def _som_netto(df: pd.DataFrame, amount_cols) -> pd.DataFrame:
    df = df.rename(columns={c: f"{c}_netto" for c in amount_cols})
    df.attrs["opgoerelse"] = "netto"
    return df


def kategorier_netto(sager, aar, korrektioner=None, kommune=None) -> pd.DataFrame:
    """:func:`kategorier` as netto (the municipality's share after refusion); amount columns
    are named ``*_netto``."""
    rows = raekker(sager, kommune)
    korr = _korrektioner(korrektioner, rows)
    k = _kategorier(netto_raekker(rows), _netto_korr(korr, rows), aar, korrektioner is not None)
    return _som_netto(k, BELOEB)


def ydelser_netto(sager, aar, korrektioner=None, kommune=None, kategori=None) -> pd.DataFrame:
    """:func:`ydelser` as netto; amount columns are named ``*_netto``."""
    rows = raekker(sager, kommune)
    if kategori is not None:
        rows = rows[rows["kategori"] == kategori]
    korr = _korrektioner(korrektioner, rows)
    y = _ydelser(netto_raekker(rows), _netto_korr(korr, rows), aar, korrektioner is not None)
    return _som_netto(y, [c for c in YDELSE_KOLONNER[1:] if not c.endswith("antal")])


def udvikling_netto(sager, aar, korrektioner=None, kommune=None, antal_aar=5) -> pd.DataFrame:
    """:func:`udvikling` as netto; the amount column is ``provenu_netto``."""
    rows = raekker(sager, kommune)
    korr = _korrektioner(korrektioner, rows)
    u = _udvikling(netto_raekker(rows), _netto_korr(korr, rows), aar, korrektioner is not None, antal_aar)
    return _som_netto(u, ["provenu"])


# --------------------------------------------------------------------------- writing
def _celle(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if isinstance(v, str):
        return csv_tekst(v)        # text a spreadsheet could take for a formula: a leading apostrophe
    return str(v)


def skriv_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write a table as CSV (comma, decimal point; amounts with two decimals, hit rates with four).
    Formula-like text gets a leading apostrophe; numbers, also negative ones, stay numbers."""
    out = df.copy()
    for c in out.columns:
        if c == "hitrate":
            out[c] = ["" if v is None else f"{v:.4f}" for v in out[c]]
        else:
            out[c] = [_celle(v) for v in out[c]]
    out.to_csv(path, index=False, lineterminator="\n")


def skriv_tabeller(sager: pd.DataFrame, aar: int, ud: str | Path, korrektioner: pd.DataFrame | None = None,
                   kommune: int | None = None, netto: bool = False) -> list[Path]:
    """Write kategorier.csv, ydelser.csv, udvikling.csv and kanaler.csv to ``ud`` (and, with
    ``netto``, kategorier_netto.csv, ydelser_netto.csv and udvikling_netto.csv). Returns the paths."""
    ud = Path(ud)
    ud.mkdir(parents=True, exist_ok=True)
    tabeller = {
        "kategorier": kategorier(sager, aar, korrektioner, kommune),
        "ydelser": ydelser(sager, aar, korrektioner, kommune),
        "udvikling": udvikling(sager, aar, korrektioner, kommune),
        "kanaler": kanaler(sager, aar, kommune),
    }
    if netto:
        tabeller["kategorier_netto"] = kategorier_netto(sager, aar, korrektioner, kommune)
        tabeller["ydelser_netto"] = ydelser_netto(sager, aar, korrektioner, kommune)
        tabeller["udvikling_netto"] = udvikling_netto(sager, aar, korrektioner, kommune)
    paths = []
    for navn, df in tabeller.items():
        p = ud / f"{navn}.csv"
        skriv_csv(df, p)
        paths.append(p)
    return paths
