"""The case store and its workflow, on SQLite and PostgreSQL (hand-made udfald)."""

import re
from decimal import Decimal

import pytest

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.vokabular.tid import plus_maaneder
from kontrol_lib.jobs.daglig import koer_udfald
from kontrol_lib.sager.migrations import SENESTE, skema_afvigelser
from test_sagsstyring_hjaelp import AEF1, NAESTE, REGLER, UDGIVNE, YM1, YM2, YM3, D, alembic_kopi, frame, revision, u

CPR = re.compile(r"\d{10}")


@pytest.fixture
def lager(db_url):
    lg = SagsLager(db_url)
    yield lg
    lg.luk()


def run(lager, dato, *rows):
    return koer_udfald(lager, frame(*rows), dato, regler=REGLER)


def test_opening_a_store_migrates_it_once_to_the_declared_schema(db_url):
    a = SagsLager(db_url)
    SagsLager(db_url)        # opening again runs nothing
    with a.laes() as conn:
        assert skema_afvigelser(conn) == []
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    assert [v[0] for v in versions] == [SENESTE] == UDGIVNE[-1:]


def test_a_new_udfald_puts_a_case_on_the_bestillingsliste_without_cpr(lager):
    res = run(lager, D(2024, 5, 15), u(YM1, "flytning", "h1"), u(YM1, "b_indkomst", "h2", kle="32.24.10"))
    assert len(res.nye_sager) == 1 and res.nye_udfald == 2 and res.fredede_udfald == 0
    bl = lager.bestillingsliste()
    assert list(bl.columns) == ["sag_id", "kommunekode", "ydelsesomraade", "kontroltrin", "kontroltyper",
                                "regler", "antal_udfald", "udstillet", "udloebsdato"]
    r = bl.iloc[0]
    assert (r.sag_id, r.kommunekode, r.ydelsesomraade, r.kontroltyper, r.regler, r.antal_udfald) == (
        res.nye_sager[0], 151, "kontanthjaelp", "flytning, indkomst", "B-indkomst; Flytning", 2)
    assert (r.udstillet, r.udloebsdato) == (D(2024, 5, 15), D(2024, 8, 15))
    assert not any(CPR.search(str(v)) for v in bl.to_numpy().ravel())
    sag = lager.sag(r.sag_id, formaal="visitering")
    assert (sag["kle"], sag["ydelse"], sag["kanal"], sag["kontroltrin"]) == (
        "32.24.04", "kontanthjaelp", "dfd_registersamkoering", 2)


def test_running_the_same_date_twice_changes_nothing(lager):
    rows = [u(YM1, "flytning", "h1"), u(YM2, "bilkoeb", "c1")]
    run(lager, D(2024, 5, 15), *rows)
    before = (lager.log(), lager.bestillingsliste())
    res = run(lager, D(2024, 5, 15), *rows)
    assert (res.nye_udfald, res.fredede_udfald, res.nye_sager, res.udloebne_sager) == (0, 2, [], [])
    assert "Intet ændret" in res.tekst()
    assert len(lager.log()) == len(before[0]) == 2
    assert lager.bestillingsliste()["sag_id"].tolist() == before[1]["sag_id"].tolist()


def test_new_udfald_join_the_ym_s_udstillet_case(lager):
    first = run(lager, D(2024, 5, 15), u(YM1, "flytning", "h1"))
    second = run(lager, D(2024, 5, 16), u(YM1, "flytning", "h1"), u(YM1, "bilkoeb", "c1"))
    assert second.nye_sager == [] and second.udvidede_sager == first.nye_sager and second.nye_udfald == 1
    bl = lager.bestillingsliste()
    assert len(bl) == 1 and bl.iloc[0].antal_udfald == 2
    assert bl.iloc[0].udloebsdato == D(2024, 8, 15)     # from the day it was first udstillet
    lg = lager.log()
    assert lg[["haendelse", "fra", "til"]].values.tolist() == [
        ["udstillet", None, "udstillet"], ["nye_udfald", "udstillet", "udstillet"]]


def test_an_udfald_on_a_closed_case_is_fredet_but_a_new_event_gives_a_new_case(lager):
    run(lager, D(2024, 5, 15), u(YM1, "flytning", "h1"))
    [sag] = lager.bestil(1, "anna", dato=D(2024, 5, 15))
    lager.visiter(sag, "anna", "henlaeg", dato=D(2024, 5, 16))
    again = run(lager, D(2024, 5, 17), u(YM1, "flytning", "h1"))
    assert (again.fredede_udfald, again.nye_sager) == (1, [])
    assert lager.bestillingsliste().empty
    new = run(lager, D(2024, 5, 18), u(YM1, "flytning", "h1"), u(YM1, "flytning", "h2", dato="2024-05-17"))
    assert (new.fredede_udfald, new.nye_udfald, len(new.nye_sager)) == (1, 1, 1)
    assert new.nye_sager[0] != sag


