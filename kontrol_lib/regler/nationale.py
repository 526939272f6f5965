"""The 17 rules of ``spec/regler.md`` as declarative objects with relational bodies.

Each body is one SQL query over ``k.anv`` (the applicable case windows: ym_cpr, person_cpr,
rolle, kle, kommunekode, oprettet, vs, ve) and the registers; it returns the columns of
:data:`.regel.KROP_KOLONNER`, one row per event per applicable window. The engine keeps one row
per event (the case with the lowest KLE, then the latest oprettet).

SQL macros available (defined by the engine): ``sk_kr(beløb)`` Danish money text,
``sk_dk(dato)`` DD-MM-ÅÅÅÅ, ``sk_hvem(rolle)`` 'Ydelsesmodtageren'/'Ægtefællen',
``sk_plus_maaneder(dato, n)`` month arithmetic with month-end fallback, ``sk_ref(cpr)`` a
short pseudonymous reference to another person (children, ex-spouses) for haendelse_id.

haendelse_id is built only from the event's own fields, prefixed by the role of the person
(the YM and the spouse can share an event, e.g. a car bought together), never from D.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, Kontekst, Regel, sql_lit

IN_VINDUE = "BETWEEN a.vs AND a.ve"


# ------------------------------------------------------------------------------ cars
def _bilhandel(handel: str):
    verbum = {"koeb": "købt", "salg": "solgt"}[handel]

    def krop(k: Kontekst) -> str:
        d15 = k.d(k.minus_aar(k.vaerdi("bil_alder_aar")))
        return f"""
        SELECT {A}, b.handelsdato AS haendelsesdato,
               a.rolle || '|' || b.stelnummer || '|' || b.handel || '|' || CAST(b.handelsdato AS VARCHAR) AS haendelse_id,
               sk_hvem(a.rolle) || ' har {verbum} en privatbil (stelnummer ' || b.stelnummer || ') den '
                 || sk_dk(b.handelsdato) || '; bilen blev første gang registreret ' || sk_dk(b.foerste_registrering)
                 || ' og var ' || date_sub('year', b.foerste_registrering, b.handelsdato)
                 || ' år gammel på handelsdagen (grænse: registreret ' || sk_dk({d15}) || ' eller senere); ejer-/brugerkode '
                 || b.ejerbrugerkode || ', R75-indeks ' || b.r75_indeks || '.' AS oplysninger
        FROM {k.anv} a JOIN {k.t('biler')} b ON b.cpr = a.person_cpr
        WHERE b.handel = '{handel}' AND b.handelsdato {IN_VINDUE}
          AND b.foerste_registrering >= {d15}
          AND b.ejerbrugerkode IN {k.p('bil_ejerbrugerkoder')}
          AND b.r75_indeks = {k.p('bil_r75_indeks')}
        """
    return krop


def _mange_bilhandler(k: Kontekst) -> str:
    d15 = k.d(k.minus_aar(k.vaerdi("bil_alder_aar")))
    return f"""
    WITH h AS (
        SELECT a.*, b.stelnummer, b.handel, b.handelsdato, b.foerste_registrering,
               a.rolle || '|' || b.stelnummer || '|' || b.handel || '|' || CAST(b.handelsdato AS VARCHAR) AS hid
        FROM {k.anv} a JOIN {k.t('biler')} b ON b.cpr = a.person_cpr
        WHERE b.handel IN ('koeb', 'salg') AND b.handelsdato {IN_VINDUE}
          AND b.foerste_registrering < {d15}
          AND b.ejerbrugerkode IN {k.p('bil_ejerbrugerkoder')}
          AND b.r75_indeks = {k.p('bil_r75_indeks')})
    SELECT {A}, max(a.handelsdato) AS haendelsesdato,
           arg_max(a.hid, (a.handelsdato, a.stelnummer, a.handel)) AS haendelse_id,
           sk_hvem(a.rolle) || ' har handlet ' || count(*) || ' privatbiler, der blev første gang registreret før '
             || sk_dk({d15}) || ' (mere end ' || {k.p('bil_alder_aar')} || ' år før kørselsdatoen), i perioden ' || sk_dk(a.vs) || '–' || sk_dk(a.ve) || ': '
             || string_agg(CASE a.handel WHEN 'koeb' THEN 'køb' ELSE 'salg' END || ' ' || sk_dk(a.handelsdato)
                           || ' (stelnummer ' || a.stelnummer || ', registreret ' || sk_dk(a.foerste_registrering) || ')',
                           ', ' ORDER BY a.handelsdato, a.stelnummer, a.handel) || '.' AS oplysninger
    FROM h a
    GROUP BY {A}, a.vs, a.ve
    HAVING count(*) >= {k.p('mange_bilhandler_antal')}
    """


# ------------------------------------------------------------------------------ CVR / moms
def _ny_virksomhed(k: Kontekst) -> str:
    return f"""
    SELECT {A}, min(v.stiftelsesdato) AS haendelsesdato,
           a.rolle || '|' || v.cvr AS haendelse_id,
           sk_hvem(a.rolle) || ' har stiftet virksomheden med CVR-nr. ' || v.cvr || ' den '
             || sk_dk(min(v.stiftelsesdato)) || '.' AS oplysninger
    FROM {k.anv} a JOIN {k.t('virksomheder')} v ON v.cpr = a.person_cpr
    WHERE v.stiftelsesdato {IN_VINDUE}
    GROUP BY {A}, v.cvr
    """


def _momsindberetning(k: Kontekst) -> str:
    return f"""
    WITH i AS (
        SELECT {A}, m.cvr, m.aar, max(m.indberetningsdato) AS seneste
        FROM {k.anv} a JOIN {k.t('moms')} m ON m.cpr = a.person_cpr
        WHERE m.indberetningsdato {IN_VINDUE}
        GROUP BY {A}, m.cvr, m.aar),
    s AS (
        SELECT cpr, cvr, aar, sum(beloeb) AS total,
               string_agg('indeks ' || r75_indeks || ': ' || sk_kr(beloeb), ', ' ORDER BY r75_indeks, indberetningsdato) AS felter
        FROM {k.t('moms')} WHERE r75_indeks IN {k.p('moms_r75_indeks')}
        GROUP BY cpr, cvr, aar)
    SELECT i.ym_cpr, i.person_cpr, i.rolle, i.kle, i.kommunekode, i.oprettet, i.seneste AS haendelsesdato,
           i.rolle || '|' || i.cvr || '|' || i.aar || '|' || CAST(i.seneste AS VARCHAR) AS haendelse_id,
           sk_hvem(i.rolle) || ' har den ' || sk_dk(i.seneste) || ' indberettet moms for CVR-nr. ' || i.cvr
             || ' for ' || i.aar || '; "Moms og afgifter i alt" for året er i alt ' || sk_kr(s.total)
             || ' (' || s.felter || '), dvs. forskellig fra 0.' AS oplysninger
    FROM i JOIN s ON s.cpr = i.person_cpr AND s.cvr = i.cvr AND s.aar = i.aar
    WHERE s.total <> 0
    """


# ------------------------------------------------------------------------------ eIndkomst
def _b_indkomst(k: Kontekst) -> str:
    return f"""
    SELECT {A}, max(e.udbetalingsdato) AS haendelsesdato,
           a.rolle || '|' || arg_max(e.indberetter_cvr || '|' || CAST(e.udbetalingsdato AS VARCHAR),
                                     (e.udbetalingsdato, e.indberetter_cvr)) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået B-indkomst (indkomsttype ' || {k.p('b_indkomst_type')} || ') på i alt '
             || sk_kr(sum(e.beloeb)) || ' i perioden ' || sk_dk(a.vs) || '–' || sk_dk(a.ve) || ', mere end '
             || sk_kr({k.p('b_indkomst_graense')}) || ': '
             || string_agg(sk_kr(e.beloeb) || ' fra CVR-nr. ' || e.indberetter_cvr || ' den ' || sk_dk(e.udbetalingsdato),
                           ', ' ORDER BY e.udbetalingsdato, e.indberetter_cvr, e.beloeb) || '.' AS oplysninger
    FROM {k.anv} a JOIN {k.t('eindkomst')} e ON e.cpr = a.person_cpr
    WHERE e.indkomsttype = {k.p('b_indkomst_type')} AND e.udbetalingsdato {IN_VINDUE}
    GROUP BY {A}, a.vs, a.ve
    HAVING sum(e.beloeb) > {k.p('b_indkomst_graense')}
    """


def _ny_arbejdsgiver(k: Kontekst) -> str:
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
    seneste AS (     -- the latest (date, CVR): on one date the higher CVR is later
        SELECT cpr, max(dato) AS dato, arg_max(cvr, (dato, cvr)) AS cvr FROM loen GROUP BY cpr),
    i_perioden AS (SELECT * FROM seneste WHERE dato >= {k.d(k.kp_start)}),
    forrige AS (     -- the latest (date, CVR) before it
        SELECT l.cpr, max(l.dato) AS dato, arg_max(l.cvr, (l.dato, l.cvr)) AS cvr
        FROM loen l JOIN i_perioden s ON s.cpr = l.cpr
        WHERE l.dato < s.dato OR (l.dato = s.dato AND l.cvr < s.cvr)
        GROUP BY l.cpr),
    s AS (           -- lines are added up per (CVR, date)
        SELECT s.cpr, s.cvr, s.dato, sum(l.beloeb) AS beloeb, any_value(f.cvr) AS f_cvr, any_value(f.dato) AS f_dato
        FROM i_perioden s JOIN loen l ON l.cpr = s.cpr AND l.dato = s.dato AND l.cvr = s.cvr
             LEFT JOIN forrige f ON f.cpr = s.cpr
        GROUP BY s.cpr, s.cvr, s.dato)
    SELECT {A}, s.dato AS haendelsesdato,
           a.rolle || '|' || s.cvr || '|' || CAST(s.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået løn fra CVR-nr. ' || s.cvr || ' den ' || sk_dk(s.dato)
             || ' (' || sk_kr(s.beloeb) || '); '
             || CASE WHEN s.f_cvr IS NULL THEN 'der er ingen tidligere lønudbetaling.'
                     WHEN s.f_cvr <> s.cvr THEN 'den forrige lønudbetaling var fra en anden arbejdsgiver, CVR-nr. '
                          || s.f_cvr || ', den ' || sk_dk(s.f_dato) || ' (' || (s.dato - s.f_dato) || ' dage før).'
                     ELSE 'samme arbejdsgiver udbetalte sidst løn den ' || sk_dk(s.f_dato) || ', '
                          || (s.dato - s.f_dato) || ' dage før (mere end ' || {k.p('ny_arbejdsgiver_dage')} || ' dage).'
                END AS oplysninger
    FROM {k.anv} a JOIN s ON s.cpr = a.person_cpr
    WHERE s.dato {IN_VINDUE}
      AND (s.f_cvr IS NULL OR s.f_cvr <> s.cvr OR s.dato - s.f_dato > {k.p('ny_arbejdsgiver_dage')})
    """


