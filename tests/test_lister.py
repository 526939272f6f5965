"""Local control lists: the three shipped lists at their thresholds, each condition type on both
sides, the population, and the checks of a list file.

Every world is built on run date D = 2024-05-15 (period of proforma-flytning: moves on or after
2024-02-15; seneste hele måned: April 2024).
"""

import datetime as dt

import pytest

from kontrol_lib.regler.lokale import afproev_kriterium, indlaes_lister, koer_lister, laes_liste, laes_tekst, opsummering
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.regler.lokale.kriterier import ListeFejl
from kontrol_lib.regler.byg import skriv_mappe

D = dt.date(2024, 5, 15)
_nr = iter(range(100, 999))


def cpr(foedt: str) -> str:
    """A CPR number for a birth date (century digit 1 for 19xx, 4 for 20xx), unique per call."""
    d = dt.date.fromisoformat(foedt)
    return f"{d:%d%m%y}{'4' if d.year >= 2000 else '1'}{next(_nr):03d}"


class Verden:
    def __init__(self):
        self.t = {k: [] for k in ("ydelsessager", "udbetalinger", "personer", "adresser", "relationer",
                                  "civilstand")}

    def person(self, foedt="1985-03-01", doed=None) -> str:
        c = cpr(foedt)
        self.t["personer"].append(dict(cpr=c, foedselsdato=foedt, doedsdato=doed))
        return c

    def bor(self, c, adresse, fra="2015-01-01", til=None, kommune=151):
        self.t["adresser"].append(dict(cpr=c, adresse_id=adresse, kommunekode=kommune, fra_dato=fra, til_dato=til))
        return self

    def sag(self, c, kle="32.24.04", betaling="2024-04-15", oprettet="2020-01-01", ophoert=None):
        self.t["ydelsessager"].append(dict(cpr=c, kommunekode=151, kle=kle, oprettet=oprettet, ophoert=ophoert))
        if betaling:
            self.t["udbetalinger"].append(dict(cpr=c, kle=kle, udbetalingsdato=betaling, beloeb="5000.00"))
        return self

    def barn(self, foraelder, barn):
        self.t["relationer"].append(dict(cpr=foraelder, barn_cpr=barn))
        return self

    def gift(self, a, b, dato="2015-06-01"):
        self.t["civilstand"] += [dict(cpr=a, haendelse="vielse", dato=dato, aegtefaelle_cpr=b),
                                 dict(cpr=b, haendelse="vielse", dato=dato, aegtefaelle_cpr=a)]
        return self

    def mappe(self, tmp_path):
        return skriv_mappe(tmp_path / "data", self.t)


def koer(tmp_path, v, liste, dato=D):
    return koer_lister(v.mappe(tmp_path), dato, [liste])


@pytest.fixture(scope="module")
def lister():
    return indlaes_lister()


# --------------------------------------------------------------------------- bopælssamlinger
def samling(andre: int, **kw):
    """A YM on kontanthjælp at A1 with a spouse, an adult child and ``andre`` unrelated adults."""
    v = Verden()
    ym = v.person("1980-01-01")
    v.sag(ym, **kw).bor(ym, "A1")
    aef = v.person("1981-02-02")
    v.gift(ym, aef).bor(aef, "A1")
    barn = v.person("2000-01-01")
    v.barn(ym, barn).bor(barn, "A1")
    for _ in range(andre):
        v.bor(v.person("1990-01-01"), "A1")
    return v, ym


def test_bopaelssamling_hits_with_four_unrelated_adults_besides_spouse_and_child(tmp_path, lister):
    v, ym = samling(4)
    hits = koer(tmp_path, v, lister["bopaelssamlinger"])
    assert list(hits["cpr"]) == [ym]
    h = hits.iloc[0]
    assert (h.liste, h.kommunekode, h.kle, h.ydelse, h.myndighed, h.paragraf11) == \
        ("bopaelssamlinger", 151, "32.24.04", "kontanthjaelp", "kommune", "nej")
    assert h.haendelse_id == "A1|2015-01-01"
    assert h.oplysninger == ("4 andre voksne (fyldt 18 år) på adressen 15-05-2024, som ikke er ægtefælle "
                             "eller barn (krav: mindst 4)")
    assert h.begrundelse.startswith("Ydelsesmodtageren er tilmeldt en adresse med mange andre voksne")


