"""The house stays one-way (docs/arkitektur.md). import-linter checks the layers (``make test`` runs
``lint-imports``); these tests check what it cannot: every package sits in a layer, no private
name crosses a module, no ImportError is swallowed, an import inside a function says why, and
the vocabulary is declared once."""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import tomllib
from pathlib import Path

import pytest

from kontrol_lib.vokabular import koder

ROOT = Path(__file__).resolve().parents[1]
PAKKE = ROOT / "kontrol_lib"
KILDER = sorted(p for p in PAKKE.rglob("*.py") if "__pycache__" not in p.parts)


def _modul(p: Path) -> str:
    dele = list(p.relative_to(ROOT).with_suffix("").parts)
    if dele[-1] == "__init__":
        dele = dele[:-1]
    return ".".join(dele)


def _importfra(node: ast.ImportFrom, modul: str, er_pakke: bool) -> str:
    if not node.level:
        return node.module or ""
    base = modul.split(".")
    if not er_pakke:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _lag() -> list[str]:
    kontrakt = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in kontrakt if c["id"] == "lag")["layers"]


def test_every_package_of_kontrol_lib_sits_in_exactly_one_layer():
    lag = _lag()
    pakker = sorted(f"kontrol_lib.{p.name}" for p in PAKKE.iterdir()
                    if p.is_dir() and (p / "__init__.py").exists())
    assert sorted(lag) == pakker
    moduler = sorted(p.stem for p in PAKKE.glob("*.py") if p.name != "__init__.py")
    assert moduler == [], "every module lives in a layer's package"


def test_the_layers_are_in_the_order_of_the_data_flow():
    assert _lag() == ["kontrol_lib.flader", "kontrol_lib.rapporter", "kontrol_lib.jobs", "kontrol_lib.maal",
                      "kontrol_lib.sager", "kontrol_lib.regler", "kontrol_lib.registre", "kontrol_lib.parametre",
                      "kontrol_lib.vokabular"]


def test_no_private_name_is_imported_from_another_module():
    fund = []
    for p in KILDER:
        modul = _modul(p)
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                fra = _importfra(node, modul, p.name == "__init__.py")
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__") and fra != modul:
                        fund.append(f"{p.relative_to(ROOT)}:{node.lineno}: {fra}.{a.name}")
            elif isinstance(node, ast.Import):
                fund += [f"{p.relative_to(ROOT)}:{node.lineno}: {a.name}" for a in node.names
                         if any(d.startswith("_") and not d.startswith("__") for d in a.name.split("."))]
    assert fund == []


def test_no_private_name_of_another_module_is_reached_through_the_module():
    """``modul._navn`` where ``modul`` is a kontrol_lib module imported by name."""
    fund = []
    for p in KILDER:
        modul = _modul(p)
        tree = ast.parse(p.read_text(encoding="utf-8"))
        moduler = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                fra = _importfra(node, modul, p.name == "__init__.py")
                for a in node.names:
                    if fra.startswith("kontrol_lib") and inspect.ismodule(
                            getattr(importlib.import_module(fra), a.name, None)):
                        moduler.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                moduler |= {a.asname for a in node.names if a.name.startswith("kontrol_lib") and a.asname}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in moduler
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                fund.append(f"{p.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert fund == []


def test_no_import_error_is_swallowed():
    fund = []
    for p in KILDER:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                navne = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
                if {"ImportError", "ModuleNotFoundError"} & set(navne):
                    fund.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert fund == []


def test_an_import_inside_a_function_gives_its_reason_on_the_line():
    """Lazy imports exist only for start-up time (``kontrol -h`` must not load pandas and DuckDB)
    and say so in a comment on the import line."""
    fund = []
    for p in KILDER:
        tekst = p.read_text(encoding="utf-8")
        linjer = tekst.splitlines()
        for fn in ast.walk(ast.parse(tekst)):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    linje = linjer[node.end_lineno - 1]
                    if "#" not in linje.split(")")[-1] and "#" not in linjer[node.lineno - 1]:
                        fund.append(f"{p.relative_to(ROOT)}:{node.lineno}: {linjer[node.lineno - 1].strip()}")
    assert fund == []


DOMAENER = {
    "ydelser": set(koder.YDELSER), "kanaler": set(koder.KANALER), "myndigheder": set(koder.MYNDIGHEDER),
    "resultater": set(koder.RESULTATER), "rytmer": set(koder.RYTMER), "kontroltyper": set(koder.KONTROLTYPER),
    "ydelsesomraader": set(koder.YDELSESOMRAADER),
}


def _strenge(node) -> list[str] | None:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        elts = node.elts
    elif isinstance(node, ast.Dict) and all(isinstance(v, ast.Constant) and isinstance(v.value, str)
                                            for v in node.values):
        elts = node.keys                     # a label map; a profile keyed by codes is data
    else:
        return None
    if elts and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts):
        return [e.value for e in elts]
    return None


@pytest.mark.parametrize("domaene", sorted(DOMAENER))
def test_the_vocabulary_is_declared_once(domaene):
    """No module outside kontrol_lib/vokabular spells out a list of codes of a vocabulary domain
    (four or more codes, at least 60 % of the domain, all from it): it imports them from
    ``vokabular.koder``. A few codes chosen as data (a synthetic mix) are not a declaration."""
    koder_ = DOMAENER[domaene]
    fund = []
    for p in KILDER:
        if "vokabular" in p.relative_to(PAKKE).parts:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            s = _strenge(node)
            if s and len(set(s)) >= max(4, math.ceil(0.6 * len(koder_))) and set(s) <= koder_:
                fund.append(f"{p.relative_to(ROOT)}:{node.lineno}: {s}")
    assert fund == []


def test_every_label_map_covers_its_domain():
    for kode_tekst, domaene in ((koder.YDELSE_TEKST, koder.YDELSER), (koder.KANAL_TEKST, koder.KANALER),
                                (koder.RESULTAT_TEKST, koder.RESULTATER), (koder.RYTME_TEKST, koder.RYTMER),
                                (koder.KONTROLTYPE_TEKST, koder.KONTROLTYPER)):
        assert tuple(kode_tekst) == domaene and all(kode_tekst.values())
    assert set(koder.STATUSTEKST) == set(koder.AABNE) | set(koder.LUKKEDE)
    assert set(koder.LUKKEDE) == set(koder.RESULTATER)
    assert set(koder.REGEL_KONTROLTYPER) | {koder.KONTROLTYPE_BAGUDGAAENDE} == set(koder.KONTROLTYPER)
    assert set(koder.BENCHMARK_OMRAADER) <= set(koder.YDELSESOMRAADER)
    assert set(koder.TRIN3_YDELSER) <= set(koder.YDELSER)
    assert koder.tekst(koder.YDELSE_TEKST, "boerne_og_ungeydelse") == "Børne- og ungeydelse"
    assert koder.tekst(koder.YDELSE_TEKST, "ny_ydelse") == "Ny ydelse"
