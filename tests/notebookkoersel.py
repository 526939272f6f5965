"""Headless runs of notebooks with widgets, for the tests.

nbclient (papermill's client) can wait for ever on a cell that shows an ipywidget: the kernel has
finished the cell and is idle, the client still waits for its reply (nbclient issue #312, open;
fix proposed in PR #311). Measured here (session 5): ``udforskning.ipynb``'s ``@w.interact`` cell
hung in about one run of seven on a loaded 2-core machine, in the parallel suite and alone (py-spy:
the kernel idle in its event loop, pytest in nbclient's ``execute_cell``). The product does not run
a notebook with widgets headless (the analyst runs ``udforskning.ipynb`` in JupyterLab, the app runs
in Voila; the scheduled reports have no widgets), so only the tests meet it.

:func:`koer_notebook` runs a notebook with a limit per cell (:data:`CELLEGRAENSE`, far above the slowest
cell's ≈ 5 s) and runs it once more, with a new kernel, when a cell ran past it. A notebook that
hangs twice, or fails in any other way, fails the test as before.
"""

from __future__ import annotations

import warnings

CELLEGRAENSE = 120   # seconds for one cell


def koer_notebook(notebook: str, ud: str, **kwargs):
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError
    kwargs.setdefault("progress_bar", False)
    kwargs.setdefault("kernel_name", "python3")
    try:
        return pm.execute_notebook(notebook, ud, execution_timeout=CELLEGRAENSE, **kwargs)
    except CellTimeoutError as e:
        warnings.warn(f"nbclient #312: en celle i {notebook} svarede ikke inden for {CELLEGRAENSE} s "
                      f"({str(e).splitlines()[0]}); kører notebooken igen med en ny kerne", stacklevel=2)
        return pm.execute_notebook(notebook, ud, execution_timeout=CELLEGRAENSE, **kwargs)
