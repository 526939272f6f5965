"""Effective-dated parameters from ``parameters/`` (YAML, one parameter per file).

A parameter file ``parameters/<gruppe>/<navn>.yaml`` looks like::

    beskrivelse: B-indkomst over dette beløb i kontrolperioden giver udfald
    enhed: kr
    reference: DFD, Kvikguide § 10-opfølgning, 8. maj 2018, "B indkomst"
    vaerdier:
      2018-05-08: 500.00

``vaerdier`` is keyed by the ISO date each value applies from, in ascending order; a value of
``null`` ends the parameter. A value may be a number, a text, or a list of them. The parameter's
name is ``<gruppe>.<navn>``. The file is checked by the pydantic model :class:`ParameterFil`;
loading reports every problem of every file at once, each with file, key and value (see
:mod:`kontrol_lib.parametre.yamlmodel`); asking for a date before the first value (or after a ``null``) is
an error naming parameter, date and file — nothing defaults silently.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre.yamlmodel import Dato, YamlFejl, YamlModel, afvis, fejl, genskab, laes_yaml, som_dato, valider

REQUIRED_KEYS = ("beskrivelse", "enhed", "reference", "vaerdier")


def parameter_dir() -> Path:
    """``$KONTROL_PARAMETRE`` or the repository's ``parameters/`` folder."""
    env = os.environ.get("KONTROL_PARAMETRE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "parameters"


@dataclass(frozen=True)
class Parameter:
    navn: str
    beskrivelse: str
    enhed: str
    reference: str
    vaerdier: tuple[tuple[dt.date, object], ...]   # ascending (from-date, value)
    fil: Path

    def vaerdi(self, dato: dt.date):
        """The value in force on ``dato``."""
        current = None
        found = False
        for start, value in self.vaerdier:
            if start <= dato:
                current, found = value, True
        if not found or current is None:
            raise KontrolFejl(f"Parameteren {self.navn} har ingen værdi den {dato.isoformat()} "
                              f"(fil: {self.fil})")
        return current


class ParameterFejl(YamlFejl):
    overskrift = "Fejl i parameterfilerne"


def _to_value(v):
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, list):
        return tuple(_to_value(x) for x in v)
    return v


def _som_vaerdi(v):
    """A parameter value as before: a float becomes the Decimal of its text, a list a tuple."""
    enkel = (bool, int, float, str, type(None))
    if isinstance(v, enkel) or (isinstance(v, list) and all(isinstance(x, enkel) for x in v)):
        return _to_value(v)
    raise PydanticCustomError("vaerdi", "skal være et tal, en tekst, en liste af dem eller null, ikke {vaerdi}")


def _som_tekst(v):
    """A text as before (``str(v)``), but a text: no null, list or mapping."""
    if isinstance(v, (str, int, float, dt.date)) and not isinstance(v, bool) and str(v).strip():
        return str(v)
    raise PydanticCustomError("tekst", "skal være en tekst, ikke {vaerdi}")


def _som_vaerdier(v):
    if not isinstance(v, dict) or not v:
        raise PydanticCustomError("vaerdier", "'{sti}' skal være en samling af dato: værdi "
                                  "(fx 2024-01-01: 500), ikke {vaerdi}")
    return v


class ParameterFil(YamlModel):
    """``parameters/<gruppe>/<navn>.yaml``: one dated parameter."""
    beskrivelse: Annotated[str, BeforeValidator(_som_tekst)]
    enhed: Annotated[str, BeforeValidator(_som_tekst)]
    reference: Annotated[str, BeforeValidator(_som_tekst)]
    vaerdier: Annotated[dict[Dato, Annotated[object, BeforeValidator(_som_vaerdi)]],
                        BeforeValidator(_som_vaerdier)]

    @classmethod
    def krydstjek(cls, data, kontekst):
        """The dates under ``vaerdier`` ascend (checked on the dates that are dates, so a bad
        date and a wrong order are reported together)."""
        raa = data.get("vaerdier")
        if not isinstance(raa, dict):
            return []
        datoer = []
        for k in raa:
            try:
                datoer.append(som_dato(k))
            except PydanticCustomError:
                pass
        for foer, efter in pairwise(datoer):
            if efter <= foer:
                return [fejl(("vaerdier",), "datoerne under 'vaerdier' skal stå i stigende orden uden gentagelser "
                             f"({efter.isoformat()} står efter {foer.isoformat()})", raa)]
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _manglende_samlet(cls, data, handler):
        """The missing keys on one line ("mangler nøglen enhed, reference"), as before."""
        try:
            return handler(data)
        except ValidationError as e:
            errs = e.errors()
            mangler = [d["loc"][0] for d in errs if d["type"] == "missing" and len(d["loc"]) == 1]
            if not mangler:
                raise
            andre = [genskab(d) for d in errs if not (d["type"] == "missing" and len(d["loc"]) == 1)]
            raise afvis([fejl((), f"mangler nøglen {', '.join(mangler)}", data)] + andre, e.title) from None


def load_file(path: Path, navn: str) -> Parameter:
    data = laes_yaml(path, ParameterFejl)
    m = valider(ParameterFil, data, str(path), ParameterFejl)
    return Parameter(navn, m.beskrivelse, m.enhed, m.reference, tuple(m.vaerdier.items()), path)


@cache
def alle(mappe: Path | None = None) -> dict[str, Parameter]:
    """Every parameter under the parameter folder (``lister/`` and ``kommuner/`` excluded:
    those hold other kinds of YAML with their own loaders)."""
    root = Path(mappe) if mappe else parameter_dir()
    out, fejl_ = {}, []
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] in ("lister", "kommuner", "rapporter"):
            continue
        navn = ".".join(rel.with_suffix("").parts)
        try:
            out[navn] = load_file(path, navn)
        except ParameterFejl as e:            # every problem of every file at once
            fejl_ += e.fejl
    if fejl_:
        raise ParameterFejl(fejl_)
    return out


def hent(navn: str, dato: dt.date, mappe: Path | None = None):
    """The value of parameter ``navn`` in force on ``dato``."""
    params = alle(Path(mappe) if mappe else None)
    if navn not in params:
        raise ParameterFejl(f"Parameteren {navn} findes ikke under {Path(mappe) if mappe else parameter_dir()}")
    return params[navn].vaerdi(dato)
