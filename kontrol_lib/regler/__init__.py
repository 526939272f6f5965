"""Registersamkøring for § 10-opfølgning (``spec/regler.md``).

Public API::

    from kontrol_lib.regler import samkoer, REGLER, UDFALD_KOLONNER, regelkatalog, bestand

Where things live: a rule, its source sentence and its cases in one folder per rule family,
``nationale/<familie>/regler.py`` + ``tilfaelde.yaml``; its parameters in
``parameters/regler/<navn>.yaml``; the engine in ``motor.py``; the rule object in ``regel.py``;
one hit explained (``kontrol forklar``) in ``forklaring.py``.
"""

from kontrol_lib.regler.regelkatalog import regelkatalog, regelkatalog_html, regelkatalog_markdown
from kontrol_lib.regler.motor import (BESTAND_KOLONNER, RESULTAT_KOLONNER, UDFALD_KOLONNER, bestand, samkoer,
                                      skriv_udfald)
from kontrol_lib.regler.regel import Regel
from kontrol_lib.regler.nationale import REGLER

__all__ = ["samkoer", "REGLER", "UDFALD_KOLONNER", "RESULTAT_KOLONNER", "BESTAND_KOLONNER", "regelkatalog",
           "regelkatalog_html", "regelkatalog_markdown", "bestand", "skriv_udfald", "Regel"]