def _offentlig_ydelse(k: Kontekst) -> str:
    foer_start, foer_slut = k.hele_maaneder_foer(k.kp_start, k.vaerdi("offentlig_ydelse_maaneder"))
    return f"""
    WITH egne AS (   -- the municipalities of the YM's qualifying cases, when their CVR is known
        SELECT DISTINCT s.ym_cpr, km.cvr FROM sk_sager s JOIN sk_kommune_cvr km USING (kommunekode)),
    linjer AS (
        SELECT {A}, a.vs, a.ve, e.indberetter_cvr AS cvr, e.udbetalingsdato AS dato, e.beloeb
        FROM {k.anv} a JOIN {k.t('eindkomst')} e ON e.cpr = a.person_cpr
        WHERE e.indkomsttype = {k.p('offentlig_ydelse_type')} AND e.udbetalingsdato {IN_VINDUE}
          AND NOT EXISTS (SELECT 1 FROM egne g WHERE g.ym_cpr = a.ym_cpr AND g.cvr = e.indberetter_cvr)
          AND NOT EXISTS (SELECT 1 FROM {k.t('eindkomst')} f
                          WHERE f.cpr = e.cpr AND f.indberetter_cvr = e.indberetter_cvr
                            AND f.indkomsttype = {k.p('offentlig_ydelse_type')}
                            AND f.udbetalingsdato BETWEEN {k.d(foer_start)} AND {k.d(foer_slut)}))
    SELECT {A}, min(a.dato) AS haendelsesdato,
           a.rolle || '|' || a.cvr || '|' || CAST(min(a.dato) AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har fået offentlig ydelse (indkomsttype ' || {k.p('offentlig_ydelse_type')}
             || ') fra en ny udbetaler, CVR-nr. ' || a.cvr || ', første gang den ' || sk_dk(min(a.dato)) || ' ('
             || sk_kr(sum(a.beloeb) FILTER (WHERE a.dato = a_first)) || '; i alt ' || sk_kr(sum(a.beloeb)) || ' i perioden '
             || sk_dk(a.vs) || '–' || sk_dk(a.ve) || '), og samme udbetaler udbetalte ingen ydelse '
             || sk_dk({k.d(foer_start)}) || '–' || sk_dk({k.d(foer_slut)}) || '.' AS oplysninger
    FROM (SELECT *, min(dato) OVER (PARTITION BY ym_cpr, person_cpr, rolle, kle, kommunekode, oprettet, vs, ve, cvr)
                 AS a_first FROM linjer) a
    GROUP BY {A}, a.vs, a.ve, a.cvr
    -- one hit per new payer: with several applicable case windows (different starts) the first
    -- line differs per window, so the case is chosen here as the engine does for other events
    QUALIFY row_number() OVER (PARTITION BY a.ym_cpr, a.person_cpr, a.cvr
                               ORDER BY a.kle, a.oprettet DESC, a.kommunekode) = 1
    """


