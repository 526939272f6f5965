"""The national simulation (``kontrol simuler``) on two small municipalities over five months
(two synthetic worlds): the benchmark rows are recounted here from the store's log, by hand; the
log replays; behaviour differs by municipality; the same seed gives the same figures; no CPR
number in the outputs."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kontrol_lib.maal.benchmark import KOMBINATIONER, indlaes_benchmark
from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre import hent
from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.simulering import ARBEJDSDAGE, TRIN3_DAG, bruger, maaneder, simuler
from kontrol_lib.jobs.simulering import sagsbehandling as SB
from kontrol_lib.jobs.simulering import udk_sager as T3

KOMMUNER = [151, 400]          # Ballerup, Bornholm
FRA, TIL = "2024-01", "2024-05"
CPR = re.compile(r"(?<!\d)\d{10}(?!\d)")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    ud = tmp_path_factory.mktemp("sim")
    r = simuler(FRA, TIL, ud, kommuner=KOMMUNER, skala=0.08, seed=5, vis_fremdrift=False)
    return r


@pytest.fixture(scope="module")
def lager(sim):
    lg = SagsLager(sim.db)
    yield lg
    lg.luk()


def _maaned(d) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _optael(lager) -> pd.DataFrame:
    """The benchmark counts recomputed from the whole log, independently of benchmark.py."""
    kle = dict(zip(known_kle()["kle"], known_kle()["ydelsesomraade"]))
    sager = lager.sager().set_index("sag_id")
    log = lager.log().sort_values(["sag_id", "sekvens"])
    t = defaultdict(lambda: defaultdict(lambda: Decimal("0.00")))
    lukket = {}
    for sag_id, g in log.groupby("sag_id"):
        recs = g.to_dict("records")
        assert recs[0]["til"] == "udstillet"
        s = sager.loc[sag_id]
        noegle = (int(s["kommunekode"]), kle[s["kle"]], int(s["kontroltrin"]))
        t[(noegle, _maaned(recs[0]["dato"]))]["udstillede"] += 1
        set_foer = set()
        for r in recs[1:]:
            if r["til"] in set_foer:
                continue
            set_foer.add(r["til"])
            kol = {"bestilt": "udtagne", "partshoering": "oprettede", "udloebet": "udloebne"}.get(r["til"])
            if kol:
                t[(noegle, _maaned(r["dato"]))][kol] += 1
            if r["til"] == "aendret_tildeling":
                lukket[sag_id] = (noegle, r["dato"])
    ks = lager.kontrolsager()
    for sag_id, (noegle, dato) in lukket.items():
        rows = ks[ks["sag_id"] == sag_id]
        h = Decimal(int(hent("provenu.horisont_maaneder", dato)))
        stop = any((b or 0) > 0 for b in rows["besparelse_beloeb"])
        krav = any((b or 0) > 0 for b in rows["tilbagebetalingskrav"])
        c = t[(noegle, _maaned(dato))]
        c["med_stop"] += int(stop)
        c["med_krav"] += int(krav)
        c["med_provenu"] += int(stop or krav)
        for r in rows.to_dict("records"):
            assert r["besparelse_rytme"] in (None, "maaned")
            c["provenu"] += (r["besparelse_beloeb"] or 0) * h + (r["tilbagebetalingskrav"] or 0)
    return t


def test_the_months_run_from_fra_to_til_across_a_new_year_and_til_before_fra_is_a_danish_error():
    assert maaneder("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert maaneder("2024-03", "2024-03") == ["2024-03"]
    with pytest.raises(KontrolFejl, match="ligger før"):
        maaneder("2024-03", "2024-02")


def test_every_benchmark_row_equals_the_counts_recomputed_by_hand_from_the_stores_log(sim, lager):
    bench = indlaes_benchmark(sim.benchmark)
    assert len(bench) == len(KOMMUNER) * 5 * len(KOMBINATIONER)
    t = _optael(lager)
    for r in bench.to_dict("records"):
        c = t[((int(r["kommunekode"]), r["ydelsesomraade"], int(r["kontroltrin"])), r["maaned"])]
        for kol in ("udstillede", "udtagne", "oprettede", "med_stop", "med_krav", "med_provenu", "udloebne"):
            assert int(r[kol]) == int(c[kol]), (r["kommunekode"], r["maaned"], r["ydelsesomraade"], kol)
        assert Decimal(r["provenu"]) == c["provenu"].quantize(Decimal("0.01"))
    # nothing was counted outside the benchmark's rows
    assert {k[1] for k in t} <= set(bench["maaned"])


def test_the_simulation_exposes_orders_decides_and_lets_expire_on_both_kontroltrin(sim):
    bench = indlaes_benchmark(sim.benchmark)
    s = bench.groupby("kontroltrin")[["udstillede", "udtagne", "oprettede", "med_provenu", "udloebne"]].sum()
    for trin in (2, 3):
        assert s.loc[trin, "udstillede"] > 0 and s.loc[trin, "udtagne"] > 0 and s.loc[trin, "oprettede"] > 0
    assert s.loc[2, "med_provenu"] > 0 and s.loc[2, "udloebne"] > 0
    a = sim.antal
    assert a["nye_sager_trin2"] == int(bench.loc[bench["kontroltrin"] == 2, "udstillede"].sum())
    assert a["nye_sager_trin3"] == int(bench.loc[bench["kontroltrin"] == 3, "udstillede"].sum())
    assert a["udloebet"] == int(bench["udloebne"].sum())


def test_the_stores_log_replays_without_a_fault_and_transitions_fall_on_the_timeline(sim, lager):
    assert lager.tjek_log() == []
    log = lager.log()
    dage = {d.day for d in log.loc[log["bruger"] != "daglig_koersel", "dato"]}
    assert dage <= set(ARBEJDSDAGE) | {TRIN3_DAG}
    koersel = log[(log["bruger"] == "daglig_koersel") & (log["haendelse"] == "udstillet")]
    assert {(d + dt.timedelta(days=1)).day for d in koersel["dato"]} == {1}   # month ends only
    assert set(log.loc[log["haendelse"].isin(["bestil", "visiter", "afgoer"]), "bruger"]) == \
        {bruger(k) for k in KOMMUNER}


def test_ydelsesmodtagere_come_from_the_registers_and_are_the_same_on_every_trin_row(sim):
    bench = indlaes_benchmark(sim.benchmark)
    g = bench.groupby(["kommunekode", "maaned", "ydelsesomraade"])["ydelsesmodtagere"].nunique()
    assert (g == 1).all()
    kh = bench[bench["ydelsesomraade"] == "kontanthjaelp"].groupby("kommunekode")["ydelsesmodtagere"].min()
    assert (kh > 0).all()
    # the synthetic registers hold no økonomisk friplads cases
    assert (bench.loc[bench["ydelsesomraade"] == "oekonomisk_friplads", "ydelsesmodtagere"] == 0).all()


def test_behaviour_differs_by_municipality_in_its_parameters_and_in_what_it_did(sim, lager):
    a = SB.adfaerd(KOMMUNER, 5)
    assert a[151] != a[400]
    tabel = pd.read_csv(sim.mappe / "sagsbehandling.csv")
    assert list(tabel["kommunekode"]) == KOMMUNER
    assert tabel.loc[0, "kapacitet"] == a[151].kapacitet and tabel.loc[1, "kapacitet"] == a[400].kapacitet
    log = lager.log()
    andel = {}
    for k in KOMMUNER:
        v = log[(log["kommunekode"] == k) & (log["haendelse"] == "visiter")]
        andel[k] = (v["til"] == "henlagt_i_visitering").mean()
    assert andel[151] != andel[400]


def test_the_caseworker_model_is_fixed_by_the_seed_and_changes_with_it():
    a, b, c = SB.adfaerd([101, 151], 1), SB.adfaerd([101, 151], 1), SB.adfaerd([101, 151], 2)
    assert a == b and a != c
    for x in a.values():
        assert 0.35 <= x.kapacitet <= 1 and 0.15 <= x.henlaeg_andel <= 0.65
        assert 1 <= x.visitering_uger <= 3 and 2 <= x.partshoering_uger <= 6
        assert x.fredning_maaneder in (0, 6, 12)


@pytest.mark.parametrize("ydelse", ["kontanthjaelp", "sygedagpenge", "oekonomisk_friplads", "boligydelse"])
def test_a_changed_tildeling_has_exact_amounts_within_the_ydelses_range_and_always_a_provenu(ydelse):
    a = SB.Adfaerd(151, 1.0, 0.5, 0.5, 0.5, 0.5, 1, 2, 0)
    lav, hoej = SB.MAANEDSBELOEB.get(ydelse, SB.ANDET_MAANEDSBELOEB)
    rng = np.random.default_rng(1)
    for _ in range(200):
        b = SB.beloeb(ydelse, a, rng)
        stop = b.besparelse_beloeb or Decimal(0)
        krav = b.tilbagebetalingskrav or Decimal(0)
        assert stop > 0 or krav > 0
        for x in (b.besparelse_beloeb, b.tilbagebetalingskrav):
            assert x is None or (isinstance(x, Decimal) and x == x.quantize(Decimal("0.01")))
        if b.aendring == "stop":
            assert lav <= stop <= hoej
        elif b.aendring == "nedsat":
            assert Decimal(lav) * Decimal("0.10") - 1 <= stop <= hoej * Decimal("0.50")
        if krav:
            assert krav <= 6 * hoej


def test_the_trin3_stream_is_fixed_by_the_seed_with_unique_ids_and_people_from_the_pools(sim):
    from kontrol_lib.registre import indlaes
    reg = indlaes(sim.mappe / "registre" / "2024-04" / "151")
    dag = dt.date(2024, 3, TRIN3_DAG)
    a, b = T3.stroem(reg, dag, [151], 5), T3.stroem(reg, dag, [151], 5)
    pd.testing.assert_frame_equal(a, b)
    puljer = T3.puljer(reg, dag, [151])
    assert a["udk_sag_id"].is_unique
    for r in a.to_dict("records"):
        assert r["cpr"] in puljer[(151, r["ydelse"])]
    assert set(T3.ANDEL) == {"kontanthjaelp", "sygedagpenge", "oekonomisk_friplads"}


def test_no_cpr_number_in_benchmark_csv_nor_in_the_caseworker_table(sim):
    for navn in ("benchmark.csv", "sagsbehandling.csv"):
        assert not CPR.search((sim.mappe / navn).read_text(encoding="utf-8")), navn


def test_the_same_seed_gives_the_same_store_and_benchmark_csv_and_another_seed_other_figures(tmp_path):
    from kontrol_lib.sager import SagsLager
    ud = [simuler("2024-02", "2024-04", tmp_path / str(i), kommuner=[151], skala=0.05, seed=s,
                  vis_fremdrift=False) for i, s in enumerate((7, 7, 8))]
    assert SagsLager(f"sqlite:///{tmp_path}/andet.sqlite").sag_id_kilde.__name__ == "ny_sag_id"  # others: random ids
    tekst = [(r.mappe / "benchmark.csv").read_text(encoding="utf-8") for r in ud]
    assert tekst[0] == tekst[1] and tekst[0] != tekst[2]
    assert ud[0].antal == ud[1].antal
    sager = []
    for r in ud[:2]:
        lg = SagsLager(r.db)
        sager.append(lg.sager()[["sag_id", "kle", "kontroltrin", "status", "status_dato"]])
        lg.luk()
    pd.testing.assert_frame_equal(sager[0], sager[1])


def test_a_store_that_already_has_cases_is_refused_in_danish(sim):
    with pytest.raises(KontrolFejl, match="indeholder allerede sager.*--erstat"):
        simuler("2024-01", "2024-01", sim.mappe, kommuner=[151], skala=0.05, vis_fremdrift=False)


def test_erstat_replaces_the_folders_store_so_make_demo_can_run_twice_but_never_a_db_url(tmp_path):
    a = simuler("2024-03", "2024-03", tmp_path, kommuner=[151], skala=0.05, seed=7, vis_fremdrift=False)
    foer = (tmp_path / "benchmark.csv").read_text()
    b = simuler("2024-03", "2024-03", tmp_path, kommuner=[151], skala=0.05, seed=7, vis_fremdrift=False,
                erstat=True)
    assert (tmp_path / "benchmark.csv").read_text() == foer and a.antal == b.antal
    lg = SagsLager(b.db)
    try:
        assert len(lg.sager()) == b.antal["nye_sager_trin2"] + b.antal["nye_sager_trin3"]
    finally:
        lg.luk()
    with pytest.raises(KontrolFejl, match="--erstat gælder kun"):
        simuler("2024-03", "2024-03", tmp_path / "x", kommuner=[151], db=f"sqlite:///{tmp_path / 'x.sqlite'}",
                erstat=True, vis_fremdrift=False)


def test_the_cli_rejects_an_unknown_municipality_in_danish(tmp_path, capsys):
    from kontrol_lib.flader.cli import main
    rc = main(["simuler", "--kommune", "999", "--fra", "2024-01", "--til", "2024-02", "--ud", str(tmp_path),
               "--stille"])
    assert rc == 1
    assert "Ukendt kommunekode: 999" in capsys.readouterr().err


def test_a_postgresql_store_gets_exactly_the_same_benchmark_csv_as_sqlite_with_the_same_seed(tmp_path, pg_url):
    a = simuler("2024-02", "2024-03", tmp_path / "sqlite", kommuner=[151], skala=0.05, seed=7, vis_fremdrift=False)
    b = simuler("2024-02", "2024-03", tmp_path / "pg", kommuner=[151], skala=0.05, seed=7, db=pg_url,
                vis_fremdrift=False)
    assert b.db == pg_url and not (tmp_path / "pg" / "kontrol.sqlite").exists()
    assert (a.mappe / "benchmark.csv").read_text() == (b.mappe / "benchmark.csv").read_text()
    lg = SagsLager(pg_url)
    try:
        assert lg.tjek_log() == [] and len(lg.sager()) == a.antal["nye_sager_trin2"] + a.antal["nye_sager_trin3"]
    finally:
        lg.luk()


def test_ydelsesmodtagere_equal_the_benchmark_modules_own_count_in_the_registers(sim):
    from kontrol_lib.maal.benchmark import ydelsesmodtagere_fra_registre
    from kontrol_lib.registre import indlaes
    bench = indlaes_benchmark(sim.benchmark)
    for blok, mdr in (("2024-04", ["2024-01", "2024-02", "2024-03", "2024-04"]), ("2024-05", ["2024-05"])):
        for k in KOMMUNER:
            reg = indlaes(sim.mappe / "registre" / blok / f"{k:03d}")
            for m in mdr:
                forventet = ydelsesmodtagere_fra_registre(reg, m, k)
                rows = bench[(bench["kommunekode"] == k) & (bench["maaned"] == m)]
                for omr, n in forventet.items():
                    assert set(rows.loc[rows["ydelsesomraade"] == omr, "ydelsesmodtagere"]) == {n}


def test_national_mode_gives_all_98_municipalities_four_rows_a_month_from_one_register_folder(tmp_path):
    from kontrol_lib.vokabular.steder import shipped_kommuner
    r = simuler("2024-04", "2024-05", tmp_path, skala=0.001, seed=2, vis_fremdrift=False)
    bench = indlaes_benchmark(r.benchmark)
    koder = sorted(int(k) for k in shipped_kommuner()["kommunekode"])
    assert r.kommuner == koder and len(bench) == 98 * 2 * 4
    assert sorted(set(bench["kommunekode"].astype(int))) == koder
    assert (tmp_path / "registre" / "2024-05" / "ydelsessager.parquet").exists()
    assert bench["udstillede"].sum() == r.antal["nye_sager_trin2"] + r.antal["nye_sager_trin3"] > 0
    assert len(pd.read_csv(tmp_path / "sagsbehandling.csv")) == 98
    assert not CPR.search(r.benchmark.read_text(encoding="utf-8"))


def test_udfald_dated_before_their_worlds_first_month_never_reach_the_store(sim):
    import sqlite3
    con = sqlite3.connect(str(sim.mappe / "kontrol.sqlite"))
    try:
        rows = con.execute("SELECT koersdato, min(haendelsesdato) FROM udfald WHERE regel <> 'trin3' "
                           "GROUP BY koersdato ORDER BY koersdato").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    for koersdato, tidligst in rows:
        start = "2024-05-01" if koersdato >= "2024-05-01" else "2024-01-01"
        assert tidligst >= start, koersdato
    assert sim.antal["udfald_foer_verden"] > 0          # the samkøring did find such udfald


def test_the_cli_runs_a_simulation_and_prints_counts_without_cpr_numbers(tmp_path, capsys):
    from kontrol_lib.flader.cli import main
    rc = main(["simuler", "--kommune", "151", "--fra", "2024-03", "--til", "2024-03", "--ud", str(tmp_path),
               "--skala", "0,05", "--seed", "7", "--stille"])
    ud = capsys.readouterr().out
    assert rc == 0
    assert "Simuleret 2024-03 til 2024-03 for 1 kommuner." in ud
    assert f"Benchmark: {tmp_path / 'benchmark.csv'}" in ud and "Sagslager: sqlite:///" in ud
    assert not CPR.search(ud)
    assert len(indlaes_benchmark(tmp_path / "benchmark.csv")) == 4
