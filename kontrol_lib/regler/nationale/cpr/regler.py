"""The CPR register: civilstand, barn_fraflytning, flytning, doedsfald, borgerstatus, foedsel,
barn_doedsfald.

Each rule: its declaration (with the kvikguide's sentence, the product's reading and where the
product had to interpret the source) directly beside its body. Cases: ``tilfaelde.yaml`` here.
Other people than the YM and the spouse (a child, the spouse of a separation) appear in keys and
evidence only as ``sk_ref(cpr)``, never as a CPR number.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel

CIVILSTAND_TEKST = "CASE c.haendelse WHEN 'vielse' THEN 'vielse' WHEN 'skilsmisse' THEN 'skilsmisse' " \
                   "WHEN 'separation' THEN 'separation' ELSE 'enkestand' END"


def _civilstand(k: Kontekst) -> str:
    """A civilstand row of the YM in the vindue; and a separation still shared at t = s + N months."""
    n = k.p("separation_ophaevet_maaneder")
    t = f"sk_plus_maaneder(c.dato, {n})"
    faelles = (f"FROM {k.t('adresser')} y JOIN {k.t('adresser')} z ON z.adresse_id = y.adresse_id "
               f"WHERE y.cpr = c.cpr AND z.cpr = c.aegtefaelle_cpr "
               f"AND y.fra_dato <= {t} AND coalesce(y.til_dato, DATE '9999-12-31') >= {t} "
               f"AND z.fra_dato <= {t} AND coalesce(z.til_dato, DATE '9999-12-31') >= {t}")
    return f"""
    SELECT {A}, c.dato AS haendelsesdato,
           a.rolle || '|' || c.haendelse || '|' || CAST(c.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || 's civilstand er ændret: ' || {CIVILSTAND_TEKST} || ' den ' || sk_dk(c.dato) || '.'
             AS oplysninger,
           to_json({{'haendelse': c.haendelse, 'dato': c.dato, 'aegtefaelle_ref': sk_ref(c.aegtefaelle_cpr)}}) AS bevis
    FROM {k.anv} a JOIN {k.t('civilstand')} c ON c.cpr = a.person_cpr
    WHERE c.dato {IN_VINDUE}
    UNION ALL
    SELECT {A}, {t} AS haendelsesdato,
           a.rolle || '|separation_ophaevet|' || CAST(c.dato AS VARCHAR) || '|' || sk_ref(c.aegtefaelle_cpr) AS haendelse_id,
           sk_hvem(a.rolle) || ' blev separeret den ' || sk_dk(c.dato) || ', men bor stadig på samme adresse som ægtefællen den '
             || sk_dk({t}) || ', ' || {n}
             || ' måneder efter, og der er ingen skilsmisse; separationen anses for ophævet.' AS oplysninger,
           to_json({{'haendelse': 'separation_ophaevet', 'separationsdato': c.dato, 'dato': {t},
                     'maaneder_efter_separationen': {n}, 'aegtefaelle_ref': sk_ref(c.aegtefaelle_cpr),
                     'faelles_adresse': (SELECT min(y.adresse_id) {faelles}),
                     'skilsmisse_efter_separationen': false}}) AS bevis
    FROM {k.anv} a JOIN {k.t('civilstand')} c ON c.cpr = a.person_cpr
    WHERE c.haendelse = 'separation'
      AND {t} {IN_VINDUE}
      AND {t} <= {k.D}
      AND NOT EXISTS (SELECT 1 FROM {k.t('civilstand')} x
                      WHERE x.cpr = c.cpr AND x.haendelse = 'skilsmisse' AND x.dato > c.dato)
      AND EXISTS (SELECT 1 {faelles})
    """


CIVILSTAND = Regel(
    id="civilstand",
    titel="Ændring af civilstand",
    kilde_afsnit="Ændringer af civilstand (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) har ændret civilstand i kontrolperioden. "
          "Civilstandsændringer inkluderer indgåelse af ægteskab, skilsmisse, separation eller være blevet "
          "enke(mand). Der er også udfald tre måneder efter en separation, hvis YM og ÆF stadig bor sammen, i "
          "hvilket tilfælde separationen opfattes som ophævet. Denne kontrol udføres for KLE numrene 32.24.04, "
          "32.24.10, 32.24.32 og 32.24.48.",
    register="civilstand, adresser",
    kontroltype="familie",
    ym_kle_parameter="a4_kle",
    aef_kle_parameter=None,
    parametre=("a4_kle", "separation_ophaevet_maaneder"),
    tabeller=("civilstand", "adresser"),
    semantik="En civilstand-række for YM i vinduet. Desuden: en separation dateret s uden senere skilsmisse, hvor "
             "t = s + {separation_ophaevet_maaneder} måneder ligger i vinduet, t ≤ D, og YM og den ægtefælle "
             "deler adresse den t: udfald dateret t.",
    fortolkning="\"{separation_ophaevet_maaneder:Ord} måneder efter\" er dagen t = s + "
                "{separation_ophaevet_maaneder} måneder (månedens sidste dag, hvis dagen ikke findes); \"stadig bor "
                "sammen\" prøves den dag; t må ikke ligge efter kørselsdatoen.",
    krop=_civilstand,
)


def _barn_fraflytning(k: Kontekst) -> str:
    """Parent (YM or ÆF) and a child under the age limit shared an address on d − 1, not on d."""
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
             || date_sub('year', b.foedselsdato, o.d) || ' år (under ' || {k.p('barn_aldersgraense')} || ').' AS oplysninger,
           to_json({{'barn_ref': sk_ref(o.barn), 'barn_foedselsdato': b.foedselsdato,
                     'sidste_dag_paa_samme_adresse': CAST(o.d - 1 AS DATE), 'foerste_dag_hver_for_sig': o.d,
                     'barnets_alder_aar': date_sub('year', b.foedselsdato, o.d)}}) AS bevis
    FROM {k.anv} a
         JOIN ophoer o ON o.foraelder = a.person_cpr
         JOIN boern b ON b.foraelder = o.foraelder AND b.barn = o.barn
         LEFT JOIN {k.t('personer')} pp ON pp.cpr = a.person_cpr
    WHERE o.d {IN_VINDUE}
      AND o.d < sk_plus_maaneder(b.foedselsdato, 12 * {k.p('barn_aldersgraense')})
      AND (b.doedsdato IS NULL OR b.doedsdato > o.d)
      AND (pp.doedsdato IS NULL OR pp.doedsdato > o.d)
    """


BARN_FRAFLYTNING = Regel(
    id="barn_fraflytning",
    titel="Barn flytter hjemmefra",
    kilde_afsnit="Barn flytter hjemmefra (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) er ophørt med at dele adresse med "
          "sit barn under 18 år i kontrolperioden. Denne kontrol udføres for alle KLE numre.",
    register="relationer, adresser, personer",
    kontroltype="flytning",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter="bestand_kle",
    parametre=("bestand_kle", "barn_aldersgraense"),
    tabeller=("relationer", "adresser", "personer"),
    semantik="YM eller ÆF og et barn (relationer, med en personer-række) delte adresse dagen d − 1 og ikke dagen d, "
             "d i vinduet, barnet under {barn_aldersgraense} år den d (ikke på eller efter "
             "{barn_aldersgraense}-årsdagen), forælder og barn i live den d. Det tæller, uanset hvem af dem der "
             "flytter.",
    fortolkning="Hændelsesdatoen er den første dag, de ikke længere deler adresse; at dele adresse betyder samme "
                "adresse_id samme dag; kilden siger ikke, hvem der flytter, så begge tæller.",
    krop=_barn_fraflytning,
)


def _flytning(k: Kontekst) -> str:
    """An address row of the YM in the vindue whose adresse_id differs from the previous row's."""
    return f"""
    WITH r AS (
        SELECT cpr, adresse_id, kommunekode, fra_dato,
               lag(adresse_id) OVER (PARTITION BY cpr ORDER BY fra_dato, adresse_id) AS forrige
        FROM {k.t('adresser')} WHERE cpr IN (SELECT person_cpr FROM {k.anv}))
    SELECT {A}, r.fra_dato AS haendelsesdato,
           a.rolle || '|' || r.adresse_id || '|' || CAST(r.fra_dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' er flyttet den ' || sk_dk(r.fra_dato) || ' fra adresse ' || r.forrige
             || ' til adresse ' || r.adresse_id || ' (kommune ' || r.kommunekode || ').' AS oplysninger,
           to_json({{'fra_adresse': r.forrige, 'til_adresse': r.adresse_id, 'fra_dato': r.fra_dato,
                     'kommunekode': r.kommunekode}}) AS bevis
    FROM {k.anv} a JOIN r ON r.cpr = a.person_cpr
    WHERE r.fra_dato {IN_VINDUE} AND r.forrige IS NOT NULL AND r.adresse_id <> r.forrige
    """


FLYTNING = Regel(
    id="flytning",
    titel="Flytning",
    kilde_afsnit="Flytning (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) er flyttet i kontrolperioden. Denne kontrol udføres for "
          "alle KLE numre.",
    register="adresser",
    kontroltype="flytning",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter=None,
    parametre=("bestand_kle",),
    tabeller=("adresser",),
    semantik="En adresser-række for YM med fra_dato i vinduet, hvis adresse_id er en anden end YM's forrige "
             "adresserækkes (ordnet efter fra_dato; den første række er aldrig en flytning).",
    krop=_flytning,
)


def _doedsfald(k: Kontekst) -> str:
    """The YM's death date in the vindue."""
    return f"""
    SELECT {A}, p.doedsdato AS haendelsesdato, a.rolle || '|' || CAST(p.doedsdato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || ' er død den ' || sk_dk(p.doedsdato) || '.' AS oplysninger,
           to_json({{'doedsdato': p.doedsdato}}) AS bevis
    FROM {k.anv} a JOIN {k.t('personer')} p ON p.cpr = a.person_cpr
    WHERE p.doedsdato {IN_VINDUE}
    """


DOEDSFALD = Regel(
    id="doedsfald",
    titel="Borger dør",
    kilde_afsnit="Borger dør (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) er afdøet ved døden i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.",
    register="personer",
    kontroltype="status",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter=None,
    parametre=("bestand_kle",),
    tabeller=("personer",),
    semantik="YM's dødsdato i vinduet.",
    krop=_doedsfald,
)

STATUS_TEKST = ("CASE s.status WHEN 'udrejst' THEN 'udrejst' WHEN 'groenland' THEN 'bopæl i Grønland' "
                "WHEN 'inaktiv' THEN 'inaktiv (uden bopæl)' WHEN 'forsvundet' THEN 'forsvundet' "
                "WHEN 'cpr_aendret' THEN 'ændret personnummer' WHEN 'cpr_annulleret' THEN 'annulleret personnummer' "
                "ELSE 'slettet personnummer' END")


def _borgerstatus(k: Kontekst) -> str:
    """A borgerstatus row of the YM in the vindue."""
    return f"""
    SELECT {A}, s.dato AS haendelsesdato, a.rolle || '|' || s.status || '|' || CAST(s.dato AS VARCHAR) AS haendelse_id,
           sk_hvem(a.rolle) || 's borgerstatus er ændret til ' || {STATUS_TEKST} || ' den ' || sk_dk(s.dato) || '.'
             AS oplysninger,
           to_json({{'status': s.status, 'dato': s.dato}}) AS bevis
    FROM {k.anv} a JOIN {k.t('borgerstatus')} s ON s.cpr = a.person_cpr
    WHERE s.dato {IN_VINDUE}
    """


BORGERSTATUS = Regel(
    id="borgerstatus",
    titel="Borger ændrer borgerstatus",
    kilde_afsnit="Borger ændrer borgerstatus (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) har ændret borgerstatus i kontrolperioden. "
          "Borgerstatusser inkluderer udrejst, bopæl i Grønland, inaktiv (uden bopæl), forsvundet og "
          "ændret/annulleret/slettet personnummer. Denne kontrol udføres for alle KLE numre.",
    register="borgerstatus",
    kontroltype="status",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter=None,
    parametre=("bestand_kle",),
    tabeller=("borgerstatus",),
    semantik="En borgerstatus-række for YM i vinduet.",
    krop=_borgerstatus,
)


def _barn_haendelse(felt: str):
    """Body of foedsel (felt = foedselsdato) and barn_doedsfald (felt = doedsdato)."""
    def krop(k: Kontekst) -> str:
        tekst = ("' har fået et barn, født den ' || sk_dk(c.foedselsdato)" if felt == "foedselsdato" else
                 "'s barn, født ' || sk_dk(c.foedselsdato) || ', er død den ' || sk_dk(c.doedsdato)")
        return f"""
        SELECT DISTINCT {A}, c.{felt} AS haendelsesdato,
               a.rolle || '|' || sk_ref(c.cpr) || '|' || CAST(c.{felt} AS VARCHAR) AS haendelse_id,
               sk_hvem(a.rolle) || {tekst} || '.' AS oplysninger,
               to_json({{'barn_ref': sk_ref(c.cpr), 'foedselsdato': c.foedselsdato, 'doedsdato': c.doedsdato}}) AS bevis
        FROM {k.anv} a JOIN {k.t('relationer')} r ON r.cpr = a.person_cpr
             JOIN {k.t('personer')} c ON c.cpr = r.barn_cpr
        WHERE c.{felt} {IN_VINDUE}
        """
    return krop


FOEDSEL = Regel(
    id="foedsel",
    titel="Fødsel",
    kilde_afsnit="Fødsel (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) har fået et barn i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.",
    register="relationer, personer",
    kontroltype="familie",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter=None,
    parametre=("bestand_kle",),
    tabeller=("relationer", "personer"),
    semantik="Et barn af YM med fødselsdato i vinduet.",
    krop=_barn_haendelse("foedselsdato"),
)

BARN_DOEDSFALD = Regel(
    id="barn_doedsfald",
    titel="Barn afdøet ved døden",
    kilde_afsnit="Barn afdøet ved døden (CPR)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) har mistet et barn i kontrolperioden. Denne kontrol "
          "udføres for alle KLE numre.",
    register="relationer, personer",
    kontroltype="familie",
    ym_kle_parameter="bestand_kle",
    aef_kle_parameter=None,
    parametre=("bestand_kle",),
    tabeller=("relationer", "personer"),
    semantik="Et barn af YM med dødsdato i vinduet.",
    krop=_barn_haendelse("doedsdato"),
)

REGLER = (CIVILSTAND, BARN_FRAFLYTNING, FLYTNING, DOEDSFALD, BORGERSTATUS, FOEDSEL, BARN_DOEDSFALD)
