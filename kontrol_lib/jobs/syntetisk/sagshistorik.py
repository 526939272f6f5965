"""Synthetic history of control cases (``kontrolsager.csv`` of ``spec/provenu.md``).

The demo and the report tests need years of closed cases from every kanal, as a kontrolgruppe
has them in its old Excel sheets. This module makes such a history, deterministic per seed and
scaled by the municipality's size; it has no CPR numbers (the import format has none).

The mix follows the seeds: most provenu from the municipality's own ydelser (kontanthjælp,
sygedagpenge, økonomisk friplads), a share from UDK-ydelser (some through § 11), refused
move-ins ("tilflytning", a fixed amount), and SU cases passed on to SU-styrelsen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from kontrol_lib.vokabular.koder import KANALER, MYNDIGHEDER, RESULTATER, RYTMER, UDLOEBET, YDELSER
from kontrol_lib.vokabular.steder import shipped_kommuner
import calendar
from importlib import resources

KOLONNER = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11",
            "oprettet", "afsluttet", "resultat", "besparelse_rytme", "besparelse_beloeb",
            "tilbagebetalingskrav", "efterregulering", "skat", "politianmeldt", "videresendt_til"]

# The synthetic profile per ydelse (codes from kontrol_lib.vokabular.koder, checked below):
# ydelse: (myndighed, rhythm, typical amount per rhythm in kr, typical repayment claim in kr)
YDELSE_PROFIL = {
    "kontanthjaelp": ("kommune", "maaned", 11_500, 45_000),
    "uddannelseshjaelp": ("kommune", "maaned", 7_000, 25_000),
    "integrationsydelse": ("kommune", "maaned", 6_500, 20_000),
    "sygedagpenge": ("kommune", "uge", 4_300, 30_000),
    "oekonomisk_friplads": ("kommune", "maaned", 2_400, 18_000),
    "boligsikring": ("udk", "maaned", 2_300, 16_000),
    "boligydelse": ("udk", "maaned", 2_000, 40_000),
    "boerne_og_ungeydelse": ("udk", "kvartal", 4_600, 11_000),
    "boernetilskud": ("udk", "kvartal", 6_000, 17_000),
    "foertidspension": ("udk", "maaned", 5_900, 150_000),
    "folkepension": ("udk", "maaned", 5_400, 120_000),
    "su": ("su_styrelsen", "maaned", 6_800, 60_000),
    "tilflytning": ("kommune", "fast", 60_000, 0),
}
# kanal: (share of cases, ydelser it brings, kontroltrin)
KANAL_PROFIL = {
    "dfd_registersamkoering": (0.30, ["kontanthjaelp", "uddannelseshjaelp", "integrationsydelse"], 2),
    "anonym_anmeldelse": (0.16, ["kontanthjaelp", "boligsikring", "boerne_og_ungeydelse", "oekonomisk_friplads"], 3),
    "navngiven_anmeldelse": (0.06, ["kontanthjaelp", "boligsikring", "boernetilskud"], 3),
    "intern": (0.14, ["kontanthjaelp", "sygedagpenge", "oekonomisk_friplads", "tilflytning"], 3),
    "udk": (0.12, ["boligsikring", "boligydelse", "boerne_og_ungeydelse", "boernetilskud",
                   "foertidspension", "folkepension"], 3),
    "su_styrelsen": (0.06, ["su"], 3),
    "projekt": (0.08, ["oekonomisk_friplads", "su", "tilflytning"], 3),
    "boligselskab": (0.04, ["boligsikring", "kontanthjaelp"], 3),
    "skattestyrelsen": (0.02, ["kontanthjaelp", "sygedagpenge"], 3),
    "politi": (0.02, ["kontanthjaelp", "foertidspension"], 3),
}
# The results a closed history case gets (udloebet is added with its own share below).
RESULTAT_VALG = [r for r in RESULTATER if r != UDLOEBET]
assert set(YDELSE_PROFIL) <= set(YDELSER) and set(KANAL_PROFIL) <= set(KANALER)
assert {m for m, *_ in YDELSE_PROFIL.values()} <= set(MYNDIGHEDER)
assert {r for _m, r, *_ in YDELSE_PROFIL.values()} <= set(RYTMER)


def _money(rng: np.random.Generator, typical: int) -> Decimal:
    value = rng.lognormal(np.log(typical), 0.55)
    return Decimal(int(value)).quantize(Decimal("0.01"))


def generer_sager(kommune: int, fra_aar: int, til_aar: int, seed: int = 1,
                  sager_pr_aar: int | None = None, aabne_til: dt.date | None = None) -> pd.DataFrame:
    """A history of control cases for one municipality, one row per (sag × ydelse).

    ``sager_pr_aar`` defaults to a figure scaled by the municipality's size (Ballerup ≈ 320).
    Cases created after ``aabne_til`` minus a few weeks may still be open (no afsluttet)."""
    kommuner = shipped_kommuner()
    if int(kommune) not in set(kommuner["kommunekode"]):
        raise KeyError(f"Ukendt kommunekode: {kommune}")
    rng = np.random.default_rng([int(seed), int(kommune)])
    if sager_pr_aar is None:
        sager_pr_aar = max(20, int(320 * _size_factor(int(kommune))))
    kanal_names = list(KANAL_PROFIL)
    shares = np.array([KANAL_PROFIL[k][0] for k in kanal_names])
    shares = shares / shares.sum()
    rows = []
    n = 0
    last_day = aabne_til or dt.date(til_aar, 12, 31)
    for aar in range(fra_aar, til_aar + 1):
        count = int(rng.poisson(sager_pr_aar))
        for _ in range(count):
            n += 1
            kanal = kanal_names[rng.choice(len(kanal_names), p=shares)]
            _share, ydelser, trin = KANAL_PROFIL[kanal]
            oprettet = dt.date(aar, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
            varighed = int(rng.gamma(2.0, 25.0)) + 1
            afsluttet = oprettet + dt.timedelta(days=varighed)
            if afsluttet > last_day:
                afsluttet = None
            if kanal == "dfd_registersamkoering":
                resultat = rng.choice(RESULTAT_VALG + [UDLOEBET], p=[0.45, 0.15, 0.32, 0.08])
            else:
                resultat = rng.choice(RESULTAT_VALG, p=[0.25, 0.25, 0.50])
            if resultat == "udloebet" and afsluttet is not None:
                afsluttet = _plus_months(oprettet, 3)   # expired three months after it was exposed
                if afsluttet > last_day:
                    afsluttet = None
            if afsluttet is None:
                resultat = None
            n_ydelser = 2 if (kanal in ("anonym_anmeldelse", "udk") and rng.random() < 0.2) else 1
            chosen = list(rng.choice(ydelser, size=min(n_ydelser, len(ydelser)), replace=False))
            paragraf11 = "ja" if (kanal == "udk" and rng.random() < 0.25) else "nej"
            politi = "ja" if (resultat == "aendret_tildeling" and rng.random() < 0.1) else "nej"
            for ydelse in chosen:
                myndighed, rytme, typisk, krav_typisk = YDELSE_PROFIL[ydelse]
                row = dict(sag_id=f"S{kommune:03d}-{aar}-{n:05d}", kommunekode=int(kommune), kanal=kanal,
                           kontroltrin=trin, ydelse=ydelse, myndighed=myndighed, paragraf11=paragraf11,
                           oprettet=oprettet, afsluttet=afsluttet, resultat=resultat,
                           besparelse_rytme=None, besparelse_beloeb=None, tilbagebetalingskrav=None,
                           efterregulering=None, skat=None, politianmeldt=politi,
                           videresendt_til="su_styrelsen" if myndighed == "su_styrelsen" else None)
                if resultat == "aendret_tildeling":
                    stop = ydelse == "tilflytning" or rng.random() < 0.75
                    krav = ydelse != "tilflytning" and (not stop or rng.random() < 0.6)
                    if myndighed == "su_styrelsen":
                        stop, krav = False, True
                    if stop:
                        row["besparelse_rytme"] = rytme
                        row["besparelse_beloeb"] = _money(rng, typisk)
                    if krav:
                        row["tilbagebetalingskrav"] = _money(rng, krav_typisk)
                    if myndighed == "udk" and rng.random() < 0.1:
                        row["efterregulering"] = _money(rng, 20_000)
                rows.append(row)
    df = pd.DataFrame(rows, columns=KOLONNER)
    return df


def _plus_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _size_factor(kommune: int) -> float:
    """Relative size (Ballerup = 1) from the generator's population table when present."""
    try:
        with resources.files("kontrol_lib.vokabular.data").joinpath("befolkning.csv").open(encoding="utf-8") as f:
            pop = pd.read_csv(f)
        col = [c for c in pop.columns if c != "kommunekode"][0]
        sizes = dict(zip(pop["kommunekode"].astype(int), pop[col].astype(float)))
        return sizes[kommune] / sizes[151]
    except (FileNotFoundError, KeyError, IndexError, ValueError):
        return 1.0


def skriv_sager(df: pd.DataFrame, path: str | Path) -> Path:
    """Write in the import format: ``;``-separated UTF-8, ISO dates, amounts with a decimal point."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for c in ("oprettet", "afsluttet"):
        out[c] = out[c].map(lambda d: d.isoformat() if isinstance(d, dt.date) else "")
    for c in ("besparelse_beloeb", "tilbagebetalingskrav", "efterregulering", "skat"):
        out[c] = out[c].map(lambda x: f"{x:.2f}" if isinstance(x, Decimal) else "")
    out = out.fillna("")
    out.to_csv(path, sep=";", index=False, encoding="utf-8")
    return path
