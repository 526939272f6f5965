"""Municipality report parameters (parameters/kommuner/*.yaml): loading, merging, validation,
and the report figures that need no kernel (funnel, kontroltrin, netto, drill-down)."""

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.rapporter import indhold
from kontrol_lib.rapporter.batch import laes_plan
from kontrol_lib.parametre.kommune import (KommuneParameterFejl, find_kommunekode, hent_kommune,
                                                    slug)

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = ROOT / "parameters" / "kommuner"
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"


@pytest.fixture
def mappe(tmp_path):
    d = tmp_path / "kommuner"
    d.mkdir()
    shutil.copy(KOMMUNER / "standard.yaml", d / "standard.yaml")
    return d


def test_ballerup_2024_has_its_own_staffing_committee_and_activation_date():
    p = hent_kommune(151, 2024)
    assert (p.kommunenavn, p.kommune, p.mappe_navn) == ("Ballerup", "Ballerup Kommune", "151-ballerup")
    assert p.aarsvaerk == Decimal("7")
    assert p.udvalg == "Økonomiudvalget"
    assert p.paragraf10_aktiveringsdato == dt.date(2018, 9, 1)
    assert p.moededato == dt.date(2025, 2, 24)
    assert p.nettoprocent["sygedagpenge"] == Decimal("60")


def test_the_period_value_applies_only_to_its_own_year():
    assert hent_kommune(151, 2023).aarsvaerk == Decimal("6.5")
    assert hent_kommune(151, 2022).aarsvaerk is None


def test_a_municipality_without_a_file_gets_the_defaults_and_its_official_name():
    p = hent_kommune(657, 2024)
    assert (p.kommunenavn, p.enhed, p.udvalg, p.aarsvaerk) == ("Herning", "Kontrolgruppen", "Økonomiudvalget", None)
    assert p.mappe_navn == "657-herning"


def test_every_shipped_municipality_loads_for_every_recent_year():
    from kontrol_lib.vokabular.steder import shipped_kommuner
    for kode in shipped_kommuner()["kommunekode"]:
        for aar in (2023, 2024):
            assert hent_kommune(int(kode), aar).kommunekode == int(kode)


def test_a_municipality_is_found_by_code_name_or_name_with_kommune():
    assert find_kommunekode("0151") == 151
    assert find_kommunekode("Ballerup Kommune") == 151
    assert find_kommunekode("høje-taastrup") == 169
    assert slug("Lyngby-Taarbæk") == "lyngby-taarbaek"


def test_an_unknown_municipality_is_a_danish_error():
    with pytest.raises(KommuneParameterFejl, match="Ukendt kommunekode: 999"):
        find_kommunekode(999)
    with pytest.raises(KommuneParameterFejl, match="Ukendt kommune: 'Atlantis'"):
        find_kommunekode("Atlantis")


def test_every_problem_in_a_file_is_listed_with_file_and_key(mappe):
    (mappe / "151-ballerup.yaml").write_text(
        "kommunekode: 152\nkommunenavn: Balerup\naarsvaerk: -2\nudvalgg: x\n"
        "paragraf10_aktiveringsdato: 2018-13-01\nnettoprocent: {kontanthjaelp: 120, boernepenge: 50}\n"
        "tekster: {sagsresume: 'Om {kommun}'}\n", encoding="utf-8")
    with pytest.raises(KommuneParameterFejl) as e:
        hent_kommune(151, 2024, mappe=mappe)
    msg = str(e.value)
    f = str(mappe / "151-ballerup.yaml")
    assert f"{f}: 'kommunekode' er 152, men filnavnet siger 151" in msg
    assert f"{f}: 'kommunenavn' er 'Balerup', men kommune 151 hedder 'Ballerup'" in msg
    assert f"{f}: 'aarsvaerk' skal være et positivt tal (fx 4.5), ikke -2" in msg
    assert f"{f}: ukendt nøgle 'udvalgg'" in msg
    assert "'paragraf10_aktiveringsdato' skal være en dato (ÅÅÅÅ-MM-DD), ikke '2018-13-01'" in msg
    assert "'nettoprocent.kontanthjaelp' skal være en procent mellem 0 og 100, ikke 120" in msg
    assert "'nettoprocent.boernepenge': ukendt ydelse" in msg
    assert "'tekster.sagsresume' bruger den ukendte pladsholder {kommun}" in msg


