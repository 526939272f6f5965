"""The national benchmark of the municipalities' use of control cases (``spec/benchmark.md``).

Input is ``benchmark.csv``: one row per (kommunekode, maaned, ydelsesomraade, kontroltrin) with the
month's counts (udstillede, udtagne, oprettede, med_stop, med_krav, med_provenu, udloebne), the
provenu in kr. and the number of ydelsesmodtagere in the area. :func:`indlaes_benchmark` reads and
validates it; :func:`vindue` computes the measures of one 12-month window for every municipality
and the country; :func:`peers`, :func:`sammenligning` and :func:`udvikling` build the comparison
a municipality sees.

Exactness: counts are Python ints, provenu a ``Decimal``; every ratio is computed as an exact
``Fraction`` of window sums and only then rounded half up (shares to 4 decimals, kroner and
per-1,000 figures to 2). A ratio with a zero denominator is ``None`` (an empty cell), never 0.

Decisions where the spec is silent are listed in ``docs/benchmark.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from kontrol_lib.registre.kontrakt import Column, RowCheck, Table
from kontrol_lib.vokabular.steder import shipped_kommuner
from kontrol_lib.vokabular.celler import csv_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import BENCHMARK_OMRAADER
from kontrol_lib.registre import Fejl, RegisterFejl, indlaes_fil
from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.maal.provenu import raekker
import calendar
from kontrol_lib.registre import Registre, indlaes

YDELSESOMRAADER = BENCHMARK_OMRAADER
KONTROLTRIN = (2, 3)
# The (ydelsesområde, kontroltrin) pairs the benchmark covers: trin 3 for all three areas,
# trin 2 for kontanthjælp only (source: "Derudover omfatter benchmarkingen på
# kontanthjælpsområdet også den løbende ydelseskontrol (kontroltrin 2)").
KOMBINATIONER = (("kontanthjaelp", 2), ("kontanthjaelp", 3), ("sygedagpenge", 3),
                 ("oekonomisk_friplads", 3))

ANTAL = ("udstillede", "udtagne", "oprettede", "med_stop", "med_krav", "med_provenu", "udloebne")
SUMMER = ANTAL[:6] + ("provenu", "udloebne")   # the order of the input file
LILLE_GRAENSE = 5                  # a share whose denominator is below this is marked, not ranked
STOERRELSE_ANTAL = 10              # the size peer group: the municipalities nearest in number of cases
VINDUE_MAANEDER = 12
LAND_KODE = "000"
LAND_NAVN = "Hele landet"


@dataclass(frozen=True)
class Maal:
    """One measure: a ratio of two window sums."""
    navn: str
    taeller: str          # numerator column
    naevner: str          # denominator column
    faktor: int           # the numerator is multiplied by this (1,000 for per-1,000)
    decimaler: int
    titel: str            # Danish label


MAAL = (
    Maal("andel_udtaget", "udtagne", "udstillede", 1, 4, "Andel udstillede sager udtaget til visitering"),
    Maal("andel_udloebet", "udloebne", "udstillede", 1, 4, "Andel udstillede sager udløbet ubehandlet"),
    Maal("andel_oprettet", "oprettede", "udtagne", 1, 4, "Andel udtagne sager oprettet som kontrolsag"),
    Maal("andel_med_provenu", "med_provenu", "oprettede", 1, 4, "Andel kontrolsager med provenu"),
    Maal("provenu_pr_sag", "provenu", "oprettede", 1, 2, "Provenu pr. oprettet kontrolsag (kr.)"),
    Maal("udstillede_pr_1000", "udstillede", "ydelsesmodtagere", 1000, 2,
         "Udstillede sager pr. 1.000 ydelsesmodtagere"),
)
MAAL_NAVNE = tuple(m.navn for m in MAAL)

# The exact columns of a window (docs/benchmark.md, "Uddata").
KOLONNER = (["kommunekode", "kommunenavn"] + list(SUMMER) + ["ydelsesmodtagere"] + list(MAAL_NAVNE)
            + [f"rang_{m}" for m in MAAL_NAVNE] + [f"lille_{m}" for m in MAAL_NAVNE])

_MAANED_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _count(name: str, description: str) -> Column:
    return Column(name, "int", description, domain=(0, 10**9))


BENCHMARK_TABEL = Table(
    "benchmark",
    "Benchmark af kommunernes brug af kontrolsager: én række pr. kommune, måned, ydelsesområde og "
    "kontroltrin",
    (
        Column("kommunekode", "kommune", "Kommunekode"),
        Column("maaned", "text", "Måned (ÅÅÅÅ-MM)"),
        Column("ydelsesomraade", "code", ", ".join(YDELSESOMRAADER), domain=YDELSESOMRAADER),
        Column("kontroltrin", "int", "Kontroltrin (2 eller 3)", domain=KONTROLTRIN),
        _count("udstillede", "Sager udstillet for kommunen i måneden"),
        _count("udtagne", "Udstillede sager udtaget til visitering (bestilt) i måneden"),
        _count("oprettede", "Kontrolsager oprettet (sendt i partshøring) i måneden"),
        _count("med_stop", "Sager afsluttet i måneden med stop eller nedsættelse af ydelsen"),
        _count("med_krav", "Sager afsluttet i måneden med krav om tilbagebetaling"),
        _count("med_provenu", "Sager afsluttet i måneden med stop og/eller krav (tælles én gang)"),
        # Not required to be >= 0: a case's provenu includes efterregulering and skat, which may
        # be negative (spec/provenu.md), so a month's sum may in principle be negative.
        Column("provenu", "amount", "Provenu i kr. for sager afsluttet i måneden"),
        _count("udloebne", "Udstillede sager udløbet ubehandlet i måneden"),
        _count("ydelsesmodtagere", "Ydelsesmodtagere i ydelsesområdet i måneden"),
    ),
    key=("kommunekode", "maaned", "ydelsesomraade", "kontroltrin"),
    row_checks=(
        RowCheck("maaned_format",
                 "regexp_full_match(maaned, '\\d{4}-(0[1-9]|1[0-2])')", "maaned",
                 "ikke en måned (brug ÅÅÅÅ-MM)"),
        RowCheck("trin2_kun_kontanthjaelp",
                 "kontroltrin <> 2 OR ydelsesomraade = 'kontanthjaelp'", "kontroltrin",
                 "kontroltrin 2 indgår kun i benchmarkingen for kontanthjælp"),
        RowCheck("med_provenu_mindst",
                 "med_provenu >= greatest(med_stop, med_krav)", "med_provenu",
                 "med_provenu er mindre end med_stop eller med_krav (en sag med stop eller krav "
                 "har provenu)"),
        RowCheck("med_provenu_hoejst",
                 "med_provenu <= med_stop + med_krav", "med_provenu",
                 "med_provenu er større end med_stop + med_krav"),
    ),
)


# --------------------------------------------------------------------------- reading
def indlaes_benchmark(path: str | Path) -> pd.DataFrame:
    """Read and validate a ``benchmark.csv`` (or .xlsx/.parquet) file.

    Raises :class:`RegisterFejl` listing every bad row (file, row, column, value), including
    trin rows of one (kommune, måned, ydelsesområde) that disagree on ``ydelsesmodtagere``.
    Returns kommunekode as int, maaned as 'YYYY-MM' text, counts as int, provenu as Decimal.
    """
    path = Path(path)
    con = duckdb.connect()
    df = indlaes_fil(path, BENCHMARK_TABEL, con)
    # The trin rows of one area repeat the same number of recipients; a disagreement is an error.
    rows = con.execute(
        "SELECT _raekke, ydelsesmodtagere, first_row, first_value FROM ("
        "  SELECT _raekke, ydelsesmodtagere,"
        "    first_value(_raekke) OVER w AS first_row, first_value(ydelsesmodtagere) OVER w AS first_value"
        "  FROM benchmark_parsed"
        "  WINDOW w AS (PARTITION BY kommunekode, maaned, ydelsesomraade ORDER BY _raekke)"
        ") WHERE ydelsesmodtagere <> first_value ORDER BY _raekke").fetchall()
    con.close()
    if rows:
        raise RegisterFejl([
            Fejl(path.name, int(r), "ydelsesmodtagere", str(v),
                 f"afviger fra række {first} ({fv}) for samme kommune, måned og ydelsesområde; "
                 f"kontroltrin-rækkerne skal gentage samme antal ydelsesmodtagere")
            for r, v, first, fv in rows])
    return _normalise(df)


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "kommunekode": [int(x) for x in df["kommunekode"]],
        "maaned": [str(x) for x in df["maaned"]],
        "ydelsesomraade": [str(x) for x in df["ydelsesomraade"]],
        "kontroltrin": [int(x) for x in df["kontroltrin"]],
    })
    for c in ANTAL + ("ydelsesmodtagere",):
        out[c] = [int(x) for x in df[c]]
    out["provenu"] = pd.Series([Decimal(x) for x in df["provenu"]], dtype=object)
    return out[list(BENCHMARK_TABEL.column_names)]


def tom_benchmark() -> pd.DataFrame:
    """An empty benchmark frame with the input columns (for code that builds rows itself)."""
    return _normalise(pd.DataFrame({c: [] for c in BENCHMARK_TABEL.column_names}))


# --------------------------------------------------------------------------- months
def tjek_maaned(maaned: str) -> str:
    """'YYYY-MM' or a Danish :class:`KontrolFejl`."""
    if not isinstance(maaned, str) or not _MAANED_RE.fullmatch(maaned.strip()):
        raise KontrolFejl(f"Måneden '{maaned}' er ikke gyldig; brug ÅÅÅÅ-MM, fx 2024-04.")
    return maaned.strip()


def maaned_nr(maaned: str) -> int:
    y, m = tjek_maaned(maaned).split("-")
    return int(y) * 12 + int(m) - 1


def maaned_tekst(nr: int) -> str:
    return f"{nr // 12:04d}-{nr % 12 + 1:02d}"


def vinduets_maaneder(maaned: str) -> list[str]:
    """The 12 months M−11 … M of the window ending with ``maaned``, oldest first."""
    m = maaned_nr(maaned)
    return [maaned_tekst(i) for i in range(m - VINDUE_MAANEDER + 1, m + 1)]


# --------------------------------------------------------------------------- filters and sums
def _tjek_filter(ydelse: str | None, trin: int | None) -> None:
    if ydelse is not None and ydelse not in YDELSESOMRAADER:
        raise KontrolFejl(f"Ukendt ydelsesområde '{ydelse}'; brug {', '.join(YDELSESOMRAADER)}.")
    if trin is not None and int(trin) not in KONTROLTRIN:
        raise KontrolFejl(f"Ukendt kontroltrin '{trin}'; brug 2 eller 3.")
    if ydelse is not None and trin is not None and (ydelse, int(trin)) not in KOMBINATIONER:
        raise KontrolFejl(f"Kontroltrin {trin} indgår ikke i benchmarkingen for {ydelse}; "
                          f"kontroltrin 2 findes kun for kontanthjaelp.")


def _udsnit(df: pd.DataFrame, maaned: str, ydelse: str | None, trin: int | None) -> pd.DataFrame:
    _tjek_filter(ydelse, trin)
    maaneder = set(vinduets_maaneder(maaned))
    mask = df["maaned"].isin(maaneder)
    if ydelse is not None:
        mask &= df["ydelsesomraade"] == ydelse
    if trin is not None:
        mask &= df["kontroltrin"] == int(trin)
    return df.loc[mask]


def _summer(d: pd.DataFrame, kommuner: list[int]) -> dict[int, dict]:
    """Window sums per municipality. ``ydelsesmodtagere`` is an exact Fraction (or None):
    one figure per (kommune, måned, ydelsesområde), added over the areas of each month, averaged
    over the months that have data."""
    out: dict[int, dict] = {}
    for k in kommuner:
        out[k] = {c: 0 for c in ANTAL}
        out[k]["provenu"] = Decimal("0.00")
        out[k]["ydelsesmodtagere"] = None
    for rec in d.itertuples(index=False):
        s = out[int(rec.kommunekode)]
        for c in ANTAL:
            s[c] += int(getattr(rec, c))
        s["provenu"] += rec.provenu
    per_maaned: dict[tuple[int, str], int] = {}
    set_areas: set[tuple[int, str, str]] = set()
    for rec in d.itertuples(index=False):
        key = (int(rec.kommunekode), rec.maaned, rec.ydelsesomraade)
        if key in set_areas:
            continue                     # the other trin row of the same area: same figure
        set_areas.add(key)
        mk = (int(rec.kommunekode), rec.maaned)
        per_maaned[mk] = per_maaned.get(mk, 0) + int(rec.ydelsesmodtagere)
    totals: dict[int, list[int]] = {}
    for (k, _m), n in per_maaned.items():
        totals.setdefault(k, []).append(n)
    for k, ns in totals.items():
        out[k]["ydelsesmodtagere"] = Fraction(sum(ns), len(ns))
    return out


def _add(sums: list[dict]) -> dict:
    """Sums of several municipalities (a peer group, the country): recipients add up too."""
    total = {c: 0 for c in ANTAL}
    total["provenu"] = Decimal("0.00")
    ym = [s["ydelsesmodtagere"] for s in sums if s["ydelsesmodtagere"] is not None]
    total["ydelsesmodtagere"] = sum(ym, Fraction(0)) if ym else None
    for s in sums:
        for c in ANTAL:
            total[c] += s[c]
        total["provenu"] += s["provenu"]
    return total


# --------------------------------------------------------------------------- rounding and measures
def afrund(x: Fraction | Decimal | int, decimaler: int) -> Decimal:
    """Round half up (away from zero) to ``decimaler`` decimals, exactly."""
    f = Fraction(x)
    scaled = f * 10**decimaler
    sign = -1 if scaled < 0 else 1
    q = (abs(scaled) + Fraction(1, 2)).__floor__()
    return Decimal(sign * q).scaleb(-decimaler).quantize(Decimal(1).scaleb(-decimaler))


def _maal(s: dict) -> dict:
    """The measures of one set of sums: value (Decimal or None) and lille ('ja'/'nej')."""
    out = {}
    for m in MAAL:
        naevner = s[m.naevner]
        naevner = Fraction(0) if naevner is None else Fraction(naevner)
        if naevner == 0:
            out[m.navn] = None
        else:
            out[m.navn] = afrund(Fraction(s[m.taeller]) * m.faktor / naevner, m.decimaler)
        out[f"lille_{m.navn}"] = "ja" if naevner < LILLE_GRAENSE else "nej"
    return out


def _raekke(kode: str, navn: str, s: dict) -> dict:
    ym = s["ydelsesmodtagere"]
    row = {"kommunekode": kode, "kommunenavn": navn}
    for c in SUMMER:
        row[c] = s[c]
    row["ydelsesmodtagere"] = None if ym is None else afrund(ym, 2)
    row.update(_maal(s))
    return row


def _ranger(rows: list[dict]) -> None:
    """Rank each measure among the municipalities: 1 = highest, ties share the best rank
    (1, 1, 3), an empty or small (lille) figure gets no rank. Ranked on the published value."""
    for m in MAAL_NAVNE:
        values = [r[m] for r in rows if r[m] is not None and r[f"lille_{m}"] == "nej"]
        for r in rows:
            v = r[m]
            if v is None or r[f"lille_{m}"] == "ja":
                r[f"rang_{m}"] = None
            else:
                r[f"rang_{m}"] = 1 + sum(1 for x in values if x > v)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=KOLONNER)
    for c in ANTAL:
        df[c] = df[c].astype("int64")
    for c in ("provenu", "ydelsesmodtagere") + MAAL_NAVNE:
        df[c] = pd.Series(list(df[c]), dtype=object).where(df[c].notna(), None)
    for m in MAAL_NAVNE:
        df[f"rang_{m}"] = df[f"rang_{m}"].astype("Int64")
    return df


def _navne() -> dict[int, tuple[str, str]]:
    k = shipped_kommuner()
    return {int(r.kommunekode): (r.kommunenavn, r.region) for r in k.itertuples(index=False)}


def kode_tekst(kommunekode: int) -> str:
    return f"{int(kommunekode):03d}"


# --------------------------------------------------------------------------- public API
def vindue(df: pd.DataFrame, maaned: str, ydelse: str | None = None, trin: int | None = None) -> pd.DataFrame:
    """The measures of the 12-month window ending with ``maaned`` (``'YYYY-MM'``).

    One row per municipality present anywhere in ``df`` (sorted by kommunekode; kommunekode as
    3-digit text), then the national row ``000 Hele landet`` computed from the national sums.
    Columns: :data:`KOLONNER`. Filters: ``ydelse`` (ydelsesområde) and ``trin`` (kontroltrin).
    """
    kommuner = sorted({int(x) for x in df["kommunekode"]})
    sums = _summer(_udsnit(df, maaned, ydelse, trin), kommuner)
    navne = _navne()
    ukendte = [kode_tekst(k) for k in kommuner if k not in navne]
    if ukendte:
        raise KontrolFejl(f"Ukendte kommunekoder i benchmarkdata: {', '.join(ukendte)}.")
    rows = [_raekke(kode_tekst(k), navne[k][0], sums[k]) for k in kommuner]
    _ranger(rows)
    land = _raekke(LAND_KODE, LAND_NAVN, _add([sums[k] for k in kommuner]))
    for m in MAAL_NAVNE:
        land[f"rang_{m}"] = None
    return _frame(rows + [land])


def peers(df: pd.DataFrame, maaned: str, kommune: int, ydelse: str | None = None,
          trin: int | None = None, n: int = STOERRELSE_ANTAL) -> pd.DataFrame:
    """The two peer groups of ``kommune`` among the municipalities present in ``df``.

    ``region``: the other municipalities of the same region. ``stoerrelse``: the ``n`` other
    municipalities nearest in average ydelsesmodtagere over the window (same filters), nearest
    first, ties by kommunekode; municipalities without recipients in the window are left out.
    Columns: gruppe, kommunekode (text), kommunenavn, region, ydelsesmodtagere, afstand.
    """
    kommune = int(kommune)
    kommuner = sorted({int(x) for x in df["kommunekode"]})
    if kommune not in kommuner:
        raise KontrolFejl(f"Kommune {kode_tekst(kommune)} findes ikke i benchmarkdata.")
    sums = _summer(_udsnit(df, maaned, ydelse, trin), kommuner)
    navne = _navne()
    rows = []
    region = navne[kommune][1]
    for k in kommuner:
        if k != kommune and navne[k][1] == region:
            ym = sums[k]["ydelsesmodtagere"]
            rows.append(("region", k, ym, None))
    own = sums[kommune]["ydelsesmodtagere"]
    if own is not None:
        cand = [(abs(sums[k]["ydelsesmodtagere"] - own), k) for k in kommuner
                if k != kommune and sums[k]["ydelsesmodtagere"] is not None]
        for afstand, k in sorted(cand)[:n]:
            rows.append(("stoerrelse", k, sums[k]["ydelsesmodtagere"], afstand))
    out = pd.DataFrame({
        "gruppe": [r[0] for r in rows],
        "kommunekode": [kode_tekst(r[1]) for r in rows],
        "kommunenavn": [navne[r[1]][0] for r in rows],
        "region": [navne[r[1]][1] for r in rows],
        "ydelsesmodtagere": pd.Series([None if r[2] is None else afrund(r[2], 2) for r in rows], dtype=object),
        "afstand": pd.Series([None if r[3] is None else afrund(r[3], 2) for r in rows], dtype=object),
    })
    return out


def sammenligning(df: pd.DataFrame, maaned: str, kommune: int, ydelse: str | None = None,
                  trin: int | None = None, n: int = STOERRELSE_ANTAL) -> pd.DataFrame:
    """What ``kommune`` sees: its own row, its two peer groups and the country, side by side.

    Four rows with the columns of :func:`vindue` plus ``gruppe`` (kommune, region, stoerrelse,
    landet) and ``antal_kommuner``. A peer group's figures come from the group's sums (the
    municipality itself not included), like the national figure; ranks are the municipality's
    own (from :func:`vindue`) and empty on the group rows.
    """
    kommune = int(kommune)
    v = vindue(df, maaned, ydelse, trin)
    p = peers(df, maaned, kommune, ydelse, trin, n)
    kommuner = sorted({int(x) for x in df["kommunekode"]})
    sums = _summer(_udsnit(df, maaned, ydelse, trin), kommuner)
    navne = _navne()
    own = v.loc[v["kommunekode"] == kode_tekst(kommune)].iloc[0].to_dict()
    own.update(gruppe="kommune", antal_kommuner=1)
    rows = [own]
    for gruppe, navn in (("region", f"Øvrige kommuner i {navne[kommune][1]}"),
                         ("stoerrelse", f"De {n} kommuner nærmest i antal ydelsesmodtagere")):
        members = [int(x) for x in p.loc[p["gruppe"] == gruppe, "kommunekode"]]
        r = _raekke("", navn, _add([sums[k] for k in members]))
        r.update({f"rang_{m}": None for m in MAAL_NAVNE})
        r.update(gruppe=gruppe, antal_kommuner=len(members))
        rows.append(r)
    land = v.iloc[-1].to_dict()
    land.update(gruppe="landet", antal_kommuner=len(kommuner))
    rows.append(land)
    out = _frame([{k: r[k] for k in KOLONNER} for r in rows])
    out.insert(0, "gruppe", [r["gruppe"] for r in rows])
    out["antal_kommuner"] = [r["antal_kommuner"] for r in rows]
    return out


def udvikling(df: pd.DataFrame, maaned: str, kommune: int, n: int = 24, ydelse: str | None = None,
              trin: int | None = None) -> pd.DataFrame:
    """The development: the municipality's row of each of the last ``n`` windows (ending with
    ``maaned`` and the n−1 months before it, oldest first), with the national measures beside it
    as ``landet_<measure>``. Columns: maaned, then :data:`KOLONNER`, then the landet_ columns."""
    kommune = int(kommune)
    if kommune not in {int(x) for x in df["kommunekode"]}:
        raise KontrolFejl(f"Kommune {kode_tekst(kommune)} findes ikke i benchmarkdata.")
    slut = maaned_nr(maaned)
    rows = []
    for nr in range(slut - n + 1, slut + 1):
        m = maaned_tekst(nr)
        v = vindue(df, m, ydelse, trin)
        row = v.loc[v["kommunekode"] == kode_tekst(kommune)].iloc[0].to_dict()
        land = v.iloc[-1]
        row = {"maaned": m, **row, **{f"landet_{x}": land[x] for x in MAAL_NAVNE}}
        rows.append(row)
    out = _frame([{k: r[k] for k in KOLONNER} for r in rows])
    out.insert(0, "maaned", [r["maaned"] for r in rows])
    for x in MAAL_NAVNE:
        out[f"landet_{x}"] = pd.Series([r[f"landet_{x}"] for r in rows], dtype=object)
    return out


def flet(national: pd.DataFrame, egne: pd.DataFrame) -> pd.DataFrame:
    """The national rows with the municipality's own exact rows in place of its published ones:
    every national row whose (kommunekode, maaned) occurs in ``egne`` is dropped and ``egne``'s
    rows are added (sorted by kommunekode, maaned, ydelsesomraade, kontroltrin). Both frames have
    the input columns (:func:`indlaes_benchmark`, :func:`benchmark_eksport`)."""
    cols = list(BENCHMARK_TABEL.column_names)
    for navn, d in (("national", national), ("egne", egne)):
        mangler = [c for c in cols if c not in d.columns]
        if mangler:
            raise KontrolFejl(f"Benchmarkrækkerne ({navn}) mangler kolonnen {', '.join(mangler)}.")
    egne_noegler = {(int(k), str(m)) for k, m in zip(egne["kommunekode"], egne["maaned"])}
    behold = [(int(k), str(m)) not in egne_noegler for k, m in zip(national["kommunekode"], national["maaned"])]
    out = pd.concat([national.loc[behold, cols], egne[cols]], ignore_index=True)
    out = out.sort_values(["kommunekode", "maaned", "ydelsesomraade", "kontroltrin"], kind="stable")
    out = out.reset_index(drop=True)
    out["provenu"] = pd.Series(list(out["provenu"]), dtype=object)
    return out


def skriv_csv(df: pd.DataFrame, ud: str | Path) -> Path:
    """Write a benchmark frame as UTF-8 CSV (comma, decimal point; empty cell = no value).
    Formula-like text gets a leading apostrophe; numbers, also negative ones, stay numbers."""
    ud = Path(ud)
    ud.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for c in out.columns:
        out[c] = [("" if (x is None or x is pd.NA or (isinstance(x, float) and x != x))
                   else csv_tekst(x) if isinstance(x, str) else str(x))
                  for x in out[c]]
    out.to_csv(ud, index=False, lineterminator="\n")
    return ud


# --------------------------------------------------------------------------- own figures from the store
UDSTILLET, BESTILT, PARTSHOERING = "udstillet", "bestilt", "partshoering"
AENDRET_TILDELING, UDLOEBET = "aendret_tildeling", "udloebet"


def omraade_for(kle, omraade, ydelse) -> str | None:
    """The case's ydelsesområde: from its KLE (``kontrol_lib/vokabular/data/kle.csv``), else the store's
    own ydelsesomraade column, else its ydelse when that is one of the three areas."""
    if kle is not None and not (isinstance(kle, float) and kle != kle):
        hit = known_kle().loc[known_kle()["kle"] == str(kle), "ydelsesomraade"]
        if not hit.empty:
            return str(hit.iloc[0])
    if isinstance(omraade, str) and omraade:
        return omraade
    return ydelse if ydelse in YDELSESOMRAADER else None


def _i_maaned(d, maaned: str) -> bool:
    return d is not None and f"{d.year:04d}-{d.month:02d}" == maaned


def _tjek_ydelsesmodtagere(ydelsesmodtagere: dict[str, int]) -> None:
    mangler = [o for o in YDELSESOMRAADER if o not in (ydelsesmodtagere or {})]
    if mangler:
        raise KontrolFejl("Antal ydelsesmodtagere mangler for " + ", ".join(mangler)
                          + " (angiv --data MAPPE eller --ydelsesmodtagere OMRAADE=ANTAL).")
    for o, n in ydelsesmodtagere.items():
        if o not in YDELSESOMRAADER:
            raise KontrolFejl(f"Ukendt ydelsesområde '{o}'; brug {', '.join(YDELSESOMRAADER)}.")
        if not isinstance(n, int) or n < 0:
            raise KontrolFejl(f"Antal ydelsesmodtagere for {o} skal være et helt tal ≥ 0 (ikke '{n}').")


def _maaned_nr_af(col: pd.Series) -> np.ndarray:
    """Each value's month as ``year * 100 + month`` (-1 for a missing date): the vectorised
    :func:`_i_maaned`."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return (col.dt.year * 100 + col.dt.month).fillna(-1).astype("int64").to_numpy()
    return np.fromiter((d.year * 100 + d.month if d is not None and d == d else -1 for d in col),
                       dtype=np.int64, count=len(col))


