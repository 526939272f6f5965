"""Identity, roles, purposes and pages (spec/sikkerhed.md; issue 12's attacker findings).

Most tests use a REAL store (``testlager=False``): the person is the operating-system login of
this process, exactly as in ``make demo``; a name typed is refused. The JupyterHub identity is
tested against a stand-in for the hub's REST API on 127.0.0.1 (the real hub is in test_server).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import re
import sqlite3
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pandas as pd
import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.regler import REGLER
from kontrol_lib.sager import SagsLager, identitet
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.tid import DANSK_TID

D = dt.date
LOGIN = pwd.getpwuid(os.geteuid()).pw_name
CPR = re.compile(r"\d{6}-?\d{4}")


def udfald(n: int, start: int = 0) -> pd.DataFrame:
    """``n`` synthetic udfald of the flytning rule, one person each (cpr 0101900000 + i)."""
    rows = []
    for i in range(start, start + n):
        cpr = f"{101900000 + i:010d}"
        rows.append(dict(ym_cpr=cpr, person_cpr=cpr, rolle="YM", regel="flytning", haendelse_id=f"h{i}",
                         haendelsesdato=D(2024, 5, 1), kle="32.24.04", kommunekode=151,
                         oplysninger="Ydelsesmodtageren er flyttet."))
    return pd.DataFrame(rows)


@pytest.fixture
def rigtig(tmp_path, monkeypatch):
    """A real store (not a test store) created by this process's OS login."""
    monkeypatch.delenv("KONTROL_TESTIDENTITET", raising=False)
    monkeypatch.delenv("KONTROL_TESTLAGER", raising=False)
    url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    lg = SagsLager(url)
    yield url, lg
    lg.luk()


def tabel(url: str, sql: str) -> list[tuple]:
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------ identity
def test_the_creator_of_a_real_store_is_its_administrator_and_nothing_else(rigtig):
    url, lg = rigtig
    assert lg.testlager is False and lg.person == identitet.Person(LOGIN, "styresystem")
    assert lg.mine_roller() == {"administrator"}
    assert tabel(url, "SELECT oprettet_af, identitet, testlager FROM lager") == [(LOGIN, "styresystem", 0)]
    assert tabel(url, "SELECT af, person, rolle, handling, identitet FROM roller") == [
        (LOGIN, LOGIN, "administrator", "giv", "styresystem")]


def test_a_name_typed_that_is_not_the_login_is_refused_and_the_attempt_logged(rigtig):
    url, lg = rigtig
    lg.giv_roller(LOGIN, ["sagsbehandler"])
    with pytest.raises(KontrolFejl, match=f"Du er logget ind som {LOGIN}; et andet brugernavn kan ikke angives"):
        lg.prioriteringsliste("anyone", formaal="visitering")
    assert tabel(url, "SELECT bruger, handling, rolle FROM afvisninger") == [
        (LOGIN, "handle under et andet navn end sit login", "eget login")]
    assert tabel(url, "SELECT count(*) FROM visninger") == [(0,)]
    lg.prioriteringsliste(LOGIN, formaal="visitering")          # one's own name is accepted


def test_test_identities_are_refused_by_a_real_store(rigtig, monkeypatch):
    url, _ = rigtig
    with pytest.raises(KontrolFejl, match="Test-identiteter gælder kun i test- og demolagre"):
        SagsLager(url, person=identitet.testperson("mallory")).bestillingsliste()
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "mallory")
    with pytest.raises(KontrolFejl, match="Test-identiteter gælder kun i test- og demolagre"):
        SagsLager(url).bestillingsliste()
    with pytest.raises(KontrolFejl, match="ikke et test-/demolager"):
        SagsLager(url, testlager=True)


def test_the_os_login_is_read_from_the_uid_not_from_user_variables(monkeypatch):
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert identitet.logget_ind({}) == identitet.Person(LOGIN, "styresystem")


