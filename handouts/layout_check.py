"""What the real layout says about a lesson: slides that overflow, rows too tall, a table too
long for its page. Read from where WeasyPrint laid out each element id, never guessed from
character counts; each finding points at the lesson text it comes from."""

from __future__ import annotations

import math
import re

from .errors import ContentError, Location
from .formats import Anchors
from .model import Lesson, Row
from .slides import Slide

# A line of slide text (slides.css: 24 pt type, line-height 1.3), in CSS px (0.75 pt).
SLIDE_LINE_PX = 24 * 1.3 / 0.75
SLIDE_ID = re.compile(r"slide-(\d+)")
ROW_ID = re.compile(r"row-(\d+)")


def _pages_of(anchors: Anchors, pattern: re.Pattern[str]) -> dict[int, list[int]]:
    """For each numbered element (1-based), the pages (0-based) it was laid out on."""
    found: dict[int, list[int]] = {}
    for page, boxes in enumerate(anchors):
        for name in boxes:
            if match := pattern.fullmatch(name):
                found.setdefault(int(match[1]), []).append(page)
    return found


def slide_of_each_page(anchors: Anchors) -> list[int]:
    """For each page of a deck, the number (from 1) of the slide it shows."""
    shown = [0] * len(anchors)
    for number, pages in _pages_of(anchors, SLIDE_ID).items():
        for page in pages:
            shown[page] = shown[page] or number
    return shown


def _row_name(row: Row, number: int) -> str:
    return f"'{row.label}'" if row.label else str(number)


def slide_problems(
    lesson: Lesson, slides: tuple[Slide, ...], anchors: Anchors
) -> list[ContentError]:
    """Slides that need more than one page without leave to continue, and table rows too
    tall for a slide."""
    problems = []
    for number, pages in sorted(_pages_of(anchors, SLIDE_ID).items()):
        slide = slides[number - 1]
        if len(pages) == 1 or slide.may_continue:
            continue
        spill = sum(
            anchors[p][f"slide-{number}"][3] - anchors[p][f"slide-{number}"][1] for p in pages[1:]
        )
        lines = max(1, math.ceil(spill / SLIDE_LINE_PX - 0.25))
        problems.append(
            ContentError(
                slide.where or Location(lesson.source, 1, 1),
                f"slide '{slide.bookmark}' overflows its slide "
                f"(about {lines} line{'s' * (lines != 1)} too many)",
                "shorten it, or let it continue on the next slide: 'continue: true' in its section",
            )
        )
    rows = lesson.comparison.rows if lesson.comparison else ()
    for number, pages in sorted(_pages_of(anchors, ROW_ID).items()):
        if len(pages) > 1:
            row = rows[number - 1]
            problems.append(
                ContentError(
                    row.where,
                    f"row {_row_name(row, number)} of the comparison table is too tall for a slide",
                    "shorten its cells",
                )
            )
    return problems


def table_problem(lesson: Lesson, anchors: Anchors, floor_pt: float) -> ContentError:
    """Why the comparison table did not fit one page at its smallest type: its tallest row."""
    assert lesson.comparison is not None
    heights: dict[int, float] = {}
    for page in anchors:
        for name, (_, top, _, bottom) in page.items():
            if match := ROW_ID.fullmatch(name):
                heights[int(match[1])] = heights.get(int(match[1]), 0.0) + bottom - top
    number = max(heights, key=lambda n: heights[n])
    row = lesson.comparison.rows[number - 1]
    return ContentError(
        row.where,
        f"the comparison table does not fit on one page, even with its type at {floor_pt:g} pt; "
        f"its longest row is {_row_name(row, number)}",
        "shorten the longest cells, or split the table into two lessons",
    )
