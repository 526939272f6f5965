"""The test that matters for ``kontrol slet`` (issue 13): six years of simulated history
(2019–2024, one municipality, small scale), every published figure recorded (the provenu tables
of every year, the KL effektmåling workbook's cells of every year, the benchmark export of every
month), the older cases erased, and everything recomputed: identical. Then every table and
every column of the store, and the SQLite file's raw bytes (``slet`` checkpoints the WAL and
VACUUMs the file after an erasure), are
scanned for every CPR number, address and car number of the erased cases: none is left (a value
that also belongs to a case that is kept, e.g. the same person on a newer case, is not counted).
The synthetic registers hold no names (names in the snapshot are covered by tests/test_sletning.py);
their addresses are ids and, from the optional table adressetekster, street and number. The product's own files (kontrolark as HTML and PDF, the feedbackliste as
CSV) written under the data folder by the commands are erased with the cases they show; a file
outside the folder and a file changed since it was written are named for the user instead; every
remaining file of the folder (PDFs through pdftotext) is scanned too.
"""

import datetime as dt
import re
import shutil
import subprocess

import openpyxl
import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from kontrol_lib.jobs.simulering import maaneder, simuler
from kontrol_lib.jobs.syntetisk.adressetekster import VEJE
from kontrol_lib.maal import kl_effektmaaling, provenu
from kontrol_lib.maal.benchmark import benchmark_eksport
from kontrol_lib.flader.cli import main
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.filregister import AENDRET, UDEN_FOR

FRA, TIL, KOMMUNE = "2019-01", "2024-12", 151
SLETDATO = dt.date(2024, 12, 31)
AAR = range(2019, 2025)
YM = {"kontanthjaelp": 1000, "sygedagpenge": 400, "oekonomisk_friplads": 300}


@pytest.fixture(scope="module")
def historik(tmp_path_factory):
    ud = tmp_path_factory.mktemp("historik")
    r = simuler(FRA, TIL, ud, kommuner=[KOMMUNE], skala=0.01, seed=3, vis_fremdrift=False)
    return r.db, ud


def _tal(lager: SagsLager, mappe) -> dict:
    """Every published figure: provenu tables, the KL workbook's cells, the benchmark rows."""
    ks, korr = lager.kontrolsager(), lager.korrektioner()
    ud = {}
    for aar in AAR:
        for navn in ("kategorier", "ydelser", "udvikling", "paragraf11", "kategorier_netto", "ydelser_netto",
                     "udvikling_netto"):
            ud[f"{navn} {aar}"] = getattr(provenu, navn)(ks, aar, korr).to_csv(index=False)
        ud[f"kanaler {aar}"] = provenu.kanaler(ks, aar).to_csv(index=False)
        fil = mappe / f"kl-{aar}.xlsx"
        kl_effektmaaling.skriv(ks, aar, fil)
        wb = openpyxl.load_workbook(fil)
        ud[f"kl {aar}"] = [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]
    for m in maaneder(FRA, TIL):
        ud[f"benchmark {m}"] = benchmark_eksport(lager, m, KOMMUNE, YM).to_csv(index=False)
    return ud


PERSONHENFOERBART = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])"       # CPR numbers
                               r"|(?<![0-9])[0-9]{4}-[0-9]{8}(?![0-9])"         # address ids
                               r"|(?:" + "|".join(VEJE) + r") [1-9][0-9]{0,2}[A-Z]?(?![0-9A-Z])"  # addresses as text
                               r"|SYN[A-Z0-9]{14}")                              # a car's stelnummer


def _personvaerdier(url: str, sag_ids: set[str]) -> set[str]:
    """The CPR numbers, addresses (address ids, and street and number from adressetekster) and car
    numbers in these cases' rows: ym_cpr, the stamdata snapshot (spouse, address, income lines),
    and the udfald's person_cpr and free text."""
    eng = create_engine(url, poolclass=NullPool)
    tekst = []
    with eng.connect() as c:
        for sag_id, ym, stamdata in c.execute(text("SELECT sag_id, ym_cpr, stamdata FROM sager")):
            if sag_id in sag_ids:
                tekst += [ym or "", stamdata or ""]
        for sag_id, *v in c.execute(text("SELECT sag_id, ym_cpr, person_cpr, oplysninger, haendelse_id FROM udfald")):
            if sag_id in sag_ids:
                tekst += [x or "" for x in v]
    eng.dispose()
    return set(PERSONHENFOERBART.findall("\n".join(tekst)))


def _alt(url: str) -> str:
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        ud = [repr(c.exec_driver_sql(f"SELECT * FROM {t}").fetchall()) for t in inspect(c).get_table_names()]
    eng.dispose()
    return "\n".join(ud)


