"""Planted events: the oracle the samkøring is tested against.

Each scenario below is given to a set of ydelsesmodtagere (each YM gets at most one), writes the
register rows that make it, and records the udfald rows regler.md says the samkøring must produce
(``Verden.udfald``) — or, for a boundary case, that it must NOT produce (``Verden.ikke_udfald``).
Dates are placed relative to the YM's vindue [S, E] so that a case created inside the
kontrolperiode or a municipality's late § 10 activation never breaks a scenario. A scenario's
``maal`` names whose background must stay out of its way ("ym" or "aef": no background salary
and no background B-indkomst for that person).

Every threshold a scenario plants on or beside (500 kr., 15 years, 60 days, 18 years, 3 months,
the KLE sets, the car codes, the VAT indices …) is read from the rule parameters in force on the
generation date D (:func:`_p`, ``parameters/regler/``), never repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from kontrol_lib.jobs.syntetisk import kataloger as K
from kontrol_lib.jobs.syntetisk.model import (INGEN, aar, foerste_i_maaned, maaned_nr, plus_aar, plus_maaneder,
                                              sidste_i_maaned, som_dato)
from kontrol_lib.jobs.syntetisk.verden import YM, Verden, kr_oere
from kontrol_lib.jobs.syntetisk.baggrund import loen, offentlig
from kontrol_lib.regler.regel import talord
from kontrol_lib.vokabular import tid
from kontrol_lib.vokabular.format import tal


def _p(v, navn: str):
    """The rule parameter ``regler.<navn>`` in force on the generation date D."""
    return K.parameter(navn, som_dato(v.per.D))


@dataclass(frozen=True)
class Scenarie:
    navn: str
    andel: float                       # share of YM
    kan: Callable[[Verden], np.ndarray]   # eligibility over heads (bool)
    lav: Callable[[Verden, np.ndarray], None]
    maal: str = "ym"                   # "ym" or "aef"
    rydder: tuple[str, ...] = ()       # background to leave out for the target: "loen", "b"


# ---------------------------------------------------------------------------- eligibility
def _a4(v):
    return np.isin(v.h_kle, K.a4(som_dato(v.per.D)))


def _aef(v):
    return _a4(v) & v.h_aef


def _alle(v):
    return np.ones(len(v.h_pid), dtype=bool)


def _ugift(v):
    return v.h_spouse < 0


def _gift_samboende(v):
    return (v.h_spouse >= 0) & v.h_cohab & (v.h_separation == INGEN)


def _boern_hjemme(v):
    return np.bincount(v.boern.loc[v.boern["hjemme"], "h"], minlength=len(v.h_pid))


def _enlig_uden_boern(v):
    return _ugift(v) & (_boern_hjemme(v) == 0)


def _plads(v, dage):
    return v.per.D - v.h_S >= dage


# ---------------------------------------------------------------------------- helpers
def _t(v, h, lo_off=0, hi=None):
    """A day in [S + lo_off, hi or D] for each head."""
    return v.dage(v.h_S[h] + lo_off, np.full(len(h), v.per.D if hi is None else hi))


def _bil(v, pid, handel, dato, reg, ebk=None, indeks=None, stel=None):
    stel = v.nye_stelnumre(len(pid)) if stel is None else stel
    ebk = v.rng.choice(np.array(_p(v, "bil_ejerbrugerkoder")), len(pid)) if ebk is None else ebk
    indeks = _p(v, "bil_r75_indeks") if indeks is None else indeks
    v.T.tilfoej("biler", cpr=pid, stelnummer=stel, handel=handel, handelsdato=dato,
                foerste_registrering=reg, ejerbrugerkode=ebk, r75_indeks=indeks)
    return stel


def _d15(v):
    """D − bil_alder_aar years: the oldest first registration that is "højst 15 år siden"."""
    return int(plus_aar(np.array([v.per.D]), -int(_p(v, "bil_alder_aar")))[0])


def _ny_reg(v, t):
    """A first registration well inside the car age limit before D (two thirds of it, in days)."""
    return t - v.dage(np.zeros(len(t)), np.full(len(t), int(_p(v, "bil_alder_aar")) * 365 * 2 // 3))


def _gammel_reg(v, n):
    return _d15(v) - v.dage(np.ones(n), np.full(n, 3000))


def _b(v, pid, dato, oere):
    v.T.tilfoej("eindkomst", cpr=pid, payer=v.payers("firma", len(pid)), indkomsttype=_p(v, "b_indkomst_type"),
                udbetalingsdato=dato, beloeb=oere)


def _sorterede(v, h, k):
    """k strictly increasing days in [S, D] per head (needs D - S >= k - 1)."""
    out = []
    lo = v.h_S[h].copy()
    for i in range(k):     # k is 2 or 3: a loop over event slots, not over people
        d = v.dage(lo, np.full(len(h), v.per.D - (k - 1 - i)))
        out.append(d)
        lo = d + 1
    return out


def _person(v, h, maal):
    return v.h_pid[h] if maal == "ym" else v.h_spouse[h]


def _rolle(maal):
    return "YM" if maal == "ym" else "ÆF"


def _husstand(v, h):
    """(pid, head) of everyone living in the households of heads h."""
    hj = v.hjemme[v.hjemme["h"].isin(h)]
    return hj["pid"].to_numpy(), hj["h"].to_numpy()


def _flyt_husstand(v, h, d, samme=False):
    pids, hh = _husstand(v, h)
    dmap = pd.Series(d, index=h)
    if samme:
        cur = v.adr[(v.adr["til"] == INGEN) & v.adr["pid"].isin(v.h_pid[h])]
        adr_of = pd.Series(cur["adr"].to_numpy(), index=pd.Index(cur["pid"].to_numpy()))
        adr_h = pd.Series(adr_of.loc[v.h_pid[h]].to_numpy(), index=h)
    else:
        adr_h = pd.Series(v.nye_adresser(len(h)), index=h)
    v.flyt(pids, dmap.loc[hh].to_numpy(), adr_h.loc[hh].to_numpy())


def _nuvaerende(v, pids):
    cur = v.adr[(v.adr["til"] == INGEN) & v.adr["pid"].isin(pids)]
    s = cur.set_index("pid")
    return s.loc[pids, "adr"].to_numpy(), s.loc[pids, "kommune"].to_numpy(), s.loc[pids, "fra"].to_numpy()


def _nyt_barn(v, h, foedsel, foraeldre="ym", flyt=None):
    """A child living at the head's current address; optionally moving out on ``flyt``.
    Returns (child pid, actual birth date)."""
    barn = v.folk.ny(foedsel, v.rng.random(len(h)) < 0.5)
    fb = v.folk.foedsel()[barn]
    if foraeldre in ("ym", "begge"):
        v.T.tilfoej("relationer", cpr=v.h_pid[h], barn_cpr=barn)
    if foraeldre in ("aef", "begge"):
        v.T.tilfoej("relationer", cpr=v.h_spouse[h], barn_cpr=barn)
    adr, kom, fra = _nuvaerende(v, v.h_pid[h])
    v.adr = pd.concat([v.adr, pd.DataFrame({"pid": barn, "adr": adr, "kommune": kom,
                                            "fra": np.maximum(fra, fb), "til": INGEN})], ignore_index=True)
    if flyt is not None:
        v.flyt(barn, flyt)
    return barn, fb


# ---------------------------------------------------------------------------- cars
def bilkoeb(maal):
    def lav(v, h):
        p = _person(v, h, maal)
        t = _t(v, h)
        _bil(v, p, "koeb", t, _ny_reg(v, t))
        v.udfald(v.h_pid[h], p, _rolle(maal), "bilkoeb", t, "privatbil købt i vinduet")
    return lav


def bilkoeb_15aar(v, h):
    S = v.h_S[h]
    _bil(v, v.h_pid[h], "koeb", S, np.full(len(h), _d15(v)))
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "bilkoeb", S,
             f"grænse: første registrering præcis D − {_p(v, 'bil_alder_aar')} år, købt på vinduets første dag")


def bilkoeb_15aar_1dag(v, h):
    t = _t(v, h)
    _bil(v, v.h_pid[h], "koeb", t, np.full(len(h), _d15(v) - 1))
    v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "bilkoeb", t,
                  f"grænse: første registrering D − {_p(v, 'bil_alder_aar')} år − 1 dag (for gammel, og kun én handel)")


def bilkoeb_efter_D(v, h):
    E = np.full(len(h), v.per.E)
    _bil(v, v.h_pid[h], "koeb", E, _ny_reg(v, E))
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "bilkoeb", E, "købt på kontrolperiodens sidste dag (efter D)")


def bilsalg(v, h):
    p = v.h_pid[h]
    k = v.per.kp_start - v.dage(np.full(len(h), 30), np.full(len(h), 2000))
    reg = np.maximum(_d15(v), k - v.dage(np.zeros(len(h)), np.full(len(h), 2500)))
    stel = _bil(v, p, "koeb", k, reg)
    t = _t(v, h)
    _bil(v, p, "salg", t, reg, stel=stel)
    v.udfald(p, p, "YM", "bilsalg", t, "privatbil solgt i vinduet")


def bil_forkert_kode(v, h):
    p = v.h_pid[h]
    t = _t(v, h)
    firma = v.rng.random(len(h)) < 0.5
    koder, indeks = _p(v, "bil_ejerbrugerkoder"), _p(v, "bil_r75_indeks")
    forkert_kode = min(set(range(1, 100)) - set(koder))      # the smallest code that is not checked
    _bil(v, p, "koeb", t, _ny_reg(v, t), ebk=np.where(firma, koder[0], forkert_kode),
         indeks=np.where(firma, indeks + 100, indeks))
    v.ikke_udfald(p, p, "YM", "bilkoeb", t, f"ejer-/brugerkode {forkert_kode} eller R75-indeks ≠ {indeks}")


def _handler(v, p, datoer):
    """Trades of old cars on the given days: each car bought, then sold on the next day given."""
    for i, d in enumerate(datoer):
        if i % 2 == 0:
            reg = _gammel_reg(v, len(p))
            stel = _bil(v, p, "koeb", d, reg)
        else:
            _bil(v, p, "salg", d, reg, stel=stel)


def mange_bilhandler(v, h):
    p = v.h_pid[h]
    antal = int(_p(v, "mange_bilhandler_antal"))
    datoer = _sorterede(v, h, antal)
    _handler(v, p, datoer)
    v.udfald(p, p, "YM", "mange_bilhandler", datoer[-1],
             f"{talord(antal)} handler med biler over {_p(v, 'bil_alder_aar')} år i vinduet")


def mange_bilhandler_ikke(v, h):
    p = v.h_pid[h]
    antal = int(_p(v, "mange_bilhandler_antal"))
    datoer = [v.h_S[h] - 1] + _sorterede(v, h, antal - 1)
    _handler(v, p, datoer)
    v.ikke_udfald(p, p, "YM", "mange_bilhandler", datoer[-1],
                  f"grænse: den første af {talord(antal)} handler er dagen før vinduet")


def bilkoeb_ikke_a4(v, h):
    p = v.h_pid[h]
    t = _t(v, h)
    _bil(v, p, "koeb", t, _ny_reg(v, t))
    v.ikke_udfald(p, p, "YM", "bilkoeb", t, "ydelsen er ikke en A4-ydelse")


# ---------------------------------------------------------------------------- CVR, moms
def ny_virksomhed(maal):
    def lav(v, h):
        p = _person(v, h, maal)
        t = _t(v, h)
        v.T.tilfoej("virksomheder", cvr=v.nyt_cvr(len(h)), cpr=p, stiftelsesdato=t)
        v.udfald(v.h_pid[h], p, _rolle(maal), "ny_virksomhed", t, "virksomhed stiftet i vinduet")
    return lav


def ny_virksomhed_foer(v, h):
    p = v.h_pid[h]
    t = v.h_S[h] - 1
    v.T.tilfoej("virksomheder", cvr=v.nyt_cvr(len(h)), cpr=p, stiftelsesdato=t)
    v.ikke_udfald(p, p, "YM", "ny_virksomhed", t, "grænse: stiftet dagen før vinduet")


def _moms(v, p, cvr, y, q, beloeb, dato):
    v.T.tilfoej("moms", cpr=p, cvr=cvr, aar=y, r75_indeks=_p(v, "moms_r75_indeks")[q], beloeb=beloeb,
                indberetningsdato=dato)


def moms(maal, variant="hit"):
    def lav(v, h):
        p = _person(v, h, maal)
        n = len(h)
        cvr = v.nyt_cvr(n)
        v.T.tilfoej("virksomheder", cvr=cvr, cpr=p, stiftelsesdato=v.per.kp_start - v.dage(np.full(n, 900), np.full(n, 3000)))
        if variant == "to":
            t1, t = _sorterede(v, h, 2)
        else:
            t = _t(v, h)
        y = aar(t) - 1
        foer = v.per.kp_start - v.dage(np.full(n, 40), np.full(n, 300))
        if variant == "nul":
            x = kr_oere(v.rng, 500, 20_000, n)
            for q, b in enumerate([x, -x, np.zeros(n, np.int64)]):
                _moms(v, p, cvr, y, q, b, foer - q)
            _moms(v, p, cvr, y, 3, np.zeros(n, np.int64), t)
            v.ikke_udfald(v.h_pid[h], p, _rolle(maal), "momsindberetning", t,
                          "grænse: årets kvartaler summerer til 0 kr")
            return
        for q in range(2):
            _moms(v, p, cvr, y, q, kr_oere(v.rng, 500, 40_000, n), foer - q)
        if variant == "to":
            _moms(v, p, cvr, y, 2, kr_oere(v.rng, 500, 40_000, n), t1)
        else:
            _moms(v, p, cvr, y, 2, kr_oere(v.rng, 500, 40_000, n), foer - 2)
        _moms(v, p, cvr, y, 3, kr_oere(v.rng, 500, 40_000, n) * v.rng.choice([1, -1], n), t)
        note = ("to indberetninger for samme år i vinduet, dateret ved den seneste" if variant == "to"
                else "momsindberetning i vinduet, årets sum ≠ 0")
        v.udfald(v.h_pid[h], p, _rolle(maal), "momsindberetning", t, note)
    return lav


# ---------------------------------------------------------------------------- eIndkomst
def _graense_oere(v) -> int:
    """The B-income limit (regler.b_indkomst_graense) in øre."""
    return int(Decimal(_p(v, "b_indkomst_graense")) * 100)


def _kr_tekst(oere: int, decimaler: int) -> str:
    return tal(Decimal(oere) / 100, decimaler)


def b_indkomst(maal):
    def lav(v, h):
        p = _person(v, h, maal)
        t = _t(v, h)
        g = Decimal(_p(v, "b_indkomst_graense"))
        _b(v, p, t, kr_oere(v.rng, g + 100, g * 30, len(h)))
        v.udfald(v.h_pid[h], p, _rolle(maal), "b_indkomst", t, f"B-indkomst over {tal(g)} kr i vinduet")
    return lav


def _b_to_linjer(v, h, a: int, b: int):
    """Two B-income lines of a and b øre in the vindue; returns the later date and the note's sum."""
    p = v.h_pid[h]
    t1, t2 = _sorterede(v, h, 2)
    _b(v, p, t1, np.full(len(h), a))
    _b(v, p, t2, np.full(len(h), b))
    return p, t2, f"grænse: {_kr_tekst(a, 2)} + {_kr_tekst(b, 2)} = {_kr_tekst(a + b, 2)} kr"


