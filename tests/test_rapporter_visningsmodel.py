"""The reports' view-model (kontrol_lib/rapporter/visningsmodel.py): every table specification,
label and sentence the notebooks show, with exact values on the small fixtures.

Ballerup 2023 from ``tests/data/provenu/ballerup_2019_2023.csv`` gives the figures of Ballerup's own
annual report 2023 (the same figures tests/test_rapporter.py finds in the rendered report); the
benchmark sections use ``tests/data/benchmark/tre_kommuner.csv``, computed by hand in the docstring
of tests/test_rapporter_benchmark.py. Tables are read as a reader sees them: rendered by
``visning.tabel_html`` and flattened to ``|cell||cell|``.
"""

import re
import shutil
import typing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import HTML, Markdown

from kontrol_lib.maal.provenu import KORREKTIONER
from kontrol_lib.parametre import daterede
from kontrol_lib.rapporter import benchmarkrapport as br
from kontrol_lib.rapporter import indhold as ind
from kontrol_lib.rapporter import visning as vis
from kontrol_lib.rapporter import visningsmodel as vm
from kontrol_lib.vokabular.fejl import KontrolFejl

ROOT = Path(__file__).resolve().parents[1]
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"
TRE = ROOT / "tests" / "data" / "benchmark" / "tre_kommuner.csv"
# Ballerup and København in June 2023 (as in tests/test_rapporter.py): Ballerup 20 exposed → 10
# taken → 8 created → 4 with provenu, 2 expired; the country 120 → 60 → 33 → 14.
LILLE_BENCHMARK = ("kommunekode;maaned;ydelsesomraade;kontroltrin;udstillede;udtagne;oprettede;med_stop;med_krav;"
                   "med_provenu;provenu;udloebne;ydelsesmodtagere\n"
                   "151;2023-06;kontanthjaelp;3;20;10;8;3;2;4;50000,00;2;1000\n"
                   "101;2023-06;kontanthjaelp;3;100;50;25;6;6;10;200000,00;5;10000\n")


@pytest.fixture(scope="module")
def r():
    return ind.rapport(151, 2023, sager=str(BALLERUP))


@pytest.fixture(scope="module")
def r_bm(tmp_path_factory):
    bm = tmp_path_factory.mktemp("bm") / "benchmark.csv"
    bm.write_text(LILLE_BENCHMARK, encoding="utf-8")
    return ind.rapport(151, 2023, sager=str(BALLERUP), benchmark=str(bm))


@pytest.fixture(scope="module")
def laesoe():
    """A municipality with no cases in the file and only the standard parameters."""
    return ind.rapport(825, 2023, sager=str(BALLERUP))


@pytest.fixture(scope="module")
def kbh():
    return br.benchmark_rapport(101, 2024, str(TRE), maaned="2024-04")


@pytest.fixture(scope="module")
def frb():
    return br.benchmark_rapport(147, 2024, str(TRE), maaned="2024-04")


def _celler(t: vm.Tabel) -> str:
    html = vis.tabel_html(t.data, t.kolonner, t.titel, t.sum_raekker, t.note, t.grupper, t.maerker, t.fremhaev,
                          t.lang)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", html))


def _tekst(d: vm.Tekst) -> str:
    """The Markdown as shown (an amount ending a sentence keeps one full stop)."""
    return vis.tekst(d.markdown).data


def _af(dele, slags):
    return [d for d in dele if isinstance(d, slags)]


# --------------------------------------------------------------------------- numbers in the prose
def test_the_horizon_the_expiry_and_the_window_come_from_parameters_and_the_benchmark_module():
    assert vm.horisont(2023) == "12 måneder"          # parameters/provenu/horisont_maaneder.yaml
    assert vm.udloebsfrist(2023) == "tre måneder"     # parameters/sagsstyring/udloeb_maaneder.yaml
    assert vm.vindue(2023) == "12 måneder til december 2023"   # benchmark.VINDUE_MAANEDER


@pytest.fixture
def andre_parametre(tmp_path, monkeypatch):
    """A copy of parameters/ where the horizon is 6 months from 1 July 2023 and an exposed case
    expires after one month from 1 January 2023."""
    mappe = tmp_path / "parameters"
    shutil.copytree(ROOT / "parameters", mappe)
    for navn, tilfoej in (("provenu/horisont_maaneder.yaml", "  2023-07-01: 6\n"),
                          ("sagsstyring/udloeb_maaneder.yaml", "  2023-01-01: 1\n")):
        f = mappe / navn
        f.write_text(f.read_text(encoding="utf-8").rstrip("\n") + "\n" + tilfoej, encoding="utf-8")
    monkeypatch.setenv("KONTROL_PARAMETRE", str(mappe))
    daterede.alle.cache_clear()
    yield mappe
    monkeypatch.undo()
    daterede.alle.cache_clear()


def test_the_prose_follows_the_dated_parameters_in_force_at_the_end_of_the_year(r, r_bm, andre_parametre):
    assert vm.horisont(2023) == "seks måneder" and vm.horisont(2022) == "12 måneder"
    assert "(den fremadrettede besparelse over seks måneder)" in _tekst(vm.provenu_ydelser(r)[0])
    assert "den forventede besparelse over seks måneder;" in _tekst(vm.om_opgoerelsen(r)[0])
    assert "(fremadrettet besparelse over seks måneder + " in _af(vm.udvalg_resultat(r), vm.Tabel)[0].note
    log = pd.DataFrame([{"sag_id": "A", "til": "udstillet", "dato": "2023-03-01"}])
    med_log = replace(r, tragt=ind.tragt(ind.Kilde(sager=r.kilde.sager, log=log), 151, 2023))
    tragt = _af(vm.registersamkoeringer(med_log), vm.Tabel)[0]
    assert "der ikke blev behandlet inden for én måned;" in tragt.note


# --------------------------------------------------------------------------- the annual report
def test_the_title_block_and_the_four_key_figures(r):
    forside, noegletal = vm.aarsrapport_forside(r)
    assert forside == vm.Forside(
        "Årsrapport 2023", "Team CPR og Kontrol · Center for Borgerservice, Digitalisering og IT · Ballerup Kommune")
    assert noegletal.tal == (("Samlet provenu 2023", "11.264.947 kr."), ("Sager med ændret tildeling", "31"),
                             ("Sager med provenu af alle afsluttede", "86,1 %"),
                             ("Provenu pr. årsværk", "1.733.069 kr."))


