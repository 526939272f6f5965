"""The YAML files a user edits: reading them, pydantic models for them, and ONE conversion of every
problem into the product's Danish error format.

The loaders of the dated parameters, the municipality parameters, the local control lists and the
batch plans each declare a pydantic model (a :class:`YamlModel`) and call :func:`valider`; this
module imports nothing from the product except :mod:`kontrol_lib.vokabular.fejl`, so every layer may use it.

The format: one line per problem, every problem of a file at once (of every file, where a loader
reads several), each line::

    <fil>: <sti>: <grund>

``sti`` is the key path in the file's own YAML keys, list items counted from 1
(``vaerdier.2024-01-01``, ``tekster.indledning``, ``kriterier[2].type``); ``grund`` is Danish and
names the offending value (``'snyd' er ukendt (kendte: ...)``). A problem with the file itself
(not YAML, not a mapping) has no ``sti``. A model may word a problem itself (class attribute
``TEKSTER``: error type → text); a text that names the key path itself (``{sti}``, or
``{sti_over}``, the path of the mapping with a bad key) is written ``<fil>: <tekst>``.
The municipality parameters and batch plans do that, keeping the wording their users know
(``<fil>: 'aarsvaerk' skal være et positivt tal (fx 4.5), ikke -2``). A value that looks like a
CPR number is masked.

Raising is done with the loader's own error class (a :class:`YamlFejl`, itself a
:class:`~kontrol_lib.vokabular.fejl.KontrolFejl`), so callers and the CLI see what they always saw.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import core_schema
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from kontrol_lib.vokabular.fejl import KontrolFejl


# --------------------------------------------------------------------------- error class
class YamlFejl(KontrolFejl):
    """Problems in files a user edits. ``fejl`` holds one line per problem; the message is
    ``overskrift`` and the lines, or the single text the error was made with."""
    overskrift: ClassVar[str] = "Fejl i filerne"

    def __init__(self, fejl: str | list[str]):
        if isinstance(fejl, str):
            self.fejl = [fejl]
            super().__init__(fejl)
        else:
            self.fejl = list(dict.fromkeys(fejl))
            super().__init__(f"{self.overskrift}:\n" + "\n".join(f"  - {f}" for f in self.fejl))


# --------------------------------------------------------------------------- reading YAML
class _Laeser(yaml.SafeLoader):
    """YAML as ``yaml.safe_load`` reads it, except that a date that is no date ('2018-13-01')
    stays text, so the model reports it with its key instead of the whole file failing."""


def _dato_eller_tekst(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Laeser.add_constructor("tag:yaml.org,2002:timestamp", _dato_eller_tekst)


class _LaeserUdenDatoer(yaml.SafeLoader):
    """YAML without implicit dates: every unquoted date stays text (the models parse it)."""


_LaeserUdenDatoer.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def laes_yaml_tekst(tekst: str, fil: str, fejlklasse: type[YamlFejl], datoer: bool = True) -> Any:
    """Parse YAML text; a syntax error raises ``fejlklasse`` naming line and column.
    ``datoer=False``: unquoted dates stay text."""
    try:
        return yaml.load(tekst, Loader=_Laeser if datoer else _LaeserUdenDatoer)  # noqa: S506 - SafeLoaders
    except yaml.YAMLError as e:
        raise fejlklasse([f"{fil}: {_yaml_grund(e)}"]) from None


def laes_yaml(sti: Path, fejlklasse: type[YamlFejl], fil: str | None = None, datoer: bool = True) -> Any:
    """Read and parse a YAML file (``fil``: how messages name it, default the path)."""
    fil = str(sti) if fil is None else fil
    try:
        tekst = Path(sti).read_text(encoding="utf-8")
    except OSError as e:
        raise fejlklasse([f"{fil}: kan ikke læses ({e.strerror})"]) from None
    except UnicodeDecodeError:
        raise fejlklasse([f"{fil}: er ikke en tekstfil i UTF-8"]) from None
    return laes_yaml_tekst(tekst, fil, fejlklasse, datoer)


def _yaml_grund(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    hvor = f"linje {mark.line + 1}, kolonne {mark.column + 1}: " if mark is not None else ""
    return _masker(f"ikke gyldig YAML ({hvor}{problem})")


# --------------------------------------------------------------------------- field types
def som_dato(v):
    """``v`` as a date, or the Danish 'dato' error (also usable on a raw key in a krydstjek)."""
    if isinstance(v, dt.datetime):
        raise PydanticCustomError("dato", "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)")
    if isinstance(v, dt.date):
        return v
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v.strip()) if isinstance(v, str) else None
    try:
        return dt.date(*map(int, m.groups())) if m else dt.date.fromisoformat(str(v))
    except (ValueError, TypeError):
        raise PydanticCustomError("dato", "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)") from None


def som_tekst(v):
    if not isinstance(v, str) or not v.strip():
        raise PydanticCustomError("tekst", "skal være en tekst, ikke {vaerdi}")
    return v.strip()


def som_ja_nej(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("ja", "nej"):
        return v.strip().lower() == "ja"
    raise PydanticCustomError("ja_nej", "skal være ja eller nej, ikke {vaerdi}")


#: A date: ``2024-01-01`` (also ``2024-1-1``, as YAML reads it), never a date and time.
Dato = Annotated[dt.date, BeforeValidator(som_dato)]
#: A non-empty text, stripped.
Tekst = Annotated[str, BeforeValidator(som_tekst)]
#: ``ja``/``nej`` (or true/false).
JaNej = Annotated[bool, BeforeValidator(som_ja_nej)]


class Valg:
    """``Annotated[Any, Valg(vaelg)]``: the value is validated by the model ``vaelg(raw)`` picks
    (e.g. by its ``type`` key); ``vaelg`` raises :func:`afvis` when it cannot pick. Unlike a
    pydantic union, the key path stays the file's own and the error texts are the chosen model's."""

    def __init__(self, vaelg):
        self.vaelg = vaelg

    def __get_pydantic_core_schema__(self, source, handler):
        def valider_valgt(raw, info):
            return self.vaelg(raw).model_validate(raw, context=info.context)
        return core_schema.with_info_plain_validator_function(valider_valgt)


# --------------------------------------------------------------------------- raising from validators
def fejl(loc: tuple = (), tekst: str = "ugyldig værdi {vaerdi}", vaerdi: Any = None,
         type: str = "yaml") -> InitErrorDetails:
    """One problem at ``loc`` (relative to where it is raised) for :func:`afvis`. ``tekst`` may
    use ``{vaerdi}`` (shown as in every message) and ``{sti}`` (see the module text)."""
    return InitErrorDetails(type=PydanticCustomError(type, tekst), loc=tuple(loc), input=vaerdi)


def afvis(problemer: list[InitErrorDetails], titel: str = "yaml") -> ValidationError:
    """Several problems at once, from a validator: ``raise afvis([fejl(...), ...])``."""
    return ValidationError.from_exception_data(titel, problemer)


class YamlModel(BaseModel):
    """Base of the models of YAML files: unknown keys are errors, instances are frozen.

    ``TEKSTER`` (error type → Danish text) words this model's problems when the default does
    not fit. ``krydstjek`` checks that span several keys on the raw mapping; they are reported
    together with the field errors (a pydantic ``model_validator(mode="after")`` would only run
    once every field is valid)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    TEKSTER: ClassVar[dict[str, str]] = {}

    @classmethod
    def krydstjek(cls, data: dict, kontekst: dict | None) -> list[InitErrorDetails]:
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _med_krydstjek(cls, data, handler, info):
        if not isinstance(data, dict) or cls.krydstjek.__func__ is YamlModel.krydstjek.__func__:
            return handler(data)
        ekstra = cls.krydstjek(data, info.context)
        try:
            obj = handler(data)
        except ValidationError as e:
            raise afvis([genskab(d) for d in e.errors()] + ekstra, e.title) from None
        if ekstra:
            raise afvis(ekstra, cls.__name__)
        return obj