def b_indkomst_graense(v, h):
    g = _graense_oere(v)            # half the limit + half the limit and one øre: 500,01 kr
    p, t2, note = _b_to_linjer(v, h, g // 2, g - g // 2 + 1)
    v.udfald(p, p, "YM", "b_indkomst", t2, note)


def b_indkomst_paa_graensen(v, h):
    g = _graense_oere(v)            # two fifths + three fifths of the limit: exactly 500,00 kr
    p, t2, note = _b_to_linjer(v, h, g * 2 // 5, g - g * 2 // 5)
    v.ikke_udfald(p, p, "YM", "b_indkomst", t2, note)


def b_indkomst_foer(v, h):
    p = v.h_pid[h]
    t = _t(v, h)
    g = _graense_oere(v)            # six times the limit the day before, a fifth of it inside
    _b(v, p, v.h_S[h] - 1, np.full(len(h), 6 * g))
    _b(v, p, t, np.full(len(h), g // 5))
    v.ikke_udfald(p, p, "YM", "b_indkomst", t,
                  f"{_kr_tekst(6 * g, 0)} kr dagen før vinduet + {_kr_tekst(g // 5, 0)} kr i vinduet")


def _firma_par(v, n):
    lo, hi = v._payer_range["firma"]
    a = v.rng.integers(lo, hi, n)
    b = lo + (a - lo + 1 + v.rng.integers(0, hi - lo - 1, n)) % (hi - lo)
    return a, b


def _engang(v, pid, payer, dato, indkomsttype=None):
    """One payment per person (default: salary, the first of regler.loen_indkomsttyper)."""
    indkomsttype = _p(v, "loen_indkomsttyper")[0] if indkomsttype is None else indkomsttype
    v.T.tilfoej("eindkomst", cpr=pid, payer=payer, indkomsttype=indkomsttype, udbetalingsdato=dato,
                beloeb=kr_oere(v.rng, 2_000, 30_000, len(pid)))


def ny_arbejdsgiver(maal, variant):
    def lav(v, h):
        p = _person(v, h, maal)
        n = len(h)
        A, B = _firma_par(v, n)
        start = v.per.kp_start - v.dage(np.full(n, 200), np.full(n, 3000))
        R = _rolle(maal)
        if variant == "foerste":
            t = _t(v, h)
            _engang(v, p, B, t)
            v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t, "første løn nogensinde, i vinduet")
        elif variant == "skift":
            t = _t(v, h)
            loen(v, p, A, start, t - 1, 4_000, 30_000)
            _engang(v, p, B, t)
            v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t, "ny arbejdsgiver afløser den hidtidige")
        elif variant in ("over_graensen", "paa_graensen"):
            dage = int(_p(v, "ny_arbejdsgiver_dage"))
            gap = dage + 1 if variant == "over_graensen" else dage
            L = _t(v, h)
            pp = L - gap
            loen(v, p, A, start, pp - 20, 4_000, 30_000)
            _engang(v, p, A, pp)
            _engang(v, p, A, L)
            note = f"grænse: samme arbejdsgiver efter {gap} dage"
            if gap > dage:
                v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", L, note)
            else:
                v.ikke_udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", L, note)
        elif variant == "efter_D":
            E = np.full(n, v.per.E)
            loen(v, p, A, start, np.full(n, v.per.D), 4_000, 30_000)
            _engang(v, p, B, E)
            v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", E, "ny arbejdsgiver betaler første gang efter D")
        elif variant == "foer":
            t = v.h_S[h] - 1
            _engang(v, p, B, t)
            v.ikke_udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t, "grænse: første løn dagen før vinduet")
        elif variant == "samme_dag":
            t = np.full(n, int(v.lonningsdage[v.lonningsdage <= v.per.D][-1]))
            loen(v, p, A, start, t, 4_000, 30_000)
            _engang(v, p, B, t)
            v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t, "to arbejdsgivere betaler samme dag")
        elif variant in ("type4_65", "type4_84"):
            t = _t(v, h)
            type4 = _p(v, "loen_betingede_indkomsttyper")[0]
            prefiks = variant[-2:]       # the pension funds' (65) and the state's (84) branch codes
            if prefiks not in [str(x) for x in _p(v, "loen_undtagne_brancher")]:
                raise RuntimeError(f"generatorfejl: branche {prefiks} er ikke i regler.loen_undtagne_brancher")
            payer = v.payers("pension", n) if variant == "type4_65" else v.payers("stat", n)
            _engang(v, p, payer, t, indkomsttype=type4)
            v.ikke_udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t,
                          f"indkomsttype {type4} fra branche {prefiks}xxxx er ikke løn")
        elif variant == "type4_firma":
            t = _t(v, h)
            type4 = _p(v, "loen_betingede_indkomsttyper")[0]
            _engang(v, p, B, t, indkomsttype=type4)
            v.udfald(v.h_pid[h], p, R, "ny_arbejdsgiver", t, f"indkomsttype {type4} fra en privat virksomhed (løn)")
        else:  # pragma: no cover
            raise ValueError(variant)
    return lav


