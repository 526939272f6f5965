"""Table-driven rule cases as data: ``kontrol_lib/regler/nationale/<familie>/tilfaelde.yaml``.

Every case starts from the same small world (:func:`grund`) on D = 2024-05-15 (kontrolperiode
2024-02-01 … 2024-05-31, seneste hele måned April): a ydelsesmodtager (YM) on 32.24.04 since
2020 in Ballerup (151) with a payment on the 15th of the seneste hele måned, married since
2015-06-01 to ÆF, both living at address A1 since 2010. A case adds rows and lists the hits it
expects for ONE rule. A file is a list of cases::

    - navn: B-income of 500,01 kr. is a hit          # the case's name: a sentence
      regel: b_indkomst                               # the rule it runs (only that one)
      dato: 2024-05-15                                # optional: D (the world follows it)
      kle: "32.24.04"                                 # optional: KLE of the YM's case
      oprettet: 2020-01-01                            # optional: the YM's case's oprettet
      input:                                          # rows added to the world, per register
        eindkomst:
          - {cpr: YM, indberetter_cvr: "11111111", branchekode: "471100", indkomsttype: 5,
             udbetalingsdato: 2024-03-01, beloeb: "500,01"}
      erstat:                                         # optional: rows that REPLACE the world's
        adresser: [...]                               # rows of the same people in a register
      udfald:                                         # the expected hits, in any order
        - [YM, 2024-03-01]                            # (rolle, haendelsesdato) of ym YM, or:
        - {ym: YM2, rolle: ÆF, dato: 2024-03-02, kle: "32.24.48", kommunekode: 101,
           haendelse_id: "ÆF|…", oplysninger: "…", bevis: {fakta: {sum: "500.01"}}}

People are named, never numbered: YM, AEF, BARN, BARN2, EKS, YM2, AEF2 (:data:`PERSONER`) in
any CPR column. Texts (CVR, KLE, branchekode, amounts) are quoted so no leading zero is lost.

Every case asserts: exactly the expected hits (ym, rolle, date; with multiplicity), only the
case's rule, every optional field given, and that every hit explains itself in ONE Danish
sentence. ``tests/test_regler.py`` runs every case, named by its sentence.

Running many cases: :meth:`Tilfaelde.koer` runs one case alone (its own registers, only its
rule). :func:`koer_samlet` gives the same result for many cases from one samkøring per run date:
each case's world gets its own people (the named people's CPR numbers with a case number in the
last four digits, mapped back in the result, also inside the ``sk_ref`` of keys and evidence),
so the worlds cannot meet; a case with its own ``kommuner`` rows (which reach every YM) runs
alone. One run instead of one per case is what keeps the rule suite fast; the environment
variable ``KONTROL_TILFAELDE_ENKELTVIS=1`` runs every case alone instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from kontrol_lib.registre.kontrakt import TABLES
from kontrol_lib.regler.byg import byg_registre
from kontrol_lib.regler.motor import samkoer
from kontrol_lib.regler.nationale import FAMILIER, REGLER
from kontrol_lib.vokabular import tid

NATIONALE = Path(__file__).resolve().parent / "nationale"

D = dt.date(2024, 5, 15)
PERSONER = {
    "YM": "0101801234",
    "AEF": "0202811234",
    "BARN": "0303101234",
    "BARN2": "0404121234",
    "EKS": "0505791234",     # an ex-/other spouse
    "YM2": "0606851234",     # a second ydelsesmodtager
    "AEF2": "0707861234",    # ... and the spouse
}
YM, AEF = PERSONER["YM"], PERSONER["AEF"]


def grund(dato: dt.date = D, kle: str = "32.24.04", gift: bool = True, oprettet="2020-01-01") -> dict[str, list]:
    """The standard world on ``dato`` (see the module docstring), as rows per register."""
    betaling = tid.seneste_hele_maaned(dato)[0].replace(day=15)
    t = {
        "ydelsessager": [dict(cpr=YM, kommunekode=151, kle=kle, oprettet=oprettet)],
        "udbetalinger": [dict(cpr=YM, kle=kle, udbetalingsdato=betaling, beloeb="5000")],
        "civilstand": [],
        "adresser": [dict(cpr=YM, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01"),
                     dict(cpr=AEF, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01")],
        "personer": [dict(cpr=YM, foedselsdato="1980-01-01"), dict(cpr=AEF, foedselsdato="1981-02-02")],
    }
    if gift:
        t["civilstand"] += [dict(cpr=YM, haendelse="vielse", dato="2015-06-01", aegtefaelle_cpr=AEF),
                            dict(cpr=AEF, haendelse="vielse", dato="2015-06-01", aegtefaelle_cpr=YM)]
    return t


def med(t: dict[str, list], **rows) -> dict[str, list]:
    """The world with rows added per register."""
    for k, v in rows.items():
        t[k] = t.get(k, []) + list(v)
    return t


class TilfaeldeFejl(ValueError):
    """A case file that does not follow the format (names file and case)."""


_CASE_KEYS = {"navn", "regel", "dato", "kle", "oprettet", "gift", "input", "erstat", "udfald"}
_HIT_KEYS = {"ym", "person", "rolle", "dato", "kle", "kommunekode", "haendelse_id", "oplysninger", "bevis"}


@dataclass(frozen=True)
class Forventet:
    ym: str
    rolle: str
    dato: dt.date
    ekstra: dict = field(default_factory=dict)      # kle, kommunekode, person, haendelse_id, oplysninger, bevis

    @property
    def noegle(self) -> tuple[str, str, str]:
        return (self.ym, self.rolle, self.dato.isoformat())


@dataclass(frozen=True)
class Tilfaelde:
    familie: str
    fil: Path
    navn: str
    regel: str
    dato: dt.date
    kle: str
    oprettet: object
    gift: bool
    input: dict
    erstat: dict
    udfald: tuple[Forventet, ...]

    @property
    def id(self) -> str:
        return f"{self.familie}: {self.navn}"

    def tabeller(self) -> dict[str, list[dict]]:
        """The world of this case: the standard world, the replacements, then the added rows."""
        t = grund(dato=self.dato, kle=self.kle, gift=self.gift, oprettet=self.oprettet)
        for navn, rows in self.erstat.items():
            hvem = {r["cpr"] for r in rows}
            t[navn] = [r for r in t.get(navn, []) if r["cpr"] not in hvem] + list(rows)
        return med(t, **self.input)

    def koer(self) -> pd.DataFrame:
        """The case alone: its own registers, only its rule."""
        return samkoer(byg_registre(self.tabeller()), self.dato, regler=[self.regel])

    def tjek(self, df: pd.DataFrame | None = None) -> pd.DataFrame:
        """Check the case's result (run alone when ``df`` is not given); an AssertionError says
        what differs."""
        df = self.koer() if df is None else df
        assert set(df["regel"]) <= {self.regel}, f"andre regler end {self.regel}: {sorted(set(df['regel']))}"
        fundet = sorted((r.ym_cpr, r.rolle, r.haendelsesdato.isoformat()) for r in df.itertuples())
        forventet = sorted(f.noegle for f in self.udfald)
        assert fundet == forventet, f"udfald (ym, rolle, dato): fundet {_navngiv(fundet)}, forventet {_navngiv(forventet)}"
        # every hit explains itself in ONE Danish sentence
        assert all(df["oplysninger"].str.len() > 20)
        assert df["oplysninger"].str.endswith(".").all()
        assert not df["oplysninger"].str.contains(r"\. [A-ZÆØÅ]").any()
        brugt: set[int] = set()
        for f in self.udfald:
            if not f.ekstra:
                continue
            kandidater = [i for i, r in enumerate(df.itertuples())
                          if i not in brugt and (r.ym_cpr, r.rolle, r.haendelsesdato.isoformat()) == f.noegle]
            passer = [i for i in kandidater if not _afvigelser(df.iloc[i], f.ekstra)]
            assert passer, (f"udfaldet {_navngiv([f.noegle])} afviger: "
                            + "; ".join(_afvigelser(df.iloc[kandidater[0]], f.ekstra)))
            brugt.add(passer[0])
        return df


# ------------------------------------------------------------------------------ many cases at once
def _ref(cpr: str) -> str:
    """The engine's sk_ref: the first 12 hex digits of md5(cpr)."""
    return hashlib.md5(cpr.encode()).hexdigest()[:12]


