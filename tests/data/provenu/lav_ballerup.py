"""Writes ballerup_2019_2023.csv: synthetic case rows (sag × ydelse, no CPR) whose totals are the
published figures of Ballerup Kommune's årsrapport 2023 (seeds/ballerup-aarsrapport-2023.txt).

Run from the repository root: ``.venv/bin/python tests/data/provenu/lav_ballerup.py``. The output
is committed; the test types the published numbers itself and never reads this script.
Deterministic (fixed seed). Amounts are built in whole øre so every rhythm multiplies out exactly.
"""

import csv
import datetime as dt
import random
from pathlib import Path

RNG = random.Random(20231231)
KOLONNER = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11", "oprettet",
            "afsluttet", "resultat", "besparelse_rytme", "besparelse_beloeb", "tilbagebetalingskrav",
            "efterregulering", "skat", "politianmeldt", "videresendt_til"]
FAKTOR = {"maaned": 12, "uge": 52, "kvartal": 4, "aar": 1, "fast": 1}
KANALER_KL = ["anonym_anmeldelse", "navngiven_anmeldelse", "intern", "dfd_registersamkoering", "projekt",
              "boligselskab"]
rows = []
n = {"": 0}


def kr(oere):
    return "" if oere is None else f"{oere // 100}.{oere % 100:02d}"


def dato(aar):
    start = dt.date(aar, 1, 1)
    return start + dt.timedelta(days=RNG.randrange(0, 365))


def sag(aar, kanal, trin, kommune=151, afsluttet=None, oprettet=None):
    n[""] += 1
    afsl = afsluttet or dato(aar)
    opr = oprettet or (afsl - dt.timedelta(days=RNG.randrange(10, 200)))
    return {"sag_id": f"BK-{aar}-{n['']:04d}", "kommunekode": kommune, "kanal": kanal, "kontroltrin": trin,
            "oprettet": opr.isoformat(), "afsluttet": afsl.isoformat()}


def raekke(s, ydelse, myndighed, resultat="aendret_tildeling", rytme=None, pr_rytme=None, krav=None,
           efter=None, skat=None, p11="nej", politi="nej", videre=None):
    rows.append({**s, "ydelse": ydelse, "myndighed": myndighed, "paragraf11": p11, "resultat": resultat,
                 "besparelse_rytme": rytme or "", "besparelse_beloeb": kr(pr_rytme), "tilbagebetalingskrav": kr(krav),
                 "efterregulering": kr(efter), "skat": kr(skat), "politianmeldt": politi,
                 "videresendt_til": videre or ""})


