"""ATP (ordningen Feriekonto): feriekonto.

The rule's declaration (with the kvikguide's sentence and the product's reading) directly beside
its body. Cases: ``tilfaelde.yaml`` here.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel


def _feriekonto(k: Kontekst) -> str:
    """One hit per (person, anmodningsdato, foerste_feriedag) in the vindue, with amount and
    expected payment date."""
    return f"""
    SELECT {A}, f.anmodningsdato AS haendelsesdato,
           a.rolle || '|' || CAST(f.anmodningsdato AS VARCHAR) || '|' || CAST(f.foerste_feriedag AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har den ' || sk_dk(f.anmodningsdato) || ' anmodet Feriekonto om feriepenge på '
             || sk_kr(sum(f.beloeb)) || ' med første feriedag ' || sk_dk(f.foerste_feriedag)
             || '; udbetalingen forventes den '
             -- the expected payment dates in date order (a string_agg without order is not stable)
             || array_to_string(list_transform(list_sort(list(DISTINCT f.forventet_udbetaling)), lambda d: sk_dk(d)),
                                ' og ') || '.' AS oplysninger,
           to_json({{'anmodningsdato': f.anmodningsdato, 'foerste_feriedag': f.foerste_feriedag,
                     'beloeb': sk_beloeb(sum(f.beloeb)), 'anmodninger': count(*),
                     'forventet_udbetaling': list(DISTINCT f.forventet_udbetaling ORDER BY f.forventet_udbetaling)}}) AS bevis
    FROM {k.anv} a JOIN {k.t('feriekonto')} f ON f.cpr = a.person_cpr
    WHERE f.anmodningsdato {IN_VINDUE}
    GROUP BY {A}, f.anmodningsdato, f.foerste_feriedag
    """


FERIEKONTO = Regel(
    id="feriekonto",
    titel="Anmodning til Feriekonto",
    kilde_afsnit="Anmodning til Feriekonto (ATP ordningen Feriekonto)",
    kilde="Det kontrolleres, hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har anmodet om "
          "feriepenge fra Feriekonto. Der vil være ét udfald pr. anmodningsdag til en given første feriedag. Det "
          "vil fremgå af udfaldsoplysningerne hvilket beløb, der er blevet anmodet om, samt hvilken dag "
          "udbetalingen forventes at finde sted. Denne kontrol udføres for alle KLE-numre, dog kun for "
          "KLE-numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48 for ÆF vedkommende.",
    register="feriekonto (ATP)",
    kontroltype="indkomst",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle"),
    tabeller=("feriekonto",),
    semantik="En feriekonto-række med anmodningsdato i vinduet; ét udfald pr. (person, anmodningsdato, første "
             "feriedag) med beløb og forventet udbetalingsdato.",
    krop=_feriekonto,
)

REGLER = (FERIEKONTO,)
