"""A course at 10, 100 and 1,000 lessons: is the time per PDF and the memory per worker flat?

For each size, a course made by make_course.py in four languages (the first sample's
lessons have a figure and formulas) is built from scratch with two workers (`--force`, a
fresh cache folder: every PDF rendered), then built again with nothing to do, and checked.
Printed: seconds per PDF, the peak memory of the main process and of the largest worker,
the no-op build, `check`, and the manifest's size; then each size's figures over the
smallest's (flat is 1.00). Rounds are interleaved over the sizes; medians.

Run: .venv/bin/python bench/course_scale.py [--sizes 10 100 1000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_course import make_course  # noqa: E402
from handouts.make.manifest import MANIFEST_NAME  # noqa: E402

LANGUAGES = ("en", "fr", "de", "ar")
ONLY = ("--only", "handout,table")
WORKERS = 2


@dataclass
class Run:
    """One build from scratch: its wall time, the PDFs made, and the peak memory (MiB) of
    the main process (resident) and of the largest worker (its own, unshared)."""

    seconds: float
    pdfs: int
    main_mib: float
    worker_mib: float


def _memory_kib(pid: int, field: str) -> int:
    """One field of a process's /proc/PID/smaps_rollup (KiB), 0 once it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next(
        (int(line.split()[1]) for line in rollup.splitlines() if line[: len(field)] == field), 0
    )


def _children(pid: int) -> list[int]:
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def _private_kib(pid: int) -> int:
    """A worker's own memory: what it does not share with the main process it was forked
    from (its resident size counts the main process's pages too)."""
    return _memory_kib(pid, "Private_Clean:") + _memory_kib(pid, "Private_Dirty:")


def _workers(pid: int) -> list[int]:
    """The worker processes under `pid`: its descendants that start none of their own (a
    fork server, which starts the workers, is not one)."""
    found, pending = [], _children(pid)
    while pending:
        process = pending.pop()
        below = _children(process)
        pending += below
        if not below:
            found.append(process)
    return found


def build(course: Path, output: Path, env: dict[str, str], start: list[str]) -> Run:
    """Build `course` from scratch, sampling each process's memory every 50 ms; `start`:
    how the workers start, as the command line says it (empty: the platform's way)."""
    command = [sys.executable, "build.py", str(course), *ONLY, "-q", "--force", *start]
    command += ["-j", str(WORKERS), "-o", str(output)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    main, workers = 0, 0
    while process.poll() is None:
        main = max(main, _memory_kib(process.pid, "Rss:"))
        for child in _workers(process.pid):
            workers = max(workers, _private_kib(child))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}")
    pdfs = len(list(output.glob("*.pdf")))
    return Run(seconds, pdfs, main / 1024, workers / 1024)


def timed(command: list[str], env: dict[str, str]) -> float:
    """The wall time of a command that must succeed."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    options.add_argument("--rounds", type=int, default=1)
    options.add_argument("--start-method", help="how workers start (the build's option)")
    args = options.parse_args()
    start = ["--start-method", args.start_method] if args.start_method else []
    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="handouts-scale-") as folder:
        work = Path(folder)
        env = {**os.environ, "HANDOUTS_CACHE_DIR": str(work / "cache")}
        courses = {n: work / f"course-{n}" for n in args.sizes}
        for size, course in courses.items():
            make_course(size, course, LANGUAGES)
        runs: dict[int, list[Run]] = {n: [] for n in args.sizes}
        noop: dict[int, list[float]] = {n: [] for n in args.sizes}
        check: dict[int, list[float]] = {n: [] for n in args.sizes}
        for _ in range(args.rounds):
            for size, course in courses.items():
                output = work / f"out-{size}"
                runs[size].append(build(course, output, env, start))
                again = [sys.executable, "build.py", str(course), *ONLY, "-q", "-o", str(output)]
                noop[size].append(timed(again, env))
                check[size].append(
                    timed([sys.executable, "build.py", "check", "-q", str(course)], env)
                )
        print(
            "| lessons | PDFs | s per PDF | main MiB | worker's own MiB | no-op build s | check s "
            "| manifest KiB |\n|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        first = min(args.sizes)
        base = statistics.median(r.seconds / r.pdfs for r in runs[first])
        base_worker = statistics.median(r.worker_mib for r in runs[first])
        ratios = []
        for size in args.sizes:
            per_pdf = statistics.median(r.seconds / r.pdfs for r in runs[size])
            worker = statistics.median(r.worker_mib for r in runs[size])
            manifest = (work / f"out-{size}" / MANIFEST_NAME).stat().st_size / 1024
            print(
                f"| {size} | {runs[size][0].pdfs} | {per_pdf:.3f} "
                f"| {statistics.median(r.main_mib for r in runs[size]):.0f} | {worker:.0f} "
                f"| {statistics.median(noop[size]):.2f} | {statistics.median(check[size]):.2f} "
                f"| {manifest:.0f} |"
            )
            ratios.append(
                f"{size}: time per PDF x{per_pdf / base:.2f}, worker x{worker / base_worker:.2f}"
            )
        print(f"over {first} lessons: " + "; ".join(ratios))


if __name__ == "__main__":
    main()
