"""The synthetic world: households, benefit cases and clean background register data.

"Clean" means: for every ydelsesmodtager (YM) and every spouse, nothing in the background
can give an udfald — every event of theirs lies before the kontrolperiode, salary comes from one
employer at most monthly gaps, continuing public payers already paid before the kontrolperiode,
B-indkomst inside the kontrolperiode is at most one small line, households move together. Only
the planted scenarios (:mod:`scenarier`) put events in the kontrolperiode. People who are not in
the bestand (ended cases, no payment last month, other KLE) get events anywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kontrol_lib.jobs.syntetisk import kataloger as K
from kontrol_lib.jobs.syntetisk.model import INGEN, Folk, Perioder, Tabeller, plus_aar, tilfaeldig_dag
from kontrol_lib.jobs.syntetisk.numre import cvr_numre
from kontrol_lib.vokabular.steder import shipped_kommuner

# head kinds
YM, OPHOERT, INGEN_BETALING, IKKE_BESTAND = 0, 1, 2, 3


def kr_oere(rng, lo, hi, n) -> np.ndarray:
    """Random amounts in øre between lo and hi kroner."""
    return rng.integers(int(lo * 100), int(hi * 100) + 1, n).astype(np.int64)


class Verden:
    def __init__(self, rng: np.random.Generator, per: Perioder, kommuner: pd.DataFrame,
                 aktivering: dict[int, int], national: bool):
        self.rng = rng
        self.per = per
        self.national = national
        self.folk = Folk()
        self.T = Tabeller()
        self.kommuner = kommuner               # kommunekode, n_ym, n_andre
        self.aktivering = aktivering           # kommunekode -> day (paragraf10_aktiveringsdato)
        self.lonningsdage = per.loenningsdage()
        self._adr_next = 1
        self._stel_next = 1
        self.forventet: list[pd.DataFrame] = []      # planted hits
        self.ikke: list[pd.DataFrame] = []           # planted boundary non-hits
        self._byg_indberettere()

    # ------------------------------------------------------------------ small helpers
    def nye_adresser(self, n: int) -> np.ndarray:
        a = np.arange(self._adr_next, self._adr_next + n, dtype=np.int64)
        self._adr_next += n
        return a

    def nye_stelnumre(self, n: int) -> np.ndarray:
        a = np.arange(self._stel_next, self._stel_next + n, dtype=np.int64)
        self._stel_next += n
        return a

    def dage(self, lo, hi) -> np.ndarray:
        return tilfaeldig_dag(self.rng, lo, hi)

    # ------------------------------------------------------------------ payers (CVR)
    def _byg_indberettere(self) -> None:
        rng = self.rng
        koder = np.array(sorted(self.kommuner_alle()), dtype=np.int64)
        n_firma = int(max(300, self.kommuner["n_ym"].sum() * 0.6))
        grupper = [("kommune", len(koder), K.BRANCHE_KOMMUNE), ("udk", 1, K.BRANCHE_UDK),
                   ("stat", 3, K.BRANCHE_STAT), ("akasse", 8, K.BRANCHE_AKASSE),
                   ("pension", 8, None), ("hospital", 5, K.BRANCHE_HOSPITAL), ("firma", n_firma, None)]
        total = sum(g[1] for g in grupper)
        cvr = cvr_numre(rng, total)
        art, branche = [], []
        for navn, n, b in grupper:
            art += [navn] * n
            if navn == "pension":
                branche += list(rng.choice(K.BRANCHE_PENSION, n))
            elif navn == "firma":
                branche += list(rng.choice(K.BRANCHER_PRIVAT, n))
            else:
                branche += [b] * n
        self.payer_cvr = cvr
        self.payer_branche = np.array(branche, dtype="U6")
        self.payer_art = np.array(art)
        start = {}
        pos = 0
        for navn, n, _ in grupper:
            start[navn] = (pos, pos + n)
            pos += n
        self._payer_range = start
        self.kommune_payer = dict(zip(koder.tolist(), range(*start["kommune"])))

    def payers(self, art: str, n: int) -> np.ndarray:
        lo, hi = self._payer_range[art]
        return self.rng.integers(lo, hi, n)

    def aktivering_for(self, kommuner) -> np.ndarray:
        """paragraf10_aktiveringsdato per kommunekode (INGEN where none)."""
        lut = np.full(1000, INGEN, dtype=np.int64)
        for k, d in self.aktivering.items():       # 98 municipalities
            lut[k] = d
        return lut[np.asarray(kommuner, dtype=np.int64)]

    def kommune_payer_for(self, kommuner) -> np.ndarray:
        lut = np.full(1000, -1, dtype=np.int64)
        for k, p in self.kommune_payer.items():
            lut[k] = p
        return lut[np.asarray(kommuner, dtype=np.int64)]

    @staticmethod
    def kommuner_alle() -> list[int]:
        return [int(x) for x in shipped_kommuner()["kommunekode"]]

    # ------------------------------------------------------------------ population
    def byg_befolkning(self) -> None:
        rng, per = self.rng, self.per
        D = per.D
        kom = np.repeat(self.kommuner["kommunekode"].to_numpy(), self.kommuner["n_ym"].to_numpy())
        kom_o = np.repeat(self.kommuner["kommunekode"].to_numpy(), self.kommuner["n_andre"].to_numpy())
        n_ym, n_o = len(kom), len(kom_o)
        # --- heads: YM first, then the others
        kind = np.r_[np.full(n_ym, YM), rng.choice([OPHOERT, INGEN_BETALING, IKKE_BESTAND], n_o,
                                                    p=[0.3, 0.2, 0.5])]
        kommune = np.r_[kom, kom_o]
        n = len(kind)
        shares = np.array([x[1] for x in K.YM_KLE])
        kle_i = rng.choice(len(K.YM_KLE), n, p=shares / shares.sum())
        kle = np.array([K.YM_KLE[i][0] for i in range(len(K.YM_KLE))])[kle_i]
        age_lo = np.array([x[2][0] for x in K.YM_KLE])[kle_i]
        age_hi = np.array([x[2][1] for x in K.YM_KLE])[kle_i]
        # other kinds: non-bestand KLE get their own ages
        ikke = kind == IKKE_BESTAND
        kle = np.where(ikke, rng.choice(["32.18.04", "32.03.08"], n, p=[0.7, 0.3]), kle)
        age_lo = np.where(ikke & (kle == "32.03.08"), 40, np.where(ikke, 22, age_lo))
        age_hi = np.where(ikke, 66, age_hi)
        alder = age_lo + rng.random(n) * (age_hi - age_lo + 1)
        foedsel = D - np.floor(alder * 365.25).astype(np.int64)
        mand = rng.random(n) < 0.52
        pid = self.folk.ny(foedsel, mand)
        foedsel = self.folk.foedsel()[pid]
        self.h_pid, self.h_kind, self.h_kommune, self.h_kle = pid, kind, kommune, kle
        self.h_foedsel = foedsel
        b18 = plus_aar(foedsel, 18)
        # --- spouses
        gift = rng.random(n) < np.where(kind == YM, 0.30, 0.45)
        hs = np.flatnonzero(gift)
        sp_alder_off = np.round(rng.normal(0, 4 * 365, len(hs))).astype(np.int64)
        sp_foedsel = foedsel[hs] + sp_alder_off
        ung = sp_foedsel > D - 19 * 366          # spouses are adults: at least 19 on D
        sp_foedsel = np.where(ung, D - 19 * 366 - rng.integers(0, 4 * 365, len(hs)), sp_foedsel)
        sp_mand = np.where(rng.random(len(hs)) < 0.95, ~mand[hs], mand[hs])
        sp = self.folk.ny(sp_foedsel, sp_mand)
        sp_foedsel = self.folk.foedsel()[sp]
        self.h_spouse = np.full(n, -1, dtype=np.int64)
        self.h_spouse[hs] = sp
        lo = np.maximum(b18[hs], plus_aar(sp_foedsel, 18)) + 365
        hi = np.full(len(hs), per.kp_start - 60)
        lo = np.minimum(lo, hi)
        vielse = self.dage(lo, hi)
        self.h_vielse = np.full(n, INGEN, dtype=np.int64)
        self.h_vielse[hs] = vielse
        # separations (old, before the kontrolperiode): half of the couples live apart
        sep_hi = per.kp_start - 200
        separeret = (rng.random(len(hs)) < 0.06) & (vielse + 30 < sep_hi)
        sep = np.where(separeret, self.dage(np.minimum(vielse + 30, sep_hi), sep_hi), INGEN)
        self.h_separation = np.full(n, INGEN, dtype=np.int64)
        self.h_separation[hs] = sep
        apart = np.where(separeret, rng.random(len(hs)) < 0.5, rng.random(len(hs)) < 0.04)
        self.h_cohab = np.zeros(n, dtype=bool)
        self.h_cohab[hs] = ~apart
        # ÆF on D (background): married, not separated-and-apart
        self.h_aef = np.zeros(n, dtype=bool)
        self.h_aef[hs] = ~(separeret & apart)
        self.civilstand_par(pid[hs], sp, "vielse", vielse)
        s = separeret
        self.civilstand_par(pid[hs][s], sp[s], "separation", sep[s])
        # --- earlier marriages, ended by divorce
        has_ex = rng.random(n) < 0.15
        lim = np.where(gift, self.h_vielse, per.kp_start) - 30
        e1 = np.maximum(b18 + 200, lim - self.dage(np.full(n, 2000), np.full(n, 8000)))
        e2 = np.minimum(e1 + self.dage(np.full(n, 300), np.full(n, 2500)), lim)
        has_ex &= e2 > e1 + 30
        he = np.flatnonzero(has_ex)
        ex_b = np.minimum(foedsel[he] + rng.integers(-1500, 1500, len(he)), plus_aar(e1[he], -19))
        ex = self.folk.ny(ex_b, ~mand[he])
        self.civilstand_par(pid[he], ex, "vielse", e1[he])
        tom = rng.random(len(he)) < 0.4      # "empty = the current spouse" on skilsmisse
        self.civilstand_par(pid[he], ex, "skilsmisse", e2[he], tom_for_a=tom)
        self.ex_pid = ex
        # --- children
        p_boern = np.where(kind[:, None] == YM, np.array([0.48, 0.22, 0.18, 0.12]),
                           np.array([0.6, 0.2, 0.12, 0.08]))
        cnt = (rng.random(n)[:, None] > np.cumsum(p_boern, axis=1)).sum(axis=1)
        ch_h = np.repeat(np.arange(n), cnt)
        lo = np.maximum(plus_aar(foedsel[ch_h], 19), plus_aar(np.full(len(ch_h), D), -24))
        hi = np.full(len(ch_h), per.kp_start - 60)
        ok = lo <= hi
        ch_h = ch_h[ok]
        ch_b = self.dage(lo[ok], hi[ok])
        ch = self.folk.ny(ch_b, rng.random(len(ch_h)) < 0.51)
        ch_b = self.folk.foedsel()[ch]
        voksen = plus_aar(ch_b, 18) <= D
        hjemme = rng.random(len(ch)) < np.where(voksen, 0.35, 0.88)
        faelles = self.h_cohab[ch_h] & (rng.random(len(ch)) < 0.75)
        self.boern = pd.DataFrame({"h": ch_h, "pid": ch, "foedsel": ch_b, "hjemme": hjemme,
                                   "faelles": faelles})
        self.T.tilfoej("relationer", cpr=pid[ch_h], barn_cpr=ch)
        self.T.tilfoej("relationer", cpr=self.h_spouse[ch_h][faelles], barn_cpr=ch[faelles])
        self._byg_adresser()

    def civilstand_par(self, a, b, haendelse, dato, tom_for_a=None) -> None:
        a_aeg = b if tom_for_a is None else np.where(tom_for_a, -1, b)
        self.T.tilfoej("civilstand", cpr=a, haendelse=haendelse, dato=dato, aegtefaelle_cpr=a_aeg)
        self.T.tilfoej("civilstand", cpr=b, haendelse=haendelse, dato=dato, aegtefaelle_cpr=a)

    def _byg_adresser(self) -> None:
        """Household address histories (all before the kontrolperiode), expanded to members."""
        rng, per = self.rng, self.per
        n = len(self.h_pid)
        b18 = plus_aar(self.h_foedsel, 18)
        cur = np.maximum(b18, per.kp_start - self.dage(np.full(n, 30), np.full(n, 4000)))
        cur = np.minimum(cur, per.kp_start - 30)
        n_prev = rng.choice([0, 1, 2], n, p=[0.35, 0.4, 0.25])
        rows_h, rows_fra = [np.arange(n)], [cur]
        f = cur.copy()
        for k in (1, 2):   # at most two earlier addresses (a loop over rows of history, not people)
            f = f - self.dage(np.full(n, 200), np.full(n, 2500))
            keep = (n_prev >= k) & (f >= b18)
            rows_h.append(np.arange(n)[keep])
            rows_fra.append(f[keep])
        h = np.concatenate(rows_h)
        fra = np.concatenate(rows_fra)
        order = np.lexsort((fra, h))
        h, fra = h[order], fra[order]
        last = np.r_[h[1:] != h[:-1], True]
        til = np.where(last, INGEN, np.r_[fra[1:], 0] - 1)
        kommune = np.where(last | (rng.random(len(h)) < 0.7), self.h_kommune[h],
                           rng.choice(self.kommuner_alle(), len(h)))
        ha = pd.DataFrame({"h": h, "adr": self.nye_adresser(len(h)), "kommune": kommune,
                           "fra": fra, "til": til})
        self.ha = ha
        # members living at home: head, cohabiting spouse, children at home
        hs = np.flatnonzero(self.h_cohab)
        bo = self.boern[self.boern["hjemme"]]
        mem = pd.DataFrame({
            "pid": np.r_[self.h_pid, self.h_spouse[hs], bo["pid"].to_numpy()],
            "h": np.r_[np.arange(n), hs, bo["h"].to_numpy()],
            "start": np.r_[np.full(n + len(hs), INGEN), bo["foedsel"].to_numpy()],
        })
        m = mem.merge(ha, on="h")
        m = m[(m["til"] == INGEN) | (m["til"] >= m["start"])]
        m = m.assign(fra=np.maximum(m["fra"].to_numpy(), m["start"].to_numpy()))
        adr = m[["pid", "adr", "kommune", "fra", "til"]]
        # people living elsewhere: spouses apart, children away, former spouses
        sp_apart = self.h_spouse[(self.h_spouse >= 0) & ~self.h_cohab]
        away = self.boern.loc[~self.boern["hjemme"], "pid"].to_numpy()
        ude = np.r_[sp_apart, away, self.ex_pid]
        fb = self.folk.foedsel()[ude]
        fra = np.maximum(fb, per.kp_start - self.dage(np.full(len(ude), 60), np.full(len(ude), 3000)))
        kom_ude = rng.choice(self.kommuner_alle(), len(ude)) if self.national else \
            np.where(rng.random(len(ude)) < 0.6, self.h_kommune[0], rng.choice(self.kommuner_alle(), len(ude)))
        ude_df = pd.DataFrame({"pid": ude, "adr": self.nye_adresser(len(ude)), "kommune": kom_ude,
                               "fra": fra, "til": INGEN})
        self.adr = pd.concat([adr, ude_df], ignore_index=True)
        self.hjemme = mem[["pid", "h"]]

    def skriv_sager(self) -> None:
        """Write ydelsessager (after the scenarios may have set an ophoert)."""
        sek = self.h_sek
        self.T.tilfoej("ydelsessager", cpr=self.h_pid, kommunekode=self.h_kommune, kle=self.h_kle,
                       oprettet=self.h_oprettet, ophoert=self.h_ophoert)
        self.T.tilfoej("ydelsessager", cpr=self.h_pid[sek], kommunekode=self.h_kommune[sek],
                       kle="32.24.30", oprettet=self.h_sek_opr[sek], ophoert=INGEN)

    # ------------------------------------------------------------------ moves, CVR, expectations
    def flyt(self, pids, datoer, adr=None) -> None:
        """Each person leaves the current address the day before ``datoer`` and moves to a new
        address (``adr``: given ids, e.g. one per household, or fresh ones)."""
        pids = np.asarray(pids, dtype=np.int64)
        datoer = np.broadcast_to(np.asarray(datoer, dtype=np.int64), pids.shape)
        if len(pids) == 0:
            return
        if len(np.unique(pids)) != len(pids):
            raise ValueError("en person kan kun flytte én gang pr. kald")
        a = self.adr
        cur = (a["til"].to_numpy() == INGEN) & np.isin(a["pid"].to_numpy(), pids)
        m = pd.Series(datoer, index=pids)
        cur_pid = a.loc[cur, "pid"].to_numpy()
        ny_til = m.loc[cur_pid].to_numpy() - 1
        if np.any(ny_til < a.loc[cur, "fra"].to_numpy()):
            raise ValueError("flytning før den nuværende adresses fra-dato")
        til = a["til"].to_numpy().copy()
        til[cur] = ny_til
        kom = pd.Series(a.loc[cur, "kommune"].to_numpy(), index=cur_pid)
        adr = self.nye_adresser(len(pids)) if adr is None else np.asarray(adr, dtype=np.int64)
        self.adr = pd.concat([a.assign(til=til), pd.DataFrame({
            "pid": pids, "adr": adr, "kommune": kom.reindex(pids).fillna(self.h_kommune[0]).astype(np.int64).to_numpy(),
            "fra": datoer, "til": INGEN})], ignore_index=True)

    def nyt_cvr(self, n: int) -> np.ndarray:
        brugt = np.r_[self.payer_cvr, *getattr(self, "_cvr_brugt", [])]
        out = cvr_numre(self.rng, n, brugt)
        self._cvr_brugt = getattr(self, "_cvr_brugt", []) + [out]
        return out

    def udfald(self, ym, person, rolle, regel, dato, note) -> None:
        self._plant(self.forventet, ym, person, rolle, regel, dato, note)

    def ikke_udfald(self, ym, person, rolle, regel, dato, note) -> None:
        self._plant(self.ikke, ym, person, rolle, regel, dato, note)

    @staticmethod
    def _plant(liste, ym, person, rolle, regel, dato, note) -> None:
        ym = np.atleast_1d(np.asarray(ym, dtype=np.int64))
        if len(ym) == 0:
            return
        liste.append(pd.DataFrame({
            "ym": ym, "person": np.broadcast_to(np.asarray(person, dtype=np.int64), ym.shape),
            "rolle": rolle, "regel": regel,
            "dato": np.broadcast_to(np.asarray(dato, dtype=np.int64), ym.shape), "beskrivelse": note}))

    # ------------------------------------------------------------------ cases and payments
    def byg_sager(self) -> None:
        rng, per = self.rng, self.per
        n = len(self.h_pid)
        kind = self.h_kind
        b18 = plus_aar(self.h_foedsel, 18)
        lo = np.maximum(b18 + 30, per.D - 3650)
        hi = np.full(n, per.kp_start - 1)
        oprettet = self.dage(np.minimum(lo, hi), hi)
        ny = (kind == YM) & (rng.random(n) < 0.04)
        lm_pay = int(self.lonningsdage[-2])
        oprettet = np.where(ny, self.dage(np.full(n, per.kp_start + 1), np.full(n, lm_pay)), oprettet)
        ophoert = np.full(n, INGEN, dtype=np.int64)
        oph = kind == OPHOERT
        ophoert[oph] = np.where(rng.random(oph.sum()) < 0.3, per.D - 1,
                                self.dage(np.full(oph.sum(), per.lm_start), np.full(oph.sum(), per.D - 1)))
        self.h_oprettet, self.h_ophoert, self.h_ny_sag = oprettet, ophoert, ny
        # secondary 32.24.30 case (old) for some YM with an old case
        sek = (kind == YM) & ~ny & (self.h_kle != "32.24.30") & (rng.random(n) < 0.10)
        self.h_sek = sek
        self.h_sek_betalt = sek & (rng.random(n) < 0.5)      # paid last month -> qualifying
        sek_opr = self.dage(np.minimum(lo, hi), hi)
        self.h_sek_opr = sek_opr
        # monthly payments on the primary case, on the pay day of each month >= oprettet
        pay = self.lonningsdage[:-1]                      # months hist .. last month
        nm = len(pay)
        slut = np.full(n, nm - 1)                          # index of last month paid
        slut = np.where(oph, np.searchsorted(pay, ophoert, side="right") - 1, slut)
        ingen = kind == INGEN_BETALING
        variant = rng.integers(0, 3, n)
        slut = np.where(ingen & (variant == 0), nm - 1 - rng.integers(1, 4, n), slut)
        start = np.searchsorted(pay, oprettet, side="left")
        amt_lo = dict((x[0], x[3][0]) for x in K.YM_KLE)
        amt_hi = dict((x[0], x[3][1]) for x in K.YM_KLE)
        amt_lo.update({"32.18.04": 9_000, "32.03.08": 14_000})
        amt_hi.update({"32.18.04": 19_000, "32.03.08": 20_000})
        lo_k = np.array([amt_lo[k] for k in self.h_kle]) * 100
        hi_k = np.array([amt_hi[k] for k in self.h_kle]) * 100
        cnt = np.maximum(slut - start + 1, 0)
        # ingen-betaling variants 1 and 2 get no monthly series in the last month (handled below)
        cnt = np.where(ingen & (variant > 0), np.maximum(nm - 1 - start, 0), cnt)
        hh = np.repeat(np.arange(n), cnt)
        first = np.repeat(start, cnt)
        mi = first + (np.arange(len(hh)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        sporadisk = np.isin(self.h_kle[hh], K.SPORADISK)
        keep = ~sporadisk | (rng.random(len(hh)) < 0.3) | (mi == nm - 1)
        hh, mi = hh[keep], mi[keep]
        dato = pay[mi]
        # boundary YM: last month's payment on the last / first day of that month
        graense = rng.random(n)
        lm = mi == nm - 1
        dato = np.where(lm & (graense[hh] < 0.01), per.lm_end,
                        np.where(lm & (graense[hh] > 0.99), per.lm_start, dato))
        beloeb = lo_k[hh] + (rng.random(len(hh)) * (hi_k[hh] - lo_k[hh])).astype(np.int64)
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[hh], kle=self.h_kle[hh], udbetalingsdato=dato,
                       beloeb=beloeb)
        # the same money as eIndkomst type 1 from the municipality (ignored by offentlig_ydelse)
        mpay = self.kommune_payer_for(self.h_kommune[hh])
        # reported as 1-4 lines (ydelse, tillæg, ...), distinct amounts adding up to the payment
        nlin = rng.choice([1, 2, 3, 4], len(hh), p=[0.05, 0.25, 0.4, 0.3])
        rest = beloeb.copy()
        for j in range(4):             # line slots, not people
            m = nlin > j
            sidste = nlin == j + 1
            del_ = np.where(sidste, rest, (rest * 0.7).astype(np.int64) - j)
            self.T.tilfoej("eindkomst", cpr=self.h_pid[hh][m], payer=mpay[m], indkomsttype=1,
                           udbetalingsdato=dato[m], beloeb=del_[m])
            rest = rest - del_
        # no-payment variants: a negative regulation last month / payments around last month
        v1 = np.flatnonzero(ingen & (variant == 1))
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[v1], kle=self.h_kle[v1],
                       udbetalingsdato=self.dage(np.full(len(v1), per.lm_start), np.full(len(v1), per.lm_end)),
                       beloeb=-kr_oere(rng, 200, 3000, len(v1)))
        v2 = np.flatnonzero(ingen & (variant == 2))
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[v2], kle=self.h_kle[v2],
                       udbetalingsdato=np.full(len(v2), per.lm_start - 1), beloeb=kr_oere(rng, 2000, 9000, len(v2)))
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[v2], kle=self.h_kle[v2],
                       udbetalingsdato=np.full(len(v2), per.lm_end + 1), beloeb=kr_oere(rng, 2000, 9000, len(v2)))
        # secondary case payments: last month if qualifying, else two older months
        sb = np.flatnonzero(self.h_sek_betalt)
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[sb], kle="32.24.30",
                       udbetalingsdato=self.dage(np.full(len(sb), per.lm_start), np.full(len(sb), per.lm_end)),
                       beloeb=kr_oere(rng, 300, 5000, len(sb)))
        so = np.flatnonzero(self.h_sek & ~self.h_sek_betalt)
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[so], kle="32.24.30",
                       udbetalingsdato=self.dage(np.full(len(so), per.hist_start), np.full(len(so), per.lm_start - 1)),
                       beloeb=kr_oere(rng, 300, 5000, len(so)))
        # a few negative regulations in older months (YM and others)
        rg = np.flatnonzero(rng.random(n) < 0.03)
        self.T.tilfoej("udbetalinger", cpr=self.h_pid[rg], kle=self.h_kle[rg],
                       udbetalingsdato=self.dage(np.maximum(np.full(len(rg), per.hist_start), oprettet[rg]),
                                                 np.maximum(np.full(len(rg), per.lm_start - 1), oprettet[rg])),
                       beloeb=-kr_oere(rng, 100, 2500, len(rg)))
        # vindue start per YM (all qualifying cases of a YM share it by construction)
        self.h_S = np.maximum.reduce([np.full(n, per.kp_start), oprettet, self.aktivering_for(self.h_kommune)])
