"""The municipality's own words (issue 14): narrative sections, the meeting, category order.

Per municipality and year, ``parameters/kommuner/<kode>-<navn>.yaml`` may hold narrative Markdown
sections (``afsnit``) placed after a computed section (``efter``), the committee meeting
(``moede``), the order and one-line explanations of the categories, the staffing line and UDK's §
11 count. A bad entry is a Danish error naming the file and the key; what is placed lands where
it was placed, in the file's order; the Markdown is rendered with raw HTML escaped.
"""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kontrol_lib.parametre.kommune import PLACERINGER, KommuneParameterFejl, hent_kommune
from kontrol_lib.rapporter import indhold as ind
from kontrol_lib.rapporter import visningsmodel as vm
from kontrol_lib.vokabular.format import kr

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = ROOT / "parameters" / "kommuner"
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"


@pytest.fixture
def mappe(tmp_path):
    d = tmp_path / "kommuner"
    d.mkdir()
    shutil.copy(KOMMUNER / "standard.yaml", d / "standard.yaml")
    return d


def test_every_placement_is_a_section_of_its_report_and_every_section_can_be_followed():
    placeret = {getattr(getattr(vm, n), "placering", None) for n in dir(vm)} - {None}
    assert placeret == {(rapport, efter) for rapport, navne in PLACERINGER.items() for efter in navne}


def test_a_bad_narrative_or_meeting_entry_is_named_with_file_and_key(mappe):
    (mappe / "151-ballerup.yaml").write_text(
        "perioder:\n"
        "  2023:\n"
        "    afsnit:\n"
        "      - {overskrift: A, tekst: 'x', efter: provenu}\n"
        "      - {overskrift: B, tekst: 'Om {kommun}', efter: indledning, niveau: 4}\n"
        "      - {overskrift: C, tekst: 'y', efter: udvalg_resultat, rapport: referat}\n"
        "      - {overskrift: D, efter: indledning}\n"
        "    moede: {moededato: 2024-02-30, punkt: syv, sagsbehandlere: Anna, mødested: X}\n"
        "    paragraf11_retur: -1\n", encoding="utf-8")
    with pytest.raises(KommuneParameterFejl) as e:
        hent_kommune(151, 2023, mappe=mappe)
    msg, f = str(e.value), str(mappe / "151-ballerup.yaml")
    assert (f"{f}: 'perioder.2023.afsnit[1].efter': 'provenu' er ikke et afsnit i aarsrapport (kendte: start, "
            f"indledning, provenu_kategorier,") in msg
    assert f"{f}: 'perioder.2023.afsnit[2].tekst' bruger den ukendte pladsholder {{kommun}}" in msg
    assert f"{f}: 'perioder.2023.afsnit[2].niveau' skal være 2 (afsnit) eller 3 (underafsnit), ikke 4" in msg
    assert f"{f}: 'perioder.2023.afsnit[3].rapport' skal være aarsrapport eller udvalgsorientering, ikke 'referat'" in msg
    assert f"{f}: perioder.2023.afsnit[4].tekst: mangler (afsnittets tekst" in msg
    assert f"{f}: perioder.2023.moede.sagsbehandlere: skal være en liste, ikke 'Anna'" in msg
    assert "afsnit[3].efter" not in msg          # the report was wrong, not the placement
    assert f"{f}: 'perioder.2023.moede.moededato' skal være en dato (ÅÅÅÅ-MM-DD), ikke '2024-02-30'" in msg
    assert f"{f}: 'perioder.2023.moede.punkt' skal være et helt tal, ikke 'syv'" in msg
    assert f"{f}: ukendt nøgle 'perioder.2023.moede.mødested'" in msg
    assert f"{f}: 'perioder.2023.paragraf11_retur' skal være et helt tal, 0 eller derover, ikke -1" in msg


