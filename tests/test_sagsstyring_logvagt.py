"""The log enforced by the database (revision 0003), on SQLite and PostgreSQL.

UPDATE and DELETE on every table of the store are refused by triggers; ``overgange`` and
``visninger`` carry a hash chain that ``tjek_log`` / ``kontrol log --kontroller`` verify, naming the
first row that does not fit (table, id, sag_id; never a cpr number). A fresh store and a store
upgraded from revision 0001 both verify clean.
"""

import datetime as dt
import re
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager import SagsLager, logkaede, migrations
from kontrol_lib.sager.grundlag import Beloeb
from kontrol_lib.sager.lager import opret_engine
from test_sagsstyring_hjaelp import REGLER, YM1, YM2, YM3, D, frame, u

TABELLER = ("sager", "overgange", "udfald", "beloeb", "visninger")
KOLONNE = {"sager": "kanal", "overgange": "bruger", "udfald": "regel", "beloeb": "ydelse", "visninger": "hvad"}
CPR = re.compile(r"\d{10}")


def fyld(lg: SagsLager) -> list[str]:
    """A few cases through the workflow: rows in every table."""
    sager = koer_udfald(lg, frame(u(YM1, "flytning", "a"), u(YM2, "bilkoeb", "b"), u(YM3, "b_indkomst", "c")),
                        D(2024, 5, 15), regler=REGLER).nye_sager
    bestilt = lg.bestil(2, "anna", dato=D(2024, 5, 16))
    lg.prioriteringsliste("anna", formaal="visitering")
    lg.visiter(bestilt[0], "anna", "partshoering", dato=D(2024, 5, 17))
    lg.afgoer(bestilt[0], "anna", "aendret_tildeling",
              Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1234.50"), dato=D(2024, 5, 20))
    lg.kontrolark(bestilt[1], "bo", formaal="visitering")
    return sager


@pytest.fixture
def fyldt(db_url):
    lg = SagsLager(db_url)
    fyld(lg)
    yield db_url, lg
    lg.luk()


def alle(lg: SagsLager) -> dict:
    with lg.laes() as conn:
        return {t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABELLER}


# ------------------------------------------------------------------ the triggers
def test_update_and_delete_are_refused_on_every_table_of_the_store(fyldt):
    url, lg = fyldt
    foer = alle(lg)
    assert all(foer.values())
    for t in TABELLER:
        k = KOLONNE[t]
        saetninger = [f"UPDATE {t} SET {k} = {k}", f"DELETE FROM {t}"]
        if lg.dialekt == "postgresql":
            saetninger.append(f"TRUNCATE {t} CASCADE")
        for sql in saetninger:
            with pytest.raises(DBAPIError, match=f"loggen kan kun tilføjes: {t} kan ikke"):
                with lg.engine.begin() as conn:
                    conn.exec_driver_sql(sql)
    assert alle(lg) == foer and lg.tjek_log() == []


def test_the_code_still_works_with_the_triggers_and_a_fresh_store_verifies_clean(db_url, capsys):
    lg = SagsLager(db_url)
    fyld(lg)
    with lg.laes() as conn:
        for t in ("overgange", "visninger"):
            rows = conn.exec_driver_sql(f"SELECT forrige_hash, hash FROM {t} ORDER BY id").fetchall()
            assert rows[0][0] == logkaede.START and all(re.fullmatch("[0-9a-f]{64}", h) for _, h in rows)
            assert [f for f, _ in rows[1:]] == [h for _, h in rows[:-1]]      # one chain, no forks
    assert lg.tjek_log() == []
    lg.luk()
    assert main(["log", "--kontroller", "--db", db_url]) == 0
    assert "Loggen forklarer hver sag." in capsys.readouterr().out


def test_a_store_upgraded_from_0001_gets_its_chain_and_verifies_clean(db_url):
    eng = opret_engine(db_url)
    alembic_trin(eng, ("upgrade", "0001"))   # the store at revision 0001, with rows
    eng.dispose()
    eng = create_engine(db_url, poolclass=NullPool)
    with eng.begin() as c:
        c.execute(text("INSERT INTO sager (sag_id, kommunekode, kanal, kontroltrin, myndighed, paragraf11, ydelse, "
                       "oprettet, tid) VALUES ('A7M3-Q9PX', 151, 'intern', 1, 'kommune', 'nej', 'kontanthjaelp', "
                       ":d, :t)"), dict(d=D(2024, 5, 15), t=dt.datetime(2024, 5, 15, 6, 30, 0, 123456)))
        for n, h, fra, til in ((1, "udstillet", None, "udstillet"), (2, "bestil", "udstillet", "bestilt")):
            c.execute(text("INSERT INTO overgange (sag_id, sekvens, tid, dato, bruger, haendelse, fra, til, data) "
                           "VALUES ('A7M3-Q9PX', :n, :t, :d, 'anna', :h, :fra, :til, '{\"x\": \"æ\"}')"),
                      dict(n=n, t=dt.datetime(2024, 5, 15 + n), d=D(2024, 5, 15 + n), h=h, fra=fra, til=til))
        c.execute(text("INSERT INTO visninger (tid, bruger, sag_id, hvad) VALUES (:t, 'anna', 'A7M3-Q9PX', "
                       "'kontrolark')"), dict(t=dt.datetime(2024, 5, 17, 9, 0)))
    eng.dispose()
    lg = SagsLager(db_url)              # upgraded 0001 → head
    assert lg.tjek_log() == []
    with lg.laes() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM overgange WHERE hash IS NULL").scalar() == 0
    lg.genbestil("A7M3-Q9PX", "bo", dato=D(2024, 5, 18))     # the chain goes on from the backfill
    lg.kontrolark("A7M3-Q9PX", "bo", formaal="visitering")
    assert lg.tjek_log() == []
    with pytest.raises(DBAPIError, match="loggen kan kun tilføjes"):
        with lg.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM overgange")
    lg.luk()


# ------------------------------------------------------------------ tampering (triggers dropped by hand)
def uden_triggere(url: str, *sql: str) -> None:
    """What someone with the SQLite file could do: drop the triggers, then edit the log."""
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    for (navn,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {navn}")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


@pytest.fixture
def sqlite_fyldt(tmp_path):
    url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    lg = SagsLager(url)
    fyld(lg)
    yield url, lg
    lg.luk()


def rk(lg: SagsLager, tabel: str, nr: int) -> tuple[int, str]:
    """(id, sag_id) of the table's ``nr``-th row."""
    with lg.laes() as conn:
        return tuple(conn.exec_driver_sql(f"SELECT id, sag_id FROM {tabel} ORDER BY id").fetchall()[nr])


def test_a_row_edited_by_hand_is_named_by_the_log_check(sqlite_fyldt, capsys):
    url, lg = sqlite_fyldt
    oid, sag = rk(lg, "overgange", 2)
    uden_triggere(url, f"UPDATE overgange SET bruger = 'mallory' WHERE id = {oid}")
    fejl = lg.tjek_log()
    assert fejl == [f"hashkæden er brudt i overgange, række id {oid} (sag {sag}): rækkens indhold passer "
                    "ikke med dens hash (rækken er ændret)"]
    assert main(["log", "--kontroller", "--db", url]) == 1
    out = capsys.readouterr().out
    assert fejl[0] in out and "1 fejl i loggen." in out and not CPR.search(out)


def test_a_deleted_row_or_a_rehashed_row_is_found_at_the_first_row_that_does_not_fit(sqlite_fyldt):
    url, lg = sqlite_fyldt
    vid, _ = rk(lg, "visninger", 0)
    nid, nsag = rk(lg, "visninger", 1)
    uden_triggere(url, f"DELETE FROM visninger WHERE id = {vid}")
    assert lg.tjek_log() == [f"hashkæden er brudt i visninger, række id {nid} (sag {nsag}): rækken peger ikke "
                             "på den forrige række (en række før den er slettet, indsat eller ændret)"]
    # an edit whose own hash is recomputed is still found: the next row no longer fits
    oid, osag = rk(lg, "overgange", 1)
    with lg.laes() as conn:
        r = dict(conn.exec_driver_sql(f"SELECT * FROM overgange WHERE id = {oid}").mappings().one())
    r.update(bruger="mallory", tid=dt.datetime.fromisoformat(r["tid"]), dato=dt.date.fromisoformat(r["dato"]))
    ny = logkaede.beregn("overgange", r, r["forrige_hash"])
    uden_triggere(url, f"UPDATE overgange SET bruger = 'mallory', hash = '{ny}' WHERE id = {oid}")
    naeste_id, naeste_sag = rk(lg, "overgange", 2)
    fejl = lg.tjek_log()
    assert fejl[0] == (f"hashkæden er brudt i overgange, række id {naeste_id} (sag {naeste_sag}): rækken peger "
                       "ikke på den forrige række (en række før den er slettet, indsat eller ændret)")
    assert len(fejl) == 2 and fejl[1].startswith("hashkæden er brudt i visninger")


def alembic_trin(eng, *trin: tuple[str, str]) -> None:
    """Drive Alembic through ``trin`` ((``upgrade``/``downgrade``, revision), ...) in one transaction."""
    from alembic import command         # reason: only these tests drive Alembic to a revision
    with eng.begin() as c:
        cfg = migrations.alembic_config()
        cfg.attributes["connection"] = c
        for handling, maal in trin:
            getattr(command, handling)(cfg, maal)


def test_revisions_0004_and_0003_downgrade_and_upgrade_again(db_url):
    lg = SagsLager(db_url)
    fyld(lg)
    lg.luk()
    eng = opret_engine(db_url)
    # rolle, identitet and formaal are gone after this: the rows were recorded before 0004
    alembic_trin(eng, ("downgrade", "0003"), ("upgrade", "0004"))
    eng.dispose()
    lg = SagsLager(db_url)
    assert lg.tjek_log() == []
    foer = alle(lg)
    lg.luk()
    eng = opret_engine(db_url)
    alembic_trin(eng, ("downgrade", "0002"))
    with eng.begin() as c:              # no triggers, no chain columns
        assert "hash" not in c.exec_driver_sql("SELECT * FROM overgange").keys()
        c.exec_driver_sql("UPDATE sager SET kanal = kanal")
    eng.dispose()
    lg = SagsLager(db_url)              # upgraded again: the chain recomputed, the same hashes
    assert alle(lg) == foer and lg.tjek_log() == []
    lg.luk()
