"""The rule-effect and fairness report (``notebooks/regeleffekt.ipynb``, ``kontrol rapport --type
regeleffekt``): every figure from :mod:`kontrol_lib.maal.regeleffekt`, every section a list of the
view-model's parts (:mod:`.visningsmodel`), shown by :func:`.visning.afsnit`. The notebook holds
no arithmetic and builds no sentence. See docs/regeleffekt.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kontrol_lib.maal import regeleffekt as R
from kontrol_lib.maal.benchmark import LILLE_GRAENSE
from kontrol_lib.parametre.kommune import KommuneParametre, hent_kommune
from kontrol_lib.rapporter.visningsmodel import Del, Figur, Forside, Mangler, Noegletal, Tabel, Tekst
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import dato_lang, kr, procent, tal

TITEL = "Regeleffekt og ligebehandling"


@dataclass
class RegeleffektRapport:
    p: KommuneParametre
    aar: int
    r: R.Regeleffekt


def regeleffekt_rapport(kommune: int, aar: int, db: str) -> RegeleffektRapport:
    """Check the notebook's parameters and compute every figure (role leder or tilsyn)."""
    if not db:
        raise KontrolFejl("Regeleffektrapporten kræver sagslageret: --db URL.")
    p = hent_kommune(kommune, int(aar))
    lager = SagsLager(db)
    try:
        r = R.regeleffekt(lager, aar=int(aar), kommune=p.kommunekode)
    finally:
        lager.luk()
    return RegeleffektRapport(p=p, aar=int(aar), r=r)


def _i_alt(rr: RegeleffektRapport) -> dict:
    return rr.r.effekt.to_dict("records")[-1]


def forside(rr: RegeleffektRapport) -> list[Del]:
    i = _i_alt(rr)
    return [
        Forside(f"{TITEL} {rr.aar}", f"{rr.p.kommune} · {rr.p.enhed}"),
        Noegletal((("Sager udstillet af regler og lister", tal(i["udstillede"])),
                   ("Bestilt (udtaget til visitering)", tal(i["bestilte"])),
                   ("Ændret tildeling", tal(i["aendrede"])),
                   ("Provenu brutto", kr(i["provenu_brutto"])),
                   ("Udløbet ubehandlet", procent(i["andel_udloebet"])),
                   ("Markerede grupper (skæv udvælgelse)", tal(len(rr.r.skaeve))))),
    ]


def sammenfatning(rr: RegeleffektRapport) -> list[Del]:
    return [Tekst("## Sammenfatning\n\n" + " ".join(R.sammenfatning(rr.r.effekt, rr.r.ligebehandling)))]


EFFEKT_KOLONNER = (("titel", "Regel eller liste", "tekst"), ("udfald", "Udfald", "antal"),
                   ("udstillede", "Udstillede", "antal"), ("bestilte", "Bestilte", "antal"),
                   ("partshoering", "Partshøring", "antal"), ("aendrede", "Ændret", "antal"),
                   ("udloebne", "Udløbet", "antal"), ("andel_aendret", "Ændret af udstillede", "andel"),
                   ("andel_udloebet", "Udløbet af udstillede", "andel"))
PROVENU_KOLONNER = (("titel", "Regel eller liste", "tekst"), ("aendrede", "Ændret", "antal"),
                    ("provenu_brutto", "Provenu brutto", "kr"), ("provenu_netto", "Provenu netto", "kr"),
                    ("provenu_pr_bestilt", "Provenu pr. bestilt sag", "kr"))
EFFEKT_MAERKER = {"andel_aendret": "m_aendret", "andel_udloebet": "m_udloebet",
                  "provenu_pr_bestilt": "m_pr_bestilt"}


def effekt(rr: RegeleffektRapport) -> list[Del]:
    e = rr.r.effekt
    if len(e) <= 1:
        return [Tekst("## Regeleffekt pr. regel og liste"),
                Mangler(f"Ingen sager blev udstillet af regler eller lister i {rr.aar}.")]
    d = e.assign(m_aendret=e["lille_andel_aendret"] == "ja", m_udloebet=e["lille_andel_udloebet"] == "ja",
                 m_pr_bestilt=e["lille_provenu_pr_bestilt"] == "ja")
    return [
        Tekst("## Regeleffekt pr. regel og liste\n\n"
              f"Sagerne, der blev udstillet i {rr.aar} (første gang sat på bestillingslisten), fulgt til deres "
              "afslutning, også når den kom senere. En sag med udfald fra flere regler tæller med under hver "
              "regel, men kun én gang i I alt. Provenu er opgjort som ved sagens første afslutning (KL's metode); "
              "netto er kommunens andel efter statsrefusion."),
        Tabel(d, EFFEKT_KOLONNER, titel=f"Sagerne pr. regel og liste, udstillet i {rr.aar}", maerker=EFFEKT_MAERKER,
              lang=True),
        Tabel(d, PROVENU_KOLONNER, titel=f"Provenu pr. regel og liste, sager udstillet i {rr.aar}",
              maerker=EFFEKT_MAERKER, lang=True,
              note="Netto: kommunens andel efter statsrefusion med de daterede nettoprocenter."),
    ]