def test_without_aarsvaerk_the_key_figure_is_left_out_and_the_section_says_why(laesoe):
    # issue 14: no "ikke oplyst" card on the front page
    assert [k for k, _ in vm.aarsrapport_forside(laesoe)[1].tal] == [
        "Samlet provenu 2023", "Sager med ændret tildeling", "Sager med provenu af alle afsluttede"]
    overskrift, mangler = vm.pr_aarsvaerk(laesoe)
    assert _tekst(overskrift) == "## Provenu pr. årsværk"
    assert mangler == vm.Mangler("Provenu pr. årsværk kan ikke opgøres: antallet af årsværk for 2023 er ikke angivet "
                                 "i Læsø Kommunes parametre (nøglen aarsvaerk).")


def test_the_introduction_and_the_plans_are_the_municipalitys_texts(r):
    assert _tekst(vm.indledning(r)[0]).startswith("## Indledning\n\nDenne årsrapport opsummerer arbejdet i "
                                                  "Team CPR og Kontrol i 2023")
    assert _tekst(vm.planlagte_indsatser(r)[0]).startswith("## Planlagte indsatser 2024\n\nTeam CPR og Kontrol "
                                                           "arbejder fortsat")


def test_provenu_per_category_sentence_table_and_netto_line(r):
    tekst, tabel, forklaringer, ingen, netto = vm.provenu_kategorier(r)
    assert _tekst(tekst) == (
        "## Provenu 2023\n\nI alt er der beregnet et provenu på **11.264.947 kr.** for Team CPR og Kontrol i 2023 "
        "fordelt på 31 sager med ændret tildeling. Beløbet dækker alle de områder, der er behandlet sager på. "
        "Året før var provenuet 8.030.923 kr.")
    assert tabel.titel == "Samlet opgørelse af provenu 2023"
    assert tabel.overskrifter == ["Kategori", "Sager", "Fremadrettet besparelse, kr.", "Tilbagebetalingskrav, kr.",
                                  "Efterregulering, kr.", "Skat, kr.", "Provenu, kr."]
    # issue 14: an empty category is left out and named in one line
    # issue 14: Ballerup's own order and one-line explanations (kategori_raekkefoelge, kategori_forklaringer)
    assert tabel.kolonne("Kategori") == ["KL-ydelser", "UDK-ydelser", "§ 11-sager fra UDK", "Stop af tilflytninger",
                                         "SU-sager", "I alt"]
    assert _tekst(forklaringer).splitlines() == [
        "- **KL-ydelser**: kommunale ydelser, som indberettes til KL.",
        "- **UDK-ydelser**: ydelser, som Udbetaling Danmark administrerer.",
        "- **§ 11-sager fra UDK**: sager, hvor kommunen efter § 11 har pligt til at oplyse sagen for Udbetaling "
        "Danmark.",
        "- **Stop af tilflytninger**: udgifter, kommunen ville have fået, hvis tilflytningen ikke var stoppet.",
        "- **SU-sager**: tilbagebetalingskrav på SU i sager, teamet har behandlet og sendt videre til SU-styrelsen."]
    assert _tekst(ingen) == "Ingen sager med provenu i 2023 i: Andre myndigheder."
    assert tabel.kolonne("Provenu, kr.")[-1] == Decimal("11264947.00")
    celler = _celler(tabel)
    assert "|§ 11-sager fra UDK||1||118.176||996.981||0||0||1.115.157|*|" in celler      # 1 case: marked
    assert "|KL-ydelser||12||2.841.052||2.831.959||0||91.346||5.764.357||" in celler     # 12 cases: not
    assert "|I alt||31||3.641.834||7.438.669||93.098||91.346||11.264.947||" in celler
    assert tabel.note.startswith("Sager: antal afsluttede sager med ændret tildeling.")
    assert "* Opgjort på færre end 5 sager" in celler
    assert _tekst(netto) == ("Heraf udgør kommunens andel efter statsrefusion (**netto**) 5.758.837 kr. Alle øvrige "
                             "beløb i rapporten er brutto, som KL og Udbetaling Danmark opgør dem.")
    assert tabel.note == ("Sager: antal afsluttede sager med ændret tildeling. En sag, der berører flere kategorier, "
                          "tælles i hver af dem, men kun én gang i I alt.")


def test_a_provenu_part_that_is_zero_in_every_category_is_no_column_of_zeros(r):
    """Issue 14 (make demo: an all-zero Skat column): the column is left out and the note says so;
    with no closed case the year before, the sentence about that year is left out (no "0 kr.")."""
    uden_skat = replace(r, kategorier=r.kategorier.assign(skat=Decimal("0.00"), efterregulering=Decimal("0.00")))
    tabel = vm.provenu_kategorier(uden_skat)[1]
    assert tabel.overskrifter == ["Kategori", "Sager", "Fremadrettet besparelse, kr.", "Tilbagebetalingskrav, kr.",
                                  "Provenu, kr."]
    assert tabel.note.endswith("kun én gang i I alt. Efterregulering og Skat er 0 kr. i alle kategorier i 2023 og "
                               "vises ikke som kolonne.")
    r19 = ind.rapport(151, 2019, sager=str(BALLERUP))
    assert _tekst(vm.provenu_kategorier(r19)[0]).endswith("Beløbet dækker alle de områder, der er behandlet sager på.")


def test_the_development_spans_the_years_of_its_table(r):
    tekst, tabel, ingen, figur, pr_ydelse = vm.udvikling(r)
    assert pr_ydelse.titel == "Provenu pr. ydelse 2019–2023 (kr.)"
    assert _tekst(ingen) == "Ingen sager med provenu 2019–2023 i: Andre myndigheder."
    assert tabel.note is None          # every year has data
    assert _tekst(tekst) == "## Udviklingen 2019–2023"
    assert tabel.titel == "Provenu pr. kategori 2019–2023 (kr.)"
    assert tabel.overskrifter == ["Kategori", "2019", "2020", "2021", "2022", "2023"]
    assert "|I alt||6.593.056||2.401.556||5.599.360||8.030.923||11.264.947||" in _celler(tabel)
    assert (figur.diagram, figur.tekst) == ("soejler_udvikling", "Figur 1. Provenu pr. kategori og år, 2019–2023 (kr.)")
    assert figur.data is r.udvikling
    assert _tekst(vm.udvikling(ind.rapport(151, 2022, sager=str(BALLERUP)))[0]) == "## Udviklingen 2018–2022"


