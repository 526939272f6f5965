"""The 17 national rules of ``spec/regler.md``, one folder per rule family (by source register).

=================  ===============================================  ==========================
folder             rules                                            register
=================  ===============================================  ==========================
``biler/``         bilkoeb, bilsalg, mange_bilhandler               R75 – Biloplysninger
``virksomhed/``    ny_virksomhed, momsindberetning                  CVR, R75 – Momsoplysninger
``indkomst/``      b_indkomst, ny_arbejdsgiver, offentlig_ydelse    eIndkomst
``cpr/``           civilstand, barn_fraflytning, flytning,          CPR
                   doedsfald, borgerstatus, foedsel, barn_doedsfald
``udk/``           underholdsbidrag                                 UDK FA – fagsystem
``atp/``           feriekonto                                       ATP Feriekonto
=================  ===============================================  ==========================

Each folder holds ``regler.py`` (every rule's declaration by keyword beside its SQL body, the
quoted source sentence, the product's reading and its interpretations) and ``tilfaelde.yaml``
(its table-driven cases, run by ``tests/test_regler.py``). Parameters: ``parameters/regler/``.

A body is one SQL query over ``k.anv`` (the applicable case windows: ym_cpr, person_cpr, rolle,
kle, kommunekode, oprettet, vs, ve) and the registers; it returns the columns of
:data:`kontrol_lib.regler.regel.KROP_KOLONNER`, one row per event per applicable window. The
engine keeps one row per event (the case with the lowest KLE, then the latest oprettet).

SQL macros available (defined by the engine): ``sk_kr(beløb)`` Danish money text,
``sk_dk(dato)`` DD-MM-ÅÅÅÅ, ``sk_hvem(rolle)`` 'Ydelsesmodtageren'/'Ægtefællen',
``sk_plus_maaneder(dato, n)`` month arithmetic with month-end fallback, ``sk_ref(cpr)`` a
short pseudonymous reference to another person (children, ex-spouses) for haendelse_id.

haendelse_id is built only from the event's own fields, prefixed by the role of the person
(the YM and the spouse can share an event, e.g. a car bought together), never from D.
"""

from __future__ import annotations

from kontrol_lib.regler.nationale.atp import regler as atp
from kontrol_lib.regler.nationale.biler import regler as biler
from kontrol_lib.regler.nationale.cpr import regler as cpr
from kontrol_lib.regler.nationale.indkomst import regler as indkomst
from kontrol_lib.regler.nationale.udk import regler as udk
from kontrol_lib.regler.nationale.virksomhed import regler as virksomhed
from kontrol_lib.regler.regel import Regel

FAMILIER = {"biler": biler.REGLER, "virksomhed": virksomhed.REGLER, "indkomst": indkomst.REGLER,
            "cpr": cpr.REGLER, "udk": udk.REGLER, "atp": atp.REGLER}

# The order of the catalogue in spec/regler.md (the udfald table, the docs and every list of
# rules follow it).
ORDEN = ("bilkoeb", "bilsalg", "mange_bilhandler", "ny_virksomhed", "b_indkomst", "ny_arbejdsgiver",
         "momsindberetning", "offentlig_ydelse", "civilstand", "barn_fraflytning", "flytning", "doedsfald",
         "borgerstatus", "foedsel", "barn_doedsfald", "underholdsbidrag", "feriekonto")


def _saml() -> dict[str, Regel]:
    alle = [r for regler in FAMILIER.values() for r in regler]
    ider = [r.id for r in alle]
    if sorted(ider) != sorted(ORDEN):
        raise RuntimeError(f"reglerne i familierne {sorted(ider)} svarer ikke til kataloget {sorted(ORDEN)}")
    efter_id = {r.id: r for r in alle}
    return {rid: efter_id[rid] for rid in ORDEN}


REGLER: dict[str, Regel] = _saml()

# rule id → its family folder (kontrol_lib/regler/nationale/<familie>/)
FAMILIE: dict[str, str] = {r.id: navn for navn, regler in FAMILIER.items() for r in regler}
