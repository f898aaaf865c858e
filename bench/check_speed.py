"""How fast `build.py check` validates: the sample lessons and a generated 150-lesson course.

Run: .venv/bin/python bench/check_speed.py [rounds]
Each round runs every command once, in turn, so machine noise hits them alike; medians are
printed, with each command's ratio to a bare Python start-up measured in the same rounds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_course import LANGUAGES, make_course

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main(rounds: int) -> None:
    """Print median wall times of `check` runs and their ratio to a bare interpreter start."""
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as mixed:
        make_course(150, Path(folder))
        make_course(150, Path(mixed), LANGUAGES)
        commands = {
            "python -c pass (start-up)": [sys.executable, "-c", "pass"],
            "build.py check content/": [sys.executable, "build.py", "check", "-q"],
            "build.py check (150 lessons)": [sys.executable, "build.py", "check", "-q", folder],
            "check (150, in 12 languages)": [sys.executable, "build.py", "check", "-q", mixed],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                times[name].append(_seconds(command))
    baseline = statistics.median(times["python -c pass (start-up)"])
    print(f"{rounds} interleaved rounds, medians (target for 150 lessons: < {TARGET_SECONDS} s)")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:>32}: {median:6.3f} s  x{median / baseline:5.1f} start-up")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