def test_bopaelssamling_does_not_hit_with_three_unrelated_adults(tmp_path, lister):
    v, _ = samling(3)
    assert koer(tmp_path, v, lister["bopaelssamlinger"]).empty


def test_bopaelssamling_counts_an_adult_from_the_day_of_the_18th_birthday(tmp_path, lister):
    v, ym = samling(3)
    v.bor(v.person("2006-05-15"), "A1")                  # 18 on D: counts
    assert list(koer(tmp_path, v, lister["bopaelssamlinger"])["cpr"]) == [ym]


def test_bopaelssamling_does_not_count_a_17_year_old_or_someone_gone_or_dead(tmp_path, lister):
    v, _ = samling(3)
    v.bor(v.person("2006-05-16"), "A1")                  # turns 18 tomorrow
    v.bor(v.person("1990-01-01"), "A1", til="2024-05-14")    # moved out the day before D
    v.bor(v.person("1990-01-01", doed="2024-05-01"), "A1")  # dead
    v.bor(v.person("1990-01-01"), "A1", fra="2024-05-16")    # moves in after D
    assert koer(tmp_path, v, lister["bopaelssamlinger"]).empty


def test_bopaelssamling_counts_someone_moving_out_on_d(tmp_path, lister):
    v, ym = samling(3)
    v.bor(v.person("1990-01-01"), "A1", til="2024-05-15")
    assert list(koer(tmp_path, v, lister["bopaelssamlinger"])["cpr"]) == [ym]


def test_bopaelssamling_needs_a_payment_in_the_last_whole_month(tmp_path, lister):
    v, _ = samling(4, betaling="2024-03-31")
    assert koer(tmp_path, v, lister["bopaelssamlinger"]).empty
    v2, ym = samling(4, betaling="2024-04-30")
    assert list(koer(tmp_path / "b", v2, lister["bopaelssamlinger"])["cpr"]) == [ym]


def test_bopaelssamling_needs_a_case_active_on_d(tmp_path, lister):
    v, _ = samling(4, ophoert="2024-05-14")
    assert koer(tmp_path, v, lister["bopaelssamlinger"]).empty
    v2, ym = samling(4, ophoert="2024-05-15")
    assert list(koer(tmp_path / "b", v2, lister["bopaelssamlinger"])["cpr"]) == [ym]


def test_bopaelssamling_gives_every_recipient_at_the_address_a_hit(tmp_path, lister):
    v, ym = samling(4)
    andre = [r["cpr"] for r in v.t["adresser"][3:]]
    v.sag(andre[0])
    hits = koer(tmp_path, v, lister["bopaelssamlinger"])
    # the other recipient has 6 others: YM, spouse, YM's child and 3 unrelated
    assert sorted(zip(hits["cpr"], hits["oplysninger"].str[:2])) == sorted([(ym, "4 "), (andre[0], "6 ")])


# --------------------------------------------------------------------------- proforma-flytning
def flytning(foedt="2004-01-01", flyttet="2024-04-01", andre=4, foraelder_paa_ny=False, hjemme=True):
    """A young person living with a parent at H until the move to X, where ``andre`` are registered."""
    v = Verden()
    ung = v.person(foedt)
    mor = v.person("1970-01-01")
    v.barn(mor, ung).bor(mor, "H", fra="2000-01-01")
    dagen_foer = (dt.date.fromisoformat(flyttet) - dt.timedelta(days=1)).isoformat()
    v.bor(ung, "H" if hjemme else "K", fra=foedt, til=dagen_foer).bor(ung, "X", fra=flyttet)
    for _ in range(andre):
        v.bor(v.person("1995-01-01"), "X", fra="2023-01-01")
    if foraelder_paa_ny:
        v.bor(v.person("1971-01-01"), "X", fra="2023-01-01")
        v.barn(v.t["personer"][-1]["cpr"], ung)
    return v, ung


