"""Concurrency and crash safety of the case store, on SQLite and PostgreSQL.

Eight worker processes order from the same bestillingsliste at once and then all try to close
the same cases at once; a daily run is killed (SIGKILL) in the middle of its transaction.
"""

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.daglig import koer_udfald
from test_sagsstyring_hjaelp import REGLER, D, afgoer_arbejder, bestil_arbejder, mange_udfald

ARBEJDERE = 8
TESTS = Path(__file__).parent


def _start(target, args_for):
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(ARBEJDERE), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(i), barrier, queue)) for i in range(ARBEJDERE)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return results


def test_eight_caseworkers_ordering_at_once_never_get_the_same_case_and_no_transition_is_lost(db_url):
    lg = SagsLager(db_url)
    alle = koer_udfald(lg, mange_udfald(60), D(2024, 5, 15), regler=REGLER).nye_sager
    results = _start(bestil_arbejder, lambda i: (db_url, f"sb{i}"))
    assert [r[2] for r in results] == [None] * ARBEJDERE
    ordered = [s for r in results for s in r[1]]
    assert len(ordered) == len(set(ordered)) == 60 and set(ordered) == set(alle)
    log = lg.log()
    assert Counter(log["haendelse"]) == {"udstillet": 60, "bestil": 60}
    who = {row.sag_id: row.bruger for row in log[log["haendelse"] == "bestil"].itertuples()}
    assert who == {s: r[0] for r in results for s in r[1]}
    for _, g in log.groupby("sag_id"):
        assert g["sekvens"].tolist() == [1, 2]


def test_eight_decisions_on_the_same_cases_at_once_exactly_one_wins_and_the_others_are_told(db_url):
    lg = SagsLager(db_url)
    alle = koer_udfald(lg, mange_udfald(24), D(2024, 5, 15), regler=REGLER).nye_sager
    lg.bestil(24, "anna", dato=D(2024, 5, 16))
    for s in alle:
        lg.visiter(s, "anna", "partshoering", dato=D(2024, 5, 17))
    results = _start(afgoer_arbejder, lambda i: (db_url, f"sb{i}", list(alle) if i % 2 else alle[::-1]))
    assert [r[3] for r in results] == [[]] * ARBEJDERE           # no crash, no unexpected error
    won = Counter(s for r in results for s in r[1])
    assert won == {s: 1 for s in alle}                             # exactly one winner per case
    told = [msg for r in results for _, msg in r[2]]
    assert len(told) == len(alle) * (ARBEJDERE - 1)
    assert all(("allerede" in m or "afgjort med ændret tildeling" in m or "en anden bruger" in m) for m in told)
    log = lg.log()
    assert Counter(log["haendelse"]) == {"udstillet": 24, "bestil": 24, "visiter": 24, "afgoer": 24}
    winner = {s: r[0] for r in results for s in r[1]}
    assert {row.sag_id: row.bruger for row in log[log["haendelse"] == "afgoer"].itertuples()} == winner
    ks = lg.kontrolsager()
    assert len(ks) == 24 and set(ks["tilbagebetalingskrav"].map(str)) == {"100.00"}


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from kontrol_lib.sager import lager as L
    from kontrol_lib.jobs.daglig import koer_udfald
    from test_sagsstyring_hjaelp import REGLER, D, mange_udfald
    calls = 0
    original = L.SagsLager.indsaet_overgang
    def dies_halfway(self, *a, **k):
        global calls
        calls += 1
        if calls == 25:                      # 24 cases written inside the open transaction
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, *a, **k)
    L.SagsLager.indsaet_overgang = dies_halfway
    koer_udfald(L.SagsLager({url!r}), mange_udfald(40), D(2024, 5, 15), regler=REGLER)
    print("not killed")
""")


def test_a_daily_run_killed_in_the_middle_leaves_the_store_consistent(db_url):
    SagsLager(db_url).luk()       # migrated before the run
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT.format(tests=str(TESTS), url=db_url)],
                          capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert proc.returncode == -9, proc.stderr
    lg = SagsLager(db_url)
    assert lg.log().empty and lg.sager().empty
    with lg.laes() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM udfald").scalar() == 0
    res = koer_udfald(lg, mange_udfald(40), D(2024, 5, 15), regler=REGLER)
    assert len(res.nye_sager) == 40 and res.fredede_udfald == 0
    assert len(lg.log()) == 40
