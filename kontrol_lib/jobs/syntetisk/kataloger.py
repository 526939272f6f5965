"""Fixed catalogues the generator draws from: the rule applicability of regler.md (read
independently of the samkøring's rule objects, so that the planted events are a real oracle, but
with the KLE sets taken from the same dated parameters, ``parameters/regler/``, at the generation
date), KLE numbers, DB07 branch codes and the shares used for the population."""

from __future__ import annotations

import datetime as dt

from kontrol_lib.parametre import hent

# All KLE numbers the generator writes (index = internal code).
KLE = ("32.24.04", "32.24.08", "32.24.10", "32.24.12", "32.24.28", "32.24.30", "32.24.32", "32.24.48",
       "32.18.04", "32.03.08", "32.15.08", "32.15.20", "32.15.24", "32.16.04")
KLE_KODE = {k: i for i, k in enumerate(KLE)}

# regel -> (parameter of the KLE set for the YM's own events, parameter of the KLE set for the
# spouse's events; None = not checked) — the catalogue of regler.md
REGEL_KLE_PARAMETRE: dict[str, tuple[str, str | None]] = {
    "bilkoeb": ("a4_kle", "a4_kle"),
    "bilsalg": ("a4_kle", "a4_kle"),
    "mange_bilhandler": ("a4_kle", "a4_kle"),
    "ny_virksomhed": ("bestand_kle", "a4_kle"),
    "b_indkomst": ("bestand_kle", "a4_kle"),
    "ny_arbejdsgiver": ("bestand_kle", "a4_kle"),
    "momsindberetning": ("bestand_kle", "a4_kle"),
    "offentlig_ydelse": ("bestand_kle", "a4_kle"),
    "civilstand": ("a4_kle", None),
    "barn_fraflytning": ("bestand_kle", "bestand_kle"),
    "flytning": ("bestand_kle", None),
    "doedsfald": ("bestand_kle", None),
    "borgerstatus": ("bestand_kle", None),
    "foedsel": ("bestand_kle", None),
    "barn_doedsfald": ("bestand_kle", None),
    "underholdsbidrag": ("underholdsbidrag_ym_kle", None),
    "feriekonto": ("bestand_kle", "a4_kle"),
}
REGLER = tuple(REGEL_KLE_PARAMETRE)


def parameter(navn: str, dato: dt.date):
    """The rule parameter ``regler.<navn>`` in force on the generation date."""
    return hent(f"regler.{navn}", dato)


def kle_saet(navn: str | None, dato: dt.date) -> tuple[str, ...]:
    """A KLE set parameter on ``dato`` (None: the empty set)."""
    return () if navn is None else tuple(parameter(navn, dato))


def regel_kle(dato: dt.date) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """regel -> (KLE set for the YM's own events, KLE set for the spouse's events) on ``dato``."""
    return {r: (kle_saet(ym, dato), kle_saet(aef, dato)) for r, (ym, aef) in REGEL_KLE_PARAMETRE.items()}


def a4(dato: dt.date) -> tuple[str, ...]:
    """A4: the KLE numbers many rules (and every spouse rule) are limited to."""
    return kle_saet("a4_kle", dato)


def alle(dato: dt.date) -> tuple[str, ...]:
    """The Bestand-KLE."""
    return kle_saet("bestand_kle", dato)


def bidrag_kle(dato: dt.date) -> tuple[str, ...]:
    """The YM's KLE for which underholdsbidrag applies."""
    return kle_saet("underholdsbidrag_ym_kle", dato)


# Primary KLE of a ydelsesmodtager: share, age range, monthly amount range (kr).
YM_KLE = (
    ("32.24.04", 0.55, (19, 64), (8_000, 17_000)),
    ("32.24.08", 0.03, (19, 64), (500, 6_000)),
    ("32.24.10", 0.08, (20, 55), (6_000, 13_000)),
    ("32.24.12", 0.03, (22, 60), (10_000, 16_000)),
    ("32.24.28", 0.02, (19, 64), (500, 4_000)),
    ("32.24.30", 0.07, (19, 66), (300, 8_000)),
    ("32.24.32", 0.12, (30, 60), (12_000, 17_000)),
    ("32.24.48", 0.10, (35, 66), (15_000, 19_000)),
)
SPORADISK = ("32.24.08", "32.24.28", "32.24.30")     # paid in some months only

# DB07 branch codes (6 digits) of private employers.
BRANCHER_PRIVAT = (
    "471100", "471900", "472100", "561010", "561020", "563000", "812100", "812200", "494100",
    "412000", "432100", "432200", "433200", "781000", "782000", "862100", "862300", "881000",
    "889100", "960210", "462100", "107100", "620100", "631100", "552000", "493200", "801000",
    "829100", "452010", "451120", "475410", "479900", "711200", "702200", "855900", "016100",
)
BRANCHE_KOMMUNE = "841100"          # generel offentlig administration
BRANCHE_UDK = "843000"              # lovpligtig socialsikring (Udbetaling Danmark)
BRANCHE_STAT = "841200"
BRANCHE_AKASSE = "949900"
BRANCHE_PENSION = ("651100", "653000")
BRANCHE_HOSPITAL = "861000"
ANDRE_INDKOMSTTYPER = (2, 3, 7, 9)  # allowed by the contract, ignored by the rules

STATUS_HAENDELSER = ("udrejst", "forsvundet", "inaktiv", "groenland")
