"""Everything the report notebooks show, computed here (the notebooks hold no arithmetic).

The tables come from :mod:`kontrol_lib.maal.provenu` and :mod:`kontrol_lib.maal.benchmark`; where those
lack a table a report needs, it is composed here from their row-level functions and says so:
per kontroltrin (:func:`kontroltrin`), the kanal table's total row (:func:`kanaler`), the
registersamkøring funnel (:func:`tragt`), the netto total with the municipality's own
nettoprocent (:func:`netto_i_alt`) and the case rows behind any figure (:func:`sager_bag`).

A report's input is a :class:`Kilde`: the case rows (``kontrolsager.csv`` or the case store),
their corrections (store only), optionally the store's log and a ``benchmark.csv``. Reading a
file is cached per process (path, size, mtime), so a batch that reports on 98 municipalities
from one file reads it once per worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kontrol_lib.maal import provenu
from kontrol_lib.maal.benchmark import (
    LILLE_GRAENSE,
    VINDUE_MAANEDER,
    indlaes_benchmark,
    kode_tekst,
    sammenligning,
    vindue,
)
from kontrol_lib.parametre import hent
from kontrol_lib.parametre.kommune import KommuneParameterFejl, KommuneParametre, hent_kommune, udfyld
from kontrol_lib.rapporter.adgang import som_saetning
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.kontrolsagsfil import KOLONNER, indlaes, normaliser, raekkenumre
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import kr, maaneder_tekst, tal
from kontrol_lib.vokabular.koder import (AENDRET, BESTILT, HENLAGT_EFTER_PARTSHOERING, HENLAGT_I_VISITERING,
                                         KANAL_SAMKOERING, KANAL_TEKST, KONTROLTRIN_TEKST, LUKKEDE, PARTSHOERING, UDLOEBET,
                                         UDSTILLET, YDELSE_TEKST)
from kontrol_lib.vokabular.penge import NUL
from kontrol_lib.vokabular.tid import som_dato

TRIN_TEKST = KONTROLTRIN_TEKST
LOG_ROLLER = ("leder", "tilsyn")
"""The roles that may read the store's log of transitions (:meth:`SagsLager.log`)."""


def kanal_tekst(k: str) -> str:
    return KANAL_TEKST.get(k, k.replace("_", " ").capitalize())


def ydelse_tekst(y: str) -> str:
    return YDELSE_TEKST.get(y, y.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- the source
@dataclass
class Kilde:
    """The data one report is made from."""
    sager: pd.DataFrame                       # kontrolsager rows (all municipalities in the source)
    korrektioner: pd.DataFrame | None = None  # store only
    log: pd.DataFrame | None = None           # store only: the case transitions
    benchmark: pd.DataFrame | None = None     # benchmark.csv (national), optional
    beskrivelse: str = ""
    advarsler: list[str] = field(default_factory=list)
    landet: pd.DataFrame | None = None        # a file source's rows of every municipality (UDK's Landsplan)


@lru_cache(maxsize=8)
def _laes_sager(path: str, _size: int, _mtime: float) -> tuple[pd.DataFrame, tuple[tuple[int, str], ...]]:
    """The whole file, parsed and validated; warnings as (kommunekode, text)."""
    df, advarsler = indlaes(path)
    kommune_af_raekke = dict(zip(raekkenumre(Path(path), len(df)), df["kommunekode"]))
    return df, tuple((int(kommune_af_raekke.get(a.raekke, 0)), a.tekst()) for a in advarsler)


# A batch parses the case file once, in the parent, and leaves one small Parquet file per
# municipality in a private folder named by $KONTROL_SAGER_DELT; each worker's kernel then reads
# only its municipality's rows instead of parsing the whole file again.
DELT_MILJOE = "KONTROL_SAGER_DELT"


def _stempel(path: str, size: int, mtime: float) -> str:
    return hashlib.sha1(f"{path}|{size}|{mtime!r}".encode()).hexdigest()[:16]


def del_sager(sager: str, mappe: Path) -> Path:
    """Parse and validate ``sager`` once (raises :class:`RegisterFejl` listing every bad row) and
    write one Parquet file per municipality (text columns, exact amounts as text) plus the
    warnings, under ``mappe/<stamp>/``. Returns that folder."""
    stat = _stat(sager)
    df, adv = _laes_sager(*stat)
    ud = Path(mappe) / _stempel(*stat)
    ud.mkdir(parents=True, exist_ok=True)
    tekst = df.astype(object).map(lambda v: None if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v)))
    for kode, del_df in tekst.groupby(df["kommunekode"]):
        del_df.reset_index(drop=True).to_parquet(ud / f"{int(kode)}.parquet", index=False)
    (ud / "advarsler.json").write_text(json.dumps(adv, ensure_ascii=False), encoding="utf-8")
    return ud


