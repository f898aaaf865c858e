"""`build.py watch` of a checkout kept running, for the benchmarks that time a save."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

LESSON = "production-vs-operations.yaml"  # edited: its conclusion's first sentence


class Watcher:
    """`build.py watch` (or `serve`: `verb`) in `checkout` on the lessons in `content`,
    writing to `output`; edit() returns the seconds from a save to the PDFs it affects."""

    def __init__(
        self,
        checkout: Path,
        content: Path,
        output: Path,
        only: list[str],
        verb: tuple[str, ...] = ("watch",),
    ) -> None:
        self.lesson = content / LESSON
        self.text = self.lesson.read_text("utf-8")
        self.saves = 0
        self.said: list[str] = []
        command = [sys.executable, "build.py", *verb, str(content), *only, "-o", str(output)]
        self.process = subprocess.Popen(
            command, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._until("watching")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def _until(self, text: str) -> None:
        while text not in (line := self.lines.get(timeout=120)):
            self.said.append(line)
        self.said.append(line)

    def save(self) -> None:
        """Change one sentence of the conclusion (handout and slides show it), each time to
        words it never had: a PDF made before would be taken, not rendered."""
        self.saves += 1
        words = f"there are many ({self.saves})"
        self.lesson.write_text(self.text.replace("there are many", words), "utf-8")

    def edit(self) -> float:
        """Save a change, and wait for the PDFs it affects."""
        started = time.perf_counter()
        self.save()
        self._until("written")
        return time.perf_counter() - started

    def close(self) -> None:
        """Stop watching."""
        self.process.terminate()
        self.process.wait(timeout=30)
