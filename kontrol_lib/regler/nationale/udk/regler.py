"""Udbetaling Danmark (UDK FA – fagsystem): underholdsbidrag.

The rule's declaration (with the kvikguide's sentence and the product's reading) directly beside
its body. Cases: ``tilfaelde.yaml`` here.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel


def _underholdsbidrag(k: Kontekst) -> str:
    """A maintenance case of the YM created in the vindue, with a role and KLE that the source names."""
    return f"""
    SELECT {A}, b.oprettet AS haendelsesdato,
           a.rolle || '|' || b.rolle || '|' || b.kle || '|' || CAST(b.oprettet AS VARCHAR) AS haendelse_id,
           'Der er oprettet en sag om underholdsbidrag hos Udbetaling Danmark den ' || sk_dk(b.oprettet) || ', hvor '
             || lower(sk_hvem(a.rolle)) || ' er ' || b.rolle || ' (KLE ' || b.kle || ').' AS oplysninger,
           to_json({{'bidragsrolle': b.rolle, 'kle': b.kle, 'oprettet': b.oprettet}}) AS bevis
    FROM {k.anv} a JOIN {k.t('bidragssager')} b ON b.cpr = a.person_cpr
    WHERE b.oprettet {IN_VINDUE}
      AND ((b.rolle = 'bidragsmodtager' AND b.kle IN {k.p('bidrag_modtager_kle')})
           OR (b.rolle = 'bidragsbetaler' AND b.kle IN {k.p('bidrag_betaler_kle')}))
    """


UNDERHOLDSBIDRAG = Regel(
    id="underholdsbidrag",
    titel="Opstart af underholdsbidragssag",
    kilde_afsnit="Opstart af underholdsbidragssag (UDK FA - fagsystem)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) har fået opstartet sag hos UDK om udlæg af "
          "underholdsbidrag i kontrolperioden. Hvis YMs rolle i sagen er bidragsmodtager er der udfald ved særlige "
          "bidrag herunder ægtefællebidrag, fødselsbidrag og bidrag til mors underhold omkring fødsel, dvs. KLE "
          "numrene 32.15.08, 32.15.20 og 32.15.24. Hvis YMs rolle i sagen er bidragsbetaler er der udfald ved "
          "børnebidrag (normalbidrag), KLE nummeret 32.16.04. Denne kontrol udføres KLE numrene 32.24.04, "
          "32.24.32 og 32.24.48.",
    register="bidragssager (UDK)",
    kontroltype="familie",
    ym_kle_parameter="underholdsbidrag_ym_kle",
    aef_kle_parameter=None,
    parametre=("underholdsbidrag_ym_kle", "bidrag_modtager_kle", "bidrag_betaler_kle"),
    tabeller=("bidragssager",),
    semantik="En bidragssager-række for YM med oprettet i vinduet, hvor rollen er bidragsmodtager og KLE er "
             "{bidrag_modtager_kle:eller}, eller rollen er bidragsbetaler og KLE er {bidrag_betaler_kle:eller}.",
    krop=_underholdsbidrag,
)

REGLER = (UNDERHOLDSBIDRAG,)