def test_nettoprocent_at_the_bounds_is_accepted_and_just_outside_is_not(mappe):
    (mappe / "151-ballerup.yaml").write_text("nettoprocent: {kontanthjaelp: 0, sygedagpenge: 100}\n", encoding="utf-8")
    assert hent_kommune(151, 2024, mappe=mappe).nettoprocent == {"kontanthjaelp": Decimal(0), "sygedagpenge": Decimal(100)}
    (mappe / "151-ballerup.yaml").write_text("nettoprocent: {kontanthjaelp: 100.01}\n", encoding="utf-8")
    with pytest.raises(KommuneParameterFejl, match="mellem 0 og 100, ikke 100.01"):
        hent_kommune(151, 2024, mappe=mappe)


def test_a_missing_text_is_named_with_the_year(mappe):
    std = (mappe / "standard.yaml").read_text(encoding="utf-8")
    (mappe / "standard.yaml").write_text(std.replace("  indstilling: |\n", "  indstillingx: |\n"), encoding="utf-8")
    with pytest.raises(KommuneParameterFejl) as e:
        hent_kommune(151, 2024, mappe=mappe)
    assert "ukendt tekst 'tekster.indstillingx'" in str(e.value)
    assert "teksten 'tekster.indstilling' mangler (indstillingen (det udvalget bedes om)) for 2024" in str(e.value)


def test_a_period_that_is_not_a_year_is_an_error(mappe):
    (mappe / "151-ballerup.yaml").write_text("perioder:\n  '2024x': {aarsvaerk: 3}\n", encoding="utf-8")
    with pytest.raises(KommuneParameterFejl, match="'perioder' har nøglen '2024x', som ikke er et årstal"):
        hent_kommune(151, 2024, mappe=mappe)


def test_texts_are_filled_from_the_figures_with_one_full_stop_after_kr():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    assert r.tekst("resultat") == ("I 2023 er der afsluttet 31 sager med ændret tildeling. Det samlede provenu er "
                                   "11.264.947 kr. mod 8.030.923 kr. i 2022. Fordelingen på kategorier fremgår af tabellen.")
    assert r.tekst("sagsresume").endswith("Det samlede provenu er opgjort til 11.264.947 kr.")


def test_the_report_figures_are_the_provenu_tables_of_ballerup_2023():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    kat = dict(zip(r.kategorier["kategori"], r.kategorier["provenu"]))
    assert kat["KL-ydelser"] == Decimal("5764357.00")
    assert kat["UDK-ydelser"] == Decimal("1640160.00")
    assert kat["§ 11-sager fra UDK"] == Decimal("1115157.00")
    assert kat["Stop af tilflytninger"] == Decimal("761984.00")
    assert kat["SU-sager"] == Decimal("1983289.00")
    assert r.provenu_i_alt == Decimal("11264947.00")
    assert list(r.udvikling_bred.columns) == ["kategori", "2019", "2020", "2021", "2022", "2023"]
    assert r.udvikling_bred.iloc[-1]["2022"] == Decimal("8030923.00")
    assert r.udk_status.iloc[-1]["provenu"] == Decimal("1640160.00")
    # 6.5 årsværk in 2023: 11,264,947 / 6.5 = 1,733,068.769... → 1,733,068.77
    assert r.pr_aarsvaerk.iloc[0]["provenu_pr_aarsvaerk"] == Decimal("1733068.77")


def test_kontroltrin_rows_add_up_to_the_total():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    t = r.kontroltrin
    body, total = t.iloc[:-1], t.iloc[-1]
    assert total["kontroltrin"] == "I alt"
    assert sum(body["provenu"]) == total["provenu"] == Decimal("11264947.00")
    assert sum(body["afsluttede"]) == total["afsluttede"] == 36
    assert list(t["kontroltrin"]) == ["Kontroltrin 1", "Kontroltrin 2", "Kontroltrin 3", "I alt"]


def test_the_kanal_total_row_counts_every_closed_case_and_its_hit_rate():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    k = r.kanaler
    total = k.iloc[-1]
    assert (total["afsluttede"], total["med_provenu"]) == (36, 31)
    assert total["hitrate"] == Decimal("0.8611")       # 31 / 36 = 0.86111...
    assert (k.iloc[:-1]["afsluttede"] > 0).all()


def test_the_drill_down_rows_sum_to_the_figure_in_the_table():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    rows = indhold.sager_bag(r.kilde, aar=2023, kategori="KL-ydelser", kun_aendret=True)
    assert sum(rows["provenu"], Decimal(0)) == indhold.i_alt(rows) == Decimal("5764357.00")
    assert rows["sag_id"].nunique() == 12
    assert "cpr" not in " ".join(rows.columns)