def _egne_personer(nr: int) -> dict[str, str]:
    """The named people's CPR numbers for case number ``nr`` of a joint run (the first six
    digits kept, the case number in the last four)."""
    return {cpr: cpr[:6] + f"{nr:04d}" for cpr in PERSONER.values()}


def _omdoebt(tabeller: dict[str, list[dict]], navne: dict[str, str]) -> dict[str, list[dict]]:
    cpr_kolonner = {navn: [c.name for c in TABLES[navn].columns if c.kind == "cpr"] for navn in tabeller}
    return {navn: [{k: (navne.get(v, v) if k in cpr_kolonner[navn] else v) for k, v in r.items()} for r in rows]
            for navn, rows in tabeller.items()}


def _tilbage(df: pd.DataFrame, navne: dict[str, str]) -> pd.DataFrame:
    """A joint run's rows of one case with the case's people named as in a run alone."""
    tilbage = {ny: gammel for gammel, ny in navne.items()}
    refs = {_ref(ny): _ref(gammel) for gammel, ny in navne.items()}
    df = df.copy()
    for kolonne in ("ym_cpr", "person_cpr"):
        df[kolonne] = df[kolonne].map(lambda v: tilbage.get(v, v))
    for kolonne in ("haendelse_id", "bevis"):
        df[kolonne] = df[kolonne].map(lambda v: _erstat_refs(v, refs))
    return df.reset_index(drop=True)


