"""The national simulation (``kontrol simuler``): synthetic registers for the municipalities, the
real samkøring and daily run every month, kontroltrin 3 cases from UDK, and caseworkers whose
behaviour differs by municipality, giving a populated case store and ``benchmark.csv``.

``simuler(fra, til, ud, kommuner=None, skala=0.02, seed=1, db=None)`` writes into ``ud``:

- ``kontrol.sqlite`` (unless ``db`` names another store, e.g. PostgreSQL);
- ``benchmark.csv``: for every municipality and month, the four rows of the benchmark module's
  own export (:func:`kontrol_lib.maal.benchmark.eksport_fra_log`, the core of ``benchmark_eksport``)
  counted from the store's log, with ydelsesmodtagere from the registers
  (:func:`kontrol_lib.maal.benchmark.ydelsesmodtagere_fra_registre`);
- ``sagsbehandling.csv``: each municipality's caseworker behaviour (``sagsbehandling.Adfaerd``);
- ``registre/<ÅÅÅÅ-MM>/``: the register folders (one synthetic world per kontrolperiode).

Time line of a month M (run date D = M's last day):
the 3rd: UDK's trin 3 cases are imported; the 7th, 14th, 21st and 28th: the daily run (expiry)
and then the caseworkers (decisions, visitation, ordering); D: the samkøring on the registers and
the daily run with its udfald. The registers of one synthetic world (generated for the last month
of a block of four, the kontrolperiode) serve the four months of the block: a run on an earlier D
sees the planted events dated up to its own month. See ``docs/simulering.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kontrol_lib.maal.benchmark import BENCHMARK_TABEL, YDELSESOMRAADER, eksport_fra_log, skriv_csv, tjek_maaned
from kontrol_lib.vokabular.steder import shipped_kommuner
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.jobs.simulering import sagsbehandling as SB
from kontrol_lib.jobs.simulering import udk_sager as T3
from kontrol_lib.jobs.simulering import regelvirkning as RV
from kontrol_lib.sager.regelgrundlag import bestandsgrupper_af, sagernes_grupper, udfald_pr_regel
import random
from kontrol_lib.sager.grundlag import ny_sag_id
from kontrol_lib.sager import SagsLager
import sqlite3
from kontrol_lib.jobs.syntetisk import generer
from tqdm import tqdm
from kontrol_lib.registre import indlaes
from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.maal.benchmark import omraade_for
from kontrol_lib.regler import REGLER, bestand, samkoer
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager.stamdata import stamoplysninger
from kontrol_lib.regler import UDFALD_KOLONNER

MAANEDER_PR_VERDEN = 4          # a kontrolperiode: D's month and the three before
ARBEJDSDAGE = (7, 14, 21, 28)   # the days the kontrolgrupper work the lists
TRIN3_DAG = 3                   # the day UDK's trin 3 cases arrive
KOERSEL = "daglig_koersel"
UDK = "udk_import"

__all__ = ["simuler", "Resultat", "maaneder", "MAANEDER_PR_VERDEN", "ARBEJDSDAGE", "TRIN3_DAG", "bruger"]


@dataclass
class Resultat:
    mappe: Path
    db: str
    benchmark: Path
    maaneder: list[str]
    kommuner: list[int]
    antal: dict[str, int] = field(default_factory=dict)     # what happened, summed
    tider: dict[str, float] = field(default_factory=dict)   # seconds per phase


def maaneder(fra: str, til: str) -> list[str]:
    """The months fra … til (ÅÅÅÅ-MM), both included."""
    a, b = tjek_maaned(fra), tjek_maaned(til)
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    na, nb = ya * 12 + ma - 1, yb * 12 + mb - 1
    if nb < na:
        raise KontrolFejl(f"--til {til} ligger før --fra {fra}")
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(na, nb + 1)]


def _dag(maaned: str, dag: int | None = None) -> dt.date:
    y, m = (int(x) for x in maaned.split("-"))
    return dt.date(y, m, dag or calendar.monthrange(y, m)[1])


def bruger(kommunekode: int) -> str:
    """The user name of a municipality's simulated kontrolgruppe (no six digits in a row)."""
    return f"kontrolgruppe_{int(kommunekode):03d}"


