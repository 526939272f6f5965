"""Ballerup Kommune's årsrapport 2023 (seeds/ballerup-aarsrapport-2023.txt), rebuilt from case rows.

The fixture tests/data/provenu/ballerup_2019_2023.csv holds synthetic case rows (sag × ydelse, no
CPR); every expected number below is typed from the published report, never computed from the
fixture. Cells the report leaves blank are marked as such and asserted as what the product writes.
"""

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from kontrol_lib.sager import kontrolsagsfil as kontrolsager
from kontrol_lib.maal import provenu
from kontrol_lib.flader.cli import main

FIXTURE = Path(__file__).parent / "data" / "provenu" / "ballerup_2019_2023.csv"
BALLERUP = 151


@pytest.fixture(scope="module")
def sager():
    df, advarsler = kontrolsager.indlaes(FIXTURE)
    assert advarsler == []
    return df


def by(df, key):
    return {r[key]: r for r in df.to_dict("records")}


def test_the_2023_provenu_per_category_is_the_published_samlet_opgoerelse(sager):
    k = by(provenu.kategorier(sager, 2023, kommune=BALLERUP), "kategori")
    assert k["KL-ydelser"]["provenu"] == D("5764357.00")
    assert k["UDK-ydelser"]["provenu"] == D("1640160.00")
    assert k["§ 11-sager fra UDK"]["provenu"] == D("1115157.00")
    assert k["Stop af tilflytninger"]["provenu"] == D("761984.00")
    assert k["SU-sager"]["provenu"] == D("1983289.00")
    assert k["I alt"]["provenu"] == D("11264947.00")
    # Not in the report (Ballerup has no such cases): written as 0.
    assert k["Andre myndigheder"]["provenu"] == D("0.00")
    # The UDK and § 11 components are published in UDK's statusopgørelse.
    assert (k["UDK-ydelser"]["fremadrettet_besparelse"], k["UDK-ydelser"]["tilbagebetalingskrav"],
            k["UDK-ydelser"]["efterregulering"], k["UDK-ydelser"]["skat"]) == (
        D("288412.00"), D("1258650.00"), D("93098.00"), D("0.00"))
    assert (k["§ 11-sager fra UDK"]["fremadrettet_besparelse"], k["§ 11-sager fra UDK"]["tilbagebetalingskrav"],
            k["§ 11-sager fra UDK"]["efterregulering"]) == (D("118176.00"), D("996981.00"), D("0.00"))
    # Case counts are not published; these are the fixture's (one case touches KL and UDK, so
    # I alt, distinct over all categories, is one less than the column's sum 32).
    assert [k[x]["antal_sager"] for x in provenu.KATEGORIER] == [1, 4, 12, 9, 6, 0]
    assert k["I alt"]["antal_sager"] == 31


# (år, KL-ydelser, UDK-ydelser, § 11, tilflytninger, SU, I alt or None where the report is blank)
PUBLICERET = [
    (2019, "5401056", "920000", "272000", "0", "0", None),
    (2020, "2212556", "189000", "0", "0", "0", None),
    (2021, "3499607", "2099753", "0", "0", "0", None),
    (2022, "6349357", "478506", "0", "429984", "773076", "8030923"),
    (2023, "5764357", "1640160", "1115157", "761984", "1983289", "11264947"),
]


@pytest.mark.parametrize("aar, kl, udk, p11, tilfl, su, i_alt", PUBLICERET)
def test_the_five_year_table_is_reproduced_cell_by_cell(sager, aar, kl, udk, p11, tilfl, su, i_alt):
    u = provenu.udvikling(sager, 2023, kommune=BALLERUP)
    year = {r["kategori"]: r["provenu"] for r in u.to_dict("records") if r["aar"] == aar}
    assert year["KL-ydelser"] == D(kl)
    assert year["UDK-ydelser"] == D(udk)
    assert year["§ 11-sager fra UDK"] == D(p11)
    assert year["Stop af tilflytninger"] == D(tilfl)
    assert year["SU-sager"] == D(su)
    assert year["Andre myndigheder"] == D(0)
    if i_alt is not None:
        assert year["I alt"] == D(i_alt)
    else:  # blank in the report; the product writes the sum of the published cells
        assert year["I alt"] == D(kl) + D(udk) + D(p11) + D(tilfl) + D(su)


def test_udvikling_has_every_category_in_every_year_and_nothing_else(sager):
    u = provenu.udvikling(sager, 2023, kommune=BALLERUP)
    assert list(u.columns) == ["aar", "kategori", "provenu"]
    assert list(u["aar"]) == [y for y in range(2019, 2024) for _ in range(7)]
    assert list(u["kategori"]) == (list(provenu.KATEGORIER) + ["I alt"]) * 5


# UDK's "Helhedsorienteret Kontrol Statusopgørelse, 2023", Ballerup Kommune:
# ydelse: stop antal, stop beløb, krav antal, krav beløb, efterregulering, skat, provenu i alt
UDK_2023 = {
    "boligydelse": (1, "37440", 1, "330395", "0", "0", "367835"),
    "boerne_og_ungeydelse": (5, "108976", 5, "55401", "0", "0", "164377"),
    "boernetilskud": (0, "0", 1, "17928", "0", "0", "17928"),
    "foertidspension": (2, "141996", 2, "854926", "93098", "0", "1090020"),
}


