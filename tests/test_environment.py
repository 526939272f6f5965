"""environment.yml, pyproject.toml and requirements.lock pin the same direct dependencies."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[\[=<>!~ ]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_pins_exactly_the_pyproject_dependencies():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(p for p in pip if p != "-e .") == sorted(deps)
    assert all("==" in d for d in deps), "every direct dependency is pinned"


def test_the_lock_file_agrees_with_every_direct_pin():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            lock[_name(name)] = version.strip()
    for d in deps:
        name, version = _name(d), d.split("==")[1]
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"


def test_python_version_agrees():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11,<3.12"


def test_every_command_help_is_danish():
    """argparse's own headings are English; every `kontrol` command and the app launcher say it in Danish."""
    import io
    from contextlib import redirect_stdout

    from kontrol_lib.flader.cli import build_parser, main
    parser = build_parser()
    names = list(parser._subparsers._group_actions[0].choices)
    assert len(names) > 20
    for name in names + [None]:
        out = io.StringIO()
        with redirect_stdout(out):
            try:
                main(([name] if name else []) + ["-h"])
            except SystemExit as e:
                assert e.code == 0
        text = out.getvalue()
        assert text.startswith("brug: "), name
        assert "usage:" not in text and "options:" not in text and "positional arguments" not in text, name
