"""The worksheet's writing space: how many ruled lines a pupil gets for an answer, and how
that space grows until the table fills its page.

Every blank cell of a row is ruled with the lines its row's longest answer is planned to
need. The rule that grows them, applied to what a render of the page measured (never to
character counts):

1. The table may grow by the free height between its bottom and the body's bottom, less a
   safety margin of `SAFETY` of the body's height; a table that ends less than another
   such margin above that line is left as it is.
2. The ruled lines then have to cover their present height plus that free height. Every
   row's planned lines are multiplied by the same factor and rounded down to whole lines:
   as many lines as fit at the preferred handwriting pitch, `PREFERRED_PITCH_MM` (never
   fewer than planned, never a pitch below the stylesheet's own).
3. The height still left is spread over all lines alike by growing the pitch, up to
   `MAX_PITCH_MM`.

Rows only grow as their lines do, so the table grows at most by the free height; the page
renders again with the new lines, and a growth that would break it in two is not kept."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..lesson.model import Comparison

# Handwriting takes about 2.6 mm a character: a landscape table's cells hold about 80
# handwritten characters a line between them, shared by the columns.
HANDWRITTEN_CHARS_ACROSS = 80
MAX_LINES = 6  # planned for the longest answer, before the lines grow to fill the page
PREFERRED_PITCH_MM = 8.0  # between ruled lines, for handwriting (7 to 10 mm suits it)
MAX_PITCH_MM = 12.0  # the widest the lines are spread
SAFETY = 0.03  # of the body's height, left free below a grown table
PX_PER_MM = 96 / 25.4  # the layout measures in CSS px
LINK_TARGET = re.compile(r"\]\([^)]*\)")
MARKUP = re.compile(r"[*_`\[\]\\]")
ONCE = Fraction(1)


@dataclass(frozen=True)
class Writing:
    """How the ruled writing space is drawn: every row's planned lines times `factor`,
    rounded down, `pitch_px` apart (None: the stylesheet's own pitch)."""

    factor: Fraction = ONCE
    pitch_px: float | None = None

    def row_lines(self, tables: Sequence[Comparison]) -> list[int]:
        """For each row of `tables`, in turn, the ruled lines of each of its blank cells."""
        return row_lines(tables, self.factor)

    def css(self) -> str:
        """The stylesheet rule that sets the pitch, when it is not the stylesheet's own."""
        return "" if self.pitch_px is None else f"html {{ --line: {self.pitch_px:.3f}px; }}"


# A picture in an answer (as lesson/markdown.py's PICTURE_MARKUP, not imported: the
# Markdown parser loads only when something is built).
PICTURE = re.compile(r"!\[[^\]]*\]\(")
PICTURE_LINES = 4  # the lines a picture answer is planned: a cell's picture (30 mm at most)
PLANNED = Writing()  # the lines as planned from the answers, at the stylesheet's pitch


def _visible_length(inline: str) -> int:
    """About how many characters inline Markdown shows: no link targets or markers."""
    return len(MARKUP.sub("", LINK_TARGET.sub("", inline)))


def writing_lines(answer: str, columns: int, factor: Fraction = ONCE) -> int:
    """Ruled lines for writing `answer` (inline Markdown) by hand in one of `columns`
    columns: planned from its length, then times `factor`, rounded down."""
    per_line = HANDWRITTEN_CHARS_ACROSS / max(columns, 1)
    planned = min(MAX_LINES, max(1, math.ceil(_visible_length(answer) / per_line)))
    if PICTURE.search(answer):  # room to draw it, and for the answer key's picture
        planned = max(planned, PICTURE_LINES)
    return math.floor(planned * factor)


def row_lines(tables: Sequence[Comparison], factor: Fraction = ONCE) -> list[int]:
    """For each row of `tables`, in turn, the lines its longest blank answer gets (0 when
    every cell is given): every blank cell of the row is ruled with as many, down to the
    row's bottom."""
    return [
        max(
            (
                writing_lines(cell, len(table.columns), factor)
                for column, cell in enumerate(row.cells)
                if not row.is_given(column)
            ),
            default=0,
        )
        for table in tables
        for row in table.rows
    ]


def free_height(body_top: float, body_bottom: float, table_bottom: float) -> float:
    """How much taller the table may grow (rule 1), in px; 0 when not worth growing."""
    margin = SAFETY * (body_bottom - body_top)
    free = body_bottom - margin - table_bottom
    return free if free >= margin else 0.0


def grown(
    tables: Sequence[Comparison], writing: Writing, planned_pitch: float, free: float
) -> Writing | None:
    """The writing space of `tables` whose lines cover `free` px more than those of
    `writing` (rules 2 and 3), `planned_pitch` being the stylesheet's own; None when there
    is nothing to grow. Every table's lines grow alike."""
    planned = sum(row_lines(tables))
    if free <= 0 or planned == 0:
        return None
    pitch = writing.pitch_px or planned_pitch
    height = pitch * sum(row_lines(tables, writing.factor)) + free
    preferred = max(PREFERRED_PITCH_MM * PX_PER_MM, planned_pitch)
    factor = max(ONCE, Fraction(math.floor(100 * height / (planned * preferred)), 100))
    widest = max(MAX_PITCH_MM * PX_PER_MM, planned_pitch)
    return Writing(factor, min(widest, height / sum(row_lines(tables, factor))))
