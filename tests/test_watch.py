"""Watch mode as a teacher uses it: save, see the PDF; a broken save keeps the last good one."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import CONTENT, ROOT, SAMPLE


class Watcher:
    """`build.py --watch` in a subprocess, its output read line by line with time limits."""

    def __init__(self, folder: Path, command: tuple[str, ...] = (str(ROOT / "build.py"),)) -> None:
        self.process = subprocess.Popen(
            [sys.executable, *command, "watch", "content", "-o", "output"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
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
        """Ctrl-C, as in a terminal; returns the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code


def test_watch_rebuilds_on_save_and_survives_a_broken_save(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    lesson = tmp_path / "content" / f"{SAMPLE}.yaml"
    handout = tmp_path / "output" / f"{SAMPLE}-handout.pdf"
    text = lesson.read_text("utf-8")
    watcher = Watcher(tmp_path)
    try:
        watcher.wait_for("watching")
        first = handout.read_bytes()

        lesson.write_text(text.replace("there are many", "there are several"), "utf-8")
        assert any("handout.pdf" in line for line in watcher.wait_for("up to date"))
        edited = handout.read_bytes()
        assert edited != first

        lesson.write_text(text.replace("sections:", "sectoins:"), "utf-8")
        seen = watcher.wait_for("not built")
        assert any("unknown key 'sectoins' (did you mean 'sections'?)" in line for line in seen)
        assert handout.read_bytes() == edited

        lesson.write_text(text, "utf-8")
        assert any("handout.pdf" in line for line in watcher.wait_for("written"))
        assert handout.read_bytes() == first
    finally:
        code = watcher.stop()
    assert code == 0
    assert "stopped watching" in watcher.wait_for("stopped watching")[-1]


def test_watch_rebuilds_when_a_stylesheet_changes(tmp_path: Path) -> None:
    # A copy of the project, so its templates can be edited.
    for name in ("handouts", "templates", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    stylesheet = tmp_path / "templates" / "css" / "table.css"
    table = tmp_path / "output" / f"{SAMPLE}-table.pdf"
    run_main = ("-c", "import sys; from handouts.cli import main; sys.exit(main())")
    watcher = Watcher(tmp_path, run_main)
    try:
        watcher.wait_for("watching")
        before = table.read_bytes()
        stylesheet.write_text(stylesheet.read_text() + "\nh1 { color: black; }\n")
        seen = watcher.wait_for("up to date")
        assert any("table.pdf" in line and not line.endswith("(unchanged)") for line in seen)
        assert table.read_bytes() != before
    finally:
        assert watcher.stop() == 0


def test_ctrl_c_stops_a_parallel_build_cleanly(tmp_path: Path) -> None:
    build = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), str(CONTENT), "-j", "2", "-o", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(1.5)
    os.killpg(build.pid, signal.SIGINT)
    time.sleep(0.1)
    os.killpg(build.pid, signal.SIGINT)  # impatient: a second Ctrl-C must not hang it
    _, errors = build.communicate(timeout=60)
    assert build.returncode in (0, 130)  # 0 only if the build finished first
    assert "Traceback" not in errors
    if build.returncode == 130:
        assert "interrupted; every PDF in the output folder is whole" in errors
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
