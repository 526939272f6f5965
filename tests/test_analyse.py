"""The analyst's notebook shows pseudonyms only (issue 12, item 2): udforskning.ipynb run with
papermill on synthetic registers and a synthetic case store, as an analytiker (every output
scanned for anything CPR-shaped; the pseudonyms of the test key are there), as a person without
the role (the Danish refusal, nothing else runs), and the sections for a leder. All data synthetic."""

import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from notebookkoersel import koer_notebook
from test_pseudonym import TESTNOEGLE
from test_samkoering import bil, ind

from kontrol_lib.jobs.daglig import koer
from kontrol_lib.rapporter import analyse as an
from kontrol_lib.rapporter import benchmarkrapport as br
from kontrol_lib.rapporter import indhold
from kontrol_lib.rapporter.adgang import Adgang, Afvisning, adgang
from kontrol_lib.regler.byg import skriv_mappe
from kontrol_lib.regler.tilfaelde import AEF, YM, D, grund, med
from kontrol_lib.sager import SagsLager
from kontrol_lib.vokabular.pseudonym import Pseudonymer, pseudonym

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "udforskning.ipynb"
CPR = re.compile(r"\d{6}-?\d{4}")
ANDRE = ["1212901111", "1312901112", "1412901113"]          # three unrelated adults at the YM's address


def _verden(tmp_path: Path) -> Path:
    """Registers where the samkøring finds the YM (B-income) and the spouse (a car), and the
    notebook's example criterion (3 other adults at the address) selects the YM."""
    t = med(grund(), eindkomst=[ind(YM, 5, "2024-03-01", "600")], biler=[bil(AEF, "koeb", "2024-03-03", "2020-01-01")],
            personer=[{"cpr": c, "foedselsdato": "1990-12-12"} for c in ANDRE],
            adresser=[{"cpr": c, "adresse_id": "A1", "kommunekode": 151, "fra_dato": "2019-01-01"}
                      for c in ANDRE])
    return skriv_mappe(tmp_path / "data", t)


def _lager(tmp_path: Path, data: Path, roller: dict[str, list[str]]) -> str:
    url = f"sqlite:///{tmp_path / 'kontrol.sqlite'}"
    lager = SagsLager(url)
    koer(data, D, lager=lager, bruger="anna")
    lager.giv_roller("anna", ["administrator"], bruger="anna")     # the first grant: roles apply from now
    for person, r in roller.items():
        lager.giv_roller(person, r, bruger="anna")
    lager.luk()
    return url


@pytest.fixture
def testnoegle(tmp_path, monkeypatch):
    sti = tmp_path / "noegle"
    sti.write_text(TESTNOEGLE.hex() + "\n")
    sti.chmod(0o600)
    monkeypatch.setenv("KONTROL_NOEGLE", str(sti))
    return sti


def _koer(tmp_path, db: str, data: Path, person: str, monkeypatch):
    monkeypatch.setenv("KONTROL_TESTIDENTITET", person)          # the kernel inherits the environment
    out = tmp_path / "udforskning.ipynb"
    koer_notebook(str(NOTEBOOK), str(out), cwd=str(ROOT / "notebooks"),
                  kernel_name="python3",
                  parameters={"kommune": 151, "aar": 2024, "sager": "", "db": db, "benchmark": "",
                              "data": str(data), "dato": D.isoformat()})
    return out


def _uddata(nb) -> str:
    """Every output of every code cell as text; Vega's inlined JavaScript (whose constants can look
    like a CPR number) and altair's random element ids cut out of the HTML, the chart data kept."""
    dele = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            dele.append(o.get("text", "") + o.get("evalue", "") + "\n".join(o.get("traceback", [])))
            for mime, v in o.get("data", {}).items():
                v = v if isinstance(v, str) else str(v)
                if mime == "text/html":
                    data = " ".join(re.findall(r'"values":\s*(\[.*?\])', v, flags=re.DOTALL))
                    v = re.sub(r"<script.*?</script>", " ", v, flags=re.DOTALL) + data
                # random ids (altair's element ids, widget and display ids: uuid4 in hex, with or
                # without dashes) can hold ten digits in a row; they are not data
                v = re.sub(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "<id>", v)
                dele.append(v)
    return "\n".join(dele)


