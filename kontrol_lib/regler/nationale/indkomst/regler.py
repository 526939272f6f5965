"""Income (eIndkomst): b_indkomst, ny_arbejdsgiver, offentlig_ydelse.

Each rule: its declaration (with the kvikguide's sentence, the product's reading and where the
product had to interpret the source) directly beside its body. Cases: ``tilfaelde.yaml`` here.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel, sql_lit


def _b_indkomst(k: Kontekst) -> str:
    """The sum of B-income lines in a case window is more than the limit: one hit per person,
    dated at the latest line."""
    return f"""
    SELECT {A}, max(e.udbetalingsdato) AS haendelsesdato,
           a.rolle || '|' || arg_max(e.indberetter_cvr || '|' || CAST(e.udbetalingsdato AS VARCHAR),
                                     (e.udbetalingsdato, e.indberetter_cvr)) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået B-indkomst (indkomsttype ' || {k.p('b_indkomst_type')} || ') på i alt '
             || sk_kr(sum(e.beloeb)) || ' i perioden ' || sk_dk(a.vs) || '–' || sk_dk(a.ve) || ', mere end '
             || sk_kr({k.p('b_indkomst_graense')}) || ': '
             || string_agg(sk_kr(e.beloeb) || ' fra CVR-nr. ' || e.indberetter_cvr || ' den ' || sk_dk(e.udbetalingsdato),
                           ', ' ORDER BY e.udbetalingsdato, e.indberetter_cvr, e.beloeb) || '.' AS oplysninger,
           to_json({{'sum': sk_beloeb(sum(e.beloeb)),
                     'linjer': list({{'beloeb': sk_beloeb(e.beloeb), 'cvr': e.indberetter_cvr, 'udbetalingsdato': e.udbetalingsdato}}
                                    ORDER BY e.udbetalingsdato, e.indberetter_cvr, e.beloeb)}}) AS bevis
    FROM {k.anv} a JOIN {k.t('eindkomst')} e ON e.cpr = a.person_cpr
    WHERE e.indkomsttype = {k.p('b_indkomst_type')} AND e.udbetalingsdato {IN_VINDUE}
    GROUP BY {A}, a.vs, a.ve
    HAVING sum(e.beloeb) > {k.p('b_indkomst_graense')}
    """


B_INDKOMST = Regel(
    id="b_indkomst",
    titel="B-indkomst",
    kilde_afsnit="B indkomst (eIndkomst)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har fået "
          "indkomst af mere end 500 kr. af type 5 (B-indkomst). Denne kontrol udføres for alle KLE numre, dog kun "
          "for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48 for ÆF vedkommende.",
    register="eindkomst",
    kontroltype="indkomst",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle", "b_indkomst_type", "b_indkomst_graense"),
    tabeller=("eindkomst",),
    semantik="Summen af beløb på indkomsttype {b_indkomst_type}-linjer i vinduet er over {b_indkomst_graense:kr0} "
             "({b_indkomst_graense:kr} giver ikke udfald). Ét udfald pr. person, dateret ved den seneste linje.",
    fortolkning="\"Mere end {b_indkomst_graense:kr0}\" læses som summen af alle B-indkomstlinjer i vinduet (ikke "
                "hver linje for sig).",
    krop=_b_indkomst,
)


def _ny_arbejdsgiver(k: Kontekst) -> str:
    """The latest real salary (per CVR and date, dated <= E) lies in the vindue and comes from
    another employer than the one before it, or more than N days after it, or is the first."""
    brancher = " OR ".join(f"starts_with(branchekode, {sql_lit(str(b))})"
                           for b in k.vaerdi("loen_undtagne_brancher")) or "false"
    return f"""
    WITH loen AS (   -- real salary lines dated <= E of the people the rule applies to
        SELECT cpr, indberetter_cvr AS cvr, udbetalingsdato AS dato, beloeb
        FROM {k.t('eindkomst')}
        WHERE udbetalingsdato <= {k.d(k.kp_slut)}
          AND cpr IN (SELECT person_cpr FROM {k.anv})
          AND (indkomsttype IN {k.p('loen_indkomsttyper')}
               OR (indkomsttype IN {k.p('loen_betingede_indkomsttyper')} AND NOT ({brancher})))),
    grupper AS (     -- lines are added up per (CVR, date); noegle orders (date, CVR) as one
        -- integer (a CVR number is 8 digits; on one date the higher CVR is later), so the two
        -- latest are one integer aggregate, not a join of the lines with the latest (issue 15)
        SELECT cpr, CAST(dato - DATE '1970-01-01' AS BIGINT) * 100000000 + CAST(cvr AS BIGINT) AS noegle,
               sum(beloeb) AS beloeb
        FROM loen GROUP BY ALL),
    top2 AS (        -- per person the latest (date, CVR) and the one before it
        SELECT cpr, max(noegle, 2) AS n, arg_max(beloeb, noegle) AS beloeb FROM grupper GROUP BY cpr),
    dage AS (SELECT cpr, beloeb, n[1] AS n1, n[2] AS n2, CAST(floor(n[1] / 100000000) AS INTEGER) AS d1,
                    CAST(floor(n[2] / 100000000) AS INTEGER) AS d2 FROM top2),
    s AS (
        SELECT cpr, lpad(CAST(n1 - CAST(d1 AS BIGINT) * 100000000 AS VARCHAR), 8, '0') AS cvr,
               CAST(DATE '1970-01-01' + d1 AS DATE) AS dato, beloeb,
               lpad(CAST(n2 - CAST(d2 AS BIGINT) * 100000000 AS VARCHAR), 8, '0') AS f_cvr,
               CAST(DATE '1970-01-01' + d2 AS DATE) AS f_dato
        FROM dage WHERE DATE '1970-01-01' + d1 >= {k.d(k.kp_start)})
    SELECT {A}, s.dato AS haendelsesdato,
           a.rolle || '|' || s.cvr || '|' || CAST(s.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået løn fra CVR-nr. ' || s.cvr || ' den ' || sk_dk(s.dato)
             || ' (' || sk_kr(s.beloeb) || '); '
             || CASE WHEN s.f_cvr IS NULL THEN 'der er ingen tidligere lønudbetaling.'
                     WHEN s.f_cvr <> s.cvr THEN 'den forrige lønudbetaling var fra en anden arbejdsgiver, CVR-nr. '
                          || s.f_cvr || ', den ' || sk_dk(s.f_dato) || ' (' || (s.dato - s.f_dato) || ' dage før).'
                     ELSE 'samme arbejdsgiver udbetalte sidst løn den ' || sk_dk(s.f_dato) || ', '
                          || (s.dato - s.f_dato) || ' dage før (mere end ' || {k.p('ny_arbejdsgiver_dage')} || ' dage).'
                END AS oplysninger,
           to_json({{'cvr': s.cvr, 'udbetalingsdato': s.dato, 'beloeb': sk_beloeb(s.beloeb),
                     'forrige_cvr': s.f_cvr, 'forrige_udbetalingsdato': s.f_dato,
                     'dage_imellem': s.dato - s.f_dato}}) AS bevis
    FROM {k.anv} a JOIN s ON s.cpr = a.person_cpr
    WHERE s.dato {IN_VINDUE}
      AND (s.f_cvr IS NULL OR s.f_cvr <> s.cvr OR s.dato - s.f_dato > {k.p('ny_arbejdsgiver_dage')})
    """


NY_ARBEJDSGIVER = Regel(
    id="ny_arbejdsgiver",
    titel="Ny arbejdsgiver",
    kilde_afsnit="Ny arbejdsgiver (eIndkomst)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har fået løn fra "
          "en ny arbejdsgiver. Mere præcist udsøges seneste to reelle lønudbetalinger, og der er udfald, hvis de "
          "udbetalende arbejdsgivere er forskellige. Ligeledes er der udfald, hvis arbejdsgiveren er den samme, "
          "men der er mere end 60 dage mellem udbetalingerne. Denne kontrol udføres for alle KLE numre, dog kun "
          "for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48 for ÆF vedkommende. NB: Der ønskes reelle "
          "lønudbetalinger så kun indkomsttyper 0 (Lønindkomst) og 4 (Anden personlig indkomst, dog ikke fra "
          "virksomheder med branchekoder indenfor offentlig administration, forsikring og pension) inkluderes.",
    register="eindkomst",
    kontroltype="indkomst",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle", "loen_indkomsttyper", "loen_betingede_indkomsttyper",
               "loen_undtagne_brancher", "ny_arbejdsgiver_dage"),
    tabeller=("eindkomst",),
    semantik="Løn er indkomsttype {loen_indkomsttyper:og} samt {loen_betingede_indkomsttyper:og}, medmindre "
             "branchekoden begynder med {loen_undtagne_brancher:eller}. Linjer lægges sammen pr. (CVR, dato). Af "
             "dem dateret senest ved kontrolperiodens slutning tages de to seneste (samme dato: højeste CVR er "
             "senest). Udfald, hvis den seneste ligger i vinduet, og der ingen tidligere er, eller arbejdsgiverne "
             "er forskellige, eller der er mere end {ny_arbejdsgiver_dage} dage imellem ({ny_arbejdsgiver_dage} "
             "dage er ikke udfald, {ny_arbejdsgiver_dage:plus1} er).",
    fortolkning="Branchekoder for offentlig administration og forsikring og pension læses som DB07-præfikserne "
                "{loen_undtagne_brancher:og}; samme dato ordnes efter CVR; den næste udbetaling fra en ny "
                "arbejdsgiver er ikke en ny hændelse.",
    krop=_ny_arbejdsgiver,
)


def _offentlig_ydelse(k: Kontekst) -> str:
    """A public benefit from a payer that paid the person none in the whole months before the
    kontrolperiode: one hit per new payer (the case chosen here), at its first line."""
    foer_start, foer_slut = k.hele_maaneder_foer(k.kp_start, k.vaerdi("offentlig_ydelse_maaneder"))
    return f"""
    WITH egne AS (   -- the municipalities of the YM's qualifying cases, when their CVR is known
        SELECT DISTINCT s.ym_cpr, km.cvr FROM sk_sager s JOIN sk_kommune_cvr km USING (kommunekode)),
    ydelse AS MATERIALIZED (   -- the lines of the type from the months before to the period's end,
        -- read once for both uses below (the case windows lie in the kontrolperiode; issue 15)
        SELECT cpr, indberetter_cvr, udbetalingsdato, beloeb FROM {k.t('eindkomst')}
        WHERE indkomsttype = {k.p('offentlig_ydelse_type')}
          AND udbetalingsdato BETWEEN {k.d(foer_start)} AND {k.d(k.kp_slut)}),
    linjer AS (
        SELECT {A}, a.vs, a.ve, e.indberetter_cvr AS cvr, e.udbetalingsdato AS dato, e.beloeb
        FROM {k.anv} a JOIN ydelse e ON e.cpr = a.person_cpr
        WHERE e.udbetalingsdato {IN_VINDUE}
          AND NOT EXISTS (SELECT 1 FROM egne g WHERE g.ym_cpr = a.ym_cpr AND g.cvr = e.indberetter_cvr)
          AND NOT EXISTS (SELECT 1 FROM ydelse f
                          WHERE f.cpr = e.cpr AND f.indberetter_cvr = e.indberetter_cvr
                            AND f.udbetalingsdato BETWEEN {k.d(foer_start)} AND {k.d(foer_slut)}))
    SELECT {A}, min(a.dato) AS haendelsesdato,
           a.rolle || '|' || a.cvr || '|' || CAST(min(a.dato) AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået offentlig ydelse (indkomsttype ' || {k.p('offentlig_ydelse_type')}
             || ') fra en ny udbetaler, CVR-nr. ' || a.cvr || ', første gang den ' || sk_dk(min(a.dato)) || ' ('
             || sk_kr(sum(a.beloeb) FILTER (WHERE a.dato = a_first)) || '; i alt ' || sk_kr(sum(a.beloeb)) || ' i perioden '
             || sk_dk(a.vs) || '–' || sk_dk(a.ve) || '), og samme udbetaler udbetalte ingen ydelse '
             || sk_dk({k.d(foer_start)}) || '–' || sk_dk({k.d(foer_slut)}) || '.' AS oplysninger,
           to_json({{'cvr': a.cvr, 'foerste_udbetalingsdato': min(a.dato),
                     'beloeb_foerste_dag': sk_beloeb(sum(a.beloeb) FILTER (WHERE a.dato = a_first)),
                     'i_alt_i_vinduet': sk_beloeb(sum(a.beloeb)), 'linjer_i_vinduet': count(*),
                     'ingen_udbetaling_fra': {k.d(foer_start)}, 'ingen_udbetaling_til': {k.d(foer_slut)}}}) AS bevis
    FROM (SELECT *, min(dato) OVER (PARTITION BY ym_cpr, person_cpr, rolle, kle, kommunekode, oprettet, vs, ve, cvr)
                 AS a_first FROM linjer) a
    GROUP BY {A}, a.vs, a.ve, a.cvr
    -- one hit per new payer: with several applicable case windows (different starts) the first
    -- line differs per window, so the case is chosen here as the engine does for other events
    QUALIFY row_number() OVER (PARTITION BY a.ym_cpr, a.person_cpr, a.cvr
                               ORDER BY a.kle, a.oprettet DESC, a.kommunekode) = 1
    """


OFFENTLIG_YDELSE = Regel(
    id="offentlig_ydelse",
    titel="Ændring i andre offentlige ydelser",
    kilde_afsnit="Ændring i andre offentlige ydelser (eIndkomst)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) har indberettet moms for en måned "
          "inden for kontrolperioden for et hvilket som helst CVR-nummer. Mere præcist kontrolleres om beløbet i "
          "feltet \"Moms og afgifter i alt\" (R75 indeksnummer 4200501) for en given indberetning er forskelligt "
          "fra 0. Denne kontrol udføres for alle KLE numre, dog kun for KLE numrene 32.24.04, 32.24.10, 32.24.32 "
          "og 32.24.48 for ÆF vedkommende.",
    register="eindkomst",
    kontroltype="indkomst",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="a4_kle",
    parametre=("bestand_kle", "a4_kle", "offentlig_ydelse_type", "offentlig_ydelse_maaneder"),
    tabeller=("eindkomst", "kommuner"),
    semantik="Indkomsttype {offentlig_ydelse_type}-linjer i vinduet fra en udbetaler (CVR), der ikke udbetalte "
             "indkomsttype {offentlig_ydelse_type} til personen i de {offentlig_ydelse_maaneder:ord} hele måneder "
             "før kontrolperioden. Linjer fra kommunerne bag YM's kvalificerende sager (kommuner.cvr, når den "
             "kendes) ses bort fra. Ét udfald pr. ny udbetaler, dateret ved dens første linje i vinduet.",
    fortolkning="Kildens tekst er en kopi af momsreglen; reglen er helt produktets fortolkning: en ny udbetaler af "
                "offentlig ydelse (indkomsttype {offentlig_ydelse_type}) i forhold til de "
                "{offentlig_ydelse_maaneder:ord} hele måneder før kontrolperioden.",
    krop=_offentlig_ydelse,
)

REGLER = (B_INDKOMST, NY_ARBEJDSGIVER, OFFENTLIG_YDELSE)