def test_proforma_flytning_hits_a_young_person_moving_from_home_to_a_crowded_address(tmp_path, lister):
    v, ung = flytning()
    hits = koer(tmp_path, v, lister["proforma_flytning"])
    assert list(hits["cpr"]) == [ung]
    h = hits.iloc[0]
    assert (h.ydelse, h.myndighed, h.kle, h.kontroltype, h.haendelse_id, h.haendelsesdato) == \
        ("su", "su_styrelsen", None, "flytning", "X|2024-04-01", dt.date(2024, 4, 1))
    assert h.oplysninger == ("Boede sammen med en forælder dagen før tilflytningen (31-03-2024); "
                             "Ingen forælder tilmeldt adressen; "
                             "4 andre personer var tilmeldt adressen, da personen flyttede ind 01-04-2024 "
                             "(krav: mindst 4)")


def test_proforma_flytning_needs_four_others_already_registered(tmp_path, lister):
    v, _ = flytning(andre=3)
    assert koer(tmp_path, v, lister["proforma_flytning"]).empty


def test_proforma_flytning_ignores_a_move_in_with_a_parent(tmp_path, lister):
    v, _ = flytning(foraelder_paa_ny=True)
    assert koer(tmp_path, v, lister["proforma_flytning"]).empty


def test_proforma_flytning_ignores_a_young_person_who_did_not_live_at_home(tmp_path, lister):
    v, _ = flytning(hjemme=False)
    assert koer(tmp_path, v, lister["proforma_flytning"]).empty


@pytest.mark.parametrize("flyttet, hit", [("2024-02-15", True), ("2024-02-14", False), ("2024-05-15", True),
                                          ("2024-05-16", False)])
def test_proforma_flytning_looks_three_months_back_from_d(tmp_path, lister, flyttet, hit):
    v, ung = flytning(flyttet=flyttet)
    assert list(koer(tmp_path, v, lister["proforma_flytning"])["cpr"]) == ([ung] if hit else [])


@pytest.mark.parametrize("foedt, hit", [("2006-05-15", True), ("2006-05-16", False),   # 18 on D / 17
                                        ("2002-05-16", True), ("2002-05-15", False)])  # 21 / 22 on D
def test_proforma_flytning_covers_18_to_21_year_olds(tmp_path, lister, foedt, hit):
    v, ung = flytning(foedt=foedt)
    assert list(koer(tmp_path, v, lister["proforma_flytning"])["cpr"]) == ([ung] if hit else [])


# --------------------------------------------------------------------------- samlivsindikation
def enlig(kle="27.12.04", barn_foedt="2015-01-01", fra="2018-01-01"):
    """A single parent on ``kle`` living at F with a child since ``fra``."""
    v = Verden()
    f = v.person("1988-01-01")
    v.sag(f, kle=kle, betaling=None).bor(f, "F", fra=fra)
    b = v.person(barn_foedt)
    v.barn(f, b).bor(b, "F", fra=fra)
    return v, f


@pytest.mark.parametrize("kle, ydelse, myndighed", [("27.12.04", "oekonomisk_friplads", "kommune"),
                                                    ("32.15.04", "boernetilskud", "udk")])
def test_samliv_hits_a_single_parent_sharing_the_address_with_an_unrelated_adult(tmp_path, lister, kle, ydelse,
                                                                                  myndighed):
    v, f = enlig(kle)
    v.bor(v.person("1986-01-01"), "F", fra="2023-01-01")
    hits = koer(tmp_path, v, lister["samlivsindikation"])
    assert list(hits["cpr"]) == [f]
    h = hits.iloc[0]
    assert (h.ydelse, h.myndighed, h.paragraf11) == (ydelse, myndighed, "ja" if myndighed == "udk" else "nej")
    assert h.oplysninger == ("Ingen ægtefælle i CPR 15-05-2024; 1 barn under 18 år på adressen 15-05-2024; "
                             "1 voksen uden familierelation (fyldt 18 år) på adressen 15-05-2024, som ikke er "
                             "ægtefælle, barn, forælder eller søskende (krav: mindst 1)")