def test_netto_uses_the_municipalitys_own_percent_where_it_has_one():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    # Hand check on one case row: a kontanthjælp row counts 70 % of each component.
    rows = indhold.sager_bag(r.kilde, aar=2023, ydelse="kontanthjaelp", kun_aendret=True)
    kilde = indhold.Kilde(sager=r.kilde.sager[r.kilde.sager["sag_id"].isin(rows["sag_id"][:1])
                                              & (r.kilde.sager["ydelse"] == "kontanthjaelp")])
    one = indhold.sager_bag(kilde, aar=2023).iloc[0]
    forventet = sum(((one[c] * Decimal(70) / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
                     for c in ("fremadrettet_besparelse", "tilbagebetalingskrav", "efterregulering", "skat")), Decimal(0))
    assert indhold.netto_i_alt(kilde, 2023, r.p) == forventet
    assert indhold.netto_i_alt(r.kilde, 2023, r.p) < r.provenu_i_alt


def _log(rows):
    return pd.DataFrame(rows, columns=["sag_id", "dato", "til"])


def test_the_funnel_from_the_store_log_follows_the_cases_first_exposed_in_the_year():
    sager = pd.DataFrame([
        dict(sag_id="A", kommunekode=151, kanal="dfd_registersamkoering", kontroltrin=2, ydelse="kontanthjaelp",
             myndighed="kommune", paragraf11="nej", oprettet=dt.date(2024, 1, 5), afsluttet=dt.date(2024, 3, 1),
             resultat="aendret_tildeling", besparelse_rytme="maaned", besparelse_beloeb=Decimal("1000.00"),
             tilbagebetalingskrav=None, efterregulering=None, skat=None, politianmeldt=None, videresendt_til=None),
        dict(sag_id="B", kommunekode=151, kanal="dfd_registersamkoering", kontroltrin=2, ydelse="kontanthjaelp",
             myndighed="kommune", paragraf11="nej", oprettet=dt.date(2024, 2, 1), afsluttet=dt.date(2024, 5, 1),
             resultat="udloebet", besparelse_rytme=None, besparelse_beloeb=None,
             tilbagebetalingskrav=None, efterregulering=None, skat=None, politianmeldt=None, videresendt_til=None),
    ])
    log = _log([("A", dt.date(2024, 1, 5), "udstillet"), ("A", dt.date(2024, 1, 9), "bestilt"),
                ("A", dt.date(2024, 1, 20), "partshoering"), ("A", dt.date(2024, 3, 1), "aendret_tildeling"),
                ("B", dt.date(2024, 2, 1), "udstillet"), ("B", dt.date(2024, 5, 1), "udloebet"),
                ("C", dt.date(2023, 12, 30), "udstillet"), ("C", dt.date(2024, 1, 2), "bestilt"),
                ("D", dt.date(2024, 2, 2), "partshoering")])     # an anmeldelse: never exposed
    t = indhold.tragt(indhold.Kilde(sager=sager, log=log), 151, 2024)
    # issue 14: a cohort. C was exposed in 2023 and ordered in 2024: it belongs to 2023's funnel, not
    # to 2024's (the old count by first transition in the year gave udtagne 2 of 2 udstillede here)
    assert (t.udstillede, t.udtagne, t.oprettede, t.med_provenu, t.udloebne, t.aabne) == (2, 1, 1, 1, 1, 0)
    tab = indhold.tragt_tabel(t)
    assert list(tab["andel"]) == [None, Decimal("0.5000"), Decimal("1.0000"), Decimal("1.0000"), Decimal("0.5000"),
                                  Decimal("0.0000")]
    t23 = indhold.tragt(indhold.Kilde(sager=sager, log=log), 151, 2023)
    assert (t23.udstillede, t23.udtagne, t23.oprettede, t23.aabne) == (1, 1, 0, 1)


def test_without_store_or_benchmark_the_funnel_is_not_invented():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    assert r.tragt is None and r.benchmark is None


def test_a_store_without_any_exposed_case_gives_no_funnel():
    log = _log([("D", dt.date(2024, 2, 2), "partshoering")])
    assert indhold.tragt(indhold.Kilde(sager=pd.DataFrame(), log=log), 151, 2024) is None


def test_a_batch_plan_lists_every_problem(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("sager: findes_ikke.csv\naar: 20x4\nkommuner: [151, Atlantis]\ntyper: [aarsrapport, budget]\n"
                    "workers: 0\nfarve: blaa\n", encoding="utf-8")
    with pytest.raises(KontrolFejl) as e:
        laes_plan(plan)
    msg = str(e.value)
    for part in ("ukendt nøgle 'farve'", "'sager': filen findes ikke", "'aar' skal være et årstal",
                 "Ukendt kommune: 'Atlantis'", "ukendt rapporttype 'budget'", "'workers' skal være et positivt heltal"):
        assert part in msg


def test_a_batch_plan_for_all_municipalities_makes_one_job_each(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(BALLERUP, tmp_path / "sager.csv")
    plan.write_text("sager: sager.csv\naar: [2022, 2023]\nkommuner: alle\nworkers: 2\n", encoding="utf-8")
    p = laes_plan(plan)
    assert len(p.bestillinger) == 196 and p.workers == 2
    assert p.bestillinger[0].sager == str(tmp_path / "sager.csv")
    assert p.bestillinger[0].ud == tmp_path / "reports"


def test_a_shared_split_gives_each_municipality_exactly_its_rows_from_the_file(tmp_path, monkeypatch):
    direkte = indhold.hent_kilde(151, sager=str(BALLERUP)).sager
    indhold.del_sager(str(BALLERUP), tmp_path)
    monkeypatch.setenv(indhold.DELT_MILJOE, str(tmp_path))
    delt = indhold.hent_kilde(151, sager=str(BALLERUP)).sager
    assert delt.equals(direkte) and list(delt.dtypes) == list(direkte.dtypes)
    assert len(indhold.hent_kilde(101, sager=str(BALLERUP)).sager) == 0


def test_a_batch_with_a_bad_case_file_stops_before_any_report_naming_the_row(tmp_path, capsys):
    from kontrol_lib.flader.cli import main
    lines = BALLERUP.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("aendret_tildeling", "vundet", 1)
    (tmp_path / "sager.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text("sager: sager.csv\naar: 2023\nkommuner: [151]\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "plan.yaml"), "--stille"]) == 1
    err = capsys.readouterr().err
    assert "række 6" in err and "resultat" in err and "vundet" in err
    assert not (tmp_path / "reports").exists()


def test_the_year_slice_keeps_corrected_cases_so_the_tables_are_unchanged():
    from kontrol_lib.maal import provenu
    from kontrol_lib.sager.kontrolsagsfil import indlaes
    sager, _ = indlaes(BALLERUP)
    sager = sager[sager["kommunekode"] == 151].reset_index(drop=True)
    case_2022 = sager[[d is not None and d.year == 2022 for d in sager["afsluttet"]]].iloc[0]
    korr = pd.DataFrame([{"sag_id": case_2022["sag_id"], "ydelse": case_2022["ydelse"],
                          "registreret": dt.date(2023, 3, 1), "tilbagebetalingskrav": "1000.00"}])
    kilde = indhold.Kilde(sager=sager, korrektioner=korr)
    et = indhold.udsnit(kilde, 2023, 2023)
    assert case_2022["sag_id"] in set(et.sager["sag_id"])
    assert len(et.sager) < len(sager)
    fuld = provenu.kategorier(sager, 2023, korr)
    assert fuld.equals(provenu.kategorier(et.sager, 2023, korr))
    assert fuld.iloc[-2]["kategori"] == "Korrektioner til tidligere år"
    assert fuld.iloc[-2]["provenu"] == Decimal("1000.00")
    assert provenu.udvikling(sager, 2023, korr).equals(provenu.udvikling(indhold.udsnit(kilde, 2019, 2023).sager, 2023, korr))


def test_a_figure_from_one_to_four_cases_is_marked_and_from_zero_or_five_is_not():
    assert [indhold.lille(n) for n in (0, 1, 4, 5, 6)] == [False, True, True, False, False]


def test_the_briefing_table_marks_small_categories_in_both_years():
    r = indhold.rapport(151, 2023, sager=str(BALLERUP))
    t = indhold.udvalg_tabel(r).set_index("kategori")
    assert (t.loc["§ 11-sager fra UDK", "sager"], t.loc["§ 11-sager fra UDK", "lille"]) == (1, True)
    assert (t.loc["UDK-ydelser", "sager_forrige"], t.loc["UDK-ydelser", "lille_forrige"]) == (4, True)
    assert (t.loc["UDK-ydelser", "sager"], t.loc["UDK-ydelser", "lille"]) == (9, False)
    assert (t.loc["Andre myndigheder", "sager"], t.loc["Andre myndigheder", "lille"]) == (0, False)
    assert t.loc["I alt", "provenu_forrige"] == Decimal("8030923.00")
