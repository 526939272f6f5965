"""Own benchmark figures from the case store: a scripted month replayed through the store's public
API (SagsLager, koer_udfald, bestil, visiter, genbestil, afgoer, importer_kontrolsager); every
count of the exported rows is checked against the script.

The script, kommune 151 (Ballerup) unless said otherwise:
  2023-12-15 run: H exposed (udloebsdato 2024-03-15)
  2024-02-20 run: A, B exposed
  2024-03-05 run: C, D (KLE 32.24.10 → kontanthjælp), F, G exposed; a new udfald for A's YM joins
             A (still udstillet: not a new exposure); E exposed with KLE 32.18.04 (sygedagpenge on
             trin 2: outside the benchmark); X exposed in kommune 147
  2024-03-16 run (no udfald): H expires → udløbet in March
  2024-03-18 bestil 2 → A and B (oldest); 03-19 one (a) to partshøring, the other (b) henlagt;
             03-20 a closed aendret_tildeling: 1,000.00 kr./md. stopped, krav 5,000.00 kr.
             → provenu 12 × 1,000.00 + 5,000.00 = 17,000.00
  2024-03-21 bestil 2 → c1, c2 of C/D/F/G; 03-22 c1 to partshøring; 03-28 c1 henlagt efter
             partshøring; 03-25 c2 genbestilt (back on the list)
  2024-03-xx an imported kontrolsag (anonym anmeldelse, closed 03-15 with provenu) and an imported
             registersamkøring case that expired 03-10: not exposed by this store, not counted
  2024-04-03 bestil 3 → the two never-ordered of C/D/F/G and c2 (ordered again: not counted again)
  2024-04-04 d (a first-time order) to partshøring; 04-10 closed aendret_tildeling with a krav of
             2,500.00 kr. only

Expected, kontanthjælp trin 2:
  2023-12: udstillede 1 (H)
  2024-02: udstillede 2 (A, B)
  2024-03: udstillede 4 (C D F G), udtagne 4 (A B c1 c2), oprettede 2 (a c1), med_stop 1,
           med_krav 1, med_provenu 1 (a), provenu 17000.00, udloebne 1 (H)
  2024-04: udtagne 2, oprettede 1 (d), med_krav 1, med_provenu 1, provenu 2500.00
Every other (område, trin) row: zeros.
"""

from decimal import Decimal

import pandas as pd
import pytest

from kontrol_lib.maal.benchmark import (BENCHMARK_TABEL, KOMBINATIONER, benchmark_eksport, eksport_fra_log,
                                   indlaes_benchmark, vindue, ydelsesmodtagere_fra_registre)
from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager.sagsimport import KOLONNER as KS_KOLONNER
from test_sagsstyring_hjaelp import REGLER, D, frame, u

YM = {x: f"{i + 1:02d}0185{i + 1:04d}" for i, x in enumerate("ABCDEFGHX")}
YM_ANTAL = {"kontanthjaelp": 1200, "sygedagpenge": 450, "oekonomisk_friplads": 300}
NUL = dict(udstillede=0, udtagne=0, oprettede=0, med_stop=0, med_krav=0, med_provenu=0,
           provenu=Decimal("0.00"), udloebne=0)


def run(lager, dato, *rows):
    return koer_udfald(lager, frame(*rows), dato, regler=REGLER)