def test_provenu_per_ydelse_in_udks_layout_with_danish_labels(r):
    tekst, tabel = vm.provenu_ydelser(r)
    assert _tekst(tekst) == (
        "## Provenu pr. ydelse\n\nOpgørelsen følger Udbetaling Danmarks statusopgørelse: antal og beløb for stop "
        "eller nedregulering (den fremadrettede besparelse over 12 måneder) og for tilbagebetalingskrav, samt "
        "efterregulering og skat.")
    assert tabel.titel == "Provenu pr. ydelse 2023, alle kategorier"
    assert tabel.overskrifter == ["Værdi i kr. og antal", "Antal", "Beløb", "Antal", "Beløb", "Beløb", "Beløb", "Beløb"]
    assert tabel.grupper == (("", 1), ("Stop/nedregulering", 2), ("Tilbagebetalingskrav", 2), ("Efterregulering", 1),
                             ("Skat", 1), ("Provenu i alt", 1))
    assert tabel.kolonne("Værdi i kr. og antal")[:3] == ["Kontanthjælp", "Uddannelseshjælp", "Integrationsydelse"]
    celler = _celler(tabel)
    assert "|Førtidspension||2||141.996||2||854.926||93.098||0||1.090.020||" in celler
    assert "|I alt||26||3.641.834||31||7.438.669||93.098||91.346||11.264.947||" in celler


def test_the_udk_statement_or_a_sentence_when_there_were_no_udk_cases(r, laesoe):
    overskrift, landsplan, tabel = vm.udk_status(r)     # issue 14: UDK's Landsplan block first (see fortaelling)
    assert landsplan.titel == "Landsplan: alle kommuner i kilden"
    assert _tekst(overskrift) == "### Statusopgørelse for UDK-ydelser 2023"
    assert tabel.titel == "Ydelser som Udbetaling Danmark administrerer, Ballerup Kommune"
    assert tabel.kolonne("Værdi i kr. og antal") == ["Boligydelse", "Børne- og ungeydelse", "Børnetilskud",
                                                     "Førtidspension", "I alt"]
    assert "|I alt||8||288.412||9||1.258.650||93.098||0||1.640.160||" in _celler(tabel)
    overskrift, landsplan, ingen = vm.udk_status(laesoe)     # the country has UDK cases; Læsø none
    assert (_tekst(overskrift), landsplan.titel, _tekst(ingen)) == (
        "### Statusopgørelse for UDK-ydelser 2023", "Landsplan: alle kommuner i kilden",
        "Der er ikke afsluttet sager med ændret tildeling på UDK-ydelser i 2023.")


def test_paragraph_11(r):
    overskrift, tabel = vm.paragraf11(r)
    # issue 14: the legal explanation of § 11 and UDK's count of requests returned (Ballerup's parameter)
    assert _tekst(overskrift) == "### Anvendelse af § 11 i 2023\n\n" + vm.PARAGRAF11_NOTE
    assert vm.PARAGRAF11_NOTE.startswith("Efter § 11 i lov om Udbetaling Danmark skal kommunen hjælpe")
    assert tabel.overskrifter == ["Sager hvor kommunen har oplyst en UDK-sag efter UDK-lovens § 11", ""]
    assert list(zip(tabel.data["maal"], tabel.data["vaerdi"])) == [
        ("Anmodninger efter § 11, Udbetaling Danmark har modtaget retur fra kommunen", "2"),
        ("Afsluttede sager med § 11-svar", "3"), ("Heraf med provenu", "1"), ("Årlig besparelse", "118.176 kr."),
        ("Tilbagebetalingskrav", "996.981 kr."), ("Efterregulering", "0 kr."), ("Provenu", "1.115.157 kr.")]
    assert tabel.sum_raekker == ("Provenu",)


def test_kanaler_table_and_bars_without_the_total(r, laesoe):
    tekst, tabel, figur = vm.kanaler(r)
    assert _tekst(tekst).startswith("## Hvor sagerne kommer fra\n\nTabellen viser alle sager afsluttet i 2023 efter")
    assert tabel.overskrifter == ["Kanal", "Afsluttede sager", "Med provenu", "Hitrate"]
    celler = _celler(tabel)
    assert "|Registersamkøring (Den Fælles Dataenhed)||2||2||100,0 %||" in celler
    assert "|I alt||36||31||86,1 %||" in celler
    assert figur.diagram == "soejler_vandret" and figur.tekst == "Figur 2. Afsluttede sager pr. kanal 2023"
    assert figur.argumenter == {"kat": "tekst", "vaerdi": "afsluttede", "akse": "Afsluttede sager"}
    assert "I alt" not in list(figur.data["tekst"]) and len(figur.data) == 7
    assert not _af(vm.kanaler(laesoe), vm.Figur)       # only the total row: no chart


def test_kontroltrin(r):
    tekst, tabel = vm.kontroltrin(r)
    assert _tekst(tekst).startswith("## Kontroltrin 2 og 3\n\n**Kontroltrin 2** er den løbende økonomiske opfølgning")
    assert tabel.titel == "Sager og provenu pr. kontroltrin 2023"
    celler = _celler(tabel)
    assert "|Kontroltrin 2||9||7||1.974.098 kr.||" in celler and "|I alt||36||31||11.264.947 kr.||" in celler


def test_without_the_stores_log_the_registersamkoering_says_in_one_sentence_why_there_is_no_funnel(r, r_bm, laesoe):
    # issue 14: the own funnel is a cohort from the store's log; STAR's window shares stay in the
    # benchmark section, so a file source (with or without benchmark file) has no own funnel
    overskrift, aktivering, hvorfor = vm.registersamkoeringer(r)
    assert _tekst(overskrift) == "## Registersamkøringer fra Udbetaling Danmark"
    assert _tekst(aktivering) == ("Ballerup Kommune aktiverede § 10-opfølgning understøttet af registersamkøring den "
                                  "1. september 2018.")
    assert _tekst(hvorfor) == (
        "Tragten fra udstillet sag til provenu kan ikke følges for Ballerup Kommune i 2023: rapporten er dannet fra "
        "kontrolsager-filen ballerup_2019_2023.csv, og kun sagslagerets log kender datoerne for, hvornår en sag blev "
        "udstillet og udtaget (kontrolsager-formatet har dem ikke). Sagerne fra registersamkøringerne indgår i "
        "tabellerne ovenfor efter kanal; brugen af kontrolsagerne sammenlignet med andre kommuner står i afsnittet om "
        "benchmarking.")
    assert r_bm.tragt is None and len(vm.registersamkoeringer(r_bm)) == 3
    assert _tekst(vm.registersamkoeringer(laesoe)[1]) == (
        "Datoen for Læsø Kommunes aktivering af § 10-opfølgning er ikke angivet i kommunens parametre.")


