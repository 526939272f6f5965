"""Fixed catalogues the generator draws from: the rule applicability of regler.md (read
independently of the samkøring, so that the planted events are a real oracle), KLE numbers,
DB07 branch codes and the shares used for the population."""

from __future__ import annotations

A4 = ("32.24.04", "32.24.10", "32.24.32", "32.24.48")
BIDRAG_KLE = ("32.24.04", "32.24.32", "32.24.48")

# All KLE numbers the generator writes (index = internal code).
KLE = ("32.24.04", "32.24.08", "32.24.10", "32.24.12", "32.24.28", "32.24.30", "32.24.32", "32.24.48",
       "32.18.04", "32.03.08", "32.15.08", "32.15.20", "32.15.24", "32.16.04")
KLE_KODE = {k: i for i, k in enumerate(KLE)}
ALLE = KLE[:8]                      # the bestand (parameter regler.bestand_kle)

# regel -> (KLE set for the YM's own events, KLE set for the spouse's events) — regler.md catalogue
REGEL_KLE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bilkoeb": (A4, A4),
    "bilsalg": (A4, A4),
    "mange_bilhandler": (A4, A4),
    "ny_virksomhed": (ALLE, A4),
    "b_indkomst": (ALLE, A4),
    "ny_arbejdsgiver": (ALLE, A4),
    "momsindberetning": (ALLE, A4),
    "offentlig_ydelse": (ALLE, A4),
    "civilstand": (A4, ()),
    "barn_fraflytning": (ALLE, ALLE),
    "flytning": (ALLE, ()),
    "doedsfald": (ALLE, ()),
    "borgerstatus": (ALLE, ()),
    "foedsel": (ALLE, ()),
    "barn_doedsfald": (ALLE, ()),
    "underholdsbidrag": (BIDRAG_KLE, ()),
    "feriekonto": (ALLE, A4),
}
REGLER = tuple(REGEL_KLE)


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
