"""Shared fixtures: the sample content built once per test session."""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from handouts.cli import main
from handouts.derive.deck import Slide
from handouts.lesson.model import Lesson
from handouts.outputs.kind import Prepared
from handouts.render.cache import BuildCache
from handouts.render.kept import CACHE_ENV
from handouts.render.theme import Theme

ROOT = Path(__file__).resolve().parent.parent
# The project's own content/: the quick start builds it, and teachers add their lessons to it,
# so the tests never count on what it holds (only test_fixtures.py compares it to SAMPLES).
CONTENT = ROOT / "content"
# The sample lessons the tests build: copies of content/'s samples, kept equal to them by
# test_fixtures.py, and never written to (copy_samples puts a copy where a test writes).
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
LANGUAGE_LESSONS = ROOT / "tests" / "data" / "languages"  # one test lesson a language
SAMPLE_FILES = (
    "course.yaml",
    "production-vs-operations.yaml",
    "production-systems.yaml",
    "images/input-process-output.svg",
)
# The web article the sample lesson was made from, kept as it was found (clutter and all).
SEED = Path(__file__).resolve().parent / "data" / "seed-article.txt"
SAMPLE = "production-vs-operations"


# The environment of a user's shell: output through a pipe is buffered unless the command
# flushes it (the machine running the tests may set PYTHONUNBUFFERED).
PIPED_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


# Starts build.py with Ctrl-C working as in a terminal. A shell running the tests in the
# background (`&`, nohup) starts them with SIGINT ignored, their children inherit that, and
# Python leaves an ignored SIGINT ignored: Ctrl-C (SIGINT) would then never reach the command.
_WITH_CTRL_C = (
    "import os, runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv = sys.argv[1:]; sys.path[0] = os.path.dirname(sys.argv[0]); "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


# Poppler reads back what a reader shows (text, pixels); CI installs it.
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="Poppler is not installed (apt-get install poppler-utils)",
)


def build_py(*args: str) -> list[str]:
    """The command line of `python build.py ARGS` with Ctrl-C (SIGINT) on, however the tests
    were started: for the tests that press Ctrl-C."""
    return [sys.executable, "-c", _WITH_CTRL_C, str(ROOT / "build.py"), *args]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run build.py with the test environment's Python, as `python build.py ...`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass(frozen=True)
class Ran:
    """What an in-process run of the command gave: its exit code and what it printed."""

    code: int
    out: str
    err: str


def run_here(*args: str) -> Ran:
    """Run the command in this process, as `python build.py ARGS` would, capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return Ran(code, out.getvalue(), err.getvalue())


def build(output_dir: Path, *args: str) -> None:
    """Build in-process, as `python build.py ... -o output_dir` would, and insist it worked."""
    code = main([*args, "-q", "-o", str(output_dir)])
    assert code == 0, f"build failed with exit code {code}"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder after building every sample lesson (A4), with two workers and
    WeasyPrint's warnings shown (what the build printed is `built_log(output)`)."""
    return _shared_build(tmp_path_factory, "samples", str(SAMPLES), "-v")


@pytest.fixture(scope="session")
def languages_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder after building the test lessons in six languages (ar, de, fa, fr,
    he, ur), every output, with the speaker notes in the slides."""
    lessons = sorted(str(path) for path in LANGUAGE_LESSONS.glob("*.yaml"))
    return _shared_build(tmp_path_factory, "languages", *lessons, "--speaker-notes")


def built_log(output: Path) -> Path:
    """What the build of a shared output folder printed (written once it is done)."""
    return output.parent / f"{output.name}.log"


def _shared_build(factory: pytest.TempPathFactory, name: str, *args: str) -> Path:
    """The output folder of `build.py ARGS --jobs 2`, built once for the whole run: the
    test workers share it, read only, the others waiting for the first to build it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        output = factory.mktemp(name)
    else:
        output = factory.getbasetemp().parent / f"{name}-built"  # this run's, shared
    with (output.parent / f"{output.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built_log(output).exists():
            printed = io.StringIO()
            code = main([*args, "--jobs", "2", "-o", str(output)], printed, printed)
            assert code == 0, printed.getvalue()
            built_log(output).write_text(printed.getvalue(), "utf-8")
    return output


@pytest.fixture
def lesson_dir(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a lesson (and the sample course file) into a fresh folder; returns its path."""

    def write(name: str, text: str) -> Path:
        folder = tmp_path / "content"
        folder.mkdir(exist_ok=True)
        shutil.copy(SAMPLES / "course.yaml", folder / "course.yaml")
        path = folder / name
        path.write_text(text, "utf-8")
        return path

    return write


def runs_in_fresh_python(*argvs: list[str]) -> tuple[list[int], bool]:
    """Run the command once per argument list, one after another in a new Python process;
    returns their exit codes, and whether WeasyPrint was imported by then."""
    probe = (
        "import sys; from handouts.cli import main; "
        f"codes = [main(argv) for argv in {[list(argv) for argv in argvs]!r}]; "
        "print(codes, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    codes, imported = result.stdout.strip().splitlines()[-1].rsplit(" ", 1)
    return [int(code) for code in codes.strip("[]").split(",")], imported == "True"


def copy_sample(folder: Path, lesson: str = "production-systems") -> Path:
    """Copy a sample lesson into `folder` with the course file and the pictures it shows;
    returns the lesson's copy."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("course.yaml", f"{lesson}.yaml"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copytree(SAMPLES / "images", folder / "images", dirs_exist_ok=True)
    return folder / f"{lesson}.yaml"


def copy_samples(folder: Path) -> Path:
    """Copy every sample lesson, the course file and the pictures into `folder` (made if
    need be); returns `folder`."""
    shutil.copytree(SAMPLES, folder, dirs_exist_ok=True)
    return folder


def processes_mentioning(text: str) -> list[int]:
    """Processes whose command line contains `text` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_text(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def seed_text() -> str:
    """The seed article the sample lesson was made from."""
    return SEED.read_text("utf-8")


def deck_of(lesson: Lesson) -> tuple[Slide, ...]:
    """The slides of a lesson's deck, with the built-in theme's words."""
    return Prepared.of(lesson, Theme(), BuildCache()).deck


# The longest files first: two test workers take whole files (--dist loadfile), and a long
# one started last would keep one worker busy alone at the end.
LONGEST_FIRST = ("test_watch.py", "test_incremental.py", "test_install.py", "test_cli.py")


def pytest_configure(config: pytest.Config) -> None:
    """One cache folder for the run, shared by its test workers and the builds they start
    (they inherit it): a PDF another test made is taken from it, as a teacher's PDFs made
    before are, and nothing of an earlier run or of the user's own builds is."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tempfile.mkdtemp(prefix="handouts-tests-cache-")
        os.environ[CACHE_ENV] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest test files first (see LONGEST_FIRST)."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order