def _log(*overgange) -> pd.DataFrame:
    return pd.DataFrame([{"sag_id": s, "til": t, "dato": d} for s, t, d in overgange])


def test_the_funnel_is_a_cohort_of_the_cases_first_exposed_in_the_year_followed_to_their_outcome(r):
    log = _log(("A", "udstillet", "2023-03-01"), ("A", "bestilt", "2024-01-10"),          # ordered the year after
               ("A", "partshoering", "2024-02-01"), ("A", "henlagt_efter_partshoering", "2024-03-01"),
               ("B", "udstillet", "2023-11-01"), ("B", "udloebet", "2024-02-01"),
               ("C", "udstillet", "2023-12-30"),                                          # still open
               ("D", "udstillet", "2022-12-01"), ("D", "bestilt", "2023-01-05"),          # exposed the year before
               ("E", "udstillet", "2024-01-02"))                                          # the year after
    t = ind.tragt(ind.Kilde(sager=r.kilde.sager, log=log), 151, 2023)
    assert (t.udstillede, t.udtagne, t.oprettede, t.med_provenu, t.udloebne, t.aabne) == (3, 1, 1, 0, 1, 1)
    # the year's closed registersamkøring cases of the imported file are not in the log: named, not counted
    assert t.uden_for == 2
    tekst, tabel, figur = _af(vm.registersamkoeringer(replace(r, tragt=t)), vm.Tekst)[-1:] + \
        _af(vm.registersamkoeringer(replace(r, tragt=t)), vm.Tabel) + _af(vm.registersamkoeringer(replace(r, tragt=t)),
                                                                          vm.Figur)
    assert _tekst(tekst) == (
        "Tragten følger de 3 sager, der første gang blev udstillet i 2023, frem til i dag, så hvert trin er en del af "
        "trinnet før. De 2 sager fra registersamkøringerne, der blev afsluttet i 2023, men er importeret som "
        "sagshistorik uden udstillingsdato, indgår i tabellerne efter kanal, ikke i tragten.")
    assert tabel.titel == "Sager udstillet i 2023: fra udstillet sag til provenu" and tabel.sum_raekker == ()
    celler = _celler(tabel)
    assert "|Udstillede af Udbetaling Danmark||3||–||" in celler
    assert "|Udtaget til visitering||1||33,3 %||" in celler
    assert "|Oprettet som kontrolsag||1||100,0 %||" in celler
    assert "|Afsluttet med provenu||0||0,0 %||" in celler
    assert "|Udløbet uden behandling||1||33,3 %||" in celler
    assert "|Endnu ikke afsluttet||1||33,3 %||" in celler
    assert tabel.note == ("Kilde: sagslagerets log. Udløbne sager er udstillede sager, der ikke blev behandlet inden "
                          "for tre måneder; andelen af udløbne og af endnu ikke afsluttede er af de udstillede.")
    assert figur.diagram == "tragt_graf"
    assert figur.tekst == "Figur 3. Sager udstillet i 2023: udtagne, oprettede, med provenu, udløbne og endnu åbne"
    # a store that exposed nothing in the year: one sentence, no table of zeros
    tom = ind.tragt(ind.Kilde(sager=r.kilde.sager, log=_log(("E", "udstillet", "2024-01-02"))), 151, 2023)
    assert (tom.udstillede, tom.uden_for) == (0, 2)
    assert [_tekst(d) for d in vm.registersamkoeringer(replace(r, tragt=tom))[2:]] == [
        "Ingen sager blev udstillet fra registersamkøringerne i sagslageret i 2023, så der er ingen tragt for året. "
        "De 2 sager fra registersamkøringerne, der blev afsluttet i 2023, men er importeret som sagshistorik uden "
        "udstillingsdato, indgår i tabellerne efter kanal, ikke i tragten."]


def test_provenu_per_aarsvaerk(r):
    _, tabel, bemanding = vm.pr_aarsvaerk(r)
    assert bemanding.markdown.startswith("Bemanding i 2023: 2,5 årsværk")
    assert tabel.overskrifter == ["Nøgletal", "2023"]
    assert list(zip(tabel.data["maal"], tabel.data["vaerdi"])) == [
        ("Provenu i alt", "11.264.947 kr."), ("Årsværk i kontrolenheden", "6,5"), ("Afsluttede sager", "36"),
        ("Sager med ændret tildeling", "31"), ("Provenu pr. afsluttet sag", "312.915 kr."),
        ("Provenu pr. sag med ændret tildeling", "363.385 kr."), ("Provenu pr. årsværk", "1.733.069 kr.")]
    assert tabel.sum_raekker == ("Provenu pr. årsværk",)


def test_the_position_in_the_benchmark_or_a_note_that_it_is_missing(r, r_bm):
    assert vm.benchmark_placering(r)[1] == vm.Mangler(
        "Benchmarkingen er ikke tilgængelig: der er ikke angivet en national benchmarkfil (benchmark.csv) med "
        "kommunens tal. Afsnittet udfyldes, når rapporten dannes med en benchmarkfil.")
    _, tabel, rang = vm.benchmark_placering(r_bm)
    assert tabel.titel == "STAR's benchmarking af de registerbaserede kontrolsager, 12 måneder til december 2023"
    assert tabel.note.startswith("Andelene er af trinnet før (udtaget af udstillede, oprettet af udtagne, med provenu "
                                 "af oprettede), opgjort som STAR gør det: summer over vinduets måneder")
    assert tabel.kolonne("") == ["Ballerup Kommune", "Øvrige kommuner i regionen", "Kommuner af samme størrelse",
                                 "Hele landet"]
    assert tabel.sum_raekker == ("Ballerup Kommune",)
    celler = _celler(tabel)
    assert "|Ballerup Kommune||20||50,0 %||80,0 %||50,0 %||6.250 kr.||20,0||" in celler
    assert "|Hele landet||120||50,0 %||55,0 %||42,4 %||7.576 kr.||10,9||" in celler
    assert _tekst(rang) == ("Ballerup Kommune ligger nr. 1 af 2 kommuner på andelen af kontrolsager med provenu og "
                            "nr. 1 på andelen af udstillede sager, der udtages til visitering.")