def dele(total, antal):
    """``total`` øre in ``antal`` positive parts (not round: øre included)."""
    cuts = sorted(RNG.sample(range(1, total), antal - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def med_penge(s, ydelse, myndighed, provenu, rytmer, efter_andel=0, skat_andel=0, **kw):
    """One money row worth exactly ``provenu`` øre: a besparelse over a rhythm, the rest as krav
    (and optionally some efterregulering / skat)."""
    rytme = RNG.choice(rytmer) if rytmer else None
    besp = 0
    if rytme:
        andel = RNG.uniform(0.2, 0.7)
        besp = int(provenu * andel) // FAKTOR[rytme] * FAKTOR[rytme]
    efter = int((provenu - besp) * efter_andel)
    skat = int((provenu - besp - efter) * skat_andel)
    krav = provenu - besp - efter - skat
    raekke(s, ydelse, myndighed, rytme=rytme, pr_rytme=(besp // FAKTOR[rytme]) if rytme else None,
           krav=krav, efter=efter or None, skat=skat or None, **kw)


def kategori_aar(aar, total_kr, antal, ydelser, myndighed, rytmer, kanaler, **kw):
    for i, p in enumerate(dele(total_kr * 100, antal)):
        s = sag(aar, RNG.choice(kanaler), RNG.choice([2, 3]))
        med_penge(s, RNG.choice(ydelser), myndighed, p, rytmer, **kw)


KL_YDELSER = ["kontanthjaelp", "sygedagpenge", "oekonomisk_friplads", "uddannelseshjaelp", "fleksjob",
              "ledighedsydelse", "integrationsydelse", "ressourceforloeb"]
UDK_YDELSER = ["boligsikring", "boligydelse", "boerne_og_ungeydelse", "boernetilskud", "folkepension",
               "foertidspension", "barseldagpenge"]
ALLE_RYTMER = ["maaned", "uge", "kvartal", "aar", "fast"]

# --- the five-year table (KL-ydelser, UDK-ydelser, § 11, tilflytninger, SU) for 2019-2022 -------------
for aar, kl, udk, p11, tilfl, su in [(2019, 5_401_056, 920_000, 272_000, 0, 0),
                                      (2020, 2_212_556, 189_000, 0, 0, 0),
                                      (2021, 3_499_607, 2_099_753, 0, 0, 0),
                                      (2022, 6_349_357, 478_506, 0, 429_984, 773_076)]:
    kategori_aar(aar, kl, 9, KL_YDELSER, "kommune", ALLE_RYTMER, KANALER_KL, skat_andel=0.05)
    kategori_aar(aar, udk, 4, UDK_YDELSER, "udk", ["maaned", "kvartal"], ["udk", "dfd_registersamkoering"],
                 efter_andel=0.1)
    if p11:
        kategori_aar(aar, p11, 2, ["folkepension", "boligsikring"], "udk", ["maaned"], ["udk"], p11="ja")
    if tilfl:
        kategori_aar(aar, tilfl, 3, ["tilflytning"], "kommune", ["fast"], ["intern", "boligselskab"])
    if su:
        kategori_aar(aar, su, 4, ["su"], "su_styrelsen", None, ["intern", "projekt"], videre="su_styrelsen")

# --- 2023 ---------------------------------------------------------------------------------------------
# UDK's statusopgørelse for Ballerup, per ydelse, built row by row.
s = sag(2023, "navngiven_anmeldelse", 3)               # a case touching a KL ydelse and a UDK ydelse
raekke(s, "kontanthjaelp", "kommune", rytme="maaned", pr_rytme=1_234_525, krav=4_500_000, politi="ja")
raekke(s, "boligydelse", "udk", rytme="maaned", pr_rytme=312_000, krav=33_039_500, videre="udk")
kl_2023_fast = 1_234_525 * 12 + 4_500_000              # øre already used of KL-ydelser 2023
for pr_kvartal, krav in [(500_025, 1_000_010), (450_075, 1_200_090), (624_300, 840_000),
                         (570_000, 1_500_000), (580_000, 1_000_000)]:
    raekke(sag(2023, "udk", 3), "boerne_og_ungeydelse", "udk", rytme="kvartal", pr_rytme=pr_kvartal, krav=krav)
raekke(sag(2023, "dfd_registersamkoering", 3), "boernetilskud", "udk", krav=1_792_800)
raekke(sag(2023, "udk", 3), "foertidspension", "udk", rytme="maaned", pr_rytme=591_650, krav=40_000_000,
       efter=5_000_000)
raekke(sag(2023, "intern", 3), "foertidspension", "udk", rytme="maaned", pr_rytme=591_650, krav=45_492_600,
       efter=4_309_800)
# § 11: three closed, one with provenu (krav 996.981, årlig besparelse 118.176 = 9.848 × 12).
raekke(sag(2023, "udk", 3), "boligsikring", "udk", rytme="maaned", pr_rytme=984_800, krav=99_698_100, p11="ja")
raekke(sag(2023, "udk", 3), "folkepension", "udk", resultat="henlagt_efter_partshoering", p11="ja")
raekke(sag(2023, "udk", 3), "boernetilskud", "udk", resultat="henlagt_i_visitering", p11="ja")
# KL-ydelser 2023: the rest over several rhythms, with øre, skat and a two-ydelse case.
s = sag(2023, "anonym_anmeldelse", 3)
raekke(s, "kontanthjaelp", "kommune", rytme="uge", pr_rytme=345_675, krav=2_000_050)
raekke(s, "oekonomisk_friplads", "kommune", rytme="aar", pr_rytme=1_850_000, krav=None)
kl_2023_fast += 345_675 * 52 + 2_000_050 + 1_850_000
raekke(sag(2023, "projekt", 2), "sygedagpenge", "kommune", rytme="uge", pr_rytme=410_000, krav=1_230_075,
       skat=615_000)
kl_2023_fast += 410_000 * 52 + 1_230_075 + 615_000
# The year boundary: closed on 1 January 2023 (counts in 2023) and 31 December 2022 (counts in 2022).
raekke(sag(2023, "intern", 2, afsluttet=dt.date(2023, 1, 1), oprettet=dt.date(2022, 11, 1)), "fleksjob",
       "kommune", rytme="maaned", pr_rytme=100_000, krav=None)
kl_2023_fast += 1_200_000
rest = 5_764_357 * 100 - kl_2023_fast
for p in dele(rest, 8):
    med_penge(sag(2023, RNG.choice(KANALER_KL), RNG.choice([2, 3])), RNG.choice(KL_YDELSER), "kommune", p,
              ALLE_RYTMER, skat_andel=0.03)
kategori_aar(2023, 761_984, 4, ["tilflytning"], "kommune", ["fast"], ["intern", "boligselskab"])
kategori_aar(2023, 1_983_289, 6, ["su"], "su_styrelsen", None, ["intern", "projekt"], videre="su_styrelsen")

# --- rows that must count nowhere in the money tables ---------------------------------------------------
for aar in range(2019, 2024):
    for res in ("henlagt_i_visitering", "henlagt_efter_partshoering", "udloebet"):
        raekke(sag(aar, RNG.choice(KANALER_KL), RNG.choice([1, 2, 3])), RNG.choice(KL_YDELSER), "kommune",
               resultat=res)
# closed 31 December 2022: a 2022 case (money in KL-ydelser 2022 would change the published figure,
# so it is henlagt; the 1 January 2023 case above carries the money on the other side).
raekke(sag(2022, "intern", 2, afsluttet=dt.date(2022, 12, 31)), "kontanthjaelp", "kommune",
       resultat="henlagt_efter_partshoering")
# open cases (no afsluttet): count nowhere.
for i in range(3):
    n[""] += 1
    rows.append({"sag_id": f"BK-AABEN-{i + 1}", "kommunekode": 151, "kanal": "anonym_anmeldelse",
                 "kontroltrin": 3, "ydelse": "kontanthjaelp", "myndighed": "kommune", "paragraf11": "nej",
                 "oprettet": "2023-11-01", "afsluttet": "", "resultat": "", "besparelse_rytme": "",
                 "besparelse_beloeb": "", "tilbagebetalingskrav": "", "efterregulering": "", "skat": "",
                 "politianmeldt": "", "videresendt_til": ""})
# another municipality (Brøndby, 153) in the same file: excluded by --kommune 151.
raekke(sag(2023, "anonym_anmeldelse", 3, kommune=153), "kontanthjaelp", "kommune", rytme="maaned",
       pr_rytme=1_000_000, krav=5_000_000)
raekke(sag(2023, "udk", 3, kommune=153), "boligydelse", "udk", rytme="maaned", pr_rytme=200_000, krav=100_000)

out = Path(__file__).with_name("ballerup_2019_2023.csv")
with out.open("w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=KOLONNER, delimiter=";", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in KOLONNER})
print(f"{out}: {len(rows)} rækker")
