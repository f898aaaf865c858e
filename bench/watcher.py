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
    """`build.py watch` in `checkout` on the lessons in `content`, writing to `output`;
    edit() returns the seconds from a save to the PDFs it affects."""

    def __init__(self, checkout: Path, content: Path, output: Path, only: list[str]) -> None:
        self.lesson = content / LESSON
        self.text = self.lesson.read_text("utf-8")
        self.flip = False
        command = [sys.executable, "build.py", "watch", str(content), *only, "-o", str(output)]
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
        while text not in self.lines.get(timeout=120):
            pass

    def edit(self) -> float:
        """Change one sentence of the conclusion (handout and slides show it) and wait."""
        self.flip = not self.flip
        word = "several" if self.flip else "many"
        started = time.perf_counter()
        self.lesson.write_text(self.text.replace("there are many", f"there are {word}"), "utf-8")
        self._until("written")
        return time.perf_counter() - started

    def close(self) -> None:
        """Stop watching."""
        self.process.terminate()
        self.process.wait(timeout=30)