def test_samliv_does_not_count_a_sibling_or_an_adult_child_as_unrelated(tmp_path, lister):
    v, f = enlig()
    mormor = v.person("1960-01-01")
    bror = v.person("1990-01-01")
    v.barn(mormor, f).barn(mormor, bror).bor(bror, "F", fra="2023-01-01")
    stor = v.person("2004-01-01")
    v.barn(f, stor).bor(stor, "F", fra="2018-01-01")
    v.bor(mormor, "F", fra="2023-01-01")
    assert koer(tmp_path, v, lister["samlivsindikation"]).empty


def test_samliv_does_not_hit_a_married_parent(tmp_path, lister):
    v, f = enlig()
    u = v.person("1986-01-01")
    v.bor(u, "F", fra="2023-01-01").gift(f, u, "2023-06-01")
    assert koer(tmp_path, v, lister["samlivsindikation"]).empty


def test_samliv_hits_again_after_a_divorce(tmp_path, lister):
    v, f = enlig()
    u = v.person("1986-01-01")
    v.bor(u, "F", fra="2023-01-01").gift(f, u, "2023-06-01")
    v.t["civilstand"].append(dict(cpr=f, haendelse="skilsmisse", dato="2024-01-10", aegtefaelle_cpr=u))
    assert list(koer(tmp_path, v, lister["samlivsindikation"])["cpr"]) == [f]


@pytest.mark.parametrize("barn_foedt, hit", [("2006-05-16", True), ("2006-05-15", False)])
def test_samliv_needs_a_child_under_18_on_the_address(tmp_path, lister, barn_foedt, hit):
    v, f = enlig(barn_foedt=barn_foedt)
    v.bor(v.person("1986-01-01"), "F", fra="2023-01-01")
    assert list(koer(tmp_path, v, lister["samlivsindikation"])["cpr"]) == ([f] if hit else [])


@pytest.mark.parametrize("h2_til, hit", [("2023-03-31", True), ("2023-03-30", False)])
def test_samliv_hits_when_another_adults_address_history_matches(tmp_path, lister, h2_til, hit):
    # F and U lived at H1 together for two years, then at H2 from 2023-01-01 until h2_til (90 or 89
    # days together); since 2024 they live apart.
    v, f = enlig(fra="2024-01-01")
    v.bor(f, "H1", fra="2020-01-01", til="2021-12-31").bor(f, "H2", fra="2022-01-01", til="2023-12-31")
    u = v.person("1986-01-01")
    v.bor(u, "H1", fra="2020-01-01", til="2021-12-31").bor(u, "H2", fra="2023-01-01", til=h2_til)
    v.bor(u, "U9", fra=(dt.date.fromisoformat(h2_til) + dt.timedelta(days=1)).isoformat())
    hits = koer(tmp_path, v, lister["samlivsindikation"])
    assert list(hits["cpr"]) == ([f] if hit else [])
    if hit:
        assert hits.iloc[0].oplysninger.endswith(
            "En anden voksen uden familierelation har boet på de samme 2 adresser i samme periode de seneste "
            "5 år (krav: mindst 2 adresser med mindst 90 dages overlap)")