def _import_row(sag_id, kanal, resultat, afsluttet, **kw):
    r = dict(sag_id=sag_id, kommunekode=151, kanal=kanal, kontroltrin=2, ydelse="kontanthjaelp",
             myndighed="kommune", paragraf11="nej", oprettet=D(2024, 1, 10), afsluttet=afsluttet,
             resultat=resultat, besparelse_rytme=None, besparelse_beloeb=None, tilbagebetalingskrav=None,
             efterregulering=None, skat=None, politianmeldt=None, videresendt_til=None)
    r.update(kw)
    return r


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('lager') / 'kontrol.sqlite'}"
    lager = SagsLager(url)
    ids = {}
    ids["H"] = run(lager, D(2023, 12, 15), u(YM["H"], "flytning", "h-H", dato="2023-12-01")).nye_sager[0]
    r = run(lager, D(2024, 2, 20), u(YM["A"], "flytning", "h-A", dato="2024-02-01"),
            u(YM["B"], "bilkoeb", "h-B", dato="2024-02-01"))
    assert len(r.nye_sager) == 2
    r = run(lager, D(2024, 3, 5),
            u(YM["A"], "b_indkomst", "h-A2", dato="2024-03-01"),             # joins A
            u(YM["C"], "flytning", "h-C", dato="2024-03-01"),
            u(YM["D"], "flytning", "h-D", dato="2024-03-01", kle="32.24.10"),
            u(YM["F"], "bilkoeb", "h-F", dato="2024-03-01"),
            u(YM["G"], "bilkoeb", "h-G", dato="2024-03-01"),
            u(YM["E"], "flytning", "h-E", dato="2024-03-01", kle="32.18.04"),
            u(YM["X"], "flytning", "h-X", dato="2024-03-01", kommune=147))
    assert (len(r.nye_sager), len(r.udvidede_sager)) == (6, 1)
    assert run(lager, D(2024, 3, 16)).udloebne_sager == [ids["H"]]
    a, b = lager.bestil(2, "anna", ydelsesomraade="kontanthjaelp", kommune=151, dato=D(2024, 3, 18))
    lager.visiter(a, "anna", "partshoering", dato=D(2024, 3, 19))
    lager.visiter(b, "anna", "henlaeg", dato=D(2024, 3, 19))
    lager.afgoer(a, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1000.00",
                                                        tilbagebetalingskrav="5000.00", aendring="stop"),
                 dato=D(2024, 3, 20))
    c1, c2 = lager.bestil(2, "bo", ydelsesomraade="kontanthjaelp", kommune=151, dato=D(2024, 3, 21))
    lager.visiter(c1, "bo", "partshoering", dato=D(2024, 3, 22))
    lager.genbestil(c2, "bo", dato=D(2024, 3, 25))
    lager.afgoer(c1, "bo", "henlagt_efter_partshoering", dato=D(2024, 3, 28))
    lager.importer_kontrolsager(pd.DataFrame([
        _import_row("IMP-1", "anonym_anmeldelse", "aendret_tildeling", D(2024, 3, 15),
                    tilbagebetalingskrav=Decimal("800.00")),
        _import_row("IMP-2", "dfd_registersamkoering", "udloebet", D(2024, 3, 10)),
    ], columns=KS_KOLONNER), "import", dato=D(2024, 3, 30))
    april = lager.bestil(3, "bo", ydelsesomraade="kontanthjaelp", kommune=151, dato=D(2024, 4, 3))
    assert len(april) == 3 and c2 in april
    d = next(x for x in april if x != c2)
    lager.visiter(d, "bo", "partshoering", dato=D(2024, 4, 4))
    lager.afgoer(d, "bo", "aendret_tildeling", Beloeb(tilbagebetalingskrav="2500.00"), dato=D(2024, 4, 10))
    yield url, lager
    lager.luk()


def rows_by_key(df: pd.DataFrame) -> dict:
    out = {}
    for r in df.to_dict("records"):
        out[(r["ydelsesomraade"], int(r["kontroltrin"]))] = {k: r[k] for k in NUL}
    return out


def expect(maaned, kh2: dict) -> dict:
    return {k: (dict(NUL, **kh2) if k == ("kontanthjaelp", 2) else dict(NUL)) for k in KOMBINATIONER}


@pytest.mark.parametrize("maaned, kh2", [
    ("2023-12", dict(udstillede=1)),
    ("2024-02", dict(udstillede=2)),
    ("2024-03", dict(udstillede=4, udtagne=4, oprettede=2, med_stop=1, med_krav=1, med_provenu=1,
                     provenu=Decimal("17000.00"), udloebne=1)),
    ("2024-04", dict(udtagne=2, oprettede=1, med_krav=1, med_provenu=1, provenu=Decimal("2500.00"))),
    ("2024-05", dict()),
])
def test_the_export_counts_every_step_of_the_scripted_months_from_the_log(scripted, maaned, kh2):
    _url, lager = scripted
    df = benchmark_eksport(lager, maaned, 151, YM_ANTAL)
    assert list(df.columns) == BENCHMARK_TABEL.column_names
    assert [(r["ydelsesomraade"], r["kontroltrin"]) for r in df.to_dict("records")] == list(KOMBINATIONER)
    assert set(df["kommunekode"]) == {151} and set(df["maaned"]) == {maaned}
    assert rows_by_key(df) == expect(maaned, kh2)
    assert list(df["ydelsesmodtagere"]) == [1200, 1200, 450, 300]


def test_the_export_ties_back_to_the_log_transition_by_transition(scripted):
    """Every counted transition of March is in the store's log, and nothing else is counted."""
    _url, lager = scripted
    log = lager.log(kommune=151)
    maerts = log[[d.strftime("%Y-%m") == "2024-03" for d in log["dato"]]]
    eksporteret = {t: int(n) for t, n in maerts.loc[maerts["haendelse"] != "import"].groupby("til").size().items()}
    # log of March, kommune 151, without imports, to udstillet: the new cases C D F G (exported:
    # udstillede 4) + E (sygedagpenge on trin 2: outside the benchmark) + A's joined udfald and
    # c2's genbestil (not first transitions: not exposures); bestilt A B c1 c2 (udtagne 4);
    # partshøring a c1 (oprettede 2); closings a (aendret_tildeling: med_provenu 1), b, c1;
    # expiry H (udloebne 1)
    assert eksporteret == {"udstillet": 4 + 1 + 1 + 1, "bestilt": 4, "partshoering": 2,
                           "aendret_tildeling": 1, "henlagt_i_visitering": 1,
                           "henlagt_efter_partshoering": 1, "udloebet": 1}