def _fra_delt(sager: str, kommune: int) -> tuple[pd.DataFrame, list[str]] | None:
    mappe = os.environ.get(DELT_MILJOE)
    if not mappe:
        return None
    d = Path(mappe) / _stempel(*_stat(sager))
    if not (d / "advarsler.json").exists():
        return None
    f = d / f"{int(kommune)}.parquet"
    raw = pd.read_parquet(f) if f.exists() else pd.DataFrame({c: [] for c in KOLONNER})
    adv = [t for k, t in json.loads((d / "advarsler.json").read_text(encoding="utf-8")) if k == int(kommune)]
    return normaliser(raw), adv


@lru_cache(maxsize=4)
def _laes_benchmark(path: str, _size: int, _mtime: float) -> pd.DataFrame:
    return indlaes_benchmark(path)


def laes_benchmark(path: str) -> pd.DataFrame:
    """The benchmark file, read once per (path, size, modification time)."""
    return _laes_benchmark(*_stat(path))


def _stat(path: str) -> tuple[str, int, float]:
    p = Path(path)
    if not p.exists():
        raise KontrolFejl(f"Filen findes ikke: {path}")
    st = p.stat()
    return str(p.resolve()), st.st_size, st.st_mtime


def hent_kilde(kommune: int, sager: str = "", db: str = "", benchmark: str = "") -> Kilde:
    """The cases of ``kommune`` from a kontrolsager file (``sager``) or a case store URL (``db``),
    and the national benchmark file if given."""
    if bool(sager) == bool(db):
        raise KontrolFejl("Angiv præcis én kilde til sagerne: en kontrolsager-fil eller et sagslager (URL).")
    if sager:
        delt = _fra_delt(sager, kommune)
        delt_, landet = delt is not None, None
        if delt is not None:
            df, adv = delt
        else:
            df, alle_adv = _laes_sager(*_stat(sager))
            landet = df if df["kommunekode"].nunique() > 1 else None
            df = df[df["kommunekode"] == int(kommune)].reset_index(drop=True)
            adv = [t for k, t in alle_adv if k == int(kommune)]
        kilde = Kilde(sager=df, beskrivelse=f"kontrolsager-filen {Path(sager).name}", advarsler=adv)
        if not delt_ and landet is not None:
            kilde.landet = landet
    else:
        lager = SagsLager(db)
        try:
            with som_saetning():        # role leder or analytiker; a refusal is one Danish sentence
                sager_df, korr = lager.kontrolsager(kommune), lager.korrektioner(kommune)
                # the transitions (the funnel) are the leder's; an analytiker's report takes the
                # funnel from the benchmark file instead
                log = lager.log(kommune=kommune) if lager.mine_roller() & set(LOG_ROLLER) else None
            kilde = Kilde(sager=sager_df, korrektioner=korr, log=log, beskrivelse="sagslageret")
        finally:
            lager.luk()
    if benchmark:
        kilde.benchmark = _laes_benchmark(*_stat(benchmark))
    return kilde


# --------------------------------------------------------------------------- compositions
def _rows(kilde: Kilde) -> pd.DataFrame:
    return provenu.raekker(kilde.sager)


