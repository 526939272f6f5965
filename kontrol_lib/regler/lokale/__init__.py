"""Local control lists (lokale kontrollister): criteria as data in ``parameters/lister/*.yaml``,
one engine in DuckDB, hits into the case store as kontroltrin 3 cases (kanal
``lokal_kontrolliste``). See ``docs/lister.md``.

    from kontrol_lib.regler.lokale import koer_lister, afproev_kriterium
    hits = koer_lister("data/", dt.date(2024, 5, 15))            # every list in force
    afproev_kriterium(yaml_tekst, "data/", dt.date(2024, 5, 15))  # the funnel, no cpr
"""

from kontrol_lib.regler.lokale.betingelser import BETINGELSER
from kontrol_lib.regler.lokale.kriterier import Liste, ListeFejl, indlaes_lister, laes_liste, laes_tekst
from kontrol_lib.regler.lokale.listemotor import HIT_KOLONNER, TRAGT_KOLONNER, afproev_kriterium, koer_lister, opsummering, tragt

__all__ = ["BETINGELSER", "Liste", "ListeFejl", "indlaes_lister", "laes_liste", "laes_tekst", "HIT_KOLONNER",
           "TRAGT_KOLONNER", "afproev_kriterium", "koer_lister", "opsummering", "tragt"]
