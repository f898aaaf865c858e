"""The slide deck: 16:9 slides derived from the lesson, checked for slides that overflow."""

from __future__ import annotations

from typing import Any

from ..errors import ContentError, Location
from ..render.layout import ROW, SLIDE, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings


def row_name(label: str | None, number: int) -> str:
    """How a message names a row of the comparison table: its label, or its number."""
    return f"'{label}'" if label else str(number)


def slide_problems(prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
    """Slides that need more than one page without leave to continue, and table rows too
    tall for a slide, read from where the deck's layout put them."""
    lesson, slides = prepared.lesson, prepared.deck
    problems = []
    for number, pages in sorted(SLIDE.pages(pdf.anchors).items()):
        slide = slides[number - 1]
        if len(pages) == 1 or slide.may_continue:
            continue
        lines = max(1, sum(pdf.lines[page].get(SLIDE(number), 0) for page in pages[1:]))
        problems.append(
            ContentError(
                slide.where or Location(lesson.source, 1, 1),
                f"slide '{slide.bookmark}' overflows its slide "
                f"(about {lines} line{'s' * (lines != 1)} too many)",
                "shorten it, or let it continue on the next slide: 'continue: true' in its section",
            )
        )
    rows = lesson.comparison.rows if lesson.comparison else ()
    for number, pages in sorted(ROW.pages(pdf.anchors).items()):
        if len(pages) > 1:
            row = rows[number - 1]
            problems.append(
                ContentError(
                    row.where,
                    f"row {row_name(row.label, number)} of the comparison table is too tall "
                    "for a slide",
                    "shorten its cells",
                )
            )
    return problems


class Slides(OutputKind):
    """`<lesson>-slides.pdf`."""

    name = "slides"
    order = 20
    template = "slides.html.j2"
    stylesheets = ("slides.css",)
    shows_deck = True

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """The deck's slides."""
        from ..derive.deck import SlideKind

        return {"slides": prepared.deck, "SlideKind": SlideKind}

    table_place = "on a slide"

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """Slides that overflow, rows too tall for a slide, columns too narrow."""
        return [*slide_problems(prepared, pdf), *super().layout_problems(prepared, pdf)]


DECK = register(Slides())
