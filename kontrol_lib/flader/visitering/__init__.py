"""The caseworker's visitation app (``notebooks/visitering.ipynb``, served by Voila).

``VisiteringsApp(db_url)`` builds the widgets over the case store's workflow API for the
person the store knows (the hub's user or the OS login);
:func:`voila_kommando` is the one command line that serves the notebook offline
(``python -m kontrol_lib.flader.visitering``). See ``docs/visitering.md``.
"""

from kontrol_lib.flader.visitering.app import PR_SIDE, VisiteringsApp
from kontrol_lib.flader.visitering.server import CONFIG_ROD, DATA_ROD, NOTEBOOK, kommandolinje, miljoe, voila_kommando

__all__ = ["VisiteringsApp", "PR_SIDE", "voila_kommando", "miljoe", "kommandolinje",
           "NOTEBOOK", "DATA_ROD", "CONFIG_ROD"]
