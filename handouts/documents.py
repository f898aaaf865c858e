"""How each output's HTML becomes its PDF: rendered as it is, shrunk to fit its one page, or
(the note-taking handout) composed from the rendered deck. Runs in worker processes too."""

from __future__ import annotations

import time
from dataclasses import replace

from . import render_html, render_pdf
from .formats import STYLESHEETS, TEMPLATES_DIR, Paper, RenderedPdf
from .layout_check import slide_of_each_page
from .model import Lesson
from .slides import deck

# The one-page comparison table's base type size, tried largest first; 9 pt is the floor.
TABLE_SIZES_PT = (13.0, 12.0, 11.0, 10.0, 9.5, 9.0)


def _notes(html: str, lesson: Lesson, paper: Paper, per_page: int) -> RenderedPdf:
    """The deck rendered, then the handout's pages laid out around it, then composed."""
    from . import notes_pdf  # pikepdf loads only when a note-taking handout is made

    started = time.perf_counter()
    slides = render_pdf.render(html, TEMPLATES_DIR, STYLESHEETS["slides"])
    shown = deck(lesson)
    numbers = slide_of_each_page(slides.anchors)
    pages = [
        (page, shown[number - 1], page > 1 and numbers[page - 2] == number)
        for page, number in enumerate(numbers, start=1)
    ]
    frames = render_pdf.render(
        render_html.notes(lesson, paper, per_page, pages), TEMPLATES_DIR, STYLESHEETS["notes"]
    )
    return replace(
        frames,
        data=notes_pdf.compose(frames, slides),
        warnings=tuple(dict.fromkeys(slides.warnings + frames.warnings)),
        seconds=time.perf_counter() - started,
        anchors=slides.anchors,
    )


def make(output: str, html: str, lesson: Lesson, paper: Paper, per_page: int) -> RenderedPdf:
    """The PDF of one output of a lesson, from the HTML planned for it."""
    if output == "notes":
        return _notes(html, lesson, paper, per_page)
    if output == "table":
        return render_pdf.render_to_fit(html, TEMPLATES_DIR, STYLESHEETS[output], TABLE_SIZES_PT)
    return render_pdf.render(html, TEMPLATES_DIR, STYLESHEETS[output])