# ------------------------------------------------------------------------------ CPR: family
CIVILSTAND_TEKST = "CASE c.haendelse WHEN 'vielse' THEN 'vielse' WHEN 'skilsmisse' THEN 'skilsmisse' " \
                   "WHEN 'separation' THEN 'separation' ELSE 'enkestand' END"


def _civilstand(k: Kontekst) -> str:
    n = k.p("separation_ophaevet_maaneder")
    return f"""
    SELECT {A}, c.dato AS haendelsesdato,
           a.rolle || '|' || c.haendelse || '|' || CAST(c.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || 's civilstand er ændret: ' || {CIVILSTAND_TEKST} || ' den ' || sk_dk(c.dato) || '.'
             AS oplysninger
    FROM {k.anv} a JOIN {k.t('civilstand')} c ON c.cpr = a.person_cpr
    WHERE c.dato {IN_VINDUE}
    UNION ALL
    SELECT {A}, sk_plus_maaneder(c.dato, {n}) AS haendelsesdato,
           a.rolle || '|separation_ophaevet|' || CAST(c.dato AS VARCHAR) || '|' || sk_ref(c.aegtefaelle_cpr) AS haendelse_id,
           sk_hvem(a.rolle) || ' blev separeret den ' || sk_dk(c.dato) || ', men bor stadig på samme adresse som ægtefællen den '
             || sk_dk(sk_plus_maaneder(c.dato, {n})) || ', ' || {n}
             || ' måneder efter, og der er ingen skilsmisse; separationen anses for ophævet.' AS oplysninger
    FROM {k.anv} a JOIN {k.t('civilstand')} c ON c.cpr = a.person_cpr
    WHERE c.haendelse = 'separation'
      AND sk_plus_maaneder(c.dato, {n}) {IN_VINDUE}
      AND sk_plus_maaneder(c.dato, {n}) <= {k.D}
      AND NOT EXISTS (SELECT 1 FROM {k.t('civilstand')} x
                      WHERE x.cpr = c.cpr AND x.haendelse = 'skilsmisse' AND x.dato > c.dato)
      AND EXISTS (SELECT 1 FROM {k.t('adresser')} y JOIN {k.t('adresser')} z ON z.adresse_id = y.adresse_id
                  WHERE y.cpr = c.cpr AND z.cpr = c.aegtefaelle_cpr
                    AND y.fra_dato <= sk_plus_maaneder(c.dato, {n}) AND coalesce(y.til_dato, DATE '9999-12-31') >= sk_plus_maaneder(c.dato, {n})
                    AND z.fra_dato <= sk_plus_maaneder(c.dato, {n}) AND coalesce(z.til_dato, DATE '9999-12-31') >= sk_plus_maaneder(c.dato, {n}))
    """