def test_about_the_figures_names_the_source_the_horizon_and_the_warnings(r):
    assert _tekst(vm.om_opgoerelsen(r)[0]) == (
        "## Om opgørelsen\n\nTallene er opgjort fra kontrolsager-filen ballerup_2019_2023.csv efter KL's metode: en "
        "sag tæller i det år, den er afsluttet; den fremadrettede besparelse er den forventede besparelse over 12 "
        "måneder; provenu er fremadrettet besparelse, tilbagebetalingskrav, efterregulering og skat. Beløb er opgjort "
        "eksakt pr. sag og afrundet til hele kroner i visningen.")
    advarsler = replace(r, kilde=replace(r.kilde, advarsler=["a", "b"]))
    assert _tekst(vm.om_opgoerelsen(advarsler)[0]).endswith(
        "i visningen. Ved indlæsningen blev der givet 2 advarsler (beløb på sager uden ændret tildeling), som ikke "
        "tæller med.")


# --------------------------------------------------------------------------- the committee briefing
def test_the_briefings_head_with_and_without_a_meeting_date(r):
    # issue 14: the meeting's own head (Ballerup 2023's moede); no "–" and no team as sagsbehandler
    assert vm.udvalg_forside(r) == [vm.Forside("Orientering om kontrolindsatsen 2023", dagsorden=(
        ("Udvalg", "Økonomiudvalget"), ("Mødedato", "5. marts 2024"), ("Mødested", "Mødelokale 1, Ballerup Rådhus"),
        ("Punkt", "7. Orientering om kontrolindsatsen 2023"), ("Sagsnr.", "24/00417"),
        ("Sagsbehandler", "Mette Lund"), ("Øvrige sagsbehandlere", "Jonas Krogh og Sara Bech")))]
    forside = vm.udvalg_forside(ind.rapport(151, 2024, sager=str(BALLERUP)))[0]
    assert forside.dagsorden == (("Udvalg", "Økonomiudvalget"), ("Mødedato", "24. februar 2025"))


def test_the_briefings_texts_and_result(r):
    assert _tekst(vm.udvalg_sagsresume(r)[0]) == (
        "## Sagsresume\n\nØkonomiudvalget orienteres om resultaterne af Team CPR og Kontrols kontrolindsats i 2023. "
        "Det samlede provenu er opgjort til 11.264.947 kr.")
    assert _tekst(vm.udvalg_sagsfremstilling(r)[0]).startswith("## Sagsfremstilling\n\nTeam CPR og Kontrol arbejder")
    tekst, tabel, ingen, figur, netvaerk = vm.udvalg_resultat(r)    # Ballerup's Netværk follows the result
    assert netvaerk.markdown.startswith("### Netværk\n\n")
    assert _tekst(tekst).startswith("## Resultat\n\nI 2023 er der afsluttet 31 sager med ændret tildeling. Det samlede "
                                    "provenu er 11.264.947 kr. mod 8.030.923 kr. i 2022.")
    # issue 14: Herning's channel-mix sentence, from the kanal table (9 of 36 from UDK: no majority)
    assert _tekst(tekst).endswith(
        "Fordelingen på kategorier fremgår af tabellen.\n\nDen største gruppe af de 36 sager, der blev afsluttet i "
        "2023, kom ind ad kanalen Udbetaling Danmark (9 sager). Derefter fulgte kanalerne Intern (egen kommune) (7) "
        "og Projekt (7).")
    assert _tekst(ingen) == "Ingen sager med provenu i 2022 og 2023 i: Andre myndigheder."
    assert "|Andre myndigheder|" not in _celler(tabel)
    assert tabel.titel == "Provenu pr. kategori 2022 og 2023"
    assert tabel.overskrifter == ["Kategori", "Sager 2022", "Provenu 2022", "Sager 2023", "Provenu 2023"]
    celler = _celler(tabel)
    assert "|Stop af tilflytninger||3||429.984 kr.|*|||4||761.984 kr.|*|" in celler
    assert "|I alt||20||8.030.923 kr.||31||11.264.947 kr.||" in celler
    assert tabel.note == ("Brutto, opgjort efter KL's metode (fremadrettet besparelse over 12 måneder + "
                          "tilbagebetalingskrav + efterregulering + skat). Sager: afsluttede sager med ændret "
                          "tildeling.")
    assert (figur.diagram, figur.tekst) == ("soejler_udvikling", "Provenu pr. kategori 2019–2023 (kr.)")
    assert _tekst(vm.udvalg_indstilling(r)[0]) == (
        "## Indstilling\n\nDirektøren for Økonomi, Borgerservice og Digitalisering indstiller,\n\n"
        "at udvalget tager orienteringen til efterretning.")


def test_a_year_before_without_data_is_a_dash_in_the_briefing_and_no_mod_0_kr_in_its_text():
    """Issue 14: Ballerup's file starts in 2019, so the 2019 briefing has no 2018 to compare with: the
    sentence comparing with 2018 is left out and the 2018 columns read "–" with a note."""
    r19 = ind.rapport(151, 2019, sager=str(BALLERUP))
    assert 2018 not in r19.aar_med_data
    tekst, tabel = vm.udvalg_resultat(r19)[:2]
    assert _tekst(tekst).split("\n\n")[1] == ("I 2019 er der afsluttet 15 sager med ændret tildeling. Fordelingen på "
                                               "kategorier fremgår af tabellen.")
    assert "|I alt||–||–||15||6.593.056 kr.||" in _celler(tabel)
    assert tabel.note.endswith("Sager: afsluttede sager med ændret tildeling. – : kilden har ingen afsluttede sager "
                               "fra 2018.")