def offentlig_ydelse(maal, variant="ny"):
    def lav(v, h):
        p = _person(v, h, maal)
        n = len(h)
        R = _rolle(maal)
        payer = v.payers("stat", n)
        if maal == "ym":   # or another municipality than the YM's own
            anden = v.rng.random(n) < 0.3
            koder = np.array(v.kommuner_alle())
            i = np.searchsorted(koder, v.h_kommune[h])
            payer = np.where(anden, v.kommune_payer_for(koder[(i + 1) % len(koder)]), payer)
        t = _t(v, h)
        type1, maaneder = _p(v, "offentlig_ydelse_type"), int(_p(v, "offentlig_ydelse_maaneder"))
        # the first day of the whole months before the kontrolperiode in which the payer must not have paid
        ls = int(foerste_i_maaned(maaned_nr(np.array([v.per.kp_start])) - maaneder)[0])
        if variant == "ny":
            offentlig(v, p, payer, t, np.full(n, v.per.D), 3_000, 12_000)
            _engang(v, p, payer, t, indkomsttype=type1)
            v.udfald(v.h_pid[h], p, R, "offentlig_ydelse", t, "ny udbetaler af offentlig ydelse")
        elif variant == "graense_ikke":
            _engang(v, p, payer, np.full(n, ls), indkomsttype=type1)
            _engang(v, p, payer, t, indkomsttype=type1)
            v.ikke_udfald(v.h_pid[h], p, R, "offentlig_ydelse", t,
                          f"grænse: samme udbetaler betalte på første dag af de {talord(maaneder)} måneder før "
                          "kontrolperioden")
        elif variant == "graense":
            _engang(v, p, payer, np.full(n, ls - 1), indkomsttype=type1)
            _engang(v, p, payer, t, indkomsttype=type1)
            v.udfald(v.h_pid[h], p, R, "offentlig_ydelse", t,
                     f"grænse: udbetaleren betalte sidst dagen før de {talord(maaneder)} måneder før kontrolperioden")
        elif variant == "egen_kommune":
            _engang(v, p, v.kommune_payer_for(v.h_kommune[h]), t, indkomsttype=type1)
            v.ikke_udfald(v.h_pid[h], p, R, "offentlig_ydelse", t, "udbetalt af sagens egen kommune (ignoreres)")
    return lav


