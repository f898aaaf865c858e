"""Grading scanned answer sheets: each page read (`reader`), each question's bubbles
compared with its version's right ones, the grades as a table (grades.csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..derive.quiz import quiz_questions, sheets
from ..lesson.model import LETTERS, Lesson
from .layout import Bubble, layout
from .questions import bubbles, one_answer, right_bubbles
from .reader import SCAN_WIDTH, Heading, Sheet, Unreadable, heading, locate

GRADE_DPI = 150  # each scanned page is read rendered at about this resolution


@dataclass(frozen=True)
class Answer:
    """What one bubbled question of a sheet was read as: the filled bubbles' places (None:
    unreadable), whether they are the right ones, and the bubbles of its row."""

    place: int  # the question's place in the lesson's order, from 0
    read: frozenset[int] | None
    right: bool
    points: float  # earned
    row: tuple[Bubble, ...]


@dataclass(frozen=True)
class Graded:
    """A sheet read: its page (from 1), student number, version and answers."""

    page: int
    student: str
    version: str
    answers: tuple[Answer, ...]
    sheet: Sheet

    @property
    def total(self) -> float:
        """The points earned on the questions read."""
        return sum(answer.points for answer in self.answers)


@dataclass(frozen=True)
class Refused:
    """A page that could not be read as a sheet, and why."""

    page: int
    why: str
    image: Image.Image


def scanned_pages(data: bytes) -> Iterator[Image.Image]:
    """Each page of the PDF `data`, rendered grey at GRADE_DPI as the sheet's width makes
    it (whatever size a scanner gave the page); ValueError when it is not a PDF."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ValueError(f"it is not a PDF ({error})") from None
    for page in document:
        scale = SCAN_WIDTH / 25.4 * GRADE_DPI / page.get_width()
        yield page.render(scale=scale, grayscale=True).to_pil().convert("L")


def _upright(image: Image.Image) -> tuple[Sheet, Heading]:
    """The sheet on `image` located and its heading read, turned half a turn if it was
    scanned upside down; Unreadable (why, as it is read upright) if neither way reads."""
    try:
        sheet = locate(image)
        return sheet, heading(sheet)
    except Unreadable:
        try:
            sheet = locate(image.rotate(180))
            return sheet, heading(sheet)
        except Unreadable:
            pass
        raise


def grade_page(image: Image.Image, number: int, lesson: Lesson) -> Graded:
    """The sheet scanned as `image` (page `number`) read and graded against its version of
    `lesson`'s quiz; Unreadable when its marks, version or number cannot be read."""
    sheet, said = _upright(image)
    index = LETTERS.index(said.letter)
    version = sheets(lesson, tuple(LETTERS[: index + 1]))[index]
    geometry = layout(sheet.paper, [bubbles(question) for question in version.questions])
    answers = []
    for question, place, (_, row) in zip(
        version.questions, version.places, geometry.questions, strict=False
    ):
        if not row:
            continue
        read = sheet.marked(row)
        if not read or (one_answer(question) and len(read) != 1):
            read = None
        right = read == right_bubbles(question)
        answers.append(Answer(place, read, right, question.points * right, row))
    return Graded(number, said.student, said.letter, tuple(answers), sheet)


def grade(data: bytes, lesson: Lesson) -> tuple[list[Graded], list[Refused]]:
    """Every page of the scans' PDF `data` graded, by student number, and those that
    could not be read, in page order."""
    graded, refused = [], []
    for number, image in enumerate(scanned_pages(data), start=1):
        try:
            graded.append(grade_page(image, number, lesson))
        except Unreadable as why:
            refused.append(Refused(number, str(why), image))
    graded.sort(key=lambda sheet: (sheet.student, sheet.page))
    return graded, refused


def graded_places(lesson: Lesson) -> list[int]:
    """The places (lesson order, from 0) of the questions an answer sheet bubbles."""
    return [place for place, q in enumerate(quiz_questions(lesson)) if bubbles(q)]


def table(graded: list[Graded], lesson: Lesson) -> str:
    """grades.csv: a row per sheet, by student number: its student, version and page,
    each bubbled question's points (lesson order; "?" unreadable), and the total."""
    places = graded_places(lesson)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "version", "page", *(f"Q{p + 1}" for p in places), "total"])
    for sheet in graded:
        answers = {answer.place: answer for answer in sheet.answers}
        points = ["?" if answers[p].read is None else f"{answers[p].points:g}" for p in places]
        writer.writerow([sheet.student, sheet.version, sheet.page, *points, f"{sheet.total:g}"])
    return out.getvalue()


def write_results(graded: list[Graded], refused: list[Refused], lesson: Lesson, to: Path) -> None:
    """grades.csv and graded.pdf (`marking`) into the folder `to`."""
    from .. import atomic_write
    from .marking import marked_pdf

    to.mkdir(parents=True, exist_ok=True)
    atomic_write.write(to / "grades.csv", table(graded, lesson).encode("utf-8"))
    atomic_write.write(to / "graded.pdf", marked_pdf(graded, refused))
