"""The rule object: one declarative description per rule of ``spec/regler.md``.

A :class:`Regel` says *what* a rule is (id, Danish title, the source sentence, KLE sets for YM
and ÆF as parameter names, kontroltype, the parameters it reads, where the product had to
interpret the source) and holds a pure body: a function from a :class:`Kontekst` to one SQL
query. The engine (:mod:`.motor`) masks by applicability (the relation ``k.anv`` holds only the
qualifying cases whose KLE is in the rule's set for that role), looks parameters up and
collects the hits; the body holds only the test from the source text.

A body returns, per applicable case window, the columns of :data:`KROP_KOLONNER`: the event,
its Danish sentence (``oplysninger``) and its evidence as data (``bevis``: a JSON object of the
rows and values that decided it, e.g. amounts and their sum, dates and the gap in days).

The product's texts (``semantik``, ``fortolkning``) never spell out a number that is a
parameter: they name it as a placeholder, ``{b_indkomst_graense:kr0}``, filled from the value
in force on the date the text is shown (:meth:`Regel.tekst`). The placeholders are checked when
the rule is declared: each must name a parameter the rule declares, with a known format.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular import tid
from kontrol_lib.vokabular.format import kr, tal
from kontrol_lib.vokabular.koder import REGEL_KONTROLTYPER


# What a body returns: the case window it matched (engine picks one per event) + the event.
KROP_KOLONNER = ("ym_cpr", "person_cpr", "rolle", "kle", "kommunekode", "oprettet",
                 "haendelsesdato", "haendelse_id", "oplysninger", "bevis")

# The case-window columns of k.anv a body selects as-is.
A = "a.ym_cpr, a.person_cpr, a.rolle, a.kle, a.kommunekode, a.oprettet"

# "In the vindue" of the applicable case window ``a``.
IN_VINDUE = "BETWEEN a.vs AND a.ve"


def sql_lit(v) -> str:
    """A Python parameter value as an SQL literal (a list becomes a parenthesised IN-list)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return f"CAST('{v}' AS DECIMAL(18, 2))"
    if isinstance(v, dt.date):
        return f"DATE '{v.isoformat()}'"
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(sql_lit(x) for x in v) + ")"
    raise TypeError(f"kan ikke bruge {v!r} i SQL")


def json_lit(v) -> str:
    """A Python parameter value as an SQL expression for a JSON value: a list becomes a JSON
    array, an amount the exact text '500.00' (as every amount in the evidence: never a float)."""
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(json_lit(x) for x in v) + "]"
    if isinstance(v, Decimal):
        return sql_lit(f"{v:.2f}")
    return sql_lit(v)


# ------------------------------------------------------------------------------ texts
TALORD = ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv")


def talord(n: int) -> str:
    """3 → 'tre' (Danish number word up to twelve, digits above)."""
    return TALORD[n] if 0 <= n < len(TALORD) else tal(n)


def _opremsning(v, bindeord: str) -> str:
    dele = [vaerdi_tekst(x) for x in v]
    return dele[0] if len(dele) == 1 else ", ".join(dele[:-1]) + f" {bindeord} " + dele[-1]


def vaerdi_tekst(v) -> str:
    """A parameter value as Danish text: 500.00 → '500,00'; a list → '2, 3, 6, 9'."""
    if v is None:
        return "ophørt"
    if isinstance(v, Decimal):
        return tal(v, 2)
    if isinstance(v, (tuple, list)):
        return ", ".join(vaerdi_tekst(x) for x in v)
    return str(v)


# Formats a placeholder may ask for: {navn} plain, {navn:kr} '500,00 kr.', {navn:kr0} '500 kr.',
# {navn:eller} '2, 3, 6 eller 9', {navn:og} '84 og 65', {navn:fra_til} '4200501–4200504' (first
# and last of a list), {navn:ord} 'tre', {navn:Ord} 'Tre', {navn:plus1} the value plus one
# ("60 dage er ikke udfald, 61 er").
FORMATER: dict[str, Callable[[object], str]] = {
    "": vaerdi_tekst,
    "kr": lambda v: kr(v, 2),
    "kr0": lambda v: kr(v, 0),
    "eller": lambda v: _opremsning(v, "eller"),
    "og": lambda v: _opremsning(v, "og"),
    "fra_til": lambda v: f"{vaerdi_tekst(v[0])}–{vaerdi_tekst(v[-1])}",
    "ord": lambda v: talord(int(v)),
    "Ord": lambda v: talord(int(v)).capitalize(),
    "plus1": lambda v: vaerdi_tekst(v + 1),
}


def pladsholdere(tekst: str) -> list[tuple[str, str]]:
    """The (parameter, format) placeholders of a text."""
    return [(navn, spec or "") for _, navn, spec, _ in string.Formatter().parse(tekst) if navn is not None]


def udfyld(tekst: str, vaerdier: dict[str, object]) -> str:
    """Fill the placeholders of ``tekst`` from ``vaerdier`` (parameter name under regler. → value)."""
    ud = []
    for bogstaveligt, navn, spec, _ in string.Formatter().parse(tekst):
        ud.append(bogstaveligt)
        if navn is not None:
            ud.append(FORMATER[spec or ""](vaerdier[navn]))
    return "".join(ud)