def test_an_empty_corrections_row_is_never_named_among_the_categories_without_cases(r):
    """Issue 14: a case store's source has a 'Korrektioner til tidligere år' row; all zero, it is
    left out of the briefing's table and not named as a category that had no cases."""
    nul = {c: (Decimal("0.00") if isinstance(v, Decimal) else 0) for c, v in r.kategorier.iloc[0].items()
           if c != "kategori"}
    k = r.kategorier
    med_korr = pd.concat([k.iloc[:-1], pd.DataFrame([{"kategori": KORREKTIONER, **nul}]), k.iloc[-1:]],
                         ignore_index=True)
    _, tabel, ingen = vm.udvalg_resultat(replace(r, kategorier=med_korr))[:3]
    assert f"|{KORREKTIONER}|" not in _celler(tabel)
    assert _tekst(ingen) == "Ingen sager med provenu i 2022 og 2023 i: Andre myndigheder."


def test_the_briefings_comparison_or_a_note_that_it_is_missing(r, r_bm):
    assert vm.udvalg_sammenligning(r)[1] == vm.Mangler(
        "Sammenligningen med andre kommuner er ikke tilgængelig: orienteringen er dannet uden den nationale "
        "benchmarkfil.")
    assert _tekst(vm.udvalg_sammenligning(r_bm)[1]) == (
        "I den nationale benchmarking af de registerbaserede kontrolsager (12 måneder til december 2023) endte 50,0 % "
        "af Ballerup Kommunes oprettede kontrolsager med provenu mod 42,4 % på landsplan, og kommunen udtog 50,0 % af "
        "de udstillede sager til visitering mod 50,0 % på landsplan.")


# --------------------------------------------------------------------------- the benchmark report
def test_the_benchmark_title_key_figures_and_ranks(kbh):
    forside, intro, noegletal, rang = vm.benchmark_forside(kbh)
    assert forside == vm.Forside("Benchmark af kontrolsagerne",
                                 "København Kommune · 12 måneder fra maj 2023 til april 2024")
    assert ("Alle tal er summer over 12 måneder fra maj 2023 til april 2024 fra den nationale benchmarkfil "
            "(3 kommuner)") in _tekst(intro)
    assert noegletal.tal == (("Udstillede sager", "36"), ("Udtaget til visitering", "77,8 %"),
                             ("Kontrolsager med provenu", "75,0 %"), ("Provenu pr. kontrolsag", "5.833 kr."))
    assert _tekst(rang) == (
        "København Kommune ligger nr. 1 af 3 kommuner på andelen af kontrolsager med provenu og nr. 2 på andelen af "
        "udstillede sager, der udtages til visitering (nr. 1 er den højeste andel; en andel opgjort på færre end 5 "
        "sager får ingen placering).")


def test_small_shares_are_starred_with_the_note_and_get_no_rank(frb):
    dele = vm.benchmark_forside(frb)
    assert dele[2].tal == (("Udstillede sager", "5"), ("Udtaget til visitering", "140,0 %"),
                           ("Kontrolsager med provenu *", "66,7 %"), ("Provenu pr. kontrolsag *", "1.833 kr."))
    assert dele[3] == vm.LilleNote()
    assert _tekst(dele[4]).startswith("Frederiksberg Kommune ligger nr. – af 3 kommuner på andelen af kontrolsager med "
                                      "provenu og nr. 1 ")


def test_the_benchmark_funnel_and_groups(kbh):
    overskrift, tragt, grupper, figur = vm.benchmark_tragt(kbh)
    assert _tekst(overskrift) == "## Fra udstillet sag til provenu"
    assert tragt.overskrifter == ["Trin", "København Kommune: sager", "København Kommune", "Øvrige i regionen",
                                  "Samme størrelse", "Hele landet"]
    assert tragt.titel == "Andel af trinnet før, 12 måneder fra maj 2023 til april 2024"
    assert tragt.grupper == (("", 2), ("Andel af trinnet før", 4))
    assert "|Afsluttet med provenu||9||75,0 %||66,7 %|*|||66,7 %|*|||73,3 %||" in _celler(tragt)
    assert grupper.kolonne("") == ["København Kommune", "Øvrige kommuner i regionen", "Kommuner af samme størrelse",
                                   "Hele landet"]
    assert "|Hele landet||3||41||40||15||11||4||5.033 kr.||9,0||" in _celler(grupper)
    assert grupper.note == ("Regionen: de øvrige kommuner i København Kommunes region. Samme størrelse: de 10 "
                            "kommuner, der ligger nærmest København Kommune i gennemsnitligt antal ydelsesmodtagere i "
                            "vinduet. Kommunen selv indgår ikke i grupperne.")
    assert (figur.diagram, figur.argumenter) == ("tragt_sammenligning_graf", {"kommunenavn": "København Kommune"})


def test_the_areas_and_the_ranked_table(kbh):
    _, omraader = vm.benchmark_omraader(kbh)
    assert omraader.titel == "København Kommune og hele landet pr. ydelsesområde og kontroltrin"
    assert omraader.grupper == (("", 2), ("Udtaget af udstillede", 2), ("Med provenu af oprettede", 2))
    assert "|Kontanthjælp, kontroltrin 2||20||85,0 %||72,0 %||83,3 %||85,7 %||" in _celler(omraader)
    _, rang = vm.benchmark_alle_kommuner(kbh)
    assert rang.overskrifter == ["Nr.", "Kommune", "Udstillede", "Udtaget", "Oprettet", "Med provenu", "Udløbet",
                                 "Provenu pr. sag"]
    assert (rang.fremhaev, rang.lang, rang.sum_raekker) == ("egen", True, ())
    assert rang.maerker == {"andel_udtaget": "lille_andel_udtaget", "andel_oprettet": "lille_andel_oprettet",
                            "andel_med_provenu": "lille_andel_med_provenu", "andel_udloebet": "lille_andel_udloebet",
                            "provenu_pr_sag": "lille_provenu_pr_sag"}
    assert rang.kolonne("Kommune") == ["København", "Frederiksberg", "Aarhus"]
    assert "|1||København||36||77,8 %||42,9 %||75,0 %||5,6 %||5.833 kr.||" in _celler(rang)
    assert ("opgjort på færre end 5 sager eller ikke kan opgøres (–), har ingen placering og står sidst. København "
            "Kommune er fremhævet." in rang.note)
    # issue 14: a share above 100 % (Frederiksberg udtaget 140,0 % here) carries its explanation beside it
    assert "|140,0 %|" in _celler(rang)
    assert rang.note.endswith("En andel over 100 % er ikke en fejl: tællingerne er summer over vinduets måneder, og "
                              "en sag kan være udstillet før vinduet og udtaget eller oprettet i det (STAR's opgørelse).")