def kontroltrin(kilde: Kilde, aar: int) -> pd.DataFrame:
    """Per kontroltrin (composition over :func:`provenu.raekker`): afsluttede (distinct cases
    closed in ``aar``, any result), med_aendring (with aendret_tildeling), provenu (as first
    closed; corrections are in the category table), then ``I alt``."""
    rows = _rows(kilde)
    year = rows[rows["aar"] == aar]
    out = []
    for trin in sorted({int(t) for t in year["kontroltrin"]} | {2, 3}):
        r = year[year["kontroltrin"] == trin]
        out.append({"kontroltrin": TRIN_TEKST.get(trin, str(trin)), "afsluttede": int(r["sag_id"].nunique()),
                    "med_aendring": int(r.loc[r["aendret"], "sag_id"].nunique()),
                    "provenu": provenu.sum_beloeb(r["provenu"])})
    out.append({"kontroltrin": provenu.I_ALT, "afsluttede": int(year["sag_id"].nunique()),
                "med_aendring": int(year.loc[year["aendret"], "sag_id"].nunique()),
                "provenu": provenu.sum_beloeb(year["provenu"])})
    return pd.DataFrame(out)


def kanaler(kilde: Kilde, aar: int) -> pd.DataFrame:
    """:func:`provenu.kanaler` without the kanaler that had no closed case, with a Danish label
    and an ``I alt`` row (hit rate of the totals, via :func:`provenu.hitrate`)."""
    k = provenu.kanaler(kilde.sager, aar)
    k = k[k["afsluttede"] > 0].copy()
    k.insert(0, "tekst", [kanal_tekst(x) for x in k["kanal"]])
    n, hit = int(k["afsluttede"].sum()), int(k["med_provenu"].sum())
    total = pd.DataFrame([{"tekst": provenu.I_ALT, "kanal": "", "afsluttede": n, "med_provenu": hit,
                           "hitrate": provenu.hitrate(hit, n)}])
    return pd.concat([k, total], ignore_index=True)


def udvikling_bred(kilde: Kilde, aar: int, antal_aar: int = 5) -> pd.DataFrame:
    """:func:`provenu.udvikling` as a table: one row per category, one column per year."""
    u = provenu.udvikling(kilde.sager, aar, kilde.korrektioner, antal_aar=antal_aar)
    bred = u.pivot(index="kategori", columns="aar", values="provenu")
    orden = [k for k in dict.fromkeys(u["kategori"])]
    bred = bred.loc[orden].reset_index()
    bred.columns = ["kategori"] + [str(c) for c in bred.columns[1:]]
    return bred


def ydelser_over_aar(kilde: Kilde, aar: int, p: KommuneParametre, antal_aar: int = 5) -> pd.DataFrame:
    """Vesthimmerland's multi-year table: provenu per ydelse and year (the ``antal_aar`` years to
    ``aar``; as first closed, corrections not included), grouped by category in the
    municipality's order with a subtotal row per category (``sum`` True) and ``I alt``. Columns:
    kategori, tekst (the ydelse's label, or 'I alt, <kategori>'), sum, then one column per year.
    Ydelser with no provenu in any of the years are left out."""
    aarene = list(range(aar - antal_aar + 1, aar + 1))
    rows = _rows(kilde)
    rows = rows[rows["aendret"] & rows["aar"].isin(aarene)]
    orden = list(p.kategori_raekkefoelge) + [k for k in provenu.KATEGORIER if k not in p.kategori_raekkefoelge]
    ud = []
    total = {a: NUL for a in aarene}
    for kat in orden:
        del_ = rows[rows["kategori"] == kat]
        if del_.empty:
            continue
        sub = {a: NUL for a in aarene}
        for y in [y for y in dict.fromkeys(YDELSE_TEKST) if y in set(del_["ydelse"])] + \
                sorted(set(del_["ydelse"]) - set(YDELSE_TEKST)):
            r = del_[del_["ydelse"] == y]
            vaerdier = {a: provenu.sum_beloeb(r.loc[r["aar"] == a, "provenu"]) for a in aarene}
            if all(v == 0 for v in vaerdier.values()):
                continue
            ud.append({"kategori": kat, "tekst": ydelse_tekst(y), "sum": False, **{str(a): vaerdier[a] for a in aarene}})
            for a in aarene:
                sub[a] += vaerdier[a]
        ud.append({"kategori": kat, "tekst": f"I alt, {kat}", "sum": True, **{str(a): sub[a] for a in aarene}})
        for a in aarene:
            total[a] += sub[a]
    ud.append({"kategori": provenu.I_ALT, "tekst": provenu.I_ALT, "sum": True, **{str(a): total[a] for a in aarene}})
    return pd.DataFrame(ud)


