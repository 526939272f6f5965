"""The provenu interface of the case store: importer_kontrolsager, kontrolsager, korrektioner
(SQLite and PostgreSQL)."""

from decimal import Decimal

import pandas as pd
import pytest

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager.sagsimport import KOLONNER, VALGFRI
from test_sagsstyring_hjaelp import REGLER, YM1, D, frame, u


@pytest.fixture
def lager(db_url):
    lg = SagsLager(db_url)
    yield lg
    lg.luk()


def row(sag_id="A-1", ydelse="kontanthjaelp", resultat="aendret_tildeling", afsluttet=D(2024, 3, 1), **kw):
    r = dict(sag_id=sag_id, kommunekode=151, kanal="anonym_anmeldelse", kontroltrin=1, ydelse=ydelse,
             myndighed="kommune", paragraf11="nej", oprettet=D(2024, 1, 10), afsluttet=afsluttet,
             resultat=resultat, besparelse_rytme=None, besparelse_beloeb=None, tilbagebetalingskrav=None,
             efterregulering=None, skat=None, politianmeldt=None, videresendt_til=None)
    r.update(kw)
    return r


def df(*rows):
    return pd.DataFrame(list(rows), columns=KOLONNER)


CASES = [
    row("A-1", "kontanthjaelp", besparelse_rytme="maaned", besparelse_beloeb=Decimal("5000.00"),
        tilbagebetalingskrav=Decimal("12000.50"), politianmeldt="nej"),
    row("A-1", "boligydelse", myndighed="udk", besparelse_rytme="maaned", besparelse_beloeb=Decimal("800.00"),
        efterregulering=Decimal("-120.25"), skat=Decimal("300.00")),
    row("B-2", "sygedagpenge", kanal="udk", kontroltrin=3, resultat="henlagt_efter_partshoering",
        afsluttet=D(2024, 2, 2)),
    row("C-3", "su", kanal="su_styrelsen", myndighed="su_styrelsen", paragraf11="ja", resultat=None,
        afsluttet=None),
]


def _same(a: pd.DataFrame, b: pd.DataFrame):
    key = ["sag_id", "ydelse"]
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    assert a.astype(object).where(a.notna(), None).values.tolist() == \
        b.astype(object).where(b.notna(), None).values.tolist()


def test_imported_cases_come_back_row_for_row_in_the_same_format(lager):
    assert lager.importer_kontrolsager(df(*CASES), "import") == {
        "nye": 3, "afsluttede": 0, "korrektioner": 0, "uaendrede": 0, "aabne_uden_cpr": 1}
    out = lager.kontrolsager()
    assert list(out.columns) == KOLONNER + VALGFRI
    _same(out[KOLONNER], df(*CASES))
    assert out[VALGFRI].isna().all().all()
    assert out[out["sag_id"] == "A-1"]["tilbagebetalingskrav"].tolist() == [Decimal("12000.50"), None] or \
        out[out["sag_id"] == "A-1"]["tilbagebetalingskrav"].tolist() == [None, Decimal("12000.50")]
    log = lager.log()
    assert log[log["sag_id"] == "A-1"][["dato", "fra", "til"]].values.tolist() == [
        [D(2024, 1, 10), None, "partshoering"], [D(2024, 3, 1), "partshoering", "aendret_tildeling"]]
    assert log[log["sag_id"] == "C-3"]["til"].tolist() == ["partshoering"]
    assert lager.feedbackliste("anna", formaal="visitering")["sag_id"].tolist() == ["C-3"]


def test_re_importing_identical_cases_changes_nothing(lager):
    lager.importer_kontrolsager(df(*CASES), "import")
    n = len(lager.log())
    assert lager.importer_kontrolsager(df(*CASES), "import") == {
        "nye": 0, "afsluttede": 0, "korrektioner": 0, "uaendrede": 3, "aabne_uden_cpr": 0}
    assert len(lager.log()) == n and lager.korrektioner().empty


def test_other_amounts_on_a_known_case_are_a_correction_and_the_first_closing_amounts_stay(lager):
    lager.importer_kontrolsager(df(*CASES), "import", dato=D(2024, 4, 1))
    changed = [dict(CASES[0], tilbagebetalingskrav=Decimal("15000.00")), CASES[1]]
    assert lager.importer_kontrolsager(df(*changed), "import", dato=D(2024, 5, 5))["korrektioner"] == 1
    first = lager.kontrolsager()
    assert first[(first["sag_id"] == "A-1") & (first["ydelse"] == "kontanthjaelp")][
        "tilbagebetalingskrav"].tolist() == [Decimal("12000.50")]
    k = lager.korrektioner()
    assert k.values.tolist() == [["A-1", "kontanthjaelp", D(2024, 5, 5), "maaned", Decimal("0.00"),
                                  Decimal("2999.50"), Decimal("0.00"), Decimal("0.00"), "maaned",
                                  Decimal("5000.00")]]
    # a second correction is measured against the first correction, not the original
    again = [dict(CASES[0], tilbagebetalingskrav=Decimal("14000.00")), CASES[1]]
    lager.importer_kontrolsager(df(*again), "import", dato=D(2024, 6, 1))
    assert lager.korrektioner()["tilbagebetalingskrav"].tolist() == [Decimal("2999.50"), Decimal("-1000.00")]
    assert lager.log("A-1")["haendelse"].tolist() == ["import", "import", "korrektion", "korrektion"]


