"""Executed notebook → offline HTML (nbconvert, the ``kontrol`` template) → A4 PDF (WeasyPrint).

The HTML has no code cells, no prompts and no reference to any network resource: the
``kontrol`` template (``templates/kontrol``) drops nbconvert's require.js, MathJax, mermaid and
widget script tags and the JupyterLab theme CSS, and inlines ``rapport.css``. Charts are SVG
(see :mod:`.grafer`), so they draw without JavaScript, in a browser and in WeasyPrint alike.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _css() -> str:
    return (TEMPLATES / "kontrol" / "rapport.css").read_text(encoding="utf-8")


@cache
def _exporter():
    from nbconvert import HTMLExporter  # lazy: only this path needs nbconvert
    ex = HTMLExporter(template_name="kontrol", extra_template_basedirs=[str(TEMPLATES)])
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    ex.embed_images = True
    ex.language_code = "da"            # the template's <html lang="..."> (a Danish document)
    return ex


def _css_tekst(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rens(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` fit for readers: code cells keep only their displayed outputs (no
    stream text such as warnings, no execution counts); cells tagged ``skjul`` are dropped."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if "skjul" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")]
            if not cell.outputs:
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def til_html(nb: nbformat.NotebookNode, titel: str, afsender: str, dokumenttype: str, fod: str) -> str:
    """The reader's HTML of an executed notebook (self-contained, offline)."""
    resources = {
        "metadata": {"name": titel},
        "kontrol_css": _css(),
        "kontrol_side_css": "@page { @bottom-left { content: %s; font: 8pt \"DejaVu Sans\", sans-serif; color: #555; } "
                            "@top-left { content: %s; font: 8pt \"DejaVu Sans\", sans-serif; color: #555; } "
                            "@top-right { content: %s; font: 8pt \"DejaVu Sans\", sans-serif; color: #555; } }"
                            % (_css_tekst(fod), _css_tekst(afsender), _css_tekst(dokumenttype)),
        "kontrol_afsender": afsender,
        "kontrol_dokumenttype": dokumenttype,
        "kontrol_fod": fod,
    }
    ren = rens(nb)
    ren.metadata["title"] = titel
    html, _ = _exporter().from_notebook_node(ren, resources=resources)
    return html


@cache
def _skrifter():
    """One WeasyPrint font configuration per process: its fonts and their measurements are then
    looked up once, not once per PDF (the reports use no @font-face, so nothing is added to it).
    The PDFs are the same (text and pages compared in tests/test_rapporter_batch_proces.py)."""
    from weasyprint.text.fonts import FontConfiguration  # lazy: only this path needs WeasyPrint
    return FontConfiguration()


def til_pdf(html: str, sti: Path) -> None:
    """Write the A4 PDF (page numbers from ``rapport.css``) of a report's HTML."""
    import weasyprint  # lazy: only this path needs WeasyPrint
    from weasyprint.urls import URLFetcher  # lazy: only this path needs WeasyPrint
    # Only inline data: a report never fetches anything (no network, no local files).
    fetcher = URLFetcher(allowed_protocols={"data"})
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(str(sti), font_config=_skrifter())