# ---------------------------------------------------------------------------- civilstand
def _ny_aegtefaelle(v, h):
    fb = v.h_foedsel[h] + v.rng.integers(-1500, 1500, len(h))
    fb = np.where(fb > v.per.D - 20 * 366, v.per.D - 20 * 366 - v.rng.integers(0, 3 * 365, len(h)), fb)
    sp = v.folk.ny(fb,
                   ~v.folk.mand()[v.h_pid[h]])
    v.adr = pd.concat([v.adr, pd.DataFrame({
        "pid": sp, "adr": v.nye_adresser(len(h)), "kommune": v.h_kommune[h],
        "fra": np.maximum(v.folk.foedsel()[sp] + 18 * 366, v.per.kp_start - 500), "til": INGEN})], ignore_index=True)
    return sp


def vielse(variant="hit"):
    def lav(v, h):
        t = np.full(len(h), v.per.E) if variant == "efter_D" else _t(v, h)
        sp = _ny_aegtefaelle(v, h)
        v.civilstand_par(v.h_pid[h], sp, "vielse", t)
        if variant == "ikke_a4":
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "civilstand", t, "vielse, men ydelsen er ikke A4")
        else:
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "civilstand", t,
                     "vielse efter D i D's måned" if variant == "efter_D" else "vielse i vinduet")
    return lav


def skilsmisse(v, h):
    t = _t(v, h)
    tom = v.rng.random(len(h)) < 0.5
    v.civilstand_par(v.h_pid[h], v.h_spouse[h], "skilsmisse", t, tom_for_a=tom)
    v.flyt(v.h_spouse[h], t)
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "civilstand", t, "skilsmisse i vinduet, og ægtefællen flytter")




def _maaneder(v) -> int:
    """regler.separation_ophaevet_maaneder: a separation still shared this many months later is lifted."""
    return int(_p(v, "separation_ophaevet_maaneder"))


def _separation_ophaevet(v, h, s, note_t, flyt_ud=None):
    """Separation on s (no divorce); udfald for s (in the vindue) and for s + N months when
    it lies in [S, D] and the couple still share an address then."""
    v.civilstand_par(v.h_pid[h], v.h_spouse[h], "separation", s)
    t = plus_maaneder(s, _maaneder(v))
    S = v.h_S[h]
    i_vindue = (s >= S) & (s <= v.per.E)
    v.udfald(v.h_pid[h][i_vindue], v.h_pid[h][i_vindue], "YM", "civilstand", s[i_vindue], "separation i vinduet")
    samboende = np.ones(len(h), bool) if flyt_ud is None else flyt_ud > t
    hit = (t >= S) & (t <= v.per.D) & samboende
    v.udfald(v.h_pid[h][hit], v.h_pid[h][hit], "YM", "civilstand", t[hit], note_t)
    v.ikke_udfald(v.h_pid[h][~hit], v.h_pid[h][~hit], "YM", "civilstand", t[~hit], note_t)


def separation(v, h):
    """A separation inside the vindue; if s + N months is still <= D (an early separation),
    the couple still living together gives the second udfald too."""
    _separation_ophaevet(v, h, _t(v, h), f"separation + {_maaneder(v)} måneder, stadig samboende")


def separation_ophaevet(v, h):
    t = _t(v, h, lo_off=3)
    _separation_ophaevet(v, h, plus_maaneder(t, -_maaneder(v)), f"separation + {_maaneder(v)} måneder, stadig samboende")


def separation_ophaevet_maanedsultimo(v, h):
    n = _maaneder(v)
    s = sidste_i_maaned(maaned_nr(np.full(len(h), v.per.kp_start)) - n)
    eks = dt.date(2023, 11, 30)            # the note's example: 30/11 + 3 months = 29/2
    eks_t = tid.plus_maaneder(eks, n)
    _separation_ophaevet(v, h, s, f"separation + {n} måneder med månedsultimo "
                                  f"(fx {eks.day}/{eks.month} → {eks_t.day}/{eks_t.month})")