def test_new_udfald_for_a_ym_whose_case_is_bestilt_start_a_new_case(lager):
    run(lager, D(2024, 5, 15), u(YM1, "flytning", "h1"))
    [sag] = lager.bestil(1, "anna", dato=D(2024, 5, 15))
    res = run(lager, D(2024, 5, 16), u(YM1, "bilkoeb", "c1"))
    assert len(res.nye_sager) == 1 and res.nye_sager[0] != sag
    assert lager.status(sag) == "bestilt"


def test_a_case_expires_on_its_udloebsdato_and_not_the_day_before(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    assert run(lager, D(2024, 8, 14)).udloebne_sager == []
    assert lager.status(sag) == "udstillet"
    res = run(lager, D(2024, 8, 15))
    assert res.udloebne_sager == [sag] and lager.status(sag) == "udloebet"
    last = lager.log(sag).iloc[-1]
    assert (last.haendelse, last.fra, last.til, last.dato) == ("udloeb", "udstillet", "udloebet", D(2024, 8, 15))
    assert last.data == {"aarsag": "ikke behandlet", "udloebsdato": "2024-08-15"}
    assert lager.bestillingsliste().empty
    assert run(lager, D(2024, 8, 15)).udloebne_sager == []     # idempotent


def test_an_ordered_case_does_not_expire(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 20))
    assert run(lager, D(2024, 9, 1)).udloebne_sager == []
    assert lager.status(sag) == "bestilt"


@pytest.mark.parametrize("start, slut", [(D(2023, 11, 30), D(2024, 2, 29)), (D(2024, 1, 31), D(2024, 4, 30)),
                                         (D(2024, 10, 15), D(2025, 1, 15))])
def test_udloebsdato_is_three_months_later_falling_back_to_the_month_end(start, slut):
    assert plus_maaneder(start, 3) == slut


def test_bestil_takes_the_oldest_udloebsdato_first_after_the_filters(lager):
    [a] = run(lager, D(2024, 5, 1), u(YM1, "flytning", "f1")).nye_sager              # only flytning
    [b] = run(lager, D(2024, 5, 2), u(YM2, "flytning", "f2"), u(YM2, "bilkoeb", "c2")).nye_sager
    [c] = run(lager, D(2024, 5, 3), u(YM3, "b_indkomst", "i3", kle="32.18.04")).nye_sager
    assert lager.bestillingsliste()["sag_id"].tolist() == [a, b, c]
    assert lager.bestillingsliste(fravaelg=["flytning", "indkomst"])["sag_id"].tolist() == [b]
    assert lager.bestillingsliste(ydelsesomraade="sygedagpenge")["sag_id"].tolist() == [c]
    assert lager.bestil(1, "anna", fravaelg=["flytning"], dato=D(2024, 5, 4)) == [b]
    assert lager.bestil(5, "bo", dato=D(2024, 5, 4)) == [a, c]
    assert lager.bestil(1, "bo", dato=D(2024, 5, 4)) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"ydelsesomraade": "bolig"}, "Ukendt ydelsesområde 'bolig'"),
    ({"fravaelg": ["flytninger"]}, "Ukendt kontroltype 'flytninger'"),
])
def test_an_unknown_filter_is_named(lager, kwargs, message):
    with pytest.raises(KontrolFejl, match=message):
        lager.bestillingsliste(**kwargs)


def _to_partshoering(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 16))
    lager.visiter(sag, "anna", "partshoering", dato=D(2024, 5, 17))
    return sag


def test_the_whole_way_to_aendret_tildeling_is_logged_with_exact_amounts(lager):
    sag = _to_partshoering(lager)
    lager.afgoer(sag, "anna", "aendret_tildeling", Beloeb(
        besparelse_rytme="maaned", besparelse_beloeb="1.234,56", tilbagebetalingskrav=Decimal("10000.01"),
        efterregulering="-50.10", aendring="stop"), dato=D(2024, 6, 20))
    lg = lager.log(sag)
    assert lg[["dato", "bruger", "haendelse", "fra", "til"]].values.tolist() == [
        [D(2024, 5, 15), "koersel", "udstillet", None, "udstillet"],
        [D(2024, 5, 16), "anna", "bestil", "udstillet", "bestilt"],
        [D(2024, 5, 17), "anna", "visiter", "bestilt", "partshoering"],
        [D(2024, 6, 20), "anna", "afgoer", "partshoering", "aendret_tildeling"]]
    ks = lager.kontrolsager()
    r = ks[ks["sag_id"] == sag].iloc[0]
    assert (r.ydelse, r.besparelse_rytme, r.besparelse_beloeb, r.tilbagebetalingskrav, r.efterregulering,
            r.skat) == ("kontanthjaelp", "maaned", Decimal("1234.56"), Decimal("10000.01"),
                        Decimal("-50.10"), None)