def bemanding(kilde: Kilde, aar: int, p: KommuneParametre, antal_aar: int = 5) -> pd.DataFrame:
    """Vesthimmerland's staffing history: per year of the ``antal_aar`` to ``aar`` the årsværk of
    the municipality's parameters (None where not given), the year's provenu (as first closed) and
    provenu per årsværk (None without årsværk). Years before the source's first closed case are
    left out."""
    rows = _rows(kilde)
    rows = rows[rows["aendret"]]
    med_data = {d.year for d in kilde.sager["afsluttet"] if d is not None and not pd.isna(d)}
    ud = []
    for a in range(aar - antal_aar + 1, aar + 1):
        if a not in med_data:
            continue
        aarsvaerk = p.aarsvaerk if a == aar else hent_kommune(p.kommunekode, a).aarsvaerk
        pv = provenu.sum_beloeb(rows.loc[rows["aar"] == a, "provenu"])
        ud.append({"aar": str(a), "aarsvaerk": aarsvaerk, "provenu": pv,
                   "pr_aarsvaerk": None if aarsvaerk is None else (pv / aarsvaerk).quantize(provenu.OERE)})
    return pd.DataFrame(ud, columns=["aar", "aarsvaerk", "provenu", "pr_aarsvaerk"])


def udloebne(kilde: Kilde, aar: int) -> int:
    """Distinct cases closed in ``aar`` as ``udloebet`` (exposed, never processed)."""
    rows = _rows(kilde)
    year = rows[(rows["aar"] == aar) & (rows["resultat"] == "udloebet")]
    return int(year["sag_id"].nunique())


UDTAGET_STATUS = (BESTILT, PARTSHOERING, HENLAGT_I_VISITERING, HENLAGT_EFTER_PARTSHOERING, AENDRET)
"""A case that reached any of these was udtaget (ordered for visitation)."""
OPRETTET_STATUS = (PARTSHOERING, HENLAGT_EFTER_PARTSHOERING, AENDRET)
"""A case that reached any of these was oprettet as a kontrolsag (sent to partshøring)."""


@dataclass(frozen=True)
class Tragt:
    """The municipality's own registersamkøring funnel as a cohort: the cases first exposed in
    the year, each followed to where it stands now (so no share exceeds 100 %)."""
    udstillede: int
    udtagne: int
    oprettede: int
    med_provenu: int
    udloebne: int
    aabne: int
    kilde: str
    uden_for: int = 0        # the year's closed registersamkøring cases the funnel cannot follow


def tragt(kilde: Kilde, kommune: int, aar: int) -> Tragt | None:
    """udstillede → udtagne → oprettede → med provenu, and the expired, as a **cohort**.

    The cohort is the cases whose first transition to ``udstillet`` in the store's log lies in
    ``aar``; each is followed to its present state: udtaget if it ever reached bestilt or beyond,
    oprettet if it reached partshøring or beyond, med provenu if it closed with ændret tildeling
    and provenu > 0 (whenever), udløbet if it expired, åben if not yet closed. Every count is a
    subset of the step before, so no share exceeds 100 %.

    Only the store's log knows when a case was exposed and ordered; ``kontrolsager.csv`` (the
    spec's import format, also for imported history) has no such dates, so the funnel is None
    without a log, and ``uden_for`` counts the year's closed cases from the kanal
    registersamkøring that the funnel cannot follow (imported history; an imported expired case
    enters the store as ``udstillet`` → ``udloebet`` by the event ``import`` and is history too, not
    an exposure the store saw). None also when the store saw no exposure at all. ``kommune`` is kept for
    the callers' sake (the log is already the municipality's)."""
    del kommune
    if kilde.log is None:
        return None
    log = kilde.log
    # an imported expired case enters the store as udstillet → udloebet on its own dates ("import"):
    # history, not an exposure the store saw, so it is not followed (it counts in uden_for)
    importeret = log["haendelse"] == "import" if "haendelse" in log.columns else pd.Series(False, index=log.index)
    udstilling = (log["til"] == UDSTILLET) & ~importeret
    if not udstilling.any():
        return None
    rows = _rows(kilde)
    eksponerede = set(log.loc[udstilling, "sag_id"])
    log = log[log["sag_id"].isin(eksponerede)]
    aar_af = pd.Series([som_dato(d).year for d in log["dato"]], index=log.index)
    foerste = aar_af[log["til"] == UDSTILLET].groupby(log.loc[log["til"] == UDSTILLET, "sag_id"]).min()
    kohorte = set(foerste[foerste == aar].index)
    naaet = log[log["sag_id"].isin(kohorte)].groupby("sag_id")["til"].agg(set)
    udtagne = {s for s, t in naaet.items() if t & set(UDTAGET_STATUS)}
    oprettede = {s for s, t in naaet.items() if t & set(OPRETTET_STATUS)}
    udloebne = {s for s, t in naaet.items() if UDLOEBET in t}
    lukkede = {s for s, t in naaet.items() if t & set(LUKKEDE)}
    mine = rows[rows["sag_id"].isin(oprettede) & rows["aendret"]]
    per_sag = mine.groupby("sag_id")["provenu"].agg(lambda s: sum(s, NUL))
    med = {s for s, v in per_sag.items() if v > 0}
    aarets = rows[(rows["aar"] == aar) & (rows["kanal"] == KANAL_SAMKOERING)]
    uden_for = int(aarets.loc[~aarets["sag_id"].isin(eksponerede), "sag_id"].nunique())
    return Tragt(len(kohorte), len(udtagne), len(oprettede), len(med), len(udloebne), len(kohorte - lukkede),
                 "sagslagerets log", uden_for)


