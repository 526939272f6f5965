"""The daily run on a real (tiny) data folder and the kontrolark it makes possible: stamoplysninger
snapshotted at creation, every udfald sentence, the look-ups without change, the history; HTML
self-contained, PDF A4; every opening logged."""

import datetime as dt
import re
import shutil
import subprocess

import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.regler.byg import skriv_mappe
from kontrol_lib.sager import SagsLager
from kontrol_lib.jobs.daglig import koer

D = dt.date(2024, 5, 15)
YM, AEF = "0101801234", "0202811234"


def verden():
    return {
        "ydelsessager": [dict(cpr=YM, kommunekode=151, kle="32.24.04", oprettet="2020-01-01")],
        "udbetalinger": [dict(cpr=YM, kle="32.24.04", udbetalingsdato="2024-04-15", beloeb="5000")],
        "civilstand": [dict(cpr=YM, haendelse="vielse", dato="2015-06-01", aegtefaelle_cpr=AEF)],
        "adresser": [dict(cpr=YM, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01", til_dato="2024-03-09"),
                     dict(cpr=YM, adresse_id="A2", kommunekode=151, fra_dato="2024-03-10"),
                     dict(cpr=AEF, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01")],
        "personer": [dict(cpr=YM, foedselsdato="1980-05-16"), dict(cpr=AEF, foedselsdato="1981-02-02")],
        "eindkomst": [dict(cpr=AEF, indberetter_cvr="11111111", branchekode="471100", indkomsttype=0,
                           udbetalingsdato="2024-03-31", beloeb="21000.50"),
                      dict(cpr=YM, indberetter_cvr="22222222", branchekode="841100", indkomsttype=1,
                           udbetalingsdato="2024-01-31", beloeb="999.00")],      # before the three months
    }


@pytest.fixture
def kørt(tmp_path, db_url):
    data = skriv_mappe(tmp_path / "data", verden())
    lg = SagsLager(db_url)
    res = koer(data, D, lager=lg)
    shutil.rmtree(data)                      # the kontrolark must not need the data folder
    return lg, res


def test_the_daily_run_on_a_data_folder_makes_one_case_with_both_udfald(kørt):
    lg, res = kørt
    assert (res.udfald_i_alt, res.nye_udfald, len(res.nye_sager)) == (2, 2, 1)
    bl = lg.bestillingsliste()
    assert bl[["kontroltyper", "regler", "antal_udfald"]].values.tolist() == [
        ["flytning, indkomst", "Flytning; Ny arbejdsgiver", 2]]


def test_the_snapshot_holds_what_the_kontrolark_needs(kørt):
    lg, res = kørt
    st = lg.sag(res.nye_sager[0], formaal="visitering")["stamdata"]
    assert (st["cpr"], st["foedselsdato"], st["alder"]) == (YM, "1980-05-16", 43)    # 44 the day after D
    assert st["adresse"] == {"adresse_id": "A2", "kommunekode": 151, "kommunenavn": "Ballerup",
                             "fra_dato": "2024-03-10"}
    assert st["aegtefaelle"] == {"cpr": AEF, "vielse": "2015-06-01", "separation": None}
    assert st["indkomst"] == {"fra": "2024-02-01", "til": "2024-04-30", "linjer": [
        {"rolle": "ÆF", "maaned": "2024-03", "indkomsttype": 0, "beloeb": "21000.50"}]}
    assert [y["kle"] for y in st["ydelser"]] == ["32.24.04"]
    checked = [x["regel"] for x in st["kontrollerede_regler"]]
    assert "flytning" not in checked and "ny_arbejdsgiver" not in checked
    assert {"b_indkomst", "civilstand", "doedsfald", "foedsel"} <= set(checked)
    assert "bilkoeb" in [x["regel"] for x in st["ikke_koerte_regler"]]      # no biler register given


def test_the_kontrolark_html_is_self_contained_and_holds_every_section(kørt, tmp_path):
    lg, res = kørt
    sag = res.nye_sager[0]
    path = lg.kontrolark(sag, "anna", formaal="visitering").gem(tmp_path / "ark.html")
    h = path.read_text(encoding="utf-8")
    for text in ("Stamoplysninger", "010180-1234", "A2 i Ballerup", "Ballerup (151)", "020281-1234",
                 "21.000,50 kr.", "Nærmere oplysninger", "Ydelsesmodtageren er flyttet den 10-03-2024",
                 "Ægtefællen har fået løn fra CVR-nr. 11111111", "Dataopslag uden ændringer", "B-indkomst",
                 "Kunne ikke kontrolleres", "Sagens historik", "Udstillet på bestillingslisten"):
        assert text in h, text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", h)
    assert "@import" not in h and "url(" not in h


def test_the_kontrolark_pdf_is_a4_and_holds_the_udfald(kørt, tmp_path):
    lg, res = kørt
    path = lg.kontrolark(res.nye_sager[0], "anna", formaal="visitering").gem(tmp_path / "ark.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Nærmere oplysninger" in text and "Ydelsesmodtageren er flyttet" in text


def test_every_opening_of_a_kontrolark_is_logged_and_a_wrong_suffix_opens_nothing(kørt, tmp_path):
    lg, res = kørt
    sag = res.nye_sager[0]
    lg.kontrolark(sag, "anna", formaal="visitering")
    assert main(["kontrolark", sag, "--bruger", "bo", "--formaal", "partshoering", "--ud", str(tmp_path / "a.pdf"),
                 "--db", lg.url]) == 0
    assert main(["kontrolark", sag, "--bruger", "bo", "--formaal", "partshoering", "--ud", str(tmp_path / "a.docx"),
                 "--db", lg.url]) == 1
    assert lg.visninger()[["bruger", "sag_id", "hvad", "formaal", "identitet"]].values.tolist() == [
        ["anna", sag, "kontrolark", "visitering", "test"], ["bo", sag, "kontrolark", "partshoering", "test"]]
    with pytest.raises(KontrolFejl, match="findes ikke"):
        lg.kontrolark("XXXX-XXXX", "anna", formaal="visitering")


def test_the_look_ups_without_change_leave_out_rules_that_hit_the_case_later(kørt, tmp_path):
    lg, res = kørt
    data = verden()
    data["eindkomst"].append(dict(cpr=YM, indberetter_cvr="33333333", branchekode="471100", indkomsttype=5,
                                  udbetalingsdato="2024-05-10", beloeb="500.01"))
    mappe = skriv_mappe(tmp_path / "data2", data)
    res2 = koer(mappe, D + dt.timedelta(days=1), lager=lg)
    assert res2.udvidede_sager == res.nye_sager and res2.nye_udfald == 1
    ark = lg.kontrolark(res.nye_sager[0], "anna", formaal="visitering")
    assert "b_indkomst" not in [x["regel"] for x in ark.kontrollerede]
    assert [x["regel"] for x in ark.udfald] == ["flytning", "ny_arbejdsgiver", "b_indkomst"]


def test_an_imported_case_without_stamoplysninger_still_has_a_kontrolark(db_url, tmp_path):
    import pandas as pd

    from kontrol_lib.sager.sagsimport import KOLONNER
    lg = SagsLager(db_url)
    row = dict.fromkeys(KOLONNER)
    row.update(sag_id="IMP-1", kommunekode=151, kanal="intern", kontroltrin=1, ydelse="boligydelse",
               myndighed="udk", paragraf11="nej", oprettet=dt.date(2024, 1, 5))
    lg.importer_kontrolsager(pd.DataFrame([row], columns=KOLONNER), "import")
    h = lg.kontrolark("IMP-1", "anna", formaal="visitering").gem(tmp_path / "imp.html").read_text(encoding="utf-8")
    assert "Ingen udfald på sagen." in h and "boligydelse" in h and "Importeret" in h


def test_the_kontrolark_of_a_decided_case_shows_its_amounts_and_history(db_url):
    from kontrol_lib.sager import Beloeb
    from kontrol_lib.jobs.daglig import koer_udfald
    from test_sagsstyring_hjaelp import REGLER, frame, u
    lg = SagsLager(db_url)
    [sag] = koer_udfald(lg, frame(u(YM)), D, regler=REGLER).nye_sager
    lg.bestil(1, "anna", dato=D)
    lg.visiter(sag, "anna", "partshoering", dato=dt.date(2024, 5, 16))
    lg.afgoer(sag, "bo", "aendret_tildeling", Beloeb(besparelse_rytme="maaned", besparelse_beloeb="1234.5",
                                                       tilbagebetalingskrav="20000", aendring="stop"),
              dato=dt.date(2024, 6, 3))
    h = lg.kontrolark(sag, "anna", formaal="visitering").html()
    assert "<td>stop</td><td>maaned</td><td class='tal'>1.234,50 kr.</td><td class='tal'>20.000,00 kr.</td>" in h
    for text in ("<td>15-05-2024</td>", "Bestilt", "Visiteret", "<td>03-06-2024</td>",
                 "afgjort med ændret tildeling", "<td>bo</td>"):
        assert text in h, text


def test_the_kontrolark_title_follows_the_cases_kanal_and_kontroltrin(kørt, tmp_path):
    import pandas as pd

    from kontrol_lib.sager.sagsimport import KOLONNER
    from kontrol_lib.sager.trin3 import laes
    lg, res = kørt
    (tmp_path / "trin3.csv").write_text("udk_sag_id;cpr;kommunekode;ydelse;modtaget;oplysninger\nUDK-1;0303901236;151;"
                                        "sygedagpenge;2024-05-02;\n", encoding="utf-8")
    [udk] = lg.importer_trin3(laes(tmp_path / "trin3.csv"), "import", dato=D)["nye"]
    row = dict.fromkeys(KOLONNER)
    row.update(sag_id="IMP-1", kommunekode=151, kanal="intern", kontroltrin=1, ydelse="boligydelse",
               myndighed="udk", paragraf11="nej", oprettet=dt.date(2024, 1, 5))
    lg.importer_kontrolsager(pd.DataFrame([row], columns=KOLONNER), "import")
    titler = {sag: re.search(r"<h1>(.*?)</h1>", lg.kontrolark(sag, "anna", formaal="visitering").html()).group(1)
              for sag in (res.nye_sager[0], udk, "IMP-1")}
    assert titler == {res.nye_sager[0]: "Kontrolark – § 10-opfølgning",
                      udk: "Kontrolark – kontroltrin 3 (Udbetaling Danmark)",
                      "IMP-1": "Kontrolark – kontroltrin 1 (Intern)"}


# ------------------------------------------------------------------------------ template and escaping
SKADELIG = "<script>alert(1)</script> & Co"


def test_case_fields_with_markup_are_escaped_in_the_kontrolark_html_and_pdf(db_url, tmp_path):
    """A case field holding markup and '&' (an udfald sentence, the bruger in the log) is shown as
    text: escaped in the HTML, never a tag; the PDF still renders and shows the text."""
    from kontrol_lib.jobs.daglig import koer_udfald
    from test_sagsstyring_hjaelp import REGLER, frame, u
    lg = SagsLager(db_url)
    [sag] = koer_udfald(lg, frame(u(YM, tekst=f"Flyttet {SKADELIG}")), D, regler=REGLER).nye_sager
    lg.bestil(1, SKADELIG, dato=D)
    ark = lg.kontrolark(sag, "anna", formaal="visitering")
    h = ark.html()
    assert "<script" not in h and "alert(1)</script>" not in h
    assert "<td>Flyttet &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</td>" in h
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</td>" in h          # the bruger who ordered
    assert " & Co" not in h
    path = ark.gem(tmp_path / "ark.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "<script>alert(1)</script> & Co" in text


def test_the_kontrolark_template_renders_every_section_from_plain_data():
    """The template alone (no store): every branch of the sheet from a hand-built Kontrolark,
    autoescaped, with the markup the sheet has always had."""
    from kontrol_lib.sager.kontrolark import Kontrolark
    from kontrol_lib.sager.grundlag import WORKFLOW_KANAL
    sag = dict(sag_id="S-1", ym_cpr=YM, kommunekode=151, kanal=WORKFLOW_KANAL, kontroltrin=2, status="bestilt",
               oprettet=dt.date(2024, 5, 1), udloebsdato=dt.date(2024, 8, 1), ydelse="kontanthjælp", kle="32.24.04")
    stam = dict(cpr=YM, foedselsdato="1980-05-16", alder=43, dato="2024-05-15", doedsdato="2024-06-01",
                adresse=dict(adresse_id="A&2", kommunenavn="Ballerup", kommunekode=151, fra_dato="2024-03-10"),
                kommune=dict(kommunenavn="Ballerup", kommunekode=151),
                aegtefaelle=dict(cpr=AEF, vielse="2015-06-01", separation="2020-01-01"),
                ydelser=[dict(kle="32.24.04", titel="Kontanthjælp", kommunenavn=None, kommunekode=151,
                              oprettet="2020-01-01", ophoert=None)],
                indkomst=dict(fra="2024-02-01", til="2024-04-30", linjer=[
                    dict(rolle="ÆF", maaned="2024-03", indkomsttype=0, beloeb="21000.50")]))
    historik = [dict(id=1, tid=dt.datetime(2024, 5, 15, 10, 3), dato=dt.date(2024, 5, 15), bruger="anna",
                     haendelse="udstillet", fra=None, til="udstillet", data={"antal_udfald": 1})]
    beloeb = [dict(ydelse="kh", aendring="stop", besparelse_rytme="maaned", besparelse_oere=123450,
                   tilbagebetalingskrav_oere=None, efterregulering_oere=None, skat_oere=None)]
    h = Kontrolark(sag=sag, stamdata=stam, kontrollerede=[dict(regel="x", titel="Bil & båd")],
                   ikke_koerte=[dict(regel="y", titel="Moms")], historik=historik, beloeb=beloeb,
                   dannet=dt.datetime(2024, 5, 20, 9, 0)).html()
    assert h.startswith('<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8"><title>Kontrolark S-1</title>')
    assert h.endswith("</body></html>\n")
    assert '@bottom-left { content: "Fortroligt – indeholder personoplysninger";' in h     # CSS not escaped
    for text in ("<h1>Kontrolark – § 10-opfølgning</h1>", "Dannet 20-05-2024 09:00.",
                 "<table class='kv'><tr><th>Sags-id</th><td>S-1</td></tr>",
                 "<tr><th>Udløbsdato</th><td>01-08-2024</td></tr><tr><th>Stamoplysninger pr.</th><td>15-05-2024</td></tr></table>",
                 "<tr><th>CPR-nummer</th><td>010180-1234</td></tr>",
                 "<td>16-05-1980, 43 år</td>", ("<td>adresse-id A&amp;2 i Ballerup (siden 10-03-2024) <span class='tom'>adressen som tekst findes "
                  "ikke i registerudtrækket (tabellen adressetekster)</span></td>"),
                 "<td>020281-1234, gift 01-06-2015, separeret 01-01-2020</td>", "<th>Dødsdato</th><td>01-06-2024</td>",
                 "<tr><td>32.24.04</td><td>Kontanthjælp</td><td>151</td><td>01-01-2020</td><td></td></tr>",
                 "<p>Perioden 01-02-2024 – 30-04-2024.</p><table>",
                 "<td>Ægtefælle</td><td>2024-03</td><td>0 (løn)</td><td class='tal'>21.000,50 kr.</td>",
                 "<p class='tom'>Ingen udfald på sagen.</p>", "<ul><li>Bil &amp; båd</li></ul>",
                 ("<p>Kunne ikke kontrolleres (registeret manglede i udtrækket):</p><ul><li>Moms</li></ul>\n"
                  "<h2>Registrerede beløb</h2><table>"),
                 "<td>kh</td><td>stop</td><td>maaned</td><td class='tal'>1.234,50 kr.</td><td class='tal'></td>",
                 "<td>15-05-2024</td><td>15-05-2024 12:03</td><td>anna</td><td>Udstillet på bestillingslisten</td>"):
        assert text in h, text
    tom = Kontrolark(sag=dict(sag, kanal="intern", kontroltrin=1, udloebsdato=None, ym_cpr=None), stamdata={},
                     dannet=None).html()
    for text in ("<h1>Kontrolark – kontroltrin 1 (Intern)</h1>", "<td><span class='tom'>ikke oplyst</span></td>",
                 "<td><span class='tom'>ingen adresse på datoen</span></td>", "<th>Kommune</th><td>151</td>",
                 "<th>Ægtefælle</th><td>ingen</td>", "<p>kontanthjælp (KLE 32.24.04)</p>",
                 "<p class='tom'>Ikke oplyst (sagen er ikke dannet af registersamkøringen).</p>",
                 "<p class='tom'>Ingen dataopslag uden ændringer er registreret for sagen.</p>\n\n<h2>Sagens historik</h2>"):
        assert text in tom, text
    assert "Registrerede beløb" not in tom and "Dødsdato" not in tom and "None" not in tom
