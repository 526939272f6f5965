"""The fixed vocabulary of conditions a local control list may use.

A list (``parameters/lister/<navn>.yaml``) names conditions by ``type`` and gives their
parameters; this module declares each type once: its Danish title and help, its parameters (kind,
default, bounds) and its SQL body. A body is a pure function from the candidate relation
``lk_kand`` (one row per person × address in focus, see :mod:`.listemotor`) to the candidates that
pass, each with a Danish sentence of evidence (``oplysning``)::

    SELECT kid, oplysning FROM ... WHERE <the test>

Relations the engine prepares for the bodies (all on run date D):

- ``lk_kand(kid, cpr, kommunekode, adresse_id, fra_dato, til_dato, ref)``: the candidates; ``ref``
  is the day the address is looked at: D, or the last day on the address if the person left it
  before D;
- ``lk_person(cpr, foedselsdato, doedsdato)``: everybody in ``personer`` or ``adresser`` (birth
  date from the CPR number when ``personer`` lacks the person);
- ``lk_aegtefaelle(cpr, aef_cpr)``: the spouse on D (latest vielse not ended by a later skilsmisse
  or enkestand), both directions;
- ``lk_familie(cpr, anden_cpr, relation)``: ``aegtefaelle``, ``barn``, ``foraelder``, ``soeskende``
  (a shared parent).

Adding a type: write a body, declare it in :data:`BETINGELSER`, add tests on both sides of its
thresholds in ``tests/test_lister_betingelser.py`` and a line in ``docs/lister.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from kontrol_lib.regler.regel import sql_lit
from kontrol_lib.vokabular import tid

RELATIONER = ("aegtefaelle", "barn", "foraelder", "soeskende")
RELATIONSTEKST = {"aegtefaelle": "ægtefælle", "barn": "barn", "foraelder": "forælder", "soeskende": "søskende"}
UENDELIG = "DATE '9999-12-31'"


@dataclass(frozen=True)
class Param:
    """One parameter of a condition type. ``kind``: ``int`` (whole number within [lav, hoej]),
    ``relationer`` (a list drawn from :data:`RELATIONER`), ``tekst`` (a non-empty text) or
    ``tekster`` (a non-empty list of non-empty texts)."""
    navn: str
    kind: str
    tekst: str                       # Danish help
    standard: object = None          # None: required
    lav: int | None = None
    hoej: int | None = None


@dataclass(frozen=True)
class Betingelse:
    """A condition type: id (the YAML ``type``), Danish title and help, parameters and body.
    ``krop(p, D)`` gets the parameter values in force on D and returns the SQL of the passing
    candidates; ``negation`` is the evidence sentence when the condition is used with
    ``ikke: ja`` (the candidates that do NOT pass)."""
    type: str
    titel: str
    hjaelp: str
    params: tuple[Param, ...]
    krop: Callable[[dict, dt.date], str]
    negation: Callable[[dict], str]
    kraever: tuple[str, ...] = field(default=())      # register tables read

    def param(self, navn: str) -> Param:
        for p in self.params:
            if p.navn == navn:
                return p
        raise KeyError(navn)


# --------------------------------------------------------------------------- SQL helpers
def _paa_adressen(a: str, adresse: str, dag: str) -> str:
    """``a`` (an adresser row) is on ``adresse`` on ``dag``."""
    return (f"{a}.adresse_id = {adresse} AND {a}.fra_dato <= {dag} "
            f"AND coalesce({a}.til_dato, {UENDELIG}) >= {dag}")


def _voksen(p: str, alder: int, dag: str) -> str:
    """Person row ``p`` is alive on ``dag`` and has turned ``alder`` (the same month arithmetic
    as :func:`kontrol_lib.vokabular.tid.fyldt`)."""
    return (f"({p}.doedsdato IS NULL OR {p}.doedsdato > {dag}) "
            f"AND CAST({p}.foedselsdato + to_months({12 * int(alder)}) AS DATE) <= {dag}")


def _ikke_familie(cpr: str, anden: str, relationer) -> str:
    if not relationer:
        return "true"
    return (f"NOT EXISTS (SELECT 1 FROM lk_familie f WHERE f.cpr = {cpr} AND f.anden_cpr = {anden} "
            f"AND f.relation IN {sql_lit(tuple(relationer))})")


def _dk(d: str) -> str:
    return f"strftime({d}, '%d-%m-%Y')"


def _relationsliste(relationer) -> str:
    navne = [RELATIONSTEKST[r] for r in relationer]
    if not navne:
        return ""
    if len(navne) == 1:
        return navne[0]
    return ", ".join(navne[:-1]) + " eller " + navne[-1]


# --------------------------------------------------------------------------- bodies
def _andre_voksne(p: dict, undtag, ental: str, flertal: str) -> str:
    hvem = f"som ikke er {_relationsliste(undtag)}" if undtag else "uanset familierelation"
    return f"""
        WITH n AS (
            SELECT k.kid, count(DISTINCT a.cpr) AS n
            FROM lk_kand k
            JOIN adresser a ON {_paa_adressen('a', 'k.adresse_id', 'k.ref')} AND a.cpr <> k.cpr
            JOIN lk_person p ON p.cpr = a.cpr AND {_voksen('p', p['alder_fra'], 'k.ref')}
            WHERE {_ikke_familie('k.cpr', 'a.cpr', undtag)}
            GROUP BY k.kid)
        SELECT kid, n || CASE WHEN n = 1 THEN ' {ental}' ELSE ' {flertal}' END
                    || ' (fyldt {int(p['alder_fra'])} år) på adressen ' || {_dk('k.ref')}
                    || ', {hvem} (krav: mindst {int(p['min_antal'])})' AS oplysning
        FROM n JOIN lk_kand k USING (kid)
        WHERE n >= {int(p['min_antal'])}"""


def _voksne_paa_adressen(p: dict, D: dt.date) -> str:
    return _andre_voksne(p, p["undtag"], "anden voksen", "andre voksne")


def _ikke_beslaegtet(p: dict, D: dt.date) -> str:
    return _andre_voksne(p, RELATIONER, "voksen uden familierelation", "voksne uden familierelation")


def _tilmeldinger(p: dict, D: dt.date) -> str:
    return f"""
        WITH n AS (
            SELECT k.kid, count(DISTINCT a.cpr) AS n
            FROM lk_kand k
            JOIN adresser a ON {_paa_adressen('a', 'k.adresse_id', 'k.fra_dato')} AND a.cpr <> k.cpr
            GROUP BY k.kid)
        SELECT kid, n || CASE WHEN n = 1 THEN ' anden person var' ELSE ' andre personer var' END
                    || ' tilmeldt adressen, da personen flyttede ind '
                    || {_dk('k.fra_dato')} || ' (krav: mindst {int(p['min_antal'])})' AS oplysning
        FROM n JOIN lk_kand k USING (kid)
        WHERE n >= {int(p['min_antal'])}"""


def _foraelder_foer(p: dict, D: dt.date) -> str:
    # The address the person had the day before moving in, shared with a parent that day.
    return f"""
        SELECT DISTINCT k.kid,
               'Boede sammen med en forælder dagen før tilflytningen (' || {_dk('k.fra_dato - 1')} || ')'
                   AS oplysning
        FROM lk_kand k
        JOIN adresser x ON x.cpr = k.cpr AND x.adresse_id <> k.adresse_id
                       AND x.fra_dato <= k.fra_dato - 1 AND coalesce(x.til_dato, {UENDELIG}) >= k.fra_dato - 1
        JOIN lk_familie f ON f.cpr = k.cpr AND f.relation = 'foraelder'
        JOIN adresser y ON y.cpr = f.anden_cpr AND {_paa_adressen('y', 'x.adresse_id', 'k.fra_dato - 1')}"""


def _foraelder_paa(p: dict, D: dt.date) -> str:
    return f"""
        SELECT DISTINCT k.kid, 'En forælder er tilmeldt adressen ' || {_dk('k.ref')} AS oplysning
        FROM lk_kand k
        JOIN lk_familie f ON f.cpr = k.cpr AND f.relation = 'foraelder'
        JOIN adresser y ON y.cpr = f.anden_cpr AND {_paa_adressen('y', 'k.adresse_id', 'k.ref')}"""


def _ingen_aegtefaelle(p: dict, D: dt.date) -> str:
    return f"""
        SELECT k.kid, 'Ingen ægtefælle i CPR {D.strftime('%d-%m-%Y')}' AS oplysning
        FROM lk_kand k WHERE k.cpr NOT IN (SELECT cpr FROM lk_aegtefaelle)"""


def _barn_paa(p: dict, D: dt.date) -> str:
    under = int(p["alder_under"])
    return f"""
        WITH n AS (
            SELECT k.kid, count(DISTINCT b.cpr) AS n
            FROM lk_kand k
            JOIN lk_familie f ON f.cpr = k.cpr AND f.relation = 'barn'
            JOIN lk_person b ON b.cpr = f.anden_cpr AND (b.doedsdato IS NULL OR b.doedsdato > k.ref)
                            AND CAST(b.foedselsdato + to_months({12 * under}) AS DATE) > k.ref
            JOIN adresser y ON y.cpr = b.cpr AND {_paa_adressen('y', 'k.adresse_id', 'k.ref')}
            GROUP BY k.kid)
        SELECT kid, n || CASE WHEN n = 1 THEN ' barn' ELSE ' børn' END
                    || ' under {under} år på adressen ' || {_dk('k.ref')} AS oplysning
        FROM n JOIN lk_kand k USING (kid)"""


def _historik(p: dict, D: dt.date) -> str:
    start = tid.minus_aar(D, int(p["aar"]))
    S, DD = sql_lit(start), sql_lit(D)
    return f"""
        WITH mine AS (
            SELECT k.kid, k.cpr, x.adresse_id, greatest(x.fra_dato, {S}) AS fra,
                   least(coalesce(x.til_dato, {UENDELIG}), {DD}) AS til
            FROM lk_kand k JOIN adresser x ON x.cpr = k.cpr
            WHERE x.fra_dato <= {DD} AND coalesce(x.til_dato, {UENDELIG}) >= {S}),
        faelles AS (
            SELECT m.kid, y.cpr AS anden, m.adresse_id,
                   sum(least(m.til, coalesce(y.til_dato, {UENDELIG})) - greatest(m.fra, y.fra_dato) + 1) AS dage
            FROM mine m
            JOIN adresser y ON y.adresse_id = m.adresse_id AND y.cpr <> m.cpr
                           AND y.fra_dato <= m.til AND coalesce(y.til_dato, {UENDELIG}) >= m.fra
            JOIN lk_person p ON p.cpr = y.cpr AND {_voksen('p', p['alder_fra'], DD)}
            WHERE {_ikke_familie('m.cpr', 'y.cpr', RELATIONER)}
            GROUP BY m.kid, y.cpr, m.adresse_id),
        par AS (
            SELECT kid, anden, count(*) AS adresser
            FROM faelles WHERE dage >= {int(p['min_overlap_dage'])}
            GROUP BY kid, anden HAVING count(*) >= {int(p['min_adresser'])}),
        n AS (SELECT kid, count(*) AS voksne, max(adresser) AS adresser FROM par GROUP BY kid)
        SELECT kid, CASE WHEN voksne = 1 THEN 'En anden voksen' ELSE voksne || ' andre voksne' END
                    || ' uden familierelation har boet på de samme ' || adresser
                    || ' adresser i samme periode de seneste {int(p['aar'])} år'
                    || ' (krav: mindst {int(p['min_adresser'])} adresser med mindst '
                    || '{int(p['min_overlap_dage'])} dages overlap)' AS oplysning
        FROM n"""


def omraade_for(p: dict, D: dt.date) -> str:
    hvor = " OR ".join(f"starts_with(k.adresse_id, {sql_lit(x)})" for x in p["adresser"])
    return f"""
        SELECT k.kid, {sql_lit('Adressen ligger i ' + p['omraade'])} AS oplysning
        FROM lk_kand k WHERE {hvor}"""


_ALDER = Param("alder_fra", "int", "en voksen er fyldt så mange år", 18, 0, 120)

BETINGELSER: dict[str, Betingelse] = {b.type: b for b in [
    Betingelse(
        "voksne_paa_adressen", "Andre voksne på adressen",
        "Mindst min_antal andre voksne er tilmeldt personens adresse, bortset fra de familierelationer, "
        "der står i undtag (aegtefaelle, barn, foraelder, soeskende).",
        (Param("min_antal", "int", "mindste antal andre voksne", None, 1, 1000),
         Param("undtag", "relationer", "familierelationer, der ikke tæller med", ("aegtefaelle", "barn")),
         _ALDER),
        _voksne_paa_adressen,
        lambda p: f"Færre end {int(p['min_antal'])} andre voksne på adressen",
        ("adresser", "personer", "relationer", "civilstand")),
    Betingelse(
        "deler_adresse_med_ikke_beslaegtet_voksen", "Deler adresse med en voksen uden familierelation",
        "Mindst min_antal voksne, som hverken er ægtefælle, barn, forælder eller søskende, er tilmeldt "
        "personens adresse.",
        (Param("min_antal", "int", "mindste antal voksne uden familierelation", 1, 1, 1000), _ALDER),
        _ikke_beslaegtet,
        lambda p: "Ingen voksne uden familierelation på adressen",
        ("adresser", "personer", "relationer", "civilstand")),
    Betingelse(
        "tilmeldinger_paa_adressen", "Mange tilmeldte på adressen ved tilflytning",
        "Mindst min_antal andre personer (alle aldre) var tilmeldt adressen den dag, personen flyttede ind.",
        (Param("min_antal", "int", "mindste antal andre tilmeldte", None, 1, 1000),),
        _tilmeldinger,
        lambda p: f"Færre end {int(p['min_antal'])} andre tilmeldte på adressen ved tilflytningen",
        ("adresser",)),
    Betingelse(
        "boede_hos_foraelder_foer", "Boede hos en forælder før flytningen",
        "Dagen før personen flyttede ind på adressen, boede personen på en anden adresse sammen med en "
        "forælder.",
        (), _foraelder_foer,
        lambda p: "Boede ikke sammen med en forælder før flytningen",
        ("adresser", "relationer")),
    Betingelse(
        "foraelder_paa_adressen", "En forælder er tilmeldt adressen",
        "En af personens forældre er tilmeldt adressen. Bruges typisk med ikke: ja (flytningen er ikke "
        "hjem til en forælder).",
        (), _foraelder_paa,
        lambda p: "Ingen forælder tilmeldt adressen",
        ("adresser", "relationer")),
    Betingelse(
        "ingen_aegtefaelle", "Ingen ægtefælle",
        "Personen har ingen ægtefælle i CPR på kørselsdatoen (seneste vielse er ophørt ved skilsmisse "
        "eller enkestand, eller der er ingen vielse).",
        (), _ingen_aegtefaelle,
        lambda p: "Har en ægtefælle",
        ("civilstand",)),
    Betingelse(
        "har_barn_paa_adressen", "Har et barn på adressen",
        "Mindst ét af personens børn under alder_under år er tilmeldt samme adresse.",
        (Param("alder_under", "int", "barnet er under denne alder (ikke fyldt)", 18, 1, 120),),
        _barn_paa,
        lambda p: f"Intet barn under {int(p['alder_under'])} år på adressen",
        ("relationer", "personer", "adresser")),
    Betingelse(
        "adressehistorik_matcher_anden_voksen", "Adressehistorik som en anden voksens",
        "En anden voksen uden familierelation har boet på mindst min_adresser af de samme adresser som "
        "personen i overlappende perioder på mindst min_overlap_dage dage hver, inden for de seneste aar år.",
        (Param("min_adresser", "int", "mindste antal fælles adresser", 2, 1, 100),
         Param("min_overlap_dage", "int", "mindste antal dage med overlap pr. adresse", 90, 1, 36500),
         Param("aar", "int", "så mange år tilbage fra kørselsdatoen", 5, 1, 100),
         _ALDER),
        _historik,
        lambda p: "Ingen voksen uden familierelation med samme adressehistorik",
        ("adresser", "personer", "relationer", "civilstand")),
    Betingelse(
        "adresse_i_omraade", "Adressen ligger i et boligområde",
        "Adressen er en af de angivne, eller dens adresse_id begynder med en af dem. CPR's adressenøgle "
        "begynder med kommunekode og vejkode, så et boligområde kan angives som sine veje (fx '0151-0420'); "
        "ellers angives hele adresse_id'er.",
        (Param("omraade", "tekst", "områdets navn, som det står på sagen"),
         Param("adresser", "tekster", "adresse_id'er eller begyndelsen af dem")),
        omraade_for,
        lambda p: f"Adressen ligger ikke i {p['omraade']}",
        ("adresser",)),
]}

# A combinator, not a condition: ``{type: en_af, betingelser: [...]}`` passes when any passes.
EN_AF = "en_af"