def tragt_tabel(t: Tragt) -> pd.DataFrame:
    """The cohort funnel as a table: trin, antal, andel of the step before (4 decimals, None on
    a zero denominator), via :func:`provenu.hitrate`; the expired and the still open as shares of
    the exposed."""
    trin = [("Udstillede af Udbetaling Danmark", t.udstillede, None),
            ("Udtaget til visitering", t.udtagne, provenu.hitrate(t.udtagne, t.udstillede)),
            ("Oprettet som kontrolsag", t.oprettede, provenu.hitrate(t.oprettede, t.udtagne)),
            ("Afsluttet med provenu", t.med_provenu, provenu.hitrate(t.med_provenu, t.oprettede)),
            ("Udløbet uden behandling", t.udloebne, provenu.hitrate(t.udloebne, t.udstillede)),
            ("Endnu ikke afsluttet", t.aabne, provenu.hitrate(t.aabne, t.udstillede))]
    return pd.DataFrame(trin, columns=["trin", "antal", "andel"])


def netto_i_alt(kilde: Kilde, aar: int, p: KommuneParametre) -> Decimal:
    """The year's provenu netto (the municipality's share after state refusion): each case row's
    components × the municipality's own nettoprocent for the ydelse (``nettoprocent`` in its
    parameter file), else the national dated one (:func:`provenu.nettoprocent`), each component
    rounded half up to the øre (as :func:`provenu.netto_raekker`). Corrections not included."""
    rows = _rows(kilde)
    year = rows[(rows["aar"] == aar) & rows["aendret"]]
    total = NUL
    for rec in year.to_dict("records"):
        pct = p.nettoprocent.get(rec["ydelse"])
        if pct is None:
            pct = provenu.nettoprocent(rec["ydelse"], rec["afsluttet"])
        for c in provenu.KOMPONENTER:
            total += (rec[c] * pct / Decimal(100)).quantize(provenu.OERE, rounding=ROUND_HALF_UP)
    return total


SAG_KOLONNER = ["sag_id", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11", "oprettet", "afsluttet",
                "resultat", "kategori", *provenu.BELOEB]


def sager_bag(kilde: Kilde, aar: int | None = None, kategori: str | None = None, ydelse: str | None = None,
              kanal: str | None = None, kontroltrin: int | None = None, kun_aendret: bool = False) -> pd.DataFrame:
    """The case rows behind a figure, with their exact amounts (no personal data: the
    kontrolsager table holds none). Filters combine; None means all."""
    rows = _rows(kilde)
    m = pd.Series(True, index=rows.index)
    if aar is not None:
        m &= rows["aar"] == aar
    if kategori is not None:
        m &= rows["kategori"] == kategori
    if ydelse is not None:
        m &= rows["ydelse"] == ydelse
    if kanal is not None:
        m &= rows["kanal"] == kanal
    if kontroltrin is not None:
        m &= rows["kontroltrin"] == int(kontroltrin)
    if kun_aendret:
        m &= rows["aendret"]
    return rows.loc[m, SAG_KOLONNER].reset_index(drop=True)


