"""The quiz: the lesson's own questions, those its comparison tables give, and its versions.

A table gives two kinds of question, as right as the table is: which subject a cell
describes (the cell as the stem, the subjects as the choices), and matching a subject's
cells to their rows' labels. A cell is never used when the worksheet prints it (`given`)
or when its text is written more than once (in two subjects' columns it describes both).
Which cells are used, and how each version orders its questions and choices, is drawn from
the lesson's content hash (`Lesson.digest`): the same lesson gives the same quiz on any
machine.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from random import Random
from typing import TypeVar

from ..lesson.model import (
    LETTERS,
    Choice,
    Comparison,
    Lesson,
    Matching,
    MultipleChoice,
    Paragraph,
    Question,
    Row,
)

MATCH_SHARE = 4  # of the questions a table gives, one in this many is a matching one
MATCH_PAIRS = 4  # the most pairs of a matching question a table gives
DRAWS = 100  # orders drawn at most for a version, to find one no earlier version has
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class Cell:
    """A cell of a comparison table a question may be made from."""

    table: Comparison
    row: Row
    column: int

    @property
    def text(self) -> str:
        """What the cell says (inline Markdown)."""
        return self.row.cells[self.column]


@dataclass(frozen=True)
class Sheet:
    """One version of the quiz: its letter ("" when there is one) and its questions, in
    the order printed, their choices and matching answers too; `places` are their places
    in the lesson's order (from 0)."""

    letter: str
    questions: tuple[Question, ...]
    places: tuple[int, ...]

    @property
    def total(self) -> float:
        """The points of every question together."""
        return sum(question.points for question in self.questions)


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def usable_cells(tables: Sequence[Comparison]) -> list[Cell]:
    """The cells a question may be made from, in the tables' order: not given, and their
    text written once in all the tables."""
    written = Counter(_same(cell) for table in tables for row in table.rows for cell in row.cells)
    return [
        Cell(table, row, column)
        for table in tables
        for row in table.rows
        for column, cell in enumerate(row.cells)
        if not row.is_given(column) and written[_same(cell)] == 1
    ]


def _which_subject(cell: Cell, lesson: Lesson) -> MultipleChoice:
    """Which subject does this describe? The cell, and the subjects to choose from."""
    choices = tuple(
        Choice(subject.name, column == cell.column)
        for column, subject in enumerate(lesson.subjects)
    )
    stem = (Paragraph(cell.text),)
    return MultipleChoice(stem, 1.0, (), cell.row.where, "which_subject", choices=choices)


def _matching(cells: list[Cell], lesson: Lesson) -> Matching:
    """Match the rows' labels to what one subject's column says of them."""
    pairs = tuple((cell.row.label or "", cell.text) for cell in cells)
    about = lesson.subjects[cells[0].column].name
    where = cells[0].table.where or cells[0].row.where
    return Matching((), float(len(pairs)), (), where, "match_about", about, pairs=pairs)


def _columns(cells: list[Cell]) -> list[list[int]]:
    """Each subject's column of each labelled table, as the places in `cells` of its
    usable cells: two or more, their rows' labels all different."""
    found: dict[tuple[int, int], list[int]] = {}
    for place, cell in enumerate(cells):
        if cell.table.labelled:
            found.setdefault((id(cell.table), cell.column), []).append(place)
    return [
        column
        for column in found.values()
        if len(column) >= 2
        and len({_same(cells[place].row.label or "") for place in column}) == len(column)
    ]


def table_questions(lesson: Lesson) -> tuple[Question, ...]:
    """The questions `quiz: {from_table: N}` asks for (fewer when the tables have fewer
    usable cells): one in MATCH_SHARE a matching one, the rest which-subject ones, in the
    tables' order, the matching ones last. A cell is in one question at most."""
    count = lesson.quiz.from_table
    if not count:
        return ()
    draw = Random(f"{lesson.digest} from_table")
    cells = usable_cells(lesson.tables)
    columns = _columns(cells)
    choosing = len(lesson.subjects) >= 2
    matches = min(len(columns), count // MATCH_SHARE if choosing else count)
    matched = [
        sorted(draw.sample(column, min(MATCH_PAIRS, len(column))))
        for column in sorted(draw.sample(columns, matches))
    ]
    used = {place for column in matched for place in column}
    free = [place for place in range(len(cells)) if place not in used]
    which = draw.sample(free, min(count - matches, len(free))) if choosing else []
    return (
        *(_which_subject(cells[place], lesson) for place in sorted(which)),
        *(_matching([cells[place] for place in column], lesson) for column in matched),
    )


def quiz_questions(lesson: Lesson) -> tuple[Question, ...]:
    """Every question of the lesson's quiz: its own, then those its tables give."""
    return (*lesson.questions, *table_questions(lesson))


def versions_asked(lesson: Lesson, asked: int) -> tuple[str, ...]:
    """The letters of the versions to make: `asked` of them (0: as the lesson says, else
    one); ("",) for a single version, which has no letter."""
    count = asked or lesson.quiz.versions or 1
    return ("",) if count == 1 else tuple(LETTERS[:count])


def _shuffled(
    items: Sequence[_Item], draw: Random, unlike: Sequence[Sequence[_Item]]
) -> tuple[_Item, ...]:
    """`items` in an order drawn from `draw`, unlike each of `unlike` when it can be."""
    order = list(items)
    for _ in range(min(DRAWS, math.factorial(len(order)))):
        draw.shuffle(order)
        if all(list(other) != order for other in unlike):
            break
    return tuple(order)


def _answers_shown(question: Question, draw: Random) -> Question:
    """A matching question with its answers in an order drawn, never the pairs' own."""
    if not isinstance(question, Matching):
        return question
    pairs = range(len(question.pairs))
    return replace(question, shown=_shuffled(pairs, draw, [pairs]))


def _choices_shuffled(question: Question, draw: Random) -> Question:
    """A multiple-choice question with its choices in an order drawn."""
    if not isinstance(question, MultipleChoice):
        return question
    return replace(question, choices=_shuffled(question.choices, draw, []))


def sheets(lesson: Lesson, letters: tuple[str, ...]) -> tuple[Sheet, ...]:
    """The quiz's versions, one per letter: the first asks the questions in the lesson's
    order, each other in an order of its own (unlike the earlier ones when there are
    enough orders), its choices shuffled too; every matching question's answers are
    shuffled in each."""
    questions = quiz_questions(lesson)
    orders: list[tuple[int, ...]] = []
    made = []
    for letter in letters:
        draw = Random(f"{lesson.digest} version {letter}")
        places = range(len(questions))
        order = _shuffled(places, draw, orders) if orders else tuple(places)
        ordered = [questions[place] for place in order]
        if orders:
            ordered = [_choices_shuffled(question, draw) for question in ordered]
        orders.append(order)
        made.append(Sheet(letter, tuple(_answers_shown(q, draw) for q in ordered), order))
    return tuple(made)
