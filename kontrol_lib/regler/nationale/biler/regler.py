"""Cars (R75 – Biloplysninger): bilkoeb, bilsalg, mange_bilhandler.

Each rule: its declaration (with the kvikguide's sentence, the product's reading and where the
product had to interpret the source) directly above its body. Cases: ``tilfaelde.yaml`` here.
"""

from __future__ import annotations

from kontrol_lib.regler.regel import A, IN_VINDUE, Kontekst, Regel

BIL_PARAMETRE = ("a4_kle", "bil_alder_aar", "bil_ejerbrugerkoder", "bil_r75_indeks")


def _bilhandel(handel: str):
    """Body of bilkoeb (handel = koeb) and bilsalg (handel = salg): one hit per row."""
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
                 || b.ejerbrugerkode || ', R75-indeks ' || b.r75_indeks || '.' AS oplysninger,
               to_json({{'stelnummer': b.stelnummer, 'handel': b.handel, 'handelsdato': b.handelsdato,
                         'foerste_registrering': b.foerste_registrering,
                         'alder_paa_handelsdagen_aar': date_sub('year', b.foerste_registrering, b.handelsdato),
                         'registreret_senest_tilladt_foer': {d15},
                         'ejerbrugerkode': b.ejerbrugerkode, 'r75_indeks': b.r75_indeks}}) AS bevis
        FROM {k.anv} a JOIN {k.t('biler')} b ON b.cpr = a.person_cpr
        WHERE b.handel = '{handel}' AND b.handelsdato {IN_VINDUE}
          AND b.foerste_registrering >= {d15}
          AND b.ejerbrugerkode IN {k.p('bil_ejerbrugerkoder')}
          AND b.r75_indeks = {k.p('bil_r75_indeks')}
        """
    return krop


BILKOEB_FORTOLKNING = ("\"Højst {bil_alder_aar} år siden\" regnes fra kørselsdatoen D (ikke handelsdatoen): "
                       "første registrering ≥ D − {bil_alder_aar} år.")

BILKOEB = Regel(
    id="bilkoeb",
    titel="Bilkøb",
    kilde_afsnit="Bilkøb (R75 – Biloplysninger)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har købt en "
          "bil med første registreringsdato for højst 15 år siden. Derudover kontrolleres det, at bilen er "
          "registreret med ejerbrugerkode 2, 3, 6 eller 9, samt at bilen er registreret som privatbil med R75 "
          "indeks 7500100. Denne kontrol udføres for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48.",
    register="biler (R75)",
    kontroltype="formue",
    ym_kle_parameter="a4_kle",
    aef_kle_parameter="a4_kle",
    parametre=BIL_PARAMETRE,
    tabeller=("biler",),
    semantik="En biler-række med handel = koeb og handelsdato i vinduet, første registrering på eller efter "
             "D − {bil_alder_aar} år, ejer-/brugerkode {bil_ejerbrugerkoder:eller} og R75-indeks "
             "{bil_r75_indeks}. Ét udfald pr. række.",
    fortolkning=BILKOEB_FORTOLKNING,
    krop=_bilhandel("koeb"),
)

BILSALG = Regel(
    id="bilsalg",
    titel="Bilsalg",
    kilde_afsnit="Bilsalg (R75 – Biloplysninger)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har solgt en "
          "bil med første registreringsdato for højst 15 år siden. Derudover kontrolleres det, at bilen er "
          "registreret med ejerbrugerkode 2, 3, 6 eller 9, samt at bilen er registreret som privatbil med R75 "
          "indeks 7500100. Denne kontrol udføres for KLE numrene 32.24.04, 32.24.10, 32.24.32 og 32.24.48.",
    register="biler (R75)",
    kontroltype="formue",
    ym_kle_parameter="a4_kle",
    aef_kle_parameter="a4_kle",
    parametre=BIL_PARAMETRE,
    tabeller=("biler",),
    semantik="Som bilkøb, men handel = salg.",
    fortolkning=BILKOEB_FORTOLKNING,
    krop=_bilhandel("salg"),
)


def _mange_bilhandler(k: Kontekst) -> str:
    """At least N trades of old cars in one case window: one hit per person, at the latest trade."""
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
                           ', ' ORDER BY a.handelsdato, a.stelnummer, a.handel) || '.' AS oplysninger,
           to_json({{'antal_handler': count(*), 'registreret_foer': {d15},
                     'handler': list({{'handel': a.handel, 'handelsdato': a.handelsdato, 'stelnummer': a.stelnummer,
                                       'foerste_registrering': a.foerste_registrering}}
                                     ORDER BY a.handelsdato, a.stelnummer, a.handel)}}) AS bevis
    FROM h a
    GROUP BY {A}, a.vs, a.ve
    HAVING count(*) >= {k.p('mange_bilhandler_antal')}
    """


MANGE_BILHANDLER = Regel(
    id="mange_bilhandler",
    titel="Mange bilhandler",
    kilde_afsnit="Mange bilhandler (R75 – Biloplysninger)",
    kilde="Det kontrolleres hvorvidt Ydelsesmodtager (YM) eller Ægtefælle (ÆF) i kontrolperioden har købt eller "
          "solgt en bil med første registreringsdato for mere end 15 år siden mindst tre gange. Derudover "
          "kontrolleres det, at bilerne er registrerede med ejerbrugerkode 2, 3, 6 eller 9, samt at bilerne er "
          "registrerede som privatbiler med R75 indeks 7500100. Denne kontrol udføres for KLE numrene 32.24.04, "
          "32.24.10, 32.24.32 og 32.24.48.",
    register="biler (R75)",
    kontroltype="formue",
    ym_kle_parameter="a4_kle",
    aef_kle_parameter="a4_kle",
    parametre=BIL_PARAMETRE + ("mange_bilhandler_antal",),
    tabeller=("biler",),
    semantik="Mindst {mange_bilhandler_antal} handler (køb eller salg) i vinduet med første registrering før "
             "D − {bil_alder_aar} år og samme filter på ejer-/brugerkode og indeks. Ét udfald pr. person, "
             "dateret ved den seneste af handlerne.",
    fortolkning="Antallet tælles inden for hver anvendelig sags vindue; udfaldet dateres og nøgles ved den "
                "seneste handel.",
    krop=_mange_bilhandler,
)

REGLER = (BILKOEB, BILSALG, MANGE_BILHANDLER)
