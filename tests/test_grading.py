"""Answer sheets graded from scans the tests make: sheets built, filled in by made-up
pupils, scanned (turned, shifted, blurred, speckled, grey or colour, 150 and 300 dpi) and
shuffled into one PDF; every version, student number and point must be read right."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, build
from PIL import Image
from scans import Pupil, as_pdf, cross, fill, filled_in, pupil, scanned, version_rows

from handouts.grading.grades import grade
from handouts.grading.questions import one_answer, right_bubbles
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.model import Lesson

LESSONS = ROOT / "tests" / "lessons" / "quiz"
VERSIONS = ("A", "B")


@dataclass(frozen=True)
class Built:
    """The answer sheets and keys of the quiz lesson in two versions, and the lesson."""

    folder: Path
    lesson: Lesson

    def blank(self, version: str) -> Path:
        return self.folder / f"quiz-answer-sheet-{version}.pdf"

    def key(self, version: str) -> Path:
        return self.folder / f"quiz-answer-sheet-key-{version}.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("sheets")
    only = "answer-sheet,answer-sheet-key"
    build(folder, str(LESSONS), "--only", only, "--answer-sheet", "--versions", "2")
    (lesson,) = load_lessons([LESSONS / "quiz.yaml"], Bounds(ROOT)).lessons
    return Built(folder, lesson)


def _class(built: Built, count: int, noisy: bool, seed: int) -> tuple[list[Pupil], bytes]:
    """`count` pupils of both versions, their sheets scanned in a shuffled order."""
    draw = random.Random(seed)
    pupils = [pupil(built.lesson, VERSIONS[n % 2], draw) for n in range(count)]
    pages = []
    for n, who in enumerate(pupils):
        dpi = 300 if noisy and n % 3 == 1 else 150
        page = filled_in(built.blank(who.version), built.lesson, who, dpi, draw)
        pages.append(scanned(page, dpi, draw, noisy))
    order = list(range(count))
    draw.shuffle(order)
    return [pupils[n] for n in order], as_pdf([pages[n] for n in order])


@pytest.mark.parametrize(("count", "noisy"), [(8, False), (16, True)], ids=["clean", "noisy"])
def test_every_version_number_and_point_is_read_right(
    built: Built, count: int, noisy: bool
) -> None:
    pupils, scans = _class(built, count, noisy, seed=count)
    graded, refused = grade(scans, built.lesson)
    assert refused == []
    by_page = {sheet.page: sheet for sheet in graded}
    assert sorted(by_page) == list(range(1, count + 1))
    for page, who in enumerate(pupils, start=1):
        sheet = by_page[page]
        assert (sheet.student, sheet.version) == (who.student, who.version)
        assert {answer.place: answer.points for answer in sheet.answers} == who.points
        assert all(answer.read is not None for answer in sheet.answers)
    assert [sheet.student for sheet in graded] == sorted(who.student for who in pupils)


def test_a_crossed_out_bubble_is_empty_two_in_a_one_answer_row_unreadable_a_blank_page_refused(
    built: Built,
) -> None:
    draw = random.Random(7)
    who = pupil(built.lesson, "A", draw, right=1.0)
    page = filled_in(built.blank("A"), built.lesson, who, 150, draw)
    rows = version_rows(built.lesson, "A")
    several = next(item for item in rows if not one_answer(item[0]))
    wrong = next(n for n in range(len(several[2])) if n not in right_bubbles(several[0]))
    cross(page, 150, several[2][wrong])  # a wrong choice crossed out, not filled
    doubled = next(item for item in rows if one_answer(item[0]))
    fill(page, 150, list(doubled[2]), draw)  # every bubble of a one-answer question
    blank = Image.new("L", page.size, 250)
    scans = as_pdf([scanned(page, 150, draw, True), scanned(blank, 150, draw, True)])
    (sheet,), refused = grade(scans, built.lesson)
    assert [(page.page, page.why) for page in refused] == [(2, "a corner mark is missing")]
    read = {answer.place: answer for answer in sheet.answers}
    assert read[several[1]].read == right_bubbles(several[0])
    assert read[several[1]].points == several[0].points
    assert read[doubled[1]].read is None and read[doubled[1]].points == 0
    assert sheet.student == who.student
