"""What a build on a Dask cluster takes beside local workers.

Run: .venv/bin/python bench/dask_speed.py [--lessons 6] [--rounds 3] [--only handout,table]
Makes a course of `--lessons` lessons (make_course.py), starts a LocalCluster of two
single-threaded worker processes, then times `--executor dask://...`, `--jobs 1` and
`--jobs 2` builds (`--force`, rounds interleaved, the first of each left out as a warm-up)
and prints the medians and the cluster's over each local one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster
from make_course import make_course

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the workers, spawned with this path, import handouts


def timed(project: Path, only: str, *how: str) -> float:
    """Seconds for one `--force` build of `project`, in a process of its own."""
    command = [sys.executable, "-m", "handouts", "-C", str(project), "build", "-q", "--force"]
    started = time.perf_counter()
    subprocess.run([*command, "--only", only, *how], check=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    """Print the median seconds of each way, and the cluster's over the local ones."""
    options = argparse.ArgumentParser()
    options.add_argument("--lessons", type=int, default=6)
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--only", default="handout,slides,notes,table,worksheet")
    args = options.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="handouts-dask-") as work,
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
    ):
        root = Path(work)
        make_course(args.lessons, root / "content")
        ways = {
            "dask, 2 workers": ("--executor", cluster.scheduler_address.replace("tcp", "dask")),
            "--jobs 1": ("-j", "1"),
            "--jobs 2": ("-j", "2"),
        }
        seconds: dict[str, list[float]] = {way: [] for way in ways}
        for round_number in range(args.rounds + 1):
            for way, how in ways.items():
                took = timed(root, args.only, *how)
                if round_number:  # the first round warms the workers and the caches
                    seconds[way].append(took)
        medians = {way: statistics.median(times) for way, times in seconds.items()}
        print(f"{args.lessons} lessons, --only {args.only}, median of {args.rounds} rounds:")
        for way, median in medians.items():
            print(f"  {way:<16} {median:6.2f} s")
        dask = medians["dask, 2 workers"]
        print(f"dask / --jobs 1: {dask / medians['--jobs 1']:.2f}")
        print(f"dask / --jobs 2: {dask / medians['--jobs 2']:.2f}")


if __name__ == "__main__":
    main()