def test_an_unknown_category_in_the_order_is_named_with_file_and_key(mappe, monkeypatch):
    (mappe / "151-ballerup.yaml").write_text(
        "perioder:\n  2023:\n    kategori_raekkefoelge: [KL-ydelser, Boligstøtte]\n"
        "    kategori_forklaringer: {SU: studerende}\n", encoding="utf-8")
    monkeypatch.setattr(ind, "hent_kommune", lambda k, a: hent_kommune(k, a, mappe=mappe))
    with pytest.raises(KommuneParameterFejl) as e:
        ind.rapport(151, 2023, sager=str(BALLERUP))
    f = str(mappe / "151-ballerup.yaml")
    assert str(e.value).splitlines()[1:] == [
        f"  - {f}: perioder.2023.kategori_raekkefoelge: ukendt kategori 'Boligstøtte' (kendte: § 11-sager fra UDK, "
        f"Stop af tilflytninger, KL-ydelser, UDK-ydelser, SU-sager, Andre myndigheder)",
        f"  - {f}: perioder.2023.kategori_forklaringer: ukendt kategori 'SU' (kendte: § 11-sager fra UDK, "
        f"Stop af tilflytninger, KL-ydelser, UDK-ydelser, SU-sager, Andre myndigheder)"]


def test_a_sentence_about_an_unknown_figure_is_left_out_not_filled_with_a_placeholder_word():
    tekst = ("Vi havde i alt\n{aarsvaerk} årsværk. Provenuet pr. årsværk steg. Det er godt!\nSamme afsnit.\n\n"
             "- Bemanding: {aarsvaerk} årsværk\n- Andet punkt\n  fortsat\n\n### Årsværk: {aarsvaerk}\n\nSidste afsnit.")
    assert ind.uden_saetninger_med(tekst, "{aarsvaerk}") == (
        "Provenuet pr. årsværk steg. Det er godt! Samme afsnit.\n\n- Andet punkt\n  fortsat\n\nSidste afsnit.")
    assert ind.uden_saetninger_med("Intet tal her.", "{aarsvaerk}") == "Intet tal her."
    assert ind.uden_saetninger_med("Kun {aarsvaerk} årsværk.", "{aarsvaerk}") == ""


def test_aarsvaerk_in_the_prose_of_a_year_without_it_leaves_its_sentence_out(mappe, monkeypatch):
    """Issue 14: the municipality's prose never reads "ikke oplyst": with no ``aarsvaerk`` for the
    year, each sentence (and a heading) using ``{aarsvaerk}`` is left out; with it, it is filled."""
    afsnit = ("    afsnit:\n"
              "      - efter: pr_aarsvaerk\n"
              "        overskrift: Bemanding\n"
              "        tekst: 'Enheden havde {aarsvaerk} årsværk i {aar}. Provenuet var {provenu_i_alt}.'\n"
              "      - efter: pr_aarsvaerk\n"
              "        overskrift: '{aarsvaerk} årsværk'\n"
              "        tekst: 'Teamet arbejdede på tværs af centre.'\n")
    (mappe / "151-ballerup.yaml").write_text(
        "perioder:\n  2022:\n" + afsnit + "  2023:\n    aarsvaerk: 6.5\n" + afsnit, encoding="utf-8")
    monkeypatch.setattr(ind, "hent_kommune", lambda k, a: hent_kommune(k, a, mappe=mappe))
    uden, med = (ind.rapport(151, aar, sager=str(BALLERUP)) for aar in (2022, 2023))
    assert uden.p.aarsvaerk is None and med.p.aarsvaerk == Decimal("6.5")
    assert [d.markdown for d in vm.fortaelling(uden, "aarsrapport", "pr_aarsvaerk")] == [
        f"## Bemanding\n\nProvenuet var {kr(uden.provenu_i_alt)}", "Teamet arbejdede på tværs af centre."]
    assert [d.markdown for d in vm.fortaelling(med, "aarsrapport", "pr_aarsvaerk")] == [
        f"## Bemanding\n\nEnheden havde 6,5 årsværk i 2023. Provenuet var {kr(med.provenu_i_alt)}",
        "## 6,5 årsværk\n\nTeamet arbejdede på tværs af centre."]
    # the computed section says once, in its own words, why there is no figure; then the prose
    assert [type(d).__name__ for d in vm.pr_aarsvaerk(uden)] == ["Tekst", "Mangler", "Tekst", "Tekst"]
    assert vm.pr_aarsvaerk(uden)[1].tekst == ("Provenu pr. årsværk kan ikke opgøres: antallet af årsværk for 2022 er "
                                              "ikke angivet i Ballerup Kommunes parametre (nøglen aarsvaerk).")


