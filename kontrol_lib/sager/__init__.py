"""Case store and workflow (``spec/arbejdsgang.md``): an append-only log of transitions in
SQLite or PostgreSQL, the three lists, decisions and the kontrolark. The daily run that fills it
is a job (:mod:`kontrol_lib.jobs.daglig`).

The CLI and the widgets call the same API::

    lager = SagsLager("sqlite:///kontrol.sqlite")
    daglig.koer(data, dato, lager=lager)          # kontrol_lib.jobs.daglig; or koer_udfald(lager, udfald, dato)
    lager.bestillingsliste(fravaelg=["flytning"])
    ids = lager.bestil(5, "anna")
    lager.prioriteringsliste("anna")
    lager.visiter(ids[0], "anna", "partshoering")
    lager.afgoer(ids[0], "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned",
                 besparelse_beloeb=Decimal("1200.00")))
    lager.log()
"""

from kontrol_lib.sager.udstilling import Kilde, Udstilling, udstil_fund
from kontrol_lib.sager.lager import SagsLager, standard_url
from kontrol_lib.sager.grundlag import Beloeb, SagKonflikt

__all__ = ["SagsLager", "Beloeb", "SagKonflikt", "standard_url", "Kilde", "Udstilling", "udstil_fund"]
