"""Writes vesthimmerland_2010_2018.csv: synthetic case rows (sag × ydelse, no CPR) whose totals are
the 2010-2018 table of Vesthimmerlands Kommune's statusnotat 2019
(seeds/vesthimmerland-statusnotat-2019.txt), and whose 2018 cases from internal and citizens'
reports and the friplads project are 322 closed, 30 with "snyd" (provenu).

The report's grouping is followed: the rows under "Sager med Udbetaling Danmark" (including the
years 2010-2012, when they were still municipal cases, and "Beboerindskud") carry myndighed udk;
"Beboerindskud" and "Diverse: Andet" have no ydelse of their own in the import format and are
imported as ydelse andet. Run from the repository root; the output is committed; the test types
the published numbers itself. Deterministic (fixed seed).
"""

import csv
import datetime as dt
import random
from pathlib import Path

RNG = random.Random(20190401)
KOMMUNE = 820
AAR = list(range(2010, 2019))
KOLONNER = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11", "oprettet",
            "afsluttet", "resultat", "besparelse_rytme", "besparelse_beloeb", "tilbagebetalingskrav",
            "efterregulering", "skat", "politianmeldt", "videresendt_til"]
FAKTOR = {"maaned": 12, "uge": 52, "kvartal": 4, "aar": 1, "fast": 1}
EGNE = ["intern", "anonym_anmeldelse", "navngiven_anmeldelse", "projekt"]   # the 322 cases' channels

# (ydelse, myndighed, kanaler, values 2010-2018); "Kontanthjælp, ledighedsydelse mv" is split in two.
TABEL = [
    ("kontanthjaelp+ledighedsydelse", "kommune", EGNE,
     [188570, 821628, 2013378, 2213083, 1233009, 1450976, 745294, 808980, 379788]),
    ("sygedagpenge", "kommune", EGNE, [0, 198796, 388280, 220640, 0, 397796, 557725, 637683, 1300080]),
    ("oekonomisk_friplads", "kommune", ["projekt"],
     [169364, 828883, 494575, 496627, 325708, 740407, 873130, 681423, 494268]),
    ("andet", "kommune", EGNE, [0, 0, 239028, 14964, 506982, 459268, 168956, 206892, 16320]),
    ("boligsikring", "udk", ["udk"], [238366, 992841, 631585, 747534, 250137, 420606, 529849, 289298, 306579]),
    ("boligydelse", "udk", ["udk"], [0, 305249, 141932, 101616, 30228, 46440, 54792, 41692, 39029]),
    ("andet", "udk", ["udk"], [0, 24500, 31900, 0, 0, 0, 0, 0, 0]),                     # beboerindskud
    ("boerne_og_ungeydelse", "udk", ["udk"], [134700, 1112395, 719582, 621738, 346791, 448081, 428266, 415960, 268412]),
    ("folkepension", "udk", ["udk"], [0, 0, 73560, 70320, 0, 43740, 39156, 0, 0]),
    ("foertidspension", "udk", ["udk", "dfd_registersamkoering"],
     [1032912, 1173266, 938737, 919189, 427721, 188097, 162732, 704603, 73728]),
    ("kontanthjaelp", "anden_kommune", ["anden_kommune"], [0, 189036, 246429, 0, 31788, 36190, 39156, 0, 0]),
    ("kontanthjaelp", "skattestyrelsen", ["skattestyrelsen"], [0, 672795, 548383, 189445, 0, 0, 26000, 0, 0]),
    ("su", "su_styrelsen", ["su_styrelsen"], [0, 0, 0, 28536, 138072, 106452, 0, 0, 0]),
]
# 2018: the municipality's own channels closed 322 cases, 30 with provenu: one money row per case.
RAEKKER_2018 = {"kontanthjaelp+ledighedsydelse": 8, "sygedagpenge": 10, "oekonomisk_friplads": 10, "andet": 2}

rows = []
n = [0]


def kr(oere):
    return "" if not oere else f"{oere // 100}.{oere % 100:02d}"


def sag(aar, kanal):
    n[0] += 1
    afsl = dt.date(aar, 1, 1) + dt.timedelta(days=RNG.randrange(0, 365))
    opr = afsl - dt.timedelta(days=RNG.randrange(5, 150))
    return {"sag_id": f"VH-{aar}-{n[0]:04d}", "kommunekode": KOMMUNE, "kanal": kanal,
            "kontroltrin": 3, "oprettet": opr.isoformat(), "afsluttet": afsl.isoformat(), "paragraf11": "nej"}


def penge(s, ydelse, myndighed, oere):
    rytme = RNG.choice(["maaned", "uge", "kvartal", "aar", "fast", None])
    besp = 0
    if rytme:
        besp = int(oere * RNG.uniform(0.3, 0.8)) // FAKTOR[rytme] * FAKTOR[rytme]
    rows.append({**s, "ydelse": ydelse, "myndighed": myndighed, "resultat": "aendret_tildeling",
                 "besparelse_rytme": rytme or "", "besparelse_beloeb": kr(besp // FAKTOR[rytme]) if rytme else "",
                 "tilbagebetalingskrav": kr(oere - besp), "efterregulering": "", "skat": "",
                 "politianmeldt": RNG.choice(["ja", "nej", "nej"]), "videresendt_til": ""})


def dele(total, antal):
    cuts = sorted(RNG.sample(range(1, total), antal - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


for ydelse, myndighed, kanaler, vaerdier in TABEL:
    for aar, v in zip(AAR, vaerdier):
        if v == 0:
            continue
        antal = RAEKKER_2018[ydelse] if (aar == 2018 and myndighed == "kommune") else RNG.randint(1, 3)
        for del_ in dele(v * 100, antal):
            y = ydelse
            if ydelse == "kontanthjaelp+ledighedsydelse":
                y = RNG.choice(["kontanthjaelp", "ledighedsydelse"])
            penge(sag(aar, RNG.choice(kanaler)), y, myndighed, del_)

# 2018: 292 more cases from the same channels closed without a changed award (322 - 30).
for i in range(292):
    s = sag(2018, RNG.choice(EGNE))
    rows.append({**s, "ydelse": RNG.choice(["kontanthjaelp", "oekonomisk_friplads", "sygedagpenge"]),
                 "myndighed": "kommune", "resultat": RNG.choice(["henlagt_i_visitering", "henlagt_efter_partshoering"]),
                 "besparelse_rytme": "", "besparelse_beloeb": "", "tilbagebetalingskrav": "", "efterregulering": "",
                 "skat": "", "politianmeldt": "nej", "videresendt_til": ""})

out = Path(__file__).with_name("vesthimmerland_2010_2018.csv")
with out.open("w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=KOLONNER, delimiter=";", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in KOLONNER})
print(f"{out}: {len(rows)} rækker")
