"""Which rules pay, and are they fair (issue 17; docs/regeleffekt.md).

**Rule effect** (:func:`effekt`): for a period and a municipality, a cohort — the cases the store's
workflow exposed in the period (first transition to ``udstillet`` dated in the period, not an
import, with at least one udfald of a national rule or a local list) followed to their outcome
in the whole log, whenever it came. Per rule and per local list (a case with several rules counts
for each, and once in ``I alt``): udfald, udstillede, bestilte, partshoering, aendrede, udloebne,
provenu brutto and netto (amounts as first closed, :func:`kontrol_lib.maal.provenu.raekker` and
:func:`~kontrol_lib.maal.provenu.netto_raekker`), provenu per ordered case and the shares, with
the small-number marks of the benchmark (``lille_<mål>`` = ja when the denominator is below 5).

**Fairness** (:func:`ligebehandling`): per rule and overall, by sex and by age band (derived from
the CPR number inside :mod:`kontrol_lib.sager.regelgrundlag`; only counts reach this module), the
selection rate (exposed cases per 1,000 in the bestand, the bestand being the average over the
period's run dates of the group's size recorded at samkøring time) and the outcome rate (changed
per exposed), the ratios to the best-treated group (the shown group selected least), and the mark
``skaev`` = ja when a group is selected more than 1.25 times as often as the reference group while
its outcome ratio is below 1. A group with fewer than 5 exposed cases or fewer than 5 in the
bestand is not shown (``vist`` = nej, every figure empty); when the groups not shown add up to
1–4 exposed cases, the smallest shown group is hidden too, so the hidden ones cannot be derived
from the rule's total.

Exactness: counts are ints, money ``Decimal``; every ratio is an exact ``Fraction`` and is rounded
half up only when written (shares 4 decimals, kroner and per-1,000 figures and ratios 2); the
criterion is decided on the exact values. A zero denominator gives ``None`` (empty), never 0.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import pandas as pd

from kontrol_lib.maal.benchmark import LILLE_GRAENSE, afrund
from kontrol_lib.maal.provenu import netto_raekker, raekker
from kontrol_lib.regler import REGLER
from kontrol_lib.registre import indlaes_fil
from kontrol_lib.registre.kontrakt import Column, Table
from kontrol_lib.sager import regelgrundlag
from kontrol_lib.vokabular.celler import csv_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import AENDRET_TILDELING, BESTILT, LUKKEDE, PARTSHOERING, UDLOEBET, UDSTILLET
from kontrol_lib.vokabular.format import kr, procent, tal
from kontrol_lib.vokabular.steder import shipped_kommuner

LISTE_PRAEFIKS = "liste:"          # the regel of a local list's finding (jobs.lokale_lister.REGEL_PRAEFIKS)
I_ALT = "i_alt"
GRUPPE_GRAENSE = 5                 # a fairness group below this (exposed or bestand) is not shown
SKAEV_UDVAELGELSE = Fraction(5, 4)  # selection ratio above this ...
SKAEV_UDFALD = Fraction(1)          # ... with an outcome ratio below this: marked
KRITERIUM = ("En gruppe markeres, når den udvælges mere end 1,25 gange så ofte som den gruppe, der "
             "udvælges sjældnest (udvælgelsesforhold over 1,25), og andelen med ændret tildeling samtidig "
             "er lavere end i den gruppe (udfaldsforhold under 1). Grupper med færre end 5 udstillede sager "
             "eller færre end 5 i bestanden vises ikke.")
DIMENSIONER = {"koen": regelgrundlag.KOEN, "aldersgruppe": regelgrundlag.ALDERSGRUPPER}
DIMENSION_TITLER = {"koen": "Køn", "aldersgruppe": "Aldersgruppe"}

ANTAL = ("udfald", "udstillede", "bestilte", "partshoering", "aendrede", "udloebne")
BELOEB = ("provenu_brutto", "provenu_netto")
# measure: (numerator, denominator, decimals, factor)
MAAL = {
    "andel_bestilt": ("bestilte", "udstillede", 4),
    "andel_partshoering": ("partshoering", "bestilte", 4),
    "andel_aendret": ("aendrede", "udstillede", 4),
    "andel_aendret_af_bestilte": ("aendrede", "bestilte", 4),
    "andel_udloebet": ("udloebne", "udstillede", 4),
    "provenu_pr_bestilt": ("provenu_brutto", "bestilte", 2),
}
EFFEKT_KOLONNER = (["regel", "titel", "art"] + list(ANTAL) + list(BELOEB) + list(MAAL)
                   + [f"lille_{m}" for m in MAAL])
LIGE_KOLONNER = ["regel", "titel", "dimension", "gruppe", "vist", "udstillede", "bestand", "aendrede",
                 "udvaelgelse_pr_1000", "andel_aendret", "reference", "udvaelgelse_forhold",
                 "andel_aendret_forhold", "skaev", "tydelig"]
Z95 = 1.959963984540054          # the two-sided 95 % normal quantile
TYDELIG = ("Tydelig: markeret, og begge forskelle er større, end tilfældigheder let giver: den nedre 95 %-grænse "
           "for udvælgelsesforholdet er over 1, og den øvre 95 %-grænse for udfaldsforholdet er under 1.")


# --------------------------------------------------------------------------- rules and their titles
def titel(regel: str) -> str:
    """A rule's Danish title (national rule), 'Lokal liste: <navn>', or 'I alt'."""
    if regel == I_ALT:
        return "I alt"
    if regel.startswith(LISTE_PRAEFIKS):
        return "Lokal liste: " + regel[len(LISTE_PRAEFIKS):]
    r = REGLER.get(regel)
    return str(r.titel) if r is not None else regel


