"""The quiz and its key: the lesson's questions and the tables', numbered with their points,
no answer in the quiz, every answer in the key, the same bytes on every build, and versions
in orders of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from accessibility import problems
from conftest import ROOT, build
from pdf_reader import Pdf, normalize, postscript_name

from handouts.derive.quiz import sheets, table_questions, usable_cells
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.model import (
    Comparison,
    FillIn,
    Lesson,
    Location,
    Matching,
    MultipleChoice,
    Quiz,
    Row,
    ShortAnswer,
    Subject,
    TrueOrFalse,
)

LESSONS = ROOT / "tests" / "lessons" / "quiz"
LESSON = LESSONS / "quiz.yaml"
STEMS = (
    "Which techniques belong to production management?",
    "Operations management covers services as well as goods.",
    "Name the wider field that production management is part of.",
    "Match each measure to what it tells.",
    "Fill in the blanks.",
)
TICK = "\u2713"


def _lesson(path: Path = LESSON) -> Lesson:
    (lesson,) = load_lessons([path], Bounds(ROOT)).lessons
    return lesson


def _text(path: Path) -> str:
    """The PDF's text as written, in content order, its spaces collapsed."""
    pdf = Pdf(path)
    return " ".join(" ".join(pdf.page_text(page) for page in range(len(pdf))).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quiz and its key of the test lesson, in one version and in two."""
    folder = tmp_path_factory.mktemp("quiz")
    build(folder / "one", str(LESSONS), "--only", "quiz,quiz-key")
    build(folder / "again", str(LESSONS), "--only", "quiz,quiz-key")
    build(folder / "two", str(LESSONS), "--only", "quiz,quiz-key", "--versions", "2")
    return folder


def test_the_quiz_numbers_every_question_in_order_with_its_points_and_the_total(
    built: Path,
) -> None:
    text = _text(built / "one" / "quiz-quiz.pdf")
    words = Pdf(built / "one" / "quiz-quiz.pdf").text()
    numbered = [
        words.find(f"{number} {' '.join(normalize(stem).split()[:3])}")
        for number, stem in enumerate(STEMS, start=1)
    ]
    assert -1 not in numbered and numbered == sorted(numbered)
    for points in ("2 pt", "1 pt", "1.5 pt", "3 pt"):
        assert points in text
    lesson = _lesson()
    (sheet,) = sheets(lesson, ("",))
    assert len(sheet.questions) == len(lesson.questions) + 4  # from_table: 4
    assert f"Total: {sheet.total:g} pt" in text
    assert "Which subject does this describe?" in text
    assert re.search(r"Page 1 of \d", text)


def test_the_quiz_holds_no_answer_and_the_key_every_one(built: Path) -> None:
    quiz, key = built / "one" / "quiz-quiz.pdf", built / "one" / "quiz-quiz-key.pdf"
    text, key_text = _text(quiz), _text(key)
    metadata = " ".join(Pdf(quiz).metadata().values())
    for hidden in (TICK, "Operations management Also accepted", "Both plan what", "Answer key"):
        assert hidden not in text + metadata
    assert f"{TICK} Demand forecasting" in key_text
    assert f"{TICK} Capacity planning" in key_text
    assert f"{TICK} Process design" not in key_text
    assert f"{TICK} True" in key_text and f"{TICK} False" not in key_text
    assert "Operations management Also accepted: Operations" in key_text
    assert "Both plan what the factory makes." in key_text
    assert "Production management is one part of operations management" in key_text
    assert "is one part of" in text and "Production management is" not in text  # blank
    (sheet,) = sheets(_lesson(), ("",))
    for question in sheet.questions:
        if isinstance(question, MultipleChoice) and question.lead:
            (right,) = [choice.text for choice in question.choices if choice.right]
            assert f"{TICK} {right}" in key_text
        if isinstance(question, Matching):
            for prompt, letter in zip(question.pairs, question.letters, strict=True):
                assert f"{letter} {prompt[0].split()[0]}" in key_text


def test_two_builds_give_the_same_bytes(built: Path) -> None:
    for name in ("quiz-quiz.pdf", "quiz-quiz-key.pdf"):
        assert (built / "one" / name).read_bytes() == (built / "again" / name).read_bytes()


def test_versions_ask_in_orders_of_their_own_each_with_its_key(built: Path) -> None:
    two = built / "two"
    assert sorted(path.name for path in two.glob("*.pdf")) == [
        "quiz-quiz-A-key.pdf",
        "quiz-quiz-A.pdf",
        "quiz-quiz-B-key.pdf",
        "quiz-quiz-B.pdf",
    ]
    orders = {}
    for letter in "AB":
        quiz = _text(two / f"quiz-quiz-{letter}.pdf").replace(" 2 pt", "")
        key = _text(two / f"quiz-quiz-{letter}-key.pdf").replace(" 2 pt", "")
        assert f"Version {letter}" in quiz and f"Version {letter}" in key
        orders[letter] = sorted(STEMS, key=quiz.find)
        assert orders[letter] == sorted(STEMS, key=key.find)  # the key of its own quiz
    assert orders["A"] != orders["B"]
    assert not list(built.glob("one/quiz-quiz-A*.pdf"))


def test_versions_are_drawn_from_the_lesson_alone() -> None:
    lesson = _lesson()
    first, second = sheets(lesson, ("A", "B")), sheets(lesson, ("A", "B"))
    assert first == second
    assert first[0].places != first[1].places


@pytest.mark.parametrize("name", ["quiz-quiz.pdf", "quiz-quiz-key.pdf"])
def test_the_quiz_and_its_key_are_accessible(built: Path, name: str) -> None:
    assert problems(built / "one" / name) == []
    pdf = Pdf(built / "one" / name)
    ours = {postscript_name(path) for path in (ROOT / "templates" / "fonts").glob("*.ttf")}
    assert pdf.font_names() <= ours
    with pdf.structure() as structure:
        assert str(structure.Root.Lang) == "en"
    assert pdf.metadata()["Author"] == "Test author"


def test_a_question_is_a_list_item_of_the_questions_list(built: Path) -> None:
    with pikepdf.open(built / "one" / "quiz-quiz.pdf") as pdf:
        kinds = {str(element.S) for element in _elements(pdf)}
    assert {"/L", "/LI", "/LBody"} <= kinds


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    from accessibility import elements

    return list(elements(pdf))


def _row(label: str, cells: tuple[str, ...], given: tuple[bool, ...] = ()) -> Row:
    return Row(label, cells, Location(LESSON, 1, 1), given)


def test_questions_from_a_table_never_use_a_given_cell_or_one_written_twice() -> None:
    table = Comparison(
        "",
        ("Production", "Operations"),
        (
            _row("Focus", ("Goods", "Services")),
            _row("Output", ("Hidden given", "Goods and services"), (True, False)),
            _row("Planning", ("Capacity planning", "Capacity planning")),
            _row("Scope", ("One department", "Whole business")),
            _row("Horizon", ("Next shift", "Coming years")),
        ),
    )
    lesson = replace_tables(_lesson(), table, from_table=20)
    cells = {cell.text for cell in usable_cells(lesson.tables)}
    assert "Hidden given" not in cells and "Capacity planning" not in cells
    made = table_questions(lesson)
    assert made
    used = []
    for question in made:
        if isinstance(question, MultipleChoice):
            used.append(question.stem[0].text)  # type: ignore[union-attr]
            (right,) = [c.text for c in question.choices if c.right]
            column = next(i for i, row in enumerate(table.rows) if used[-1] in row.cells)
            assert right == lesson.subjects[table.rows[column].cells.index(used[-1])].name
        elif isinstance(question, Matching):
            used += [answer for _, answer in question.pairs]
    assert "Hidden given" not in used and "Capacity planning" not in used
    assert len(used) == len(set(used))  # a cell in one question at most
    assert table_questions(lesson) == made


def replace_tables(lesson: Lesson, table: Comparison, from_table: int) -> Lesson:
    from dataclasses import replace

    subjects = (Subject("production", "Production"), Subject("operations", "Operations"))
    sections = tuple(replace(section, table=None) for section in lesson.sections)
    return replace(
        lesson,
        subjects=subjects,
        sections=sections,
        comparison=table,
        questions=(),
        quiz=Quiz(from_table=from_table),
    )


def test_the_lesson_s_questions_load_as_their_kinds() -> None:
    kinds = [type(question) for question in _lesson().questions]
    assert kinds == [MultipleChoice, TrueOrFalse, ShortAnswer, Matching, FillIn]
    fill_in = _lesson().questions[-1]
    assert isinstance(fill_in, FillIn)
    assert fill_in.blanks == ("Production management", "operations management")


def test_a_lesson_without_questions_gives_no_quiz(tmp_path: Path) -> None:
    build(tmp_path / "out", str(ROOT / "tests" / "lessons" / "good.yaml"), "--only", "quiz")
    assert not list((tmp_path / "out").glob("*.pdf"))