def _erstat_refs(tekst: str, refs: dict[str, str]) -> str:
    for ny, gammel in refs.items():
        if ny in tekst:
            tekst = tekst.replace(ny, gammel)
    return tekst


def koer_samlet(tilfaelde: list["Tilfaelde"]) -> dict[str, pd.DataFrame]:
    """Each case's result (``Tilfaelde.id`` → the rows ``koer`` gives), from one samkøring per run
    date over all the cases' worlds (see the module docstring)."""
    if os.environ.get("KONTROL_TILFAELDE_ENKELTVIS"):
        return {t.id: t.koer() for t in tilfaelde}
    grupper: dict[tuple, list[Tilfaelde]] = {}
    for t in tilfaelde:
        alene = "kommuner" in t.input or "kommuner" in t.erstat
        grupper.setdefault((t.dato, t.id if alene else ""), []).append(t)
    ud = {}
    for (dato, _), gruppe in grupper.items():
        if len(gruppe) == 1:
            ud[gruppe[0].id] = gruppe[0].koer()
            continue
        navne = {t.id: _egne_personer(nr) for nr, t in enumerate(gruppe, 1)}
        alle: dict[str, list[dict]] = {}
        for t in gruppe:
            for navn, rows in _omdoebt(t.tabeller(), navne[t.id]).items():
                alle.setdefault(navn, []).extend(rows)
        df = samkoer(byg_registre(alle), dato, regler=sorted({t.regel for t in gruppe}))
        for t in gruppe:
            egne = set(navne[t.id].values())
            ud[t.id] = _tilbage(df[(df["regel"] == t.regel) & df["ym_cpr"].isin(egne)], navne[t.id])
    return ud


def _navngiv(noegler) -> list:
    navn = {v: k for k, v in PERSONER.items()}
    return [(navn.get(a, a),) + tuple(rest) for a, *rest in noegler]


def _delmaengde(forventet, fundet) -> bool:
    """``forventet`` is contained in ``fundet`` (dicts: every key given, recursively; else equal)."""
    if isinstance(forventet, dict):
        return isinstance(fundet, dict) and all(k in fundet and _delmaengde(v, fundet[k]) for k, v in forventet.items())
    return forventet == fundet


def _afvigelser(raekke: pd.Series, ekstra: dict) -> list[str]:
    ud = []
    for k, v in ekstra.items():
        if k == "bevis":
            fundet = json.loads(raekke["bevis"])
            if not _delmaengde(v, fundet):
                ud.append(f"bevis {json.dumps(fundet, ensure_ascii=False)} indeholder ikke {json.dumps(v, ensure_ascii=False)}")
        else:
            kolonne = "person_cpr" if k == "person" else k
            if raekke[kolonne] != v:
                ud.append(f"{k}: fundet {raekke[kolonne]!r}, forventet {v!r}")
    return ud


# ------------------------------------------------------------------------------ reading the files
def _person(v, hvor: str) -> str:
    if v not in PERSONER:
        raise TilfaeldeFejl(f"{hvor}: ukendt person '{v}' (brug {', '.join(PERSONER)})")
    return PERSONER[v]