@pytest.mark.parametrize("beloeb, message", [
    (Beloeb(besparelse_rytme="maaned"), "rytme og beløb skal angives sammen"),
    (Beloeb(besparelse_rytme="dag", besparelse_beloeb="1"), "Ukendt besparelsesrytme 'dag'"),
    (Beloeb(tilbagebetalingskrav="12,345"), "mere end to decimaler"),
    (Beloeb(tilbagebetalingskrav="-1"), "kan ikke være negativt"),
    (Beloeb(tilbagebetalingskrav=12.5), "eksakt"),
])
def test_a_bad_amount_is_refused_and_nothing_changes(lager, beloeb, message):
    sag = _to_partshoering(lager)
    with pytest.raises(KontrolFejl, match=message):
        lager.afgoer(sag, "anna", "aendret_tildeling", beloeb)
    assert lager.status(sag) == "partshoering"


def test_amounts_with_a_result_other_than_aendret_tildeling_are_refused(lager):
    sag = _to_partshoering(lager)
    with pytest.raises(KontrolFejl, match="kun registreres, når resultatet er aendret_tildeling"):
        lager.afgoer(sag, "anna", "henlagt_efter_partshoering", Beloeb(tilbagebetalingskrav="1"))


@pytest.mark.parametrize("handling, message", [
    (lambda lg, s: lg.visiter(s, "bo", "henlaeg"), "kan ikke visiteres: den er udstillet"),
    (lambda lg, s: lg.afgoer(s, "bo", "henlagt_efter_partshoering"), "kan ikke afgøres"),
    (lambda lg, s: lg.genbestil(s, "bo"), "kan ikke genbestilles"),
])
def test_an_illegal_transition_gets_a_danish_error_and_changes_nothing(lager, handling, message):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    with pytest.raises(KontrolFejl, match=message) as e:
        handling(lager, sag)
    assert "Intet er ændret" in str(e.value) and not CPR.search(str(e.value))
    assert len(lager.log()) == 1 and lager.status(sag) == "udstillet"


def test_a_case_that_was_not_handled_can_be_put_back_and_ordered_again(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 16))
    assert lager.bestillingsliste().empty
    lager.genbestil(sag, "anna", dato=D(2024, 5, 16))
    assert lager.bestillingsliste()["sag_id"].tolist() == [sag]
    assert lager.bestil(1, "bo", dato=D(2024, 5, 17)) == [sag]


def test_the_prioriteringsliste_shows_cpr_and_the_ydelse_and_its_viewing_is_logged(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1, kle="32.24.10")).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 16))
    pl = lager.prioriteringsliste("bo", formaal="visitering")
    r = pl.iloc[0]
    assert (r.sag_id, r.cpr, r.ydelse, r.bestilt_af, r.bestilt) == (
        sag, YM1, "Integrationsydelse / selvforsørgelses- og hjemrejseydelse (32.24.10)", "anna", D(2024, 5, 16))
    v = lager.visninger()
    assert v[["bruger", "sag_id", "hvad"]].values.tolist() == [["bo", sag, "prioriteringsliste"]]


def test_the_feedbackliste_holds_cases_in_partshoering_and_with_alle_every_outcome(lager):
    sag = _to_partshoering(lager)
    [other] = run(lager, D(2024, 5, 18), u(YM2, "bilkoeb", "c1")).nye_sager
    lager.bestil(1, "anna", dato=D(2024, 5, 18))
    lager.visiter(other, "anna", "henlaeg", dato=D(2024, 5, 18))
    fb = lager.feedbackliste("anna", formaal="visitering")
    assert fb[["sag_id", "cpr", "status"]].values.tolist() == [[sag, YM1, "partshoering"]]
    alle = lager.feedbackliste("anna", alle=True, formaal="visitering")
    assert sorted(alle["status"]) == ["henlagt_i_visitering", "partshoering"]