def test_an_open_imported_case_is_closed_by_a_later_import(lager):
    lager.importer_kontrolsager(df(CASES[3]), "import")
    closed = dict(CASES[3], afsluttet=D(2024, 4, 4), resultat="aendret_tildeling", besparelse_rytme="fast",
                  besparelse_beloeb=Decimal("20000.00"))
    assert lager.importer_kontrolsager(df(closed), "import")["afsluttede"] == 1
    out = lager.kontrolsager()
    assert out[["afsluttet", "resultat", "besparelse_beloeb"]].values.tolist() == [
        [D(2024, 4, 4), "aendret_tildeling", Decimal("20000.00")]]


def test_a_batch_with_bad_rows_is_refused_whole_and_every_bad_row_is_named(lager):
    bad = [CASES[2], row("D-4", kanal="nabo"), row("E-5", tilbagebetalingskrav=Decimal("1.234")),
           row("F-6", afsluttet=D(2023, 1, 1))]
    with pytest.raises(KontrolFejl) as e:
        lager.importer_kontrolsager(df(*bad), "import")
    msg = str(e.value)
    assert "intet er importeret" in msg
    assert "række 3, kolonne kanal, værdi 'nabo'" in msg
    assert "række 4, kolonne tilbagebetalingskrav, værdi '1.234'" in msg
    assert "række 5, kolonne afsluttet, værdi '2023-01-01': ligger før oprettet" in msg
    assert lager.log().empty


def test_a_changed_closing_or_a_changed_oprettet_of_a_known_case_is_refused(lager):
    lager.importer_kontrolsager(df(*CASES), "import")
    with pytest.raises(KontrolFejl, match="allerede afsluttet 2024-02-02 med resultatet henlagt_efter_partshoering"):
        lager.importer_kontrolsager(df(dict(CASES[2], resultat="aendret_tildeling")), "import")
    with pytest.raises(KontrolFejl, match="oprettet er '2024-01-11', men sagen findes allerede med '2024-01-10'"):
        lager.importer_kontrolsager(df(dict(CASES[3], oprettet=D(2024, 1, 11))), "import")
    assert len(lager.log()) == 5


def test_workflow_cases_are_kontrolsager_from_the_registersamkoering(lager):
    [sag] = koer_udfald(lager, frame(u(YM1, kle="32.24.10")), D(2024, 5, 15), regler=REGLER).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 16))
    lager.visiter(sag, "anna", "partshoering", dato=D(2024, 5, 20))
    lager.afgoer(sag, "anna", "aendret_tildeling", [
        Beloeb(besparelse_rytme="maaned", besparelse_beloeb="4000"),
        Beloeb(ydelse="boligydelse", tilbagebetalingskrav="2500,75")], dato=D(2024, 6, 3))
    out = lager.kontrolsager()[KOLONNER]
    assert out.values.tolist() == [
        [sag, 151, "dfd_registersamkoering", 2, "integrationsydelse", "kommune", "nej", D(2024, 5, 15),
         D(2024, 6, 3), "aendret_tildeling", "maaned", Decimal("4000.00"), None, None, None, None, None],
        [sag, 151, "dfd_registersamkoering", 2, "boligydelse", "kommune", "nej", D(2024, 5, 15),
         D(2024, 6, 3), "aendret_tildeling", None, None, Decimal("2500.75"), None, None, None, None]]
    lager.korriger(sag, "anna", [Beloeb(besparelse_rytme="maaned", besparelse_beloeb="3000"),
                                 Beloeb(ydelse="boligydelse", tilbagebetalingskrav="2500,75")], dato=D(2024, 7, 1))
    assert lager.korrektioner()[["ydelse", "registreret", "besparelse_beloeb"]].values.tolist() == [
        ["integrationsydelse", D(2024, 7, 1), Decimal("-1000.00")]]


def test_kontrolsager_can_be_limited_to_one_kommune(lager):
    lager.importer_kontrolsager(df(*CASES, row("G-7", kommunekode=101)), "import")
    assert lager.kontrolsager(101)["sag_id"].tolist() == ["G-7"]
    assert sorted(set(lager.kontrolsager(151)["sag_id"])) == ["A-1", "B-2", "C-3"]


