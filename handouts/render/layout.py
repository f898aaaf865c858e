"""What a render gives back besides the PDF: where each element id was laid out.

The ids are a contract between the templates, which set them, and the code that reads the
layout back (overflowing slides, rows too tall, where the notes' frames are): both sides use
the `ElementId`s defined here, never a name of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..derive.deck import Slide

PT_PER_PX = 0.75  # the layout measures in CSS px; a PDF in points
# Per page, each element id laid out there and its box (x1, y1, x2, y2) in CSS px.
Anchors = tuple[dict[str, tuple[float, float, float, float]], ...]
# Per page, each element id laid out there and how many lines of text it holds on that page.
LineCounts = tuple[dict[str, int], ...]


@dataclass(frozen=True)
class ElementId:
    """A numbered element id, `<prefix>-<n>`, n from 1: templates make it, the layout reads it."""

    prefix: str

    def __call__(self, number: int) -> str:
        """The id of element `number`."""
        return f"{self.prefix}-{number}"

    def number(self, name: str) -> int | None:
        """The number in `name` if it is one of these ids, else None."""
        match = re.fullmatch(rf"{re.escape(self.prefix)}-(\d+)", name)
        return int(match[1]) if match else None

    def pages(self, anchors: Anchors) -> dict[int, list[int]]:
        """For each element laid out (by number), the pages (from 0) it was laid out on."""
        found: dict[int, list[int]] = {}
        for page, boxes in enumerate(anchors):
            for name in boxes:
                if (number := self.number(name)) is not None:
                    found.setdefault(number, []).append(page)
        return found


SLIDE = ElementId("slide")  # a slide of the deck
ROW = ElementId("row")  # a row of a comparison table, numbered through the lesson's tables
TABLE = ElementId("table")  # a comparison table with its heading, on the table's page
THUMB = ElementId("thumb")  # the frame a page of the deck goes into, in the notes
# A subject's cell in the first row of a comparison table, numbered as WRITING is.
COLUMN = ElementId("column")
BODY = ElementId("body")  # what a slide shows under its heading: the part whose type is sized
# A blank cell's ruled writing space on the worksheet, numbered by the cell's place in the
# table, row after row: (row - 1) * columns + column.
WRITING = ElementId("writing")
PAGE_AREA = ElementId("page-area")  # a box as tall as the page's body area, on every page
# A question of the quiz, numbered in the order its version prints them.
QUESTION = ElementId("question")
END = ElementId("end")  # an empty box after everything a handout shows: where it ends
# As templates call them.
ELEMENT_IDS = {
    "slide_id": SLIDE,
    "row_id": ROW,
    "table_id": TABLE,
    "thumb_id": THUMB,
    "column_id": COLUMN,
    "body_id": BODY,
    "writing_id": WRITING,
    "page_area_id": PAGE_AREA,
    "question_id": QUESTION,
    "end_id": END,
}


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF: its bytes, page count, WeasyPrint's warnings, the time, and where each
    element with an id was laid out."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]
    seconds: float
    anchors: Anchors = ()
    lines: LineCounts = ()
    base_size_pt: float = 0.0  # the root element's type size, as laid out
    body_px: tuple[float, ...] = ()  # each page's height inside its margins, CSS px
    remark: str = ""  # what the build line says of how it was made ("set tighter ...")


@dataclass(frozen=True)
class RenderedDeck(RenderedPdf):
    """A PDF that shows a lesson's slides: the slides as fitted, one a page of the deck, and
    the deck's layout (for the notes, whose own pages frame the slides: the slides')."""

    deck: tuple[Slide, ...] = ()

    @classmethod
    def of(cls, pdf: RenderedPdf, deck: tuple[Slide, ...]) -> RenderedDeck:
        """`pdf`, showing `deck`."""
        return cls(**pdf_fields(pdf), deck=deck)


def pdf_fields(pdf: RenderedPdf) -> dict[str, Any]:
    """What `pdf` holds as a `RenderedPdf`, by field (a subclass's own fields left out)."""
    return {field.name: getattr(pdf, field.name) for field in fields(RenderedPdf)}


def slide_of_each_page(anchors: Anchors) -> list[int]:
    """For each page of a deck, the number (from 1) of the slide it shows."""
    shown = [0] * len(anchors)
    for number, pages in SLIDE.pages(anchors).items():
        for page in pages:
            shown[page] = shown[page] or number
    return shown