class _Hub(BaseHTTPRequestHandler):
    """The hub's ``GET /hub/api/user``: the owner of a valid token."""
    tokens = {"token-anna": "anna", "token-lars": "lars"}

    def do_GET(self):  # noqa: N802 (http.server's name)
        navn = self.tokens.get(self.headers.get("Authorization", "").removeprefix("token "))
        if self.path != "/hub/api/user" or navn is None:
            self.send_response(403)
            self.end_headers()
            return
        body = json.dumps({"name": navn, "kind": "user"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture
def hub():
    srv = HTTPServer(("127.0.0.1", 0), _Hub)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/hub/api"
    srv.shutdown()


def test_inside_a_hub_server_the_person_is_the_tokens_owner_by_the_hubs_api(hub):
    env = {"JUPYTERHUB_API_URL": hub, "JUPYTERHUB_API_TOKEN": "token-anna", "JUPYTERHUB_USER": "lars",
           "HTTP_X_REMOTE_USER": "lars"}
    assert identitet.logget_ind(env) == identitet.Person("anna", "jupyterhub")
    with pytest.raises(KontrolFejl, match="JupyterHub kunne ikke bekræfte, hvem du er"):
        identitet.logget_ind(dict(env, JUPYTERHUB_API_TOKEN="forfalsket"))


def test_a_store_opened_in_a_hub_server_acts_as_the_hub_user(hub, tmp_path, monkeypatch):
    monkeypatch.delenv("KONTROL_TESTIDENTITET", raising=False)
    monkeypatch.delenv("KONTROL_TESTLAGER", raising=False)
    monkeypatch.setenv("JUPYTERHUB_API_URL", hub)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-anna")
    lg = SagsLager(f"sqlite:///{tmp_path / 'k.sqlite'}")
    assert lg.person == identitet.Person("anna", "jupyterhub") and lg.mine_roller() == {"administrator"}
    with pytest.raises(KontrolFejl, match="Du er logget ind som anna"):
        lg.bestillingsliste(bruger="lars")


# ------------------------------------------------------------------ roles
def test_an_action_without_its_role_is_a_danish_sentence_naming_the_role_and_is_logged(rigtig):
    url, lg = rigtig
    with pytest.raises(AdgangNaegtet) as e:
        lg.bestil(1)
    assert str(e.value) == (f"Adgang nægtet: {LOGIN} har ikke rollen sagsbehandler, som kræves for at bestille "
                            "sager. En administrator kan tildele rollen (kontrol rolle --giv). Forsøget er logget.")
    with pytest.raises(AdgangNaegtet, match="rollen leder eller analytiker, som kræves for at se kontrolsagerne"):
        lg.kontrolsager()
    with pytest.raises(AdgangNaegtet, match="rollen tilsyn, som kræves for at se visningsloggen"):
        lg.visninger()
    assert tabel(url, "SELECT bruger, handling, rolle, identitet FROM afvisninger ORDER BY id") == [
        (LOGIN, "bestille sager", "sagsbehandler", "styresystem"),
        (LOGIN, "se kontrolsagerne", "leder eller analytiker", "styresystem"),
        (LOGIN, "se visningsloggen", "tilsyn", "styresystem")]


def test_granting_and_revoking_is_for_administrators_logged_and_keeps_one_administrator(rigtig):
    url, lg = rigtig
    assert lg.giv_roller("anna", ["sagsbehandler", "leder"]) == ["sagsbehandler", "leder"]
    assert lg.giv_roller("anna", ["leder"]) == []                  # already held: nothing written
    assert lg.fjern_roller("anna", ["leder"]) == ["leder"]
    with pytest.raises(KontrolFejl, match=f"{LOGIN} er den eneste administrator"):
        lg.fjern_roller(LOGIN, ["administrator"])
    with pytest.raises(KontrolFejl, match="Ukendt rolle 'chef'"):
        lg.giv_roller("anna", ["chef"])
    assert tabel(url, "SELECT af, person, rolle, handling FROM roller ORDER BY id") == [
        (LOGIN, LOGIN, "administrator", "giv"), (LOGIN, "anna", "sagsbehandler", "giv"),
        (LOGIN, "anna", "leder", "giv"), (LOGIN, "anna", "leder", "fjern")]
    lg.giv_roller(LOGIN, ["tilsyn"])
    assert lg.rolleoversigt().values.tolist() == [["anna", "sagsbehandler"], [LOGIN, "administrator, tilsyn"]]
    assert lg.tjek_log() == []


def test_someone_without_administrator_cannot_grant_roles(tmp_path, monkeypatch):
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "bo")
    lg = SagsLager(f"sqlite:///{tmp_path / 't.sqlite'}", testlager=True)
    assert lg.mine_roller() == {"sagsbehandler", "leder", "analytiker", "administrator", "tilsyn"}
    lg.giv_roller("admin", ["administrator"], "admin")             # a test store: every role until the first grant
    with pytest.raises(AdgangNaegtet, match="bo har ikke rollen administrator, som kræves for at tildele roller"):
        lg.giv_roller("bo", ["sagsbehandler"], "bo")
    assert lg.mine_roller() == set()


def test_the_role_log_is_chained_and_a_hand_edited_grant_is_found(rigtig):
    url, lg = rigtig
    lg.giv_roller("anna", ["sagsbehandler"])
    lg.giv_roller(LOGIN, ["tilsyn"])
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    for (navn,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {navn}")
    con.execute("UPDATE roller SET person = 'mallory' WHERE person = 'anna'")
    con.commit()
    con.close()
    assert lg.tjek_log() == ["hashkæden er brudt i roller, række id 2: rækkens indhold passer ikke med dens hash "
                             "(rækken er ændret)"]


def test_update_and_delete_on_the_new_log_tables_are_refused(rigtig):
    url, lg = rigtig
    with pytest.raises(AdgangNaegtet):
        lg.bestil(1)
    for sql in ("UPDATE roller SET rolle = 'tilsyn'", "DELETE FROM roller", "UPDATE afvisninger SET bruger = 'x'",
                "DELETE FROM afvisninger", "UPDATE lager SET testlager = 1", "DELETE FROM lager"):
        with pytest.raises(sqlite3.IntegrityError, match="loggen kan kun tilføjes"):
            tabel(url, sql)


# ------------------------------------------------------------------ purpose and pages
@pytest.fixture
def fuld(rigtig):
    """A real store with 120 ordered cases; the login holds sagsbehandler and tilsyn."""
    url, lg = rigtig
    lg.giv_roller(LOGIN, ["sagsbehandler", "tilsyn"])
    koer_udfald(lg, udfald(120), D(2024, 5, 15), regler=REGLER)
    assert len(lg.bestil(120, dato=D(2024, 5, 16))) == 120
    return url, lg


def test_a_showing_without_a_purpose_or_with_an_unknown_one_is_refused(fuld):
    _, lg = fuld
    with pytest.raises(KontrolFejl, match="Angiv formålet med at se personoplysningerne"):
        lg.prioriteringsliste()
    with pytest.raises(KontrolFejl, match="Ukendt formål 'nysgerrighed'"):
        lg.kontrolark("XXXX-XXXX", formaal="nysgerrighed")
    assert lg.visninger().empty


def test_only_the_page_shown_is_logged(fuld):
    _, lg = fuld
    s1 = lg.prioriteringsliste(formaal="visitering")
    assert (len(s1), s1.attrs) == (50, {"i_alt": 120, "side": 1, "sider": 3})
    s3 = lg.prioriteringsliste(formaal="afgoerelse", side=3)
    assert (len(s3), s3.attrs["side"]) == (20, 3)
    v = lg.visninger()
    assert len(v) == 70 and set(v["sag_id"]) == set(s1["sag_id"]) | set(s3["sag_id"])
    assert v.groupby("formaal").size().to_dict() == {"afgoerelse": 20, "visitering": 50}
    assert set(v["bruger"]) == {LOGIN} and set(v["identitet"]) == {"styresystem"} and set(v["rolle"]) == {"sagsbehandler"}
    with pytest.raises(KontrolFejl, match=r"Side 4 findes ikke \(listen har 3 sider\)"):
        lg.prioriteringsliste(formaal="visitering", side=4)
    assert len(lg.visninger()) == 70


# ------------------------------------------------------------------ the CLI as the attacker tried it
def cli(capsys, *args) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_the_cli_refuses_another_name_and_a_missing_role_without_showing_a_cpr(fuld, capsys):
    url, lg = fuld
    sag = lg.prioriteringsliste(formaal="visitering", pr_side=1)["sag_id"][0]
    rc, out, err = cli(capsys, "prioriteringsliste", "--bruger", "anyone", "--formaal", "visitering", "--db", url)
    assert rc == 1 and out == "" and f"Du er logget ind som {LOGIN}" in err and not CPR.search(err)
    rc, out, err = cli(capsys, "kontrolark", sag, "--bruger", "mallory", "--formaal", "visitering", "--ud", "a.html",
                       "--db", url)
    assert rc == 1 and out == "" and not CPR.search(err)
    lg.fjern_roller(LOGIN, ["sagsbehandler"])
    rc, out, err = cli(capsys, "kontrolark", sag, "--formaal", "visitering", "--ud", "a.html", "--db", url)
    assert rc == 1 and "har ikke rollen sagsbehandler, som kræves for at åbne kontrolarket" in err
    assert len(lg.visninger()) == 1                     # only the look-up above that found the case id
    assert [r[0] for r in tabel(url, "SELECT handling FROM afvisninger ORDER BY id")] == [
        "handle under et andet navn end sit login", "handle under et andet navn end sit login", "åbne kontrolarket"]


def test_kontrol_rolle_grants_lists_and_refuses_non_administrators(rigtig, capsys):
    url, lg = rigtig
    assert cli(capsys, "rolle", "--giv", "anna", "--rolle", "sagsbehandler,leder", "--db", url)[1] == (
        "anna har fået rollerne sagsbehandler, leder.\n")
    assert cli(capsys, "rolle", "--giv", LOGIN, "--rolle", "alle", "--db", url)[1] == (
        f"{LOGIN} har fået rollerne sagsbehandler, leder, analytiker, tilsyn.\n")
    rc, out, _ = cli(capsys, "rolle", "--vis", "--db", url)
    assert rc == 0 and "anna" in out and "sagsbehandler, leder, analytiker, administrator, tilsyn" in out
    assert cli(capsys, "rolle", "--mine", "--db", url)[1] == (
        f"{LOGIN}: sagsbehandler, leder, analytiker, administrator, tilsyn\n")
    rc, _, err = cli(capsys, "rolle", "--giv", "anna", "--rolle", "administrator", "--bruger", "anna", "--db", url)
    assert rc == 1 and f"Du er logget ind som {LOGIN}" in err


# ------------------------------------------------------------------ the citizen's access to the log
def test_indsigt_exports_every_look_up_of_one_person_in_danish(fuld, tmp_path, capsys):
    url, lg = fuld
    side = lg.prioriteringsliste(formaal="visitering", pr_side=2)
    sag, cpr = side["sag_id"][0], side["cpr"][0]
    lg.kontrolark(sag, formaal="partshoering")
    rc, out, _ = cli(capsys, "indsigt", "--cpr", f"{cpr[:6]}-{cpr[6:]}", "--ud", str(tmp_path / "i.csv"), "--db", url)
    assert rc == 0 and out == f"2 opslag skrevet til {tmp_path / 'i.csv'}.\n"
    assert oct((tmp_path / "i.csv").stat().st_mode & 0o777) == "0o600"
    df = pd.read_csv(tmp_path / "i.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert list(df.columns) == ["Dato", "Klokkeslæt", "Hvad blev set", "Formål", "Enhed", "Sag"]
    assert df[["Hvad blev set", "Formål", "Enhed", "Sag"]].values.tolist() == [
        ["Prioriteringslisten (CPR-nummer og ydelse)", "Visitering",
         "Kontrolgruppen, Ballerup kommune (sagsbehandler)", sag],
        ["Kontrolarket (stamoplysninger, indkomst og udfald)", "Partshøring",
         "Kontrolgruppen, Ballerup kommune (sagsbehandler)", sag]]
    # Danish local time (the export is for the citizen): between 23 and 24 UTC it is already tomorrow
    assert df["Dato"][0] == dt.datetime.now(DANSK_TID).strftime("%d-%m-%Y")
    # the export itself is a look-up of the person, logged for tilsyn
    assert lg.visninger()[["sag_id", "hvad", "formaal", "rolle"]].values.tolist()[-1] == [
        sag, "indsigt", "aktindsigt", "tilsyn"]
    rc, _, _ = cli(capsys, "indsigt", "--cpr", cpr, "--ud", str(tmp_path / "i.pdf"), "--med-navne", "--db", url)
    info = subprocess.run(["pdfinfo", str(tmp_path / "i.pdf")], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "i.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert rc == 0 and "Tagged:          yes" in info and "Indsigt i opslag på dine oplysninger" in text
    assert "Medarbejder" in text and LOGIN in text and "Kontrolarket" in text


def test_indsigt_needs_tilsyn_and_a_valid_cpr(rigtig):
    _, lg = rigtig
    with pytest.raises(AdgangNaegtet, match="rollen tilsyn"):
        lg.indsigt("0101900001")
    lg.giv_roller(LOGIN, ["tilsyn"])
    with pytest.raises(KontrolFejl, match="Et CPR-nummer har 10 cifre"):
        lg.indsigt("12345")
    assert lg.indsigt("0101900001").empty


# ------------------------------------------------------------------ database failures (issue 13: no CPR in errors)
def _koer_med_cpr(lg):
    """A daily run whose statements carry CPR numbers (and enough text to need new pages)."""
    u = udfald(200, start=500)
    u["oplysninger"] = [f"Ydelsesmodtageren {c} er flyttet. " + "x" * 2000 for c in u["ym_cpr"]]
    koer_udfald(lg, u, D(2024, 5, 15), regler=REGLER)


def _uden_cpr(fejl: BaseException) -> str:
    import traceback                   # reason: the whole printed traceback is what reaches cron mail
    tekst = "".join(traceback.format_exception(fejl))
    assert not CPR.search(tekst), tekst
    assert fejl.__cause__ is None and fejl.__suppress_context__
    return str(fejl)


def test_a_full_disk_is_a_danish_sentence_without_the_statements_cpr(tmp_path):
    from sqlalchemy import event       # reason: only this test limits the store's size
    lg = SagsLager(f"sqlite:///{tmp_path / 'k.sqlite'}")
    with lg.laes() as conn:
        sider = conn.exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(lg.engine, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count = {sider}"))
    with pytest.raises(KontrolFejl) as e:
        _koer_med_cpr(lg)
    assert _uden_cpr(e.value) == "Disken er fuld, så intet kunne gemmes. Frigør plads, og kør igen."


def test_a_read_only_store_is_a_danish_sentence(tmp_path):
    fil = tmp_path / "k.sqlite"
    SagsLager(f"sqlite:///{fil}").luk()
    lg = SagsLager(f"sqlite:///{fil}")
    from sqlalchemy import event       # reason: only this test opens the file read-only underneath the store
    event.listen(lg.engine, "connect", lambda c, _r: c.execute("PRAGMA query_only = ON"))
    with pytest.raises(KontrolFejl) as e:
        _koer_med_cpr(lg)
    assert _uden_cpr(e.value) == ("Sagslageret er skrivebeskyttet, så intet kunne gemmes. Kontrollér filens eller "
                                  "databasens rettigheder.")


def test_a_corrupt_store_is_a_danish_sentence(tmp_path, capsys):
    fil = tmp_path / "k.sqlite"
    fil.write_bytes(b"0101901234 ikke en database " * 200)
    rc = main(["bestillingsliste", "--db", str(fil)])
    _, err = capsys.readouterr()
    assert rc == 1 and "Sagslageret er beskadiget (ikke en gyldig database)" in err and not CPR.search(err)


def test_a_unique_violation_on_postgresql_never_shows_its_detail_line(pg_url):
    from kontrol_lib.sager.grundlag import databasefejl   # reason: the translation itself, fed a real PG error
    from sqlalchemy import create_engine, text            # reason: a raw statement that violates a key
    from sqlalchemy.exc import IntegrityError             # reason: as above
    eng = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), hide_parameters=True)
    with eng.begin() as c:
        c.execute(text("CREATE TEMP TABLE t (cpr text PRIMARY KEY)"))
        c.execute(text("INSERT INTO t VALUES ('0101901234')"))
        with pytest.raises(IntegrityError) as e:
            c.execute(text("INSERT INTO t VALUES ('0101901234')"))
    eng.dispose()
    assert "0101901234" in str(e.value.orig)                 # the driver's text has it (DETAIL) ...
    assert not CPR.search(str(databasefejl(e.value)))        # ... the sentence does not


def test_a_locked_store_is_a_danish_sentence(tmp_path):
    """The store waits 120 s for a lock (busy_timeout); what a user then sees is this sentence. The
    failure is produced for real, by a second connection that does not wait."""
    import sqlite3                                          # reason: a writer holding the lock
    from sqlalchemy import create_engine, text              # reason: an engine that does not wait
    from sqlalchemy.exc import OperationalError             # reason: as above
    from kontrol_lib.sager.grundlag import databasefejl     # reason: the translation itself
    fil = tmp_path / "k.sqlite"
    SagsLager(f"sqlite:///{fil}").luk()
    holder = sqlite3.connect(fil, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    eng = create_engine(f"sqlite:///{fil}", connect_args={"timeout": 0}, hide_parameters=True)
    try:
        with pytest.raises(OperationalError) as e, eng.begin() as c:
            c.execute(text("INSERT INTO lager (id, tid, oprettet_af, identitet, testlager) "
                           "VALUES (2, '2024-01-01', :navn, 'x', 0)"), {"navn": "0101901234"})
    finally:
        eng.dispose()
        holder.execute("ROLLBACK")
        holder.close()
    assert "0101901234" not in str(e.value)
    assert str(databasefejl(e.value)) == "Sagslageret er optaget af en anden kørsel. Prøv igen om lidt."
