"""The rule object: one declarative description per rule of ``spec/regler.md``.

A :class:`Regel` says *what* a rule is (id, Danish title, the source sentence, KLE sets for YM
and ÆF as parameter names, kontroltype, the parameters it reads, where the product had to
interpret the source) and holds a pure body: a function from a :class:`Kontekst` to one SQL
query. The engine (:mod:`.motor`) masks by applicability (the relation ``k.anv`` holds only the
qualifying cases whose KLE is in the rule's set for that role), looks parameters up and
collects the hits; the body holds only the test from the source text.

A body returns, per applicable case window, the columns of :data:`KROP_KOLONNER`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular import tid
from kontrol_lib.vokabular.koder import REGEL_KONTROLTYPER


# What a body returns: the case window it matched (engine picks one per event) + the event.
KROP_KOLONNER = ("ym_cpr", "person_cpr", "rolle", "kle", "kommunekode", "oprettet",
                 "haendelsesdato", "haendelse_id", "oplysninger")

# The case-window columns of k.anv a body selects as-is.
A = "a.ym_cpr, a.person_cpr, a.rolle, a.kle, a.kommunekode, a.oprettet"


def sql_lit(v) -> str:
    """A Python parameter value as an SQL literal."""
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


@dataclass
class Kontekst:
    """What a rule body may use: the run date, the periods, parameters (read through
    :meth:`p`, which records every read) and the relations the engine prepared."""
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


@dataclass(frozen=True)
class Regel:
    id: str
    titel: str                      # Danish
    kilde_afsnit: str               # the heading in the kvikguide
    kilde: str                      # the source sentence(s), quoted
    register: str                   # source register(s), as in the catalogue
    kontroltype: str
    ym_kle_parameter: str | None    # parameter name (under regler.) of the YM KLE set, None = –
    aef_kle_parameter: str | None   # ditto for the spouse
    parametre: tuple[str, ...]      # every parameter the body reads (under regler.)
    tabeller: tuple[str, ...]       # registers the body reads
    semantik: str                   # the product's reading (Danish), as in regler.md
    krop: Callable[[Kontekst], str] = field(repr=False, compare=False, default=None)
    fortolkning: str | None = None  # where the product had to interpret the source (Danish)

    def __post_init__(self):
        if self.kontroltype not in REGEL_KONTROLTYPER:
            raise ValueError(f"regel {self.id}: ukendt kontroltype {self.kontroltype}")
        for p in (self.ym_kle_parameter, self.aef_kle_parameter):
            if p is not None and p not in self.parametre:
                raise ValueError(f"regel {self.id}: KLE-parameteren {p} skal stå i parametre")
        if self.ym_kle_parameter is None:
            raise ValueError(f"regel {self.id}: en regel skal gælde for YM")

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