@pytest.mark.parametrize("o1_til, hit", [("2019-08-12", True), ("2019-08-11", False)])
def test_samliv_history_counts_only_the_days_of_the_last_five_years(tmp_path, lister, o1_til, hit):
    # D − 5 years = 2019-05-15: of the years together at O1 only 2019-05-15 … o1_til count (90 or 89 days).
    v, f = enlig(fra="2020-01-01")
    u = v.person("1986-01-01")
    o2_fra = (dt.date.fromisoformat(o1_til) + dt.timedelta(days=1)).isoformat()
    for c in (f, u):
        v.bor(c, "O1", fra="2010-01-01", til=o1_til).bor(c, "O2", fra=o2_fra, til="2019-12-31")
    v.bor(u, "U9", fra="2020-01-01")
    assert list(koer(tmp_path, v, lister["samlivsindikation"])["cpr"]) == ([f] if hit else [])


# --------------------------------------------------------------------------- housing areas
def omraade_liste(**kriterium):
    return laes_liste({"titel": "Bopælssamlinger i Hedeparken", "kilde": "K", "begrundelse": "B.",
                       "kontroltype": "familie", "gaelder_fra": "2023-01-01",
                       "befolkning": {"ydelser": ["kontanthjaelp"]},
                       "kriterier": [dict({"type": "adresse_i_omraade", "omraade": "Hedeparken",
                                           "adresser": ["0151-0420", "0151-0421-7"]}, **kriterium),
                                     {"type": "voksne_paa_adressen", "min_antal": 1}]}, "x.yaml", "x")


@pytest.mark.parametrize("adresse, hit", [("0151-0420-12", True), ("0151-0421-7", True), ("0151-0421-8", False),
                                          ("0151-0422-1", False)])
def test_an_area_is_its_streets_or_whole_address_ids(tmp_path, adresse, hit):
    v = Verden()
    ym = v.person("1980-01-01")
    v.sag(ym).bor(ym, adresse).bor(v.person("1990-01-01"), adresse)
    hits = koer(tmp_path, v, omraade_liste())
    assert list(hits["cpr"]) == ([ym] if hit else [])
    if hit:
        assert hits.iloc[0].oplysninger.startswith("Adressen ligger i Hedeparken; 1 anden voksen (fyldt 18 år)")


def test_a_negated_area_keeps_the_addresses_outside_it(tmp_path):
    v = Verden()
    ym = v.person("1980-01-01")
    v.sag(ym).bor(ym, "0151-0500-1").bor(v.person("1990-01-01"), "0151-0500-1")
    hits = koer(tmp_path, v, omraade_liste(ikke="ja"))
    assert list(hits["cpr"]) == [ym]
    assert hits.iloc[0].oplysninger.startswith("Adressen ligger ikke i Hedeparken; ")


def test_an_area_needs_its_name_and_addresses():
    assert fejl(dict(GOD, kriterier=[{"type": "adresse_i_omraade", "adresser": []}])) == [
        "parameters/lister/x.yaml: kriterier[1].omraade: mangler (områdets navn, som det står på sagen)",
        "parameters/lister/x.yaml: kriterier[1].adresser: skal være en liste af tekster (mindst én)"]


# --------------------------------------------------------------------------- engine and files
def test_a_new_list_is_added_by_writing_yaml_alone(tmp_path):
    mappe = tmp_path / "lister"
    mappe.mkdir()
    (mappe / "store_husstande.yaml").write_text(
        "titel: Store husstande\nkilde: eget forsøg\nbegrundelse: Mange voksne på adressen.\n"
        "kontroltype: familie\ngaelder_fra: 2024-01-01\nbefolkning: {ydelser: [kontanthjaelp]}\n"
        "kriterier:\n  - type: voksne_paa_adressen\n    min_antal: 2\n    undtag: []\n", encoding="utf-8")
    liste = indlaes_lister(mappe)["store_husstande"]
    v, ym = samling(0)                   # spouse and adult child count now: undtag is empty
    hits = koer(tmp_path, v, liste)
    assert list(hits["cpr"]) == [ym]
    assert hits.iloc[0].oplysninger == ("2 andre voksne (fyldt 18 år) på adressen 15-05-2024, "
                                        "uanset familierelation (krav: mindst 2)")