def _omraader(sager: pd.DataFrame) -> list:
    """:func:`omraade_for` of every case, with the KLE table read once."""
    kle = known_kle()
    efter_kle = {}
    for k, o in zip(kle["kle"], kle["ydelsesomraade"]):
        efter_kle.setdefault(str(k), str(o))        # the first row of a KLE, as .iloc[0]
    n = len(sager)
    kles = sager["kle"] if "kle" in sager else [None] * n
    omr = sager["ydelsesomraade"] if "ydelsesomraade" in sager else [None] * n
    yd = sager["ydelse"] if "ydelse" in sager else [None] * n
    out = []
    for k, o, y in zip(kles, omr, yd):
        hit = None
        if k is not None and not (isinstance(k, float) and k != k):
            hit = efter_kle.get(str(k))
        if hit is None:
            hit = o if isinstance(o, str) and o else (y if y in YDELSESOMRAADER else None)
        out.append(hit)
    return out


def _taelling(log: pd.DataFrame, sager: pd.DataFrame, kontrolsager: pd.DataFrame) -> tuple[dict, dict]:
    """The benchmark counts of every (kommunekode, month, område, trin) the store's data touch,
    in a handful of vectorised passes (no Python work per case beyond reading a value): the
    counts ``{(kommunekode, maaned_nr, område, trin, count name): n}`` (the month as
    ``year * 100 + month``, names of :data:`ANTAL`, only the non-zero ones) and the provenu
    ``{(kommunekode, maaned_nr, område, trin): Decimal}`` (exact sums of the rows of
    :func:`kontrol_lib.maal.provenu.raekker`). The rules are those of
    :func:`eksport_fra_log`; a case is a (kommunekode, sag_id) of the log."""
    noegle = ["kommunekode", "maaned_nr", "ydelsesomraade", "kontroltrin"]
    log = pd.DataFrame({"kommunekode": log["kommunekode"].astype("int64").to_numpy(),
                        "sag_id": log["sag_id"].to_numpy(), "sekvens": log["sekvens"].to_numpy(),
                        "til": log["til"].to_numpy(), "data": log["data"].to_numpy(),
                        "maaned_nr": _maaned_nr_af(log["dato"])})
    log = log.sort_values(["kommunekode", "sag_id", "sekvens"], kind="stable")
    foerst = ~log.duplicated(["kommunekode", "sag_id"])
    first = log.loc[foerst]
    importeret = np.fromiter((isinstance(d, dict) and d.get("kilde") == "import" for d in first["data"]),
                             dtype=bool, count=len(first))
    first = first.loc[(first["til"] == UDSTILLET).to_numpy() & ~importeret]
    # which cases, and their (område, trin): the last row of a case in sager wins, as in a dict
    s = pd.DataFrame({"kommunekode": sager["kommunekode"].astype("int64").to_numpy(),
                      "sag_id": sager["sag_id"].to_numpy(),
                      "ydelsesomraade": _omraader(sager),
                      "kontroltrin": [int(x) for x in sager["kontroltrin"]]})
    s = s.drop_duplicates(["kommunekode", "sag_id"], keep="last")
    kombi = pd.DataFrame(KOMBINATIONER, columns=["ydelsesomraade", "kontroltrin"])
    s = s.merge(kombi, on=["ydelsesomraade", "kontroltrin"])
    med = first[["kommunekode", "sag_id", "maaned_nr"]].merge(s, on=["kommunekode", "sag_id"])
    haendelser = [med.assign(kol="udstillede")]
    senere = log.loc[~foerst & log["til"].isin([BESTILT, PARTSHOERING, UDLOEBET])]
    senere = senere.drop_duplicates(["kommunekode", "sag_id", "til"])       # the first of each
    for til, kol in ((BESTILT, "udtagne"), (PARTSHOERING, "oprettede"), (UDLOEBET, "udloebne")):
        t = senere.loc[senere["til"] == til, ["kommunekode", "sag_id", "maaned_nr"]]
        haendelser.append(t.merge(med.drop(columns="maaned_nr"), on=["kommunekode", "sag_id"]).assign(kol=kol))
    # closings with aendret_tildeling: amounts as first closed
    # only the counted cases' rows are read (raekker works row by row, so this is the same)
    ks = kontrolsager.loc[kontrolsager["sag_id"].isin(med["sag_id"]).to_numpy()] if len(kontrolsager) else kontrolsager
    rows = raekker(ks) if len(ks) else None
    provenu = pd.DataFrame(columns=noegle + ["provenu"])
    if rows is not None and len(rows):
        r = pd.DataFrame({"sag_id": rows["sag_id"].to_numpy(),
                          "stop": np.fromiter((v > 0 for v in rows["fremadrettet_besparelse"]), dtype=bool, count=len(rows)),
                          "krav": np.fromiter((v > 0 for v in rows["tilbagebetalingskrav"]), dtype=bool, count=len(rows)),
                          "provenu": rows["provenu"].to_numpy()})
        forste = rows.drop_duplicates("sag_id")                 # the first row of each case, as g[0]
        luk = pd.DataFrame({"sag_id": forste["sag_id"].to_numpy(),
                            "aendret": (forste["resultat"] == AENDRET_TILDELING).to_numpy(),
                            "luk_nr": _maaned_nr_af(forste["afsluttet"])})
        luk = luk.loc[luk["aendret"]]
        pr_sag = r.groupby("sag_id", sort=False).agg(stop=("stop", "any"), krav=("krav", "any")).reset_index()
        luk = luk.merge(pr_sag, on="sag_id")
        luk = med.drop(columns="maaned_nr").merge(luk, on="sag_id")
        luk["maaned_nr"] = luk["luk_nr"]
        luk["provenu_flag"] = luk["stop"] | luk["krav"]
        for flag, kol in (("stop", "med_stop"), ("krav", "med_krav"), ("provenu_flag", "med_provenu")):
            haendelser.append(luk.loc[luk[flag], ["kommunekode", "sag_id", "maaned_nr", "ydelsesomraade",
                                                  "kontroltrin"]].assign(kol=kol))
        belob = r.merge(luk[["sag_id", *noegle]], on="sag_id")
        if len(belob):
            provenu = (belob.groupby(noegle, sort=False)["provenu"]
                       .agg(lambda v: sum(v, Decimal("0.00"))).reset_index())
    alle = pd.concat([h[[*noegle, "kol"]] for h in haendelser], ignore_index=True)
    antal = alle.groupby([*noegle, "kol"], sort=False).size()
    tal = {(int(k), int(nr), o, int(t), kol): int(n) for (k, nr, o, t, kol), n in antal.items()}
    kr = {(int(k), int(nr), o, int(t)): v for k, nr, o, t, v in
          zip(provenu["kommunekode"], provenu["maaned_nr"], provenu["ydelsesomraade"], provenu["kontroltrin"],
              provenu["provenu"])}
    return tal, kr