def _barn_fraflytning(k: Kontekst) -> str:
    return f"""
    WITH boern AS (
        SELECT DISTINCT r.cpr AS foraelder, r.barn_cpr AS barn, pb.foedselsdato, pb.doedsdato
        FROM {k.t('relationer')} r JOIN {k.t('personer')} pb ON pb.cpr = r.barn_cpr
        WHERE r.cpr IN (SELECT person_cpr FROM {k.anv})),
    sammen AS (   -- the periods parent and child share an address
        SELECT b.foraelder, b.barn,
               greatest(x.fra_dato, y.fra_dato) AS fra,
               least(coalesce(x.til_dato, DATE '9999-12-31'), coalesce(y.til_dato, DATE '9999-12-31')) AS til
        FROM boern b JOIN {k.t('adresser')} x ON x.cpr = b.foraelder
                     JOIN {k.t('adresser')} y ON y.cpr = b.barn AND y.adresse_id = x.adresse_id
        WHERE greatest(x.fra_dato, y.fra_dato)
              <= least(coalesce(x.til_dato, DATE '9999-12-31'), coalesce(y.til_dato, DATE '9999-12-31'))),
    ophoer AS (   -- day d: shared on d - 1, not on d
        SELECT DISTINCT s.foraelder, s.barn, CAST(s.til + 1 AS DATE) AS d
        FROM sammen s
        WHERE s.til < DATE '9999-12-31'
          AND NOT EXISTS (SELECT 1 FROM sammen t WHERE t.foraelder = s.foraelder AND t.barn = s.barn
                          AND t.fra <= s.til + 1 AND t.til >= s.til + 1))
    SELECT {A}, o.d AS haendelsesdato,
           a.rolle || '|' || sk_ref(o.barn) || '|' || CAST(o.d AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' og barnet født ' || sk_dk(b.foedselsdato) || ' boede på samme adresse den '
             || sk_dk(CAST(o.d - 1 AS DATE)) || ', men ikke den ' || sk_dk(o.d) || '; barnet var da '
             || date_sub('year', b.foedselsdato, o.d) || ' år (under ' || {k.p('barn_aldersgraense')} || ').' AS oplysninger
    FROM {k.anv} a
         JOIN ophoer o ON o.foraelder = a.person_cpr
         JOIN boern b ON b.foraelder = o.foraelder AND b.barn = o.barn
         LEFT JOIN {k.t('personer')} pp ON pp.cpr = a.person_cpr
    WHERE o.d {IN_VINDUE}
      AND o.d < sk_plus_maaneder(b.foedselsdato, 12 * {k.p('barn_aldersgraense')})
      AND (b.doedsdato IS NULL OR b.doedsdato > o.d)
      AND (pp.doedsdato IS NULL OR pp.doedsdato > o.d)
    """


