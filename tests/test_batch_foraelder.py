"""A batch's workers and kernels die with it (issue 13, item 7).

``kontrol batch`` is killed with ``kill -9`` while its worker's kernel is running a (tiny, slow)
report notebook: within a bounded time neither the worker nor the kernel is left, and no report
is published afterwards. A time limit ends the workers too and publishes nothing.

The batch runs from a small script that points the report runner at a folder of stand-in
notebooks; the script's top level runs again in each spawned worker (multiprocessing's spawn
re-imports the main script), so the workers use the stand-ins as well.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from kontrol_lib.rapporter import koersel

ROOT = Path(__file__).resolve().parents[1]
BALLERUP = ROOT / "tests" / "data" / "provenu" / "ballerup_2019_2023.csv"
SOV = 4.0          # seconds the stand-in report sleeps after telling who it is

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def lever(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie waiting for its reaper counts as gone)."""
    try:
        felter = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return felter[0] not in ("Z", "X")


def vent(betingelse, sekunder: float) -> bool:
    slut = time.monotonic() + sekunder
    while time.monotonic() < slut:
        if betingelse():
            return True
        time.sleep(0.1)
    return betingelse()


@pytest.fixture
def opsaetning(tmp_path):
    """A stand-in ``udvalgsorientering`` notebook that writes its kernel's and worker's pid to
    ``maerker/`` and then sleeps; a plan for one municipality; the script that runs the batch."""
    nb_mappe, maerker = tmp_path / "notebooks", tmp_path / "maerker"
    nb_mappe.mkdir()
    maerker.mkdir()
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell('kommune = 0\naar = 0\nsager = ""\ndb = ""\nbenchmark = ""')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(
        "import os, pathlib, time\n"
        f"pathlib.Path({str(maerker)!r}, f'kerne-{{os.getpid()}}').write_text(str(os.getppid()))\n"
        f"time.sleep({SOV})\n"
        "print('færdig')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, nb_mappe / "udvalgsorientering.ipynb")
    (tmp_path / "plan.yaml").write_text(
        f"sager: {BALLERUP}\naar: 2023\nkommuner: [151]\ntyper: [udvalgsorientering]\nworkers: 1\npdf: false\n"
        f"ud: {tmp_path / 'reports'}\n", encoding="utf-8")
    script = tmp_path / "koer_batch.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\n"
        "from kontrol_lib.rapporter import koersel\n"
        f"koersel.NOTEBOOK_MAPPE = Path({str(nb_mappe)!r})\n"
        "if __name__ == '__main__':\n"
        "    from kontrol_lib.flader.cli import main\n"
        "    sys.exit(main(['batch', sys.argv[1], '--stille'] + sys.argv[2:]))\n", encoding="utf-8")
    return tmp_path, script, maerker


def start(tmp_path, script, *ekstra):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    return subprocess.Popen([sys.executable, str(script), str(tmp_path / "plan.yaml"), *ekstra], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def pids(maerker: Path) -> list[int]:
    """The kernels and workers the stand-in notebook has reported."""
    ud = []
    for f in maerker.glob("kerne-*"):
        ud += [int(f.name.split("-")[1]), int(f.read_text() or 0)]
    return [p for p in ud if p]


def ryd_op(proc, maerker):
    for pid in pids(maerker):
        if lever(pid):
            os.kill(pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)


# kerne: the workers run the notebook in a Jupyter kernel (``--kerne``); uden_kerne: in their own
# process (the default since issue 15), where the stand-in's "kernel" is the worker itself.
KERNER = pytest.mark.parametrize("med_kerne", [True, False], ids=["kerne", "uden_kerne"])


@KERNER
def test_kill_9_of_the_batch_ends_its_worker_and_kernel_and_nothing_is_published_after(opsaetning, med_kerne):
    tmp_path, script, maerker = opsaetning
    proc = start(tmp_path, script, *(["--kerne"] if med_kerne else []))
    try:
        assert vent(lambda: any(maerker.glob("kerne-*")) or proc.poll() is not None, 90), "ingen kerne startede"
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)                                   # the marker is written in full
        kerne, worker = pids(maerker)
        if not med_kerne:                                 # the notebook ran in the worker itself
            assert worker == proc.pid
            worker = kerne
        assert lever(kerne) and lever(worker) and worker != proc.pid
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert vent(lambda: not lever(kerne) and not lever(worker), 10), (
            f"efter kill -9: arbejder lever={lever(worker)}, kerne lever={lever(kerne)}")
        time.sleep(SOV + 4)                 # past the moment the report would have been published
        reports = tmp_path / "reports"
        assert not (reports / "151-ballerup" / "2023").exists()
        # at most the unfinished staging folder (".2023.tmp-…", never shown to readers) is left
        publiceret = [p for p in reports.rglob("*") if p.is_file()
                      and not any(d.startswith(".") for d in p.relative_to(reports).parts)] if reports.exists() else []
        assert publiceret == []
    finally:
        ryd_op(proc, maerker)


@KERNER
def test_the_time_limit_ends_the_worker_and_kernel_and_publishes_nothing(opsaetning, med_kerne):
    tmp_path, script, maerker = opsaetning
    proc = start(tmp_path, script, "--tidsgraense", "1", *(["--kerne"] if med_kerne else []))
    try:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err.decode()
        assert "151 2023: tidsgrænsen på 1 sekunder blev nået; intet offentliggjort" in out.decode()
        assert vent(lambda: not any(lever(p) for p in pids(maerker)), 10)
        time.sleep(SOV + 2)
        assert not (tmp_path / "reports" / "151-ballerup" / "2023").exists()
    finally:
        ryd_op(proc, maerker)


def test_a_worker_told_its_batch_is_gone_publishes_nothing_and_leaves_no_staging(tmp_path, monkeypatch):
    def koer_notebook(navn, parametre, ud, kerne=None):
        nb = nbformat.v4.new_notebook()
        nbformat.write(nb, ud)
        return nb
    monkeypatch.setattr(koersel, "koer_notebook", koer_notebook)
    b = koersel.Bestilling(kommune=151, aar=2023, typer=("udvalgsorientering",), sager=str(BALLERUP),
                           ud=tmp_path / "reports", pdf=False)
    r = koersel.lav_rapporter(b, kerne=object(), maa_offentliggoere=lambda: False)
    assert r.fejl == koersel.STOPPET and r.filer == []
    assert [p.name for p in (tmp_path / "reports" / "151-ballerup").iterdir()] == []
    r = koersel.lav_rapporter(b, kerne=object(), maa_offentliggoere=lambda: True)
    assert r.ok and (tmp_path / "reports" / "151-ballerup" / "2023" / "udvalgsorientering.html").exists()