class _Verden:
    """One synthetic world: the register folder(s) for a block of months."""

    def __init__(self, mapper: list[tuple[int | None, Path]], start: dt.date):
        self.dele = [(k, indlaes(m)) for k, m in mapper]
        self.start = start          # the first day of the world's first month

    def ydelsesmodtagere(self, maaned: str, kommuner: list[int]) -> dict[int, dict[str, int]]:
        """Recipients per municipality and ydelsesområde on the month's last day: the definition of
        :func:`kontrol_lib.maal.benchmark.ydelsesmodtagere_fra_registre` (distinct persons with a
        ydelsessag in the municipality on a KLE of the area, active on the last day), counted for
        all municipalities in one query per folder (the test checks it equals that function)."""
        sidste = _dag(maaned).isoformat()
        kle = known_kle()
        kle = kle[kle["ydelsesomraade"].isin(YDELSESOMRAADER)]
        vaerdier = ", ".join(f"('{k}', '{o}')" for k, o in zip(kle["kle"], kle["ydelsesomraade"]))
        out = {int(k): {o: 0 for o in YDELSESOMRAADER} for k in kommuner}
        for _, reg in self.dele:
            rows = reg.con.execute(
                f"SELECT y.kommunekode, o.omraade, count(DISTINCT y.cpr) FROM ydelsessager y "
                f"JOIN (VALUES {vaerdier}) o(kle, omraade) ON o.kle = y.kle "
                f"WHERE y.oprettet <= DATE '{sidste}' AND (y.ophoert IS NULL OR y.ophoert >= DATE '{sidste}') "
                f"GROUP BY 1, 2").fetchall()
            for k, o, n in rows:
                if int(k) in out:
                    out[int(k)][o] += int(n)
        return out