def test_the_log_and_the_kontrolsager_never_hold_a_cpr_number(lager):
    run(lager, D(2024, 5, 15), u(YM1, person=AEF1, rolle="AEF", tekst=f"ÆF {AEF1} købte bil"))
    sag = lager.bestil(1, "anna", dato=D(2024, 5, 16))[0]
    lager.visiter(sag, "anna", "partshoering")
    for df in (lager.log(), lager.kontrolsager(), lager.sager(), lager.bestillingsliste()):
        assert not any(CPR.search(str(v)) for v in df.to_numpy().ravel())


def test_a_user_name_holding_a_cpr_number_is_refused(lager):
    run(lager, D(2024, 5, 15), u(YM1))
    with pytest.raises(KontrolFejl, match="Brugernavnet må ikke indeholde et CPR-nummer"):
        lager.bestil(1, f"anna{YM1}")
    with pytest.raises(KontrolFejl, match="Brugernavnet er tomt"):
        lager.bestil(1, " ")


def test_fredningsperiode_is_refused_on_a_kontroltrin_2_case(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    lager.bestil(1, "anna")
    with pytest.raises(KontrolFejl, match="kun sættes på sager fra kontroltrin 3"):
        lager.visiter(sag, "anna", "henlaeg", fredningsperiode=6)
    assert lager.status(sag) == "bestilt"


def test_udfald_from_an_unknown_rule_are_refused_and_nothing_is_stored(lager):
    with pytest.raises(KontrolFejl, match="ukendte regler: nyregel"):
        run(lager, D(2024, 5, 15), u(YM1), u(YM2, "nyregel", "x"))
    assert lager.log().empty


def test_reading_the_bestillingsliste_does_not_wait_for_an_open_write_transaction(lager):
    [sag] = run(lager, D(2024, 5, 15), u(YM1)).nye_sager
    anna = lager.aktoer(["sagsbehandler"], "åbne kontrolarket", "anna")
    with lager.skriv() as conn:               # another writer holds the write lock
        lager.vis_personer(conn, anna, [sag], "kontrolark", "visitering")
        assert lager.bestillingsliste()["sag_id"].tolist() == [sag]
        assert lager.visninger().empty        # the reader sees only what is committed
    assert len(lager.visninger()) == 1


def test_a_new_migration_runs_once_and_is_recorded(db_url, tmp_path, monkeypatch):
    from alembic.script import ScriptDirectory

    from kontrol_lib.sager import migrations
    SagsLager(db_url).luk()                              # the released revisions
    # revision 0006 counts its runs: a second run would insert a second row
    v4 = revision(NAESTE, UDGIVNE[-1], "prøve", """
        op.create_table("proeve_v4", sa.Column("x", sa.Integer))
        op.execute("INSERT INTO proeve_v4 (x) VALUES (1)")""")
    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", alembic_kopi(tmp_path, {f"{NAESTE}_proeve.py": v4}))
    SagsLager(db_url).luk()
    lg = SagsLager(db_url)
    with lg.laes() as conn:
        calls = conn.exec_driver_sql("SELECT x FROM proeve_v4").fetchall()
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    script = ScriptDirectory.from_config(migrations.alembic_config())
    recorded = [(s.revision, s.doc) for s in reversed(list(script.walk_revisions()))]
    assert calls == [(1,)] and [tuple(v) for v in versions] == [(NAESTE,)]
    assert recorded == [("0001", "The schema as first released: skema_version, sager, overgange, udfald, "
                                 "beloeb, visninger."),
                        ("0002", "The hand-written version table skema_version is replaced by Alembic's "
                                 "alembic_version."),
                        ("0003", "The log enforced by the database: triggers refuse UPDATE and DELETE, and a "
                                 "hash chain."),
                        ("0004", "Identity, roles and purposes in the log (spec/sikkerhed.md)."),
                        ("0005", "PostgreSQL: the database decides who can read what (spec/sikkerhed.md). A no-op "
                                 "on SQLite."),
                        ("0006", "The three KL effektmåling fields of the import format on the case: sagstype,\n"
                                 "selvstaendig_erhvervsdrivende and virksomhedskontrol (issue 13: nothing lost on import)."),
                        ("0007", "PostgreSQL: the analytiker's pseudonyms are computed by the database "
                                 "(spec/sikkerhed.md). A no-op on SQLite."),
                        ("0008", "Fredning by a keyed hash of the CPR number, not the number itself "
                                 "(spec/sikkerhed.md, issue 13)."),
                        ("0009", "Erasure of personal data after the retention period: ``kontrol slet`` "
                                 "(spec/sikkerhed.md, issue 13)."),
                        ("0010", "A register of the product's own files with personal data, so ``kontrol slet`` "
                                 "erases them too\n(spec/sikkerhed.md, issue 13)."),
                        ("0011", "The bestand's size per sex and age band, recorded at samkøring time (issue 17: "
                                 "fairness)."),
                        ("0012", "Case notes, linked cases and company (CVR) cases for the caseworker's day "
                                 "(issue 16)."),
                        ("0013", "Erasure of the caseworkers' free text: ``kontrol slet`` also erases notes "
                                 "and reasons (issue 16)."),
                        (NAESTE, "prøve")]


def test_a_store_that_cannot_be_reached_is_a_danish_error_without_the_password(tmp_path):
    with pytest.raises(KontrolFejl, match="Kan ikke åbne sagslageret") as e:
        SagsLager(f"postgresql://kontrol:hemmelig@/ingen?host={tmp_path}")
    assert "hemmelig" not in str(e.value)


# ---------------------------------------------------------------- the one mechanism for findings
def _intern_attributter(foerste):
    return {"myndighed": "kommune", "paragraf11": "ja", "ydelse": "sygedagpenge", "kle": foerste["kle"],
            "ydelsesomraade": "sygedagpenge"}


def _fund(ym, regel, hid, kommune=151):
    r = u(ym, regel, hid, kommune=kommune)
    return dict(r, regel_titel=f"Titel {regel}", kontroltype="tip")


def test_any_kilde_puts_its_findings_on_the_list_grouped_joined_and_fredet_by_the_same_mechanism(lager):
    import pandas as pd

    from kontrol_lib.sager import Kilde
    kilde = Kilde(kanal="intern", kontroltrin=3, gruppering=("ym_cpr", "regel"), orden=("haendelse_id",),
                  tilslutning=("ym_cpr", "kommunekode", "regel"), sagsattributter=_intern_attributter,
                  overgangsdata=lambda grp: {"kilde": "intern"}, stamdata=lambda snap, f: {**snap, "x": 1})
    a = lager.udstil_fund(pd.DataFrame([_fund(YM1, "r1", "h1"), _fund(YM1, "r1", "h2"), _fund(YM1, "r2", "h1")]),
                          D(2024, 5, 15), "anna", kilde, stamdata={YM1: {"cpr": YM1}})
    assert (a.fund, a.fredede, a.i_fredningsperiode, a.antal_nye, len(a.nye_sager), a.udvidede_sager) == \
        (3, 0, 0, 3, 2, [])
    s = lager.sag(a.nye_sager[0], formaal="visitering")
    assert (s["kanal"], s["kontroltrin"], s["myndighed"], s["paragraf11"], s["ydelse"], s["kle"],
            s["udloebsdato"], s["stamdata"]) == ("intern", 3, "kommune", "ja", "sygedagpenge", "32.24.04",
                                                 D(2024, 8, 15), {"cpr": YM1, "x": 1})
    log = lager.log(a.nye_sager[0])
    assert log["data"].tolist() == [{"koersel": "2024-05-15", "antal_udfald": 2, "kilde": "intern"}]
    # the same findings again: all fredet; a new one of rule r2 joins r2's case, not r1's
    b = lager.udstil_fund(pd.DataFrame([_fund(YM1, "r1", "h1"), _fund(YM1, "r2", "h9")]), D(2024, 5, 16), "anna",
                          kilde)
    assert (b.fund, b.fredede, b.antal_nye, b.nye_sager, b.udvidede_sager) == (2, 1, 1, [], [a.nye_sager[1]])
    assert lager.log(a.nye_sager[1])["haendelse"].tolist() == ["udstillet", "nye_udfald"]
    # the samkøring's udstillet case of the same person is not joined by another kanal's findings
    c = run(lager, D(2024, 5, 17), u(YM1, "flytning", "h1"))
    assert len(c.nye_sager) == 1 and c.nye_sager[0] not in a.nye_sager


def test_the_daily_run_refuses_an_empty_user_before_anything_is_written(lager):
    with pytest.raises(KontrolFejl, match="Brugernavnet er tomt"):
        koer_udfald(lager, frame(u(YM1, "flytning", "h1")), D(2024, 5, 15), bruger=" ", regler=REGLER)
    assert lager.sager().empty and lager.log().empty


def test_nothing_outside_the_case_store_reaches_into_its_private_members():
    from pathlib import Path

    import kontrol_lib
    rod = Path(kontrol_lib.__file__).parent
    # (the advisory lock keys are public in sager/grundlag.py: the daily run, a job, takes the run lock)
    privat = re.compile(r"lager\._|sager\.\w+ import \(?[^)\n]*\b_\w")
    brud = [f"{p.relative_to(rod)}:{i}" for p in sorted(rod.rglob("*.py")) if "sager" not in p.parts
            for i, linje in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if privat.search(linje)]
    assert brud == []