def lille(antal: int) -> bool:
    """A figure built from 1–4 cases (spec/benchmark.md, "Small numbers"): shown with a mark so
    no reader mistakes it for performance and no single citizen is singled out. 0 cases is no
    figure about anyone and is not marked."""
    return 0 < int(antal) < LILLE_GRAENSE


def med_maerke(kategorier: pd.DataFrame) -> pd.DataFrame:
    """A kategorier table with ``lille`` (bool) per row: built from 1–4 cases."""
    return kategorier.assign(lille=[lille(n) for n in kategorier["antal_sager"]])


def udvalg_tabel(r: "Rapport") -> pd.DataFrame:
    """The briefing's table: per category, cases and provenu in the year before and the year,
    with the small-number marks (``lille_forrige``, ``lille``)."""
    f = r.kategorier_forrige.set_index("kategori")
    rows = []
    for rec in r.kategorier.to_dict("records"):
        k = rec["kategori"]
        fr = f.loc[k] if k in f.index else None
        n_f = int(fr["antal_sager"]) if fr is not None else 0
        rows.append({"kategori": k, "sager_forrige": n_f, "provenu_forrige": fr["provenu"] if fr is not None else NUL,
                     "lille_forrige": lille(n_f), "sager": int(rec["antal_sager"]), "provenu": rec["provenu"],
                     "lille": lille(rec["antal_sager"])})
    return pd.DataFrame(rows)


def i_alt(rows: pd.DataFrame, kolonne: str = "provenu") -> Decimal:
    """The exact sum of an amount column of case rows (e.g. from :func:`sager_bag`)."""
    return provenu.sum_beloeb(rows[kolonne])


# --------------------------------------------------------------------------- the reports
@dataclass
class Rapport:
    """All figures of one municipality's year; each table straight from the library."""
    p: KommuneParametre
    aar: int
    kilde: Kilde
    kategorier: pd.DataFrame
    kategorier_forrige: pd.DataFrame
    udvikling: pd.DataFrame          # long: aar, kategori, provenu
    udvikling_bred: pd.DataFrame
    ydelser: pd.DataFrame
    udk_status: pd.DataFrame
    udk_landet: pd.DataFrame | None   # UDK-ydelser of every municipality in the source (None: one only)
    paragraf11: pd.DataFrame
    kanaler: pd.DataFrame
    kontroltrin: pd.DataFrame
    pr_aarsvaerk: pd.DataFrame | None
    netto: Decimal
    ydelser_over_aar: pd.DataFrame
    bemanding: pd.DataFrame
    tragt: Tragt | None
    udloebne_sager: int
    benchmark: pd.DataFrame | None   # benchmark.sammenligning, None without national data

    @property
    def provenu_i_alt(self) -> Decimal:
        return self.kategorier.iloc[-1]["provenu"]

    @property
    def aar_med_data(self) -> set[int]:
        """The years in which the source has at least one closed case (a year without is no
        "0 kr." but "–")."""
        return {d.year for d in self.kilde.sager["afsluttet"] if d is not None and not pd.isna(d)}

    @property
    def antal_sager(self) -> int:
        return int(self.kategorier.iloc[-1]["antal_sager"])

    def tekst(self, navn: str) -> str:
        """A parameter text with its placeholders filled from these figures."""
        return self.udfyld(self.p.tekster[navn])

    def udfyld(self, tekst: str) -> str:
        """Any text of the municipality's parameters with its placeholders filled from these figures.
        A figure that is not known (the årsværk of a year without ``aarsvaerk``; the year before's
        provenu when the source has no closed case from that year) is never a placeholder word or
        "0 kr.": every sentence that uses it is left out (:func:`uden_saetninger_med`)."""
        if self.p.aarsvaerk is None:
            tekst = uden_saetninger_med(tekst, "{aarsvaerk}")
        if self.aar - 1 not in self.aar_med_data:     # no closed case the year before: no "mod 0 kr."
            tekst = uden_saetninger_med(tekst, "{provenu_forrige_aar}")
        return udfyld(tekst, {
            "kommune": self.p.kommune, "aar": self.aar, "forrige_aar": self.aar - 1, "enhed": self.p.enhed,
            "udvalg": self.p.udvalg, "provenu_i_alt": kr(self.provenu_i_alt),
            "provenu_forrige_aar": kr(self.kategorier_forrige.iloc[-1]["provenu"]),
            "antal_sager": tal(self.antal_sager),
            "aarsvaerk": tal(self.p.aarsvaerk, 1) if self.p.aarsvaerk is not None else "",
            "horisont": maaneder_tekst(hent("provenu.horisont_maaneder", dt.date(self.aar, 12, 31))),
        })


