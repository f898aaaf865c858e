"""Watch mode, save -> PDFs written: this checkout against another, side by side.

Run: .venv/bin/python bench/watch_latency.py OTHER_CHECKOUT [--rounds 7]
(OTHER_CHECKOUT: e.g. `git worktree add /tmp/before <commit>`). Both watchers run with this
.venv's Python, each on its own copy of the samples; the edits alternate between them
(one sentence of the conclusion, which the handout, slides and notes show), medians and
the ratio pair by pair are printed.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
ONLY = ("--only", "handout,slides,notes")


class Watcher:
    """`build.py watch` of one checkout on a copy of the samples."""

    def __init__(self, checkout: Path, work: Path) -> None:
        content = shutil.copytree(SAMPLES, work / "content")
        self.lesson = content / "production-vs-operations.yaml"
        self.text = self.lesson.read_text("utf-8")
        self.flip = False
        command = [sys.executable, "build.py", "watch", str(content), *ONLY, "-o", str(work / "o")]
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
        """Save a changed sentence; the seconds until the build says what it wrote."""
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


def main() -> None:
    """Alternate edits between the two watchers; print medians and the ratio."""
    options = argparse.ArgumentParser()
    options.add_argument("other", type=Path, help="the checkout to compare with")
    options.add_argument("--rounds", type=int, default=7)
    args = options.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-watch-"))
    try:
        this = Watcher(ROOT, work / "this")
        other = Watcher(args.other.resolve(), work / "other")
        this.edit(), other.edit()  # the first rebuild of each warms what it keeps
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(this.edit())
            theirs.append(other.edit())
        this.close(), other.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    print(f"{args.rounds} interleaved edits each, medians (save -> PDFs written):")
    print(f"  this checkout:  {statistics.median(ours):.3f} s")
    print(f"  {args.other}:  {statistics.median(theirs):.3f} s")
    print(f"  ratio this/other, pair by pair: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
