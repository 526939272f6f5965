"""Kontrol workbench: the shared library behind the CLI, the widgets and the notebooks.

One package per layer, importing only downward (import-linter checks it; docs/arkitektur.md):
vokabular → parametre → registre → regler → sager → maal → jobs → rapporter → flader.
"""

__version__ = "0.1.0"