def separation_ophaevet_efter_D(v, h):
    s = plus_maaneder(np.full(len(h), v.per.D + 1), -_maaneder(v))
    _separation_ophaevet(v, h, s, f"grænse: separation + {_maaneder(v)} måneder falder efter D")


def separation_ophaevet_fraflyttet(v, h):
    t = _t(v, h, lo_off=3)
    s = plus_maaneder(t, -_maaneder(v))
    t2 = plus_maaneder(s, _maaneder(v))
    _, _, fra = _nuvaerende(v, v.h_spouse[h])
    m = v.dage(np.maximum(s, fra) + 1, t2 - 1)
    v.flyt(v.h_spouse[h], m)
    _separation_ophaevet(v, h, s, f"separation + {_maaneder(v)} måneder, men ægtefællen er flyttet", flyt_ud=m)


def ny_separation_aef_bil(v, h):
    s = v.dage(np.maximum(v.h_S[h], v.per.kp_start), np.full(len(h), v.per.D))
    _separation_ophaevet(v, h, s, f"separation + {_maaneder(v)} måneder, stadig samboende")
    u = _t(v, h)
    _bil(v, v.h_spouse[h], "koeb", u, _ny_reg(v, u))
    v.ikke_udfald(v.h_pid[h], v.h_spouse[h], "ÆF", "bilkoeb", u,
                  "ægtefællen udelades: separation i kontrolperioden")


def gammel_separation_aef_bil(v, h):
    s = v.dage(v.h_vielse[h] + 1, np.full(len(h), v.per.kp_start - 100))
    v.civilstand_par(v.h_pid[h], v.h_spouse[h], "separation", s)
    u = _t(v, h)
    _bil(v, v.h_spouse[h], "koeb", u, _ny_reg(v, u))
    v.udfald(v.h_pid[h], v.h_spouse[h], "ÆF", "bilkoeb", u,
             "ældre separation, men parret bor sammen på D: ægtefællen tæller")


def separeret_hver_for_sig_aef_bil(v, h):
    u = _t(v, h)
    _bil(v, v.h_spouse[h], "koeb", u, _ny_reg(v, u))
    v.ikke_udfald(v.h_pid[h], v.h_spouse[h], "ÆF", "bilkoeb", u,
                  "ægtefællen udelades: ældre separation og ikke samme adresse på D")


def enkestand(v, h):
    t = _t(v, h)
    tom = v.rng.random(len(h)) < 0.5
    v.T.tilfoej("civilstand", cpr=v.h_pid[h], haendelse="enkestand", dato=t,
                aegtefaelle_cpr=np.where(tom, -1, v.h_spouse[h]))
    v.folk.saet_doed(v.h_spouse[h], t)
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "civilstand", t, "enkestand (ægtefællen døde) i vinduet")


# ---------------------------------------------------------------------------- children, moves
def _et_barn(v, h, maske):
    """One child per head among the children matching ``maske`` (random pick)."""
    b = v.boern[maske & v.boern["h"].isin(h)]
    b = b.assign(r=v.rng.random(len(b))).sort_values(["h", "r"]).drop_duplicates("h")
    return b.set_index("h").loc[h]


def _alder(v) -> int:
    """regler.barn_aldersgraense: a child moving away before this birthday gives an udfald."""
    return int(_p(v, "barn_aldersgraense"))


def barn_fraflytning(v, h):
    b = _et_barn(v, h, v.boern["hjemme"] & (plus_aar(v.boern["foedsel"].to_numpy(), _alder(v)) > v.per.E))
    d = _t(v, h)
    v.flyt(b["pid"].to_numpy(), d)
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "barn_fraflytning", d, f"barn under {_alder(v)} flytter hjemmefra")
    aef = v.h_aef[h] & v.h_cohab[h] & b["faelles"].to_numpy()
    v.udfald(v.h_pid[h][aef], v.h_spouse[h][aef], "ÆF", "barn_fraflytning", d[aef],
             f"barn under {_alder(v)} flytter fra begge forældre")


def barn_paa_aldersgraensen(variant):
    def lav(v, h):
        a = _alder(v)
        d0 = _t(v, h)
        barn, fb = _nyt_barn(v, h, plus_aar(d0, -a) + (1 if variant == "dagen_foer" else 0))
        d = plus_aar(fb, a) - (1 if variant == "dagen_foer" else 0)
        v.flyt(barn, d)
        hit = (variant == "dagen_foer") & (d >= v.h_S[h]) & (d <= v.per.E)
        note = (f"grænse: barnet flytter dagen før {a}-årsdagen" if variant == "dagen_foer"
                else f"grænse: barnet flytter på {a}-årsdagen")
        v.udfald(v.h_pid[h][hit], v.h_pid[h][hit], "YM", "barn_fraflytning", d[hit], note)
        v.ikke_udfald(v.h_pid[h][~hit], v.h_pid[h][~hit], "YM", "barn_fraflytning", d[~hit], note)
    return lav


def voksent_barn(v, h):
    d = _t(v, h)
    barn, _ = _nyt_barn(v, h, plus_aar(d, -(_alder(v) + 1)) - v.dage(np.zeros(len(h)), np.full(len(h), 1000)))
    v.flyt(barn, d)
    v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "barn_fraflytning", d, f"barnet er over {_alder(v)}")


def ym_flytter_fra_barn(v, h):
    d = _t(v, h)
    v.flyt(v.h_pid[h], d)
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "flytning", d, "YM flytter alene")
    v.udfald(v.h_pid[h], v.h_pid[h], "YM", "barn_fraflytning", d, f"YM flytter fra sit barn under {_alder(v)}")


def aef_stedbarn(v, h):
    d = _t(v, h)
    barn, _ = _nyt_barn(v, h, d - v.dage(np.full(len(h), 5 * 366), np.full(len(h), (_alder(v) - 2) * 365)),
                        foraeldre="aef")
    v.flyt(barn, d)
    v.udfald(v.h_pid[h], v.h_spouse[h], "ÆF", "barn_fraflytning", d, "ægtefællens barn flytter hjemmefra")


