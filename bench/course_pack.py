"""A 40-lesson course: the course pack's build beside the 40 handouts' build.

Run: .venv/bin/python bench/course_pack.py [--lessons 40] [--rounds 3]
Both build from scratch (`--force`) in one process (`-j 1`), rounds interleaved; medians
and the ratio pack / handouts are printed. The pack is one document of every handout, so
its cost is the handouts' own rendering once more, in one layout.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_course import make_course

ROOT = Path(__file__).resolve().parent.parent


def timed(project: Path, only: str) -> float:
    """Seconds for one build of `only`, from scratch, in one process."""
    command = [sys.executable, str(ROOT / "build.py"), "-C", str(project), "build"]
    started = time.perf_counter()
    subprocess.run([*command, "--only", only, "--force", "-j", "1", "-q"], check=True)
    return time.perf_counter() - started


def main() -> None:
    """Build the handouts and the pack in turn; print medians and the ratio."""
    options = argparse.ArgumentParser()
    options.add_argument("--lessons", type=int, default=40)
    options.add_argument("--rounds", type=int, default=3)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="handouts-pack-") as work:
        project = Path(work)
        make_course(args.lessons, project / "content")
        handouts, packs = [], []
        for _ in range(args.rounds):
            handouts.append(timed(project, "handout"))
            packs.append(timed(project, "pack"))
        pages = sum(1 for _ in (project / "output").glob("*-pack.pdf"))
    ratios = [pack / handout for pack, handout in zip(packs, handouts, strict=True)]
    print(f"{args.lessons} lessons, {args.rounds} rounds interleaved, medians:")
    print(f"  the {args.lessons} handouts: {statistics.median(handouts):.2f} s")
    print(f"  the course pack:   {statistics.median(packs):.2f} s  ({pages} pack)")
    print(f"  ratio pack / handouts, round by round: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