_KENDTE_TYPER = set(typing.get_args(ErrorType))


def genskab(d: dict) -> InitErrorDetails:
    """An entry of ``ValidationError.errors()`` as a problem to raise again with :func:`afvis`."""
    if d["type"] in _KENDTE_TYPER:
        out = InitErrorDetails(type=d["type"], loc=d["loc"], input=d["input"])
        if "ctx" in d:
            out["ctx"] = d["ctx"]
        return out
    return InitErrorDetails(type=PydanticCustomError(d["type"], d["msg"]), loc=d["loc"], input=d["input"])


# --------------------------------------------------------------------------- the conversion
#: Danish texts for the error types the models trigger. ``<type>:noegle``: the error is in a
#: mapping's key (``vaerdier: {primo 2018: 1}``).
TEKSTER: dict[str, str] = {
    "missing": "mangler",
    "extra_forbidden": "ukendt nøgle (kendte: {kendte})",
    "literal_error": "{vaerdi} er ukendt (kendte: {kendte})",
    "dict_type": "skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "model_type": "skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "model_attributes_type": "skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "list_type": "skal være en liste, ikke {vaerdi}",
    "tuple_type": "skal være en liste, ikke {vaerdi}",
    "too_short": "skal have mindst {min_length}",
    "string_type": "skal være en tekst, ikke {vaerdi}",
    "int_type": "{vaerdi} er ikke et heltal",
    "int_parsing": "{vaerdi} er ikke et heltal",
    "int_from_float": "{vaerdi} er ikke et heltal",
    "bool_type": "skal være true eller false, ikke {vaerdi}",
    "bool_parsing": "skal være true eller false, ikke {vaerdi}",
    "decimal_type": "{vaerdi} er ikke et tal",
    "decimal_parsing": "{vaerdi} er ikke et tal",
    "date_type": "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_inexact": "{vaerdi} er ikke en dato (ÅÅÅÅ-MM-DD)",
    "dato:noegle": "{vaerdi} under '{overordnet}' er ikke en dato (ÅÅÅÅ-MM-DD)",
    "greater_than_equal": "{vaerdi} skal være mindst {ge}",
    "less_than_equal": "{vaerdi} må højst være {le}",
    "value_error": "ugyldig værdi {vaerdi}",
    "assertion_error": "ugyldig værdi {vaerdi}",
}
_FIL_TYPER = ("dict_type", "model_type", "model_attributes_type")
_CPR = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def _masker(tekst: str) -> str:
    return _CPR.sub(lambda m: m.group(1) + "****", tekst)


