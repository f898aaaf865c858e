"""Builds sent to a Dask cluster (`--executor dask://HOST:PORT`): the same PDFs as a local
build, a worker killed mid-build retried, Ctrl-C cancelling what is left, and tasks that
read nothing from the folders of the machine that sent them.

The cluster is a LocalCluster of two worker processes, started in another folder.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PIPED_ENV, ROOT, copy_samples, processes_mentioning, run_here

from handouts.builtin import BUILTIN_THEME
from handouts.make import cluster
from handouts.make.cluster import ShippedTheme, Unreachable, connect, render_shipped
from handouts.make.pipeline import load, plan
from handouts.make.workers import Job, _tasks
from handouts.outputs import kinds
from handouts.project import Project
from handouts.render.layout import RenderedPdf

distributed = pytest.importorskip(
    "distributed", reason="Dask's distributed is not installed (pip install 'handouts[dask]')"
)


# An output of every sort the cluster makes differently (a deck shared by its slides and
# notes, a table, a file that is no PDF): enough to show it, not all twenty.
SOME = ("--only", "handout,slides,notes,table,gift")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[distributed.Client]:
    """A client of a LocalCluster of two single-threaded worker processes, started in a
    folder of their own (not the project's, not this repository)."""
    elsewhere = tmp_path_factory.mktemp("workers")
    here = Path.cwd()
    os.chdir(elsewhere)
    try:
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    finally:
        os.chdir(here)
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample lessons built here, one PDF at a time: the PDFs to match."""
    project = copy_samples(tmp_path_factory.mktemp("local") / "content").parent
    # not --force: a PDF another test made may be taken as made before (the same bytes)
    assert run_here("-C", str(project), "build", "-q", "-j", "1", *SOME).code == 0
    return project / "output"


# `python -m handouts` with Ctrl-C (SIGINT) on however the tests were started (see
# conftest.build_py), in this environment: build.py would make one in the clone.
WITH_CTRL_C = (
    sys.executable,
    "-c",
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from handouts.cli import main; sys.exit(main(sys.argv[1:]))",
)


def _url(client: distributed.Client) -> str:
    return client.scheduler.address.replace("tcp://", "dask://")


def _same_files(made: Path, local: Path) -> None:
    names = sorted(path.name for path in local.glob("*.pdf"))
    assert names == sorted(path.name for path in made.glob("*.pdf"))
    for name in names:
        assert (made / name).read_bytes() == (local / name).read_bytes(), name


def _when(done: Callable[[], bool], seconds: float = 10) -> bool:
    """Whether `done()` comes true within `seconds`."""
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def _idle(client: distributed.Client) -> bool:
    """Whether the scheduler holds no task (of any build) and no worker is busy."""
    held = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
    return held == 0 and not any(client.processing().values())


def test_a_build_on_the_cluster_makes_the_pdfs_a_local_build_makes(
    client: distributed.Client, local: Path, tmp_path: Path
) -> None:
    project = copy_samples(tmp_path / "content").parent
    ran = run_here("-C", str(project), "build", "-q", "--force", *SOME, "--executor", _url(client))
    assert (ran.code, ran.err) == (0, "")
    _same_files(project / "output", local)
    assert _when(lambda: _idle(client))


def test_a_worker_killed_mid_build_has_its_tasks_done_again(
    client: distributed.Client, local: Path, tmp_path: Path
) -> None:
    project = copy_samples(tmp_path / "content").parent
    killed: list[tuple[str, int]] = []

    def kill_a_busy_worker() -> None:
        """Once the first PDF is written, SIGKILL a worker that is rendering."""
        _when(lambda: any((project / "output").glob("*.pdf")), 60)
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append((busy[0], pid))

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    ran = run_here("-C", str(project), "build", "-q", "--force", *SOME, "--executor", _url(client))
    killer.join()
    assert killed, "no worker was rendering once the first PDF was written"
    ((address, pid),) = killed
    assert _when(lambda: not Path(f"/proc/{pid}").exists() or _zombie(pid))
    assert (ran.code, ran.err) == (0, "")
    _same_files(project / "output", local)
    assert address not in client.scheduler_info()["workers"]
    client.wait_for_workers(2, timeout=30)  # the nanny starts another, for the next test


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_ctrl_c_cancels_the_build_on_the_cluster(
    client: distributed.Client, tmp_path: Path
) -> None:
    project = copy_samples(tmp_path / "content").parent
    words = ("-C", str(project), "build", "--force", *SOME, "--executor", _url(client))
    build = subprocess.Popen(
        [*WITH_CTRL_C, *words],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=PIPED_ENV,
        cwd=ROOT,
    )
    assert build.stdout is not None
    first = build.stdout.readline()  # a PDF is written: the others are on the cluster
    assert ".pdf" in first, first
    build.send_signal(signal.SIGINT)
    out, err = build.communicate(timeout=30)
    assert build.returncode == 130, err
    assert err.strip() == "handouts: error: interrupted; every PDF in the output folder is whole"
    assert " up to date, in " not in out  # it did not finish
    assert _when(lambda: _idle(client)), client.processing()
    assert processes_mentioning(str(project)) == []


def test_a_task_reads_nothing_from_the_folders_of_the_machine_that_sent_it(
    local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This process plays the worker: the themes it keeps go with the test, not at exit.
    folders: list[tempfile.TemporaryDirectory[str]] = []
    monkeypatch.setattr(cluster, "_HERE", {})
    monkeypatch.setattr(cluster, "_FOLDERS", folders)
    project = Project.at(copy_samples(tmp_path / "content").parent)
    planned = plan(load(project).lessons, project)
    jobs = [job for job in planned if isinstance(job, Job) and job.output in SOME[1].split(",")]
    task = _tasks(jobs, project.options.settings)[0]  # a lesson's deck and what shows it
    shipped = ShippedTheme.of(task.jobs[0].prepared.theme, project.cache)
    sent = pickle.dumps((task, shipped, kinds()))
    shutil.rmtree(project.root)
    opened: list[str] = []
    watching = [True]

    def note(event: str, args: tuple[object, ...]) -> None:
        if watching and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            opened.append(os.fsdecode(args[0]))

    sys.addaudithook(note)  # for the rest of the session: `watching` turns it off
    try:
        results = render_shipped(*pickle.loads(sent))
    finally:
        watching.clear()
    for number, result in results:
        assert isinstance(result, RenderedPdf), result
        assert result.data == (local / jobs[number].path.name).read_bytes()
    assert any("handouts-theme-" in path for path in opened)  # the worker's copy is read
    theirs = (str(project.root), str(BUILTIN_THEME))
    assert [path for path in opened if path.startswith(theirs)] == []
    for folder in folders:
        folder.cleanup()


def test_a_scheduler_that_does_not_answer_is_said_in_a_line() -> None:
    with pytest.raises(Unreachable, match=r"no Dask scheduler answered at tcp://127.0.0.1:9 "):
        connect("tcp://127.0.0.1:9", timeout=0.5)


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (("--executor", "dask://nowhere"), "not a Dask scheduler's address: 'dask://nowhere'"),
        (("--executor", "spark://a:1"), "not a Dask scheduler's address"),
        (("--executor", "dask://a:1", "-j", "2"), "-j and --start-method are for local"),
    ],
)
def test_an_executor_the_build_cannot_use_is_a_usage_error(
    tmp_path: Path, words: tuple[str, ...], said: str
) -> None:
    ran = run_here("-C", str(copy_samples(tmp_path / "content").parent), "build", *words)
    assert ran.code == 2
    assert said in ran.err and len(ran.err.splitlines()) == 1, ran.err


def test_without_the_extra_the_build_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "distributed" else real(name, *a),
    )
    ran = run_here(
        "-C", str(copy_samples(tmp_path / "content").parent), "build", "--executor", "dask://a:1"
    )
    assert ran.code == 2
    assert "install it with pip install 'handouts[dask]'" in ran.err
    assert len(ran.err.splitlines()) == 1, ran.err
