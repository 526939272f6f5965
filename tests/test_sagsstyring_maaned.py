"""A scripted month of daily runs on synthetic udfald (order, visit, decide, expire), on SQLite
and PostgreSQL. The store's log must explain every case, the bestillingsliste must never show a
cpr number, and fredning and expiry must behave as spec/arbejdsgang.md says."""

import datetime as dt
import random
import re
from collections import Counter

import pandas as pd

from kontrol_lib.flader.cli import main
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.vokabular.tid import plus_maaneder
from kontrol_lib.jobs.daglig import koer_udfald
from test_sagsstyring_hjaelp import REGLER, frame, u

START = dt.date(2024, 5, 1)
BACKLOG = dt.date(2024, 2, 1)         # cases nobody orders: they expire on 2024-05-01
CPR = re.compile(r"\d{10}")
RULES = sorted(REGLER)


def cpr(i: int) -> str:
    return f"{i % 28 + 1:02d}{i // 28 % 12 + 1:02d}7{i % 10}{i:04d}"


def day_udfald(rng: random.Random, day: dt.date, seen: list[tuple]) -> list[dict]:
    """Some new YM, some new events for known YM, and repeats of events already given."""
    rows = []
    for _ in range(rng.randint(2, 5)):
        ym = cpr(rng.randint(0, 150))
        regel = rng.choice(RULES)
        key = (ym, regel, f"{regel}-{day.isoformat()}-{rng.randint(0, 9)}")
        rows.append(u(key[0], key[1], key[2], dato=(day - dt.timedelta(days=3)).isoformat(),
                      kle=rng.choice(["32.24.04", "32.24.10", "32.18.04"])))
        seen.append(key)
    for key in rng.sample(seen, min(len(seen), 4)):        # the same events again: fredet
        rows.append(u(key[0], key[1], key[2]))
    return rows


def test_a_scripted_month_leaves_a_log_that_explains_every_case(db_url, tmp_path):
    rng = random.Random(20240501)
    lg = SagsLager(db_url)
    seen: list[tuple] = []
    backlog = koer_udfald(lg, frame(*day_udfald(rng, BACKLOG, seen)), BACKLOG, regler=REGLER).nye_sager
    given: list[tuple] = list(seen)
    expired_on: dict[str, dt.date] = {}
    waiting: list[tuple[str, dt.date]] = []                   # in partshøring, with the decision day
    users = ["anna", "bo", "carl"]
    for n in range(31):
        day = START + dt.timedelta(days=n)
        rows = day_udfald(rng, day, seen)
        given += [(r["ym_cpr"], r["regel"], r["haendelse_id"]) for r in rows]
        res = koer_udfald(lg, frame(*rows), day, regler=REGLER)
        for s in res.udloebne_sager:
            expired_on[s] = day
        fravalg = ["flytning"] if n % 2 else []
        bl = lg.bestillingsliste(fravaelg=fravalg)
        assert not any(CPR.search(str(v)) for v in bl.to_numpy().ravel())
        if n % 7 == 6:                                         # weekend: nobody orders
            continue
        user = users[n % 3]
        ordered = lg.bestil(2, user, fravaelg=fravalg, dato=day)
        assert ordered == bl["sag_id"].tolist()[:2]            # oldest udloebsdato first
        for i, sag in enumerate(ordered):
            if rng.random() < 0.2:
                lg.genbestil(sag, user, dato=day)
            elif i % 2 == 0:
                lg.visiter(sag, user, "henlaeg", dato=day)
            else:
                lg.visiter(sag, user, "partshoering", dato=day)
                waiting.append((sag, day + dt.timedelta(days=rng.randint(3, 10))))
        for sag, when in [w for w in waiting if w[1] == day]:
            if rng.random() < 0.5:
                lg.afgoer(sag, user, "aendret_tildeling", Beloeb(besparelse_rytme="maaned",
                          besparelse_beloeb=f"{rng.randint(500, 9000)}.{rng.randint(0, 99):02d}"), dato=day)
            else:
                lg.afgoer(sag, user, "henlagt_efter_partshoering", dato=day)

    # the log explains every case: every transition is allowed and starts where the last ended
    assert lg.tjek_log() == []
    assert main(["log", "--kontroller", "--db", db_url]) == 0

    log, sager = lg.log(), lg.sager()
    last = log.sort_values("sekvens").groupby("sag_id")["til"].last()
    assert (sager.set_index("sag_id")["status"] == last.reindex(sager["sag_id"]).values).all()

    # fredning: every distinct (ym, regel, haendelse_id) is on exactly one case, never twice
    with lg.laes() as conn:
        keys = conn.exec_driver_sql("SELECT ym_cpr, regel, haendelse_id FROM udfald").fetchall()
    assert len(keys) == len(set(keys)) == len(set(given))
    # one case per YM at a time on the bestillingsliste
    udstillet = lg.sager(statusser=["udstillet"])
    with lg.laes() as conn:
        owners = dict(conn.exec_driver_sql("SELECT sag_id, ym_cpr FROM sager").fetchall())
    assert Counter(owners[s] for s in udstillet["sag_id"]).most_common(1)[0][1] == 1

    # expiry: exactly the backlog cases nobody ordered, on their udloebsdato, logged as not processed
    expired = set(sager.loc[sager["status"] == "udloebet", "sag_id"])
    assert expired == set(expired_on) and expired <= set(backlog) and expired
    for s in expired:
        row = sager[sager["sag_id"] == s].iloc[0]
        assert row.udloebsdato == plus_maaneder(row.oprettet, 3) == expired_on[s] == START
        assert log[(log["sag_id"] == s) & (log["til"] == "udloebet")]["data"].iloc[0]["aarsag"] == "ikke behandlet"
    open_ = sager[sager["status"] == "udstillet"]
    assert all(d > START + dt.timedelta(days=30) for d in open_["udloebsdato"])

    # everything ordered and visited ends on the feedbackliste
    fb = lg.feedbackliste("leder", alle=True, formaal="visitering")
    visited = set(log.loc[log["haendelse"] == "visiter", "sag_id"])
    assert visited == set(fb["sag_id"])

    # the same day again changes nothing
    n_log = len(log)
    again = koer_udfald(lg, frame(*[u(k[0], k[1], k[2]) for k in given[-10:]]), START + dt.timedelta(days=30),
                        regler=REGLER)
    assert (again.nye_udfald, again.udloebne_sager) == (0, [])
    assert len(lg.log()) == n_log

    # the CSV of the bestillingsliste holds no cpr either
    out = tmp_path / "bl.csv"
    assert main(["bestillingsliste", "--db", db_url, "--ud", str(out)]) == 0
    csv = pd.read_csv(out, dtype=str)
    assert {"sag_id", "udloebsdato"} <= set(csv.columns) and not CPR.search(out.read_text())