def _dato(v, hvor: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise TilfaeldeFejl(f"{hvor}: '{v}' er ikke en dato (ÅÅÅÅ-MM-DD)") from None


def _raekker(data, hvor: str) -> dict[str, list[dict]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TilfaeldeFejl(f"{hvor}: skal være register: [rækker]")
    ud = {}
    for navn, rows in data.items():
        if navn not in TABLES:
            raise TilfaeldeFejl(f"{hvor}: ukendt register '{navn}'")
        cpr_kolonner = {c.name for c in TABLES[navn].columns if c.kind == "cpr"}
        ud[navn] = []
        for i, r in enumerate(rows or [], 1):
            if not isinstance(r, dict):
                raise TilfaeldeFejl(f"{hvor}.{navn}[{i}]: en række skal være kolonne: værdi")
            ud[navn].append({k: (_person(v, f"{hvor}.{navn}[{i}].{k}") if k in cpr_kolonner and v is not None else v)
                             for k, v in r.items()})
    return ud


def _forventet(x, hvor: str) -> Forventet:
    if isinstance(x, list) and len(x) == 2:
        return Forventet(YM, str(x[0]), _dato(x[1], hvor))
    if isinstance(x, dict):
        ukendte = set(x) - _HIT_KEYS
        if ukendte or "rolle" not in x or "dato" not in x:
            raise TilfaeldeFejl(f"{hvor}: et udfald har rolle og dato (og evt. {', '.join(sorted(_HIT_KEYS - {'rolle', 'dato'}))})"
                                + (f"; ukendt: {sorted(ukendte)}" if ukendte else ""))
        ekstra = {k: v for k, v in x.items() if k not in ("ym", "rolle", "dato")}
        if "person" in ekstra:
            ekstra["person"] = _person(ekstra["person"], hvor)
        return Forventet(_person(x.get("ym", "YM"), hvor), str(x["rolle"]), _dato(x["dato"], hvor), ekstra)
    raise TilfaeldeFejl(f"{hvor}: et udfald er [rolle, dato] eller {{rolle: …, dato: …, …}}")


def laes(fil: Path, familie: str | None = None) -> list[Tilfaelde]:
    """The cases of one file (a format error names the file and the case)."""
    fil = Path(fil)
    familie = familie or fil.parent.name
    data = yaml.safe_load(fil.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise TilfaeldeFejl(f"{fil}: filen skal være en liste af tilfælde")
    ud = []
    for nr, c in enumerate(data, 1):
        hvor = f"{fil.name}, tilfælde {nr} ({c.get('navn', '?') if isinstance(c, dict) else '?'})"
        if not isinstance(c, dict) or not {"navn", "regel", "udfald"} <= set(c) or set(c) - _CASE_KEYS:
            raise TilfaeldeFejl(f"{hvor}: et tilfælde har navn, regel og udfald (og evt. dato, kle, oprettet, "
                                f"gift, input, erstat)")
        if c["regel"] not in REGLER:
            raise TilfaeldeFejl(f"{hvor}: ukendt regel '{c['regel']}'")
        ud.append(Tilfaelde(
            familie=familie, fil=fil, navn=str(c["navn"]), regel=c["regel"],
            dato=_dato(c.get("dato", D), hvor), kle=str(c.get("kle", "32.24.04")),
            oprettet=c.get("oprettet", "2020-01-01"), gift=bool(c.get("gift", True)),
            input=_raekker(c.get("input"), f"{hvor}, input"), erstat=_raekker(c.get("erstat"), f"{hvor}, erstat"),
            udfald=tuple(_forventet(x, f"{hvor}, udfald") for x in (c["udfald"] or []))))
    navne = [t.navn for t in ud]
    dubletter = sorted({n for n in navne if navne.count(n) > 1})
    if dubletter:
        raise TilfaeldeFejl(f"{fil}: to tilfælde hedder det samme: {dubletter}")
    return ud


def filer() -> list[Path]:
    """Every family's case file, in the order of the families."""
    return [NATIONALE / familie / "tilfaelde.yaml" for familie in FAMILIER]


def alle() -> list[Tilfaelde]:
    """Every case of every family."""
    return [t for f in filer() for t in laes(f)]