def test_a_dated_threshold_uses_the_value_in_force_on_d(tmp_path):
    tekst = ("titel: T\nkilde: K\nbegrundelse: B\nkontroltype: familie\ngaelder_fra: 2020-01-01\n"
             "befolkning: {ydelser: [kontanthjaelp]}\n"
             "kriterier:\n  - type: voksne_paa_adressen\n    min_antal: {2020-01-01: 5, 2024-05-15: 4}\n")
    v, ym = samling(4)
    m = v.mappe(tmp_path)
    assert list(koer_lister(m, D, [laes_tekst(tekst, navn="t")])["cpr"]) == [ym]
    assert koer_lister(m, D - dt.timedelta(days=1), [laes_tekst(tekst, navn="t")]).empty


def test_the_trial_shows_how_many_each_step_keeps_without_cpr(tmp_path, lister):
    v, ym = samling(4)
    v2, _ = samling(3)
    for k in v.t:
        v.t[k] += [dict(r, adresse_id="A2") if "adresse_id" in r else r for r in v2.t[k]]
    tragt = afproev_kriterium(
        "navn: forsoeg\ntitel: T\nkilde: K\nbegrundelse: B\nkontroltype: familie\ngaelder_fra: 2020-01-01\n"
        "befolkning: {ydelser: [kontanthjaelp], kraev_udbetaling: ja}\n"
        "kriterier:\n  - type: voksne_paa_adressen\n    min_antal: 4\n  - type: ingen_aegtefaelle\n",
        v.mappe(tmp_path), D)
    assert list(tragt.columns) == ["liste", "trin", "beskrivelse", "personer"]
    assert tragt.to_dict("records") == [
        {"liste": "forsoeg", "trin": 0, "personer": 2, "beskrivelse":
            "Befolkning: personer med en aktiv sag på KLE 32.24.04, 32.24.08, 32.24.12, 32.24.28, 32.24.30 "
            "og en udbetaling i seneste hele måned"},
        {"liste": "forsoeg", "trin": 1, "personer": 2, "beskrivelse": "Med en adresse på kørselsdatoen"},
        {"liste": "forsoeg", "trin": 2, "personer": 1,
         "beskrivelse": "Andre voksne på adressen (min_antal=4, undtag=aegtefaelle/barn, alder_fra=18)"},
        {"liste": "forsoeg", "trin": 3, "personer": 0, "beskrivelse": "Ingen ægtefælle"},
    ]
    assert not any(ym in str(x) for x in tragt.to_numpy().ravel())


def test_the_summary_counts_per_list_without_cpr(tmp_path, lister):
    v, ym = samling(4)
    s = opsummering(koer(tmp_path, v, lister["bopaelssamlinger"]))
    assert s.to_dict("records") == [{"liste": "bopaelssamlinger", "titel": "Bopælssamlinger", "personer": 1,
                                     "adresser": 1, "fund": 1}]


def test_a_list_outside_its_validity_is_not_run_by_default(tmp_path, lister):
    v, _ = samling(4)
    assert koer_lister(v.mappe(tmp_path), dt.date(2022, 12, 31)).empty


def test_a_list_asked_for_by_name_outside_its_validity_is_refused(tmp_path):
    v, _ = samling(4)
    with pytest.raises(KontrolFejl) as e:
        koer_lister(v.mappe(tmp_path), dt.date(2022, 12, 31), ["bopaelssamlinger"])
    assert str(e.value).startswith("Kontrollisten 'bopaelssamlinger' gælder ikke den 2022-12-31 (gælder fra "
                                   "2023-01-01; se ")
    assert str(e.value).endswith("parameters/lister/bopaelssamlinger.yaml)")


def test_the_shipped_lists_load():
    assert sorted(indlaes_lister()) == ["bopaelssamlinger", "proforma_flytning", "samlivsindikation"]


# --------------------------------------------------------------------------- validation
GOD = {"titel": "T", "kilde": "K", "begrundelse": "B", "kontroltype": "familie", "gaelder_fra": "2024-01-01",
       "befolkning": {"ydelser": ["kontanthjaelp"]}, "kriterier": [{"type": "ingen_aegtefaelle"}]}


