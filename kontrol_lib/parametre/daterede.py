"""Effective-dated parameters from ``parameters/`` (YAML, one parameter per file).

A parameter file ``parameters/<gruppe>/<navn>.yaml`` looks like::

    beskrivelse: B-indkomst over dette beløb i kontrolperioden giver udfald
    enhed: kr
    reference: DFD, Kvikguide § 10-opfølgning, 8. maj 2018, "B indkomst"
    vaerdier:
      2018-05-08: 500.00

``vaerdier`` is keyed by the ISO date each value applies from, in ascending order; a value of
``null`` ends the parameter. A value may be a number, a text, or a list. The parameter's name is
``<gruppe>.<navn>``. Loading checks every file and names the file on error; asking for a date
before the first value (or after a ``null``) is an error naming parameter, date and file —
nothing defaults silently.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from kontrol_lib.vokabular.fejl import KontrolFejl

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


class ParameterFejl(KontrolFejl):
    pass


def _to_value(v):
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, list):
        return tuple(_to_value(x) for x in v)
    return v


def load_file(path: Path, navn: str) -> Parameter:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ParameterFejl(f"{path}: ikke gyldig YAML ({e})") from None
    if not isinstance(data, dict):
        raise ParameterFejl(f"{path}: filen skal indeholde nøglerne {', '.join(REQUIRED_KEYS)}")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ParameterFejl(f"{path}: mangler nøglen {', '.join(missing)}")
    raw = data["vaerdier"]
    if not isinstance(raw, dict) or not raw:
        raise ParameterFejl(f"{path}: 'vaerdier' skal være en liste af dato: værdi")
    values = []
    for key, value in raw.items():
        if isinstance(key, dt.date):
            start = key
        else:
            try:
                start = dt.date.fromisoformat(str(key))
            except ValueError:
                raise ParameterFejl(f"{path}: '{key}' under 'vaerdier' er ikke en dato (ÅÅÅÅ-MM-DD)") from None
        values.append((start, _to_value(value)))
    dates = [d for d, _ in values]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ParameterFejl(f"{path}: datoerne under 'vaerdier' skal stå i stigende orden uden gentagelser")
    return Parameter(navn, str(data["beskrivelse"]), str(data["enhed"]), str(data["reference"]),
                     tuple(values), path)


@cache
def alle(mappe: Path | None = None) -> dict[str, Parameter]:
    """Every parameter under the parameter folder (``lister/`` and ``kommuner/`` excluded:
    those hold other kinds of YAML with their own loaders)."""
    root = Path(mappe) if mappe else parameter_dir()
    out = {}
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] in ("lister", "kommuner", "rapporter"):
            continue
        navn = ".".join(rel.with_suffix("").parts)
        out[navn] = load_file(path, navn)
    return out


def hent(navn: str, dato: dt.date, mappe: Path | None = None):
    """The value of parameter ``navn`` in force on ``dato``."""
    params = alle(Path(mappe) if mappe else None)
    if navn not in params:
        raise ParameterFejl(f"Parameteren {navn} findes ikke under {Path(mappe) if mappe else parameter_dir()}")
    return params[navn].vaerdi(dato)
