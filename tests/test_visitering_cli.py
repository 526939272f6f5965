"""The caseworker's tools on the command line (issue 16): thin faces over the store's API
(``kontrol soeg``, ``note``, ``noter``, ``genaabn``, ``tilknyt``, ``virksomhedssag``), identity
from the login (a test store here), Danish help and errors, and no CPR number in an error."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from kontrol_lib.flader.cli import main
from kontrol_lib.sager import SagsLager
from test_visitering_hjaelp import YM_A, YM_B, seed

D = dt.date


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    ids = seed(url, D(2024, 5, 1))
    return str(tmp_path / "k.sqlite"), url, ids


def cli(capsys, *args):
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def visninger(url, hvad):
    lg = SagsLager(url)
    try:
        v = lg.visninger(bruger="tilsyn")
        return v[v["hvad"] == hvad][["sag_id", "formaal"]].values.tolist()
    finally:
        lg.luk()


def test_soeg_finds_the_person_s_cases_with_or_without_dash_and_logs_the_purpose(db, capsys):
    fil, url, ids = db
    rc, out, err = cli(capsys, "soeg", "--cpr", f"{YM_A[:6]}-{YM_A[6:]}", "--formaal", "visitering", "--db", fil)
    assert rc == 0 and err == ""
    assert ids["A"] in out and ids["B"] not in out and YM_A in out
    assert out.splitlines()[-1] == "1 sager for personen (visningen er logget med formålet visitering)."
    assert visninger(url, "personsoegning") == [[ids["A"], "visitering"]]


def test_soeg_reads_the_number_from_stdin_and_an_unknown_person_has_no_cases(db, capsys, monkeypatch):
    fil, _url, ids = db
    monkeypatch.setattr("sys.stdin", io.StringIO(YM_B + "\n"))
    rc, out, _ = cli(capsys, "soeg", "--cpr", "-", "--formaal", "klage", "--db", fil)
    assert rc == 0 and ids["B"] in out
    rc, out, _ = cli(capsys, "soeg", "--cpr", "3112999999", "--formaal", "klage", "--db", fil)
    assert (rc, out) == (0, "Ingen sager for personen i sagslageret.\n")


@pytest.mark.parametrize("args, fejl", [
    (["--cpr", "01018012345"], "Fejl: Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); det angivne har det ikke\n"),
    (["--cpr", "01018012"], "Fejl: Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); det angivne har det ikke. "
                            "Søg efter en virksomhed med --cvr\n"),
    (["--cvr", "0101801234"], "Fejl: Et CVR-nummer har 8 cifre; det angivne har det ikke\n"),
])
def test_soeg_errors_are_danish_and_never_repeat_the_number(db, capsys, args, fejl):
    fil, _url, _ids = db
    rc, out, err = cli(capsys, "soeg", *args, "--formaal", "visitering", "--db", fil)
    assert (rc, out, err) == (1, "", fejl)


def test_soeg_needs_a_purpose(db, capsys):
    fil, _url, _ids = db
    rc, out, err = cli(capsys, "soeg", "--cpr", YM_A, "--db", fil)
    assert rc == 1 and "formål" in err.lower() and YM_A not in err


def test_note_adds_noter_lists_and_a_cpr_in_the_text_is_refused_without_repeating_it(db, capsys):
    fil, url, ids = db
    rc, out, _ = cli(capsys, "note", ids["A"], "--tekst", "Borgeren ringede", "--db", fil)
    assert (rc, out) == (0, f"Notatet er gemt på sag {ids['A']} (af koersel, 16 tegn).\n")
    rc, out, err = cli(capsys, "note", ids["A"], "--tekst", f"Ægtefællen er {YM_B}", "--db", fil)
    assert rc == 1 and out == "" and YM_B not in err and err.startswith("Fejl: Notatet indeholder noget, der ligner")
    rc, out, _ = cli(capsys, "noter", ids["A"], "--formaal", "partshoering", "--db", fil)
    linjer = out.splitlines()
    assert rc == 0 and linjer[0].split() == ["skrevet", "(dansk", "tid)", "af", "rolle", "notat"]
    assert linjer[2].endswith("koersel  sagsbehandler  Borgeren ringede") and len(linjer) == 3
    assert visninger(url, "noter") == [[ids["A"], "partshoering"]]
    rc, out, _ = cli(capsys, "noter", ids["B"], "--formaal", "partshoering", "--db", fil)
    assert out == f"Ingen notater på sag {ids['B']}.\n"


def test_genaabn_reopens_a_closed_case_with_a_reason(db, capsys):
    fil, url, ids = db
    lg = SagsLager(url)
    lg.bestil(1, "anna", dato=D(2024, 5, 10))
    lg.visiter(ids["A"], "anna", "henlaeg", dato=D(2024, 5, 10))
    lg.luk()
    rc, out, err = cli(capsys, "genaabn", ids["B"], "--grund", "Klage", "--db", fil)
    assert (rc, err) == (1, f"Fejl: Sagen {ids['B']} er ikke afsluttet og kan derfor ikke genåbnes. Intet er ændret.\n")
    rc, out, _ = cli(capsys, "genaabn", ids["A"], "--grund", "Ny anmeldelse", "--dato", "2024-05-12", "--db", fil)
    assert (rc, out) == (0, f"Sagen {ids['A']} er genåbnet: bestilt (på prioriteringslisten).\n")
    lg = SagsLager(url)
    assert lg.log(ids["A"]).iloc[-1][["haendelse", "dato"]].tolist() == ["genaabn", D(2024, 5, 12)]
    lg.luk()


def test_tilknyt_links_shows_and_removes(db, capsys):
    fil, _url, ids = db
    a, b = ids["A"], ids["B"]
    assert cli(capsys, "tilknyt", a, b, "--db", fil)[2] == "Fejl: Angiv en begrundelse med --grund\n"
    assert cli(capsys, "tilknyt", a, b, "--grund", "Samme husstand", "--db", fil)[1] == \
        f"Sagerne {a} og {b} er kædet sammen.\n"
    rc, out, _ = cli(capsys, "tilknyt", b, "--db", fil)
    assert rc == 0 and out.splitlines()[0].split()[:2] == ["sag", "begrundelse"]
    assert out.splitlines()[2].startswith(f"{a}  Samme husstand")
    assert cli(capsys, "tilknyt", a, b, "--grund", "Fejl", "--fjern", "--db", fil)[1] == \
        f"Sammenkædningen af sagerne {a} og {b} er fjernet.\n"
    assert cli(capsys, "tilknyt", a, "--db", fil)[1] == f"Sag {a} er ikke kædet sammen med andre sager.\n"


def test_virksomhedssag_creates_a_company_case_and_warns_of_an_open_one(db, capsys):
    fil, url, _ids = db
    args = ["virksomhedssag", "--cvr", "1234 5678", "--kommune", "151", "--ydelse", "kontanthjaelp",
            "--grund", "Anmeldelse om sort arbejde", "--dato", "2024-05-12", "--db", fil]
    rc, out, err = cli(capsys, *args)
    [v1] = [w for w in out.split() if w.count("-") == 1 and len(w) == 9]
    assert (rc, err) == (0, "") and out == f"Virksomhedskontrollen er oprettet som sag {v1} og ligger på prioriteringslisten.\n"
    rc, out, err = cli(capsys, *args)
    [v2] = [w for w in out.split() if w.count("-") == 1 and len(w) == 9]
    assert rc == 0 and err == (f"Advarsel: Sag {v2}: samme person og ydelse har allerede en åben sag ({v1}).\n")
    lg = SagsLager(url)
    ks = lg.sager()
    assert ks.loc[ks["sag_id"] == v1, ["kanal", "cvr"]].values.tolist() == [["virksomhedskontrol", "12345678"]]
    lg.luk()
    rc, _out, err = cli(capsys, "virksomhedssag", "--cvr", "123", "--kommune", "151", "--ydelse", "kontanthjaelp",
                        "--grund", "x", "--db", fil)
    assert (rc, err) == (1, "Fejl: Et CVR-nummer har 8 cifre; det angivne har det ikke\n")


@pytest.mark.parametrize("navn, ord_", [
    ("soeg", "standard input"), ("note", "CPR-nummer"), ("noter", "ældste først"), ("genaabn", "korrektion"),
    ("tilknyt", "begrundelse"), ("virksomhedssag", "advarsel")])
def test_the_help_of_the_new_commands_is_danish(capsys, navn, ord_):
    with pytest.raises(SystemExit) as e:
        main([navn, "-h"])
    ud = capsys.readouterr().out
    assert e.value.code == 0 and ud.startswith(f"brug: kontrol {navn}") and ord_ in " ".join(ud.split())


# ---------------------------------------------------------------- imported cases and duplicates
KOPI = ("sag_id;kommunekode;kanal;kontroltrin;ydelse;myndighed;paragraf11;oprettet;afsluttet;resultat;"
        "besparelse_rytme;besparelse_beloeb;tilbagebetalingskrav;efterregulering;skat;politianmeldt;videresendt_til\n"
        "IMP-1;151;intern;2;kontanthjaelp;kommune;nej;2024-04-02;;;;;;;;;\n"
        "IMP-2;151;intern;2;kontanthjaelp;kommune;nej;2024-04-03;;;;;;;;;\n"
        "IMP-3;151;intern;2;kontanthjaelp;kommune;nej;2024-01-03;2024-03-01;henlagt_i_visitering;;;;;;;\n")


def test_imported_cases_have_no_cpr_so_the_import_report_says_they_cannot_be_duplicate_checked(db, capsys, tmp_path):
    """Decision (docs/arbejdsgang.md): kontrolsager.csv has no person, so an imported case is
    matched only by its own sag_id (a re-import); the report names the open ones that the
    duplicate check can never compare, and a new case of a person is not matched against them."""
    fil, url, ids = db
    csv = tmp_path / "kontrolsager.csv"
    csv.write_text(KOPI, encoding="utf-8")
    rc, out, _ = cli(capsys, "importer-sager", "--sager", str(csv), "--db", fil)
    assert rc == 0 and out.splitlines()[-6:] == [
        "  nye: 3", "  afsluttede: 0", "  korrektioner: 0", "  uaendrede: 0", "  aabne_uden_cpr: 2",
        "Bemærk: 2 nye åbne sager fra filen har intet CPR-nummer (importformatet har ingen person), så de kan "
        "ikke indgå i dubletkontrollen (samme person og ydelse); en sag i filen genkendes kun på sit eget sags-id."]
    rc, out, _ = cli(capsys, "importer-sager", "--sager", str(csv), "--db", fil)       # again: known by sag_id
    assert rc == 0 and "  uaendrede: 3" in out and "Bemærk" not in out
    lg = SagsLager(url)
    try:                                  # A (kontanthjælp, open) is no duplicate of IMP-1/IMP-2, nor they of it
        assert [lg.dubletter([s]) for s in (ids["A"], "IMP-1", "IMP-2")] == [[], [], []]
    finally:
        lg.luk()


def test_a_list_on_screen_describes_a_run_and_its_csv_keeps_the_name(tmp_path, capsys):
    import pandas as pd
    from kontrol_lib.flader.argumenter import vis_eller_skriv
    df = pd.DataFrame({"sag_id": ["S-1", "S-2"], "bestilt_af": ["daglig_koersel", "anna"]})
    vis_eller_skriv(df, None, "tom")
    assert capsys.readouterr().out.splitlines()[2:] == ["S-1     Daglig kørsel (automatisk)", "S-2     anna"]
    vis_eller_skriv(df, tmp_path / "l.csv", "tom")
    assert (tmp_path / "l.csv").read_text(encoding="utf-8") == "sag_id,bestilt_af\nS-1,daglig_koersel\nS-2,anna\n"