@pytest.fixture(scope="module")
def r():
    return ind.rapport(151, 2023, sager=str(BALLERUP))


def test_ballerup_2023_reads_like_its_annual_report_section_for_section(r):
    """The seed's order: Indledning, Indsatsområder (with its subsections and a case example),
    Tværfaglige projekter, Provenu …, Planlagte indsatser with its subsections."""
    efter_indledning = vm.indledning(r)
    overskrifter = [d.markdown.splitlines()[0] for d in efter_indledning]
    assert overskrifter == ["## Indledning", "## Indsatsområder 2023", "> **Eksempel.** En borger blev udskrevet "
                            "fra et sygehus i en anden kommune til en adresse i Ballerup Kommune, hvor borgeren efter "
                            "udskrivningspapirerne ikke kunne bo. Sagen blev afklaret samme dag sammen med "
                            "Visitationen, så borgeren hurtigt fik hjælp i sin hjemkommune.",
                            "## Tværfaglige projekter 2023"]
    indsats = efter_indledning[1].markdown
    assert [l for l in indsats.splitlines() if l.startswith("### ")] == [
        "### Personalesituationen", "### SU og tilflytning til proforma-adresser", "### Sager på tværs af centre",
        "### Optimering af arbejdsgange", "### Hedeparken og Magleparken", "### Enlig-erklæringer"]
    planer = vm.planlagte_indsatser(r)
    assert [d.markdown.splitlines()[0] for d in planer] == [
        "## Planlagte indsatser 2024", "### Proforma-adresser", "### Privat udlejning",
        "### Valg til Europa-Parlamentet", "### Kriterier for udtræk af kontrolsager", "### Virksomhedskontroller",
        "### Kvalitetssikring"]
    # nothing is placed after a section the file does not name
    assert vm.fortaelling(r, "aarsrapport", "kanaler") == []
    assert vm.fortaelling(r, "udvalgsorientering", "udvalg_sagsfremstilling") == []


def test_ballerups_briefing_has_hernings_netvaerk_and_det_fremadrettede_arbejde_in_hernings_order(r):
    """Herning's two sections, with Ballerup's own content: Netværk after the result, Det
    fremadrettede arbejde after the comparison with other municipalities, before the recommendation."""
    netvaerk = vm.udvalg_resultat(r)[-1].markdown
    assert netvaerk.splitlines()[:3] == [
        "### Netværk", "", "Mange sager løses sammen med andre. Team CPR og Kontrol har faste samarbejder med:"]
    assert [l for l in netvaerk.splitlines() if l.startswith("- ")] == [
        "- Lokalpolitiet og Skattestyrelsen om virksomhedskontroller og opgaver, der kræver politiets tilstedeværelse.",
        "- Kontrolstyregruppen i KL, hvor Skattestyrelsen, politiet, STAR og Fødevarestyrelsen koordinerer "
        "kontrolbesøg i kommunerne.",
        "- Refusionsnetværket om sager, hvor det er uklart, hvilken kommune borgeren hører til.",
        "- Fagcentrene, der også har en sag på borgeren, bl.a. Helhedssporet, Ydelser og Forebyggelse og Kriminalitet.",
        "- SU-styrelsen og boligselskabet i Hedeparken og Magleparken om bopælssager."]
    sammenligning = vm.udvalg_sammenligning(r)
    assert [d.markdown.splitlines()[0] for d in sammenligning if isinstance(d, vm.Tekst)] == [
        "### Sammenligning med andre kommuner", "### Det fremadrettede arbejde"]
    assert sammenligning[-1].markdown.splitlines()[2].startswith(
        "Indsatsen skal fortsat give provenu på tre måder: direkte, når en uberettiget ydelse stoppes")


