"""The batch without a kernel makes exactly the reports of the kernel path (issue 15, deliver 3).

Two municipalities (Ballerup with a synthetic case history 2020–2024, Læsø with no cases at all)
are made twice from the same case file: once as ``kontrol rapport`` does it (papermill with a new
Jupyter kernel per municipality, :func:`lav_rapporter`), once as ``kontrol batch`` does it now (two
worker processes that run the notebooks in their own process, :func:`koer_plan`). Every published
file is compared: the HTML text exactly, the PDF byte for byte (WeasyPrint writes no date, so equal
input gives an equal file) and as ``pdftotext`` text, the figures (every SVG inside the HTML,
decoded), and the executed notebooks cell by cell (source, tags and outputs; only the timing
metadata and execution counts may differ). A third run of the batch with ``kerne=True`` (the
warm-kernel batch, ``kontrol batch --kerne``) must give the same files too.
"""

import base64
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from kontrol_lib.jobs.syntetisk.sagshistorik import generer_sager, skriv_sager
from kontrol_lib.rapporter.batch import Plan, koer_plan
from kontrol_lib.rapporter.koersel import Bestilling, ProcesKerne, lav_rapporter

BALLERUP = Path(__file__).resolve().parent / "data" / "provenu" / "ballerup_2019_2023.csv"
KOMMUNER = {151: "151-ballerup", 825: "825-laesoe"}
AAR = 2024
TYPER = ("aarsrapport", "udvalgsorientering")


@pytest.fixture(scope="module")
def kørsler(tmp_path_factory):
    rod = tmp_path_factory.mktemp("proces")
    sager = skriv_sager(generer_sager(151, 2020, AAR, seed=151), rod / "kontrolsager.csv")
    ud = {"kerne": rod / "kerne", "batch": rod / "batch", "batch_kerne": rod / "batch_kerne"}
    for k in KOMMUNER:
        r = lav_rapporter(Bestilling(kommune=k, aar=AAR, sager=str(sager), ud=ud["kerne"]))
        assert r.ok, r.fejl
    for navn, kerne in (("batch", False), ("batch_kerne", True)):
        plan = Plan(tuple(Bestilling(kommune=k, aar=AAR, sager=str(sager), ud=ud[navn]) for k in KOMMUNER), 2)
        res = koer_plan(plan, fremskridt=False, kerne=kerne)
        assert all(r.ok for r in res), [r.fejl for r in res]
    return ud


def _filer(mappe):
    return sorted(p.relative_to(mappe).as_posix() for p in mappe.rglob("*") if p.is_file())


def _svg(html: str) -> list[str]:
    return [base64.b64decode(b).decode("utf-8") for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]


def _pdftekst(sti) -> str:
    return subprocess.run(["pdftotext", "-layout", str(sti), "-"], check=True, capture_output=True, text=True).stdout


def _celler(sti):
    nb = nbformat.read(sti, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("tags", []), c.get("outputs")) for c in nb.cells], {
        k: v for k, v in nb.metadata.items() if k != "papermill"}, {
        k: v for k, v in nb.metadata["papermill"].items() if k in ("parameters", "input_path", "exception")}


@pytest.mark.parametrize("batch", ["batch", "batch_kerne"])
def test_the_batch_publishes_the_same_files_as_the_kernel_path(kørsler, batch):
    assert _filer(kørsler[batch]) == _filer(kørsler["kerne"]) == sorted(
        f"{m}/{AAR}/{t}.{e}" for m in KOMMUNER.values() for t in TYPER for e in ("html", "ipynb", "pdf"))


@pytest.mark.parametrize("batch", ["batch", "batch_kerne"])
@pytest.mark.parametrize("kommune", list(KOMMUNER))
@pytest.mark.parametrize("typ", TYPER)
def test_html_pdf_and_figures_are_identical_to_the_kernel_path(kørsler, batch, kommune, typ):
    a, b = kørsler["kerne"] / KOMMUNER[kommune] / str(AAR), kørsler[batch] / KOMMUNER[kommune] / str(AAR)
    html_a, html_b = (a / f"{typ}.html").read_text(encoding="utf-8"), (b / f"{typ}.html").read_text(encoding="utf-8")
    assert html_b == html_a
    svg_a = _svg(html_a)
    assert _svg(html_b) == svg_a
    if kommune == 151 and typ == "aarsrapport":     # Ballerup's annual report has charts
        assert len(svg_a) >= 2 and all(s.lstrip().startswith("<svg") for s in svg_a)
    assert _pdftekst(b / f"{typ}.pdf") == _pdftekst(a / f"{typ}.pdf")
    assert (b / f"{typ}.pdf").read_bytes() == (a / f"{typ}.pdf").read_bytes()


