"""Where everything on an answer sheet is, in millimetres from the page's top left corner:
the template places the marks and bubbles here, and the reader looks for them here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..lesson.model import LETTERS

PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARK = 8.0  # the side of a corner mark
MARK_CENTRE = 14.0  # from the page's edges to a corner mark's centre
BUBBLE = 4.4  # a bubble's diameter
LEFT = 22.0  # where the version row, the number grid and the questions start
VERSION_Y = 50.0  # the version row's centre line
VERSION_PITCH = 5.8
DIGITS = 6  # of the student number
NUMBER_TOP = 72.0  # the centre line of the number grid's "0" row
NUMBER_PITCH = (7.0, 5.6)  # between the grid's columns, and its rows
QUESTIONS_TOP = 144.0  # the first question row's centre line
QUESTIONS_BOTTOM = 22.0  # from the page's foot to the lowest question row's centre line
ROW = 6.6  # between question rows
COLUMN = 58.0  # between the question columns' left edges
COLUMNS = 3
NUMBER_WIDTH = 10.0  # a question's number before its bubbles
CHOICE_PITCH = 8.5  # between a question's bubbles (a letter stands before each)


@dataclass(frozen=True)
class Bubble:
    """A bubble's centre."""

    x: float
    y: float


@dataclass(frozen=True)
class Layout:
    """An answer sheet's geometry on one paper: its corner marks' centres (top left, top
    right, bottom left, bottom right), the version row (one bubble per letter A-Z), the
    student number's grid (per digit, the bubbles of 0-9), and each question's row (its
    number's place, then its bubbles, none when answered on the quiz paper)."""

    width: float
    height: float
    marks: tuple[Bubble, Bubble, Bubble, Bubble]
    versions: tuple[Bubble, ...]
    number: tuple[tuple[Bubble, ...], ...]
    questions: tuple[tuple[Bubble, tuple[Bubble, ...]], ...]


def rows_fit(paper: str) -> int:
    """How many question rows a sheet of `paper` holds."""
    height = PAPER_MM[paper][1]
    return int((height - QUESTIONS_BOTTOM - QUESTIONS_TOP) // ROW + 1) * COLUMNS


def layout(paper: str, counts: Sequence[int]) -> Layout:
    """The sheet on `paper` for questions of `counts` bubbles each (0: not bubbled), as
    many as fit (`rows_fit`)."""
    width, height = PAPER_MM[paper]
    near, far_x, far_y = MARK_CENTRE, width - MARK_CENTRE, height - MARK_CENTRE
    marks = (Bubble(near, near), Bubble(far_x, near), Bubble(near, far_y), Bubble(far_x, far_y))
    versions = tuple(
        Bubble(LEFT + 20 + VERSION_PITCH * place, VERSION_Y) for place in range(len(LETTERS))
    )
    across, down = NUMBER_PITCH
    number = tuple(
        tuple(Bubble(LEFT + 20 + across * digit, NUMBER_TOP + down * n) for n in range(10))
        for digit in range(DIGITS)
    )
    per_column = rows_fit(paper) // COLUMNS
    questions = []
    for place, count in enumerate(counts[: rows_fit(paper)]):
        left = LEFT + COLUMN * (place // per_column)
        y = QUESTIONS_TOP + ROW * (place % per_column)
        first = left + NUMBER_WIDTH + CHOICE_PITCH - BUBBLE / 2
        row = tuple(Bubble(first + CHOICE_PITCH * n, y) for n in range(count))
        questions.append((Bubble(left, y), row))
    return Layout(width, height, marks, versions, number, tuple(questions))