def _raekker_for(tal: dict, kr: dict, maaned: str, kommune: int, ydelsesmodtagere: dict[str, int]) -> list[dict]:
    nr = maaned_nr(maaned)
    nr = (nr // 12) * 100 + nr % 12 + 1
    out = []
    for (omr, trin) in KOMBINATIONER:
        out.append({"kommunekode": kommune, "maaned": maaned, "ydelsesomraade": omr, "kontroltrin": trin,
                    **{k: tal.get((kommune, nr, omr, trin, k), 0) for k in ANTAL},
                    "provenu": kr.get((kommune, nr, omr, trin), Decimal("0.00")),
                    "ydelsesmodtagere": int(ydelsesmodtagere[omr])})
    return out


def _ramme(out: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(out)
    df["provenu"] = pd.Series(list(df["provenu"]), dtype=object)
    return df[list(BENCHMARK_TABEL.column_names)]


def eksport_fra_log(log: pd.DataFrame, sager: pd.DataFrame, kontrolsager: pd.DataFrame, maaned: str,
                    kommune: int, ydelsesmodtagere: dict[str, int]) -> pd.DataFrame:
    """The municipality's benchmark rows for ``maaned`` from the store's data (pure function).

    ``log``: :meth:`SagsLager.log` (dato, sag_id, sekvens, haendelse, til, data, kommunekode,
    kontroltrin); ``sager``: :meth:`SagsLager.sager` (sag_id, kle, ydelsesomraade, ydelse,
    kontroltrin); ``kontrolsager``: :meth:`SagsLager.kontrolsager` (amounts as first closed).
    ``ydelsesmodtagere``: recipients per ydelsesområde in the month.

    A case counts when the store's workflow exposed it: its first transition goes to
    ``udstillet`` and is not a kontrolsager import (``data.kilde == 'import'``). Months follow
    the business date (``dato``) of each transition: udstillet = first transition; udtaget = the
    first transition to ``bestilt`` (a case ordered again after genbestil is not counted again);
    oprettet = the transition to ``partshoering``; udloebet = the transition to ``udloebet``;
    med_stop/med_krav/med_provenu/provenu = the first closing with ``aendret_tildeling``, with
    the amounts of that closing (:func:`kontrol_lib.maal.provenu.raekker`).

    Vectorised (issue 15, :func:`_taelling`); :func:`eksport_fra_log_alle` gives every
    municipality and month of a national store in one pass.
    """
    maaned = tjek_maaned(maaned)
    kommune = int(kommune)
    _tjek_ydelsesmodtagere(ydelsesmodtagere)
    log = log.loc[log["kommunekode"].astype("int64") == kommune]
    sager = sager.loc[sager["kommunekode"].astype("int64") == kommune]
    tal, kr = _taelling(log, sager, kontrolsager)
    return _ramme(_raekker_for(tal, kr, maaned, kommune, ydelsesmodtagere))


def eksport_fra_log_alle(log: pd.DataFrame, sager: pd.DataFrame, kontrolsager: pd.DataFrame,
                         maaneder: list[str], kommuner: list[int],
                         ydelsesmodtagere: dict[str, dict[int, dict[str, int]]]) -> pd.DataFrame:
    """Every municipality's rows for every month at once: the rows of :func:`eksport_fra_log`
    for each ``kommune`` in ``kommuner`` and each ``maaned`` in ``maaneder`` (municipality by
    municipality, months in the order given), counted in one pass over the whole store.
    ``ydelsesmodtagere[maaned][kommune]``: recipients per ydelsesområde."""
    maaneder = [tjek_maaned(m) for m in maaneder]
    for m in maaneder:
        for k in kommuner:
            _tjek_ydelsesmodtagere(ydelsesmodtagere[m][k])
    tal, kr = _taelling(log, sager, kontrolsager)
    out = []
    for k in kommuner:
        for m in maaneder:
            out.extend(_raekker_for(tal, kr, m, int(k), ydelsesmodtagere[m][k]))
    return _ramme(out)


def benchmark_eksport(lager, maaned: str, kommune: int | None = None,
                      ydelsesmodtagere: dict[str, int] | None = None) -> pd.DataFrame:
    """The municipality's ``benchmark.csv`` rows for ``maaned`` (one per (område, trin) of
    :data:`KOMBINATIONER`, zeros included) from the case store's log. ``kommune``: default the
    only municipality in the store."""
    sager = lager.sager()
    if kommune is None:
        koder = sorted({int(x) for x in sager["kommunekode"]})
        if len(koder) != 1:
            raise KontrolFejl("Sagslageret har sager fra " + (", ".join(kode_tekst(k) for k in koder) or "ingen kommuner")
                              + "; angiv --kommune.")
        kommune = koder[0]
    return eksport_fra_log(lager.log(kommune=int(kommune)), sager, lager.kontrolsager(int(kommune)),
                           maaned, int(kommune), ydelsesmodtagere or {})


def ydelsesmodtagere_fra_registre(data, maaned: str, kommune: int) -> dict[str, int]:
    """Recipients per ydelsesområde in ``maaned`` from a register data folder: the distinct
    persons with a ydelsessag in ``kommune`` whose KLE belongs to the area
    (``kontrol_lib/vokabular/data/kle.csv``) and which is active on the month's last day."""

    y, m = (int(x) for x in tjek_maaned(maaned).split("-"))
    sidste = f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    reg = data if isinstance(data, Registre) else indlaes(data)
    kle = known_kle()
    out = {}
    for omr in YDELSESOMRAADER:
        koder = [str(k) for k in kle.loc[kle["ydelsesomraade"] == omr, "kle"]]
        liste = ", ".join("'" + k + "'" for k in koder)
        n = reg.con.execute(
            f"SELECT count(DISTINCT cpr) FROM ydelsessager WHERE kommunekode = {int(kommune)} "
            f"AND kle IN ({liste}) AND oprettet <= DATE '{sidste}' "
            f"AND (ophoert IS NULL OR ophoert >= DATE '{sidste}')").fetchone()[0]
        out[omr] = int(n)
    return out