def test_a_kommune_other_than_the_stores_own_counts_only_its_cases(scripted):
    _url, lager = scripted
    df = benchmark_eksport(lager, "2024-03", 147, YM_ANTAL)
    assert rows_by_key(df) == expect("2024-03", dict(udstillede=1))


def test_a_store_with_several_kommuner_needs_the_kommune_named(scripted):
    _url, lager = scripted
    with pytest.raises(KontrolFejl, match="angiv --kommune"):
        benchmark_eksport(lager, "2024-03", None, YM_ANTAL)


def test_missing_recipient_figures_are_a_danish_error(scripted):
    _url, lager = scripted
    with pytest.raises(KontrolFejl, match="Antal ydelsesmodtagere mangler for oekonomisk_friplads"):
        benchmark_eksport(lager, "2024-03", 151, {"kontanthjaelp": 1, "sygedagpenge": 2})


def test_the_cli_writes_rows_the_benchmark_reads_back(scripted, tmp_path, capsys):
    url, _lager = scripted
    ud = tmp_path / "benchmark_151_2024-03.csv"
    assert main(["benchmark-eksport", "--db", url, "--kommune", "151", "--maaned", "2024-03", "--ud", str(ud),
                 "--ydelsesmodtagere", "kontanthjaelp=1200", "sygedagpenge=450", "oekonomisk_friplads=300"]) == 0
    assert ud.read_text(encoding="utf-8").splitlines() == [
        "kommunekode,maaned,ydelsesomraade,kontroltrin,udstillede,udtagne,oprettede,med_stop,med_krav,"
        "med_provenu,provenu,udloebne,ydelsesmodtagere",
        "151,2024-03,kontanthjaelp,2,4,4,2,1,1,1,17000.00,1,1200",
        "151,2024-03,kontanthjaelp,3,0,0,0,0,0,0,0.00,0,1200",
        "151,2024-03,sygedagpenge,3,0,0,0,0,0,0,0.00,0,450",
        "151,2024-03,oekonomisk_friplads,3,0,0,0,0,0,0,0.00,0,300",
    ]
    assert "4 udstillede, 4 udtagne, 2 oprettede, 1 med provenu, 1 udløbne" in capsys.readouterr().out
    v = vindue(indlaes_benchmark(ud), "2024-03")
    assert list(v["andel_udtaget"])[0] == Decimal("1.0000") and list(v["provenu_pr_sag"])[0] == Decimal("8500.00")


def test_the_cli_rejects_a_malformed_recipient_figure(scripted, tmp_path, capsys):
    url, _lager = scripted
    assert main(["benchmark-eksport", "--db", url, "--kommune", "151", "--maaned", "2024-03",
                 "--ud", str(tmp_path / "x.csv"), "--ydelsesmodtagere", "kontanthjaelp=mange"]) == 1
    assert "skal skrives OMRAADE=ANTAL" in capsys.readouterr().err


# --------------------------------------------------------------------------- pure core, trin 3
def test_trin_3_cases_are_counted_in_their_area_from_the_log_alone():
    """The store has no trin 3 import yet; the core counts any workflow case by its trin and KLE."""
    log = pd.DataFrame([
        dict(dato=D(2024, 3, 1), sag_id="T3-1", sekvens=1, haendelse="udstillet", til="udstillet", data={},
             kommunekode=151),
        dict(dato=D(2024, 3, 2), sag_id="T3-1", sekvens=2, haendelse="bestil", til="bestilt", data={},
             kommunekode=151),
        dict(dato=D(2024, 2, 1), sag_id="T3-2", sekvens=1, haendelse="udstillet", til="udstillet", data={},
             kommunekode=151),
        dict(dato=D(2024, 3, 3), sag_id="T3-2", sekvens=2, haendelse="bestil", til="bestilt", data={},
             kommunekode=151),
        dict(dato=D(2024, 3, 4), sag_id="T3-2", sekvens=3, haendelse="visiter", til="partshoering", data={},
             kommunekode=151),
    ])
    sager = pd.DataFrame([
        dict(sag_id="T3-1", kommunekode=151, kontroltrin=3, kle="32.18.04", ydelsesomraade=None, ydelse="sygedagpenge"),
        dict(sag_id="T3-2", kommunekode=151, kontroltrin=3, kle=None, ydelsesomraade=None,
             ydelse="oekonomisk_friplads"),
    ])
    df = eksport_fra_log(log, sager, pd.DataFrame(columns=KS_KOLONNER), "2024-03", 151, YM_ANTAL)
    got = rows_by_key(df)
    assert got[("sygedagpenge", 3)] == dict(NUL, udstillede=1, udtagne=1)
    assert got[("oekonomisk_friplads", 3)] == dict(NUL, udtagne=1, oprettede=1)
    assert got[("kontanthjaelp", 2)] == NUL and got[("kontanthjaelp", 3)] == NUL


