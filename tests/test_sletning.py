"""Retention and erasure (spec/sikkerhed.md, "Retention and minimisation"; issue 13).

Fredning by keyed hash (revision 0008): udfald carry ``ym_noegle`` and ``haendelse_noegle``
(HMAC-SHA256 with the file key); the existing rows are backfilled by the migration, which refuses
without a readable key; the look-ups use the hashes only, so a finding on an erased case stays
fredet, on SQLite and PostgreSQL.
"""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from kontrol_lib.sager import SagsLager
from kontrol_lib.vokabular import pseudonym
from kontrol_lib.vokabular.fejl import KontrolFejl
from test_sagsstyring_hjaelp import YM1
from test_sagsstyring_migrations import forrige_udgivelse, opgrader, versioner


def _raekker(url: str, sql: str) -> list[tuple]:
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        out = [tuple(r) for r in c.exec_driver_sql(sql)]
    eng.dispose()
    return out


def test_revision_0008_backfills_the_keyed_hashes_of_existing_udfald(db_url):
    forrige_udgivelse(db_url)
    opgrader(db_url, "0007")
    noegle = pseudonym.hent_noegle()                  # the key exists (made on first use)
    SagsLager(db_url, testlager=True).luk()
    [(ym_h, h_h)] = _raekker(db_url, "SELECT ym_noegle, haendelse_noegle FROM udfald")
    assert ym_h == pseudonym.noeglet_hash(YM1, noegle) and h_h == pseudonym.noeglet_teksthash("h1", noegle)
    assert versioner(db_url)[0] >= "0008"


def test_without_a_readable_key_the_migration_refuses_in_danish_and_changes_nothing(db_url, tmp_path, monkeypatch):
    forrige_udgivelse(db_url)
    opgrader(db_url, "0007")
    monkeypatch.setenv(pseudonym.NOEGLE_MILJOE, str(tmp_path / "ingen" / "noegle"))
    with pytest.raises(KontrolFejl, match="pseudonymnøglen kan ikke læses: nøglefilen .* findes ikke") as e:
        SagsLager(db_url, testlager=True)
    assert YM1 not in str(e.value)
    assert versioner(db_url) == ["0007"]
    assert not (tmp_path / "ingen").exists()          # the migration does not make a new key


def test_a_store_without_udfald_needs_no_key_to_migrate(db_url, tmp_path, monkeypatch):
    forrige_udgivelse(db_url, raekker=False)
    opgrader(db_url, "0007")
    monkeypatch.setenv(pseudonym.NOEGLE_MILJOE, str(tmp_path / "ingen" / "noegle"))
    SagsLager(db_url, testlager=True).luk()
    assert versioner(db_url)[0] >= "0008"