def test_udks_statusopgoerelse_for_ballerup_is_reproduced_per_ydelse(sager):
    y = provenu.ydelser(sager, 2023, kommune=BALLERUP, kategori="UDK-ydelser")
    assert list(y["ydelse"]) == ["boligydelse", "boerne_og_ungeydelse", "boernetilskud", "foertidspension", "I alt"]
    rows = by(y, "ydelse")
    for ydelse, (sa, sb, ka, kb, ef, sk, pr) in UDK_2023.items():
        r = rows[ydelse]
        assert (r["stop_antal"], r["stop_beloeb"], r["krav_antal"], r["krav_beloeb"], r["efterregulering"],
                r["skat"], r["provenu"]) == (sa, D(sb), ka, D(kb), D(ef), D(sk), D(pr)), ydelse
    t = rows["I alt"]
    # Total: 288.412, 1.258.650, 93.098, 1.640.160 published; antal and skat blank in the report.
    assert (t["stop_beloeb"], t["krav_beloeb"], t["efterregulering"], t["provenu"]) == (
        D("288412"), D("1258650"), D("93098"), D("1640160"))
    assert (t["stop_antal"], t["krav_antal"], t["skat"]) == (8, 9, D(0))


def test_anvendelse_af_paragraf_11_is_reproduced(sager):
    p = provenu.paragraf11(sager, 2023, kommune=BALLERUP).iloc[0]
    assert p["afsluttede"] == 3            # "Antal afsluttede sager med § 11 svar"
    assert p["med_provenu"] == 1           # "... med provenu"
    assert p["tilbagebetalingskrav"] == D("996981")
    assert p["fremadrettet_besparelse"] == D("118176")   # "Årlig besparelse"
    assert p["efterregulering"] == D("0")
    assert p["provenu"] == D("1115157")


def test_the_command_writes_the_published_tables(sager, tmp_path, capsys):
    assert main(["provenu", "--sager", str(FIXTURE), "--aar", "2023", "--kommune", "151", "--ud", str(tmp_path)]) == 0
    with (tmp_path / "kategorier.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["kategori", "antal_sager", "fremadrettet_besparelse", "tilbagebetalingskrav",
                       "efterregulering", "skat", "provenu"]
    assert [(r[0], r[-1]) for r in rows[1:]] == [
        ("§ 11-sager fra UDK", "1115157.00"), ("Stop af tilflytninger", "761984.00"),
        ("KL-ydelser", "5764357.00"), ("UDK-ydelser", "1640160.00"), ("SU-sager", "1983289.00"),
        ("Andre myndigheder", "0.00"), ("I alt", "11264947.00")]
    assert rows[4] == ["UDK-ydelser", "9", "288412.00", "1258650.00", "93098.00", "0.00", "1640160.00"]
    with (tmp_path / "ydelser.csv").open(encoding="utf-8") as f:
        y = {r[0]: r for r in csv.reader(f)}
    assert y["ydelse"] == ["ydelse", "stop_antal", "stop_beloeb", "krav_antal", "krav_beloeb", "efterregulering",
                           "skat", "provenu"]
    # In the all-categories table the UDK ydelser that only UDK cases touched carry UDK's figures.
    assert y["foertidspension"] == ["foertidspension", "2", "141996.00", "2", "854926.00", "93098.00", "0.00",
                                    "1090020.00"]
    assert y["boligydelse"][1:] == ["1", "37440.00", "1", "330395.00", "0.00", "0.00", "367835.00"]
    assert y["I alt"][-1] == "11264947.00"
    with (tmp_path / "udvikling.csv").open(encoding="utf-8") as f:
        u = list(csv.reader(f))
    assert u[0] == ["aar", "kategori", "provenu"]
    assert ["2022", "I alt", "8030923.00"] in u and ["2019", "KL-ydelser", "5401056.00"] in u
    assert len(u) == 1 + 5 * 7
    with (tmp_path / "kanaler.csv").open(encoding="utf-8") as f:
        kan = list(csv.reader(f))
    assert kan[0] == ["kanal", "afsluttede", "med_provenu", "hitrate"]
    assert [r[0] for r in kan[1:]] == list(kontrolsager.KANALER)
    assert not (tmp_path / "kategorier_netto.csv").exists()


def test_without_the_kommune_filter_the_other_municipalitys_cases_count_too(sager):
    alle = by(provenu.kategorier(sager, 2023), "kategori")
    # Brøndby's two 2023 rows in the fixture: 10.000 × 12 + 50.000 and 2.000 × 12 + 1.000.
    assert alle["I alt"]["provenu"] == D("11264947") + D("170000") + D("25000")


def test_the_netto_tables_are_written_only_on_request_and_labelled(tmp_path):
    assert main(["provenu", "--sager", str(FIXTURE), "--aar", "2023", "--kommune", "151", "--ud", str(tmp_path),
                 "--netto"]) == 0
    with (tmp_path / "kategorier_netto.csv").open(encoding="utf-8") as f:
        rows = {r[0]: r for r in csv.reader(f)}
    assert rows["kategori"][2:] == ["fremadrettet_besparelse_netto", "tilbagebetalingskrav_netto",
                                    "efterregulering_netto", "skat_netto", "provenu_netto"]
    # From the published figures and the shipped nettoprocent: § 11 (boligsikring, 25 %):
    # 1.115.157 × 0,25 = 278.789,25; tilflytninger (100 %) 761.984; SU (0 %) 0.
    assert rows["§ 11-sager fra UDK"][-1] == "278789.25"
    assert rows["Stop af tilflytninger"][-1] == "761984.00"
    assert rows["SU-sager"][-1] == "0.00"
    # the brutto table is unchanged
    with (tmp_path / "kategorier.csv").open(encoding="utf-8") as f:
        assert {r[0]: r[-1] for r in csv.reader(f)}["I alt"] == "11264947.00"
    assert (tmp_path / "ydelser_netto.csv").exists() and (tmp_path / "udvikling_netto.csv").exists()