@pytest.mark.parametrize("kommune", list(KOMMUNER))
@pytest.mark.parametrize("typ", TYPER)
def test_the_executed_notebook_has_the_same_cells_outputs_and_parameters(kørsler, kommune, typ):
    a = _celler(kørsler["kerne"] / KOMMUNER[kommune] / str(AAR) / f"{typ}.ipynb")
    b = _celler(kørsler["batch"] / KOMMUNER[kommune] / str(AAR) / f"{typ}.ipynb")
    assert b == a
    celler, meta, papermill = b
    assert papermill["parameters"]["kommune"] == kommune and papermill["exception"] is None
    assert meta["language_info"]["name"] == "python"
    assert [c[2] for c in celler[:2]] == [["parameters"], ["injected-parameters"]]


def test_a_failing_report_without_a_kernel_fails_as_with_one_and_the_next_report_runs_clean(tmp_path):
    """A bad case file: in the worker's own process the report fails with the same Danish error as
    in a kernel (papermill's ename: evalue), publishes nothing, keeps the failed notebook with the
    error output for the analyst, and the next report in the same process runs (fresh namespace)."""
    bad = tmp_path / "sager.csv"
    lines = BALLERUP.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("aendret_tildeling", "vundet_i_lotto", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    med_kerne = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(bad),
                                         ud=tmp_path / "kerne", pdf=False))
    k = ProcesKerne()
    uden = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(bad),
                                    ud=tmp_path / "proces", pdf=False), k)
    assert med_kerne.fejl.startswith("udvalgsorientering: RegisterFejl") and "vundet_i_lotto" in med_kerne.fejl
    # (under heavy load the kernel's restart after the failure can time out and add "(kernen kunne
    # ikke genstartes: …)" to the kernel path's message; the notebook's error is what is compared)
    assert uden.fejl == med_kerne.fejl.split(" (kernen kunne ikke genstartes")[0]
    assert [p.name for p in (tmp_path / "proces" / "151-ballerup").iterdir()] == []
    nb = nbformat.read(tmp_path / "proces" / ".fejl" / "151-ballerup-2023-udvalgsorientering.ipynb", as_version=4)
    fejl = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(fejl) == 1 and fejl[0].ename == "RegisterFejl" and nb.metadata.papermill.exception is True
    god = lav_rapporter(Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(BALLERUP),
                                   ud=tmp_path / "proces", pdf=False), k)
    assert god.ok, god.fejl
    html = (tmp_path / "proces" / "151-ballerup" / "2023" / "udvalgsorientering.html").read_text(encoding="utf-8")
    assert "I 2023 er der afsluttet" in html


def test_the_jobs_are_handed_out_smallest_first_then_largest_first_and_unknown_sizes_last():
    from kontrol_lib.rapporter.batch import raekkefoelge
    b = tuple(Bestilling(kommune=k, aar=AAR, sager="s.csv") for k in (101, 151, 147, 825, 157)) + (
        Bestilling(kommune=153, aar=AAR, db="sqlite:///x"), Bestilling(kommune="Herning", aar=AAR, sager="s.csv"))
    stoerrelser = {("s.csv", 101): 500, ("s.csv", 151): 120, ("s.csv", 147): 300, ("s.csv", 825): 0,
                   ("s.csv", 157): 120}
    # 825 (0 bytes) first; then 101, 147, the two of 120 bytes in plan order; no size: plan order
    assert raekkefoelge(b, stoerrelser) == [3, 0, 2, 1, 4, 5, 6]
    assert raekkefoelge(b[:1], stoerrelser) == [0]
    assert raekkefoelge(b, {}) == list(range(7))