# A sentence ends with . ! or ? followed by a space and a capital letter, a digit or a quote (so
# "pr. årsværk" and "fx 4.5" do not end one); a Markdown line's marker (heading, list, quote) is kept.
_SAETNINGSSLUT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\"«(])")
_LINJEMAERKE = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)*)")


def uden_saetninger_med(tekst: str, pladsholder: str) -> str:
    """``tekst`` (Markdown) without every sentence that contains ``pladsholder``. The text is read
    as items: a line that starts with a marker (heading, list item, quote) or follows a blank line
    starts one, any other line continues it (a paragraph wrapped over lines is one item). An item
    with the placeholder is joined onto one line without its sentences; an item left with no
    sentence is left out, and so is a blank line that would then double. Used when a figure is
    unknown: the report says nothing rather than "ikke oplyst" in the municipality's prose (issue 14)."""
    if pladsholder not in tekst:
        return tekst
    emner: list[list[str]] = []
    for linje in tekst.split("\n"):
        ny = not emner or not linje.strip() or not emner[-1][-1].strip() or _LINJEMAERKE.match(linje).group(1)
        if ny:
            emner.append([linje])
        else:
            emner[-1].append(linje)
    ud: list[str] = []
    for emne in emner:
        hele = " ".join(x.strip() if i else x for i, x in enumerate(emne))
        if pladsholder not in hele:
            ud.extend(emne)
            continue
        maerke = _LINJEMAERKE.match(hele).group(1)
        rest = " ".join(s for s in _SAETNINGSSLUT.split(hele[len(maerke):]) if pladsholder not in s)
        if rest.strip():
            ud.append(maerke + rest)
    # no run of blank lines where a paragraph went, and none at either end
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", "\n".join(ud)).strip("\n")


_RAPPORTER: dict[tuple, Rapport] = {}


def rapport(kommune: int, aar: int, sager: str = "", db: str = "", benchmark: str = "") -> Rapport:
    """Check the notebook's parameters and compute every figure of the report.

    From a file source the result is kept per process (keyed by the files' size and mtime and
    the parameter files'), so the briefing made right after the annual report in the same
    kernel reuses its figures. A case store is read afresh every time."""
    if isinstance(aar, bool) or not isinstance(aar, int):
        raise KontrolFejl(f"Parameteren aar skal være et heltal, fx 2024, ikke {aar!r}")
    p = hent_kommune(kommune, aar)
    noegle = None
    if sager and not db:
        filer = [sager] + ([benchmark] if benchmark else []) + list(p.filer)
        noegle = (p.kommunekode, aar, tuple(_stat(f) for f in filer))
        if noegle in _RAPPORTER:
            return _RAPPORTER[noegle]
    r = _beregn(p, aar, sager, db, benchmark)
    if noegle is not None:
        _RAPPORTER.clear()      # keep one: a batch moves on to the next municipality
        _RAPPORTER[noegle] = r
    return r


def udsnit(kilde: Kilde, fra_aar: int, til_aar: int) -> Kilde:
    """The case rows a table of the years ``fra_aar``…``til_aar`` can depend on: the cases closed
    in those years, plus every row of a case that has a correction (a correction counts in the
    year it is registered, against its case's row). The tables of :mod:`provenu` give the same
    result on this as on all rows, in a fraction of the time for a long history."""
    s = kilde.sager
    closed = pd.Series([d.year if d is not None else 0 for d in s["afsluttet"]], index=s.index)
    m = (closed >= fra_aar) & (closed <= til_aar)
    if kilde.korrektioner is not None and len(kilde.korrektioner):
        m |= s["sag_id"].astype(str).isin(set(kilde.korrektioner["sag_id"].astype(str)))
    return replace(kilde, sager=s[m].reset_index(drop=True))


