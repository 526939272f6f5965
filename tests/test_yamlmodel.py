"""The YAML files a user edits: the pydantic models load the shipped files to exactly the values
the hand-written loaders gave, and every problem of a bad file is reported at once in Danish."""

from pathlib import Path

from yaml_snapshot import snapshot

FOER = Path(__file__).resolve().parent / "data" / "yaml_indlaest.txt"


def test_the_shipped_files_load_to_exactly_the_values_of_the_hand_written_loaders():
    foer = FOER.read_text(encoding="utf-8").splitlines()
    nu = snapshot().splitlines()
    assert [n.split(":")[0] for n in nu] == [f.split(":")[0] for f in foer]
    for f, n in zip(foer, nu):
        assert n == f
