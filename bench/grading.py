"""How long grading takes a sheet, clean and noisy, at 150 and 300 dpi.

Run: .venv/bin/python bench/grading.py [--sheets 20]
Builds the test quiz lesson's answer sheets (two versions), fills in `--sheets` sheets for
made-up pupils and scans them as tests/test_grading.py does, then times reading and grading
each set (the PDF rendered, each page located, read and graded) and prints the seconds a
sheet and whether every sheet was read right.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scans import as_pdf, filled_in, pupil, scanned  # noqa: E402

from handouts.cli import main as handouts  # noqa: E402
from handouts.grading.grades import grade  # noqa: E402
from handouts.lesson.files import Bounds  # noqa: E402
from handouts.lesson.loader import load_lessons  # noqa: E402
from handouts.lesson.model import Lesson  # noqa: E402

LESSON = ROOT / "tests" / "lessons" / "quiz" / "quiz.yaml"


def timed(folder: Path, lesson: Lesson, sheets: int, dpi: int, noisy: bool) -> str:
    """One set of scans graded: the seconds a sheet, and whether all was read right."""
    draw = random.Random(dpi)
    pupils = [pupil(lesson, "AB"[n % 2], draw) for n in range(sheets)]
    pages = []
    for who in pupils:
        page = filled_in(folder / f"quiz-answer-sheet-{who.version}.pdf", lesson, who, dpi, draw)
        pages.append(scanned(page, dpi, draw, noisy))
    scans = as_pdf(pages)
    started = time.perf_counter()
    graded, refused = grade(scans, lesson)
    each = (time.perf_counter() - started) / sheets
    read = sorted(
        (s.page, s.student, s.version, {a.place: a.points for a in s.answers}) for s in graded
    )
    wanted = [(n, p.student, p.version, p.points) for n, p in enumerate(pupils, start=1)]
    kind = "noisy" if noisy else "clean"
    return (
        f"{dpi} dpi, {kind}: {each:.3f} s a sheet, {len(refused)} unread, right: {read == wanted}"
    )


def main() -> None:
    """Print the seconds a sheet for each kind of scan."""
    ask = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ask.add_argument("--sheets", type=int, default=20)
    sheets = ask.parse_args().sheets
    (lesson,) = load_lessons([LESSON], Bounds(ROOT)).lessons
    with tempfile.TemporaryDirectory() as folder:
        only = ["--only", "answer-sheet", "--answer-sheet", "--versions", "2"]
        assert handouts(["build", str(LESSON.parent), *only, "-q", "-o", folder]) == 0
        for dpi in (150, 300):
            for noisy in (False, True):
                print(timed(Path(folder), lesson, sheets, dpi, noisy))


if __name__ == "__main__":
    main()