def flytning(variant="hit"):
    def lav(v, h):
        S = v.h_S[h]
        d = {"hit": None, "S": S, "S-1": S - 1, "E": np.full(len(h), v.per.E)}.get(variant)
        if variant in ("hit", "samme", "ophoert"):
            d = _t(v, h)
        _flyt_husstand(v, h, d, samme=variant == "samme")
        if variant == "ophoert":
            v.h_ophoert[h] = v.per.D
        note = {"hit": "husstanden flytter", "S": "flytning på vinduets første dag",
                "S-1": "grænse: flytning dagen før vinduet", "E": "flytning anmeldt til kontrolperiodens sidste dag",
                "samme": "ny adresserække med samme adresse_id", "ophoert": "sagen ophører på D (stadig aktiv)"}[variant]
        if variant in ("S-1", "samme"):
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "flytning", d, note)
        else:
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "flytning", d, note)
    return lav


def foerste_adresse(v, h):
    d = _t(v, h)
    p = v.h_pid[h]
    v.adr = pd.concat([v.adr[~v.adr["pid"].isin(p)], pd.DataFrame({
        "pid": p, "adr": v.nye_adresser(len(h)), "kommune": v.h_kommune[h], "fra": d, "til": INGEN})],
        ignore_index=True)
    v.ikke_udfald(p, p, "YM", "flytning", d, "første adresserække (tilflytter) er ingen flytning")


def vindue_bil(v, h):
    o = v.h_oprettet[h]
    p = v.h_pid[h]
    _bil(v, p, "koeb", o - 1, _ny_reg(v, o - 1))
    v.ikke_udfald(p, p, "YM", "bilkoeb", o - 1, "grænse: dagen før sagen blev oprettet")
    k = v.per.kp_start - v.dage(np.full(len(h), 30), np.full(len(h), 2000))
    reg = np.maximum(_d15(v), k - 2000)
    stel = _bil(v, p, "koeb", k, reg)
    _bil(v, p, "salg", o, reg, stel=stel)
    v.udfald(p, p, "YM", "bilsalg", o, "solgt samme dag som sagen blev oprettet")


def vindue_flyt(variant):
    def lav(v, h):
        o = v.h_oprettet[h] - (1 if variant == "foer" else 0)
        _flyt_husstand(v, h, o)
        if variant == "foer":
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "flytning", o, "grænse: dagen før sagen blev oprettet")
        else:
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "flytning", o, "flytning samme dag som sagen blev oprettet")
    return lav


# ---------------------------------------------------------------------------- status, family
def doedsfald(variant):
    def lav(v, h):
        d = _t(v, h) if variant == "hit" else v.h_S[h] - 1
        v.folk.saet_doed(v.h_pid[h], d)
        if variant == "hit":
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "doedsfald", d, "YM død i vinduet")
        else:
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "doedsfald", d, "grænse: død dagen før vinduet")
    return lav


def borgerstatus(variant):
    def lav(v, h):
        d = _t(v, h) if variant == "hit" else v.h_S[h] - 1
        v.T.tilfoej("borgerstatus", cpr=v.h_pid[h], status=v.rng.choice(K.STATUS_HAENDELSER, len(h)), dato=d)
        if variant == "hit":
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "borgerstatus", d, "statusændring i vinduet")
        else:
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "borgerstatus", d, "grænse: dagen før vinduet")
    return lav


def foedsel(variant):
    def lav(v, h):
        d0 = _t(v, h, hi=v.per.D - 1) if variant == "hit" else v.h_S[h] - 1
        foraeldre = np.where(v.h_cohab[h], "begge", "ym")
        barn = np.empty(len(h), np.int64)
        fb = np.empty(len(h), np.int64)
        for f in ("begge", "ym"):   # two kinds of family, not a loop over people
            m = foraeldre == f
            if m.any():
                barn[m], fb[m] = _nyt_barn(v, h[m], d0[m], foraeldre=f)
        hit = (fb >= v.h_S[h]) & (fb <= v.per.E)
        v.udfald(v.h_pid[h][hit], v.h_pid[h][hit], "YM", "foedsel", fb[hit], "barn født i vinduet")
        v.ikke_udfald(v.h_pid[h][~hit], v.h_pid[h][~hit], "YM", "foedsel", fb[~hit], "grænse: født dagen før vinduet")
    return lav


def barn_doedsfald(variant):
    def lav(v, h):
        d = _t(v, h) if variant == "hit" else v.h_S[h] - 1
        barn, _ = _nyt_barn(v, h, d - v.dage(np.full(len(h), 400), np.full(len(h), 15 * 365)))
        v.folk.saet_doed(barn, d)
        if variant == "hit":
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "barn_doedsfald", d, "barn død i vinduet")
        else:
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "barn_doedsfald", d, "grænse: død dagen før vinduet")
    return lav


def _bidrag_uden_for(v) -> str:
    """An A4 KLE for which underholdsbidrag is not checked (32.24.10)."""
    d = som_dato(v.per.D)
    return next(k for k in K.a4(d) if k not in K.bidrag_kle(d))


def underholdsbidrag(variant):
    def lav(v, h):
        n = len(h)
        t = _t(v, h)
        modtager_kle, betaler_kle = list(_p(v, "bidrag_modtager_kle")), list(_p(v, "bidrag_betaler_kle"))
        if variant == "modtager":
            rolle, kle = "bidragsmodtager", v.rng.choice(modtager_kle, n)
        elif variant == "betaler":
            rolle, kle = "bidragsbetaler", np.full(n, betaler_kle[0])
        elif variant == "forkert":       # each role with a KLE of the other role
            mod = v.rng.random(n) < 0.5
            rolle = np.where(mod, "bidragsmodtager", "bidragsbetaler")
            kle = np.where(mod, betaler_kle[0], modtager_kle[0])
        else:  # "uden_for": right combination, but the YM's KLE is not in the rule's set
            rolle, kle = "bidragsmodtager", np.full(n, modtager_kle[0])
        v.T.tilfoej("bidragssager", cpr=v.h_pid[h], rolle=rolle, kle=kle, oprettet=t)
        if variant in ("modtager", "betaler"):
            v.udfald(v.h_pid[h], v.h_pid[h], "YM", "underholdsbidrag", t, "ny bidragssag i vinduet")
        else:
            note = ("rolle og KLE passer ikke sammen" if variant == "forkert"
                    else f"YM-sagens KLE ({_bidrag_uden_for(v)}) er ikke omfattet")
            v.ikke_udfald(v.h_pid[h], v.h_pid[h], "YM", "underholdsbidrag", t, note)
    return lav


def feriekonto(maal, variant="hit"):
    def lav(v, h):
        p = _person(v, h, maal)
        n = len(h)
        t = _t(v, h)
        ff = t + v.dage(np.full(n, 7), np.full(n, 60))
        fu = t + v.dage(np.full(n, 5), np.full(n, 20))
        v.T.tilfoej("feriekonto", cpr=p, anmodningsdato=t, foerste_feriedag=ff,
                    beloeb=kr_oere(v.rng, 800, 18_000, n), forventet_udbetaling=fu)
        if variant == "dobbelt":
            v.T.tilfoej("feriekonto", cpr=p, anmodningsdato=t, foerste_feriedag=ff,
                        beloeb=kr_oere(v.rng, 18_001, 25_000, n), forventet_udbetaling=fu)
        note = "to anmodninger med samme dato og første feriedag: ét udfald" if variant == "dobbelt" \
            else "anmodning om feriepenge i vinduet"
        v.udfald(v.h_pid[h], p, _rolle(maal), "feriekonto", t, note)
    return lav