def art(regel: str) -> str:
    if regel == I_ALT:
        return "i alt"
    return "lokal liste" if regel.startswith(LISTE_PRAEFIKS) else "national regel"


def _orden(regel: str) -> tuple:
    """National rules in the catalogue's order, then local lists by name, then I alt."""
    katalog = list(REGLER)
    if regel == I_ALT:
        return (3, 0, "")
    if regel in katalog:
        return (0, katalog.index(regel), regel)
    return (1 if regel.startswith(LISTE_PRAEFIKS) else 2, 0, regel)


def er_regel(regel: str) -> bool:
    """A national rule of the catalogue or a local list (not e.g. UDK's ``trin3`` cases)."""
    return regel in REGLER or regel.startswith(LISTE_PRAEFIKS)


def _dato(v) -> dt.date | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


# --------------------------------------------------------------------------- the cohort
def kohorte(log: pd.DataFrame, udfald: pd.DataFrame, fra: dt.date, til: dt.date,
            kommune: int | None = None) -> pd.DataFrame:
    """The cases exposed in [fra, til], one row each: sag_id, kommunekode, udstillet (date),
    regler (tuple, sorted), bestilt, partshoering, aendret, udloebet (bools; whenever they came).

    ``log``: :meth:`SagsLager.log`; ``udfald``: :func:`regelgrundlag.udfald_pr_regel` (sag_id,
    regel, udfald). A case counts when its first transition goes to ``udstillet``, is not a
    kontrolsager import and is dated in the period, and it has at least one udfald of a national
    rule or a local list (:func:`er_regel`; UDK's kontroltrin 3 cases are not the municipality's rules).
    ``aendret``: its first closing is ``aendret_tildeling``."""
    cols = ["sag_id", "kommunekode", "udstillet", "regler", "bestilt", "partshoering", "aendret", "udloebet"]
    if kommune is not None:
        log = log.loc[log["kommunekode"].astype("int64") == int(kommune)]
    regler: dict[str, set] = {}
    for s, r in zip(udfald["sag_id"], udfald["regel"]):
        if er_regel(str(r)):
            regler.setdefault(str(s), set()).add(str(r))
    out = []
    for sag_id, grp in log.sort_values(["sag_id", "sekvens"]).groupby("sag_id", sort=True):
        recs = grp.to_dict("records")
        first = recs[0]
        data = first["data"] if isinstance(first["data"], dict) else {}
        d = _dato(first["dato"])
        if first["til"] != UDSTILLET or data.get("kilde") == "import" or not (fra <= d <= til):
            continue
        rs = regler.get(str(sag_id))
        if not rs:
            continue
        tils = [r["til"] for r in recs]
        lukning = next((t for t in tils if t in LUKKEDE), None)
        out.append({"sag_id": str(sag_id), "kommunekode": int(first["kommunekode"]), "udstillet": d,
                    "regler": tuple(sorted(rs)), "bestilt": BESTILT in tils, "partshoering": PARTSHOERING in tils,
                    "aendret": lukning == AENDRET_TILDELING, "udloebet": UDLOEBET in tils})
    if not out:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.DataFrame(out, columns=cols)


