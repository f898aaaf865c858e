"""Answer sheets graded from scans the tests make: sheets built, filled in by made-up
pupils, scanned (turned, shifted, blurred, speckled, grey or colour, 150 and 300 dpi, some
upside down) and shuffled into one PDF; every version, student number and point must be
read right."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
from conftest import ROOT, SAMPLE, SAMPLES, build, run_here
from PIL import Image
from scans import (
    Pupil,
    as_pdf,
    cross,
    fill,
    filled_in,
    pupil,
    rendered,
    scanned,
    version_rows,
)

from handouts.derive.quiz import table_questions
from handouts.grading.grades import grade
from handouts.grading.layout import layout
from handouts.grading.questions import bubbles, one_answer, right_bubbles
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.model import Lesson, Question

LESSONS = ROOT / "tests" / "lessons" / "quiz"
LESSON = LESSONS / "quiz.yaml"
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
    (lesson,) = load_lessons([LESSON], Bounds(ROOT)).lessons
    return Built(folder, lesson)


def _class(built: Built, count: int, noisy: bool, seed: int) -> tuple[list[Pupil], bytes]:
    """`count` pupils of both versions, their sheets scanned in a shuffled order."""
    draw = random.Random(seed)
    pupils = [pupil(built.lesson, VERSIONS[n % 2], draw) for n in range(count)]
    pages = []
    for n, who in enumerate(pupils):
        dpi = 300 if noisy and n % 3 == 1 else 150
        page = filled_in(built.blank(who.version), built.lesson, who, dpi, draw)
        page = scanned(page, dpi, draw, noisy)
        pages.append(page.rotate(180) if noisy and n % 5 == 2 else page)  # fed upside down
    order = list(range(count))
    draw.shuffle(order)
    return [pupils[n] for n in order], as_pdf([pages[n] for n in order])


@pytest.mark.parametrize(("count", "noisy"), [(8, False), (14, True)], ids=["clean", "noisy"])
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


def test_each_versions_key_with_a_number_filled_in_gets_full_marks(
    built: Built, tmp_path: Path
) -> None:
    draw = random.Random(3)
    number = layout("a4", ()).number
    pages = []
    for version in VERSIONS:
        page = rendered(built.key(version), 200)
        fill(page, 200, [column[digit] for digit, column in enumerate(number)], draw)
        pages.append(scanned(page, 200, draw, noisy=True))
    graded, refused = grade(as_pdf(pages), built.lesson)
    assert refused == []
    assert [(sheet.student, sheet.version) for sheet in graded] == [("012345", v) for v in VERSIONS]
    questions = built.lesson.questions + table_questions(built.lesson)
    full = sum(question.points for question in questions if bubbles(question))
    assert [sheet.total for sheet in graded] == [full, full]
    (tmp_path / "scans.pdf").write_bytes(as_pdf(pages))
    ran = run_here(
        "grade", str(tmp_path / "scans.pdf"), "--lesson", str(LESSON), "-o", str(tmp_path)
    )
    assert ran.code == 0, ran.err
    assert "student 012345 is on pages 1, 2: check the numbers" in ran.out


def test_a_build_makes_answer_sheets_only_when_asked(built: Built, tmp_path: Path) -> None:
    ran = run_here(str(LESSONS), "--only", "quiz,answer-sheet", "-q", "-o", str(tmp_path))
    assert ran.code == 0, ran.err
    assert sorted(path.name for path in tmp_path.glob("*.pdf")) == ["quiz-quiz.pdf"]


@dataclass(frozen=True)
class Awkward:
    """A sheet with a crossed-out bubble and a one-answer question with every bubble
    filled, then a blank page, scanned into `scans`."""

    who: Pupil
    crossed: tuple[Question, int]  # the question and its place in the lesson's order
    doubled: tuple[Question, int]
    scans: Path


@pytest.fixture(scope="module")
def awkward(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Awkward:
    draw = random.Random(7)
    who = pupil(built.lesson, "A", draw, right=1.0)
    page = filled_in(built.blank("A"), built.lesson, who, 150, draw)
    rows = version_rows(built.lesson, "A")
    several, place, row = next(item for item in rows if not one_answer(item[0]))
    wrong = next(n for n in range(len(row)) if n not in right_bubbles(several))
    cross(page, 150, row[wrong])  # a wrong choice crossed out, not filled
    one, one_place, one_row = next(item for item in rows if one_answer(item[0]))
    fill(page, 150, list(one_row), draw)  # every bubble of a one-answer question
    blank = Image.new("L", page.size, 250)
    scans = tmp_path_factory.mktemp("awkward") / "scans.pdf"
    scans.write_bytes(as_pdf([scanned(page, 150, draw, True), scanned(blank, 150, draw, True)]))
    return Awkward(who, (several, place), (one, one_place), scans)


def test_a_crossed_out_bubble_is_empty_two_in_a_one_answer_row_unreadable_a_blank_page_refused(
    built: Built, awkward: Awkward
) -> None:
    (sheet,), refused = grade(awkward.scans.read_bytes(), built.lesson)
    assert [(page.page, page.why) for page in refused] == [(2, "a corner mark is missing")]
    assert sheet.student == awkward.who.student
    read = {answer.place: answer for answer in sheet.answers}
    crossed, place = awkward.crossed
    assert read[place].read == right_bubbles(crossed)
    assert read[place].points == crossed.points
    _, place = awkward.doubled
    assert read[place].read is None and read[place].points == 0


def test_grade_writes_the_table_and_the_marked_pages_and_names_what_it_could_not_read(
    built: Built, awkward: Awkward, tmp_path: Path
) -> None:
    ran = run_here("grade", str(awkward.scans), "--lesson", str(LESSON), "-o", str(tmp_path))
    assert ran.code == 1, ran.err
    assert "page 2 not read: a corner mark is missing" in ran.err
    doubled = f"Q{awkward.doubled[1] + 1}"
    assert f"student {awkward.who.student}: {doubled} unreadable" in ran.out
    table = (tmp_path / "grades.csv").read_text("utf-8")
    rows = list(csv.DictReader(table.splitlines()))
    assert [(row["student"], row["version"], row["page"]) for row in rows] == [
        (awkward.who.student, "A", "1")
    ]
    (row,) = rows
    assert row[doubled] == "?"
    points = [float(value) for name, value in row.items() if name.startswith("Q") and value != "?"]
    assert float(row["total"]) == sum(points) > 0
    assert len(pypdfium2.PdfDocument(tmp_path / "graded.pdf")) == 2


@pytest.mark.parametrize(
    ("scans", "lesson", "said"),
    [
        ("not-a-pdf.pdf", LESSON, "is not a PDF"),
        ("scans.pdf", SAMPLES / f"{SAMPLE}.yaml", "no question"),
        ("missing.pdf", LESSON, "no such file"),
    ],
    ids=["not a PDF", "no questions", "missing"],
)
def test_bad_input_is_a_sentence_and_exit_code_2(
    tmp_path: Path, awkward: Awkward, scans: str, lesson: Path, said: str
) -> None:
    (tmp_path / "not-a-pdf.pdf").write_text("just text")
    (tmp_path / "scans.pdf").write_bytes(awkward.scans.read_bytes())
    ran = run_here("grade", str(tmp_path / scans), "--lesson", str(lesson), "-o", str(tmp_path))
    assert ran.code == 2 and said in ran.err and "Traceback" not in ran.err, ran.err
