"""Alembic migrations of the case store, on SQLite and PostgreSQL.

A fresh store is upgraded to the newest revision and has exactly the schema schema.py declares; a
store of the previous release (built here from its frozen DDL in tests/data/sagslager_0001, with
``skema_version`` row 1 and rows in every table) is stamped at 0001, upgraded and keeps every row;
opening again applies nothing; and a future revision that adds a column upgrades fresh, 0001 and
old stores alike (with the hand-written migrations before Alembic, version 1 was
``create_all`` on today's schema.py, so that revision would have failed on a fresh store).
"""

import datetime as dt
import re
import threading
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager import SagsLager, alembic_kommando, migrations, schema
from kontrol_lib.sager.lager import opret_engine
from kontrol_lib.sager.migrations import SENESTE, migrer, skema_afvigelser
from test_sagsstyring_hjaelp import NAESTE, REGLER, UDGIVNE, YM1, YM3, D, alembic_kopi, frame, revision, u

ROOT = Path(__file__).parents[1]
FORRIGE = Path(__file__).parent / "data" / "sagslager_0001"
FOERSTE_TABELLER = {"sager", "overgange", "udfald", "beloeb", "visninger"}      # the first release's
TABELLER = FOERSTE_TABELLER | {"lager", "roller", "afvisninger",                  # revision 0004's
                                "sletninger", "slettede_sager",                   # revision 0009's
                                "filer", "filsletninger",                         # revision 0010's
                                "bestandsgrupper", "sagsgrupper",                 # revision 0011's
                                "noter", "sagsrelationer"}                        # revision 0012's
DATA_SQL = re.compile(r"\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", re.I)


