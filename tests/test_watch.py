"""Watch mode as a teacher uses it: save, see the PDF; a broken save keeps the last good one."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PIPED_ENV, ROOT, SAMPLE, SAMPLES, build_py, copy_samples, run

from handouts.cli import REMOVE_AFTER_ENV, REMOVE_AFTER_S

ONLY = ("--only", "handout,table")  # enough to see what a save rebuilds, and quicker
STOP_S = 30  # how long Ctrl-C may take to stop the watch


class Watcher:
    """`build.py watch` (or another `command` that watches) in a subprocess, its output read
    line by line with time limits. `remove_after` is how long it keeps the PDFs of a lesson
    gone (shorter than a teacher's wait, so the tests need not sleep through that)."""

    def __init__(
        self,
        folder: Path,
        remove_after: float = REMOVE_AFTER_S,
        command: tuple[str, ...] = ("watch", "content", *ONLY, "-o", "output"),
    ) -> None:
        self.process = subprocess.Popen(
            build_py(*command),
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env=PIPED_ENV | {REMOVE_AFTER_ENV: str(remove_after)},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float = 60) -> list[str]:
        """The lines printed until one containing `text`."""
        seen: list[str] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                seen.append(self.lines.get(timeout=0.1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return seen
        raise AssertionError(f"no {text!r} within {seconds} s; saw {seen}")

    def stop(self) -> int:
        """Ctrl-C, as in a terminal; returns the exit code once it has ended. A watch that
        does not end in time is killed, and the test fails."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            code = self.process.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"Ctrl-C did not stop the watch within {STOP_S} s") from None
        self._close()
        assert self.process.poll() is not None and _group_is_gone(self.process.pid)
        return code

    def kill(self) -> None:
        """End the watch and every process it started, whatever it is doing (SIGKILL)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_S)
        self._close()

    def _close(self) -> None:
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


WatchStarter = Callable[..., Watcher]


def _group_is_gone(group: int, seconds: float = 10) -> bool:
    """Whether no process is left in the process group `group` (waiting up to `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def watch(project: Path) -> Iterator[WatchStarter]:
    """Starts watchers in the project (`remove_after` as Watcher's); any a test leaves
    running (a failure before it stopped them) is killed at the end."""
    started: list[Watcher] = []

    def start(remove_after: float = REMOVE_AFTER_S) -> Watcher:
        started.append(Watcher(project, remove_after))
        return started[-1]

    yield start
    for watcher in started:
        watcher.kill()


def save(path: Path, text: str) -> None:
    """Save as most editors do: write a new file beside it, then rename it into place."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample content, built as the watcher builds it (once for the module)."""
    folder = tmp_path_factory.mktemp("built")
    copy_samples(folder / "content")
    assert run("content", *ONLY, "-o", "output", cwd=folder).returncode == 0
    return folder


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A project folder holding a copy of the sample content and its PDFs: the watcher's
    first build finds them current."""
    for folder in ("content", "output"):
        shutil.copytree(built_project / folder, tmp_path / folder)
    return tmp_path


def test_watch_rebuilds_on_save_and_survives_a_broken_save(
    project: Path, watch: WatchStarter
) -> None:
    lesson = project / "content" / f"{SAMPLE}.yaml"
    handout = project / "output" / f"{SAMPLE}-handout.pdf"
    text = lesson.read_text("utf-8")
    watcher = watch()
    try:
        watcher.wait_for("watching")
        first = handout.read_bytes()

        save(lesson, text.replace("there are many", "there are several"))
        assert any("handout.pdf" in line for line in watcher.wait_for("up to date"))
        edited = handout.read_bytes()
        assert edited != first

        save(lesson, text.replace("sections:", "sectoins:"))
        seen = watcher.wait_for("not built")
        assert any("unknown key 'sectoins' (did you mean 'sections'?)" in line for line in seen)
        assert handout.read_bytes() == edited

        save(lesson, text)
        assert any("handout.pdf" in line for line in watcher.wait_for("written"))
        assert handout.read_bytes() == first
    finally:
        code = watcher.stop()
    assert code == 0
    assert "stopped watching" in watcher.wait_for("stopped watching")[-1]


def test_watch_rebuilds_when_a_stylesheet_of_the_project_theme_changes(
    project: Path, watch: WatchStarter
) -> None:
    stylesheet = project / "theme" / "css" / "table.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text((ROOT / "templates" / "css" / "table.css").read_text())
    table = project / "output" / f"{SAMPLE}-table.pdf"
    watcher = watch()
    try:
        watcher.wait_for("watching")
        before = table.read_bytes()
        save(stylesheet, stylesheet.read_text() + "\nh1 { color: black; }\n")
        seen = watcher.wait_for("up to date")
        assert any("table.pdf" in line and not line.endswith("(unchanged)") for line in seen)
        assert table.read_bytes() != before
    finally:
        assert watcher.stop() == 0


def test_watch_rebuilds_what_shows_a_picture_when_it_changes(
    project: Path, watch: WatchStarter
) -> None:
    picture = project / "content" / "images" / "input-process-output.svg"
    handout = project / "output" / "production-systems-handout.pdf"
    watcher = watch()
    try:
        watcher.wait_for("watching")
        before = handout.read_bytes()
        save(picture, picture.read_text("utf-8").replace("Outputs", "Products"))
        seen = watcher.wait_for("up to date")
        changed = [line for line in seen if ".pdf" in line and not line.endswith("(unchanged)")]
        assert [line.split()[0] for line in changed] == [str(Path("output") / handout.name)]
        assert handout.read_bytes() != before
    finally:
        assert watcher.stop() == 0


@pytest.mark.parametrize("moment", ["just after a rebuild", "during a rebuild"])
def test_ctrl_c_stops_the_watch_with_success_at_any_moment(
    project: Path, watch: WatchStarter, moment: str
) -> None:
    lesson = project / "content" / f"{SAMPLE}.yaml"
    watcher = watch()
    watcher.wait_for("watching")
    save(lesson, lesson.read_text("utf-8").replace("there are many", "there are several"))
    watcher.wait_for("up to date" if moment == "just after a rebuild" else "changed:")
    code = watcher.stop()
    assert code == 0
    after = watcher.wait_for("stopped watching")
    if moment == "during a rebuild":  # the rebuild never got to its summary
        assert not any("up to date" in line for line in after), after


def test_ctrl_c_stops_a_parallel_build_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    copy_samples(content)
    for copy in range(3):  # more lessons: the build is surely still rendering at Ctrl-C
        for lesson in SAMPLES.glob("*.yaml"):
            if lesson.name != "course.yaml":
                shutil.copy(lesson, content / f"{lesson.stem}-{copy}.yaml")
    build = subprocess.Popen(
        # Outputs that wait for no deck to be fitted: the first PDF comes soonest.
        build_py(str(content), "-j", "2", "-o", str(tmp_path), "--only", "handout,worksheet"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=PIPED_ENV,
    )
    try:
        assert build.stdout is not None
        first = build.stdout.readline()  # the first PDF is written: the others are rendering
        assert " page" in first, first
        os.killpg(build.pid, signal.SIGINT)
        time.sleep(0.1)
        os.killpg(build.pid, signal.SIGINT)  # impatient: a second Ctrl-C must not hang it
        rest, errors = build.communicate(timeout=60)
    finally:
        if build.poll() is None:  # it hung: end it and its workers, and fail
            os.killpg(build.pid, signal.SIGKILL)
            build.communicate()
    assert _group_is_gone(build.pid), "worker processes outlived their build"
    assert build.returncode == 130, rest
    assert " up to date, in " not in rest  # it did not finish
    assert "interrupted; every PDF in the output folder is whole" in errors
    assert "Traceback" not in errors
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_a_folder_removed_and_restored_costs_no_pdf_and_is_watched_again(
    project: Path, watch: WatchStarter
) -> None:
    content = project / "content"
    backup = project / "backup"
    shutil.copytree(content, backup)
    watcher = watch(remove_after=1)
    try:
        watcher.wait_for("watching")
        before = sorted(p.name for p in (project / "output").glob("*.pdf"))
        shutil.rmtree(content)  # as a checkout or a sync tool does
        watcher.wait_for("content is gone: waiting for it to come back; every PDF stays")
        time.sleep(1.5)  # gone for longer than the watch keeps the PDFs of a lesson gone
        shutil.copytree(backup, content)
        watcher.wait_for("again for changes")
        lesson = content / f"{SAMPLE}.yaml"
        save(lesson, lesson.read_text("utf-8").replace("there are many", "there are several"))
        seen = watcher.wait_for("up to date")
        assert any(f"{SAMPLE}-handout.pdf" in line for line in seen)  # heard after the return
        assert sorted(p.name for p in (project / "output").glob("*.pdf")) == before
    finally:
        assert watcher.stop() == 0
    assert not any(line.startswith("removed ") for line in watcher.wait_for("stopped watching"))


def test_a_save_in_two_pieces_never_deletes_a_pdf(project: Path, watch: WatchStarter) -> None:
    lesson = project / "content" / "production-systems.yaml"
    text = lesson.read_text("utf-8")
    table = project / "output" / "production-systems-table.pdf"
    watcher = watch(remove_after=2)
    try:
        watcher.wait_for("watching")
        earlier = table.read_bytes()
        with lesson.open("w", encoding="utf-8") as file:  # an editor writing in two chunks
            file.write(text[: text.index("comparison:")])  # a lesson without its table
            file.flush()
            watcher.wait_for("kept for now")
            time.sleep(0.5)  # the editor pauses, for less than the watch keeps the table PDF
            file.write(text[text.index("comparison:") :])
        watcher.wait_for("up to date")
        time.sleep(2.5)  # longer than the watch waits before removing a gone lesson's PDFs
        assert table.read_bytes() == earlier
    finally:
        assert watcher.stop() == 0
    assert not any(line.startswith("removed ") for line in watcher.wait_for("stopped watching"))


def test_a_lesson_deleted_while_watching_loses_its_pdfs_once_it_stays_gone(
    project: Path, watch: WatchStarter
) -> None:
    lesson = project / "content" / "production-systems.yaml"
    watcher = watch(remove_after=1)
    try:
        watcher.wait_for("watching")
        lesson.unlink()
        seen = watcher.wait_for("removed output")
        assert any("kept for now" in line for line in seen)  # at first
        watcher.wait_for("up to date")
        assert not list((project / "output").glob("production-systems-*.pdf"))
    finally:
        assert watcher.stop() == 0


def test_watch_follows_only_theme_folders_inside_the_project(tmp_path: Path) -> None:
    from handouts.make.watch import themes_in_use

    project = tmp_path / "project"
    copy_samples(project / "content")
    theme = project / "theme" / "css"
    theme.mkdir(parents=True)
    (theme / "table.css").write_text((ROOT / "templates" / "css" / "table.css").read_text())
    assert run("-C", str(project), "build", "-q", "--only", "table").returncode == 0
    output = project / "output"
    assert themes_in_use(output, project) == {(project / "theme").resolve()}
    # A manifest edited to name a folder outside the project: that folder is not watched.
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    manifest = output / ".handouts-manifest.json"
    forged = manifest.read_text().replace('"../theme"', f'"{os.path.relpath(outside, output)}"')
    assert forged != manifest.read_text()
    manifest.write_text(forged)
    assert themes_in_use(output, project) == set()
