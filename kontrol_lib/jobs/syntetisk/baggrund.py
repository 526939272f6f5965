"""Background register data that gives no udfald for ydelsesmodtagere and their spouses
(see :mod:`verden` for what "clean" means), plus free noise for people outside the bestand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kontrol_lib.jobs.syntetisk.model import INGEN, aar
from kontrol_lib.jobs.syntetisk.verden import YM, Verden, kr_oere
from kontrol_lib.jobs.syntetisk.model import dag


def _gentag(starts: np.ndarray, cnt: np.ndarray, trin: int = 1):
    """(row index, k-th repeat) for each of ``cnt`` repeats per row: start + k * trin."""
    rep = np.repeat(np.arange(len(cnt)), cnt)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return rep, np.repeat(starts, cnt) + k * trin


LINJEANDELE = np.array([1.0, 0.62, 0.25, 0.09, 0.05, 0.03])


def loen(v: Verden, pid: np.ndarray, payer: np.ndarray, fra: np.ndarray, til: np.ndarray,
         lo: float, hi: float, linjer: tuple[int, int] = (1, 4), hver14dag: np.ndarray | None = None) -> None:
    """Salary (indkomsttype 0) from one payer: monthly on each pay day in [fra, til], or (where
    ``hver14dag``) every 14 days, as the hourly paid are. Each payment is reported as several
    lines (løn, tillæg, feriepenge, ...) with distinct amounts."""
    rng = v.rng
    fra = np.asarray(fra, dtype=np.int64)
    til = np.asarray(til, dtype=np.int64)
    uge = np.zeros(len(pid), bool) if hver14dag is None else hver14dag
    pay = v.lonningsdage
    a = np.searchsorted(pay, fra, side="left")
    b = np.searchsorted(pay, til, side="right")
    cnt_m = np.where(uge, 0, np.maximum(b - a, 0))
    rep_m, mi = _gentag(a, cnt_m)
    dato_m = pay[mi]
    # every 14 days from a personal anchor, inside [max(fra, hist_start), til]
    lo_d = np.maximum(fra, v.per.hist_start)
    anker = v.per.hist_start + rng.integers(0, 14, len(pid))
    first = anker + np.ceil(np.maximum(lo_d - anker, 0) / 14).astype(np.int64) * 14
    cnt_u = np.where(uge, np.maximum((til - first) // 14 + 1, 0), 0)
    rep_u, dato_u = _gentag(first, cnt_u, 14)
    rep = np.r_[rep_m, rep_u]
    dato = np.r_[dato_m, dato_u]
    skala = np.where(uge, 0.46, 1.0)
    total = ((lo * 100 + rng.random(len(pid)) * (hi - lo) * 100) * skala).astype(np.int64)[rep]
    total = total + rng.integers(-5000, 5000, len(rep))
    nlin = rng.integers(linjer[0], linjer[1] + 1, len(pid))[rep]
    for j in range(linjer[1]):      # line slots of a payment, not people
        m = nlin > j
        belob = (total[m] * LINJEANDELE[j]).astype(np.int64) + j      # + j øre keeps lines distinct
        v.T.tilfoej("eindkomst", cpr=pid[rep][m], payer=payer[rep][m], indkomsttype=0,
                    udbetalingsdato=dato[m], beloeb=belob)


def offentlig(v: Verden, pid, payer, fra, til, lo, hi, indkomsttype=1) -> None:
    """A public (or pension) payer paying monthly on pay days in [fra, til]."""
    rng = v.rng
    pay = v.lonningsdage
    a = np.searchsorted(pay, fra, side="left")
    b = np.searchsorted(pay, til, side="right")
    cnt = np.maximum(b - a, 0)
    rep = np.repeat(np.arange(len(pid)), cnt)
    mi = np.repeat(a, cnt) + (np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    belob = (lo * 100 + rng.random(len(pid)) * (hi - lo) * 100).astype(np.int64)[rep]
    v.T.tilfoej("eindkomst", cpr=pid[rep], payer=payer[rep], indkomsttype=indkomsttype,
                udbetalingsdato=pay[mi], beloeb=belob)


def byg(v: Verden, ingen_loen: np.ndarray, ingen_b: np.ndarray) -> None:
    rng, per = v.rng, v.per
    D = per.D
    heads = v.h_pid
    spouses = v.h_spouse[v.h_spouse >= 0]
    ym_mask_h = v.h_kind == YM
    # "relevant" adults: YM and every spouse of a head (clean); others are free
    voksne = np.r_[heads, spouses]
    n = len(voksne)
    fb = v.folk.foedsel()[voksne]
    alder = (D - fb) / 365.25
    # --- salary: one employer, monthly, started before the kontrolperiode
    p_job = np.r_[np.where(ym_mask_h, 0.22, 0.35), np.full(len(spouses), 0.62)]
    job = (rng.random(n) < p_job) & (alder < 67) & ~np.isin(voksne, ingen_loen)
    j = np.flatnonzero(job)
    start = per.kp_start - v.dage(np.full(len(j), 40), np.full(len(j), 4000))
    slut = np.where(rng.random(len(j)) < 0.1, per.kp_start - v.dage(np.full(len(j), 10), np.full(len(j), 200)),
                    per.D)
    offentlig_arb = rng.random(len(j)) < 0.25
    payer = np.where(offentlig_arb, np.where(rng.random(len(j)) < 0.6, v.kommune_payer_for(
        rng.choice(v.kommuner_alle(), len(j))), v.payers("hospital", len(j))), v.payers("firma", len(j)))
    loen(v, voksne[j], payer, start, slut, 4_000, 38_000, linjer=(3, 6),
         hver14dag=rng.random(len(j)) < 0.5)
    # --- continuing public payers for spouses and others (førtidspension, dagpenge, pension)
    sp_idx = np.flatnonzero(np.arange(n) >= len(heads))
    off = sp_idx[rng.random(len(sp_idx)) < 0.15]
    kind = rng.random(len(off))
    payer = np.where(kind < 0.5, v.payers("udk", len(off)), v.payers("akasse", len(off)))
    offentlig(v, voksne[off], payer, np.full(len(off), per.hist_start),
              np.full(len(off), per.D), 9_000, 19_000)
    # pension (type 4 from an insurance/pension company, branch 65: not salary)
    pen = np.flatnonzero((rng.random(n) < 0.08) & (alder > 50))
    offentlig(v, voksne[pen], v.payers("pension", len(pen)), np.full(len(pen), per.hist_start),
              np.full(len(pen), per.D), 800, 9_000, indkomsttype=4)
    # other income types (ignored by the rules), a line or two a year
    oth = np.flatnonzero(rng.random(n) < 0.06)
    t = rng.choice([2, 3, 7, 9], len(oth))
    v.T.tilfoej("eindkomst", cpr=voksne[oth], payer=v.payers("firma", len(oth)), indkomsttype=t,
                udbetalingsdato=v.dage(np.full(len(oth), per.hist_start), np.full(len(oth), per.D)),
                beloeb=kr_oere(rng, 100, 6000, len(oth)))
    # --- B-indkomst: old lines anywhere before the kontrolperiode; at most one small line in it
    bo = np.flatnonzero(rng.random(n) < 0.12)
    v.T.tilfoej("eindkomst", cpr=voksne[bo], payer=v.payers("firma", len(bo)), indkomsttype=5,
                udbetalingsdato=v.dage(np.full(len(bo), per.hist_start), np.full(len(bo), per.kp_start - 1)),
                beloeb=kr_oere(rng, 300, 12_000, len(bo)))
    bs = np.flatnonzero((rng.random(n) < 0.10) & ~np.isin(voksne, ingen_b))
    v.T.tilfoej("eindkomst", cpr=voksne[bs], payer=v.payers("firma", len(bs)), indkomsttype=5,
                udbetalingsdato=v.dage(np.full(len(bs), per.kp_start), np.full(len(bs), per.D)),
                beloeb=kr_oere(rng, 50, 450, len(bs)))
    # --- cars bought (and some sold) before the kontrolperiode
    bil = np.flatnonzero(rng.random(n) < 0.25)
    koeb = per.kp_start - v.dage(np.full(len(bil), 20), np.full(len(bil), 3000))
    reg = koeb - v.dage(np.full(len(bil), 0), np.full(len(bil), 7000))
    stel = v.nye_stelnumre(len(bil))
    ebk = rng.choice([2, 2, 2, 3, 6, 9, 1], len(bil))
    v.T.tilfoej("biler", cpr=voksne[bil], stelnummer=stel, handel="koeb", handelsdato=koeb,
                foerste_registrering=reg, ejerbrugerkode=ebk, r75_indeks=7500100)
    solgt = rng.random(len(bil)) < 0.3
    salg = np.minimum(koeb + v.dage(np.full(len(bil), 30), np.full(len(bil), 2000)), per.kp_start - 1)
    solgt &= salg > koeb
    v.T.tilfoej("biler", cpr=voksne[bil][solgt], stelnummer=stel[solgt], handel="salg",
                handelsdato=salg[solgt], foerste_registrering=reg[solgt], ejerbrugerkode=ebk[solgt],
                r75_indeks=7500100)
    # --- companies founded long ago; VAT: dormant (all zero) or filed before the kontrolperiode
    vi = np.flatnonzero(rng.random(n) < np.r_[np.full(len(heads), 0.03), np.full(len(spouses), 0.06)])
    cvr = v.nyt_cvr(len(vi))
    stiftet = per.kp_start - v.dage(np.full(len(vi), 100), np.full(len(vi), 5000))
    v.T.tilfoej("virksomheder", cvr=cvr, cpr=voksne[vi], stiftelsesdato=stiftet)
    aktiv = rng.random(len(vi)) < 0.5
    y1 = int(aar(np.array([per.kp_start]))[0]) - 1
    for q in range(4):
        dl = _frist(y1, q)
        belob = np.where(aktiv, kr_oere(rng, 500, 40_000, len(vi)) * rng.choice([1, 1, 1, -1], len(vi)), 0)
        dato = np.where(aktiv, np.minimum(dl, per.kp_start - 1 - q), dl)
        ok = stiftet < dato
        v.T.tilfoej("moms", cpr=voksne[vi][ok], cvr=cvr[ok], aar=y1, r75_indeks=4200501 + q,
                    beloeb=belob[ok], indberetningsdato=dato[ok])
    # --- holiday pay requests before the kontrolperiode
    fe = np.flatnonzero(rng.random(n) < 0.10)
    an = per.kp_start - v.dage(np.full(len(fe), 20), np.full(len(fe), 330))
    v.T.tilfoej("feriekonto", cpr=voksne[fe], anmodningsdato=an,
                foerste_feriedag=an + v.dage(np.full(len(fe), 5), np.full(len(fe), 60)),
                beloeb=kr_oere(rng, 800, 18_000, len(fe)), forventet_udbetaling=an + v.dage(np.full(len(fe), 3), np.full(len(fe), 20)))
    # --- old borgerstatus changes
    bs_ = np.flatnonzero(rng.random(n) < 0.02)
    v.T.tilfoej("borgerstatus", cpr=voksne[bs_], status=rng.choice(["cpr_aendret", "udrejst", "inaktiv"], len(bs_)),
                dato=per.kp_start - v.dage(np.full(len(bs_), 200), np.full(len(bs_), 5000)))
    # --- bidragssager (old): payers for children away, receivers for single parents at home
    away_h = v.boern.loc[~v.boern["hjemme"], "h"].unique()
    bb = away_h[rng.random(len(away_h)) < 0.5]
    v.T.tilfoej("bidragssager", cpr=v.h_pid[bb], rolle="bidragsbetaler", kle="32.16.04",
                oprettet=per.kp_start - v.dage(np.full(len(bb), 60), np.full(len(bb), 4000)))
    home_h = v.boern.loc[v.boern["hjemme"], "h"].unique()
    home_h = home_h[~v.h_cohab[home_h]]
    bm = home_h[rng.random(len(home_h)) < 0.5]
    v.T.tilfoej("bidragssager", cpr=v.h_pid[bm], rolle="bidragsmodtager",
                kle=rng.choice(["32.15.08", "32.15.24"], len(bm)),
                oprettet=per.kp_start - v.dage(np.full(len(bm), 60), np.full(len(bm), 4000)))
    _stoej_uden_for_bestand(v)


def _frist(y: int, q: int) -> int:
    """VAT deadline of quarter q (0-3) of year y: 1 June, 1 September, 1 December, 1 March."""
    return dag(["%d-06-01" % y, "%d-09-01" % y, "%d-12-01" % y, "%d-03-01" % (y + 1)][q])


def _stoej_uden_for_bestand(v: Verden) -> None:
    """Events inside the kontrolperiode for case holders who are NOT in the bestand (ended
    cases, no payment last month, other KLE): realistic noise that must give no udfald."""
    rng, per = v.rng, v.per
    h = np.flatnonzero(v.h_kind != YM)
    pid = v.h_pid[h]
    n = len(h)
    # moves (alone, which would be a flytning for a YM)
    fl = rng.random(n) < 0.25
    v.flyt(pid[fl], v.dage(np.full(fl.sum(), per.kp_start), np.full(fl.sum(), per.D)))
    # cars
    c = np.flatnonzero(rng.random(n) < 0.06)
    v.T.tilfoej("biler", cpr=pid[c], stelnummer=v.nye_stelnumre(len(c)), handel="koeb",
                handelsdato=v.dage(np.full(len(c), per.kp_start), np.full(len(c), per.D)),
                foerste_registrering=per.D - v.dage(np.full(len(c), 100), np.full(len(c), 4000)),
                ejerbrugerkode=2, r75_indeks=7500100)
    # B-income and a new employer
    b = np.flatnonzero(rng.random(n) < 0.08)
    v.T.tilfoej("eindkomst", cpr=pid[b], payer=v.payers("firma", len(b)), indkomsttype=5,
                udbetalingsdato=v.dage(np.full(len(b), per.kp_start), np.full(len(b), per.D)),
                beloeb=kr_oere(rng, 600, 9000, len(b)))
    # corrections (negative lines) from a former employer
    k = np.flatnonzero(rng.random(n) < 0.05)
    v.T.tilfoej("eindkomst", cpr=pid[k], payer=v.payers("firma", len(k)), indkomsttype=0,
                udbetalingsdato=v.dage(np.full(len(k), per.hist_start), np.full(len(k), per.D)),
                beloeb=-kr_oere(rng, 100, 4000, len(k)))
    # deaths among pensioners/others, borgerstatus, holiday pay
    d = np.flatnonzero(rng.random(n) < 0.02)
    v.folk.saet_doed(pid[d], v.dage(np.full(len(d), per.kp_start), np.full(len(d), per.D)))
    s = np.flatnonzero(rng.random(n) < 0.02)
    v.T.tilfoej("borgerstatus", cpr=pid[s], status=rng.choice(["udrejst", "forsvundet"], len(s)),
                dato=v.dage(np.full(len(s), per.kp_start), np.full(len(s), per.D)))
    f = np.flatnonzero(rng.random(n) < 0.05)
    an = v.dage(np.full(len(f), per.kp_start), np.full(len(f), per.D))
    v.T.tilfoej("feriekonto", cpr=pid[f], anmodningsdato=an, foerste_feriedag=an + 20,
                beloeb=kr_oere(rng, 800, 9000, len(f)), forventet_udbetaling=an + 10)
    # a marriage in the period
    g = np.flatnonzero((rng.random(n) < 0.01) & (v.h_spouse[h] < 0))
    if len(g):
        ny = v.folk.ny(v.h_foedsel[h][g] + rng.integers(-900, 900, len(g)), ~v.folk.mand()[pid[g]])
        dato = v.dage(np.full(len(g), per.kp_start), np.full(len(g), per.D))
        v.civilstand_par(pid[g], ny, "vielse", dato)
        v.adr = pd.concat([v.adr, pd.DataFrame({
            "pid": ny, "adr": v.nye_adresser(len(g)), "kommune": v.h_kommune[h][g],
            "fra": np.maximum(v.folk.foedsel()[ny], per.kp_start - 400), "til": INGEN})], ignore_index=True)