def _flytning(k: Kontekst) -> str:
    return f"""
    WITH r AS (
        SELECT cpr, adresse_id, kommunekode, fra_dato,
               lag(adresse_id) OVER (PARTITION BY cpr ORDER BY fra_dato, adresse_id) AS forrige
        FROM {k.t('adresser')} WHERE cpr IN (SELECT person_cpr FROM {k.anv}))
    SELECT {A}, r.fra_dato AS haendelsesdato,
           a.rolle || '|' || r.adresse_id || '|' || CAST(r.fra_dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' er flyttet den ' || sk_dk(r.fra_dato) || ' fra adresse ' || r.forrige
             || ' til adresse ' || r.adresse_id || ' (kommune ' || r.kommunekode || ').' AS oplysninger
    FROM {k.anv} a JOIN r ON r.cpr = a.person_cpr
    WHERE r.fra_dato {IN_VINDUE} AND r.forrige IS NOT NULL AND r.adresse_id <> r.forrige
    """


def _doedsfald(k: Kontekst) -> str:
    return f"""
    SELECT {A}, p.doedsdato AS haendelsesdato, a.rolle || '|' || CAST(p.doedsdato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' er død den ' || sk_dk(p.doedsdato) || '.' AS oplysninger
    FROM {k.anv} a JOIN {k.t('personer')} p ON p.cpr = a.person_cpr
    WHERE p.doedsdato {IN_VINDUE}
    """


STATUS_TEKST = ("CASE s.status WHEN 'udrejst' THEN 'udrejst' WHEN 'groenland' THEN 'bopæl i Grønland' "
                "WHEN 'inaktiv' THEN 'inaktiv (uden bopæl)' WHEN 'forsvundet' THEN 'forsvundet' "
                "WHEN 'cpr_aendret' THEN 'ændret personnummer' WHEN 'cpr_annulleret' THEN 'annulleret personnummer' "
                "ELSE 'slettet personnummer' END")


def _borgerstatus(k: Kontekst) -> str:
    return f"""
    SELECT {A}, s.dato AS haendelsesdato, a.rolle || '|' || s.status || '|' || CAST(s.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || 's borgerstatus er ændret til ' || {STATUS_TEKST} || ' den ' || sk_dk(s.dato) || '.'
             AS oplysninger
    FROM {k.anv} a JOIN {k.t('borgerstatus')} s ON s.cpr = a.person_cpr
    WHERE s.dato {IN_VINDUE}
    """


def _barn_haendelse(felt: str):
    def krop(k: Kontekst) -> str:
        tekst = ("' har fået et barn, født den ' || sk_dk(c.foedselsdato)" if felt == "foedselsdato" else
                 "'s barn, født ' || sk_dk(c.foedselsdato) || ', er død den ' || sk_dk(c.doedsdato)")
        return f"""
        SELECT DISTINCT {A}, c.{felt} AS haendelsesdato,
               a.rolle || '|' || sk_ref(c.cpr) || '|' || CAST(c.{felt} AS VARCHAR) AS haendelse_id,
               sk_hvem(a.rolle) || {tekst} || '.' AS oplysninger
        FROM {k.anv} a JOIN {k.t('relationer')} r ON r.cpr = a.person_cpr
             JOIN {k.t('personer')} c ON c.cpr = r.barn_cpr
        WHERE c.{felt} {IN_VINDUE}
        """
    return krop


def _underholdsbidrag(k: Kontekst) -> str:
    return f"""
    SELECT {A}, b.oprettet AS haendelsesdato,
           a.rolle || '|' || b.rolle || '|' || b.kle || '|' || CAST(b.oprettet AS VARCHAR) AS haendelse_id,
           'Der er oprettet en sag om underholdsbidrag hos Udbetaling Danmark den ' || sk_dk(b.oprettet) || ', hvor '
             || lower(sk_hvem(a.rolle)) || ' er ' || b.rolle || ' (KLE ' || b.kle || ').' AS oplysninger
    FROM {k.anv} a JOIN {k.t('bidragssager')} b ON b.cpr = a.person_cpr
    WHERE b.oprettet {IN_VINDUE}
      AND ((b.rolle = 'bidragsmodtager' AND b.kle IN {k.p('bidrag_modtager_kle')})
           OR (b.rolle = 'bidragsbetaler' AND b.kle IN {k.p('bidrag_betaler_kle')}))
    """


def _feriekonto(k: Kontekst) -> str:
    return f"""
    SELECT {A}, f.anmodningsdato AS haendelsesdato,
           a.rolle || '|' || CAST(f.anmodningsdato AS VARCHAR) || '|' || CAST(f.foerste_feriedag AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' har den ' || sk_dk(f.anmodningsdato) || ' anmodet Feriekonto om feriepenge på '
             || sk_kr(sum(f.beloeb)) || ' med første feriedag ' || sk_dk(f.foerste_feriedag)
             || '; udbetalingen forventes den '
             || string_agg(DISTINCT sk_dk(f.forventet_udbetaling), ' og ') || '.' AS oplysninger
    FROM {k.anv} a JOIN {k.t('feriekonto')} f ON f.cpr = a.person_cpr
    WHERE f.anmodningsdato {IN_VINDUE}
    GROUP BY {A}, f.anmodningsdato, f.foerste_feriedag
    """