def effekt_figur(rr: RegeleffektRapport) -> list[Del]:
    e = rr.r.effekt
    d = e.loc[(e["regel"] != R.I_ALT) & (e["lille_provenu_pr_bestilt"] == "nej")]
    d = d.sort_values(["provenu_pr_bestilt", "regel"], ascending=[False, True], kind="stable")
    if len(d) == 0:
        return [Mangler(f"Ingen regel har {LILLE_GRAENSE} eller flere bestilte sager; figuren over provenu pr. "
                        "bestilt sag udelades.")]
    return [Figur("soejler_vandret", d, f"Figur 1. Provenu pr. bestilt sag (brutto) for regler og lister med mindst "
                  f"{LILLE_GRAENSE} bestilte sager, højest øverst.",
                  {"kat": "titel", "vaerdi": "provenu_pr_bestilt", "akse": "Kr. pr. bestilt sag"})]


def _forhold(v) -> str:
    return "–" if v is None else tal(v, 2)


LIGE_KOLONNER = (("titel", "Regel eller liste", "tekst"), ("gruppe_tekst", "Gruppe", "tekst"),
                 ("udstillede", "Udstillede", "antal"), ("bestand_tekst", "Bestand (gns.)", "tal"),
                 ("udv_tekst", "Udvalgt pr. 1.000", "tal"), ("andel_aendret", "Ændret af udstillede", "andel"),
                 ("udv_f", "Forhold, udvalgt", "tal"), ("ud_f", "Forhold, ændret", "tal"),
                 ("markering", "Mærke", "tekst"))


def _lige_tabel(rr: RegeleffektRapport, dim: str) -> pd.DataFrame:
    d = rr.r.ligebehandling
    d = d.loc[(d["dimension"] == dim) & (d["vist"] == "ja")]
    return d.assign(
        gruppe_tekst=list(d["gruppe"]),
        bestand_tekst=[tal(v, 1) for v in d["bestand"]],
        udv_tekst=[tal(v, 1) for v in d["udvaelgelse_pr_1000"]],
        udv_f=[_forhold(v) for v in d["udvaelgelse_forhold"]],
        ud_f=[_forhold(v) for v in d["andel_aendret_forhold"]],
        markering=[("SKÆV, tydelig" if t == "ja" else "SKÆV") if s == "ja" else ("reference" if ref == "ja" else "")
                   for s, t, ref in zip(d["skaev"], d["tydelig"], d["reference"])])


def ligebehandling(rr: RegeleffektRapport) -> list[Del]:
    dele: list[Del] = [Tekst(
        "## Ligebehandling: køn og alder\n\n"
        "For hver regel: hvor mange pr. 1.000 i bestanden der blev udvalgt (udstillet), og hvor stor en andel af de "
        "udvalgte der fik ændret tildeling, for hvert køn og hver aldersgruppe (alder den dag sagen blev udstillet). "
        "Forholdene er regnet i forhold til den gruppe, reglen udvælger sjældnest (reference). "
        f"**Kriterium:** {R.KRITERIUM} Bestanden er gennemsnittet over periodens samkøringer "
        f"({tal(rr.r.koersdatoer)} kørselsdatoer med registreret bestand). Køn og alder afledes af CPR-nummeret i "
        "biblioteket; kun antal forlader det.")]
    if rr.r.koersdatoer == 0:
        dele.append(Mangler("Sagslageret har ingen registreret bestand pr. køn og alder for perioden (den registreres "
                            "ved hver samkøring fra denne version); udvælgelsen pr. 1.000 kan ikke opgøres."))
    for dim in R.DIMENSIONER:
        d = _lige_tabel(rr, dim)
        if len(d) == 0:
            dele.append(Mangler(f"{R.DIMENSION_TITLER[dim]}: ingen gruppe har {R.GRUPPE_GRAENSE} eller flere udstillede "
                                "sager og i bestanden; intet vises."))
            continue
        dele.append(Tabel(d, LIGE_KOLONNER, titel=f"{R.DIMENSION_TITLER[dim]}, sager udstillet i {rr.aar}",
                          sum_raekker=(), lang=True,
                          note=f"Grupper med færre end {R.GRUPPE_GRAENSE} udstillede sager eller i bestanden vises "
                               "ikke (og ikke den mindste viste gruppe, hvis de skjulte ellers kunne regnes ud af "
                               "reglens total)."))
    return dele


