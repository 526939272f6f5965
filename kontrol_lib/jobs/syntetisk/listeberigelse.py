"""Plant the local lists' patterns in an already generated data folder (``kontrol lister-berig``).

The synthetic generator (:mod:`kontrol_lib.jobs.syntetisk`) plants the samkøring's events; the local lists
look for other things. :func:`berig` ADDS to a valid data folder, for the lists in force on D:

- bopælssamlinger: recipients of kontanthjælp living with N, N+1, N+2 unrelated adults (hits) and
  with N−1 unrelated adults besides a spouse and an adult child (no hit), N the list's threshold;
- proforma-flytning: 18-21-year-olds moving in the period from a parent's home to an address where
  M others are registered (hits), and near misses: M−1 others, or moving to the other parent;
- samlivsindikation: single parents on økonomisk friplads or børnetilskud with a child, sharing the
  address with an unrelated adult, or whose address history follows another adult's (hits); and
  near misses: living with a sibling, married and living with the spouse, or alone with the child.

Every planted person is new (fresh synthetic CPR numbers, new address ids ``<kommune>-L<nr>``),
and every date lies before the samkøring's kontrolperiode except the young people's moves (who
have no ydelsessag), so the samkøring's planned udfald are unchanged. Rows are appended to each
table in the file's own format (CSV with its delimiter and encoding, Excel, Parquet); the folder
is validated afterwards. ``planlagte_lister.csv`` lists the planted cases (liste, cpr, forventet
ja/nej, tilfaelde); a second run on the same folder is refused (``lister_berig.txt`` marks it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kontrol_lib.vokabular.format import celle
from kontrol_lib.registre.kontrakt import TABLES
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.registre import RegisterFejl, find_files, indlaes
from kontrol_lib.vokabular import tid
from decimal import Decimal
from kontrol_lib.regler.lokale.kriterier import indlaes_lister

MARKOER = "lister_berig.txt"
PLAN = "planlagte_lister.csv"
_TABELLER = ("personer", "adresser", "relationer", "civilstand", "ydelsessager", "udbetalinger")


@dataclass
class Beriget:
    mappe: Path
    raekker: dict[str, int] = field(default_factory=dict)      # rows appended per table
    plan: pd.DataFrame | None = None

    def tekst(self) -> str:
        p = self.plan
        linjer = [f"{self.mappe}: mønstre for de lokale kontrollister tilføjet."]
        for liste, g in p.groupby("liste", sort=True):
            linjer.append(f"  {liste:<20} {int((g['forventet'] == 'ja').sum()):>4} plantede fund, "
                          f"{int((g['forventet'] == 'nej').sum()):>4} grænsetilfælde uden fund")
        for t, n in self.raekker.items():
            linjer.append(f"  {t:<20} +{n} rækker")
        return "\n".join(linjer)


class _Plant:
    """Accumulates new rows; hands out fresh CPR numbers and address ids."""

    def __init__(self, rng: np.random.Generator, brugte_cpr: set[str], brugte_adr: set[str], kommune: int,
                 dato: dt.date):
        self.rng = rng
        self.brugte = set(brugte_cpr)
        self.adr = set(brugte_adr)
        self.kommune = kommune
        self.D = dato
        self.nr = 0
        self.rows: dict[str, list[dict]] = {t: [] for t in _TABELLER}
        self.plan: list[dict] = []

    def dag(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=int(self.rng.integers(0, (hi - lo).days + 1)))

    def person(self, foedt: dt.date) -> str:
        century = str(self.rng.integers(0, 4)) if foedt.year < 2000 else "4"
        for _ in range(10000):
            c = f"{foedt:%d%m%y}{century}{int(self.rng.integers(0, 1000)):03d}"
            if c not in self.brugte:
                self.brugte.add(c)
                self.rows["personer"].append({"cpr": c, "foedselsdato": foedt})
                return c
        raise KontrolFejl(f"Ingen ledige CPR-numre for fødselsdatoen {foedt.isoformat()}")  # pragma: no cover

    def voksen(self, fra_aar=1960, til_aar=1998) -> str:
        return self.person(self.dag(dt.date(fra_aar, 1, 1), dt.date(til_aar, 12, 31)))

    def adresse(self) -> str:
        while True:
            self.nr += 1
            a = f"{self.kommune:04d}-L{self.nr:06d}"
            if a not in self.adr:
                self.adr.add(a)
                return a

    def bor(self, c: str, a: str, fra: dt.date, til: dt.date | None = None) -> None:
        self.rows["adresser"].append({"cpr": c, "adresse_id": a, "kommunekode": self.kommune, "fra_dato": fra,
                                      "til_dato": til})

    def barn(self, foraelder: str, barn: str) -> None:
        self.rows["relationer"].append({"cpr": foraelder, "barn_cpr": barn})

    def gift(self, a: str, b: str, dato: dt.date) -> None:
        self.rows["civilstand"] += [{"cpr": a, "haendelse": "vielse", "dato": dato, "aegtefaelle_cpr": b},
                                    {"cpr": b, "haendelse": "vielse", "dato": dato, "aegtefaelle_cpr": a}]

    def sag(self, c: str, kle: str, oprettet: dt.date, betalinger: bool) -> None:
        self.rows["ydelsessager"].append({"cpr": c, "kommunekode": self.kommune, "kle": kle, "oprettet": oprettet,
                                          "ophoert": None})
        if betalinger:
            # monthly on the last day, from the month after oprettet up to the seneste hele måned
            slut = tid.seneste_hele_maaned(self.D)[1]
            m = tid.maanedens_sidste(oprettet)
            while m <= slut:
                if m > oprettet:
                    oere = int(self.rng.integers(800000, 1600000))
                    self.rows["udbetalinger"].append({"cpr": c, "kle": kle, "udbetalingsdato": m,
                                                      "beloeb": f"{oere // 100}.{oere % 100:02d}"})
                m = tid.maanedens_sidste(tid.plus_maaneder(tid.maanedens_foerste(m), 1))

    def planlaeg(self, liste: str, c: str, forventet: bool, tilfaelde: str) -> None:
        self.plan.append({"liste": liste, "cpr": c, "forventet": "ja" if forventet else "nej",
                          "tilfaelde": tilfaelde})


# --------------------------------------------------------------------------- the patterns
def _bopaelssamlinger(p: _Plant, n: int, graense: int) -> None:
    D = p.D
    gammel = tid.minus_aar(D, 1)                           # every date before the kontrolperiode
    for i in range(n):
        hit = i % 4 != 3
        andre = graense + (i % 3) if hit else graense - 1
        a = p.adresse()
        ym = p.voksen(1970, 1995)
        p.sag(ym, "32.24.04", p.dag(tid.minus_aar(D, 6), tid.minus_aar(D, 2)), betalinger=True)
        p.bor(ym, a, p.dag(tid.minus_aar(D, 8), tid.minus_aar(D, 3)))
        if not hit or i % 2 == 0:                          # a family: spouse and an adult child
            aef = p.voksen(1970, 1995)
            p.gift(ym, aef, p.dag(tid.minus_aar(D, 10), tid.minus_aar(D, 8)))
            p.bor(aef, a, p.dag(tid.minus_aar(D, 8), tid.minus_aar(D, 3)))
            b = p.person(p.dag(tid.minus_aar(D, 25), tid.minus_aar(D, 19)))
            p.barn(ym, b)
            p.bor(b, a, p.dag(tid.minus_aar(D, 8), tid.minus_aar(D, 3)))
        for _ in range(andre):
            p.bor(p.voksen(1960, 2000), a, p.dag(tid.minus_aar(D, 5), gammel))
        p.planlaeg("bopaelssamlinger", ym, hit, f"{andre} andre voksne uden familierelation på adressen")


def _proforma(p: _Plant, n: int, graense: int, maaneder: int) -> None:
    D = p.D
    start = tid.plus_maaneder(D, -maaneder)
    seneste = D - dt.timedelta(days=3)
    for i in range(n):
        kind = ("hit", "hit", "faerre", "til_foraelder")[i % 4]
        foedt = p.dag(tid.minus_aar(D, 22) + dt.timedelta(days=1), tid.minus_aar(D, 18))   # 18-21 on D
        ung = p.person(foedt)
        mor = p.voksen(1965, 1985)
        p.barn(mor, ung)
        hjem = p.adresse()
        p.bor(mor, hjem, foedt - dt.timedelta(days=365))
        flyt = p.dag(start + dt.timedelta(days=1), seneste)
        p.bor(ung, hjem, foedt, flyt - dt.timedelta(days=1))
        x = p.adresse()
        andre = graense - 1 if kind == "faerre" else graense + (i % 2)
        for _ in range(andre):
            p.bor(p.voksen(1960, 2000), x, p.dag(tid.minus_aar(D, 4), start))
        if kind == "til_foraelder":
            far = p.voksen(1965, 1985)
            p.barn(far, ung)
            p.bor(far, x, p.dag(tid.minus_aar(D, 10), tid.minus_aar(D, 2)))
        p.bor(ung, x, flyt)
        tekst = {"hit": f"flytter hjemmefra til en adresse med {andre} tilmeldte",
                 "faerre": f"flytter hjemmefra til en adresse med kun {andre} tilmeldte",
                 "til_foraelder": "flytter hjem til den anden forælder"}[kind]
        p.planlaeg("proforma_flytning", ung, kind == "hit", tekst)


def _samliv(p: _Plant, n: int) -> None:
    D = p.D
    for i in range(n):
        kind = ("deler", "historik", "deler", "soeskende", "gift", "alene")[i % 6]
        kle = "27.12.04" if i % 2 == 0 else "32.15.04"
        f = p.voksen(1980, 1996)
        p.sag(f, kle, p.dag(tid.minus_aar(D, 3), tid.minus_aar(D, 1)), betalinger=False)
        barn = p.person(p.dag(tid.minus_aar(D, 12), tid.minus_aar(D, 2)))
        p.barn(f, barn)
        a = p.adresse()
        if kind == "historik":
            # together at two addresses for two years each, apart since a year
            u = p.voksen(1978, 1996)
            h1, h2 = p.adresse(), p.adresse()
            t1, t2, t3 = tid.minus_aar(D, 5), tid.minus_aar(D, 3), tid.minus_aar(D, 1)
            for c in (f, u):
                p.bor(c, h1, t1, t2 - dt.timedelta(days=1))
                p.bor(c, h2, t2, t3 - dt.timedelta(days=1))
            p.bor(f, a, t3)
            p.bor(barn, a, t3)
            p.bor(u, p.adresse(), t3)
        else:
            fra = tid.minus_aar(D, 2)
            p.bor(f, a, fra)
            p.bor(barn, a, fra)
            if kind == "deler":
                p.bor(p.voksen(1975, 1998), a, p.dag(tid.minus_aar(D, 2), tid.minus_aar(D, 1)))
            elif kind == "soeskende":
                mormor = p.voksen(1950, 1965)
                s = p.voksen(1980, 1998)
                p.barn(mormor, f)
                p.barn(mormor, s)
                p.bor(s, a, fra)
            elif kind == "gift":
                u = p.voksen(1975, 1996)
                p.gift(f, u, p.dag(tid.minus_aar(D, 6), tid.minus_aar(D, 3)))
                p.bor(u, a, fra)
        tekst = {"deler": "enlig forælder deler adresse med en voksen uden familierelation",
                 "historik": "enlig forælder med samme adressehistorik som en anden voksen",
                 "soeskende": "enlig forælder bor med sin søskende",
                 "gift": "gift forælder bor med sin ægtefælle",
                 "alene": "enlig forælder bor alene med barnet"}[kind]
        p.planlaeg("samlivsindikation", f, kind in ("deler", "historik"), tekst)


def _graense(lister: dict, liste: str, typ: str, param: str, dato: dt.date, standard: int) -> int:
    x = lister.get(liste)
    if x is None:
        return standard
    for k in x.kriterier:
        for kk in (k.en_af or (k,)):
            if kk.betingelse is not None and kk.betingelse.type == typ and param in kk.params:
                return int(kk.vaerdier(dato, x.fil)[param])
    return standard


# --------------------------------------------------------------------------- writing
def _encoding(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"



def _tilfoej_csv(path: Path, rows: list[dict]) -> None:
    enc = _encoding(path)
    text = path.read_bytes().decode(enc)            # keeps \r\n (read_text would not)
    header = text.splitlines()[0] if text else ""
    delim = ";" if header.count(";") >= header.count(",") else ","
    names = next(csv.reader([header.lstrip("\ufeff")], delimiter=delim))
    keys = [n.strip().lower() for n in names]
    out_enc = "utf-8" if enc == "utf-8-sig" else enc
    with path.open("a", encoding=out_enc, newline="") as f:
        if text and not text.endswith(("\n", "\r")):
            f.write("\r\n" if "\r\n" in text else "\n")
        w = csv.writer(f, delimiter=delim, lineterminator="\r\n" if "\r\n" in text else "\n")
        for r in rows:
            w.writerow([celle(r.get(k)) for k in keys])


def _tilfoej_parquet(path: Path, rows: list[dict]) -> None:
    import pyarrow as pa  # lazy: only this path needs pyarrow
    import pyarrow.parquet as pq  # lazy: only this path needs pyarrow
    old = pq.read_table(path)
    cols = {}
    for fld in old.schema:
        key = fld.name.strip().lower()
        vals = [r.get(key) for r in rows]
        if pa.types.is_decimal(fld.type):
            vals = [None if v is None else Decimal(str(v)) for v in vals]
        elif pa.types.is_string(fld.type) or pa.types.is_large_string(fld.type):
            vals = [None if v is None else celle(v) for v in vals]
        cols[fld.name] = pa.array(vals, type=fld.type)
    new = pa.table(cols, schema=old.schema)
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(pa.concat_tables([old, new]), tmp)
    tmp.replace(path)


def _tilfoej_xlsx(path: Path, rows: list[dict]) -> None:
    import openpyxl  # lazy: only this path needs openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    keys = [str(c.value).strip().lower() if c.value is not None else "" for c in ws[1]]
    for r in rows:
        ws.append([celle(r.get(k)) or None for k in keys])
    wb.save(path)


def _ny_fil(mappe: Path, navn: str, rows: list[dict], fmt: str) -> None:
    cols = TABLES[navn].column_names
    df = pd.DataFrame([{c: celle(r.get(c)) for c in cols} for r in rows], columns=cols)
    if fmt == ".parquet":
        df.replace("", None).to_parquet(mappe / f"{navn}.parquet", index=False)
    else:
        df.to_csv(mappe / f"{navn}.csv", sep=";", index=False, encoding="utf-8")


def berig(mappe: str | Path, dato: dt.date, seed: int = 1, lister_mappe: str | Path | None = None) -> Beriget:
    """Add the local lists' patterns to the valid data folder ``mappe`` (see module doc). The
    number planted grows with the folder's ydelsesmodtagere (about one of each list's patterns
    per 60 recipients, at least 4). Raises :class:`KontrolFejl` on a second run."""
    mappe = Path(mappe)
    if (mappe / MARKOER).exists():
        raise KontrolFejl(f"{mappe} er allerede beriget med mønstre for de lokale kontrollister "
                          f"(se {MARKOER}); dan mappen igen med kontrol synth")
    reg = indlaes(mappe)
    con = reg.con
    cprs = {r[0] for t in ("personer", "adresser", "ydelsessager", "civilstand", "udbetalinger", "eindkomst",
                           "borgerstatus", "biler", "virksomheder", "moms", "bidragssager", "feriekonto")
            for r in con.execute(f"SELECT DISTINCT cpr FROM {t}").fetchall()}
    cprs |= {r[0] for r in con.execute("SELECT DISTINCT barn_cpr FROM relationer "
                                       "UNION SELECT aegtefaelle_cpr FROM civilstand "
                                       "WHERE aegtefaelle_cpr IS NOT NULL").fetchall()}
    adr = {r[0] for r in con.execute("SELECT DISTINCT adresse_id FROM adresser").fetchall()}
    top = con.execute("SELECT kommunekode, count(DISTINCT cpr) AS n FROM ydelsessager "
                      "GROUP BY kommunekode ORDER BY n DESC, kommunekode LIMIT 1").fetchall()
    kommune = int(top[0][0]) if top else 151
    n_ym = int(con.execute("SELECT count(DISTINCT cpr) FROM ydelsessager").fetchall()[0][0])
    n = max(4, round(n_ym / 60))
    con.close()

    lister = indlaes_lister(lister_mappe)
    p = _Plant(np.random.default_rng(seed), cprs, adr, kommune, dato)
    _bopaelssamlinger(p, n, _graense(lister, "bopaelssamlinger", "voksne_paa_adressen", "min_antal", dato, 4))
    maaneder = lister["proforma_flytning"].periode_maaneder if "proforma_flytning" in lister else 3
    _proforma(p, n, _graense(lister, "proforma_flytning", "tilmeldinger_paa_adressen", "min_antal", dato, 4),
              maaneder)
    _samliv(p, max(6, n + n // 2))

    files, _ = find_files(mappe)
    fmt = ".parquet" if sum(f.suffix == ".parquet" for f in files.values()) > len(files) / 2 else ".csv"
    res = Beriget(mappe)
    for navn in _TABELLER:
        rows = p.rows[navn]
        if not rows:
            continue
        path = files.get(navn)
        if path is None:
            _ny_fil(mappe, navn, rows, fmt)
        elif path.suffix == ".csv":
            _tilfoej_csv(path, rows)
        elif path.suffix == ".parquet":
            _tilfoej_parquet(path, rows)
        else:
            _tilfoej_xlsx(path, rows)
        res.raekker[navn] = len(rows)
    try:
        indlaes(mappe).con.close()
    except RegisterFejl as e:                    # pragma: no cover - a bug here, not user input
        raise KontrolFejl(f"Den berigede mappe overholder ikke registerkontrakten:\n{e}") from None
    plan = pd.DataFrame(p.plan, columns=["liste", "cpr", "forventet", "tilfaelde"])
    plan.to_csv(mappe / PLAN, sep=";", index=False, encoding="utf-8")
    (mappe / MARKOER).write_text(f"Beriget med mønstre for lokale kontrollister den {dato.isoformat()} "
                                 f"(seed {seed}).\n", encoding="utf-8")
    res.plan = plan
    return res