# ------------------------------------------------------------------------------ the catalogue
_BIL_KILDE = ("Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har {v} en "
              "bil med første registreringsdato for højst 15 år siden. Derudover kontrolleres det, at bilen er "
              "registreret med ejerbrugerkode 2, 3, 6 eller 9, samt at bilen er registreret som privatbil med R75 "
              "indeks 7500100. Denne kontrol udføres for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48.")
_AEF_A4 = ("Denne kontrol udføres for alle KLE numre, dog kun for KLE numrene 32.24.04, 32.24.10, 32.24.32 og "
           "32.24.48 for ÆF vedkommende.")
_BIL_PAR = ("a4_kle", "bil_alder_aar", "bil_ejerbrugerkoder", "bil_r75_indeks")

_LISTE = [
    Regel("bilkoeb", "Bilkøb", "Bilkøb (R75 – Biloplysninger)", _BIL_KILDE.format(v="købt"), "biler (R75)",
          "formue", "a4_kle", "a4_kle", _BIL_PAR, ("biler",),
          "En biler-række med handel = koeb og handelsdato i vinduet, første registrering på eller efter "
          "D − 15 år, ejer-/brugerkode 2, 3, 6 eller 9 og R75-indeks 7500100. Ét udfald pr. række.",
          _bilhandel("koeb"),
          "\"Højst 15 år siden\" regnes fra kørselsdatoen D (ikke handelsdatoen): første registrering ≥ D − 15 år."),
    Regel("bilsalg", "Bilsalg", "Bilsalg (R75 – Biloplysninger)", _BIL_KILDE.format(v="solgt"), "biler (R75)",
          "formue", "a4_kle", "a4_kle", _BIL_PAR, ("biler",),
          "Som bilkøb, men handel = salg.", _bilhandel("salg"),
          "\"Højst 15 år siden\" regnes fra kørselsdatoen D (ikke handelsdatoen): første registrering ≥ D − 15 år."),
    Regel("mange_bilhandler", "Mange bilhandler", "Mange bilhandler (R75 – Biloplysninger)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har købt eller "
          "solgt en bil med første registreringsdato for mere end 15 år siden mindst tre gange. Derudover "
          "kontrolleres det, at bilerne er registrerede med ejerbrugerkode 2, 3, 6 eller 9, samt at bilerne er "
          "registrerede som privatbiler med R75 indeks 7500100. Denne kontrol udføres for KLE numrene 32.24.04, "
          "32.24.10, 32.24.32 og 32.24.48.", "biler (R75)", "formue", "a4_kle", "a4_kle",
          _BIL_PAR + ("mange_bilhandler_antal",), ("biler",),
          "Mindst 3 handler (køb eller salg) i vinduet med første registrering før D − 15 år og samme filter på "
          "ejer-/brugerkode og indeks. Ét udfald pr. person, dateret ved den seneste af handlerne.",
          _mange_bilhandler,
          "Antallet tælles inden for hver anvendelig sags vindue; udfaldet dateres og nøgles ved den seneste handel."),
    Regel("ny_virksomhed", "Ny virksomhed", "Ny virksomhed (CVR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har stiftet ny "
          "virksomhed. " + _AEF_A4, "virksomheder (CVR)", "virksomhed", "bestand_kle", "a4_kle",
          ("bestand_kle", "a4_kle"), ("virksomheder",),
          "En virksomheder-række med stiftelsesdato i vinduet. Ét udfald pr. (person, CVR).", _ny_virksomhed),
    Regel("b_indkomst", "B-indkomst", "B indkomst (eIndkomst)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har fået "
          "indkomst af mere end 500 kr. af type 5 (B-indkomst). " + _AEF_A4, "eindkomst", "indkomst",
          "bestand_kle", "a4_kle", ("bestand_kle", "a4_kle", "b_indkomst_type", "b_indkomst_graense"),
          ("eindkomst",),
          "Summen af beløb på indkomsttype 5-linjer i vinduet er over 500 kr. (500,00 kr. giver ikke udfald). Ét "
          "udfald pr. person, dateret ved den seneste linje.", _b_indkomst,
          "\"Mere end 500 kr.\" læses som summen af alle B-indkomstlinjer i vinduet (ikke hver linje for sig)."),
    Regel("ny_arbejdsgiver", "Ny arbejdsgiver", "Ny arbejdsgiver (eIndkomst)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har fået løn fra "
          "en ny arbejdsgiver. Mere præcist udsøges seneste to reelle lønudbetalinger, og der er udfald, hvis de "
          "udbetalende arbejdsgivere er forskellige. Ligeledes er der udfald, hvis arbejdsgiveren er den samme, "
          "men der er mere end 60 dage mellem udbetalingerne. " + _AEF_A4 + " NB: Der ønskes reelle "
          "lønudbetalinger så kun indkomsttyper 0 (Lønindkomst) og 4 (Anden personlig indkomst, dog ikke fra "
          "virksomheder med branchekoder indenfor offentlig administration, forsikring og pension) inkluderes.",
          "eindkomst", "indkomst", "bestand_kle", "a4_kle",
          ("bestand_kle", "a4_kle", "loen_indkomsttyper", "loen_betingede_indkomsttyper",
           "loen_undtagne_brancher", "ny_arbejdsgiver_dage"), ("eindkomst",),
          "Løn er indkomsttype 0 samt 4, medmindre branchekoden begynder med 84 eller 65. Linjer lægges sammen "
          "pr. (CVR, dato). Af dem dateret senest ved kontrolperiodens slutning tages de to seneste (samme dato: "
          "højeste CVR er senest). Udfald, hvis den seneste ligger i vinduet, og der ingen tidligere er, eller "
          "arbejdsgiverne er forskellige, eller der er mere end 60 dage imellem (60 dage er ikke udfald, 61 er).",
          _ny_arbejdsgiver,
          "Branchekoder for offentlig administration og forsikring og pension læses som DB07-præfikserne 84 og 65; "
          "samme dato ordnes efter CVR; den næste udbetaling fra en ny arbejdsgiver er ikke en ny hændelse."),
    Regel("momsindberetning", "Momsindberetning", "Momsindberetning (R75 – Momsoplysninger)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) har indberettet moms for en måned "
          "inden for kontrolperioden for et hvilket som helst CVR-nummer. Mere præcist kontrolleres om summen af "
          "beløbene i felterne \"Moms og afgifter i alt\" for hvert kvartal i indeværende år (R75 indeksnumre "
          "4200501, 4200502, 4200503, 4200504) er forskellig fra 0. " + _AEF_A4, "moms (R75)", "virksomhed",
          "bestand_kle", "a4_kle", ("bestand_kle", "a4_kle", "moms_r75_indeks"), ("moms",),
          "Pr. (person, CVR, år), hvor året har en række med indberetningsdato i vinduet: summen af beløb over "
          "indeks 4200501–4200504 for året er ikke 0. Dateret ved den seneste indberetningsdato i vinduet.",
          _momsindberetning,
          "\"Indeværende år\" læses som det indberettede år, så en kørsel i januar ikke overser sidste års "
          "fjerde kvartal."),
    Regel("offentlig_ydelse", "Ændring i andre offentlige ydelser",
          "Ændring i andre offentlige ydelser (eIndkomst)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) har indberettet moms for en måned "
          "inden for kontrolperioden for et hvilket som helst CVR-nummer. Mere præcist kontrolleres om beløbet i "
          "feltet \"Moms og afgifter i alt\" (R75 indeksnummer 4200501) for en given indberetning er forskelligt "
          "fra 0. " + _AEF_A4, "eindkomst", "indkomst", "bestand_kle", "a4_kle",
          ("bestand_kle", "a4_kle", "offentlig_ydelse_type", "offentlig_ydelse_maaneder"), ("eindkomst", "kommuner"),
          "Indkomsttype 1-linjer i vinduet fra en udbetaler (CVR), der ikke udbetalte indkomsttype 1 til personen "
          "i de tre hele måneder før kontrolperioden. Linjer fra kommunerne bag YM's kvalificerende sager "
          "(kommuner.cvr, når den kendes) ses bort fra. Ét udfald pr. ny udbetaler, dateret ved dens første linje "
          "i vinduet.", _offentlig_ydelse,
          "Kildens tekst er en kopi af momsreglen; reglen er helt produktets fortolkning: en ny udbetaler af "
          "offentlig ydelse (indkomsttype 1) i forhold til de tre hele måneder før kontrolperioden."),
    Regel("civilstand", "Ændring af civilstand", "Ændringer af civilstand (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) har ændret civilstand i kontrolperioden. "
          "Civilstandsændringer inkluderer indgåelse af ægteskab, skilsmisse, separation eller være blevet "
          "enke(mand). Der er også udfald tre måneder efter en separation, hvis YM og ÆF stadig bor sammen, i "
          "hvilket tilfælde separationen opfattes som ophævet. Denne kontrol udføres for KLE numrene 32.24.04, "
          "32.24.10, 32.24.32 og 32.24.48.", "civilstand, adresser", "familie", "a4_kle", None,
          ("a4_kle", "separation_ophaevet_maaneder"), ("civilstand", "adresser"),
          "En civilstand-række for YM i vinduet. Desuden: en separation dateret s uden senere skilsmisse, hvor "
          "t = s + 3 måneder ligger i vinduet, t ≤ D, og YM og den ægtefælle deler adresse den t: udfald dateret t.",
          _civilstand,
          "\"Tre måneder efter\" er dagen t = s + 3 måneder (månedens sidste dag, hvis dagen ikke findes); "
          "\"stadig bor sammen\" prøves den dag; t må ikke ligge efter kørselsdatoen."),
    Regel("barn_fraflytning", "Barn flytter hjemmefra", "Barn flytter hjemmefra (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) er ophørt med at dele adresse med "
          "sit barn under 18 år i kontrolperioden. Denne kontrol udføres for alle KLE numre.",
          "relationer, adresser, personer", "flytning", "bestand_kle", "bestand_kle",
          ("bestand_kle", "barn_aldersgraense"), ("relationer", "adresser", "personer"),
          "YM eller ÆF og et barn (relationer, med en personer-række) delte adresse dagen d − 1 og ikke dagen d, "
          "d i vinduet, barnet under 18 år den d (ikke på eller efter 18-årsdagen), forælder og barn i live den d. "
          "Det tæller, uanset hvem af dem der flytter.", _barn_fraflytning,
          "Hændelsesdatoen er den første dag, de ikke længere deler adresse; at dele adresse betyder samme "
          "adresse_id samme dag; kilden siger ikke, hvem der flytter, så begge tæller."),
    Regel("flytning", "Flytning", "Flytning (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) er flyttet i kontrolperioden. Denne kontrol udføres for "
          "alle KLE numre.", "adresser", "flytning", "bestand_kle", None, ("bestand_kle",), ("adresser",),
          "En adresser-række for YM med fra_dato i vinduet, hvis adresse_id er en anden end YM's forrige "
          "adresserækkes (ordnet efter fra_dato; den første række er aldrig en flytning).", _flytning),
    Regel("doedsfald", "Borger dør", "Borger dør (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) er afdøet ved døden i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.", "personer", "status", "bestand_kle", None, ("bestand_kle",), ("personer",),
          "YM's dødsdato i vinduet.", _doedsfald),
    Regel("borgerstatus", "Borger ændrer borgerstatus", "Borger ændrer borgerstatus (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) har ændret borgerstatus i kontrolperioden. "
          "Borgerstatusser inkluderer udrejst, bopæl i Grønland, inaktiv (uden bopæl), forsvundet og "
          "ændret/annulleret/slettet personnummer. Denne kontrol udføres for alle KLE numre.", "borgerstatus",
          "status", "bestand_kle", None, ("bestand_kle",), ("borgerstatus",),
          "En borgerstatus-række for YM i vinduet.", _borgerstatus),
    Regel("foedsel", "Fødsel", "Fødsel (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) har fået et barn i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.", "relationer, personer", "familie", "bestand_kle", None, ("bestand_kle",),
          ("relationer", "personer"), "Et barn af YM med fødselsdato i vinduet.", _barn_haendelse("foedselsdato")),
    Regel("barn_doedsfald", "Barn afdøet ved døden", "Barn afdøet ved døden (CPR)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) har mistet et barn i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.", "relationer, personer", "familie", "bestand_kle", None, ("bestand_kle",),
          ("relationer", "personer"), "Et barn af YM med dødsdato i vinduet.", _barn_haendelse("doedsdato")),
    Regel("underholdsbidrag", "Opstart af underholdsbidragssag", "Opstart af underholdsbidragssag (UDK FA - fagsystem)",
          "Det kontrolleres hvorvidt Ydelsesmodtager (YM) har fået opstartet sag hos UDK om udlæg af "
          "underholdsbidrag i kontrolperioden. Hvis YMs rolle i sagen er bidragsmodtager er der udfald ved særlige "
          "bidrag herunder ægtefællebidrag, fødselsbidrag og bidrag til mors underhold omkring fødsel, dvs. KLE "
          "numrene 32.15.08, 32.15.20 og 32.15.24. Hvis YMs rolle i sagen er bidragsbetaler er der udfald ved "
          "børnebidrag (normalbidrag), KLE nummeret 32.16.04. Denne kontrol udføres KLE numrene 32.24.04, "
          "32.24.32 og 32.24.48.", "bidragssager (UDK)", "familie", "underholdsbidrag_ym_kle", None,
          ("underholdsbidrag_ym_kle", "bidrag_modtager_kle", "bidrag_betaler_kle"), ("bidragssager",),
          "En bidragssager-række for YM med oprettet i vinduet, hvor rollen er bidragsmodtager og KLE er "
          "32.15.08, 32.15.20 eller 32.15.24, eller rollen er bidragsbetaler og KLE er 32.16.04.", _underholdsbidrag),
    Regel("feriekonto", "Anmodning til Feriekonto", "Anmodning til Feriekonto (ATP ordningen Feriekonto)",
          "Det kontrolleres, hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har anmodet om "
          "feriepenge fra Feriekonto. Der vil være ét udfald pr. anmodningsdag til en given første feriedag. Det "
          "vil fremgå af udfaldsoplysningerne hvilket beløb, der er blevet anmodet om, samt hvilken dag "
          "udbetalingen forventes at finde sted. Denne kontrol udføres for alle KLE-numre, dog kun for "
          "KLE-numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48 for ÆF vedkommende.", "feriekonto (ATP)",
          "indkomst", "bestand_kle", "a4_kle", ("bestand_kle", "a4_kle"), ("feriekonto",),
          "En feriekonto-række med anmodningsdato i vinduet; ét udfald pr. (person, anmodningsdato, første "
          "feriedag) med beløb og forventet udbetalingsdato.", _feriekonto),
]

REGLER: dict[str, Regel] = {r.id: r for r in _LISTE}