def test_the_analytiker_sees_pseudonyms_and_no_cpr_number_anywhere_in_the_notebook(tmp_path, testnoegle, monkeypatch):
    data = _verden(tmp_path)
    db = _lager(tmp_path, data, {"alma": ["analytiker"]})
    out = _koer(tmp_path, db, data, "alma", monkeypatch)
    tekst = _uddata(nbformat.read(out, as_version=4))
    assert [tekst[max(0, m.start() - 80):m.end() + 20] for m in CPR.finditer(tekst)] == []
    assert "Logget ind som alma med rollen analytiker" in tekst
    p_ym, p_aef = pseudonym(YM, TESTNOEGLE), pseudonym(AEF, TESTNOEGLE)
    assert p_ym in tekst and p_aef in tekst                     # udfald, the store's cases, the criterion's hits
    assert "2 udfald i samkøringen" in tekst and "1 sager i sagslageret" in tekst and "1 fund" in tekst
    assert "Listen ville udvælge 1 personer." in tekst
    # the raw file holds no CPR either (the scan above left out only Vega's own code)
    raw = re.sub(r"<script.*?</script>", " ", out.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert [c for c in [YM, AEF, *ANDRE] if c in raw] == []


def test_a_person_without_the_role_gets_the_danish_refusal_and_nothing_else_runs(tmp_path, testnoegle, monkeypatch):
    data = _verden(tmp_path)
    db = _lager(tmp_path, data, {"bo": ["sagsbehandler"]})
    with pytest.raises(pm.PapermillExecutionError) as e:
        _koer(tmp_path, db, data, "bo", monkeypatch)
    saetning = ("Adgang nægtet: bo har ikke rollen analytiker eller leder, som kræves for at udforske kontroldata. "
                "En administrator kan tildele rollen (kontrol rolle --giv). Forsøget er logget.")
    assert e.value.evalue == saetning
    nb = nbformat.read(tmp_path / "udforskning.ipynb", as_version=4)
    koderne = [c for c in nb.cells if c.cell_type == "code"]
    i = next(i for i, c in enumerate(koderne) if "adgang.adgang(db)" in c.source)
    assert [(o.output_type, o.traceback) for o in koderne[i].outputs] == [("error", [saetning])]  # no traceback
    assert koderne[i + 1:] and all(not c.outputs for c in koderne[i + 1:])    # nothing after the check ran
    lager = SagsLager(db)
    assert list(lager.afvisninger(bruger="anna")["bruger"]) == ["bo"]
    lager.luk()


def test_a_leder_is_let_in_but_refused_the_pseudonymised_rows(tmp_path, testnoegle, monkeypatch):
    data = _verden(tmp_path)
    db = _lager(tmp_path, data, {"lis": ["leder"]})
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "lis")
    a = adgang(db)
    assert (a.person, a.rolle) == ("lis", "leder")
    for dele in (an.sager_i_lageret(a, 151), an.udfald_af_samkoering(a, str(data), D.isoformat(), 151)):
        assert [type(d).__name__ for d in dele] == ["Mangler"]
        assert "lis har ikke rollen analytiker, som kræves for at se pseudonymiserede data" in dele[0].tekst


def test_without_a_store_the_notebook_runs_on_files_with_pseudonyms_and_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("KONTROL_DB", raising=False)
    a = adgang("")
    assert a.rolle is None and a.db == ""
    assert "rollen kontrolleres ikke" in an.om_adgang(a)[0].tekst
    dele = an.udfald_af_samkoering(a, str(_verden(tmp_path)), D.isoformat(), 151, p=Pseudonymer(TESTNOEGLE))
    assert list(dele[1].data["ym_pseudonym"]) == [pseudonym(YM, TESTNOEGLE)] * 2
    assert "ikke angivet et sagslager" in an.sager_i_lageret(a)[0].tekst


def test_a_refusal_in_a_notebook_is_rendered_as_its_sentence():
    assert Afvisning("Adgang nægtet: x.")._render_traceback_() == ["Adgang nægtet: x."]
    assert isinstance(Adgang("x", None, ""), Adgang)


def test_the_reports_read_the_store_through_the_role_checks_and_refuse_in_one_sentence(tmp_path, monkeypatch):
    """The annual report, the briefing and udforskning read the store through SagsLager.kontrolsager,
    korrektioner and log (leder or analytiker; the log leder or tilsyn): a caseworker is refused with
    the store's Danish sentence (rendered without a traceback in a notebook); an analytiker's report
    goes without the log (then there is no own funnel, and one sentence says why)."""
    data = _verden(tmp_path)
    db = _lager(tmp_path, data, {"bo": ["sagsbehandler"], "alma": ["analytiker"], "lis": ["leder"]})
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "bo")
    with pytest.raises(Afvisning) as e:
        indhold.hent_kilde(151, db=db)
    assert str(e.value) == ("Adgang nægtet: bo har ikke rollen leder eller analytiker, som kræves for at se "
                            "kontrolsagerne. En administrator kan tildele rollen (kontrol rolle --giv). "
                            "Forsøget er logget.")
    with pytest.raises(Afvisning):
        br.afstemning(None, "2024-04", 151, db)
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "alma")
    assert indhold.hent_kilde(151, db=db).log is None
    monkeypatch.setenv("KONTROL_TESTIDENTITET", "lis")
    assert len(indhold.hent_kilde(151, db=db).log) == 1


def test_a_register_folder_the_analyst_cannot_read_is_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    """On the team server only the service identity reads register folders with CPR numbers
    (docs/drift.md, PostgreSQL-roller): the samkøring section says so (access faked: tests run as root)."""
    monkeypatch.delenv("KONTROL_DB", raising=False)
    data = _verden(tmp_path)
    monkeypatch.setattr(an.os, "access", lambda sti, tilstand: str(sti) != str(data))
    monkeypatch.setattr(an, "samkoer", lambda *a, **k: pytest.fail("registermappen blev læst"))
    [del_] = an.udfald_af_samkoering(adgang(""), str(data), D.isoformat(), 151, p=Pseudonymer(TESTNOEGLE))
    assert type(del_).__name__ == "Mangler" and "du kan ikke læse registermappen" in del_.tekst
