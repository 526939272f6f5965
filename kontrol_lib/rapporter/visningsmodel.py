"""What each section of a report shows: the view-model behind the thin notebooks.

One function per report section. Each takes the report's computed figures (an
:class:`~kontrol_lib.rapporter.indhold.Rapport` or a
:class:`~kontrol_lib.rapporter.benchmarkrapport.BenchmarkRapport`) and returns the section as a
list of plain parts: Markdown text, tables (the figures with their column specification: Danish
headings, formats, order, title and note), charts (the chart's name in :mod:`.visning` and its
data), key figures as (label, formatted value) tuples, and notes that a section's data is missing.
Every table specification, label and sentence of the reports is assembled here, where it is
tested (``tests/test_rapporter_visningsmodel.py``); a notebook cell is one line::

    vis.afsnit(vm.provenu_kategorier(r))

:func:`kontrol_lib.rapporter.visning.afsnit` shows the parts (numbers formatted in Danish there,
so the exact values stay in the tables). Nothing here computes a figure: the figures come from
:mod:`.indhold` and :mod:`.benchmarkrapport`.

Numbers in the prose come from where the rule lives: the forward-saving horizon from the dated
parameter ``provenu.horisont_maaneder``, the expiry period of an exposed case from
``sagsstyring.udloeb_maaneder`` (each as in force at the end of the report year), and the
benchmark's window and small-number limit from :mod:`kontrol_lib.maal.benchmark`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kontrol_lib.maal import benchmark as bm
from kontrol_lib.maal.provenu import I_ALT, KATEGORIER, KORREKTIONER
from kontrol_lib.parametre import hent
from kontrol_lib.rapporter import benchmarkrapport as br
from kontrol_lib.rapporter import indhold as ind
from kontrol_lib.rapporter.benchmarkrapport import BenchmarkRapport
from kontrol_lib.rapporter.indhold import Rapport
from kontrol_lib.regler.lokale import afproev_kriterium
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import dato_lang, kr, maaneder_tekst, procent, tal
from kontrol_lib.vokabular.koder import KANAL_TEKST, KONTROLTRIN_TEKST, YDELSE_TEKST, tekst


# --------------------------------------------------------------------------- the parts of a section
@dataclass(frozen=True)
class Tekst:
    """Report prose (Markdown)."""
    markdown: str


@dataclass(frozen=True)
class Mangler:
    """A visible note that a section's data is not available (instead of a figure)."""
    tekst: str


@dataclass(frozen=True)
class LilleNote:
    """The small-number note (:data:`kontrol_lib.rapporter.visning.LILLE_NOTE`) on its own."""


@dataclass(frozen=True)
class Noegletal:
    """Key figures in boxes: (label, formatted value)."""
    tal: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Forside:
    """A report's title block; ``dagsorden`` the (label, value) fields of a committee item."""
    titel: str
    undertitel: str | None = None
    dagsorden: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class Tabel:
    """A report table: the figures (exact values and flag columns) and how to show them.
    ``kolonner``: (column, Danish heading, format: tekst, antal, kr, beloeb, andel, decimal1, or
    tal for values already formatted). The other fields as in :func:`visning.tabel`."""
    data: pd.DataFrame
    kolonner: tuple[tuple[str, str, str], ...]
    titel: str | None = None
    sum_raekker: tuple[str, ...] = (I_ALT,)
    note: str | None = None
    grupper: tuple[tuple[str, int], ...] | None = None
    maerker: dict[str, str] | None = None
    fremhaev: str | None = None
    lang: bool = False

    @property
    def overskrifter(self) -> list[str]:
        return [h for _, h, _ in self.kolonner]

    def kolonne(self, overskrift: str) -> list:
        """The values under a heading (the first column with that heading)."""
        navn = next(c for c, h, _ in self.kolonner if h == overskrift)
        return list(self.data[navn])


@dataclass(frozen=True, eq=False)
class Figur:
    """A chart: the name of its builder in :mod:`.visning` (:data:`visning.DIAGRAMMER`), the
    data, the builder's other arguments and the caption."""
    diagram: str
    data: pd.DataFrame
    tekst: str
    argumenter: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Udskrift:
    """Plain text for the analyst (printed, not part of a rendered report)."""
    tekst: str


@dataclass(frozen=True, eq=False)
class Raekker:
    """Rows shown as they are, exact values (the analyst's notebook)."""
    data: pd.DataFrame


Del = Tekst | Mangler | LilleNote | Noegletal | Forside | Tabel | Figur | Udskrift | Raekker


# --------------------------------------------------------------------------- numbers in the prose


def _aarets_udgang(aar: int) -> dt.date:
    return dt.date(int(aar), 12, 31)


def horisont(aar: int) -> str:
    """The forward-saving horizon in words, as in force at the end of ``aar``."""
    return maaneder_tekst(hent("provenu.horisont_maaneder", _aarets_udgang(aar)))


def udloebsfrist(aar: int) -> str:
    """How long an exposed case stays on the order list before it expires, in words."""
    return maaneder_tekst(hent("sagsstyring.udloeb_maaneder", _aarets_udgang(aar)))


def vindue(aar: int) -> str:
    """The benchmark window ending December ``aar``: '12 måneder til december 2023'."""
    return f"{maaneder_tekst(bm.VINDUE_MAANEDER)} til december {aar}"



def _rang(x) -> str:
    return "–" if x is None or pd.isna(x) else str(int(x))


def _ydelse(y: str) -> str:
    return y if y == I_ALT else ind.ydelse_tekst(y)


# --------------------------------------------------------------------------- the annual report
UDK_KOLONNER = (("ydelse_tekst", "Værdi i kr. og antal", "tekst"), ("stop_antal", "Antal", "antal"),
                ("stop_beloeb", "Beløb", "beloeb"), ("krav_antal", "Antal", "antal"),
                ("krav_beloeb", "Beløb", "beloeb"), ("efterregulering", "Beløb", "beloeb"),
                ("skat", "Beløb", "beloeb"), ("provenu", "Beløb", "beloeb"))
UDK_GRUPPER = (("", 1), ("Stop/nedregulering", 2), ("Tilbagebetalingskrav", 2), ("Efterregulering", 1),
               ("Skat", 1), ("Provenu i alt", 1))


# --------------------------------------------------------------------------- the municipality's own words
def fortaelling(r: Rapport, rapport: str, efter: str) -> list[Del]:
    """The municipality's own narrative sections (``afsnit`` in its parameters) placed after the
    section ``efter`` of ``rapport``, in the order of the file: heading, Markdown text (placeholders
    filled) and each case example as a marked box."""
    dele: list[Del] = []
    for a in r.p.afsnit:
        if a.rapport != rapport or a.efter != efter:
            continue
        overskrift, tekst_ = r.udfyld(a.overskrift), r.udfyld(a.tekst)
        # a heading made only of a sentence about an unknown figure is left out with that sentence
        dele.append(Tekst(f"{'#' * a.niveau} {overskrift}\n\n{tekst_}" if overskrift else tekst_))
        for eksempel in a.eksempler or ():
            dele.append(Tekst("> **Eksempel.** " + r.udfyld(eksempel).replace("\n", "\n> ")))
    return dele


