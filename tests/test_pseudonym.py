"""Keyed pseudonyms (issue 12, item 2: the analytiker sees a keyed pseudonym instead of CPR):
exact values with a fixed test key (checked against ``openssl dgst -sha256 -mac HMAC``), the key
file (created 0600 with 32 random bytes, Danish errors), free-text replacement, and the
pseudonymised udfald, hits and store reads. All CPR numbers are synthetic."""

import datetime as dt
import os
import re
import stat

import pandas as pd
import pytest
from test_samkoering import bil, ind

from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.regler import samkoer
from kontrol_lib.regler.byg import byg_registre
from kontrol_lib.regler.tilfaelde import D, grund, med
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager import pseudonymisering as pz
from kontrol_lib.sager.pseudonymisering import hits_pseudonymiseret, udfald_pseudonymiseret
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular import pseudonym as ps
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.pseudonym import Pseudonymer

TESTNOEGLE = bytes(range(32))
# printf %s 0101801234 | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
HMAC_YM = "459738f9800c3dcac8443e0413e04fda5f1af009e59cb61363ef4d686048712b"
P_YM = "P-4597-38f9-800c-3dca"
P_ANDEN = "P-45ff-e10d-9416-9668"          # 0202811235
CPR_MOENSTER = re.compile(r"\d{6}-?\d{4}")


def test_the_pseudonym_is_the_hmac_of_the_ten_digits_with_the_key():
    assert ps.noeglet_hash("0101801234", TESTNOEGLE) == HMAC_YM
    assert ps.pseudonym("0101801234", TESTNOEGLE) == P_YM
    assert ps.pseudonym("0202811235", TESTNOEGLE) == P_ANDEN


def test_the_pseudonym_is_the_same_with_a_dash_or_spaces_and_differs_with_another_key():
    assert ps.pseudonym(" 010180-1234 ", TESTNOEGLE) == P_YM
    assert ps.pseudonym("0101801234", bytes(range(1, 33))) != P_YM


def test_no_pseudonym_ever_looks_like_a_cpr_number():
    p = Pseudonymer(TESTNOEGLE)
    alle = " ".join(p(f"{d:02d}0180{n:04d}") for d in range(1, 32) for n in range(0, 10000, 37))
    assert CPR_MOENSTER.findall(alle) == [] and re.search(r"\d{5}", alle) is None


def test_a_value_that_is_not_a_cpr_number_is_refused_without_repeating_it():
    with pytest.raises(KontrolFejl) as e:
        ps.pseudonym("01018012345", TESTNOEGLE)
    assert "01018012345" not in str(e.value) and "10 cifre" in str(e.value)


def test_empty_values_stay_empty_and_the_key_is_never_shown():
    p = Pseudonymer(TESTNOEGLE)
    assert p(None) is None and p(float("nan")) is None and p("") is None
    assert p.hash("0101801234") == HMAC_YM
    assert TESTNOEGLE.hex() not in repr(p)


def test_cpr_numbers_in_free_text_are_replaced_and_other_numbers_are_not():
    p = Pseudonymer(TESTNOEGLE)
    tekst = "Ægtefælle 0202811235 og 010180-1234 flyttede 2024-03-01; beløb 1.500,01 kr.; cvr 11111111"
    assert p.i_tekst(tekst) == (f"Ægtefælle {P_ANDEN} og {P_YM} flyttede 2024-03-01; beløb 1.500,01 kr.; "
                                "cvr 11111111")
    assert p.i_tekst("YM-0101801234|cpr0202811235 x 01018012345") == f"YM-{P_YM}|cpr{P_ANDEN} x 01018012345"
    assert CPR_MOENSTER.findall(p.i_tekst(p.i_tekst(tekst))) == []           # a pseudonym is left alone


def test_a_missing_key_file_is_created_owner_only_with_32_random_bytes(tmp_path, monkeypatch):
    sti = tmp_path / "konfig" / "kontrol" / "noegle"
    monkeypatch.setenv(ps.NOEGLE_MILJOE, str(sti))
    noegle = ps.hent_noegle()
    assert len(noegle) == 32
    assert stat.S_IMODE(sti.stat().st_mode) == 0o600
    assert stat.S_IMODE(sti.parent.stat().st_mode) == 0o700
    assert sti.read_text(encoding="ascii") == noegle.hex() + "\n"
    assert list(sti.parent.iterdir()) == [sti]                # the temporary file is gone
    assert ps.hent_noegle() == noegle                         # stable: read, not made again
    assert Pseudonymer()("0101801234") == ps.pseudonym("0101801234", noegle)


def test_the_key_file_is_created_0600_even_with_a_permissive_umask(tmp_path):
    gammel = os.umask(0)
    try:
        ps.hent_noegle(tmp_path / "noegle")
    finally:
        os.umask(gammel)
    assert stat.S_IMODE((tmp_path / "noegle").stat().st_mode) == 0o600


