"""Registersamkøring for § 10-opfølgning (``spec/regler.md``).

Public API::

    from kontrol_lib.samkoering import samkoer, REGLER, UDFALD_KOLONNER, regelkatalog, bestand
"""

from .katalog import regelkatalog, regelkatalog_html, regelkatalog_markdown
from .motor import BESTAND_KOLONNER, UDFALD_KOLONNER, bestand, samkoer, skriv_udfald
from .regel import KONTROLTYPER, Regel
from .regler import REGLER

__all__ = ["samkoer", "REGLER", "UDFALD_KOLONNER", "BESTAND_KOLONNER", "regelkatalog", "regelkatalog_html",
           "regelkatalog_markdown", "bestand", "skriv_udfald", "Regel", "KONTROLTYPER"]