def test_the_briefing_carries_the_meetings_own_recommendation_and_decision(r):
    from dataclasses import replace
    moede = r.p.moede.model_copy(update={"indstilling": "at udvalget godkender planen for {aar}.",
                                         "beslutning": "Godkendt."})
    med = replace(r, p=replace(r.p, moede=moede))
    indstilling, beslutning = vm.udvalg_indstilling(med)
    assert indstilling.markdown == ("## Indstilling\n\nDirektøren for Økonomi, Borgerservice og Digitalisering "
                                    "indstiller,\n\nat udvalget godkender planen for 2023.")
    assert beslutning.markdown == "## Beslutning\n\nGodkendt."


def test_the_multi_year_table_per_ydelse_has_a_subtotal_per_category_as_vesthimmerlands(r):
    tabel = vm.udvikling(r)[-1]
    assert tabel.titel == "Provenu pr. ydelse 2019–2023 (kr.)" and tabel.lang
    assert tabel.overskrifter == ["Ydelse", "2019", "2020", "2021", "2022", "2023"]
    assert tabel.sum_raekker == ("I alt, KL-ydelser", "I alt, UDK-ydelser", "I alt, § 11-sager fra UDK",
                                 "I alt, Stop af tilflytninger", "I alt, SU-sager", "I alt")
    raekker = dict(zip(tabel.data["tekst"], zip(tabel.data["2019"], tabel.data["2023"])))
    # the seed's subtotals: KL-ydelser 5.401.056 (2019) and 5.764.357 (2023), UDK-ydelser 920.000 and 1.640.160
    assert raekker["I alt, KL-ydelser"] == (Decimal("5401056.00"), Decimal("5764357.00"))
    assert raekker["I alt, UDK-ydelser"] == (Decimal("920000.00"), Decimal("1640160.00"))
    assert raekker["I alt"] == (Decimal("6593056.00"), Decimal("11264947.00"))
    assert "Ressourceforløb" in raekker and "Tidlig pension" not in raekker     # no row of zeros


def test_staffing_the_line_and_the_history_when_two_years_have_aarsvaerk(r):
    dele = vm.pr_aarsvaerk(r)
    assert dele[2].markdown == ("Bemanding i 2023: 2,5 årsværk var udlånt til kolonihaveteamet, og én medarbejder var "
                                "udlånt på fuld tid til C-DIG i ni måneder.")
    assert len(dele) == 3                 # Ballerup gives årsværk for 2023 only among 2019–2023: no history table
    assert list(r.bemanding["aarsvaerk"]) == [None, None, None, None, Decimal("6.5")]
    r24 = ind.rapport(151, 2024, sager=str(BALLERUP))
    assert list(r24.bemanding["aar"]) == ["2020", "2021", "2022", "2023"]      # no case closed in 2024 in the file


def test_udks_landsplan_block_comes_first_when_the_source_holds_several_municipalities(tmp_path, r):
    # the seed's case file holds a few cases of other municipalities: the Landsplan is theirs and Ballerup's
    _, landet, egen = vm.udk_status(r)
    assert landet.titel == "Landsplan: alle kommuner i kilden"
    assert egen.titel == "Ydelser som Udbetaling Danmark administrerer, Ballerup Kommune"
    assert (landet.data.iloc[-1]["provenu"], egen.data.iloc[-1]["provenu"]) == (Decimal("1665160.00"),
                                                                              Decimal("1640160.00"))
    linjer = BALLERUP.read_text(encoding="utf-8").splitlines()
    fil = tmp_path / "kun_ballerup.csv"
    fil.write_text("\n".join([linjer[0]] + [l for l in linjer[1:] if l.split(";")[1] == "151"]) + "\n",
                   encoding="utf-8")
    alene = ind.rapport(151, 2023, sager=str(fil))
    assert alene.udk_landet is None and len(vm.udk_status(alene)) == 2    # one municipality: no Landsplan