def _filer(url: str, mappe, ude, slettes: list[str], beholdes: list[str]) -> dict:
    """The product's own files with personal data, written by the commands as a caseworker would."""
    f = {"slettet.html": mappe / "ark-slettet.html", "slettet.pdf": mappe / "ark-slettet.pdf",
         "beholdt.html": mappe / "ark-beholdt.html", "feedback.csv": mappe / "feedback.csv",
         "aendret.html": mappe / "ark-aendret.html", "ude.html": ude / "ark-ude.html"}
    for navn, sag in (("slettet.html", slettes[0]), ("slettet.pdf", slettes[1]), ("beholdt.html", beholdes[0]),
                      ("aendret.html", slettes[2]), ("ude.html", slettes[3])):
        assert main(["kontrolark", sag, "--formaal", "visitering", "--ud", str(f[navn]), "--db", url]) == 0
    assert main(["feedbackliste", "--alle", "--formaal", "visitering", "--ud", str(f["feedback.csv"]),
                 "--db", url]) == 0
    with open(f["aendret.html"], "a", encoding="utf-8") as h:       # the user changed it afterwards
        h.write("<p>Noter</p>")
    return f


def _tekst(sti) -> str:
    if sti.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(sti), "-"], capture_output=True, text=True, check=True).stdout
    return sti.read_bytes().decode("utf-8", "replace")


def test_six_years_erased_every_figure_is_the_same_and_no_personal_data_is_left(historik, tmp_path,
                                                                                  tmp_path_factory, capsys):
    kilde, _ = historik
    fil = tmp_path / "kontrol.sqlite"
    shutil.copy(kilde.removeprefix("sqlite:///"), fil)
    url = f"sqlite:///{fil}"
    lager = SagsLager(url, testlager=True)
    try:
        foer = _tal(lager, tmp_path)
        vis = lager.slet(SLETDATO)
        assert vis.antal > 20 and set(vis.oversigt["lukkeaar"]) >= {2019, 2020, 2021, 2022}
        slettes = set(vis.sag_ids)
        alle = set(lager.sager()["sag_id"])
        beholdes = alle - slettes
        assert beholdes                                             # the newer cases stay
        vaerdier = _personvaerdier(url, slettes) - _personvaerdier(url, beholdes)
        assert sum(v.isdigit() and len(v) == 10 for v in vaerdier) > 20    # CPR numbers to erase
        f = _filer(url, tmp_path, tmp_path_factory.mktemp("brugerens_mappe"), sorted(slettes), sorted(beholdes))
        assert any(v in f["feedback.csv"].read_text(encoding="utf-8") for v in vaerdier)   # the files hold them
        skal_vaek = sorted(str(f[k]) for k in ("slettet.html", "slettet.pdf", "feedback.csv"))
        til_brugeren = [(str(f["aendret.html"]), AENDRET), (str(f["ude.html"]), UDEN_FOR)]
        vis = lager.slet(SLETDATO)                                  # shows the files too, deletes nothing
        assert (sorted(vis.filer.slettet), vis.filer.til_brugeren) == (skal_vaek, til_brugeren)
        assert all(f[k].exists() for k in f)
        res = lager.slet(SLETDATO, udfoer=True)
        assert set(res.sag_ids) == slettes
        assert (sorted(res.filer.slettet), res.filer.mangler, res.filer.til_brugeren) == (skal_vaek, [], til_brugeren)
        assert sorted(k for k in f if f[k].exists()) == ["aendret.html", "beholdt.html", "ude.html"]
        assert lager.tjek_log() == []
        efter = _tal(lager, tmp_path)
        capsys.readouterr()
        f["ude.html"].unlink()                                      # the user deletes the file outside
        assert main(["slet", "--dato", SLETDATO.isoformat(), "--udfoer", "--db", url]) == 0
        ud = capsys.readouterr().out
        assert ud.splitlines()[-2:] == ["1 filer med personoplysninger fra slettede sager skal slettes af brugeren:",
                                        f"  {f['aendret.html']} ({AENDRET})"]
        assert lager.tjek_log() == []
    finally:
        lager.luk()
    for k in foer:
        assert efter[k] == foer[k], k
    alt = _alt(url)
    tilbage = sorted(v for v in vaerdier if v in alt)
    assert tilbage == [], f"{len(tilbage)} værdier fra slettede sager er tilbage"
    # the log of the files: three erased, one found gone by the second run; paths, never a CPR
    log = [tuple(r) for r in create_engine(url, poolclass=NullPool).connect().exec_driver_sql(
        "SELECT f.hvad, s.resultat FROM filsletninger s JOIN filer f ON f.id = s.fil_id ORDER BY s.id")]
    assert sorted(log[:3]) == [("feedbackliste", "slettet"), ("kontrolark", "slettet"), ("kontrolark", "slettet")]
    assert log[3:] == [("kontrolark", "mangler")]
    # every file left in the data folder but the one the user changed (and must delete)
    mappe = "\n".join(_tekst(p) for p in sorted(tmp_path.rglob("*"))
                       if p.is_file() and not p.name.startswith("kontrol.sqlite") and p != f["aendret.html"])
    assert [v for v in vaerdier if v in mappe] == []
    assert any(v in mappe for v in _personvaerdier(url, beholdes))  # the kept case's kontrolark is there
    # the file itself: slet checkpointed the WAL and rewrote the file, so no free page keeps a value
    raa = b"".join(p.read_bytes() for p in tmp_path.glob("kontrol.sqlite*"))
    assert [v for v in vaerdier if v.encode("utf-8") in raa] == []