def _med_fortaelling(rapport: str, efter: str):
    """A computed section followed by the municipality's narrative sections placed after it."""
    def pynt(f):
        @functools.wraps(f)
        def afsnit_(r: Rapport) -> list[Del]:
            return f(r) + fortaelling(r, rapport, efter)
        afsnit_.placering = (rapport, efter)
        return afsnit_
    return pynt


def _er_nul(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v == 0


def uden_nulraekker(df: pd.DataFrame, navn: str, vaerdier) -> tuple[pd.DataFrame, list[str]]:
    """``df`` without the rows (other than I alt) whose ``vaerdier`` columns are all zero, and the
    names of the rows left out (said in one line under the table instead of a row of zeros)."""
    nul = [navn_ != I_ALT and all(_er_nul(rec[c]) for c in vaerdier)
           for navn_, rec in zip(df[navn], df.to_dict("records"))]
    tomme = [str(x) for x, n in zip(df[navn], nul) if n]
    return df[[not n for n in nul]].reset_index(drop=True), tomme


def _ingen(tomme: list[str], hvad: str) -> list[Del]:
    """One line naming the categories that had nothing (none: no line). The corrections row is no
    category of cases, so it is never named here (issue 14)."""
    tomme = [t for t in tomme if t != KORREKTIONER]
    if not tomme:
        return []
    navne = tomme[0] if len(tomme) == 1 else ", ".join(tomme[:-1]) + " og " + tomme[-1]
    return [Tekst(f"Ingen {hvad} i: {navne}.")]


@_med_fortaelling("aarsrapport", "start")
def aarsrapport_forside(r: Rapport) -> list[Del]:
    """Title block and the four key figures."""
    p = r.p
    kort = [(f"Samlet provenu {r.aar}", kr(r.provenu_i_alt)),
            ("Sager med ændret tildeling", tal(r.antal_sager)),
            ("Sager med provenu af alle afsluttede", procent(r.kanaler.iloc[-1]["hitrate"]))]
    if r.pr_aarsvaerk is not None:       # without årsværk the card is left out (no "ikke oplyst")
        kort.append(("Provenu pr. årsværk", kr(r.pr_aarsvaerk.iloc[0]["provenu_pr_aarsvaerk"])))
    return [Forside(f"Årsrapport {r.aar}", f"{p.enhed} · {p.forvaltning} · {p.kommune}"), Noegletal(tuple(kort))]


@_med_fortaelling("aarsrapport", "indledning")
def indledning(r: Rapport) -> list[Del]:
    return [Tekst("## Indledning\n\n" + r.tekst("indledning"))]


# The parts of provenu in the category table (column, heading without the unit)
PROVENU_DELE = (("fremadrettet_besparelse", "Fremadrettet besparelse"), ("tilbagebetalingskrav", "Tilbagebetalingskrav"),
                ("efterregulering", "Efterregulering"), ("skat", "Skat"))


@_med_fortaelling("aarsrapport", "provenu_kategorier")
def provenu_kategorier(r: Rapport) -> list[Del]:
    """The year's provenu per category (Ballerup's table) with the netto line; categories with
    nothing are left out and named in one line."""
    aar = r.aar
    kategorier, tomme = uden_nulraekker(r.kategorier, "kategori", ("antal_sager", "provenu"))
    # a component that is 0 kr. in every category is no column of zeros but one sentence (issue 14)
    dele_ = [(k, t) for k, t in PROVENU_DELE if any(not _er_nul(v) for v in kategorier[k])]
    nul = [t for k, t in PROVENU_DELE if (k, t) not in dele_]
    forrige = (f" Året før var provenuet {kr(r.kategorier_forrige.iloc[-1]['provenu'])}."
               if aar - 1 in r.aar_med_data else "")
    return [
        Tekst(f"## Provenu {aar}\n\n"
              f"I alt er der beregnet et provenu på **{kr(r.provenu_i_alt)}** for {r.p.enhed} i {aar} fordelt på "
              f"{tal(r.antal_sager)} sager med ændret tildeling. Beløbet dækker alle de områder, der er behandlet "
              f"sager på.{forrige}"),
        Tabel(ind.med_maerke(kategorier), (
            ("kategori", "Kategori", "tekst"), ("antal_sager", "Sager", "antal"),
            *((k, f"{t}, kr.", "beloeb") for k, t in dele_),
            ("provenu", "Provenu, kr.", "beloeb")),
            titel=f"Samlet opgørelse af provenu {aar}",
            note="Sager: antal afsluttede sager med ændret tildeling. En sag, der berører flere kategorier, "
                 "tælles i hver af dem, men kun én gang i I alt."
                 + (f" {_og(nul)} er 0 kr. i alle kategorier i {aar} og vises ikke som kolonne." if nul else ""),
            maerker={"provenu": "lille"}),
        *_forklaringer(r, list(kategorier["kategori"])),
        *_ingen(tomme, f"sager med provenu i {aar}"),
        Tekst(f"Heraf udgør kommunens andel efter statsrefusion (**netto**) {kr(r.netto)}. Alle øvrige beløb i "
              f"rapporten er brutto, som KL og Udbetaling Danmark opgør dem."),
    ]


def _forklaringer(r: Rapport, kategorier: list[str]) -> list[Del]:
    """One line per shown category that the municipality explains (``kategori_forklaringer``)."""
    linjer = [f"- **{k}**: {r.p.kategori_forklaringer[k]}" for k in kategorier if k in r.p.kategori_forklaringer]
    return [Tekst("\n".join(linjer))] if linjer else []


def _aarsspaend(r: Rapport) -> str:
    """The years of the development table, '2019–2023'."""
    aarene = [int(a) for a in r.udvikling["aar"]]
    return f"{min(aarene)}–{max(aarene)}"


@_med_fortaelling("aarsrapport", "udvikling")
def udvikling(r: Rapport) -> list[Del]:
    """Provenu per category over the five years: table and stacked bars."""
    spaend = _aarsspaend(r)
    aarene = list(r.udvikling_bred.columns[1:])
    bred, tomme = uden_nulraekker(r.udvikling_bred, "kategori", aarene)
    uden = [a for a in aarene if int(a) not in r.aar_med_data]
    if uden:     # a year the source has no closed case for is "–", not "0 kr."
        bred = bred.astype({a: object for a in uden})
        for a in uden:
            bred[a] = None
    note = (f"– : kilden har ingen afsluttede sager fra {' og '.join(uden)}." if uden else None)
    return [
        Tekst(f"## Udviklingen {spaend}"),
        Tabel(bred, (("kategori", "Kategori", "tekst"), *((c, c, "beloeb") for c in bred.columns[1:])),
              titel=f"Provenu pr. kategori {spaend} (kr.)", note=note),
        *_ingen(tomme, f"sager med provenu {spaend}"),
        Figur("soejler_udvikling", r.udvikling, f"Figur 1. Provenu pr. kategori og år, {spaend} (kr.)"),
        *_ydelser_over_aar(r, spaend, uden),
    ]


def _ydelser_over_aar(r: Rapport, spaend: str, uden: list[str]) -> list[Del]:
    """Provenu per ydelse and year with a subtotal per category (Vesthimmerland's table)."""
    df = r.ydelser_over_aar
    if len(df) <= 1:
        return []
    df = df.astype({a: object for a in uden})
    for a in uden:
        df[a] = None
    aarene = [c for c in df.columns if c not in ("kategori", "tekst", "sum")]
    summer = tuple(t for t, s in zip(df["tekst"], df["sum"]) if s)
    return [Tabel(df, (("tekst", "Ydelse", "tekst"), *((a, a, "beloeb") for a in aarene)),
                  titel=f"Provenu pr. ydelse {spaend} (kr.)", sum_raekker=summer, lang=True,
                  note="Pr. kategori: ydelserne og deres sum. Som ved sagens afslutning; korrektioner til tidligere år "
                       "indgår kun i tabellen pr. kategori." + (" – : ingen afsluttede sager i kilden." if uden else ""))]


def _ydelsestabel(df: pd.DataFrame, titel: str) -> list[Del]:
    """A per-ydelse table in UDK's layout. Corrections to earlier years are no ydelse: their row is
    taken out of the body and said in a line under the table (I alt still includes them)."""
    korr = df[df["ydelse"] == KORREKTIONER]
    df = df[df["ydelse"] != KORREKTIONER]
    dele: list[Del] = [Tabel(df.assign(ydelse_tekst=[_ydelse(y) for y in df["ydelse"]]), UDK_KOLONNER, titel=titel,
                             grupper=UDK_GRUPPER)]
    if len(korr) and not _er_nul(korr.iloc[0]["provenu"]):
        dele.append(Tekst(f"I alt indeholder {kr(korr.iloc[0]['provenu'])} i korrektioner til sager afsluttet i "
                          f"tidligere år; de hører ikke til en bestemt ydelse i året."))
    return dele


@_med_fortaelling("aarsrapport", "provenu_ydelser")
def provenu_ydelser(r: Rapport) -> list[Del]:
    """Provenu per ydelse in the layout of Udbetaling Danmark's statusopgørelse."""
    return [
        Tekst(f"## Provenu pr. ydelse\n\n"
              f"Opgørelsen følger Udbetaling Danmarks statusopgørelse: antal og beløb for stop eller nedregulering "
              f"(den fremadrettede besparelse over {horisont(r.aar)}) og for tilbagebetalingskrav, samt "
              f"efterregulering og skat."),
        *_ydelsestabel(r.ydelser, f"Provenu pr. ydelse {r.aar}, alle kategorier"),
    ]


@_med_fortaelling("aarsrapport", "udk_status")
def udk_status(r: Rapport) -> list[Del]:
    """The UDK ydelser's statusopgørelse, or a sentence when there were none."""
    dele: list[Del] = [Tekst(f"### Statusopgørelse for UDK-ydelser {r.aar}")]
    if r.udk_landet is not None and len(r.udk_landet) > 1:      # UDK's statusopgørelse shows the country first
        dele += _ydelsestabel(r.udk_landet, "Landsplan: alle kommuner i kilden")
    if len(r.udk_status) > 1:
        dele += _ydelsestabel(r.udk_status, f"Ydelser som Udbetaling Danmark administrerer, {r.p.kommune}")
    else:
        dele.append(Tekst(f"Der er ikke afsluttet sager med ændret tildeling på UDK-ydelser i {r.aar}."))
    return dele


@_med_fortaelling("aarsrapport", "paragraf11")
def paragraf11(r: Rapport) -> list[Del]:
    """The use of § 11 of the UDK act."""
    s = r.paragraf11.iloc[0]
    raekker = pd.DataFrame([
        ("Afsluttede sager med § 11-svar", tal(s["afsluttede"])),
        ("Heraf med provenu", tal(s["med_provenu"])),
        ("Årlig besparelse", kr(s["fremadrettet_besparelse"])),
        ("Tilbagebetalingskrav", kr(s["tilbagebetalingskrav"])),
        ("Efterregulering", kr(s["efterregulering"])),
        ("Provenu", kr(s["provenu"]))], columns=["maal", "vaerdi"])
    if r.p.paragraf11_retur is not None:
        raekker = pd.concat([pd.DataFrame([("Anmodninger efter § 11, Udbetaling Danmark har modtaget retur fra "
                                            "kommunen", tal(r.p.paragraf11_retur))], columns=["maal", "vaerdi"]),
                             raekker], ignore_index=True)
    return [Tekst(f"### Anvendelse af § 11 i {r.aar}\n\n{PARAGRAF11_NOTE}"),
            Tabel(raekker, (("maal", "Sager hvor kommunen har oplyst en UDK-sag efter UDK-lovens § 11", "tekst"),
                            ("vaerdi", "", "tal")), sum_raekker=("Provenu",),
                  note=("Antallet modtaget retur er Udbetaling Danmarks eget tal fra statusopgørelsen (kommunens "
                        "parametre, paragraf11_retur)." if r.p.paragraf11_retur is not None else None))]


PARAGRAF11_NOTE = (
    "Efter § 11 i lov om Udbetaling Danmark skal kommunen hjælpe Udbetaling Danmark med at oplyse sager om "
    "tilbagebetaling af kontante ydelser og tilskud, som en borger kan have fået uretmæssigt og mod bedre vidende, "
    "når ydelsen hører under Udbetaling Danmark. Kommunen har da samme beføjelser, som når den selv har sagsområdet, "
    "og kommunen og Udbetaling Danmark kan uden borgerens samtykke udveksle oplysninger om borgeren, ægtefællen, "
    "samleveren eller den formodede samlever og andre (formodede) medlemmer af husstanden.")


@_med_fortaelling("aarsrapport", "kanaler")
def kanaler(r: Rapport) -> list[Del]:
    """Closed cases and hit rate per kanal: table and bars."""
    dele: list[Del] = [
        Tekst(f"## Hvor sagerne kommer fra\n\n"
              f"Tabellen viser alle sager afsluttet i {r.aar} efter den kanal, sagen kom ind ad, og hvor stor en "
              f"andel af dem der endte med provenu (hitrate). {kanalmiks(r)}".rstrip()),
        Tabel(r.kanaler, (("tekst", "Kanal", "tekst"), ("afsluttede", "Afsluttede sager", "antal"),
                          ("med_provenu", "Med provenu", "antal"), ("hitrate", "Hitrate", "andel")),
              titel=f"Afsluttede sager og hitrate pr. kanal {r.aar}"),
    ]
    if len(r.kanaler) > 1:
        dele.append(Figur("soejler_vandret", r.kanaler.iloc[:-1], f"Figur 2. Afsluttede sager pr. kanal {r.aar}",
                          {"kat": "tekst", "vaerdi": "afsluttede", "akse": "Afsluttede sager"}))
    return dele


@_med_fortaelling("aarsrapport", "kontroltrin")
def kontroltrin(r: Rapport) -> list[Del]:
    """Kontroltrin 2 and 3: what they are, and cases and provenu per trin."""
    return [
        Tekst("## Kontroltrin 2 og 3\n\n"
              "**Kontroltrin 2** er den løbende økonomiske opfølgning på igangværende sager, fx oplysninger om "
              "flytninger eller ændringer i indkomst, herunder registersamkøringerne til § 10-opfølgning. "
              "**Kontroltrin 3** er sager, hvor det undersøges, om der er snyd med offentlige ydelser, på tværs af "
              "organisationen og i samarbejde med Udbetaling Danmark; de kræver typisk særskilte høringer og "
              "indhentning af yderligere oplysninger."),
        Tabel(r.kontroltrin, (("kontroltrin", "Kontroltrin", "tekst"), ("afsluttede", "Afsluttede sager", "antal"),
                              ("med_aendring", "Med ændret tildeling", "antal"), ("provenu", "Provenu", "kr")),
              titel=f"Sager og provenu pr. kontroltrin {r.aar}",
              note="Provenu som ved sagens afslutning; korrektioner til tidligere år indgår kun i opgørelsen pr. "
                   "kategori."),
    ]


@_med_fortaelling("aarsrapport", "registersamkoeringer")
def registersamkoeringer(r: Rapport) -> list[Del]:
    """The § 10 activation date and the registersamkøring funnel (or why it is missing)."""
    p, aar = r.p, r.aar
    dele: list[Del] = [Tekst("## Registersamkøringer fra Udbetaling Danmark")]
    if p.paragraf10_aktiveringsdato is not None:
        dele.append(Tekst(f"{p.kommune} aktiverede § 10-opfølgning understøttet af registersamkøring den "
                          f"{dato_lang(p.paragraf10_aktiveringsdato)}."))
    else:
        dele.append(Tekst(f"Datoen for {p.kommune}s aktivering af § 10-opfølgning er ikke angivet i kommunens "
                          f"parametre."))
    if r.tragt is None:
        hvorfor = (f"rapporten er dannet fra {r.kilde.beskrivelse}, og kun sagslagerets log kender datoerne for, "
                   f"hvornår en sag blev udstillet og udtaget (kontrolsager-formatet har dem ikke)"
                   if r.kilde.log is None else
                   "sagslageret har ingen sag, der er udstillet fra registersamkøringerne i lageret selv; dets sager "
                   "fra registersamkøringerne er importeret som sagshistorik uden udstillingsdato")
        dele.append(Tekst(
            f"Tragten fra udstillet sag til provenu kan ikke følges for {p.kommune} i {aar}: {hvorfor}. Sagerne fra "
            f"registersamkøringerne indgår i tabellerne ovenfor efter kanal; brugen af kontrolsagerne sammenlignet med "
            f"andre kommuner står i afsnittet om benchmarking."))
        return dele
    t = r.tragt
    tragt = ind.tragt_tabel(t)
    udenfor = (f" De {tal(t.uden_for)} sager fra registersamkøringerne, der blev afsluttet i {aar}, men er importeret "
               f"som sagshistorik uden udstillingsdato, indgår i tabellerne efter kanal, ikke i tragten."
               if t.uden_for else "")
    if t.udstillede == 0:       # no cohort this year: one sentence, no table of zeros
        dele.append(Tekst(f"Ingen sager blev udstillet fra registersamkøringerne i sagslageret i {aar}, så der er "
                          f"ingen tragt for året.{udenfor}"))
        return dele
    daekning = (f"Tragten følger de {tal(t.udstillede)} sager, der første gang blev udstillet i {aar}, frem til i dag, "
                f"så hvert trin er en del af trinnet før.{udenfor}")
    dele += [
        Tekst(daekning),
        Tabel(tragt, (("trin", "Trin", "tekst"), ("antal", "Sager", "antal"),
                      ("andel", "Andel af trinnet før", "andel")),
              titel=f"Sager udstillet i {aar}: fra udstillet sag til provenu", sum_raekker=(),
              note=f"Kilde: {t.kilde}. Udløbne sager er udstillede sager, der ikke blev behandlet inden for "
                   f"{udloebsfrist(aar)}; andelen af udløbne og af endnu ikke afsluttede er af de udstillede."),
        Figur("tragt_graf", tragt,
              f"Figur 3. Sager udstillet i {aar}: udtagne, oprettede, med provenu, udløbne og endnu åbne"),
    ]
    return dele


@_med_fortaelling("aarsrapport", "pr_aarsvaerk")
def pr_aarsvaerk(r: Rapport) -> list[Del]:
    """Provenu per årsværk, or why it cannot be given."""
    dele: list[Del] = [Tekst("## Provenu pr. årsværk")]
    if r.pr_aarsvaerk is None:
        dele.append(Mangler(f"Provenu pr. årsværk kan ikke opgøres: antallet af årsværk for {r.aar} er ikke angivet "
                            f"i {r.p.kommune}s parametre (nøglen aarsvaerk)."))
        return dele
    a = r.pr_aarsvaerk.iloc[0]

    def kr_eller_streg(v) -> str:
        return "–" if v is None else kr(v)
    raekker = pd.DataFrame([
        ("Provenu i alt", kr(a["provenu"])), ("Årsværk i kontrolenheden", tal(a["aarsvaerk"], 1)),
        ("Afsluttede sager", tal(a["afsluttede_sager"])), ("Sager med ændret tildeling", tal(a["sager_med_aendring"])),
        ("Provenu pr. afsluttet sag", kr_eller_streg(a["provenu_pr_afsluttet_sag"])),
        ("Provenu pr. sag med ændret tildeling", kr_eller_streg(a["provenu_pr_sag_med_aendring"])),
        ("Provenu pr. årsværk", kr(a["provenu_pr_aarsvaerk"]))], columns=["maal", "vaerdi"])
    dele.append(Tabel(raekker, (("maal", "Nøgletal", "tekst"), ("vaerdi", str(r.aar), "tal")),
                      sum_raekker=("Provenu pr. årsværk",)))
    if r.p.personale:
        dele.append(Tekst(f"Bemanding i {r.aar}: {r.udfyld(r.p.personale)}"))
    b = r.bemanding
    if sum(v is not None for v in b["aarsvaerk"]) > 1:     # the staffing history (Vesthimmerland's normering)
        dele.append(Tabel(b, (("aar", "År", "tekst"), ("aarsvaerk", "Årsværk", "decimal1"),
                              ("provenu", "Provenu", "kr"), ("pr_aarsvaerk", "Provenu pr. årsværk", "kr")),
                          titel=f"Bemanding og provenu {b.iloc[0]['aar']}–{b.iloc[-1]['aar']}", sum_raekker=(),
                          note="Årsværk fra kommunens parametre for hvert år (– : ikke angivet). Provenu som ved "
                               "sagens afslutning."))
    return dele


ANDELE = ("andel_udtaget", "andel_oprettet", "andel_med_provenu", "andel_udloebet")


@_med_fortaelling("aarsrapport", "benchmark_placering")
def benchmark_placering(r: Rapport) -> list[Del]:
    """The municipality beside its peers in the national benchmark, and its rank."""
    p = r.p
    dele: list[Del] = [Tekst("## Placering i den nationale benchmarking")]
    if r.benchmark is None:
        dele.append(Mangler("Benchmarkingen er ikke tilgængelig: der er ikke angivet en national benchmarkfil "
                            "(benchmark.csv) med kommunens tal. Afsnittet udfyldes, når rapporten dannes med en "
                            "benchmarkfil."))
        return dele
    b = r.benchmark
    egen = b.iloc[0]
    dele += [
        Tabel(br.grupper(b, p.kommune), (
            ("navn", "", "tekst"), ("udstillede", "Udstillede", "antal"), ("andel_udtaget", "Udtaget", "andel"),
            ("andel_oprettet", "Oprettet", "andel"), ("andel_med_provenu", "Med provenu", "andel"),
            ("provenu_pr_sag", "Provenu pr. sag", "kr"),
            ("udstillede_pr_1000", "Udstillede pr. 1.000 modtagere", "decimal1")),
            titel=f"STAR's benchmarking af de registerbaserede kontrolsager, {vindue(r.aar)}", sum_raekker=(p.kommune,),
            note="Andelene er af trinnet før (udtaget af udstillede, oprettet af udtagne, med provenu af "
                 "oprettede), opgjort som STAR gør det: summer over vinduets måneder, ikke de samme sager fulgt "
                 "fra udstilling til afslutning som i tragten ovenfor. Kilde: benchmarkfilen."
                 + (" " + br.OVER_100_NOTE if br.over_100(b, ANDELE) else "")),
        Tekst(f"{p.kommune} ligger nr. {_rang(egen['rang_andel_med_provenu'])} af {tal(b.iloc[-1]['antal_kommuner'])} "
              f"kommuner på andelen af kontrolsager med provenu og nr. {_rang(egen['rang_andel_udtaget'])} på andelen "
              f"af udstillede sager, der udtages til visitering."),
    ]
    return dele


@_med_fortaelling("aarsrapport", "planlagte_indsatser")
def planlagte_indsatser(r: Rapport) -> list[Del]:
    return [Tekst(f"## Planlagte indsatser {r.aar + 1}\n\n" + r.tekst("perspektivering"))]


@_med_fortaelling("aarsrapport", "om_opgoerelsen")
def om_opgoerelsen(r: Rapport) -> list[Del]:
    """How the figures were made: the source, KL's method, and the warnings at loading."""
    advarsler = ""
    if r.kilde.advarsler:
        advarsler = (f" Ved indlæsningen blev der givet {tal(len(r.kilde.advarsler))} advarsler (beløb på sager uden "
                     f"ændret tildeling), som ikke tæller med.")
    return [Tekst(f"## Om opgørelsen\n\n"
                  f"Tallene er opgjort fra {r.kilde.beskrivelse} efter KL's metode: en sag tæller i det år, den er "
                  f"afsluttet; den fremadrettede besparelse er den forventede besparelse over {horisont(r.aar)}; "
                  f"provenu er fremadrettet besparelse, tilbagebetalingskrav, efterregulering og skat. Beløb er "
                  f"opgjort eksakt pr. sag og afrundet til hele kroner i visningen.{advarsler}")]


# --------------------------------------------------------------------------- the committee briefing
@_med_fortaelling("udvalgsorientering", "start")
def udvalg_forside(r: Rapport) -> list[Del]:
    """Title and the agenda item's head: udvalg, mødedato, mødested, punkt, sagsnr., sagsbehandler
    and øvrige sagsbehandlere, from the year's ``moede`` (else the older single keys). A field the
    parameters do not give is left out (no "–"), and a team is no sagsbehandler: without a named
    person the line is left out."""
    p, m = r.p, r.p.moede
    felter = [("Udvalg", (m.udvalg if m and m.udvalg else p.udvalg))]
    dato = m.moededato if m and m.moededato else p.moededato
    if dato:
        felter.append(("Mødedato", dato_lang(dato)))
    if m and m.moedested:
        felter.append(("Mødested", m.moedested))
    if m and m.punkt is not None:
        felter.append(("Punkt", f"{m.punkt}. Orientering om kontrolindsatsen {r.aar}"))
    nr = m.sagsnummer if m and m.sagsnummer else p.sagsnummer
    if nr:
        felter.append(("Sagsnr.", nr))
    personer = list(m.sagsbehandlere or ()) if m else []
    if not personer and p.sagsbehandler and p.sagsbehandler != p.enhed:
        personer = [p.sagsbehandler]
    if personer:
        felter.append(("Sagsbehandler", personer[0]))
    if len(personer) > 1:
        felter.append(("Øvrige sagsbehandlere", _og(personer[1:])))
    return [Forside(f"Orientering om kontrolindsatsen {r.aar}", dagsorden=tuple(felter))]


def _og(navne: list[str]) -> str:
    """'A', 'A og B', 'A, B og C'."""
    return navne[0] if len(navne) == 1 else ", ".join(navne[:-1]) + " og " + navne[-1]


def kanalmiks(r: Rapport) -> str:
    """One sentence on where the year's closed cases came from (Herning's "hovedparten af sagerne
    er afdækket på baggrund af anonyme anmeldelser"): the largest kanal, called "hovedparten" when
    it holds more than half, else "den største gruppe"; then the next two. Empty without cases."""
    k = r.kanaler.iloc[:-1].sort_values(["afsluttede", "tekst"], ascending=[False, True], kind="stable")
    n = int(r.kanaler.iloc[-1]["afsluttede"])
    if n == 0 or k.empty:
        return ""
    foerste = k.iloc[0]
    andel = int(foerste["afsluttede"]) / n
    hvor = "Hovedparten" if andel > 0.5 else "Den største gruppe"
    tekst = (f"{hvor} af de {tal(n)} sager, der blev afsluttet i {r.aar}, kom ind ad kanalen "
             f"{foerste['tekst']} ({tal(int(foerste['afsluttede']))} sager).")
    oevrige = [f"{x['tekst']} ({tal(int(x['afsluttede']))})" for x in k.iloc[1:3].to_dict("records")]
    if oevrige:
        tekst += f" Derefter fulgte kanalerne {_og(oevrige)}." if len(oevrige) > 1 else \
            f" Derefter fulgte kanalen {oevrige[0]}."
    return tekst


@_med_fortaelling("udvalgsorientering", "udvalg_sagsresume")
def udvalg_sagsresume(r: Rapport) -> list[Del]:
    return [Tekst("## Sagsresume\n\n" + r.tekst("sagsresume"))]


@_med_fortaelling("udvalgsorientering", "udvalg_sagsfremstilling")
def udvalg_sagsfremstilling(r: Rapport) -> list[Del]:
    return [Tekst("## Sagsfremstilling\n\n" + r.tekst("sagsfremstilling"))]


@_med_fortaelling("udvalgsorientering", "udvalg_resultat")
def udvalg_resultat(r: Rapport) -> list[Del]:
    """The result: the municipality's text, cases and provenu for the year and the year before, chart."""
    aar, forrige = r.aar, r.aar - 1
    tabel, tomme = uden_nulraekker(ind.udvalg_tabel(r), "kategori", ("sager_forrige", "provenu_forrige", "sager", "provenu"))
    uden_forrige = forrige not in r.aar_med_data
    if uden_forrige:     # a year the source has no closed case for is "–", not "0 kr." (as in the annual report)
        tabel = tabel.astype({"sager_forrige": object, "provenu_forrige": object})
        tabel["sager_forrige"], tabel["provenu_forrige"], tabel["lille_forrige"] = None, None, False
    return [
        Tekst("## Resultat\n\n" + r.tekst("resultat") + ("\n\n" + kanalmiks(r) if kanalmiks(r) else "")),
        Tabel(tabel, (
            ("kategori", "Kategori", "tekst"), ("sager_forrige", f"Sager {forrige}", "antal"),
            ("provenu_forrige", f"Provenu {forrige}", "kr"), ("sager", f"Sager {aar}", "antal"),
            ("provenu", f"Provenu {aar}", "kr")),
            titel=f"Provenu pr. kategori {forrige} og {aar}",
            maerker={"provenu_forrige": "lille_forrige", "provenu": "lille"},
            note=f"Brutto, opgjort efter KL's metode (fremadrettet besparelse over {horisont(aar)} + "
                 f"tilbagebetalingskrav + efterregulering + skat). Sager: afsluttede sager med ændret tildeling."
                 + (f" – : kilden har ingen afsluttede sager fra {forrige}." if uden_forrige else "")),
        *_ingen(tomme, f"sager med provenu i {forrige} og {aar}"),
        Figur("soejler_udvikling", r.udvikling, f"Provenu pr. kategori {_aarsspaend(r)} (kr.)"),
    ]


@_med_fortaelling("udvalgsorientering", "udvalg_sammenligning")
def udvalg_sammenligning(r: Rapport) -> list[Del]:
    """The benchmark in one sentence, or a note that it is missing."""
    dele: list[Del] = [Tekst("### Sammenligning med andre kommuner")]
    if r.benchmark is None:
        dele.append(Mangler("Sammenligningen med andre kommuner er ikke tilgængelig: orienteringen er dannet uden den "
                            "nationale benchmarkfil."))
        return dele
    egen, land = r.benchmark.iloc[0], r.benchmark.iloc[-1]
    dele.append(Tekst(
        f"I den nationale benchmarking af de registerbaserede kontrolsager ({vindue(r.aar)}) "
        f"endte {procent(egen['andel_med_provenu'])} af {r.p.kommune}s oprettede kontrolsager med provenu mod "
        f"{procent(land['andel_med_provenu'])} på landsplan, og kommunen udtog {procent(egen['andel_udtaget'])} "
        f"af de udstillede sager til visitering mod {procent(land['andel_udtaget'])} på landsplan."
        + (" " + br.OVER_100_NOTE if br.over_100(r.benchmark.iloc[[0, -1]], ANDELE) else "")))
    return dele


@_med_fortaelling("udvalgsorientering", "udvalg_indstilling")
def udvalg_indstilling(r: Rapport) -> list[Del]:
    """The recommendation (the meeting's own, else ``tekster.indstilling``) and, once the committee
    has met, its decision."""
    m = r.p.moede
    indstilling = r.udfyld(m.indstilling) if m and m.indstilling else r.tekst("indstilling")
    dele: list[Del] = [Tekst(f"## Indstilling\n\n{r.p.indstiller} indstiller,\n\n{indstilling}")]
    if m and m.beslutning:
        dele.append(Tekst(f"## Beslutning\n\n{r.udfyld(m.beslutning)}"))
    return dele


# --------------------------------------------------------------------------- the benchmark report
def _stjerne(b: BenchmarkRapport, maal: str) -> str:
    return " *" if b.lille(maal) else ""


def benchmark_forside(b: BenchmarkRapport) -> list[Del]:
    """Title, what the report compares, the key figures and the municipality's ranks."""
    p, vindue_ = b.p, br.vindue_tekst(b.maaned)
    egen = b.egen
    dele: list[Del] = [
        Forside("Benchmark af kontrolsagerne", f"{p.kommune} · {vindue_}"),
        Tekst(f"Rapporten sammenligner {p.kommune}s brug af de registerbaserede kontrolsager fra Udbetaling Danmark "
              f"med de øvrige kommuner i regionen, med kommuner af samme størrelse og med hele landet. Alle tal er "
              f"summer over {vindue_} fra den nationale benchmarkfil ({tal(b.antal_kommuner)} kommuner); andelene er "
              f"beregnet af summerne. Rapporten indeholder kun antal pr. kommune og måned, ingen oplysninger om den "
              f"enkelte borger."),
        Noegletal((
            ("Udstillede sager", tal(egen["udstillede"])),
            ("Udtaget til visitering" + _stjerne(b, "andel_udtaget"), procent(egen["andel_udtaget"])),
            ("Kontrolsager med provenu" + _stjerne(b, "andel_med_provenu"), procent(egen["andel_med_provenu"])),
            ("Provenu pr. kontrolsag" + _stjerne(b, "provenu_pr_sag"),
             "–" if egen["provenu_pr_sag"] is None else kr(egen["provenu_pr_sag"])),
        )),
    ]
    if any(b.lille(m) for m in ("andel_udtaget", "andel_med_provenu", "provenu_pr_sag")):
        dele.append(LilleNote())
    dele.append(Tekst(
        f"{p.kommune} ligger nr. {b.rang('andel_med_provenu')} af {tal(b.antal_kommuner)} kommuner på andelen af "
        f"kontrolsager med provenu og nr. {b.rang('andel_udtaget')} på andelen af udstillede sager, der udtages til "
        f"visitering (nr. 1 er den højeste andel; en andel opgjort på færre end {bm.LILLE_GRAENSE} sager får ingen "
        f"placering)."))
    return dele


def benchmark_tragt(b: BenchmarkRapport) -> list[Del]:
    """The funnel beside region, size peers and country; the groups' counts; grouped bars."""
    p = b.p
    return [
        Tekst("## Fra udstillet sag til provenu"),
        Tabel(b.tragt, (("trin", "Trin", "tekst"), ("antal", f"{p.kommune}: sager", "antal"),
                        ("andel_kommune", p.kommune, "andel"), ("andel_region", "Øvrige i regionen", "andel"),
                        ("andel_stoerrelse", "Samme størrelse", "andel"), ("andel_landet", "Hele landet", "andel")),
              titel=f"Andel af trinnet før, {br.vindue_tekst(b.maaned)}", sum_raekker=(),
              grupper=(("", 2), ("Andel af trinnet før", 4)),
              maerker={"andel_kommune": "lille_kommune", "andel_region": "lille_region",
                       "andel_stoerrelse": "lille_stoerrelse", "andel_landet": "lille_landet"},
              note="Udtaget er andelen af de udstillede, oprettet af de udtagne, med provenu af de oprettede; "
                   "udløbet (udstillede sager, der ikke blev behandlet inden for fristen) er andelen af de "
                   "udstillede. Andelene kan overstige 100 %, fordi en sag kan være udstillet før vinduet og udtaget "
                   "i det."),
        Tabel(b.grupper, (("navn", "", "tekst"), ("antal_kommuner", "Kommuner", "antal"),
                          ("udstillede", "Udstillede", "antal"), ("udtagne", "Udtagne", "antal"),
                          ("oprettede", "Oprettede", "antal"), ("med_provenu", "Med provenu", "antal"),
                          ("udloebne", "Udløbne", "antal"), ("provenu_pr_sag", "Provenu pr. sag", "kr"),
                          ("udstillede_pr_1000", "Udstillede pr. 1.000 modtagere", "decimal1")),
              titel="Antal sager i grupperne", sum_raekker=(p.kommune,),
              maerker={"provenu_pr_sag": "lille_provenu_pr_sag"},
              note=f"Regionen: de øvrige kommuner i {p.kommune}s region. Samme størrelse: de {bm.STOERRELSE_ANTAL} "
                   f"kommuner, der ligger nærmest {p.kommune} i gennemsnitligt antal ydelsesmodtagere i vinduet. "
                   f"Kommunen selv indgår ikke i grupperne."),
        Figur("tragt_sammenligning_graf", b.tragt,
              f"Figur 1. Andel af trinnet før: {p.kommune}, regionen, kommuner af samme størrelse og hele landet",
              {"kommunenavn": p.kommune}),
    ]


def benchmark_omraader(b: BenchmarkRapport) -> list[Del]:
    """The municipality beside the country per ydelsesområde and kontroltrin."""
    p = b.p
    return [
        Tekst("## Pr. ydelsesområde og kontroltrin"),
        Tabel(b.pr_omraade, (("omraade", "Ydelsesområde og kontroltrin", "tekst"),
                             ("udstillede", "Udstillede", "antal"),
                             ("andel_udtaget", p.kommune, "andel"), ("landet_andel_udtaget", "Hele landet", "andel"),
                             ("andel_med_provenu", p.kommune, "andel"),
                             ("landet_andel_med_provenu", "Hele landet", "andel")),
              grupper=(("", 2), ("Udtaget af udstillede", 2), ("Med provenu af oprettede", 2)), sum_raekker=(),
              maerker={"andel_udtaget": "lille_udtaget", "andel_med_provenu": "lille_med_provenu"},
              titel=f"{p.kommune} og hele landet pr. ydelsesområde og kontroltrin"),
    ]


RANG_MAERKER = {**{f"andel_{m}": f"lille_andel_{m}" for m in ("udtaget", "oprettet", "med_provenu", "udloebet")},
                "provenu_pr_sag": "lille_provenu_pr_sag"}


def benchmark_alle_kommuner(b: BenchmarkRapport) -> list[Del]:
    """Every municipality ranked on the share with provenu; the own highlighted."""
    p = b.p
    return [
        Tekst("## Alle kommuner"),
        Tabel(b.rangtabel, (("rang", "Nr.", "antal"), ("kommunenavn", "Kommune", "tekst"),
                            ("udstillede", "Udstillede", "antal"), ("andel_udtaget", "Udtaget", "andel"),
                            ("andel_oprettet", "Oprettet", "andel"), ("andel_med_provenu", "Med provenu", "andel"),
                            ("andel_udloebet", "Udløbet", "andel"), ("provenu_pr_sag", "Provenu pr. sag", "kr")),
              titel=f"Kommunerne efter andelen af kontrolsager med provenu, {br.vindue_tekst(b.maaned)}",
              sum_raekker=(),
              maerker=RANG_MAERKER, fremhaev="egen", lang=True,
              note=f"Nr. er placeringen på andelen med provenu (1 = højest; samme andel giver samme nummer). Kommuner, "
                   f"hvis andel er opgjort på færre end {bm.LILLE_GRAENSE} sager eller ikke kan opgøres (–), har ingen "
                   f"placering og står sidst. {p.kommune} er fremhævet."
                   + (" " + br.OVER_100_NOTE if br.over_100(b.rangtabel, ANDELE) else "")),
    ]


def benchmark_udvikling(b: BenchmarkRapport) -> list[Del]:
    """The trend over the windows: the municipality against the country, one figure per measure
    (each kept whole on its page; two small figures fill the foot of a page where one tall figure
    would move overleaf and leave the page a third empty, issue 14)."""
    maalene = list(dict.fromkeys(b.udvikling_lang["maal"]))
    dele: list[Del] = [Tekst("## Udviklingen")]
    if not maalene:
        return dele + [Tekst(f"Benchmarkfilen dækker endnu ikke et helt {bm.VINDUE_MAANEDER}-måneders-vindue, så "
                             f"udviklingen vises ikke.")]
    for nr, maal in enumerate(maalene, start=2):
        tekst_ = f"Figur {nr}. {maal}: {b.p.kommune} og hele landet"
        if nr == 2:
            tekst_ += (f" i de {tal(len(b.udvikling))} hele {bm.VINDUE_MAANEDER}-måneders-vinduer, benchmarkfilen "
                       f"dækker (måneden er vinduets sidste). En åben cirkel: kommunens andel er opgjort på færre end "
                       f"{bm.LILLE_GRAENSE} sager.")
        else:
            tekst_ += ", samme vinduer."
        dele.append(Figur("linjer_udvikling",
                          b.udvikling_lang[b.udvikling_lang["maal"] == maal].reset_index(drop=True), tekst_))
    return dele


def _figur_nr_spredning(b: BenchmarkRapport) -> int:
    """The scatter's figure number: after the funnel (1) and one trend figure per measure."""
    return 2 + len(dict.fromkeys(b.udvikling_lang["maal"]))


def benchmark_spredning(b: BenchmarkRapport) -> list[Del]:
    """Scatter of the two shares for every municipality."""
    p = b.p
    udeladt = (f" {tal(b.uden_punkt)} kommuner er ikke vist, fordi en af andelene ikke kan opgøres."
               if b.uden_punkt else "")
    return [
        Tekst("## Udtagelse og provenu i alle kommuner"),
        Figur("punkter_andele", b.spredning,
              f"Figur {_figur_nr_spredning(b)}. Hver kommune: andelen af udstillede sager, der udtages, mod andelen af kontrolsager med "
              f"provenu. {p.kommune} er fremhævet; en åben cirkel er en kommune, hvor en af andelene er opgjort på "
              f"færre end {bm.LILLE_GRAENSE} sager.{udeladt}"
              + (" " + br.OVER_100_NOTE if br.over_100(b.spredning, ANDELE) else ""),
              {"kommunenavn": p.kommune}),
    ]


def benchmark_afstemning(b: BenchmarkRapport) -> list[Del]:
    """With a case store: the file's sums beside the store's log (nothing without a store). The
    report's appendix: its table may break across pages (the headings repeat), so that it fills the
    foot of the page after the kept-whole scatter instead of leaving it a third empty (issue 14)."""
    if b.afstemning is None:
        return []
    a = b.afstemning
    return [
        Tekst("## Afstemning med sagslageret"),
        Tabel(a.assign(status=["stemmer" if s else "afviger" for s in a["stemmer"]]),
              (("maal", "", "tekst"), ("fil", "Benchmarkfilen", "antal"), ("log", "Sagslagerets log", "antal"),
               ("status", "", "tekst")),
              titel=f"{b.p.kommune}s tal, {br.vindue_tekst(b.maaned)}", sum_raekker=(), lang=True,
              note="Sagslagerets tal er talt fra loggen med samme regler som kommunens egen benchmark-eksport "
                   "(kontrol benchmark-eksport), måned for måned. Provenu i hele kroner."),
    ]


def benchmark_om_opgoerelsen(b: BenchmarkRapport) -> list[Del]:
    return [Tekst(
        f"## Om opgørelsen\n\n"
        f"Kilde: den nationale benchmarkfil, {br.vindue_tekst(b.maaned)}. Hver andel er forholdet mellem to summer "
        f"over vinduet\n(fx udtagne / udstillede) og afrundes først i visningen. En andel, hvis nævner er under "
        f"{bm.LILLE_GRAENSE} sager, er mærket med * og får\ningen placering: den kan skyldes enkelte sager og bør ikke "
        f"tillægges vægt. Hvor nævneren er 0, vises –.\nTællingerne i en måned beskriver ikke nødvendigvis de samme "
        f"sager (en sag udstillet i marts kan udtages i april),\nså en andel kan overstige 100 % ved vinduets kanter.")]


# --------------------------------------------------------------------------- the analyst's exploration
def udforskning_indlaest(r: Rapport) -> list[Del]:
    """What was loaded: rows, source and the year's provenu."""
    return [Udskrift(f"{r.p.kommune}: {tal(len(r.kilde.sager))} sagsrækker fra {r.kilde.beskrivelse}; "
                     f"provenu {r.aar}: {kr(r.provenu_i_alt)}")]


def provenu_bag(r: Rapport) -> pd.DataFrame:
    """The year's case rows with changed allocation, for the drill-down chart: kategori, ydelse
    (Danish label) and provenu (exact)."""
    rows = ind.sager_bag(r.kilde, aar=r.aar, kun_aendret=True)
    return pd.DataFrame({"kategori": list(rows["kategori"]), "ydelse": [_ydelse(y) for y in rows["ydelse"]],
                         "provenu": list(rows["provenu"])})


def sager_bag(r: Rapport, kategori: str | None = None, ydelse: str | None = None, kanal: str | None = None,
              kontroltrin: int | None = None, kun_aendret: bool = True) -> list[Del]:
    """The case rows behind a figure of the year (:func:`indhold.sager_bag`) with a summary line."""
    rows = ind.sager_bag(r.kilde, aar=r.aar, kategori=kategori, ydelse=ydelse, kanal=kanal,
                         kontroltrin=kontroltrin, kun_aendret=kun_aendret)
    return [Udskrift(f"{tal(rows['sag_id'].nunique())} sager, {tal(len(rows))} rækker; provenu i alt: "
                     f"{kr(ind.i_alt(rows))}"),
            Raekker(rows)]


def _valg(koder, tekster: dict | None = None) -> list[tuple[str, object]]:
    return [("Alle", None)] + [(tekst(tekster, k) if tekster else str(k), k) for k in koder]


def sager_bag_valg(r: Rapport) -> dict:
    """The choices of the interactive filter over :func:`sager_bag`, as (Danish label, value)."""
    s = r.kilde.sager
    return {"kategori": _valg(KATEGORIER), "ydelse": _valg(sorted(set(s["ydelse"])), YDELSE_TEKST),
            "kanal": _valg(sorted(set(s["kanal"])), KANAL_TEKST),
            "kontroltrin": _valg(KONTROLTRIN_TEKST, KONTROLTRIN_TEKST),
            "kun_aendret": True}


def afproevning(kriterium: str, data: str, dato: str) -> list[Del]:
    """'Prøv et nyt kontrolkriterium': how many persons each step of ``kriterium`` (YAML, as a
    list file) keeps on the registers in ``data`` on ``dato`` (ÅÅÅÅ-MM-DD); no CPR. Without a
    register folder, or with one that does not exist, the section is skipped with a Danish note;
    an error in the criterion is shown as the list module's Danish error."""
    if not data:
        return [Mangler("Afprøvningen af et kriterium springes over: der er ikke angivet en registermappe "
                        "(parameteren data, fx ../data/demo/registre efter make demo).")]
    if not Path(data).is_dir():
        return [Mangler(f"Afprøvningen af et kriterium springes over: registermappen {data} findes ikke "
                        "(kør make demo, eller sæt parameteren data til en mappe med registre).")]
    try:
        koerselsdato = dt.date.fromisoformat(dato)
    except (TypeError, ValueError):
        raise KontrolFejl(f"Parameteren dato skal skrives ÅÅÅÅ-MM-DD, fx 2024-05-15, ikke {dato!r}") from None
    try:
        tragt = afproev_kriterium(kriterium, data, koerselsdato)
    except KontrolFejl as e:        # an error in the criterion: every problem named, in Danish
        return [Mangler(str(e))]
    return [Tabel(tragt, (("trin", "Trin", "antal"), ("beskrivelse", "Beskrivelse", "tekst"),
                          ("personer", "Personer", "antal")), sum_raekker=(),
                  titel=f"Kriteriet afprøvet på {data}, kørselsdato {dato}"),
            Udskrift(f"Listen ville udvælge {tal(tragt.iloc[-1]['personer'])} personer.")]