def test_without_the_variable_the_laptop_default_is_under_the_users_config(tmp_path, monkeypatch):
    monkeypatch.delenv(ps.NOEGLE_MILJOE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    if ps.SERVER_NOEGLE.exists():
        assert ps.noeglefil() == ps.SERVER_NOEGLE
    else:
        assert ps.noeglefil() == tmp_path / "kontrol" / "noegle"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_key_file_is_a_danish_error(tmp_path):
    sti = tmp_path / "noegle"
    sti.write_text(TESTNOEGLE.hex())
    sti.chmod(0o000)
    with pytest.raises(KontrolFejl, match="Pseudonymnøglen .* kan ikke læses"):
        ps.hent_noegle(sti)


def test_a_key_that_cannot_be_created_is_a_danish_error_not_a_new_key():
    # like /etc/kontrol on the server for anyone but root: a folder no process can create
    with pytest.raises(KontrolFejl, match="findes ikke og kan ikke oprettes"):
        ps.hent_noegle("/proc/kontrol-ingen/noegle")


def test_a_short_a_garbled_or_a_world_readable_key_is_refused(tmp_path):
    sti = tmp_path / "noegle"
    sti.write_text("abcd")
    sti.chmod(0o600)
    with pytest.raises(KontrolFejl, match="for kort"):
        ps.hent_noegle(sti)
    sti.write_text("not hex at all")
    with pytest.raises(KontrolFejl, match="ikke en gyldig nøgle"):
        ps.hent_noegle(sti)
    sti.write_text(TESTNOEGLE.hex())
    sti.chmod(0o644)
    with pytest.raises(KontrolFejl, match="kan læses af alle"):
        ps.hent_noegle(sti)


# --------------------------------------------------------------------------- udfald, hits, store
def _udfald():
    t = med(grund(), eindkomst=[ind("0101801234", 5, "2024-03-01", "600")],
            biler=[bil("0202811234", "koeb", "2024-03-03", "2020-01-01")])
    return samkoer(byg_registre(t), D), D


def test_a_samkoerings_udfald_keeps_every_column_but_no_cpr():
    df, _ = _udfald()
    p = Pseudonymer(TESTNOEGLE)
    u = udfald_pseudonymiseret(df, p)
    assert list(u["ym_pseudonym"]) == [P_YM, P_YM]
    assert list(u["person_pseudonym"]) == [P_YM, ps.pseudonym("0202811234", TESTNOEGLE)]
    assert "bevis" not in u.columns and "ym_cpr" not in u.columns
    assert all(h.startswith("H-") for h in u["haendelse_id"])
    assert CPR_MOENSTER.findall(u.to_csv()) == []


def test_the_stores_cases_and_udfald_for_the_analytiker_carry_pseudonyms_and_log_no_showing(db_url):
    df, _ = _udfald()
    lager = SagsLager(db_url)
    koer_udfald(lager, df, D, bruger="anna")
    lager.giv_roller("anna", ["administrator", "tilsyn"], bruger="anna")     # the first grant: roles apply now
    lager.giv_roller("alma", ["analytiker"], bruger="anna")
    p = Pseudonymer(TESTNOEGLE)
    s = pz.sager(lager, bruger="alma", p=p)
    u = pz.udfald(lager, bruger="alma", p=p)
    if lager.dialekt == "postgresql":        # the database's analysis key (revision 0006); p is not used
        with lager.laes() as c:
            p = Pseudonymer(bytes(c.exec_driver_sql("SELECT noegle FROM kontrol_noegle.analysenoegle").scalar()))
    assert list(s["ym_pseudonym"]) == [p("0101801234")] and "ym_cpr" not in s.columns
    assert sorted(u["person_pseudonym"]) == sorted([p("0101801234"), p("0202811234")])
    assert CPR_MOENSTER.findall(s.to_csv() + u.to_csv()) == []
    assert lager.visninger(bruger="anna").empty                    # nothing personal was shown


def test_a_person_without_the_analytiker_role_is_refused_in_danish_and_logged(db_url):
    lager = SagsLager(db_url)
    lager.giv_roller("anna", ["administrator", "leder"], bruger="anna")
    with pytest.raises(AdgangNaegtet, match="anna har ikke rollen analytiker, som kræves for at se pseudonymiserede data"):
        pz.sager(lager, bruger="anna", p=Pseudonymer(TESTNOEGLE))
    assert list(lager.afvisninger(bruger="anna")["handling"]) == ["se pseudonymiserede data"]


def test_a_local_lists_hits_are_pseudonymised():
    hits = pd.DataFrame({"cpr": ["0101801234"], "haendelse_id": ["A1|2015-01-01"],
                         "oplysninger": ["Bor med 0202811235"], "begrundelse": ["x"], "adresse_id": ["A1"],
                         "fra_dato": [dt.date(2015, 1, 1)]})
    h = hits_pseudonymiseret(hits, Pseudonymer(TESTNOEGLE))
    assert list(h["pseudonym"]) == [P_YM] and list(h["oplysninger"]) == [f"Bor med {P_ANDEN}"]
    assert list(h["haendelse_id"]) == ["A1|2015-01-01"]
