"""Local control lists (lokale kontrollister): criteria as data in ``parameters/lister/*.yaml``,
one engine in DuckDB, hits into the case store as kontroltrin 3 cases (kanal
``lokal_kontrolliste``). See ``docs/lister.md``.

    from kontrol_lib.lister import koer_lister, afproev_kriterium, til_sager
    hits = koer_lister("data/", dt.date(2024, 5, 15))            # every list in force
    afproev_kriterium(yaml_tekst, "data/", dt.date(2024, 5, 15))  # the funnel, no cpr
"""

from .betingelser import BETINGELSER
from .model import Liste, ListeFejl, indlaes_lister, laes_liste, laes_tekst
from .motor import HIT_KOLONNER, TRAGT_KOLONNER, afproev_kriterium, koer_lister, opsummering, tragt
from .sager import KANAL, SAG_KOLONNER, til_lager, til_sager

__all__ = ["BETINGELSER", "Liste", "ListeFejl", "indlaes_lister", "laes_liste", "laes_tekst", "HIT_KOLONNER",
           "TRAGT_KOLONNER", "afproev_kriterium", "koer_lister", "opsummering", "tragt", "KANAL", "SAG_KOLONNER",
           "til_lager", "til_sager"]