# --------------------------------------------------------------------------- recipients from registers
def test_recipients_are_persons_with_an_active_case_in_the_area_on_the_months_last_day(tmp_path):
    (tmp_path / "ydelsessager.csv").write_text(
        "cpr;kommunekode;kle;oprettet;ophoert\n"
        "0101801111;151;32.24.04;2024-01-01;\n"            # KH, active
        "0101801111;151;32.24.10;2024-01-01;\n"            # same person, second KH KLE: counted once
        "0201801112;151;32.24.04;2024-01-01;2024-03-31\n"  # ends on the last day: active
        "0301801113;151;32.24.04;2024-01-01;2024-03-30\n"  # ended the day before: not active
        "0401801114;151;32.24.04;2024-04-01;\n"            # starts in April: not active
        "0501801115;151;32.18.04;2024-03-31;\n"            # sygedagpenge, starts on the last day
        "0601801116;151;27.12.04;2023-08-01;\n"            # økonomisk friplads
        "0701801117;147;32.24.04;2024-01-01;\n"            # another kommune
        "0801801118;151;32.03.08;2024-01-01;\n",           # førtidspension: no benchmark area
        encoding="utf-8")
    assert ydelsesmodtagere_fra_registre(tmp_path, "2024-03", 151) == {
        "kontanthjaelp": 2, "sygedagpenge": 1, "oekonomisk_friplads": 1}


def test_the_cli_counts_recipients_in_a_register_folder(scripted, tmp_path, capsys):
    url, _lager = scripted
    data = tmp_path / "data"
    data.mkdir()
    (data / "ydelsessager.csv").write_text(
        "cpr;kommunekode;kle;oprettet;ophoert\n"
        "0101801111;151;32.24.04;2024-01-01;\n"
        "0201801112;151;32.24.08;2024-01-01;\n"
        "0301801113;151;32.18.04;2024-01-01;\n",
        encoding="utf-8")
    ud = tmp_path / "ud.csv"
    assert main(["benchmark-eksport", "--db", url, "--kommune", "151", "--maaned", "2024-04", "--ud", str(ud),
                 "--data", str(data)]) == 0
    lines = ud.read_text(encoding="utf-8").splitlines()
    assert [x.rsplit(",", 1)[1] for x in lines[1:]] == ["2", "2", "1", "0"]
    assert lines[1] == "151,2024-04,kontanthjaelp,2,0,2,1,0,1,1,2500.00,0,2"


# --------------------------------------------------------------------------- vectorised = the old per-case export
def test_the_vectorised_export_equals_the_per_case_export_on_a_simulated_store_month_by_month():
    """Issue 15: the export counts in vectorised passes; on a random store of 300 cases in two
    municipalities over 10 months (imports, re-orders, expiry, unknown KLE, cases unknown to
    sager, closings with one or two ydelser) every row equals the pre-issue-15 per-case export
    (``benchmark_eksport_reference``) exactly, Decimal exponent of the provenu included; and
    ``eksport_fra_log_alle`` equals the calls one by one."""
    from benchmark_eksport_reference import eksport_fra_log_per_sag, simuleret_lager

    from kontrol_lib.maal.benchmark import ANTAL, eksport_fra_log_alle
    log, sager, ks = simuleret_lager(300, [151, 147], seed=4, dage=240)
    mdr = [f"2024-{m:02d}" for m in range(1, 11)]
    enkelt, ref = [], []
    for k in (151, 147):
        for m in mdr:
            enkelt.append(eksport_fra_log(log, sager, ks, m, k, YM_ANTAL))
            ref.append(eksport_fra_log_per_sag(log, sager, ks, m, k, YM_ANTAL))
    enkelt, ref = pd.concat(enkelt, ignore_index=True), pd.concat(ref, ignore_index=True)
    pd.testing.assert_frame_equal(enkelt, ref, check_exact=True)
    assert [str(x) for x in enkelt["provenu"]] == [str(x) for x in ref["provenu"]]
    # the store exercises every count, and the provenu
    assert all(int(ref[c].sum()) > 0 for c in ANTAL) and sum(ref["provenu"]) > 0
    alle = eksport_fra_log_alle(log, sager, ks, mdr, [151, 147], {m: {151: YM_ANTAL, 147: YM_ANTAL} for m in mdr})
    pd.testing.assert_frame_equal(alle, ref, check_exact=True)
