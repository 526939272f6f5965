"""Every figure of the benchmark report (``notebooks/benchmark.ipynb``); the notebook holds no arithmetic.

All measures come from :mod:`kontrol_lib.maal.benchmark` (:func:`~kontrol_lib.maal.benchmark.vindue`,
:func:`~kontrol_lib.maal.benchmark.sammenligning`, :func:`~kontrol_lib.maal.benchmark.udvikling`); this
module only reshapes them into the report's tables and chart data (thin compositions) and, with a
case store, reconciles the municipality's own counts in the file with the store's log through the
benchmark module's own export (:func:`~kontrol_lib.maal.benchmark.eksport_fra_log`).

Nothing here identifies a citizen: the benchmark file holds counts per municipality and month, and
the reconciliation reads the log only to count cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from kontrol_lib.maal import benchmark as bm
from kontrol_lib.parametre.kommune import KommuneParametre, hent_kommune
from kontrol_lib.rapporter import indhold as ind
from kontrol_lib.rapporter.adgang import som_saetning
from kontrol_lib.sager import SagsLager
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import MAANEDER
from kontrol_lib.vokabular.koder import YDELSESOMRAADE_TEKST

GRUPPE_TEKST = {"region": "Øvrige kommuner i regionen", "stoerrelse": "Kommuner af samme størrelse",
                "landet": "Hele landet"}
# The funnel: step, count column, measure (share of the step before) and the text of "before".
TRAGT_TRIN = (
    ("Udstillet af Udbetaling Danmark", "udstillede", None),
    ("Udtaget til visitering", "udtagne", "andel_udtaget"),
    ("Oprettet som kontrolsag", "oprettede", "andel_oprettet"),
    ("Afsluttet med provenu", "med_provenu", "andel_med_provenu"),
    ("Udløbet uden behandling", "udloebne", "andel_udloebet"),
)
ANTAL_AFSTEMT = ("udstillede", "udtagne", "oprettede", "med_stop", "med_krav", "med_provenu", "udloebne")
ANTAL_TEKST = {"udstillede": "Udstillede", "udtagne": "Udtagne", "oprettede": "Oprettede", "med_stop": "Med stop",
               "med_krav": "Med krav", "med_provenu": "Med provenu", "udloebne": "Udløbne", "provenu": "Provenu (kr.)"}


def _lille(v) -> bool:
    return v == "ja"


def standard_maaned(aar: int, maaned: str = "") -> str:
    """The report month: ``maaned`` ('YYYY-MM', checked) or December of ``aar``. A month outside
    ``aar`` is an error (the report is filed under its year)."""
    if not maaned:
        return f"{int(aar):04d}-12"
    if not isinstance(maaned, str) or not re.fullmatch(r"\d{4}-\d{2}", maaned) or not 1 <= int(maaned[5:]) <= 12:
        raise KontrolFejl(f"Måneden skal skrives ÅÅÅÅ-MM, fx 2024-06, ikke {maaned!r}.")
    if int(maaned[:4]) != int(aar):
        raise KontrolFejl(f"Måneden {maaned} ligger ikke i rapportåret {aar}.")
    return maaned


def maaned_tekst(maaned: str) -> str:
    """'2024-04' → 'april 2024'."""
    return f"{MAANEDER[int(maaned[5:]) - 1]} {maaned[:4]}"


KORTE_MAANEDER = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def maaned_kort(maaned: str) -> str:
    """'2024-04' → 'apr. 2024' (the trend chart's axis labels)."""
    return f"{KORTE_MAANEDER[int(maaned[5:]) - 1]} {maaned[:4]}"


def hele_vinduer(udv: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The windows of :func:`benchmark.udvikling` whose 12 months all lie within the benchmark
    file's months (a window reaching back before the file's first month sums fewer months and
    would read as growth)."""
    foerste = bm.maaned_nr(min(str(m) for m in df["maaned"]))
    hele = [bm.maaned_nr(str(m)) - bm.VINDUE_MAANEDER + 1 >= foerste for m in udv["maaned"]]
    return udv[hele].reset_index(drop=True)


def over_100(df: pd.DataFrame, kolonner) -> bool:
    """Whether any share in ``kolonner`` exceeds 100 % (STAR's window arithmetic allows it)."""
    return any(v is not None and not pd.isna(v) and v > 1 for k in kolonner if k in df.columns for v in df[k])


OVER_100_NOTE = ("En andel over 100 % er ikke en fejl: tællingerne er summer over vinduets måneder, og en sag kan "
                 "være udstillet før vinduet og udtaget eller oprettet i det (STAR's opgørelse).")


def vindue_tekst(maaned: str) -> str:
    """The window in words: '12 måneder fra maj 2023 til april 2024'."""
    start = bm.maaned_tekst(bm.maaned_nr(maaned) - bm.VINDUE_MAANEDER + 1)
    return f"{bm.VINDUE_MAANEDER} måneder fra {maaned_tekst(start)} til {maaned_tekst(maaned)}"


# --------------------------------------------------------------------------- tables
def tragt_sammenligning(sml: pd.DataFrame, kommunenavn: str) -> pd.DataFrame:
    """The funnel of the municipality beside its peers and the country (from
    :func:`benchmark.sammenligning`): one row per step with the municipality's count, and each
    group's share of the step before (``andel_<gruppe>``) with its small-number flag
    (``lille_<gruppe>``). Udløbet is a share of the udstillede."""
    g = {r["gruppe"]: r for r in sml.to_dict("records")}
    rows = []
    for tekst, antal, maal in TRAGT_TRIN:
        row = {"trin": tekst, "antal": int(g["kommune"][antal])}
        for gruppe in ("kommune", "region", "stoerrelse", "landet"):
            row[f"andel_{gruppe}"] = g[gruppe][maal] if maal else None
            row[f"lille_{gruppe}"] = _lille(g[gruppe][f"lille_{maal}"]) if maal else False
        rows.append(row)
    return pd.DataFrame(rows)


def grupper(sml: pd.DataFrame, kommunenavn: str) -> pd.DataFrame:
    """The four rows of :func:`benchmark.sammenligning` with a Danish name, the number of
    municipalities in the group and the small-number flags as booleans."""
    out = sml.copy()
    out.insert(0, "navn", [kommunenavn if g == "kommune" else GRUPPE_TEKST[g] for g in sml["gruppe"]])
    for m in bm.MAAL_NAVNE:
        out[f"lille_{m}"] = [_lille(x) for x in sml[f"lille_{m}"]]
    return out


def rangtabel(v: pd.DataFrame, kommune: int, maal: str = "andel_med_provenu") -> pd.DataFrame:
    """The municipalities of :func:`benchmark.vindue` (no national row) ordered by their rank on
    ``maal`` (1 = highest; unranked — empty or small-number — last, by kommunekode), with
    ``egen`` marking the municipality and the small-number flags as booleans."""
    k = v[v["kommunekode"] != bm.LAND_KODE].copy()
    k["_r"] = [int(x) if not pd.isna(x) else 10**6 for x in k[f"rang_{maal}"]]
    k = k.sort_values(["_r", "kommunekode"], kind="stable").drop(columns="_r").reset_index(drop=True)
    k["rang"] = pd.Series([None if pd.isna(x) else int(x) for x in k[f"rang_{maal}"]], dtype=object)
    k["egen"] = k["kommunekode"] == bm.kode_tekst(kommune)
    for m in bm.MAAL_NAVNE:
        k[f"lille_{m}"] = [_lille(x) for x in k[f"lille_{m}"]]
    return k


def pr_omraade(df: pd.DataFrame, maaned: str, kommune: int) -> pd.DataFrame:
    """The municipality beside the country for each (ydelsesområde, kontroltrin) of the benchmark
    (:data:`benchmark.KOMBINATIONER`), each from :func:`benchmark.vindue` with that filter:
    udstillede and the shares udtaget and med provenu, with the small-number flags."""
    rows = []
    for omr, trin in bm.KOMBINATIONER:
        v = bm.vindue(df, maaned, omr, trin)
        egen = v.loc[v["kommunekode"] == bm.kode_tekst(kommune)].iloc[0]
        land = v.iloc[-1]
        rows.append({"omraade": f"{YDELSESOMRAADE_TEKST[omr]}, kontroltrin {trin}", "udstillede": int(egen["udstillede"]),
                     "andel_udtaget": egen["andel_udtaget"], "lille_udtaget": _lille(egen["lille_andel_udtaget"]),
                     "landet_andel_udtaget": land["andel_udtaget"],
                     "andel_med_provenu": egen["andel_med_provenu"],
                     "lille_med_provenu": _lille(egen["lille_andel_med_provenu"]),
                     "landet_andel_med_provenu": land["andel_med_provenu"]})
    return pd.DataFrame(rows)


def udvikling_lang(udv: pd.DataFrame, kommunenavn: str,
                   maal: tuple[str, ...] = ("andel_udtaget", "andel_med_provenu")) -> pd.DataFrame:
    """:func:`benchmark.udvikling` in long form for the trend chart: maaned, maal (Danish
    title), serie (the municipality or 'Hele landet'), andel (Decimal or None) and lille."""
    titel = {m.navn: m.titel for m in bm.MAAL}
    rows = []
    for r in udv.to_dict("records"):
        for m in maal:
            rows.append({"maaned": r["maaned"], "etiket": maaned_kort(r["maaned"]), "maal": titel[m],
                         "serie": kommunenavn, "andel": r[m], "lille": _lille(r[f"lille_{m}"])})
            rows.append({"maaned": r["maaned"], "etiket": maaned_kort(r["maaned"]), "maal": titel[m],
                         "serie": bm.LAND_NAVN, "andel": r[f"landet_{m}"], "lille": False})
    return pd.DataFrame(rows)


def spredning(v: pd.DataFrame, kommune: int) -> pd.DataFrame:
    """The municipalities (no national row) with both andel_udtaget and andel_med_provenu, for
    the scatter: kommunenavn, the two shares, ``egen`` and ``lille`` (either share built on fewer
    than 5). Municipalities lacking a share are left out (see :func:`uden_punkt`)."""
    k = v[(v["kommunekode"] != bm.LAND_KODE) & v["andel_udtaget"].notna() & v["andel_med_provenu"].notna()]
    return pd.DataFrame({
        "kommunenavn": list(k["kommunenavn"]),
        "andel_udtaget": list(k["andel_udtaget"]), "andel_med_provenu": list(k["andel_med_provenu"]),
        "egen": list(k["kommunekode"] == bm.kode_tekst(kommune)),
        "lille": [_lille(a) or _lille(b) for a, b in zip(k["lille_andel_udtaget"], k["lille_andel_med_provenu"])],
    })


def uden_punkt(v: pd.DataFrame) -> int:
    """How many municipalities the scatter leaves out (a share without a denominator)."""
    k = v[v["kommunekode"] != bm.LAND_KODE]
    return int((k["andel_udtaget"].isna() | k["andel_med_provenu"].isna()).sum())


# --------------------------------------------------------------------------- reconciliation with the store
def afstemning_fra_log(df: pd.DataFrame, maaned: str, kommune: int, log: pd.DataFrame, sager: pd.DataFrame,
                       kontrolsager: pd.DataFrame) -> pd.DataFrame:
    """The municipality's window sums in the benchmark file beside the same sums counted from the
    case store's log by the benchmark module's own export (:func:`benchmark.eksport_fra_log`,
    month by month over the window, all (område, trin) rows). Columns: maal (Danish), fil, log,
    stemmer (bool); one row per count and one for provenu (exact kroner)."""
    kommune = int(kommune)
    slut = bm.maaned_nr(maaned)
    fra_log = {c: 0 for c in ANTAL_AFSTEMT} | {"provenu": Decimal("0.00")}
    nul = {o: 0 for o in bm.YDELSESOMRAADER}
    for nr in range(slut - bm.VINDUE_MAANEDER + 1, slut + 1):
        e = bm.eksport_fra_log(log, sager, kontrolsager, bm.maaned_tekst(nr), kommune, nul)
        for c in ANTAL_AFSTEMT:
            fra_log[c] += int(e[c].sum())
        fra_log["provenu"] += sum(e["provenu"], Decimal("0.00"))
    v = bm.vindue(df, maaned)
    egen = v.loc[v["kommunekode"] == bm.kode_tekst(kommune)].iloc[0]
    rows = []
    for c in (*ANTAL_AFSTEMT, "provenu"):
        fil = egen[c] if c == "provenu" else int(egen[c])
        rows.append({"maal": ANTAL_TEKST[c], "fil": fil, "log": fra_log[c], "stemmer": fil == fra_log[c]})
    return pd.DataFrame(rows)


def afstemning(df: pd.DataFrame, maaned: str, kommune: int, db: str) -> pd.DataFrame:
    """:func:`afstemning_fra_log` with the log, cases and amounts read from the store at ``db``."""
    lager = SagsLager(db, opret=False)      # a missing SQLite store is a Danish error, never created
    try:
        with som_saetning():            # role leder (the log); a refusal is one Danish sentence
            return afstemning_fra_log(df, maaned, kommune, lager.log(kommune=int(kommune)), lager.sager(),
                                      lager.kontrolsager(int(kommune)))
    finally:
        lager.luk()


# --------------------------------------------------------------------------- the report
@dataclass
class BenchmarkRapport:
    """All figures of one municipality's benchmark report for the window ending ``maaned``."""
    p: KommuneParametre
    aar: int
    maaned: str
    vindue: pd.DataFrame            # benchmark.vindue: every municipality + the country
    sammenligning: pd.DataFrame     # benchmark.sammenligning (4 rows)
    grupper: pd.DataFrame
    tragt: pd.DataFrame
    rangtabel: pd.DataFrame
    pr_omraade: pd.DataFrame
    udvikling: pd.DataFrame         # benchmark.udvikling (24 windows)
    udvikling_lang: pd.DataFrame
    spredning: pd.DataFrame
    uden_punkt: int
    afstemning: pd.DataFrame | None  # with a case store only

    @property
    def egen(self) -> dict:
        return self.sammenligning.iloc[0].to_dict()

    @property
    def land(self) -> dict:
        return self.sammenligning.iloc[-1].to_dict()

    @property
    def antal_kommuner(self) -> int:
        return int(self.sammenligning.iloc[-1]["antal_kommuner"])

    def rang(self, maal: str) -> str:
        """The municipality's rank on ``maal`` as text ('3' or '–' when not ranked)."""
        x = self.egen[f"rang_{maal}"]
        return "–" if x is None or pd.isna(x) else str(int(x))

    def lille(self, maal: str) -> bool:
        return _lille(self.egen[f"lille_{maal}"])


def tjek_kommune(p: KommuneParametre, benchmark: str) -> pd.DataFrame:
    """The benchmark file (read and validated once per process) when it has rows of the
    municipality; else a Danish error naming the municipality and the file."""
    df = ind.laes_benchmark(benchmark)
    if p.kommunekode not in {int(x) for x in df["kommunekode"]}:
        raise KontrolFejl(f"{p.kommune} ({bm.kode_tekst(p.kommunekode)}) har ingen rækker i benchmarkfilen {benchmark}.")
    return df


def benchmark_rapport(kommune, aar: int, benchmark: str, maaned: str = "", db: str = "",
                      antal_vinduer: int = 24) -> BenchmarkRapport:
    """Check the notebook's parameters and compute every figure of the benchmark report."""
    if isinstance(aar, bool) or not isinstance(aar, int):
        raise KontrolFejl(f"Parameteren aar skal være et heltal, fx 2024, ikke {aar!r}")
    if not benchmark:
        raise KontrolFejl("Benchmarkrapporten kræver en national benchmarkfil (--benchmark benchmark.csv).")
    maaned = standard_maaned(aar, maaned)
    p = hent_kommune(kommune, aar)
    df = tjek_kommune(p, benchmark)
    v = bm.vindue(df, maaned)
    sml = bm.sammenligning(df, maaned, p.kommunekode)
    udv = hele_vinduer(bm.udvikling(df, maaned, p.kommunekode, n=antal_vinduer), df)
    return BenchmarkRapport(
        p=p, aar=aar, maaned=maaned, vindue=v, sammenligning=sml, grupper=grupper(sml, p.kommune),
        tragt=tragt_sammenligning(sml, p.kommune), rangtabel=rangtabel(v, p.kommunekode),
        pr_omraade=pr_omraade(df, maaned, p.kommunekode), udvikling=udv,
        udvikling_lang=udvikling_lang(udv, p.kommune), spredning=spredning(v, p.kommunekode),
        uden_punkt=uden_punkt(v),
        afstemning=afstemning(df, maaned, p.kommunekode, db) if db else None,
    )
