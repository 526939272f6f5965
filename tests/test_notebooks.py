"""Thin notebooks (docs/STYLE "Thin notebooks"; issue 11, item 5), checked statically for every
notebook in notebooks/.

- At most 40 lines of code per notebook, all code cells counted, the parameters cell included.
- The parameters cell holds plain typed values only (``name: type = value  # help``).
- The other code cells call the library and nothing else: no arithmetic, no f-strings or string
  building, no dict or list literals of labels, no comprehensions, no branching, no indexing into
  tables and no HTML. Every table specification, label and sentence lives in
  ``kontrol_lib/rapporter/visningsmodel.py``, where it is tested.
"""

import ast
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAKS_LINJER = 40


def _kodeceller(path: Path) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


def _er_parametre(celle) -> bool:
    return "parameters" in celle.metadata.get("tags", [])


def _fund(kilde: str) -> list[str]:
    """What a code cell outside the parameters cell must not do, one line per finding."""
    fund = []
    for node in ast.walk(ast.parse(kilde)):
        linje = getattr(node, "lineno", "?")
        if isinstance(node, (ast.BinOp, ast.AugAssign)):
            fund.append(f"linje {linje}: regning eller sammensætning ({type(node.op).__name__})")
        elif isinstance(node, ast.JoinedStr):
            fund.append(f"linje {linje}: f-streng")
        elif isinstance(node, (ast.Dict, ast.DictComp)):
            fund.append(f"linje {linje}: ordbog (fx en etiketoversættelse)")
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            fund.append(f"linje {linje}: comprehension")
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and any(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            fund.append(f"linje {linje}: liste af tekster (fx kolonner eller etiketter)")
        elif isinstance(node, (ast.If, ast.IfExp)):
            fund.append(f"linje {linje}: forgrening")
        elif isinstance(node, ast.Subscript):
            fund.append(f"linje {linje}: opslag i en tabel")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            fund.append(f"linje {linje}: str.format")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value:
            fund.append(f"linje {linje}: HTML")
    return fund


def test_every_notebook_is_checked():
    assert {p.stem for p in NOTEBOOKS} >= {"aarsrapport", "benchmark", "udforskning", "udvalgsorientering"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_has_at_most_40_lines_of_code(path):
    linjer = sum(len(c.source.splitlines()) for c in _kodeceller(path))
    assert linjer <= MAKS_LINJER, f"{path.name}: {linjer} linjer kode (højst {MAKS_LINJER})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_parameters_cell_holds_plain_typed_values(path):
    celler = [c for c in _kodeceller(path) if _er_parametre(c)]
    assert len(celler) == 1, path.name
    for node in ast.parse(celler[0].source).body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name), (path.name, ast.unparse(node))
        assert isinstance(node.annotation, ast.Name) and node.annotation.id in ("int", "str", "float", "bool")
        assert isinstance(node.value, ast.Constant), (path.name, ast.unparse(node))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_computes_labels_tables_or_sentences(path):
    fund = {i: f for i, c in enumerate(_kodeceller(path)) if not _er_parametre(c) and (f := _fund(c.source))}
    assert fund == {}, f"{path.name}: {fund}"


@pytest.mark.parametrize("kilde, forventet", [
    ('display(vis.tekst(f"## Udviklingen {aar - 4}–{aar}"))', ["regning", "f-streng"]),
    ('navne = {"kommune": p.kommune, "landet": "Hele landet"}', ["ordbog"]),
    ('vis.tabel(r.kanaler, [("tekst", "Kanal", "tekst")])', ["liste af tekster"]),
    ('procent(r.kanaler.iloc[-1]["hitrate"])', ["opslag i en tabel"]),
    ('x = kr(a) if a is not None else "ikke oplyst"', ["forgrening"]),
    ('display(HTML(\'<div class="forside"></div>\'))', ["HTML"]),
    ('"Provenu {}".format(aar)', ["str.format"]),
    ('[ind.ydelse_tekst(y) for y in r.ydelser["ydelse"]]', ["comprehension"]),
    ('vis.afsnit(vm.provenu_kategorier(r))', []),
])
def test_the_check_finds_what_the_old_notebooks_did(kilde, forventet):
    fund = _fund(kilde)
    assert all(any(f in x for x in fund) for f in forventet), fund
    assert bool(fund) == bool(forventet)
