"""How evenly `--shard` splits a course, and what two shards take beside one machine.

Run: .venv/bin/python bench/shards.py [--lessons 12] [--rounds 3] [--only handout,table]
Makes a course of `--lessons` lessons (make_course.py), builds it once for its manifest,
prints the split's balance (the costliest shard's expected cost over the mean) for 2, 4 and
8 shards, then times a one-machine build and each shard of 2 (`--jobs 1` each, from
scratch, rounds interleaved) and prints the medians side by side.
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
sys.path.insert(0, str(ROOT))

from handouts.make.manifest import Manifest  # noqa: E402
from handouts.make.shards import balance, costs  # noqa: E402
from handouts.project import BuildOptions, Project  # noqa: E402


def timed(project: Path, only: str, output: str, *shard: str) -> float:
    """Seconds for one build into `output` from scratch, in one process."""
    command = [sys.executable, str(ROOT / "build.py"), "-C", str(project), "build"]
    options = ["--only", only, "--force", "-j", "1", "-q", "-o", output, *shard]
    started = time.perf_counter()
    subprocess.run([*command, *options], check=True)
    return time.perf_counter() - started


def main() -> None:
    """Print the balance for 2, 4 and 8 shards, then the timings of 2 shards and of one."""
    options = argparse.ArgumentParser()
    options.add_argument("--lessons", type=int, default=12)
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--only", default="handout,table")
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="handouts-shards-") as work:
        root = Path(work)
        make_course(args.lessons, root / "content")
        timed(root, args.only, "output")  # the manifest the split reads
        project = Project.at(root, options=BuildOptions(outputs=tuple(args.only.split(","))))
        expected = costs(project, Manifest(project.output_dir), project.lesson_files())
        named = {str(path): cost for path, cost in expected.items()}
        print(f"{len(named)} lesson and course files, --only {args.only}")
        print("balance (costliest shard's expected pages / mean), from the manifest:")
        for count in (2, 4, 8):
            print(f"  {count} shards: {balance(named, count):.3f}")
        one, first, second = [], [], []
        for _ in range(args.rounds):
            one.append(timed(root, args.only, "one"))
            first.append(timed(root, args.only, "output", "--shard", "1/2"))
            second.append(timed(root, args.only, "output", "--shard", "2/2"))
    print(f"wall time, --jobs 1, from scratch, medians of {args.rounds} interleaved rounds:")
    print(f"  one machine: {statistics.median(one):.2f} s")
    shards = [statistics.median(first), statistics.median(second)]
    print(f"  shard 1/2:   {shards[0]:.2f} s    shard 2/2: {shards[1]:.2f} s")
    print(f"  slowest shard / one machine: {max(shards) / statistics.median(one):.2f}")


if __name__ == "__main__":
    main()