def test_the_export_of_a_store_imports_back_unchanged_and_into_a_fresh_store_row_for_row(lager, tmp_path):
    lager.importer_kontrolsager(df(*CASES), "import")
    a, b = koer_udfald(lager, frame(u(YM1), u("0202851235", "bilkoeb", "c")), D(2024, 5, 15), regler=REGLER).nye_sager
    lager.bestil(2, "anna", dato=D(2024, 5, 16))
    lager.visiter(a, "anna", "henlaeg", dato=D(2024, 5, 17))
    lager.visiter(b, "anna", "partshoering", dato=D(2024, 5, 17))
    lager.afgoer(b, "anna", "aendret_tildeling", Beloeb(besparelse_rytme="uge", besparelse_beloeb="700"),
                 dato=D(2024, 6, 1))
    ud = lager.kontrolsager()
    assert lager.importer_kontrolsager(ud, "import") == {"nye": 0, "afsluttede": 0, "korrektioner": 0,
                                                         "uaendrede": 5, "aabne_uden_cpr": 0}
    frisk = SagsLager(f"sqlite:///{tmp_path / 'frisk.sqlite'}")
    assert frisk.importer_kontrolsager(ud, "import")["nye"] == 5
    _same(frisk.kontrolsager(), ud)


def test_every_column_of_the_import_format_survives_the_store_into_the_kl_export(lager, tmp_path, capsys):
    """Issue 13: importer-sager kept sagstype, selvstaendig_erhvervsdrivende and virksomhedskontrol
    nowhere, so the KL export said "Ikke oplyst" from the store but the real value from the file."""
    import openpyxl                                  # reason: the KL workbook is read back cell by cell
    from kontrol_lib.flader.cli import main          # reason: the round trip goes through the commands
    header = ";".join(KOLONNER + VALGFRI) + "\n"
    fil = tmp_path / "k.csv"
    fil.write_text(header +
                   "S1;151;anonym_anmeldelse;3;kontanthjaelp;kommune;nej;2023-01-02;2023-03-31;aendret_tildeling;"
                   "uge;100.50;1000;-12.25;7;ja;skattestyrelsen;Samlivsforhold;ja;ja\n"
                   "S1;151;anonym_anmeldelse;3;boligydelse;udk;ja;2023-01-02;2023-03-31;aendret_tildeling;"
                   "maaned;80;;;;nej;;Samlivsforhold;ja;ja\n"
                   "S2;151;intern;1;su;su_styrelsen;nej;2023-02-01;2023-04-30;henlagt_efter_partshoering;"
                   ";;;;;;;Ikke sambo;nej;nej\n"
                   "S3;151;politi;1;sygedagpenge;kommune;nej;2023-02-01;2023-05-31;aendret_tildeling;"
                   "fast;15000;2500;;;;;;;\n", encoding="utf-8")
    assert main(["importer-sager", "--sager", str(fil), "--db", lager.url]) == 0
    fra_fil = pd.read_csv(fil, sep=";", dtype=str, keep_default_na=False)
    ud = lager.kontrolsager()
    ud = ud.assign(**{c: [("" if v is None else (v.isoformat() if hasattr(v, "isoformat") else
                                                  (f"{v:.2f}" if isinstance(v, Decimal) else str(v))))
                          for v in ud[c]] for c in ud.columns})
    fra_fil = fra_fil.assign(**{c: [f"{Decimal(v):.2f}" if v else "" for v in fra_fil[c]]
                                for c in ("besparelse_beloeb", "tilbagebetalingskrav", "efterregulering", "skat")})
    key = ["sag_id", "ydelse"]
    assert (ud.sort_values(key)[KOLONNER + VALGFRI].values.tolist()
            == fra_fil.sort_values(key)[KOLONNER + VALGFRI].values.tolist())
    capsys.readouterr()
    assert main(["kl-effektmaaling", "--sager", str(fil), "--aar", "2023", "--ud", str(tmp_path / "fil.xlsx")]) == 0
    assert main(["kl-effektmaaling", "--db", lager.url, "--aar", "2023", "--ud", str(tmp_path / "lager.xlsx")]) == 0

    def celler(navn):
        return [[list(r) for r in ark.iter_rows(values_only=True)]
                for ark in openpyxl.load_workbook(tmp_path / navn).worksheets]
    assert celler("lager.xlsx") == celler("fil.xlsx")
    data = celler("lager.xlsx")[0]
    assert sorted({r[5] for r in data[1:]} - {"Ikke oplyst"}) == ["Ikke sambo", "Samlivsforhold"]


def test_a_kl_field_that_differs_between_a_cases_rows_or_from_the_store_is_refused(lager):
    a = row("K-1", sagstype="Samliv", selvstaendig_erhvervsdrivende="ja", virksomhedskontrol="nej")
    b = row("K-1", "boligydelse", sagstype="Adresse", selvstaendig_erhvervsdrivende="ja", virksomhedskontrol="nej")
    with pytest.raises(KontrolFejl, match="kolonnen sagstype skal være ens for alle sagens rækker"):
        lager.importer_kontrolsager(pd.DataFrame([a, b]), "import")
    lager.importer_kontrolsager(pd.DataFrame([a]), "import")
    with pytest.raises(KontrolFejl, match="sagstype er 'Adresse', men sagen findes allerede med 'Samliv'"):
        lager.importer_kontrolsager(pd.DataFrame([dict(a, sagstype="Adresse")]), "import")
    with pytest.raises(KontrolFejl, match="virksomhedskontrol, værdi 'måske': ukendt værdi"):
        lager.importer_kontrolsager(pd.DataFrame([dict(a, sag_id="K-2", virksomhedskontrol="måske")]), "import")