def dialekt(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


# ------------------------------------------------------------------ the store of the previous release
def forrige_udgivelse(url: str, raekker: bool = True) -> None:
    """A store as the release before Alembic left it: its DDL exactly, ``skema_version`` row 1 and
    (``raekker``) two cases with transitions, an udfald, amounts and a visning. Plain SQL, so that
    it stays the old store when schema.py changes."""
    ddl = re.sub(r"^--.*$", "", (FORRIGE / f"{dialekt(url)}.sql").read_text(), flags=re.M)
    eng = create_engine(url, poolclass=NullPool)
    with eng.begin() as c:
        for stmt in filter(str.strip, ddl.split(";")):
            c.exec_driver_sql(stmt)
        c.execute(text("INSERT INTO skema_version (version, anvendt, beskrivelse) VALUES (1, :t, :b)"),
                  {"t": dt.datetime(2024, 5, 1, 8, 0), "b": "sager, overgange, udfald, beloeb, visninger"})
        if raekker:
            _gamle_raekker(c)
    eng.dispose()


def _gamle_raekker(c) -> None:
    tid = dt.datetime(2024, 5, 15, 6, 30)
    c.execute(text(
        "INSERT INTO sager (sag_id, kommunekode, kanal, kontroltrin, myndighed, paragraf11, ydelse, kle, "
        "ydelsesomraade, ym_cpr, oprettet, udloebsdato, kilde_id, stamdata, tid) VALUES "
        "(:sag_id, 151, :kanal, :trin, 'kommune', 'nej', 'kontanthjaelp', :kle, 'kontanthjaelp', :ym, "
        ":oprettet, :udloeb, :kilde, :stamdata, :tid)"), [
        dict(sag_id="A7M3-Q9PX", kanal="dfd_registersamkoering", trin=2, kle="32.24.04", ym=YM1,
             oprettet=D(2024, 5, 15), udloeb=D(2024, 8, 15), kilde=None, stamdata='{"navn": "A"}', tid=tid),
        dict(sag_id="B2C4-D6FH", kanal="udk", trin=3, kle=None, ym=None, oprettet=D(2023, 11, 2),
             udloeb=None, kilde="UDK-77", stamdata=None, tid=tid)])
    for sag_id, sekvens, haendelse, fra, til, dato in (
            ("A7M3-Q9PX", 1, "udstillet", None, "udstillet", D(2024, 5, 15)),
            ("A7M3-Q9PX", 2, "bestil", "udstillet", "bestilt", D(2024, 5, 16)),
            ("B2C4-D6FH", 1, "import", None, "partshoering", D(2023, 11, 2))):
        c.execute(text("INSERT INTO overgange (sag_id, sekvens, tid, dato, bruger, haendelse, fra, til, data) "
                       "VALUES (:s, :n, :tid, :dato, 'anna', :h, :fra, :til, '{}')"),
                  dict(s=sag_id, n=sekvens, tid=tid, dato=dato, h=haendelse, fra=fra, til=til))
    ov = dict(c.execute(text("SELECT sag_id || ':' || CAST(sekvens AS VARCHAR(9)), id FROM overgange")).all())
    c.execute(text(
        "INSERT INTO udfald (sag_id, overgang_id, ym_cpr, regel, haendelse_id, person_cpr, rolle, haendelsesdato, "
        "kle, kommunekode, oplysninger, regel_titel, kontroltype, koersdato) VALUES ('A7M3-Q9PX', :ov, :ym, "
        "'flytning', 'h1', :ym, 'YM', :hd, '32.24.04', 151, 'flytning h1', 'Flytning', 'flytning', :kd)"),
        dict(ov=ov["A7M3-Q9PX:1"], ym=YM1, hd=D(2024, 5, 2), kd=D(2024, 5, 15)))
    c.execute(text(
        "INSERT INTO beloeb (overgang_id, sag_id, ydelse, besparelse_rytme, besparelse_oere, "
        "tilbagebetalingskrav_oere, aendring) VALUES (:ov, 'B2C4-D6FH', 'boligstoette', 'maaned', 123456, "
        "98765432101, 'nedsat')"), dict(ov=ov["B2C4-D6FH:1"]))
    c.execute(text("INSERT INTO visninger (tid, bruger, sag_id, hvad) VALUES (:t, 'anna', 'A7M3-Q9PX', 'kontrolark')"),
              dict(t=tid))


def alle_raekker(url: str) -> dict[str, list[tuple]]:
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        out = {t: [tuple(r) for r in c.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1")] for t in sorted(FOERSTE_TABELLER)}
    eng.dispose()
    return out


def gamle_kolonner(efter: dict[str, list[tuple]], foer: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """``efter``'s rows cut to the columns the old store had (revisions add columns at the end)."""
    return {t: [r[:len(foer[t][0])] for r in rs] if foer.get(t) else rs for t, rs in efter.items()}


def versioner(url: str) -> list[str]:
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        out = [r[0] for r in c.exec_driver_sql("SELECT version_num FROM alembic_version")]
    eng.dispose()
    return out


def opgrader(url: str, til: str, script_location=None) -> None:
    """Upgrade the store to revision ``til`` (not to head) through env.py, as migrer does."""
    eng = opret_engine(url)
    with eng.begin() as c:
        cfg = migrations.alembic_config(script_location)
        cfg.attributes["connection"] = c
        command.upgrade(cfg, til)
    eng.dispose()


def skema(url: str) -> dict:
    """Everything the database says about the store's tables: columns (type, nullability,
    default), keys, foreign keys, indexes, unique constraints; on SQLite the CREATE statements
    too, on PostgreSQL the sequences."""
    eng = create_engine(url, poolclass=NullPool)
    with eng.connect() as c:
        insp = inspect(c)
        out = {}
        for t in sorted(set(insp.get_table_names()) - {"alembic_version"}):
            out[t] = dict(
                kolonner=[(k["name"], str(k["type"]), k["nullable"], k.get("default"), k.get("autoincrement"))
                          for k in insp.get_columns(t)],
                pk=insp.get_pk_constraint(t),
                fk=sorted((f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"])) for f in insp.get_foreign_keys(t)),
                indeks=sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(t)),
                unik=sorted((k["name"], tuple(k["column_names"])) for k in insp.get_unique_constraints(t)))
        if c.dialect.name == "sqlite":
            out["sql"] = {n: " ".join(s.split()) for n, s in c.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'alembic_version'")}
        else:
            out["sekvenser"] = sorted(insp.get_sequence_names())
    eng.dispose()
    return out


def med_prioritet() -> MetaData:
    """schema.py as a developer would change it for revision 0004: sager gets a column."""
    md = MetaData()
    for t in schema.metadata.sorted_tables:
        t.to_metadata(md)
    md.tables["sager"].append_column(Column("prioritet", Integer, nullable=False, server_default="0"))
    return md


V4 = revision(NAESTE, UDGIVNE[-1], "sager.prioritet", """
    op.add_column("sager", sa.Column("prioritet", sa.Integer(), nullable=False, server_default="0"))""", """
    with op.batch_alter_table("sager") as b:
        b.drop_column("prioritet")""")


# ------------------------------------------------------------------ (a) a fresh store
def test_a_fresh_store_is_upgraded_to_head_and_has_exactly_the_declared_schema(db_url):
    eng = opret_engine(db_url)
    with eng.begin() as conn:
        assert migrer(conn) == UDGIVNE
    with eng.connect() as conn:
        mc = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(mc, schema.metadata) == []
        assert skema_afvigelser(conn) == []
        assert set(inspect(conn).get_table_names()) == TABELLER | {"alembic_version"}
        for t in schema.TABELLER:
            assert [k["name"] for k in inspect(conn).get_columns(t.name)] == [k.name for k in t.columns]
    eng.dispose()
    assert versioner(db_url) == [SENESTE] == UDGIVNE[-1:]


def test_revision_0001_creates_exactly_the_schema_of_the_previous_release(db_url):
    forrige_udgivelse(db_url, raekker=False)
    gammel = skema(db_url)
    eng = create_engine(db_url, poolclass=NullPool)
    with eng.begin() as c:
        for t in ("beloeb", "udfald", "visninger", "overgange", "sager", "skema_version"):
            c.exec_driver_sql(f"DROP TABLE {t}")
    eng.dispose()
    assert skema(db_url) == ({"sql": {}} if dialekt(db_url) == "sqlite" else {"sekvenser": []})
    opgrader(db_url, "0001")
    assert skema(db_url) == gammel
    assert set(gammel) >= FOERSTE_TABELLER | {"skema_version"}


def test_skema_afvigelser_names_what_differs(db_url):
    SagsLager(db_url).luk()
    eng = create_engine(db_url, poolclass=NullPool)
    with eng.begin() as c:
        c.exec_driver_sql("ALTER TABLE visninger ADD COLUMN ekstra INTEGER")
        c.exec_driver_sql("DROP INDEX ix_overgange_dato")
    with eng.connect() as c:
        assert sorted(skema_afvigelser(c)) == ["overgange: indekset ix_overgange_dato (dato) mangler",
                                               "visninger: kolonnen ekstra findes, men er ikke i schema.py"]
    eng.dispose()


# ------------------------------------------------------------------ (b) a store of the previous release
def test_a_store_of_the_previous_release_is_stamped_upgraded_and_keeps_every_row(db_url):
    forrige_udgivelse(db_url)
    foer = alle_raekker(db_url)
    assert all(foer.values())
    eng = opret_engine(db_url)
    with eng.begin() as conn:
        assert migrer(conn) == UDGIVNE[1:]          # stamped at 0001, so every later revision runs
    with eng.connect() as conn:
        assert skema_afvigelser(conn) == []
        assert not inspect(conn).has_table("skema_version")
    eng.dispose()
    assert versioner(db_url) == [SENESTE]
    assert gamle_kolonner(alle_raekker(db_url), foer) == foer    # every old row and value kept
    hashes = {"overgange": slice(-4, -2), "visninger": slice(-5, -3)}    # (forrige_hash, hash) before 0004's columns
    kaeder = {t: [r[hashes[t]] for r in alle_raekker(db_url)[t]] for t in hashes}
    assert all(f and h for rs in kaeder.values() for f, h in rs)  # ... and chained (0003, re-chained by 0004)
    lg = SagsLager(db_url)                            # and the store works as before
    assert lg.tjek_log() == []
    assert (lg.status("A7M3-Q9PX"), lg.status("B2C4-D6FH")) == ("bestilt", "partshoering")
    assert lg.sag("A7M3-Q9PX", formaal="visitering")["ym_cpr"] == YM1
    [ny] = koer_udfald(lg, frame(u(YM3, "bilkoeb", "c1")), D(2024, 6, 3), regler=REGLER).nye_sager
    log = lg.log()
    assert len(log) == 4 and log[log["sag_id"] == ny]["haendelse"].tolist() == ["udstillet"]
    lg.luk()
    efter = gamle_kolonner(alle_raekker(db_url), foer)
    assert all(set(foer[t]) < set(efter[t]) for t in ("sager", "overgange", "udfald"))
    assert efter["beloeb"] == foer["beloeb"]
    assert efter["visninger"][:1] == foer["visninger"] and len(efter["visninger"]) == 2   # + reading the case above
    assert max(r[0] for r in efter["overgange"]) > max(r[0] for r in foer["overgange"])


# ------------------------------------------------------------------ (c) opening again
@pytest.mark.parametrize("udgangspunkt", ["ny", "forrige_udgivelse"])
def test_opening_twice_applies_nothing_the_second_time(db_url, udgangspunkt):
    if udgangspunkt == "forrige_udgivelse":
        forrige_udgivelse(db_url)
    lg = SagsLager(db_url)
    foer = alle_raekker(db_url)
    sql = []
    event.listen(lg.engine, "before_cursor_execute", lambda *a: sql.append(a[2]))
    with lg.skriv() as conn:
        assert migrer(conn) == []
    SagsLager(db_url).luk()
    assert sql and not [s for s in sql if DATA_SQL.match(s)]
    assert versioner(db_url) == [SENESTE] and alle_raekker(db_url) == foer


def test_stores_opened_at_the_same_time_are_migrated_once(db_url):
    forrige_udgivelse(db_url)
    barriere, fejl = threading.Barrier(4), []

    def aabn():
        barriere.wait()
        try:
            SagsLager(db_url).luk()
        except Exception as e:                          # pragma: no cover - the failure is asserted
            fejl.append(e)
    traade = [threading.Thread(target=aabn) for _ in range(4)]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=300)
    assert fejl == [] and versioner(db_url) == [SENESTE]
    assert len(alle_raekker(db_url)["overgange"]) == 3


# ------------------------------------------------------------------ (d) a future revision
@pytest.mark.parametrize("udgangspunkt", ["ny", "0001", "forrige_udgivelse"])
def test_a_new_revision_that_adds_a_column_upgrades_fresh_and_old_stores(db_url, tmp_path, monkeypatch,
                                                                         udgangspunkt):
    if udgangspunkt == "forrige_udgivelse":
        forrige_udgivelse(db_url)
    elif udgangspunkt == "0001":
        opgrader(db_url, "0001")
    foer = alle_raekker(db_url) if udgangspunkt != "ny" else None
    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", alembic_kopi(tmp_path, {f"{NAESTE}_sager_prioritet.py": V4}))
    monkeypatch.setattr(schema, "metadata", med_prioritet())     # schema.py changed to match
    eng = opret_engine(db_url)
    with eng.begin() as conn:
        assert migrer(conn) == {"ny": [*UDGIVNE, NAESTE], "0001": [*UDGIVNE[1:], NAESTE],
                                "forrige_udgivelse": [*UDGIVNE[1:], NAESTE]}[udgangspunkt]
    with eng.connect() as conn:
        assert skema_afvigelser(conn) == []
        assert skema_afvigelser(conn, metadata=schema.metadata) == []
    eng.dispose()
    assert versioner(db_url) == [migrations.seneste()] == [NAESTE]
    efter = alle_raekker(db_url)
    if foer is not None:        # every old row kept; the new column is the server default
        assert {t: [r[:len(foer[t][0])] for r in efter[t]] for t in foer if foer[t]} == \
               {t: r for t, r in foer.items() if r}
        assert [r[-1] for r in efter["sager"]] == [0] * len(foer["sager"])
    lg = SagsLager(db_url)                            # nothing left to do
    koer_udfald(lg, frame(u(YM3, "bilkoeb", "c1")), D(2024, 6, 3), regler=REGLER)
    lg.luk()
    monkeypatch.undo()          # the released revisions do not know 0004: refused, nothing changed
    with pytest.raises(KontrolFejl, match=f"skemaversion {NAESTE}, som dette program ikke kender"):
        SagsLager(db_url)
    assert versioner(db_url) == [NAESTE]


def test_the_developer_command_writes_the_next_revision_from_the_schema_change(db_url, tmp_path, monkeypatch,
                                                                               capsys):
    kopi = alembic_kopi(tmp_path, {})
    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", kopi)
    monkeypatch.setattr(schema, "metadata", med_prioritet())
    assert alembic_kommando.naeste_revision() == NAESTE
    alembic_kommando.main(["revision", "--autogenerate", "-m", "sager prioritet"])
    [ny] = (kopi / "versions").glob(f"{NAESTE}_*.py")
    kilde = ny.read_text()
    assert ny.name == f"{NAESTE}_sager_prioritet.py" and f"down_revision = '{UDGIVNE[-1]}'" in kilde
    assert "add_column(sa.Column('prioritet', sa.Integer(), server_default='0', nullable=False))" in kilde
    assert "never edited" in kilde
    forrige_udgivelse(db_url)                         # the generated revision upgrades an old store
    foer = alle_raekker(db_url)
    lg = SagsLager(db_url)
    with lg.laes() as conn:
        assert skema_afvigelser(conn) == []
    lg.luk()
    assert versioner(db_url) == [NAESTE]
    assert {t: [r[:len(foer[t][0])] for r in rs] for t, rs in alle_raekker(db_url).items() if rs} == \
           {t: rs for t, rs in foer.items() if rs}


# ------------------------------------------------------------------ stores that cannot be upgraded
@pytest.mark.parametrize("tilstand, fejl", [
    ("ukendt_skema_version", r"ukendt skemaversion i skema_version \(\[2\]\)"),
    ("tabeller_uden_version", "har allerede tabellerne beloeb, overgange, sager, udfald, visninger, men ingen "
                              "skemaversion"),
])
def test_a_store_that_cannot_be_recognised_is_refused_in_danish_and_left_alone(db_url, tilstand, fejl):
    forrige_udgivelse(db_url)
    eng = create_engine(db_url, poolclass=NullPool)
    with eng.begin() as c:
        c.exec_driver_sql("UPDATE skema_version SET version = 2" if tilstand == "ukendt_skema_version"
                          else "DROP TABLE skema_version")
    eng.dispose()
    foer, skema_foer = alle_raekker(db_url), skema(db_url)
    with pytest.raises(KontrolFejl, match=fejl) as e:
        SagsLager(db_url)
    assert "Intet er ændret" in str(e.value) and not re.search(r"\d{10}", str(e.value))
    assert alle_raekker(db_url) == foer and skema(db_url) == skema_foer


# ------------------------------------------------------------------ shipping
def test_the_alembic_folder_is_shipped_with_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    moenstre = pyproject["tool"]["setuptools"]["package-data"]["kontrol_lib"]
    mappe = migrations.SCRIPT_LOCATION
    assert mappe == ROOT / "kontrol_lib" / "sager" / "alembic"
    filer = [p.relative_to(ROOT / "kontrol_lib").as_posix() for p in mappe.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert {"sager/alembic/env.py", "sager/alembic/script.py.mako",
            "sager/alembic/versions/0001_foerste_udgivelse.py"} <= set(filer)
    assert [f for f in filer if not any(fnmatch(f, m) for m in moenstre)] == []
