"""Issue 15: a text column whose every value is already in its parsed form (a CPR number in 10
digits, a code in lower case) is read as it is after validation, by the checks that follow and by
the samkøring, and the signed stamp remembers which columns those are for the daily run. The
tables read are the same either way."""

import hashlib
import hmac
import json
from pathlib import Path

import duckdb

from kontrol_lib.registre import STEMPEL, indlaes


def _parquet(folder: Path, name: str, sql: str) -> None:
    duckdb.connect().execute(f"COPY ({sql}) TO '{folder / (name + '.parquet')}' (FORMAT parquet)")


def _folder(tmp_path: Path) -> Path:
    _parquet(tmp_path, "personer", "SELECT * FROM (VALUES ('0101901234', DATE '1990-01-01', NULL::DATE), "
             "('0202851234', DATE '1985-02-02', NULL::DATE)) t(cpr, foedselsdato, doedsdato)")
    _parquet(tmp_path, "civilstand", "SELECT * FROM (VALUES ('010190-1234', 'Vielse', DATE '2012-06-01', "
             "'0202851234'), ('0202851234', 'vielse', DATE '2012-06-01', '0101901234')) "
             "t(cpr, haendelse, dato, aegtefaelle_cpr)")
    return tmp_path


def _tabeller(reg) -> dict:
    return {t: reg.df(t).to_dict("records") for t in ("personer", "civilstand")}


FORVENTET_CIVILSTAND = [
    {"cpr": "0101901234", "haendelse": "vielse", "aegtefaelle_cpr": "0202851234"},
    {"cpr": "0202851234", "haendelse": "vielse", "aegtefaelle_cpr": "0101901234"}]


def test_columns_already_in_parsed_form_are_named_in_the_signed_stamp_and_the_tables_are_the_same(tmp_path):
    folder = _folder(tmp_path)
    foerst = indlaes(folder)
    stempel = json.loads((folder / STEMPEL).read_text(encoding="utf-8"))
    # civilstand.cpr holds '010190-1234' and haendelse 'Vielse': parsed, they change, so they are parsed
    assert stempel["normale"] == {"personer": ["cpr"], "civilstand": ["aegtefaelle_cpr"]}
    igen = indlaes(folder)
    assert any("uændret siden den sidst bestod" in n for n in igen.noter)
    assert _tabeller(igen) == _tabeller(foerst)
    assert [{k: r[k] for k in ("cpr", "haendelse", "aegtefaelle_cpr")} for r in _tabeller(igen)["civilstand"]] \
        == FORVENTET_CIVILSTAND
    assert [r["cpr"] for r in _tabeller(igen)["personer"]] == ["0101901234", "0202851234"]


def test_a_stamp_naming_other_columns_is_not_trusted(tmp_path):
    """Naming civilstand.cpr as already parsed would hand the samkøring '010190-1234': a stamp
    edited so, signed without the key or with a non-text column, means a full check."""
    from kontrol_lib.vokabular.pseudonym import hent_noegle
    folder = _folder(tmp_path)
    indlaes(folder)
    stempel = json.loads((folder / STEMPEL).read_text(encoding="utf-8"))
    noegle = hmac.new(hent_noegle(), b"kontrol-valideret.json", hashlib.sha256).digest()

    def skriv(normale, signer_med):
        s = {k: v for k, v in stempel.items() if k != "hmac"} | {"normale": normale}
        s["hmac"] = hmac.new(signer_med, json.dumps(s, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()
        (folder / STEMPEL).write_text(json.dumps(s), encoding="utf-8")

    for normale, signer_med in (({"civilstand": ["cpr", "aegtefaelle_cpr"]}, b"ikke noeglen"),
                                ({"civilstand": ["dato"]}, noegle),
                                ({"findes_ikke": ["cpr"]}, noegle)):
        skriv(normale, signer_med)
        reg = indlaes(folder)
        assert not any("uændret" in n for n in reg.noter)          # checked in full
        assert reg.df("civilstand")["cpr"].tolist() == ["0101901234", "0202851234"]
    # the stamp the full check wrote again is the genuine one
    assert json.loads((folder / STEMPEL).read_text(encoding="utf-8"))["normale"] == stempel["normale"]
