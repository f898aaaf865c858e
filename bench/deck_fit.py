"""What fitting the deck to its slides costs: this checkout against an earlier commit.

Run: .venv/bin/python bench/deck_fit.py [--baseline REV] [--rounds 5]

The baseline (default: the last commit before slides were fitted from the layout) is checked
out in a temporary worktree beside this one and shares its .venv. Each round makes a cold
build of the sample lessons (`--force`, every PDF rendered) with each checkout in turn, so
machine noise hits both alike, and reads from the build's own lines how long each lesson's
slide deck took (the PDFs both make: not the new presenter's handout). Medians are printed,
with the ratios this/baseline.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "6f4810b"  # the deck made one slide per subject, at one type size
LESSONS = ("production-vs-operations", "production-systems")
# The outputs both checkouts make (the presenter's handout is new), compared like for like.
OUTPUTS = "handout,slides,notes,table,worksheet,answers"
PDF_LINE = re.compile(r"(?P<name>[\w-]+)-slides\.pdf\s+\d+ pages?\s+(?P<seconds>[\d.]+) s")


def _build(checkout: Path, output: Path) -> tuple[float, dict[str, float]]:
    """A cold build of the samples in `checkout`: wall seconds, and each deck's seconds."""
    command = [sys.executable, "build.py", "--force", "--only", OUTPUTS, "-o", str(output)]
    started = time.perf_counter()
    ran = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    decks = {m["name"]: float(m["seconds"]) for m in PDF_LINE.finditer(ran.stdout)}
    return wall, decks


def _worktree(revision: str, folder: Path) -> Path:
    """`revision` checked out in `folder`, using this checkout's environment."""
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


def main() -> None:
    """Print the medians of both checkouts' cold builds and deck renders, and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        base = _worktree(args.baseline, Path(temporary) / "baseline")
        try:
            walls: dict[str, list[float]] = {"this": [], "baseline": []}
            decks: dict[tuple[str, str], list[float]] = {}
            for number in range(args.rounds):
                for name, checkout in (("this", ROOT), ("baseline", base)):
                    output = Path(temporary) / f"{name}-{number}"
                    wall, seconds = _build(checkout, output)
                    walls[name].append(wall)
                    for lesson, value in seconds.items():
                        decks.setdefault((name, lesson), []).append(value)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT)
    load = os.getloadavg()[0]
    print(f"{args.rounds} rounds, interleaved; load average {load:.1f}; medians")
    this, baseline = (statistics.median(walls[name]) for name in ("this", "baseline"))
    print(f"cold build of the samples: {this:.2f} s vs {baseline:.2f} s = {this / baseline:.2f}x")
    for lesson in LESSONS:
        now, before = (statistics.median(decks[(name, lesson)]) for name in ("this", "baseline"))
        print(f"  {lesson} slides: {now:.2f} s vs {before:.2f} s = {now / before:.2f}x")


if __name__ == "__main__":
    main()
