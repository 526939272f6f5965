"""Store URLs: a relative SQLite path means the caller's folder, in every process it is handed to;
a reader never creates an empty store by mistake."""

from pathlib import Path

import pytest

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.rapporter.koersel import Bestilling, parametre_til_notebook, tjek_bestilling
from kontrol_lib.parametre.kommune import hent_kommune
from kontrol_lib.sager import SagsLager
from kontrol_lib.sager.lager import sqlite_fil, standard_url


def test_a_relative_sqlite_url_is_made_absolute_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert standard_url("sqlite:///data/k.sqlite") == f"sqlite:///{tmp_path}/data/k.sqlite"
    assert standard_url("data/k.sqlite") == f"sqlite:///{tmp_path}/data/k.sqlite"
    assert standard_url(f"sqlite:///{tmp_path}/k.sqlite") == f"sqlite:///{tmp_path}/k.sqlite"
    assert sqlite_fil("sqlite:///:memory:") is None
    assert sqlite_fil("postgresql+psycopg://u@h/kontrol") is None


def test_a_reader_does_not_create_a_missing_store(tmp_path):
    with pytest.raises(KontrolFejl, match="Sagslageret findes ikke"):
        SagsLager(f"sqlite:///{tmp_path}/mangler.sqlite", opret=False)
    assert not (tmp_path / "mangler.sqlite").exists()
    SagsLager(f"sqlite:///{tmp_path}/ny.sqlite").luk()       # a writer creates it
    SagsLager(f"sqlite:///{tmp_path}/ny.sqlite", opret=False).luk()


def test_the_report_kernel_gets_an_absolute_store_path_and_a_missing_store_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    SagsLager("sqlite:///k.sqlite").luk()
    b = Bestilling(kommune=151, aar=2023, typer=("aarsrapport",), db="sqlite:///k.sqlite")
    p = tjek_bestilling(b)
    assert parametre_til_notebook(b, p)["db"] == f"sqlite:///{tmp_path}/k.sqlite"
    with pytest.raises(KontrolFejl, match="Sagslageret findes ikke"):
        tjek_bestilling(Bestilling(kommune=151, aar=2023, typer=("aarsrapport",), db="sqlite:///andet.sqlite"))
    assert not Path(tmp_path / "andet.sqlite").exists()
    assert hent_kommune(151, 2023).kommunekode == 151
