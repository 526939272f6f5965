"""Cells a spreadsheet must never evaluate (CSV/formula injection, OWASP "CSV Injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel and LibreOffice when the file is opened (``=HYPERLINK("http://…")``,
``=cmd|' /C calc'!A0``). Every export the product writes keeps such text as text:

* CSV: the cell gets a leading apostrophe (:func:`csv_tekst`), as OWASP advises; the spreadsheet
  shows the text, the apostrophe tells a reader it was neutralised.
* xlsx: the cell is written as a string with Excel's "quote prefix" (:func:`tekst_celler`), so the
  value is unchanged and Excel keeps it as text even when the cell is edited.

Only text is neutralised: a number (also a negative one) written as a number stays a number.
"""

from __future__ import annotations

FORMELTEGN = ("=", "+", "-", "@", "\t", "\r")


def er_formelagtig(v) -> bool:
    """Whether ``v`` is text a spreadsheet could take for a formula."""
    return isinstance(v, str) and v.startswith(FORMELTEGN)


def csv_tekst(v):
    """``v`` fit for a CSV cell: formula-like text gets a leading apostrophe; anything else
    (other text, numbers, None) is returned unchanged."""
    return "'" + v if er_formelagtig(v) else v


def tekst_celler(ark) -> int:
    """Mark every formula-like text cell of an openpyxl worksheet ``ark`` as a string with
    Excel's quote prefix (openpyxl would otherwise write ``=...`` as a live formula). Returns the
    number of cells marked. Call after the values are in, before saving."""
    n = 0
    for raekke in ark.iter_rows():
        for celle in raekke:
            if er_formelagtig(celle.value):
                celle.data_type = "s"
                celle.quotePrefix = True
                n += 1
    return n