def fejl(data, navn="x"):
    with pytest.raises(ListeFejl) as e:
        laes_liste(data, "parameters/lister/x.yaml", navn)
    return e.value.fejl


def test_an_unknown_condition_names_file_key_and_the_known_ones():
    f = fejl(dict(GOD, kriterier=[{"type": "ingen_aegtefaelle"}, {"type": "foo"}]))
    assert f == ["parameters/lister/x.yaml: kriterier[2].type: ukendt betingelse 'foo' (kendte: "
                 "voksne_paa_adressen, deler_adresse_med_ikke_beslaegtet_voksen, tilmeldinger_paa_adressen, "
                 "boede_hos_foraelder_foer, foraelder_paa_adressen, ingen_aegtefaelle, har_barn_paa_adressen, "
                 "adressehistorik_matcher_anden_voksen, adresse_i_omraade, en_af)"]


def test_every_problem_of_a_file_is_reported_together():
    data = {"titel": "T", "kilde": "K", "kontroltype": "snyd", "gaelder_fra": "2024-13-01", "farve": "blå",
            "befolkning": {"ydelser": ["kaffe"], "alder": {"fra": 30, "til": 20}},
            "kriterier": [{"type": "voksne_paa_adressen", "undtag": ["nabo"], "min_antal": "mange", "x": 1},
                          {"type": "en_af", "betingelser": [{"type": "en_af"}, {"type": "ingen_aegtefaelle"}]}]}
    f = fejl(data)
    assert f == [
        "parameters/lister/x.yaml: farve: ukendt nøgle (kendte: navn, titel, beskrivelse, kilde, begrundelse, "
        "kontroltype, gaelder_fra, gaelder_til, befolkning, adresse, periode, sag, kriterier)",
        "parameters/lister/x.yaml: begrundelse: mangler",
        "parameters/lister/x.yaml: kontroltype: 'snyd' er ukendt (kendte: formue, virksomhed, indkomst, familie, "
        "flytning, status)",
        "parameters/lister/x.yaml: gaelder_fra: er ikke en dato (ÅÅÅÅ-MM-DD)",
        "parameters/lister/x.yaml: befolkning.ydelser: ukendt ydelse 'kaffe' (kendte: andet, boernebidrag, "
        "boernetilskud, foertidspension, folkepension, integrationsydelse, kontanthjaelp, ledighedsydelse, "
        "oekonomisk_friplads, ressourceforloeb, sygedagpenge)",
        "parameters/lister/x.yaml: befolkning.alder: til (20) er mindre end fra (30)",
        "parameters/lister/x.yaml: kriterier[1].x: ukendt parameter for voksne_paa_adressen "
        "(kendte: min_antal, undtag, alder_fra)",
        "parameters/lister/x.yaml: kriterier[1].min_antal: 'mange' er ikke et heltal",
        "parameters/lister/x.yaml: kriterier[1].undtag: ukendt relation 'nabo' "
        "(kendte: aegtefaelle, barn, foraelder, soeskende)",
        "parameters/lister/x.yaml: kriterier[2].betingelser[1].type: en_af kan ikke stå inde i en_af",
    ]


def test_a_missing_required_parameter_is_named_with_its_help():
    assert fejl(dict(GOD, kriterier=[{"type": "tilmeldinger_paa_adressen"}])) == [
        "parameters/lister/x.yaml: kriterier[1].min_antal: mangler (mindste antal andre tilmeldte)"]


def test_a_threshold_below_its_bound_is_refused():
    assert fejl(dict(GOD, kriterier=[{"type": "voksne_paa_adressen", "min_antal": 0}])) == [
        "parameters/lister/x.yaml: kriterier[1].min_antal: 0 skal ligge mellem 1 og 1000"]