def test_the_trend_and_the_scatter_captions(kbh):
    _, udtaget, provenu = vm.benchmark_udvikling(kbh)
    # issue 14: one figure per measure (two small figures fill a page's foot where one tall one moved
    # overleaf), each the measure's rows of the long table
    assert udtaget.diagram == provenu.diagram == "linjer_udvikling"
    assert list(udtaget.data["maal"].unique()) == ["Andel udstillede sager udtaget til visitering"]
    assert list(provenu.data["maal"].unique()) == ["Andel kontrolsager med provenu"]
    assert len(udtaget.data) + len(provenu.data) == len(kbh.udvikling_lang) == 8
    # issue 14: only full windows (the file's first month 2023-04: the windows to 2024-03 and 2024-04)
    assert udtaget.tekst == ("Figur 2. Andel udstillede sager udtaget til visitering: København Kommune og hele "
                             "landet i de 2 hele 12-måneders-vinduer, benchmarkfilen dækker (måneden er vinduets "
                             "sidste). En åben cirkel: kommunens andel er opgjort på færre end 5 sager.")
    assert provenu.tekst == ("Figur 3. Andel kontrolsager med provenu: København Kommune og hele landet, samme "
                             "vinduer.")
    assert list(dict.fromkeys(kbh.udvikling_lang["etiket"])) == ["mar. 2024", "apr. 2024"]
    # a file shorter than one full window: no empty chart, one sentence
    tom = replace(kbh, udvikling=kbh.udvikling.iloc[:0], udvikling_lang=kbh.udvikling_lang.iloc[:0])
    assert [_tekst(d) for d in vm.benchmark_udvikling(tom)] == [
        "## Udviklingen", "Benchmarkfilen dækker endnu ikke et helt 12-måneders-vindue, så udviklingen vises ikke."]
    _, spredning = vm.benchmark_spredning(kbh)
    assert spredning.tekst.startswith("Figur 4. Hver kommune: ")
    assert vm.benchmark_spredning(tom)[1].tekst.startswith("Figur 2. Hver kommune: ")
    assert spredning.argumenter == {"kommunenavn": "København Kommune"}
    assert spredning.tekst.endswith("opgjort på færre end 5 sager. 1 kommuner er ikke vist, fordi en af andelene ikke "
                                    "kan opgøres. En andel over 100 % er ikke en fejl: tællingerne er summer over "
                                    "vinduets måneder, og en sag kan være udstillet før vinduet og udtaget eller "
                                    "oprettet i det (STAR's opgørelse).")


def test_the_reconciliation_only_with_a_store_each_line_stemmer_or_afviger(kbh):
    assert vm.benchmark_afstemning(kbh) == []
    a = pd.DataFrame([{"maal": "Udstillede", "fil": 2, "log": 2, "stemmer": True},
                      {"maal": "Udtagne", "fil": 2, "log": 1, "stemmer": False}])
    overskrift, tabel = vm.benchmark_afstemning(replace(kbh, afstemning=a))
    assert _tekst(overskrift) == "## Afstemning med sagslageret"
    assert tabel.titel == "København Kommunes tal, 12 måneder fra maj 2023 til april 2024"
    assert tabel.overskrifter == ["", "Benchmarkfilen", "Sagslagerets log", ""]
    assert "|Udstillede||2||2||stemmer||" in _celler(tabel) and "|Udtagne||2||1||afviger||" in _celler(tabel)


def test_the_benchmarks_about_section(kbh):
    tekst = _tekst(vm.benchmark_om_opgoerelsen(kbh)[0])
    assert tekst.startswith("## Om opgørelsen\n\nKilde: den nationale benchmarkfil, 12 måneder fra maj 2023 til april "
                            "2024. Hver andel er forholdet mellem to summer over vinduet")
    assert "En andel, hvis nævner er under 5 sager, er mærket med *" in tekst


# --------------------------------------------------------------------------- the analyst's exploration
def test_what_was_loaded_and_the_rows_behind_a_figure(r):
    assert vm.udforskning_indlaest(r) == [vm.Udskrift(
        "Ballerup Kommune: 115 sagsrækker fra kontrolsager-filen ballerup_2019_2023.csv; provenu 2023: 11.264.947 kr.")]
    linje, raekker = vm.sager_bag(r, kategori="KL-ydelser")
    assert linje == vm.Udskrift("12 sager, 13 rækker; provenu i alt: 5.764.357 kr.")
    assert len(raekker.data) == 13 and set(raekker.data["kategori"]) == {"KL-ydelser"}
    bag = vm.provenu_bag(r)
    assert list(bag.columns) == ["kategori", "ydelse", "provenu"]
    assert sum(bag["provenu"], Decimal(0)) == Decimal("11264947.00")
    assert "Kontanthjælp" in set(bag["ydelse"])


def test_the_interactive_filters_offer_danish_labels(r):
    valg = vm.sager_bag_valg(r)
    assert valg["kategori"][:2] == [("Alle", None), ("§ 11-sager fra UDK", "§ 11-sager fra UDK")]
    assert ("Kontanthjælp", "kontanthjaelp") in valg["ydelse"]
    assert ("Anonym anmeldelse", "anonym_anmeldelse") in valg["kanal"]
    assert valg["kontroltrin"] == [("Alle", None), ("Kontroltrin 1", 1), ("Kontroltrin 2", 2), ("Kontroltrin 3", 3)]
    assert valg["kun_aendret"] is True


KRITERIUM = """
navn: store_husstande
titel: Store husstande
kilde: eget forsøg
begrundelse: Mange voksne på adressen ud over ægtefælle og børn.
kontroltype: familie
gaelder_fra: 2024-01-01
befolkning: {ydelser: [kontanthjaelp], kraev_udbetaling: ja}
kriterier:
  - type: voksne_paa_adressen
    min_antal: 3
"""


def test_trying_a_criterion_is_skipped_in_danish_without_a_register_folder(tmp_path):
    assert vm.afproevning(KRITERIUM, "", "2024-05-15") == [vm.Mangler(
        "Afprøvningen af et kriterium springes over: der er ikke angivet en registermappe (parameteren data, fx "
        "../data/demo/registre efter make demo).")]
    assert vm.afproevning(KRITERIUM, str(tmp_path / "ingen"), "2024-05-15") == [vm.Mangler(
        f"Afprøvningen af et kriterium springes over: registermappen {tmp_path / 'ingen'} findes ikke (kør make demo, "
        f"eller sæt parameteren data til en mappe med registre).")]
    with pytest.raises(KontrolFejl, match="Parameteren dato skal skrives ÅÅÅÅ-MM-DD"):
        vm.afproevning(KRITERIUM, str(tmp_path), "15-05-2024")
    fejl = vm.afproevning(KRITERIUM.replace("min_antal", "min_antel"), str(tmp_path), "2024-05-15")
    assert len(fejl) == 1 and isinstance(fejl[0], vm.Mangler) and "min_antel" in fejl[0].tekst


