"""A deterministic text of what the YAML loaders give for the shipped ``parameters/`` folder.

``tests/data/yaml_indlaest.txt`` was written by the hand-written loaders (before the pydantic
models, commit b84fdb3); ``tests/test_yamlmodel.py`` checks that the loaders still give exactly
that. Every value is written with its type (``Decimal('500.00')``, ``datetime.date(...)``,
tuples), so ``600`` and ``Decimal('600')`` differ; a plan's default ``workers`` (the
number of cores) is written as -1. Regenerate deliberately, only when a shipped
file changes::

    PYTHONPATH=. python tests/yaml_snapshot.py > tests/data/yaml_indlaest.txt
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = (151, 101)          # Ballerup has its own file; København gets standard.yaml only
AAR = (2022, 2023, 2024, 2025)


def _tekst(v, rod: Path | None = None) -> str:
    """``repr``-like, recursive, with types; paths relative to ``rod``; callables by name."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        if type(v).__name__ == "Betingelse":          # callables inside: its id says it all
            return f"Betingelse({v.type!r})"
        felter = ", ".join(f"{f.name}={_tekst(getattr(v, f.name), rod)}" for f in dataclasses.fields(v))
        return f"{type(v).__name__}({felter})"
    if not isinstance(v, type) and hasattr(type(v), "model_fields"):      # a pydantic model (moede, afsnit)
        felter = ", ".join(f"{n}={_tekst(getattr(v, n), rod)}" for n in type(v).model_fields)
        return f"{type(v).__name__}({felter})"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_tekst(k, rod)}: {_tekst(x, rod)}" for k, x in v.items()) + "}"
    if isinstance(v, tuple):
        return "(" + "".join(_tekst(x, rod) + ", " for x in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(_tekst(x, rod) for x in v) + "]"
    if isinstance(v, Path) or (isinstance(v, str) and rod is not None and v.startswith(str(rod))):
        p = Path(v)
        return f"{type(v).__name__}({str(p.relative_to(rod) if rod and p.is_absolute() else p)!r})"
    if isinstance(v, (bool, int, str, Decimal, dt.date, type(None))):
        return repr(v)
    raise TypeError(f"uventet type {type(v)}")


def snapshot() -> str:
    from kontrol_lib.parametre import daterede as parametre
    from kontrol_lib.regler.lokale import indlaes_lister
    from kontrol_lib.rapporter.batch import laes_plan
    from kontrol_lib.parametre.kommune import hent_kommune

    linjer = ["# parametre.alle()"]
    parametre.alle.cache_clear()
    for navn, p in parametre.alle().items():
        linjer.append(f"{navn}: {_tekst(p, ROOT)}")
    linjer.append("# kommuneparametre.hent_kommune(kode, aar)")
    for kode in KOMMUNER:
        for aar in AAR:
            linjer.append(f"{kode} {aar}: {_tekst(hent_kommune(kode, aar), ROOT)}")
    linjer.append("# lister.indlaes_lister()")
    for navn, liste in indlaes_lister(ROOT / "parameters" / "lister").items():
        linjer.append(f"{navn}: {_tekst(dataclasses.replace(liste, fil=Path(liste.fil).name))}")
    linjer.append("# batch.laes_plan(plan)")
    with tempfile.TemporaryDirectory() as d:
        rod = Path(d)
        (rod / "sager.csv").write_text("x\n", encoding="utf-8")
        (rod / "bm.csv").write_text("x\n", encoding="utf-8")
        planer = {
            "fuld": "sager: sager.csv\nbenchmark: bm.csv\nud: ud\naar: [2023, 2024]\nkommuner: [151, Herning, '0101']\n"
                    "typer: alle\nworkers: 3\npdf: false\n",
            "db": "db: postgresql://kontrol@server/kontrol\naar: 2024\nkommuner: [151, 151]\n"
                  "typer: [aarsrapport]\n",
            "benchmark": f"benchmark: {rod / 'bm.csv'}\naar: 2024\n"
                         "kommuner: [Ballerup]\ntyper: benchmark\nworkers: 1\n",
        }
        for navn, tekst in planer.items():
            (rod / f"{navn}.yaml").write_text(tekst, encoding="utf-8")
            plan = laes_plan(rod / f"{navn}.yaml")
            if plan.workers == os.cpu_count():          # the default depends on the machine
                plan = dataclasses.replace(plan, workers=-1)
            linjer.append(f"{navn}: {_tekst(plan, rod).replace(str(rod), '<mappe>')}")
    return "\n".join(linjer) + "\n"


if __name__ == "__main__":
    print(snapshot(), end="")
