"""Layer 9, the faces: thin entrances to the same Python API.

- :mod:`.cli` and :mod:`.kommandoer`: the ``kontrol`` command (one module per sub-command),
  with the shared arguments of :mod:`.argumenter`.
- :mod:`.visitering`: the caseworker's app (ipywidgets, served by Voila).
The notebooks in ``notebooks/`` are faces too; they import from the reports layer.
"""