# ---------------------------------------------------------------------------- the catalogue
def _ikke_a4(v):
    return ~_a4(v)


def _har_barn_u18(v):
    b = v.boern
    m = b["hjemme"] & (plus_aar(b["foedsel"].to_numpy(), _alder(v)) > v.per.E)
    return np.bincount(b.loc[m, "h"], minlength=len(v.h_pid)) > 0


def _enlig_med_et_barn(v):
    b = v.boern
    hj = np.bincount(b.loc[b["hjemme"], "h"], minlength=len(v.h_pid))
    return _ugift(v) & (hj == 1) & _har_barn_u18(v)


def _bidrag(v):
    return np.isin(v.h_kle, K.bidrag_kle(som_dato(v.per.D)))


def _ny_sag(v):
    return v.h_ny_sag & (v.h_S == v.h_oprettet) & (v.h_oprettet - 1 >= v.per.kp_start)


SCENARIER: tuple[Scenarie, ...] = (
    # cars (A4)
    Scenarie("bilkoeb", 0.010, _a4, bilkoeb("ym")),
    Scenarie("bilkoeb_15aar", 0.002, _a4, bilkoeb_15aar),
    Scenarie("bilkoeb_15aar_1dag", 0.002, _a4, bilkoeb_15aar_1dag),
    Scenarie("bilkoeb_efter_D", 0.002, _a4, bilkoeb_efter_D),
    Scenarie("bilkoeb_aef", 0.004, _aef, bilkoeb("aef"), maal="aef"),
    Scenarie("bilkoeb_ikke_a4", 0.002, _ikke_a4, bilkoeb_ikke_a4),
    Scenarie("bilsalg", 0.008, _a4, bilsalg),
    Scenarie("bil_forkert_kode", 0.003, _a4, bil_forkert_kode),
    Scenarie("mange_bilhandler", 0.004, lambda v: _a4(v) & _plads(v, int(_p(v, "mange_bilhandler_antal"))),
             mange_bilhandler),
    Scenarie("mange_bilhandler_ikke", 0.002,
             lambda v: _a4(v) & _plads(v, int(_p(v, "mange_bilhandler_antal")) - 1), mange_bilhandler_ikke),
    # CVR and VAT
    Scenarie("ny_virksomhed", 0.008, _alle, ny_virksomhed("ym")),
    Scenarie("ny_virksomhed_aef", 0.003, _aef, ny_virksomhed("aef"), maal="aef"),
    Scenarie("ny_virksomhed_foer", 0.002, _alle, ny_virksomhed_foer),
    Scenarie("moms", 0.006, _alle, moms("ym")),
    Scenarie("moms_nul", 0.002, _alle, moms("ym", "nul")),
    Scenarie("moms_aef", 0.002, _aef, moms("aef"), maal="aef"),
    Scenarie("moms_to", 0.002, lambda v: _plads(v, 2), moms("ym", "to")),
    # eIndkomst
    Scenarie("b_indkomst", 0.020, _alle, b_indkomst("ym"), rydder=("b",)),
    Scenarie("b_indkomst_over_graensen", 0.003, lambda v: _plads(v, 2), b_indkomst_graense, rydder=("b",)),
    Scenarie("b_indkomst_paa_graensen", 0.003, lambda v: _plads(v, 2), b_indkomst_paa_graensen, rydder=("b",)),
    Scenarie("b_indkomst_foer", 0.003, _alle, b_indkomst_foer, rydder=("b",)),
    Scenarie("b_indkomst_aef", 0.005, _aef, b_indkomst("aef"), maal="aef", rydder=("b",)),
    Scenarie("ny_arbejdsgiver_foerste", 0.008, _alle, ny_arbejdsgiver("ym", "foerste"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_skift", 0.010, _alle, ny_arbejdsgiver("ym", "skift"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_over_graensen", 0.003, _alle, ny_arbejdsgiver("ym", "over_graensen"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_paa_graensen", 0.003, _alle, ny_arbejdsgiver("ym", "paa_graensen"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_efter_D", 0.002, _alle, ny_arbejdsgiver("ym", "efter_D"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_foer", 0.002, _alle, ny_arbejdsgiver("ym", "foer"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_samme_dag", 0.001,
             lambda v: v.h_S <= v.lonningsdage[v.lonningsdage <= v.per.D][-1],
             ny_arbejdsgiver("ym", "samme_dag"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_type4_65", 0.003, _alle, ny_arbejdsgiver("ym", "type4_65"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_type4_84", 0.002, _alle, ny_arbejdsgiver("ym", "type4_84"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_type4_firma", 0.003, _alle, ny_arbejdsgiver("ym", "type4_firma"), rydder=("loen",)),
    Scenarie("ny_arbejdsgiver_aef", 0.006, _aef, ny_arbejdsgiver("aef", "skift"), maal="aef", rydder=("loen",)),
    Scenarie("offentlig_ydelse", 0.010, _alle, offentlig_ydelse("ym")),
    Scenarie("offentlig_ydelse_graense_ikke", 0.003, _alle, offentlig_ydelse("ym", "graense_ikke")),
    Scenarie("offentlig_ydelse_graense", 0.003, _alle, offentlig_ydelse("ym", "graense")),
    Scenarie("offentlig_ydelse_egen_kommune", 0.003, _alle, offentlig_ydelse("ym", "egen_kommune")),
    Scenarie("offentlig_ydelse_aef", 0.004, _aef, offentlig_ydelse("aef"), maal="aef"),
    # civilstand (A4)
    Scenarie("vielse", 0.005, lambda v: _a4(v) & _ugift(v), vielse()),
    Scenarie("vielse_efter_D", 0.001, lambda v: _a4(v) & _ugift(v), vielse("efter_D")),
    Scenarie("vielse_ikke_a4", 0.002, lambda v: _ikke_a4(v) & _ugift(v), vielse("ikke_a4")),
    Scenarie("skilsmisse", 0.004, lambda v: _a4(v) & _gift_samboende(v), skilsmisse),
    Scenarie("separation", 0.003, lambda v: _a4(v) & _gift_samboende(v), separation),
    Scenarie("separation_ophaevet", 0.002, lambda v: _a4(v) & _gift_samboende(v) & _plads(v, 3),
             separation_ophaevet),
    Scenarie("separation_ophaevet_maanedsultimo", 0.001,
             lambda v: _a4(v) & _gift_samboende(v) & (v.h_S == v.per.kp_start), separation_ophaevet_maanedsultimo),
    Scenarie("separation_ophaevet_efter_D", 0.001, lambda v: _a4(v) & _gift_samboende(v),
             separation_ophaevet_efter_D),
    Scenarie("separation_ophaevet_fraflyttet", 0.001, lambda v: _a4(v) & _gift_samboende(v) & _plads(v, 3),
             separation_ophaevet_fraflyttet),
    Scenarie("ny_separation_aef_bil", 0.001, lambda v: _a4(v) & _gift_samboende(v), ny_separation_aef_bil),
    Scenarie("gammel_separation_aef_bil", 0.001,
             lambda v: _a4(v) & _gift_samboende(v) & (v.h_vielse + 1 <= v.per.kp_start - 100),
             gammel_separation_aef_bil),
    Scenarie("separeret_hver_for_sig_aef_bil", 0.001,
             lambda v: _a4(v) & (v.h_separation != INGEN) & ~v.h_cohab, separeret_hver_for_sig_aef_bil),
    Scenarie("enkestand", 0.001, lambda v: _a4(v) & _gift_samboende(v), enkestand),
    # children and moves
    Scenarie("barn_fraflytning", 0.010, _har_barn_u18, barn_fraflytning),
    Scenarie("barn_fraflytning_paa_aldersgraensen", 0.002, _alle, barn_paa_aldersgraensen("paa")),
    Scenarie("barn_fraflytning_dagen_foer_aldersgraensen", 0.002, _alle, barn_paa_aldersgraensen("dagen_foer")),
    Scenarie("barn_fraflytning_voksen", 0.003, _alle, voksent_barn),
    Scenarie("barn_fraflytning_ym_flytter", 0.003, _enlig_med_et_barn, ym_flytter_fra_barn),
    Scenarie("barn_fraflytning_stedbarn", 0.002, lambda v: v.h_aef & v.h_cohab, aef_stedbarn),
    Scenarie("flytning", 0.030, _alle, flytning()),
    Scenarie("flytning_S", 0.003, _alle, flytning("S")),
    Scenarie("flytning_S_minus_1", 0.003, _alle, flytning("S-1")),
    Scenarie("flytning_efter_D", 0.003, _alle, flytning("E")),
    Scenarie("flytning_samme_adresse", 0.002, _alle, flytning("samme")),
    Scenarie("flytning_ophoert_D", 0.002, lambda v: ~v.h_sek & ~v.h_ny_sag, flytning("ophoert")),
    Scenarie("foerste_adresse", 0.002, _enlig_uden_boern, foerste_adresse),
    Scenarie("vindue_bil", 0.003, lambda v: _ny_sag(v) & _a4(v), vindue_bil),
    Scenarie("vindue_flyt", 0.002, _ny_sag, vindue_flyt("hit")),
    Scenarie("vindue_flyt_foer", 0.002, _ny_sag, vindue_flyt("foer")),
    # status and family
    Scenarie("doedsfald", 0.003, _enlig_uden_boern, doedsfald("hit")),
    Scenarie("doedsfald_foer", 0.001, _enlig_uden_boern, doedsfald("foer")),
    Scenarie("borgerstatus", 0.005, _alle, borgerstatus("hit")),
    Scenarie("borgerstatus_foer", 0.001, _alle, borgerstatus("foer")),
    Scenarie("foedsel", 0.008, lambda v: (v.per.D - v.h_foedsel < 45 * 365) & _plads(v, 1), foedsel("hit")),
    Scenarie("foedsel_foer", 0.002, lambda v: v.per.D - v.h_foedsel < 45 * 365, foedsel("foer")),
    Scenarie("barn_doedsfald", 0.001, _alle, barn_doedsfald("hit")),
    Scenarie("barn_doedsfald_foer", 0.001, _alle, barn_doedsfald("foer")),
    Scenarie("underholdsbidrag_modtager", 0.005, lambda v: _bidrag(v), underholdsbidrag("modtager")),
    Scenarie("underholdsbidrag_betaler", 0.004, lambda v: _bidrag(v), underholdsbidrag("betaler")),
    Scenarie("underholdsbidrag_forkert", 0.002, lambda v: _bidrag(v), underholdsbidrag("forkert")),
    Scenarie("underholdsbidrag_kle_uden_for", 0.002, lambda v: v.h_kle == _bidrag_uden_for(v),
             underholdsbidrag("uden_for")),
    Scenarie("feriekonto", 0.010, _alle, feriekonto("ym")),
    Scenarie("feriekonto_aef", 0.004, _aef, feriekonto("aef"), maal="aef"),
    Scenarie("feriekonto_dobbelt", 0.002, _alle, feriekonto("ym", "dobbelt")),
)


def tildel(v: Verden) -> dict[str, np.ndarray]:
    """Give each scenario its share of the YM; each YM gets at most one scenario. From 500 YM
    every scenario gets at least one YM (where anyone is eligible), so every boundary case is
    there; below that the share is rounded at random, so that a small municipality keeps most
    of its YM without planted events. Returns scenario name -> head indices."""
    ym = np.flatnonzero(v.h_kind == YM)
    n_ym = len(ym)
    perm = v.rng.permutation(ym)
    fri = np.zeros(len(v.h_pid), dtype=bool)
    fri[ym] = True
    out = {}
    for sc in SCENARIER:
        ok = sc.kan(v) & fri
        cand = perm[ok[perm]]
        x = sc.andel * n_ym
        k = max(1, int(round(x))) if n_ym >= 500 else int(np.floor(x) + (v.rng.random() < x - np.floor(x)))
        k = min(len(cand), k)
        valgt = np.sort(cand[:k])
        fri[valgt] = False
        out[sc.navn] = valgt
    return out


def ryd(v: Verden, tildeling: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Persons whose background salary / background B-indkomst must be left out."""
    loen_, b_ = [], []
    for sc in SCENARIER:
        h = tildeling[sc.navn]
        p = v.h_pid[h] if sc.maal == "ym" else v.h_spouse[h]
        if "loen" in sc.rydder:
            loen_.append(p)
        if "b" in sc.rydder:
            b_.append(p)
    return (np.concatenate(loen_) if loen_ else np.empty(0, np.int64),
            np.concatenate(b_) if b_ else np.empty(0, np.int64))


def plant(v: Verden, tildeling: dict[str, np.ndarray]) -> None:
    for sc in SCENARIER:
        h = tildeling[sc.navn]
        if len(h):
            sc.lav(v, h)