def vis(v) -> str:
    """A value as the messages show it: texts quoted, dates as ÅÅÅÅ-MM-DD, long values cut, a
    CPR-like number masked."""
    if isinstance(v, (dt.date, Decimal)):
        s = str(v)
    else:
        s = repr(v)
    if len(s) > 80:
        s = s[:77] + "..."
    return _masker(s)


@dataclass(frozen=True)
class Problem:
    """One problem: the key path (``""``: the file itself), the Danish text, and whether the
    text names the key itself (then the line is ``<fil>: <tekst>``)."""
    sti: str
    tekst: str
    selv: bool = False

    def linje(self, fil: str) -> str:
        if self.selv or not self.sti:
            return f"{fil}: {self.tekst}"
        return f"{fil}: {_masker(self.sti)}: {self.tekst}"


def _udpak(t):
    """(type without Annotated/Optional, its Valg marker or None)."""
    valg = None
    while True:
        if typing.get_origin(t) is Annotated:
            valg = next((m for m in t.__metadata__ if isinstance(m, Valg)), valg)
            t = typing.get_args(t)[0]
        elif typing.get_origin(t) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            t = args[0] if len(args) == 1 else Any
        else:
            return t, valg


def _er_model(t) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _felt(model, navn):
    for n, f in model.model_fields.items():
        if (f.alias or n) == navn:
            return f
    return None


def _sorter(errors: list[dict]) -> list[dict]:
    """Within each mapping, its unknown keys first (as the hand-written checks reported them),
    then the problems in the order of the model's fields (pydantic's order)."""
    foerst: dict[tuple, int] = {}
    for i, d in enumerate(errors):
        for n in range(1, len(d["loc"]) + 1):
            foerst.setdefault(tuple(d["loc"][:n]), i)

    def noegle(d):
        loc = tuple(d["loc"])
        return tuple((0 if (d["type"] == "extra_forbidden" and n == len(loc)) else 1, foerst[loc[:n]])
                     for n in range(1, len(loc) + 1))
    return sorted(errors, key=noegle)


def _udfyld(tekst: str, felter: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(felter[m.group(1)]) if m.group(1) in felter else m.group(0), tekst)