def _provenu_pr_sag(kontrolsager: pd.DataFrame, sag_ids: set[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """sag_id → (brutto, netto) of a case closed with aendret_tildeling, amounts as first closed."""
    if kontrolsager is None or len(kontrolsager) == 0 or not sag_ids:
        return {}
    ks = kontrolsager.loc[kontrolsager["sag_id"].astype(str).isin(sag_ids)]
    if len(ks) == 0:
        return {}
    rows = raekker(ks)
    netto = netto_raekker(rows)
    out: dict[str, list] = {}
    for s, a, b, n in zip(rows["sag_id"], rows["aendret"], rows["provenu"], netto["provenu"]):
        if not a:
            continue
        v = out.setdefault(str(s), [Decimal("0.00"), Decimal("0.00")])
        v[0] += b
        v[1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


# --------------------------------------------------------------------------- measures
def _maal(s: dict) -> dict:
    out = {}
    for navn, (t, n, dec) in MAAL.items():
        naevner = int(s[n])
        out[navn] = None if naevner == 0 else afrund(Fraction(s[t]) / naevner, dec)
        out[f"lille_{navn}"] = "ja" if naevner < LILLE_GRAENSE else "nej"
    return out


def _tom_sum() -> dict:
    return {**{c: 0 for c in ANTAL}, **{c: Decimal("0.00") for c in BELOEB}}


def effekt_fra_data(log: pd.DataFrame, udfald: pd.DataFrame, kontrolsager: pd.DataFrame, fra: dt.date,
                    til: dt.date, kommune: int | None = None) -> pd.DataFrame:
    """Per rule and local list, then ``I alt`` (each case once): :data:`EFFEKT_KOLONNER` (pure
    function; see the module doc). ``udfald`` in a rule's row counts the udfald of that rule on
    the cohort's cases; in ``I alt`` all of them."""
    k = kohorte(log, udfald, fra, til, kommune)
    ids = set(k["sag_id"])
    penge = _provenu_pr_sag(kontrolsager, ids)
    antal_udfald = {(str(s), str(r)): int(n) for s, r, n in zip(udfald["sag_id"], udfald["regel"], udfald["udfald"])}
    summer: dict[str, dict] = {I_ALT: _tom_sum()}
    for rec in k.to_dict("records"):
        b, n = penge.get(rec["sag_id"], (Decimal("0.00"), Decimal("0.00")))
        for regel in (*rec["regler"], I_ALT):
            s = summer.setdefault(regel, _tom_sum())
            s["udfald"] += (sum(antal_udfald.get((rec["sag_id"], r), 0) for r in rec["regler"]) if regel == I_ALT
                            else antal_udfald.get((rec["sag_id"], regel), 0))
            s["udstillede"] += 1
            s["bestilte"] += int(rec["bestilt"])
            s["partshoering"] += int(rec["partshoering"])
            s["aendrede"] += int(rec["aendret"])
            s["udloebne"] += int(rec["udloebet"])
            s["provenu_brutto"] += b
            s["provenu_netto"] += n
    rows = [{"regel": r, "titel": titel(r), "art": art(r), **s, **_maal(s)}
            for r, s in sorted(summer.items(), key=lambda x: _orden(x[0]))]
    df = pd.DataFrame(rows, columns=EFFEKT_KOLONNER)
    for c in ANTAL:
        df[c] = df[c].astype("int64")
    for c in list(BELOEB) + list(MAAL):
        df[c] = pd.Series(list(df[c]), dtype=object)
    df.attrs.update({"fra": fra, "til": til, "kommune": kommune, "antal_sager": len(k)})
    return df


# --------------------------------------------------------------------------- fairness
def gennemsnitlig_bestand(bestand: pd.DataFrame, fra: dt.date, til: dt.date,
                          kommune: int | None = None) -> dict[tuple[str, str], Fraction]:
    """(dimension, gruppe) → the average over the run dates in [fra, til] (those recorded for the
    municipality) of the group's bestand; a run date without the group counts 0."""
    b = bestand
    if kommune is not None and len(b):
        b = b.loc[b["kommunekode"].astype("int64") == int(kommune)]
    b = b.loc[[fra <= _dato(d) <= til for d in b["koersdato"]]] if len(b) else b
    datoer = {_dato(d) for d in b["koersdato"]} if len(b) else set()
    if not datoer:
        return {}
    out: dict[tuple[str, str], Fraction] = {}
    for kn, ag, n in zip(b["koen"], b["aldersgruppe"], b["antal"]):
        out[("koen", kn)] = out.get(("koen", kn), Fraction(0)) + int(n)
        out[("aldersgruppe", ag)] = out.get(("aldersgruppe", ag), Fraction(0)) + int(n)
    return {k: v / len(datoer) for k, v in out.items()}


def tydelig(u_g: int, b_g: Fraction, a_g: int, u_r: int, b_r: Fraction, a_r: int) -> bool:
    """Whether both differences of a marked group are clear at 95 % (a screening aid beside the
    criterion, in floating point): the selection rate ratio's lower bound above 1 (Poisson counts,
    log method: SE = √(1/u_g + 1/u_r)) and the outcome risk ratio's upper bound below 1 (Katz log
    method, 0.5 added to both changed counts when either is 0)."""
    if min(u_g, u_r) == 0 or b_g == 0 or b_r == 0:
        return False
    sel = math.log((u_g / float(b_g)) / (u_r / float(b_r)))
    if sel - Z95 * math.sqrt(1 / u_g + 1 / u_r) <= 0:
        return False
    ag, ar = (a_g + 0.5, a_r + 0.5) if 0 in (a_g, a_r) else (a_g, a_r)
    ug, ur = (u_g + 1, u_r + 1) if 0 in (a_g, a_r) else (u_g, u_r)
    ud = math.log((ag / ug) / (ar / ur))
    return ud + Z95 * math.sqrt(max(0.0, 1 / ag - 1 / ug + 1 / ar - 1 / ur)) < 0


def _skjul(grupper: list[dict]) -> None:
    """Mark groups not shown (``vist``): fewer than 5 exposed or in the bestand; then, while the
    hidden groups add up to 1–4 exposed cases, also hide the smallest shown group."""
    for g in grupper:
        g["vist"] = g["udstillede"] >= GRUPPE_GRAENSE and g["bestand"] >= GRUPPE_GRAENSE
    while True:
        skjult = sum(g["udstillede"] for g in grupper if not g["vist"])
        viste = [g for g in grupper if g["vist"]]
        if not (0 < skjult < GRUPPE_GRAENSE) or not viste:
            return
        min(viste, key=lambda g: (g["udstillede"], g["orden"]))["vist"] = False


def ligebehandling_fra_data(kohorte_grupper: pd.DataFrame, bestand: pd.DataFrame, fra: dt.date, til: dt.date,
                            kommune: int | None = None) -> pd.DataFrame:
    """Per rule (and ``I alt``), dimension (koen, aldersgruppe) and group: :data:`LIGE_KOLONNER`.

    ``kohorte_grupper``: :func:`kohorte` joined with :func:`regelgrundlag.sagernes_grupper`
    (columns regler, aendret, koen, aldersgruppe); ``bestand``: the recorded bestandsgrupper
    (koersdato, kommunekode, koen, aldersgruppe, antal). Groups 'ukendt' are never shown but
    count when deciding what must be hidden."""
    gns = gennemsnitlig_bestand(bestand, fra, til, kommune)
    taelling: dict[tuple, list[int]] = {}
    regler = set()
    for rec in kohorte_grupper.to_dict("records"):
        for regel in (*rec["regler"], I_ALT):
            regler.add(regel)
            for dim in DIMENSIONER:
                c = taelling.setdefault((regel, dim, rec[dim]), [0, 0])
                c[0] += 1
                c[1] += int(rec["aendret"])
    rows = []
    for regel in sorted(regler | {I_ALT}, key=_orden):
        for dim, navne in DIMENSIONER.items():
            alle = list(navne) + [regelgrundlag.UKENDT]
            grupper = []
            for i, g in enumerate(alle):
                u, a = taelling.get((regel, dim, g), [0, 0])
                grupper.append({"gruppe": g, "orden": i, "udstillede": u, "aendrede": a,
                                "bestand": gns.get((dim, g), Fraction(0))})
            _skjul(grupper)
            for g in grupper:
                if g["gruppe"] == regelgrundlag.UKENDT:
                    g["vist"] = False
                g["udv"] = Fraction(g["udstillede"] * 1000) / g["bestand"] if g["vist"] else None
                g["ud"] = Fraction(g["aendrede"], g["udstillede"]) if g["vist"] else None
            viste = [g for g in grupper if g["vist"]]
            ref = min(viste, key=lambda g: (g["udv"], g["orden"])) if viste else None
            for g in grupper[:len(navne)]:
                row = {"regel": regel, "titel": titel(regel), "dimension": dim, "gruppe": g["gruppe"],
                       "vist": "ja" if g["vist"] else "nej"}
                if not g["vist"]:
                    row.update({c: None for c in LIGE_KOLONNER[5:]})
                    row["skaev"] = row["tydelig"] = None
                    rows.append(row)
                    continue
                udv_f = g["udv"] / ref["udv"] if ref["udv"] else None
                ud_f = g["ud"] / ref["ud"] if ref["ud"] else None
                skaev = (udv_f is not None and udv_f > SKAEV_UDVAELGELSE and ud_f is not None and ud_f < SKAEV_UDFALD)
                row.update({"udstillede": g["udstillede"], "bestand": afrund(g["bestand"], 2),
                            "aendrede": g["aendrede"], "udvaelgelse_pr_1000": afrund(g["udv"], 2),
                            "andel_aendret": afrund(g["ud"], 4), "reference": "ja" if g is ref else "nej",
                            "udvaelgelse_forhold": None if udv_f is None else afrund(udv_f, 2),
                            "andel_aendret_forhold": None if ud_f is None else afrund(ud_f, 2),
                            "skaev": "ja" if skaev else "nej",
                            "tydelig": "ja" if skaev and tydelig(g["udstillede"], g["bestand"], g["aendrede"],
                                                                 ref["udstillede"], ref["bestand"], ref["aendrede"])
                            else "nej"})
                rows.append(row)
    df = pd.DataFrame(rows, columns=LIGE_KOLONNER)
    for c in LIGE_KOLONNER[5:]:
        df[c] = pd.Series(list(df[c]), dtype=object)
    df.attrs.update({"fra": fra, "til": til, "kommune": kommune, "kriterium": KRITERIUM})
    return df


def skaeve(lige: pd.DataFrame) -> pd.DataFrame:
    """The marked rows (a group selected markedly more often without a higher outcome rate)."""
    return lige.loc[lige["skaev"] == "ja"].reset_index(drop=True)


# --------------------------------------------------------------------------- from the store
def _periode(aar: int | None, fra: dt.date | None, til: dt.date | None) -> tuple[dt.date, dt.date]:
    if aar is not None:
        if fra is not None or til is not None:
            raise KontrolFejl("Angiv enten et år eller en periode (fra og til), ikke begge.")
        return dt.date(int(aar), 1, 1), dt.date(int(aar), 12, 31)
    if fra is None or til is None:
        raise KontrolFejl("Angiv et år eller en periode med både fra- og til-dato.")
    if fra > til:
        raise KontrolFejl(f"Perioden begynder {fra.isoformat()} efter den slutter {til.isoformat()}.")
    return fra, til


def _kommune(lager, kommune: int | None, bruger) -> int:
    if kommune is not None:
        return int(kommune)
    koder = sorted({int(x) for x in lager.sager(bruger=bruger)["kommunekode"]})
    if len(koder) != 1:
        raise KontrolFejl("Sagslageret har sager fra " + (", ".join(f"{k:03d}" for k in koder) or "ingen kommuner")
                          + "; angiv kommunen.")
    return koder[0]


class Regeleffekt:
    """Everything the report and the export need for one municipality and period, read once
    from the store (role leder or tilsyn): ``effekt``, ``ligebehandling``, ``skaeve`` and the
    period. No CPR number is held here."""

    def __init__(self, lager, aar: int | None = None, kommune: int | None = None, fra: dt.date | None = None,
                 til: dt.date | None = None, bruger: str | None = None, alle: bool = False):
        self.fra, self.til = _periode(aar, fra, til)
        # alle: every municipality in the store as one (a national store, e.g. the simulation's)
        self.kommune = None if alle else _kommune(lager, kommune, bruger)
        log = lager.log(kommune=self.kommune, bruger=bruger)
        udfald = regelgrundlag.udfald_pr_regel(lager, self.kommune, bruger=bruger)
        ks = lager.kontrolsager(self.kommune, bruger=bruger)
        self.effekt = effekt_fra_data(log, udfald, ks, self.fra, self.til, self.kommune)
        k = kohorte(log, udfald, self.fra, self.til, self.kommune)
        grp = regelgrundlag.sagernes_grupper(lager, self.kommune, sag_ids=set(k["sag_id"]), bruger=bruger)
        kg = k.merge(grp[["sag_id", "koen", "aldersgruppe"]], on="sag_id", how="left")
        kg[["koen", "aldersgruppe"]] = kg[["koen", "aldersgruppe"]].fillna(regelgrundlag.UKENDT)
        self.bestand = regelgrundlag.bestandsgrupper(lager, self.kommune, self.fra, self.til, bruger=bruger)
        self.ligebehandling = ligebehandling_fra_data(kg, self.bestand, self.fra, self.til, self.kommune)
        self.skaeve = skaeve(self.ligebehandling)
        self.koersdatoer = len({_dato(d) for d in self.bestand["koersdato"]}) if len(self.bestand) else 0


def regeleffekt(lager, aar: int | None = None, kommune: int | None = None, fra: dt.date | None = None,
                til: dt.date | None = None, bruger: str | None = None, alle: bool = False) -> Regeleffekt:
    """:class:`Regeleffekt` for a year (``aar``) or a period (``fra``, ``til``); ``alle``: every
    municipality of the store as one (the bestand summed over them on each run date)."""
    return Regeleffekt(lager, aar, kommune, fra, til, bruger, alle)


def rangordn(effekt: pd.DataFrame) -> pd.DataFrame:
    """The effect rows with ``rang`` by provenu per ordered case (1 = highest; ties share the best
    rank; a figure on fewer than 5 ordered cases, and I alt, get no rank), ranked rows first."""
    rows = effekt.to_dict("records")
    vaerdier = [r["provenu_pr_bestilt"] for r in rows if r["regel"] != I_ALT
                and r["provenu_pr_bestilt"] is not None and r["lille_provenu_pr_bestilt"] == "nej"]
    for r in rows:
        v = r["provenu_pr_bestilt"]
        r["rang"] = (None if r["regel"] == I_ALT or v is None or r["lille_provenu_pr_bestilt"] == "ja"
                     else 1 + sum(1 for x in vaerdier if x > v))
    rows.sort(key=lambda r: (r["regel"] == I_ALT, r["rang"] is None, r["rang"] or 0, _orden(r["regel"])))
    df = pd.DataFrame(rows, columns=["rang"] + [c for c in effekt.columns if c != "rang"])
    df["rang"] = df["rang"].astype("Int64")
    for c in df.columns:
        if c in list(BELOEB) + list(MAAL):
            df[c] = pd.Series(list(df[c]), dtype=object)
    return df


# --------------------------------------------------------------------------- three sentences
def _gruppe_tekst(dim: str, g: str) -> str:
    return {"kvinde": "kvinder", "mand": "mænd"}.get(g, g) if dim == "koen" else f"aldersgruppen {g} år"


def sammenfatning(effekt: pd.DataFrame, lige: pd.DataFrame) -> list[str]:
    """Three Danish sentences for the annual report: which rule pays best per ordered case (among
    rules whose figure rests on 5 or more ordered cases), how much of the exposure expired
    unprocessed, and the fairness finding (the marked rules and groups, or none). A period in which
    no case was exposed gets one sentence saying so."""
    i_alt = effekt.loc[effekt["regel"] == I_ALT].iloc[0]
    if i_alt["udstillede"] == 0:        # nothing to say about payoff or fairness: one sentence, no "0 sager"
        return ["Ingen sager blev udstillet af reglerne og listerne i perioden, så der er hverken regeleffekt "
                "eller ligebehandling at vurdere."]
    regler = effekt.loc[(effekt["regel"] != I_ALT) & (effekt["lille_provenu_pr_bestilt"] == "nej")]
    if len(regler) == 0:
        s1 = (f"{tal(i_alt['udstillede'])} sager blev udstillet af reglerne og listerne; ingen regel har 5 eller "
              "flere bestilte sager, så der kan ikke peges på en regel, der betaler sig bedst.")
    else:
        top = regler.sort_values(["provenu_pr_bestilt", "regel"], ascending=[False, True], kind="stable").iloc[0]
        blandt = ("som den eneste regel eller liste med mindst 5 bestilte sager" if len(regler) == 1 else
                  f"af de {len(regler)} regler og lister med mindst 5 bestilte sager")
        s1 = (f"{top['titel']} gav mest provenu pr. bestilt sag ({kr(top['provenu_pr_bestilt'])}) {blandt}, og i alt endte "
              f"{tal(i_alt['aendrede'])} af {tal(i_alt['udstillede'])} udstillede sager med ændret tildeling.")
    s2 = (f"{tal(i_alt['udloebne'])} udstillede sager ({procent(i_alt['andel_udloebet'])}) udløb ubehandlet, "
          f"og provenuet fra de udstillede sager var {kr(i_alt['provenu_brutto'])} brutto.")
    sk = skaeve(lige)
    kriterium = "(kriterium: udvælgelsesforhold over 1,25 og udfaldsforhold under 1)"
    ty = sk.loc[(sk["tydelig"] == "ja") & (sk["regel"] != I_ALT)]
    if len(sk) == 0:
        s3 = ("Ingen regel udvalgte et køn eller en aldersgruppe markant oftere uden en højere andel med ændret "
              f"tildeling {kriterium}.")
    elif len(ty) == 0:
        s3 = (f"{len(sk)} grupper opfylder kriteriet for skæv udvælgelse {kriterium}, men ingen af forskellene er "
              "større, end tilfældigheder let giver; se rapporten om regeleffekt.")
    else:
        dele = [f"{r['titel']} ({_gruppe_tekst(r['dimension'], r['gruppe'])}, "
                f"{tal(r['udvaelgelse_forhold'], 2)} gange så ofte, udfaldsforhold {tal(r['andel_aendret_forhold'], 2)})"
                for r in ty.to_dict("records")]
        oevrige = len(sk) - len(ty)
        s3 = ("Ligebehandling: " + "; ".join(dele) + " – udvælges tydeligt oftere uden en højere andel med ændret "
              f"tildeling og bør gennemgås {kriterium}"
              + (f"; {oevrige} andre markeringer kan skyldes tilfældigheder." if oevrige else "."))
    return [s1, s2, s3]


# --------------------------------------------------------------------------- export and national pooling
EKSPORT_KOLONNER = (["kommunekode", "fra", "til", "regel", "titel", "art"] + list(ANTAL) + list(BELOEB)
                    + list(MAAL) + [f"lille_{m}" for m in MAAL] + ["skaev_koen", "skaev_alder"])
SKAEV_VAERDIER = ("tydelig", "ja", "nej", "")


def _count(name: str, description: str) -> Column:
    return Column(name, "int", description, domain=(0, 10**9))


EKSPORT_TABEL = Table(
    "regeleffekt",
    "Regeleffekt: én række pr. kommune og regel eller lokal liste (kontrol regeleffekt-eksport)",
    (
        Column("kommunekode", "kommune", "Kommunekode"),
        Column("fra", "date", "Periodens første dag"),
        Column("til", "date", "Periodens sidste dag"),
        Column("regel", "text", "Regel-id, liste:<navn> eller i_alt"),
        Column("titel", "text", "Regelens titel"),
        Column("art", "text", "national regel, lokal liste eller i alt"),
        _count("udfald", "Udfald af reglen på kohortens sager"),
        _count("udstillede", "Sager udstillet i perioden med et udfald af reglen"),
        _count("bestilte", "Heraf bestilt (udtaget til visitering)"),
        _count("partshoering", "Heraf sendt i partshøring"),
        _count("aendrede", "Heraf afsluttet med ændret tildeling"),
        _count("udloebne", "Heraf udløbet ubehandlet"),
        Column("provenu_brutto", "amount", "Provenu brutto i kr."),
        Column("provenu_netto", "amount", "Provenu netto (kommunens andel) i kr."),
        *[Column(m, "text", f"{t} / {n}", optional=True) for m, (t, n, _) in MAAL.items()],
        *[Column(f"lille_{m}", "code", "ja: nævneren er under 5", domain=("ja", "nej")) for m in MAAL],
        Column("skaev_koen", "code", "ja: et køn udvælges markant oftere uden højere udfald (tydelig: og "
               "forskellene er større, end tilfældigheder let giver)", domain=SKAEV_VAERDIER, optional=True),
        Column("skaev_alder", "code", "ja/tydelig: som skaev_koen for en aldersgruppe", domain=SKAEV_VAERDIER,
               optional=True),
    ),
    key=("kommunekode", "regel"),
)


def eksport(r: Regeleffekt) -> pd.DataFrame:
    """The municipality's per-rule figures for pooling (:data:`EKSPORT_KOLONNER`): counts, money,
    shares and small-number marks of :func:`effekt_fra_data`, plus whether the rule has a marked
    group by sex or age (empty for I alt). No CPR number, no group counts."""
    df = r.effekt.copy()
    df.insert(0, "kommunekode", r.kommune)
    df.insert(1, "fra", r.fra)
    df.insert(2, "til", r.til)
    sk = r.skaeve

    def vaerdi(regel: str, dim: str) -> str:
        m = sk.loc[(sk["regel"] == regel) & (sk["dimension"] == dim)]
        return "nej" if len(m) == 0 else ("tydelig" if (m["tydelig"] == "ja").any() else "ja")
    df["skaev_koen"] = [vaerdi(g, "koen") for g in df["regel"]]
    df["skaev_alder"] = [vaerdi(g, "aldersgruppe") for g in df["regel"]]
    return df[EKSPORT_KOLONNER]


def _celle(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return csv_tekst(v)
    return str(v)


def skriv_csv(df: pd.DataFrame, ud: str | Path) -> Path:
    """UTF-8, comma, decimal point, empty cell for no value (like benchmark.csv)."""
    ud = Path(ud)
    ud.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for c in out.columns:
        out[c] = [_celle(v) for v in out[c]]
    if "kommunekode" in out.columns:
        out["kommunekode"] = [f"{int(x):03d}" if x != "" else "" for x in out["kommunekode"]]
    out.to_csv(ud, index=False, lineterminator="\n")
    return ud


def indlaes_eksport(path: str | Path) -> pd.DataFrame:
    """Read one municipality's ``regeleffekt-eksport`` file; every bad row is reported (file,
    row, column, value) as :class:`RegisterFejl`."""
    con = duckdb.connect()
    try:
        df = indlaes_fil(Path(path), EKSPORT_TABEL, con)
    finally:
        con.close()
    out = pd.DataFrame({"kommunekode": [int(x) for x in df["kommunekode"]],
                        "regel": [str(x) for x in df["regel"]], "titel": [str(x) for x in df["titel"]],
                        "art": [str(x) for x in df["art"]],
                        "fra": [_dato(x) for x in df["fra"]], "til": [_dato(x) for x in df["til"]]})
    for c in ANTAL:
        out[c] = [int(x) for x in df[c]]
    for c in BELOEB:
        out[c] = pd.Series([Decimal(str(x)) for x in df[c]], dtype=object)
    for c in ("skaev_koen", "skaev_alder"):
        out[c] = ["" if x is None or (isinstance(x, float) and x != x) else str(x) for x in df[c]]
    return out


NATIONAL_KOLONNER = (["rang", "regel", "titel", "art", "antal_kommuner"] + list(ANTAL) + list(BELOEB) + list(MAAL)
                     + [f"lille_{m}" for m in MAAL] + ["kommuner_skaev_koen", "kommuner_skaev_alder",
                                                        "kommuner_tydelig_koen", "kommuner_tydelig_alder"])


def national(filer: list[str | Path]) -> pd.DataFrame:
    """Pool many municipalities' export files: per rule the sums over the municipalities, the
    measures computed from those sums, and ``rang`` by provenu per ordered case (1 = highest;
    ties share the best rank; a measure on fewer than 5 ordered cases gets no rank); then
    ``I alt`` (the sum of the municipalities' I alt rows). A municipality given twice is an error."""
    if not filer:
        raise KontrolFejl("Angiv mindst én fil fra regeleffekt-eksport (--data FIL ...).")
    dele = []
    set_kommuner: dict[int, str] = {}
    for f in filer:
        d = indlaes_eksport(f)
        for k in sorted(set(d["kommunekode"])):
            if k in set_kommuner:
                raise KontrolFejl(f"Kommune {k:03d} findes både i {set_kommuner[k]} og i {Path(f).name}.")
            set_kommuner[k] = Path(f).name
        dele.append(d)
    alle = pd.concat(dele, ignore_index=True)
    rows = []
    for regel, g in alle.groupby("regel", sort=False):
        s = {c: int(sum(g[c])) for c in ANTAL}
        s.update({c: sum(g[c], Decimal("0.00")) for c in BELOEB})
        rows.append({"regel": regel, "titel": titel(regel) if regel in REGLER or regel == I_ALT else g["titel"].iloc[0],
                     "art": art(regel), "antal_kommuner": int(g["kommunekode"].nunique()), **s, **_maal(s),
                     "kommuner_skaev_koen": int(g["skaev_koen"].isin(("ja", "tydelig")).sum()),
                     "kommuner_skaev_alder": int(g["skaev_alder"].isin(("ja", "tydelig")).sum()),
                     "kommuner_tydelig_koen": int((g["skaev_koen"] == "tydelig").sum()),
                     "kommuner_tydelig_alder": int((g["skaev_alder"] == "tydelig").sum())})
    df = rangordn(pd.DataFrame(rows))[NATIONAL_KOLONNER]
    df.attrs["kommuner"] = sorted(set_kommuner)
    return df


def kommunenavn(kode: int) -> str:
    k = shipped_kommuner()
    hit = k.loc[k["kommunekode"].astype(int) == int(kode), "kommunenavn"]
    return str(hit.iloc[0]) if len(hit) else f"{int(kode):03d}"