class _Simulering:
    """The month-by-month state: which cases each kontrolgruppe has ordered or sent to
    partshøring and when they are due, the ordering pools, and what happened."""

    def __init__(self, lager, kommuner: list[int], seed: int):
        self.lager = lager
        self.kommuner = kommuner
        self.seed = int(seed)
        self.adfaerd = SB.adfaerd(kommuner, seed)
        self.rng = {(k, o): np.random.default_rng([self.seed, k, i, 2])
                    for k in kommuner for i, o in enumerate(YDELSESOMRAADER)}
        self.info: dict[str, tuple[int, str, str, int]] = {}   # sag_id → kommune, område, ydelse, trin
        self.regler: dict[str, tuple[str, ...]] = {}            # sag_id → its rules (regelvirkning)
        self.koen: dict[str, str] = {}                          # sag_id → the YM's sex
        self.nye: dict[tuple[int, str], int] = {}               # exposures since the last pool
        self.pulje: dict[tuple[int, str], int] = {}
        self.bestilt_i_maaned: dict[tuple[int, str], int] = {}
        # (kommune, område) → {sag_id: the work day it is due}
        self.bestilt: dict[tuple[int, str], dict[str, int]] = {}
        self.partshoering: dict[tuple[int, str], dict[str, int]] = {}
        self.t = 0                                              # work day counter
        self.antal = {k: 0 for k in ("udfald", "udfald_foer_verden", "udfald_plantet_fravalgt", "nye_sager_trin2", "nye_sager_trin3",
                                     "fredede_trin3", "bestilt", "henlagt_i_visitering", "partshoering",
                                     "henlagt_efter_partshoering", "aendret_tildeling", "udloebet")}
        self.tider = {k: 0.0 for k in ("registre", "ydelsesmodtagere", "samkoering", "daglig_koersel", "trin3",
                                       "sagsbehandling", "benchmark")}

    # ---- new cases
    def _nye_sager(self, ids: list[str]) -> None:
        if not ids:
            return
        s = self.lager.sager()
        s = s[s["sag_id"].isin(set(ids))]
        for r in s.itertuples(index=False):
            omr = omraade_for(r.kle, r.ydelsesomraade, r.ydelse)
            k = int(r.kommunekode)
            self.info[r.sag_id] = (k, omr, r.ydelse, int(r.kontroltrin))
            if k in self.adfaerd and omr in YDELSESOMRAADER:
                self.nye[(k, omr)] = self.nye.get((k, omr), 0) + 1
        self._regler(ids)

    def _regler(self, ids: list[str]) -> None:
        """The cases' rules and the YM's sex, for the rule effects (regelvirkning)."""
        if not ids:
            return
        u = udfald_pr_regel(self.lager, sag_ids=ids)
        r: dict[str, set] = {}
        for s, regel in zip(u["sag_id"], u["regel"]):
            r.setdefault(s, set()).add(regel)
        self.regler.update({s: tuple(sorted(v)) for s, v in r.items()})
        g = sagernes_grupper(self.lager, sag_ids=ids)
        self.koen.update(dict(zip(g["sag_id"], g["koen"])))

    def _faktor(self, sag_id: str) -> float:
        return RV.faktor(self.regler.get(sag_id, ()), self.koen.get(sag_id, ""))

    def samkoering(self, verden: _Verden, dato: dt.date) -> None:
        """The month's samkøring and daily run. Udfald dated before the world's first month are
        left out: in a continuous population earlier runs would have found them (and fredning
        would drop them now); without this, the first run of every world catches up three months
        of the world's background events (see docs/simulering.md)."""
        for k, reg in verden.dele:
            t0 = time.perf_counter()
            udfald = samkoer(reg, dato, kommune=k)
            datoer = pd.to_datetime(udfald["haendelsesdato"]).dt.date
            self.antal["udfald_foer_verden"] += int((datoer < verden.start).sum())
            udfald = udfald[(datoer >= verden.start).to_numpy()]
            foer = len(udfald)
            udfald = RV.tynd_udfald(udfald, self.seed)
            self.antal["udfald_plantet_fravalgt"] += foer - len(udfald)
            snap = stamoplysninger(reg, sorted(set(udfald["ym_cpr"].astype(str))), dato, REGLER, udfald)
            grupper = bestandsgrupper_af(bestand(reg, dato, kommune=k), dato)
            t1 = time.perf_counter()
            res = koer_udfald(self.lager, udfald, dato, KOERSEL, regler=REGLER, stamdata=snap, kommune=k,
                              bestandsgrupper=grupper)
            self.tider["samkoering"] += t1 - t0
            self.tider["daglig_koersel"] += time.perf_counter() - t1
            self.antal["udfald"] += res.nye_udfald
            self.antal["nye_sager_trin2"] += len(res.nye_sager)
            self.antal["udloebet"] += len(res.udloebne_sager)
            self._nye_sager(res.nye_sager)
            self._regler(res.udvidede_sager)

    def udloeb(self, dato: dt.date) -> None:
        t0 = time.perf_counter()
        res = koer_udfald(self.lager, pd.DataFrame(columns=UDFALD_KOLONNER), dato, KOERSEL)
        self.antal["udloebet"] += len(res.udloebne_sager)
        self.tider["daglig_koersel"] += time.perf_counter() - t0

    def importer_trin3(self, verden: _Verden, dag: dt.date) -> None:
        t0 = time.perf_counter()
        for k, reg in verden.dele:
            df = T3.stroem(reg, dag, self.kommuner if k is None else [k], self.seed)
            if df.empty:
                continue
            res = self.lager.importer_trin3(df, UDK, dato=dag)
            self.antal["nye_sager_trin3"] += len(res["nye"])
            self.antal["fredede_trin3"] += len(res["fredede"])
            self._nye_sager(res["nye"])
        self.tider["trin3"] += time.perf_counter() - t0

    # ---- caseworkers
    def ny_maaned(self) -> None:
        """At the month's first work day: each (kommune, område)'s ordering pool for the month."""
        for k, a in self.adfaerd.items():
            for o in YDELSESOMRAADER:
                self.pulje[(k, o)] = int(round(a.kapacitet * self.nye.get((k, o), 0)))
                self.nye[(k, o)] = 0
                self.bestilt_i_maaned[(k, o)] = 0

    def _forfaldne(self, d: dict[str, int]) -> list[str]:
        """The cases due today, in a fixed order: due day, trin, ydelse (the case id only breaks
        ties between cases that are alike in everything the counts and amounts depend on)."""
        return sorted((s for s, due in d.items() if due <= self.t),
                      key=lambda s: (d[s], self.info[s][3], self.info[s][2], s))

    def arbejdsdag(self, dato: dt.date, j: int) -> None:
        """Work day number ``j`` (0-3) of the month: decisions, visitation, then ordering."""
        t0 = time.perf_counter()
        self.t += 1
        L = self.lager
        for k, a in self.adfaerd.items():
            u = bruger(k)
            for o in YDELSESOMRAADER:
                rng = self.rng[(k, o)]
                parts = self.partshoering.setdefault((k, o), {})
                best = self.bestilt.setdefault((k, o), {})
                for s in self._forfaldne(parts):
                    _, _, ydelse, trin = self.info[s]
                    fred = a.fredning_maaneder if (trin == 3 and a.fredning_maaneder) else None
                    if rng.random() < RV.sandsynlighed(a.aendret_andel, self._faktor(s)):
                        L.afgoer(s, u, "aendret_tildeling", SB.beloeb(ydelse, a, rng), dato=dato,
                                 fredningsperiode=fred)
                        self.antal["aendret_tildeling"] += 1
                    else:
                        L.afgoer(s, u, "henlagt_efter_partshoering", dato=dato, fredningsperiode=fred)
                        self.antal["henlagt_efter_partshoering"] += 1
                    del parts[s]
                for s in self._forfaldne(best):
                    trin = self.info[s][3]
                    if rng.random() < 1 - RV.sandsynlighed(1 - a.henlaeg_andel, self._faktor(s)):
                        fred = a.fredning_maaneder if (trin == 3 and a.fredning_maaneder) else None
                        L.visiter(s, u, "henlaeg", dato=dato, fredningsperiode=fred)
                        self.antal["henlagt_i_visitering"] += 1
                    else:
                        L.visiter(s, u, "partshoering", dato=dato)
                        parts[s] = self.t + a.partshoering_uger + int(rng.integers(0, 2))
                        self.antal["partshoering"] += 1
                    del best[s]
                p = self.pulje.get((k, o), 0)
                n = p * (j + 1) // len(ARBEJDSDAGE) - self.bestilt_i_maaned.get((k, o), 0)
                if n >= 1:
                    ids = L.bestil(n, u, ydelsesomraade=o, kommune=k, dato=dato)
                    self.bestilt_i_maaned[(k, o)] += len(ids)
                    for s in ids:
                        if s not in self.info:
                            self._nye_sager([s])
                        best[s] = self.t + a.visitering_uger + int(rng.integers(0, 2))
                    self.antal["bestilt"] += len(ids)
        self.tider["sagsbehandling"] += time.perf_counter() - t0