def tjek_kategorier(p: KommuneParametre) -> None:
    """The category names of ``kategori_raekkefoelge`` and ``kategori_forklaringer`` must be the
    report's own (:data:`provenu.KATEGORIER`); else a Danish error naming the file and the key."""
    fil = p.filer[-1] if p.filer else "kommuneparametrene"
    kendte = ", ".join(provenu.KATEGORIER)
    fejl = [f"{fil}: perioder.{p.aar}.{noegle}: ukendt kategori '{k}' (kendte: {kendte})"
            for noegle, navne in (("kategori_raekkefoelge", p.kategori_raekkefoelge),
                                  ("kategori_forklaringer", tuple(p.kategori_forklaringer)))
            for k in navne if k not in provenu.KATEGORIER]
    if fejl:
        raise KommuneParameterFejl(fejl)


def i_kommunens_orden(df: pd.DataFrame, p: KommuneParametre) -> pd.DataFrame:
    """A per-category table (rows keyed by ``kategori``) in the municipality's own order
    (``kategori_raekkefoelge``): the named categories first, in that order, then the others as
    before; corrections and I alt stay last."""
    if not p.kategori_raekkefoelge:
        return df
    orden = {k: i for i, k in enumerate(p.kategori_raekkefoelge)}
    sidst = (provenu.KORREKTIONER, provenu.I_ALT)
    noegle = [(2, 0, i) if k in sidst else (0, orden[k], i) if k in orden else (1, 0, i)
              for i, k in enumerate(df["kategori"])]
    raekkefoelge = [i for _, _, i in sorted(noegle)]
    return df.iloc[raekkefoelge].reset_index(drop=True)


def _beregn(p: KommuneParametre, aar: int, sager: str, db: str, benchmark: str) -> Rapport:
    tjek_kategorier(p)
    alle = hent_kilde(p.kommunekode, sager=sager, db=db, benchmark=benchmark)
    kilde, forrige, fem = udsnit(alle, aar, aar), udsnit(alle, aar - 1, aar - 1), udsnit(alle, aar - 4, aar)
    k = alle.korrektioner
    rows_pr = None
    if p.aarsvaerk is not None:
        rows_pr = provenu.provenu_pr_aarsvaerk(kilde.sager, aar, p.aarsvaerk, k)
    bm = None
    if kilde.benchmark is not None and p.kommunekode in {int(x) for x in kilde.benchmark["kommunekode"]}:
        bm = sammenligning(kilde.benchmark, f"{aar}-12", p.kommunekode)
    return Rapport(
        p=p, aar=aar, kilde=alle,
        kategorier=i_kommunens_orden(provenu.kategorier(kilde.sager, aar, k), p),
        kategorier_forrige=i_kommunens_orden(provenu.kategorier(forrige.sager, aar - 1, k), p),
        udvikling=provenu.udvikling(fem.sager, aar, k),
        udvikling_bred=i_kommunens_orden(udvikling_bred(fem, aar), p),
        ydelser=provenu.ydelser(kilde.sager, aar, k),
        udk_status=provenu.ydelser(kilde.sager, aar, k, kategori="UDK-ydelser"),
        udk_landet=(None if alle.landet is None else
                    provenu.ydelser(udsnit(replace(alle, sager=alle.landet, korrektioner=None), aar, aar).sager, aar,
                                    None, kategori="UDK-ydelser")),
        paragraf11=provenu.paragraf11(kilde.sager, aar, k),
        kanaler=kanaler(kilde, aar),
        kontroltrin=kontroltrin(kilde, aar),
        pr_aarsvaerk=rows_pr,
        netto=netto_i_alt(kilde, aar, p),
        ydelser_over_aar=ydelser_over_aar(fem, aar, p),
        bemanding=bemanding(fem, aar, p),
        tragt=tragt(alle, p.kommunekode, aar),
        udloebne_sager=udloebne(kilde, aar),
        benchmark=bm,
    )