def problemer(e: ValidationError, data: Any, model: type[BaseModel]) -> list[Problem]:
    """Every problem of a pydantic ``ValidationError`` raised by ``model`` on ``data`` (the parsed
    YAML), in Danish, with the key path in the file's keys and the offending value."""
    out = []
    for d in _sorter(e.errors()):
        loc = list(d["loc"])
        noegle = bool(loc) and loc[-1] == "[key]"
        if noegle:
            loc = loc[:-1]
        dele: list[str] = []
        raa, typ = data, model
        modeller: list[type[BaseModel]] = []
        felt = None
        for i, el in enumerate(loc):
            typ, valg = _udpak(typ)
            if valg is not None and raa is not None:
                try:
                    typ = valg.vaelg(raa)
                except ValidationError:
                    typ = Any
            felt = None
            if _er_model(typ):
                modeller.append(typ)
                felt = _felt(typ, el)
                naeste = felt.annotation if felt is not None else Any
                if felt is not None and felt.metadata:
                    naeste = Annotated[(naeste, *felt.metadata)]
            elif typing.get_origin(typ) in (list, tuple):
                naeste = typing.get_args(typ)[0]
            elif typing.get_origin(typ) is dict:
                naeste = typing.get_args(typ)[0 if (noegle and i == len(loc) - 1) else 1]
            else:
                naeste = Any
            if isinstance(raa, list) and isinstance(el, int):
                dele.append(f"[{el + 1}]")
                raa = raa[el] if 0 <= el < len(raa) else None
            else:
                # pydantic writes a key that is no text or number (a date) as its repr
                hit = [k for k in raa if k == el or str(k) == str(el) or repr(k) == el] \
                    if isinstance(raa, dict) else []
                dele.append(("." if dele else "") + str(hit[0] if hit else el))
                raa = raa[hit[0]] if hit else None
            typ = naeste
        typ, _ = _udpak(typ)
        if _er_model(typ) and d["type"] != "missing":
            modeller.append(typ)
        sti = "".join(dele)
        t = d["type"]
        kandidater = ([f"{t}:noegle"] if noegle else []) + [t]
        if not loc and t in _FIL_TYPER:
            kandidater.insert(0, "fil")
        tekst = next((m.TEKSTER[k] for k in kandidater for m in reversed(modeller) if k in m.TEKSTER), None)
        if tekst is None and "fil" in kandidater:
            tekst = "filen skal være en samling af nøgle: værdi, ikke {vaerdi}"
        if tekst is None:
            tekst = next((TEKSTER[k] for k in kandidater if k in TEKSTER), None)
        if tekst is None:
            tekst = d["msg"] if t not in _KENDTE_TYPER else "ugyldig værdi {vaerdi}"
        ctx = {k: v for k, v in (d.get("ctx") or {}).items() if t in _KENDTE_TYPER}
        felter = {**{k: vis(v) if k == "input" else v for k, v in ctx.items()},
                  "vaerdi": vis(d["input"]),
                  "overordnet": str(loc[-2]) if noegle and len(loc) >= 2 else sti,
                  "beskrivelse": (felt.description or "") if felt is not None else ""}
        if t == "extra_forbidden":
            ejer = modeller[-1] if modeller else None
            felter["kendte"] = ", ".join(f.alias or n for n, f in ejer.model_fields.items()) if ejer else ""
        elif t == "literal_error":
            felter["kendte"] = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        if t == "missing" and felter["beskrivelse"] and tekst == TEKSTER["missing"]:
            tekst = "mangler ({beskrivelse})"
        selv = "{sti}" in tekst or "{sti_over}" in tekst
        felter["sti"], felter["sti_over"] = sti, "".join(dele[:-1])
        out.append(Problem(sti, _masker(_udfyld(tekst, felter)), selv))
    return out


def linjer(fil: str, probs: list[Problem]) -> list[str]:
    """The message lines of ``probs`` in file ``fil``."""
    return list(dict.fromkeys(p.linje(fil) for p in probs))


def valider(model: type[BaseModel], data: Any, fil: str, fejlklasse: type[YamlFejl],
            kontekst: dict | None = None):
    """``model`` validated on ``data`` (parsed YAML; an empty file is an empty mapping), or
    ``fejlklasse`` raised with every problem, each naming ``fil``, the key path and the value."""
    data = {} if data is None else data
    try:
        return model.model_validate(data, context=kontekst)
    except ValidationError as e:
        raise fejlklasse(linjer(fil, problemer(e, data, model))) from None