def test_trying_a_criterion_counts_each_step_and_says_how_many_the_list_would_select(tmp_path):
    from test_lister import samling
    v, _ = samling(3)
    tabel, linje = vm.afproevning(KRITERIUM, str(v.mappe(tmp_path)), "2024-05-15")
    assert tabel.overskrifter == ["Trin", "Beskrivelse", "Personer"] and tabel.sum_raekker == ()
    assert tabel.titel.endswith(", kørselsdato 2024-05-15")
    assert list(tabel.data["personer"])[-1] == 1
    assert linje == vm.Udskrift("Listen ville udvælge 1 personer.")


# --------------------------------------------------------------------------- shown by visning
def test_every_section_names_a_chart_visning_can_draw(r, r_bm, kbh):
    figurer = [d for f in (vm.udvikling, vm.kanaler, vm.udvalg_resultat) for d in f(r) if isinstance(d, vm.Figur)]
    med_log = replace(r, tragt=ind.tragt(ind.Kilde(sager=r.kilde.sager, log=_log(("A", "udstillet", "2023-03-01"))),
                                         151, 2023))
    figurer += _af(vm.registersamkoeringer(med_log), vm.Figur)
    figurer += [d for f in (vm.benchmark_tragt, vm.benchmark_udvikling, vm.benchmark_spredning) for d in f(kbh)
                if isinstance(d, vm.Figur)]
    assert {f.diagram for f in figurer} == set(vis.DIAGRAMMER)


def test_the_title_blocks_render_through_visning_forside_as_before(r):
    """The same markup as the notebooks' f-string HTML had (whitespace between the blocks aside)."""
    def vist(f: vm.Forside) -> str:
        return vis.forside(f.titel, f.undertitel, f.dagsorden).data.replace("\n", "")
    assert vist(vm.aarsrapport_forside(r)[0]) == (
        '<div class="forside"><h1>Årsrapport 2023</h1><div class="undertitel">Team CPR og Kontrol · Center for '
        'Borgerservice, Digitalisering og IT · Ballerup Kommune</div></div>')
    assert vist(vm.udvalg_forside(r)[0]) == (
        '<div class="forside"><h1>Orientering om kontrolindsatsen 2023</h1></div><dl class="dagsorden">'
        '<dt>Udvalg</dt><dd>Økonomiudvalget</dd><dt>Mødedato</dt><dd>5. marts 2024</dd><dt>Mødested</dt>'
        '<dd>Mødelokale 1, Ballerup Rådhus</dd><dt>Punkt</dt><dd>7. Orientering om kontrolindsatsen 2023</dd>'
        '<dt>Sagsnr.</dt><dd>24/00417</dd><dt>Sagsbehandler</dt><dd>Mette Lund</dd><dt>Øvrige sagsbehandlere</dt>'
        '<dd>Jonas Krogh og Sara Bech</dd></dl>')


def test_afsnit_shows_every_kind_of_part_in_order_and_prints_the_analysts_lines(monkeypatch, capsys, r):
    vist = []
    monkeypatch.setattr(vis, "display", vist.append)
    rows = pd.DataFrame({"sag_id": ["S-1"], "provenu": [Decimal("1234567.5")], "antal_sager": [1200]})
    dele = [vm.Forside("Titel", "Under"), vm.Tekst("Beløbet er 5 kr.."), vm.Mangler("Ikke tilgængelig"), vm.LilleNote(),
            vm.Noegletal((("Sager", "3"),)), vm.Udskrift("12 sager"), vm.Raekker(rows),
            vm.Tabel(pd.DataFrame({"k": ["I alt"], "n": [3]}), (("k", "K", "tekst"), ("n", "N", "antal"))),
            vm.Figur("soejler_udvikling", r.udvikling, "Figur 1.")]
    assert {type(d) for d in dele} == set(typing.get_args(vm.Del))      # every kind of part
    vis.afsnit(dele[:4], dele[4:])
    # issue 14: a section's report parts are one block (so the print rules keep a heading with what
    # follows); the analyst's lines and rows come between blocks, in order
    assert [type(o).__name__ for o in vist] == ["HTML", "HTML", "Styler", "HTML"]
    foerste, anden, fjerde = vist[0].data, vist[1].data, vist[3].data
    assert foerste == ('<section class="afsnit"><div class="forside"><h1>Titel</h1><div class="undertitel">Under</div>'
                       '</div><p>Beløbet er 5 kr.</p>\n<div class="mangler">Ikke tilgængelig</div>'
                       f'<p class="note">{vis.LILLE_NOTE}</p></section>')
    assert '<span class="vaerdi">3</span><span class="etiket">Sager</span>' in anden
    # the analyst's rows: Danish headings and numbers, exact values kept in the frame (issue 14)
    assert vist[2].data is not rows and list(vist[2].data.columns) == ["Sag", "Provenu, kr.", "Antal sager"]
    html = vist[2].to_html()
    assert ">1.234.567,50<" in html and ">1.200<" in html and "1234567.5" not in html
    assert '<tr class="sum"><td class="tekst">I alt</td><td class="tal">3</td></tr>' in fjerde
    assert '<div class="figur"><img class="graf" alt="Figur 1." src="data:image/svg+xml;base64,' in fjerde

    assert capsys.readouterr().out == "12 sager\n"
    with pytest.raises(TypeError, match="Ukendt del"):
        vis.afsnit(["en streng"])


def test_a_municipalitys_markdown_cannot_put_markup_in_a_report():
    html = str(vis.markdown_html("## Mål\n\n<script>alert(1)</script> og <b>fed</b>\n\n- én\n- to"))
    assert html == ("<h2>Mål</h2>\n<p>&lt;script&gt;alert(1)&lt;/script&gt; og &lt;b&gt;fed&lt;/b&gt;</p>\n"
                    "<ul>\n<li>én</li>\n<li>to</li>\n</ul>\n")
