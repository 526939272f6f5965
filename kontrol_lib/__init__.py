"""Kontrol workbench: the shared library behind the CLI, the widgets and the notebooks.

One module per step of the data flow:
register extract (``contract``, ``registre``) → samkøring → udfald → case store →
measures (provenu, benchmark) → notebooks → reports.
"""

__version__ = "0.1.0"