def _faste_sag_id(seed: int):
    """Case ids drawn from the seed (same alphabet and form as the store's own, which draws from
    ``secrets``). The bestillingsliste breaks ties in udløbsdato by sag_id, so with random ids
    two runs with the same seed would order different cases of a month's batch; with these, the
    same seed gives the same store, case ids included."""

    rng = random.Random(f"kontrol simuler {int(seed)}")
    return lambda: ny_sag_id(rng)


def _ram_mappe() -> str | None:
    """A RAM-backed temporary folder (``/dev/shm``) when there is one, else the system default."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _tjek_tomt(url: str) -> None:
    lager = SagsLager(url, testlager=True)
    try:
        if len(lager.sager()):
            raise KontrolFejl(f"Sagslageret {lager!r} indeholder allerede sager; simuleringen skal have et tomt "
                              "lager (brug --erstat for at erstatte MAPPE/kontrol.sqlite, eller angiv en anden --db).")
    finally:
        lager.luk()


def _flyt(kilde: Path, maal: Path) -> None:
    """Move a finished SQLite store into place: fold the WAL into the file first."""
    con = sqlite3.connect(kilde)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    for endelse in ("", "-wal", "-shm"):
        Path(str(maal) + endelse).unlink(missing_ok=True)
    shutil.copyfile(kilde, maal)


def _generer(mappe: Path, kommuner: list[int] | None, dato: dt.date, skala: float, seed: int,
             fmt: str) -> list[tuple[int | None, Path]]:
    if kommuner is None:
        generer(None, dato, mappe, skala=skala, seed=seed, fmt=fmt, vis_fremdrift=False)
        return [(None, mappe)]
    ud = []
    for k in kommuner:
        generer(k, dato, mappe / f"{k:03d}", skala=skala, seed=seed * 1000 + k, fmt=fmt, vis_fremdrift=False)
        ud.append((k, mappe / f"{k:03d}"))
    return ud


def simuler(fra: str, til: str, ud: str | Path, kommuner: list[int] | None = None, skala: float = 0.02,
            seed: int = 1, db: str | None = None, fmt: str = "parquet", trin3: bool = True,
            vis_fremdrift: bool = True, erstat: bool = False) -> Resultat:
    """Run the simulation (see the module docstring). ``kommuner=None``: all 98 in one national
    world per block; else one world per listed municipality. The store must be empty; with
    ``erstat`` an existing ``ud/kontrol.sqlite`` is replaced when the run has finished (never a
    ``db`` URL: a team's store is not overwritten)."""
    alle = [int(x) for x in shipped_kommuner()["kommunekode"]]
    if kommuner is not None:
        ukendte = sorted({int(k) for k in kommuner} - set(alle))
        if ukendte:
            raise KontrolFejl("Ukendt kommunekode: " + ", ".join(str(k) for k in ukendte))
        kommuner = sorted({int(k) for k in kommuner})
    if not skala > 0:
        raise KontrolFejl(f"--skala skal være større end 0 (fik {skala})")
    mdr = maaneder(fra, til)
    ud = Path(ud)
    ud.mkdir(parents=True, exist_ok=True)
    fil = (ud / "kontrol.sqlite").resolve()
    url = db or f"sqlite:///{fil}"
    if erstat and db is not None:
        raise KontrolFejl("--erstat gælder kun standardfilen MAPPE/kontrol.sqlite, ikke et lager angivet med --db.")
    if not (erstat and db is None):
        _tjek_tomt(url)
    arbejde = None
    if db is None:
        # Built in a RAM-backed folder and moved into place when done: the run's many small
        # transactions then skip the disk's fsync (about 25 ms each here); see docs/simulering.md.
        arbejde = Path(tempfile.mkdtemp(prefix="kontrol_simuler_", dir=_ram_mappe()))
        lager = SagsLager(f"sqlite:///{arbejde / 'kontrol.sqlite'}", sag_id_kilde=_faste_sag_id(seed), testlager=True)
    else:
        lager = SagsLager(url, sag_id_kilde=_faste_sag_id(seed), testlager=True)
    koder = kommuner if kommuner is not None else alle
    faerdig = False
    try:
        sti, sim = _koer(lager, ud, mdr, kommuner, koder, skala, seed, fmt, trin3, vis_fremdrift)
        faerdig = True
    finally:
        lager.luk()
        if arbejde is not None:
            if faerdig:
                _flyt(arbejde / "kontrol.sqlite", fil)
            shutil.rmtree(arbejde, ignore_errors=True)    # a failed run leaves no store behind
    return Resultat(ud, url, sti, mdr, koder, sim.antal, sim.tider)


def _koer(lager, ud: Path, mdr: list[str], kommuner: list[int] | None, koder: list[int], skala: float,
          seed: int, fmt: str, trin3: bool, vis_fremdrift: bool):
    bar = None
    if vis_fremdrift:
        bar = tqdm(total=len(mdr), desc="kontrol simuler", unit="måned")
    sim = _Simulering(lager, koder, seed)
    SB.adfaerd_tabel(sim.adfaerd).to_csv(ud / "sagsbehandling.csv", index=False, lineterminator="\n")
    (ud / "benchmark.csv").unlink(missing_ok=True)
    ym: dict[str, dict[int, dict[str, int]]] = {}
    blokke = [mdr[i:i + MAANEDER_PR_VERDEN] for i in range(0, len(mdr), MAANEDER_PR_VERDEN)]
    for b, blok in enumerate(blokke):
        if bar is not None:
            bar.set_postfix_str(f"registre til {blok[-1]}")
        t0 = time.perf_counter()
        mapper = _generer(ud / "registre" / blok[-1], kommuner, _dag(blok[-1]), skala, seed * 100 + b, fmt)
        verden = _Verden(mapper, _dag(blok[0], 1))
        sim.tider["registre"] += time.perf_counter() - t0
        for m in blok:
            if bar is not None:
                bar.set_postfix_str(m)
            t0 = time.perf_counter()
            ym[m] = verden.ydelsesmodtagere(m, koder)
            sim.tider["ydelsesmodtagere"] += time.perf_counter() - t0
            if trin3:
                sim.importer_trin3(verden, _dag(m, TRIN3_DAG))
            sim.ny_maaned()
            for j, d in enumerate(ARBEJDSDAGE):
                sim.udloeb(_dag(m, d))
                sim.arbejdsdag(_dag(m, d), j)
            sim.samkoering(verden, _dag(m))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.set_postfix_str("benchmark.csv")
    t0 = time.perf_counter()
    bench = benchmark_fra_lager(lager, mdr, koder, ym)
    sti = skriv_csv(bench, ud / "benchmark.csv")
    sim.tider["benchmark"] += time.perf_counter() - t0
    if bar is not None:
        bar.close()
    return sti, sim


def benchmark_fra_lager(lager, mdr: list[str], kommuner: list[int],
                        ydelsesmodtagere: dict[str, dict[int, dict[str, int]]]) -> pd.DataFrame:
    """Every municipality's benchmark rows for the months: the benchmark module's own export
    (:func:`eksport_fra_log`) on the store's log, cases and kontrolsager of that municipality.

    For speed, the export of month M is handed only the cases with a transition dated in M (with
    all their transitions): every count of M, and the provenu of a first closing in M, comes from
    a transition in M, so the other cases add nothing (the test recounts from the whole log)."""
    sager = lager.sager()[["sag_id", "kommunekode", "kle", "ydelsesomraade", "ydelse", "kontroltrin"]]
    sager = sager.astype(object)
    log = lager.log()[["dato", "sag_id", "sekvens", "til", "data", "kommunekode"]].astype(object)
    ks = lager.kontrolsager()
    log_mdr = pd.Series([f"{d.year:04d}-{d.month:02d}" for d in log["dato"]], index=log.index, dtype=object)
    dele = []
    for k in kommuner:
        i_k = log["kommunekode"] == k
        log_k, mdr_k = log[i_k], log_mdr[i_k]
        sager_k = sager[sager["kommunekode"] == k]
        ks_k = ks[ks["kommunekode"] == k]
        for m in mdr:
            i_m = mdr_k == m
            ids = set(log_k.loc[i_m, "sag_id"])
            # only a first closing with aendret_tildeling in M reads the amounts
            lukket = set(log_k.loc[i_m & (log_k["til"] == "aendret_tildeling"), "sag_id"])
            dele.append(eksport_fra_log(log_k[log_k["sag_id"].isin(ids)], sager_k[sager_k["sag_id"].isin(ids)],
                                        ks_k[ks_k["sag_id"].isin(lukket)], m, k, ydelsesmodtagere[m][k]))
    df = pd.concat(dele, ignore_index=True)
    df["provenu"] = pd.Series(list(df["provenu"]), dtype=object)
    return df[list(BENCHMARK_TABEL.column_names)]