def gaelder_fra(navn: str, dato: dt.date, mappe=None) -> dt.date:
    """The date from which the value of parameter ``navn`` in force on ``dato`` applies."""
    p = parametre.alle(mappe)[navn]
    p.vaerdi(dato)                     # a date without a value is an error naming the file
    return max(d for d, _ in p.vaerdier if d <= dato)


# ------------------------------------------------------------------------------ the run's context
@dataclass
class Kontekst:
    """What a rule body may use: the run date, the periods, parameters (read through
    :meth:`vaerdi` / :meth:`p`, which record every read in ``laest``) and the relations the
    engine prepared."""
    dato: dt.date
    kp_start: dt.date
    kp_slut: dt.date
    anv: str = "sk_anv"                         # applicable case windows for this rule
    tabel_navne: dict[str, str] = field(default_factory=dict)
    parametermappe: object = None
    laest: dict[str, object] = field(default_factory=dict)

    def vaerdi(self, navn: str):
        """The parameter ``regler.<navn>`` in force on D (recorded)."""
        full = f"regler.{navn}"
        v = parametre.hent(full, self.dato, self.parametermappe)
        self.laest[full] = v
        return v

    def p(self, navn: str) -> str:
        """The parameter as an SQL literal."""
        return sql_lit(self.vaerdi(navn))

    def d(self, dato: dt.date) -> str:
        return sql_lit(dato)

    @property
    def D(self) -> str:
        return sql_lit(self.dato)

    def minus_aar(self, n: int) -> dt.date:
        """"D − n years" (month-end fallback)."""
        return tid.minus_aar(self.dato, int(n))

    def hele_maaneder_foer(self, start: dt.date, n: int) -> tuple[dt.date, dt.date]:
        return tid.hele_maaneder_foer(start, int(n))

    def t(self, tabel: str) -> str:
        """The register (restricted by the engine to the people the run is about)."""
        return self.tabel_navne.get(tabel, tabel)


# ------------------------------------------------------------------------------ the rule
@dataclass(frozen=True, kw_only=True)
class Regel:
    """One rule, declared by keyword beside its body (``kontrol_lib/regler/nationale/<familie>/``)."""
    id: str
    titel: str                      # Danish
    kilde_afsnit: str               # the heading in the kvikguide
    kilde: str                      # the source sentence(s), quoted verbatim (a dated source)
    register: str                   # source register(s), as in the catalogue
    kontroltype: str
    ym_kle_parameter: str | None    # parameter name (under regler.) of the YM KLE set
    aef_kle_parameter: str | None   # ditto for the spouse; None = the rule does not check ÆF
    parametre: tuple[str, ...]      # every parameter the body reads (under regler.)
    tabeller: tuple[str, ...]       # registers the body reads
    semantik: str                   # the product's reading (Danish), placeholders for parameters
    krop: Callable[[Kontekst], str] = field(repr=False, compare=False)
    fortolkning: str | None = None  # where the product had to interpret the source (Danish)

    def __post_init__(self):
        if self.kontroltype not in REGEL_KONTROLTYPER:
            raise ValueError(f"regel {self.id}: ukendt kontroltype {self.kontroltype}")
        for p in (self.ym_kle_parameter, self.aef_kle_parameter):
            if p is not None and p not in self.parametre:
                raise ValueError(f"regel {self.id}: KLE-parameteren {p} skal stå i parametre")
        if self.ym_kle_parameter is None:
            raise ValueError(f"regel {self.id}: en regel skal gælde for YM")
        for felt in ("semantik", "fortolkning"):
            for navn, spec in pladsholdere(getattr(self, felt) or ""):
                if navn not in self.parametre:
                    raise ValueError(f"regel {self.id}: {felt} nævner {{{navn}}}, som ikke står i parametre")
                if spec not in FORMATER:
                    raise ValueError(f"regel {self.id}: {felt} bruger det ukendte format {{{navn}:{spec}}}")

    def kle(self, rolle: str, dato: dt.date | None = None, mappe=None) -> tuple[str, ...]:
        """KLE numbers for which the rule applies to ``rolle`` ('YM' or 'ÆF') on ``dato``."""
        navn = self.ym_kle_parameter if rolle == "YM" else self.aef_kle_parameter
        if navn is None:
            return ()
        return tuple(parametre.hent(f"regler.{navn}", dato or dt.date.today(), mappe))

    @property
    def ym_kle(self) -> tuple[str, ...]:
        return self.kle("YM")

    @property
    def aef_kle(self) -> tuple[str, ...]:
        return self.kle("ÆF")

    @property
    def parameternavne(self) -> tuple[str, ...]:
        return tuple(f"regler.{p}" for p in self.parametre)

    def tekst(self, felt: str, dato: dt.date | None = None, mappe=None) -> str:
        """``semantik`` or ``fortolkning`` with its placeholders filled from the parameter values
        in force on ``dato`` (default today); '' when the rule has no such text."""
        skabelon = getattr(self, felt) or ""
        dato = dato or dt.date.today()
        navne = {n for n, _ in pladsholdere(skabelon)}
        return udfyld(skabelon, {n: parametre.hent(f"regler.{n}", dato, mappe) for n in navne})
