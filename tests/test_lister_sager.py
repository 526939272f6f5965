"""List hits as cases: til_sager's rows, the store (both databases), fredning and
fredningsperiode, the whole way to the kontrolsager export and provenu, and the CLI."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from kontrol_lib.sager import kontrolsagsfil as ks
from kontrol_lib.maal import provenu
from kontrol_lib.flader.cli import main
from kontrol_lib.regler.lokale import indlaes_lister, koer_lister
from kontrol_lib.jobs.lokale_lister import KANAL, SAG_KOLONNER, koer, til_lager, til_sager
from kontrol_lib.sager import Beloeb, SagsLager
from test_lister import D, flytning, samling


@pytest.fixture(scope="module")
def lister():
    return indlaes_lister()


def verden():
    """One bopælssamling (YM with 4 unrelated adults) and one proforma-flytning in one folder."""
    v, ym = samling(4)
    v2, ung = flytning()
    for k in v.t:
        v.t[k] += v2.t[k]
    return v, ym, ung


def test_til_sager_makes_one_kontroltrin_3_row_per_finding_with_the_lists_reason(tmp_path, lister):
    v, ym, ung = verden()
    sager = til_sager(koer_lister(v.mappe(tmp_path), D))
    assert list(sager.columns) == SAG_KOLONNER
    rows = sager.sort_values("liste").to_dict("records")
    assert [(r["ym_cpr"], r["kanal"], r["kontroltrin"], r["liste"], r["regel"], r["ydelse"], r["myndighed"],
             r["kle"], r["ydelsesomraade"], r["kontroltype"], r["haendelse_id"]) for r in rows] == [
        (ym, "lokal_kontrolliste", 3, "bopaelssamlinger", "liste:bopaelssamlinger", "kontanthjaelp", "kommune",
         "32.24.04", "kontanthjaelp", "familie", "A1|2015-01-01"),
        (ung, "lokal_kontrolliste", 3, "proforma_flytning", "liste:proforma_flytning", "su", "su_styrelsen",
         None, None, "flytning", "X|2024-04-01")]
    assert rows[0]["regel_titel"] == "Bopælssamlinger"
    assert rows[0]["oplysninger"] == (
        "4 andre voksne (fyldt 18 år) på adressen 15-05-2024, som ikke er ægtefælle eller barn (krav: mindst 4). "
        + lister["bopaelssamlinger"].begrundelse)


def test_list_cases_flow_through_the_workflow_to_the_kontrolsager_export(tmp_path, db_url):
    v, ym, ung = verden()
    mappe = v.mappe(tmp_path)
    lager = SagsLager(db_url)
    try:
        res = koer(mappe, D, lager=lager)
        assert (res.fund_i_alt, res.nye_fund, len(res.nye_sager), res.pr_liste) == \
            (2, 2, 2, {"bopaelssamlinger": 1, "proforma_flytning": 1})
        liste = lager.bestillingsliste()
        assert sorted(zip(liste["regler"], liste["kontroltrin"], liste["kontroltyper"], liste["udloebsdato"])) == [
            ("Bopælssamlinger", 3, "familie", dt.date(2024, 8, 15)),
            ("Proforma-flytning (SU på udeboende sats)", 3, "flytning", dt.date(2024, 8, 15))]
        assert not any(c in " ".join(map(str, liste.to_numpy().ravel())) for c in (ym, ung))
        assert list(lager.bestillingsliste(fravaelg=["flytning"])["regler"]) == ["Bopælssamlinger"]

        # the same day again: both findings are fredet
        igen = koer(mappe, D, lager=lager)
        assert (igen.fredede_fund, igen.nye_fund, igen.nye_sager) == (2, 0, [])

        sag = lager.sager()
        sag_id = sag.loc[sag["ydelse"] == "kontanthjaelp", "sag_id"].iloc[0]
        assert lager.bestil(1, "anna", ydelsesomraade="kontanthjaelp", dato=D) == [sag_id]
        ark = lager.kontrolark(sag_id, "anna", formaal="visitering")
        assert "4 andre voksne (fyldt 18 år) på adressen 15-05-2024" in ark.html()
        lager.visiter(sag_id, "anna", "partshoering", dato=dt.date(2024, 5, 20))
        lager.afgoer(sag_id, "anna", "aendret_tildeling",
                     Beloeb(besparelse_rytme="maaned", besparelse_beloeb=Decimal("3000.00"), aendring="stop"),
                     dato=dt.date(2024, 6, 10), fredningsperiode=6)
        ud = lager.kontrolsager()
        r = ud[ud["sag_id"] == sag_id].iloc[0]
        assert (r["kanal"], r["kontroltrin"], r["ydelse"], r["myndighed"], r["paragraf11"], r["resultat"],
                r["oprettet"], r["afsluttet"], r["besparelse_rytme"], r["besparelse_beloeb"]) == \
            (KANAL, 3, "kontanthjaelp", "kommune", "nej", "aendret_tildeling", dt.date(2024, 5, 15),
             dt.date(2024, 6, 10), "maaned", Decimal("3000.00"))
    finally:
        lager.luk()


def test_a_closed_list_case_is_counted_in_the_provenu_kanal_table(tmp_path):
    v, ym, _ = verden()
    lager = SagsLager(f"sqlite:///{tmp_path / 'k.sqlite'}")
    koer(v.mappe(tmp_path), D, lager=lager, lister=["bopaelssamlinger"])
    [sag_id] = lager.bestil(1, "anna", dato=D)
    lager.visiter(sag_id, "anna", "partshoering", dato=D)
    lager.afgoer(sag_id, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="3000"),
                 dato=D)
    tabel = provenu.kanaler(ks.normaliser(lager.kontrolsager()), 2024)
    r = tabel[tabel["kanal"] == KANAL].iloc[0]
    assert (r["afsluttede"], r["med_provenu"]) == (1, 1)


def _hit(cpr, liste="bopaelssamlinger", adresse="A1", fra=dt.date(2015, 1, 1)):
    return {"liste": liste, "liste_titel": liste.capitalize(), "kontroltype": "familie", "cpr": cpr,
            "kommunekode": 151, "kle": "32.24.04", "ydelse": "kontanthjaelp", "ydelsesomraade": "kontanthjaelp",
            "myndighed": "kommune", "paragraf11": "nej", "adresse_id": adresse, "fra_dato": fra,
            "haendelse_id": f"{adresse}|{fra.isoformat()}", "haendelsesdato": fra, "begrundelse": "B.",
            "oplysninger": "O"}


YM = "0101801234"


@pytest.fixture
def lager(tmp_path):
    x = SagsLager(f"sqlite:///{tmp_path / 'k.sqlite'}")
    yield x
    x.luk()


def test_a_new_finding_joins_the_persons_udstillet_case_from_the_same_list(lager):
    a = til_lager(lager, pd.DataFrame([_hit(YM)]), D)
    b = til_lager(lager, pd.DataFrame([_hit(YM, adresse="A2", fra=dt.date(2024, 5, 1))]), D + dt.timedelta(days=7))
    assert b.udvidede_sager == a.nye_sager and b.nye_sager == []
    assert int(lager.bestillingsliste()["antal_udfald"].iloc[0]) == 2


def test_a_finding_from_another_list_gets_its_own_case(lager):
    a = til_lager(lager, pd.DataFrame([_hit(YM)]), D)
    b = til_lager(lager, pd.DataFrame([_hit(YM, liste="samlivsindikation")]), D)
    assert len(a.nye_sager) == 1 and len(b.nye_sager) == 1 and a.nye_sager != b.nye_sager


def test_a_list_cases_kontrolark_is_titled_with_the_lists_title(lager):
    [sag] = til_lager(lager, pd.DataFrame([_hit(YM, liste="samlivsindikation")]), D).nye_sager
    h = lager.kontrolark(sag, "anna", formaal="visitering").html()
    assert "<h1>Kontrolark – lokal kontrolliste: Samlivsindikation</h1>" in h and "§ 10-opfølgning" not in h
    assert lager.sag(sag, formaal="visitering")["stamdata"]["liste"] == {"navn": "samlivsindikation",
                                                                        "titel": "Samlivsindikation"}


@pytest.mark.parametrize("dage_efter, fredet", [(183, True), (184, False)])
def test_a_fredningsperiode_keeps_the_person_off_the_lists(lager, dage_efter, fredet):
    # closed 2024-06-10 with 6 months: fredet until 2024-12-09, exposed again from 2024-12-10 (183 days later)
    [sag] = til_lager(lager, pd.DataFrame([_hit(YM)]), D).nye_sager
    lager.bestil(1, "anna", dato=D)
    lager.visiter(sag, "anna", "henlaeg", dato=dt.date(2024, 6, 10), fredningsperiode=6)
    dag = dt.date(2024, 6, 10) + dt.timedelta(days=dage_efter - 1)
    res = til_lager(lager, pd.DataFrame([_hit(YM, adresse="A2", fra=dt.date(2024, 6, 1))]), dag)
    assert (res.fredningsperiode, len(res.nye_sager)) == ((1, 0) if fredet else (0, 1))


def test_the_cli_puts_the_hits_on_the_list_and_tries_without_the_store(tmp_path, capsys):
    v, _, _ = verden()
    mappe = v.mappe(tmp_path)
    db = tmp_path / "k.sqlite"
    assert main(["lister", "--data", str(mappe), "--dato", "2024-05-15", "--proev", "--db", str(db)]) == 0
    ud = capsys.readouterr().out
    assert "proforma_flytning:\n        1  Befolkning: alle levende personer, alder 18–21 år\n" in ud
    assert not db.exists()
    assert main(["lister", "--data", str(mappe), "--dato", "2024-05-15", "--liste", "bopaelssamlinger",
                 "--db", str(db)]) == 0
    ud = capsys.readouterr().out
    assert ("nye sager på bestillingslisten:          1\n  udstillede sager med nye fund:           0\n"
            "    bopaelssamlinger: 1 nye fund\n") in ud


def test_the_cli_names_an_unknown_list(tmp_path, capsys):
    v, _, _ = verden()
    assert main(["lister", "--data", str(v.mappe(tmp_path)), "--dato", "2024-05-15", "--liste", "kaffe",
                 "--db", str(tmp_path / "k.sqlite")]) == 1
    assert "Ukendt kontrolliste 'kaffe' (kendte: bopaelssamlinger, proforma_flytning, samlivsindikation)" in \
        capsys.readouterr().err