def test_dated_values_must_be_in_ascending_order():
    assert fejl(dict(GOD, kriterier=[{"type": "voksne_paa_adressen",
                                      "min_antal": {"2024-01-01": 3, "2023-01-01": 4}}])) == [
        "parameters/lister/x.yaml: kriterier[1].min_antal: datoerne skal stå i stigende orden uden gentagelser"]


def test_moves_in_a_period_need_the_period_and_everybody_needs_the_case_ydelse():
    assert fejl(dict(GOD, befolkning={"alle": "ja"}, adresse="tilflyttet_i_perioden")) == [
        "parameters/lister/x.yaml: periode: mangler (adresse: tilflyttet_i_perioden kræver "
        "'periode: {maaneder: N}')",
        "parameters/lister/x.yaml: sag.ydelse: mangler (en liste over alle personer skal sige, hvilken ydelse "
        "sagen gælder)"]


def test_the_name_in_a_file_must_match_the_file():
    assert fejl(dict(GOD, navn="y")) == ["parameters/lister/x.yaml: navn: 'y' skal være filens navn 'x'"]


def test_loading_a_folder_names_the_bad_file(tmp_path):
    (tmp_path / "god.yaml").write_text("titel: T\nkilde: K\nbegrundelse: B\nkontroltype: familie\n"
                                       "gaelder_fra: 2024-01-01\nbefolkning: {alle: ja}\nsag: {ydelse: su}\n"
                                       "kriterier: [{type: ingen_aegtefaelle}]\n", encoding="utf-8")
    (tmp_path / "skidt.yaml").write_text("titel: [\n", encoding="utf-8")
    with pytest.raises(ListeFejl) as e:
        indlaes_lister(tmp_path)
    assert len(e.value.fejl) == 1
    assert e.value.fejl[0].startswith(f"{tmp_path / 'skidt.yaml'}: ikke gyldig YAML")


def test_the_condition_catalogue_in_docs_is_generated_from_the_declarations():
    from pathlib import Path

    from kontrol_lib.regler.lokale.betingelseskatalog import betingelseskatalog, opdater_side
    side = Path(__file__).resolve().parents[1] / "docs" / "lister.md"
    assert betingelseskatalog() in side.read_text(encoding="utf-8"), \
        "docs/lister.md er forældet: kør Path('docs/lister.md').write_text(opdater_side('docs/lister.md'))"
    assert opdater_side(side) == side.read_text(encoding="utf-8")


def test_the_yaml_examples_in_docs_are_valid_list_files():
    import re
    from pathlib import Path

    import yaml
    side = (Path(__file__).resolve().parents[1] / "docs" / "lister.md").read_text(encoding="utf-8")
    blokke = re.findall(r"```yaml\n(.*?)```", side, flags=re.S)
    assert len(blokke) == 2
    titler = [laes_liste(yaml.safe_load(b), f"docs/lister.md eksempel {i}", "eksempel").titel
              for i, b in enumerate(blokke, 1)]
    assert titler == ["Bopælssamlinger", "Bopælssamlinger i Hedeparken og Magleparken"]


def test_the_trial_takes_a_dict_and_loaded_registers_and_names_a_bad_key(tmp_path):
    from kontrol_lib.registre import indlaes
    v, ym = samling(4)
    reg = indlaes(v.mappe(tmp_path))
    k = dict(GOD, kriterier=[{"type": "voksne_paa_adressen", "min_antal": 4}], befolkning={"kle": ["32.24.04"]})
    assert list(afproev_kriterium(k, reg, D)["personer"]) == [1, 1, 1]
    assert list(afproev_kriterium(k, reg, D)["personer"]) == [1, 1, 1]      # the registers are left as found
    with pytest.raises(ListeFejl) as e:
        afproev_kriterium(dict(k, kriterier=[{"type": "voksne_paa_adressen", "min_antal": -1}]), reg, D)
    assert e.value.fejl == ["<kriterium>: kriterier[1].min_antal: -1 skal ligge mellem 1 og 1000"]