def markeringer(rr: RegeleffektRapport) -> list[Del]:
    sk = rr.r.skaeve
    if len(sk) == 0:
        return [Tekst("## Markeringer\n\nIngen regel udvalgte et køn eller en aldersgruppe markant oftere uden en "
                      "højere andel med ændret tildeling.")]

    def linje(r: dict) -> str:
        return (f"- **{r['titel']}**: {r['gruppe']} ({R.DIMENSION_TITLER[r['dimension']].lower()}) udvælges "
                f"{_forhold(r['udvaelgelse_forhold'])} gange så ofte som referencegruppen, med et udfaldsforhold på "
                f"{_forhold(r['andel_aendret_forhold'])} ({tal(r['udstillede'])} udstillede, "
                f"{procent(r['andel_aendret'])} med ændret tildeling).")
    ty = sk.loc[sk["tydelig"] == "ja"]
    andre = sk.loc[sk["tydelig"] != "ja"]
    tekst = ("## Markeringer\n\nEn markering er ikke i sig selv et bevis på forskelsbehandling, men reglen og dens "
             "parametre bør gennemgås med databeskyttelsesrådgiveren. " + R.TYDELIG + "\n\n")
    if len(ty):
        tekst += ("**Tydeligt skæv udvælgelse:**\n\n" + "\n".join(linje(r) for r in ty.to_dict("records")) + "\n\n")
    else:
        tekst += "Ingen markering er tydelig.\n\n"
    if len(andre):
        tekst += ("Øvrige markeringer (opfylder kriteriet, men forskellen kan skyldes tilfældigheder):\n\n"
                  + "\n".join(linje(r) for r in andre.to_dict("records")))
    vis = ty if len(ty) else sk
    d = vis.assign(navn=[f"{t} – {g}" for t, g in zip(vis["titel"], vis["gruppe"])])
    return [
        Tekst(tekst),
        Figur("soejler_vandret", d, ("Figur 2. Udvælgelsesforholdet for de tydelige markeringer" if len(ty) else
                                     "Figur 2. Udvælgelsesforholdet for de markerede grupper")
              + " (1 = som referencegruppen; grænsen for markering er 1,25).",
              {"kat": "navn", "vaerdi": "udvaelgelse_forhold", "fmt": ",.2f", "akse": "Udvælgelsesforhold"}),
    ]


def om_opgoerelsen(rr: RegeleffektRapport) -> list[Del]:
    return [Tekst(
        "## Om opgørelsen\n\n"
        f"Periode: {dato_lang(rr.r.fra)} – {dato_lang(rr.r.til)}. Kilde: sagslagerets log (overgangene), udfaldene "
        "på sagerne og beløbene ved sagernes første afslutning; alle tal kan føres tilbage til loggen. "
        "Med: sager, som arbejdsgangen udstillede (registersamkøringens 17 regler og kommunens lokale lister); "
        "ikke importerede sager og ikke Udbetaling Danmarks kontroltrin 3-sager. "
        f"En andel, hvis nævner er under {LILLE_GRAENSE} sager, er mærket med *; hvor nævneren er 0, vises –. "
        "Andele og forhold er regnet eksakt og afrundes først i visningen. Rapporten indeholder ingen CPR-numre og "
        f"ingen gruppe med færre end {R.GRUPPE_GRAENSE} personer.")]


# --------------------------------------------------------------------------- the annual report's section
def aarsrapport_afsnit(kommune: int, aar: int, db: str) -> list[Del]:
    """The annual report's section: the three sentences of :func:`regeleffekt.sammenfatning`.
    Nothing without a case store (a kontrolsager file has no log); a login without the role leder
    or tilsyn sees a note instead (the refusal is logged by the store as always)."""
    if not db:
        return []
    try:
        rr = regeleffekt_rapport(kommune, aar, db)
    except AdgangNaegtet:
        return [Tekst("## Regeleffekt og ligebehandling"),
                Mangler("Regeleffekt og ligebehandling vises kun for rollerne leder og tilsyn.")]
    return [Tekst("## Regeleffekt og ligebehandling\n\n" + " ".join(R.sammenfatning(rr.r.effekt, rr.r.ligebehandling))
                  + "\n\nTallene pr. regel og liste, og pr. køn og aldersgruppe, står i rapporten "
                  "«Regeleffekt og ligebehandling» (kontrol rapport --type regeleffekt).")]
