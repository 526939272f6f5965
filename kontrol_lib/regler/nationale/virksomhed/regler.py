"""Businesses (CVR) and VAT (R75 – Momsoplysninger): ny_virksomhed, momsindberetning.

Each rule: its declaration (with the kvikguide's sentence, the product's reading and where the
product had to interpret the source) directly beside its body. Cases: ``tilfaelde.yaml`` here.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel


def _ny_virksomhed(k: Kontekst) -> str:
    """A company founded in the vindue: one hit per (person, CVR), at the earliest founding date."""
    return f"""
    SELECT {A}, min(v.stiftelsesdato) AS haendelsesdato,
           a.rolle || '|' || v.cvr AS haendelse_id,
           sk_hvem(a.rolle) || ' har stiftet virksomheden med CVR-nr. ' || v.cvr || ' den '
             || sk_dk(min(v.stiftelsesdato)) || '.' AS oplysninger,
           to_json({{'cvr': v.cvr, 'stiftelsesdato': min(v.stiftelsesdato)}}) AS bevis
    FROM {k.anv} a JOIN {k.t('virksomheder')} v ON v.cpr = a.person_cpr
    WHERE v.stiftelsesdato {IN_VINDUE}
    GROUP BY {A}, v.cvr
    """


NY_VIRKSOMHED = Regel(
    id="ny_virksomhed",
    titel="Ny virksomhed",
    kilde_afsnit="Ny virksomhed (CVR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har stiftet ny "
          "virksomhed. Denne kontrol udføres for alle KLE numre, dog kun for KLE numrene 32.24.04, 32.24.10, "
          "32.24.32 og 32.24.48 for ÆF vedkommende.",
    register="virksomheder (CVR)",
    kontroltype="virksomhed",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle"),
    tabeller=("virksomheder",),
    semantik="En virksomheder-række med stiftelsesdato i vinduet. Ét udfald pr. (person, CVR).",
    krop=_ny_virksomhed,
)


def _momsindberetning(k: Kontekst) -> str:
    """Per (person, CVR, year reported in the vindue): the year's VAT totals add up to other than 0."""
    return f"""
    WITH i AS (
        SELECT {A}, m.cvr, m.aar, max(m.indberetningsdato) AS seneste
        FROM {k.anv} a JOIN {k.t('moms')} m ON m.cpr = a.person_cpr
        WHERE m.indberetningsdato {IN_VINDUE}
        GROUP BY {A}, m.cvr, m.aar),
    s AS (
        SELECT cpr, cvr, aar, sum(beloeb) AS total,
               string_agg('indeks ' || r75_indeks || ': ' || sk_kr(beloeb), ', ' ORDER BY r75_indeks, indberetningsdato) AS felter,
               list({{'r75_indeks': r75_indeks, 'beloeb': sk_beloeb(beloeb), 'indberetningsdato': indberetningsdato}}
                    ORDER BY r75_indeks, indberetningsdato) AS felt_liste
        FROM {k.t('moms')} WHERE r75_indeks IN {k.p('moms_r75_indeks')}
        GROUP BY cpr, cvr, aar)
    SELECT i.ym_cpr, i.person_cpr, i.rolle, i.kle, i.kommunekode, i.oprettet, i.seneste AS haendelsesdato,
           i.rolle || '|' || i.cvr || '|' || i.aar || '|' || CAST(i.seneste AS VARCHAR) AS haendelse_id,
           sk_hvem(i.rolle) || ' har den ' || sk_dk(i.seneste) || ' indberettet moms for CVR-nr. ' || i.cvr
             || ' for ' || i.aar || '; "Moms og afgifter i alt" for året er i alt ' || sk_kr(s.total)
             || ' (' || s.felter || '), dvs. forskellig fra 0.' AS oplysninger,
           to_json({{'cvr': i.cvr, 'aar': i.aar, 'seneste_indberetning_i_vinduet': i.seneste,
                     'sum': sk_beloeb(s.total), 'felter': s.felt_liste}}) AS bevis
    FROM i JOIN s ON s.cpr = i.person_cpr AND s.cvr = i.cvr AND s.aar = i.aar
    WHERE s.total <> 0
    """


MOMSINDBERETNING = Regel(
    id="momsindberetning",
    titel="Momsindberetning",
    kilde_afsnit="Momsindberetning (R75 – Momsoplysninger)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) har indberettet moms for en måned "
          "inden for kontrolperioden for et hvilket som helst CVR-nummer. Mere præcist kontrolleres om summen af "
          "beløbene i felterne \"Moms og afgifter i alt\" for hvert kvartal i indeværende år (R75 indeksnumre "
          "4200501, 4200502, 4200503, 4200504) er forskellig fra 0. Denne kontrol udføres for alle KLE numre, dog "
          "kun for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48 for ÆF vedkommende.",
    register="moms (R75)",
    kontroltype="virksomhed",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle", "moms_r75_indeks"),
    tabeller=("moms",),
    semantik="Pr. (person, CVR, år), hvor året har en række med indberetningsdato i vinduet: summen af beløb over "
             "indeks {moms_r75_indeks:fra_til} for året er ikke 0. Dateret ved den seneste indberetningsdato i "
             "vinduet.",
    fortolkning="\"Indeværende år\" læses som det indberettede år, så en kørsel i januar ikke overser sidste års "
                "fjerde kvartal.",
    krop=_momsindberetning,
)

REGLER = (NY_VIRKSOMHED, MOMSINDBERETNING)
