"""The worksheet: the comparison tables with ruled writing space in place of the answers."""

from __future__ import annotations

from typing import Any

from ..derive.worksheet import PLANNED, Writing, free_height, grown
from ..lesson.model import Comparison
from ..render.cache import BuildCache
from ..render.layout import PAGE_AREA, ROW, WRITING, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings

# Growths at most, each rendered: a second one fills what rows grew short by (a row whose
# given cell or label is taller than its lines grows less than they do).
GROWTH_RENDERS = 2
# A growth that would add a page is tried again this much smaller, once: on a sheet of
# several pages, rows that move to the next page leave their page's foot empty.
SMALLER_GROWTH = 0.5


class Worksheet(OutputKind):
    """`<lesson>-worksheet.pdf`: its HTML never holds an answer."""

    name = "worksheet"
    order = 50
    template = "worksheet.html.j2"
    stylesheets = ("worksheet.css",)
    needs_comparison = True
    shares_layout = "worksheet"  # the answer key grows as it does
    table_place = "on the worksheet"
    with_answers = False

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """Whether the answers are written on the lines, and the lines as planned."""
        return self._context(prepared, PLANNED)

    def _context(self, prepared: Prepared, writing: Writing) -> dict[str, Any]:
        """The answers or not, the writing space's plan and each row's lines by it."""
        lines = writing.row_lines(prepared.lesson.tables)
        return {"answers": self.with_answers, "writing": writing, "lines_of_rows": lines}

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedPdf:
        """The planned pages, their writing space then grown to fill the pages' height, each
        growth measured on the pages before it (`derive.worksheet`): a table of several
        pages spreads its rows down to the last page's foot, so that no page is left mostly
        empty; the lines of a lesson's tables, each from a new page, grow alike. A growth
        that needs one more page is tried again smaller, then not kept. The answer key's
        pages, with the same layout, grow alike."""
        renderer = cache.renderer(prepared.theme)
        lesson = prepared.lesson
        grown_before = cache.writing.get((lesson.source, lesson.digest, prepared.theme, settings))
        if grown_before is not None:  # the worksheet's, grown: the key's pages are the same
            page = self.fill(prepared, settings, cache, **self._context(prepared, grown_before))
            return renderer.render(page, self.all_stylesheets(), extra_css=grown_before.css())
        laid = renderer.lay_out(html, self.all_stylesheets())
        tables = lesson.tables
        pitch = _planned_pitch(laid, tables)
        if pitch is None:
            return renderer.write(laid)
        writing, seconds = PLANNED, laid.seconds
        for _ in range(GROWTH_RENDERS):
            room, attempt = _room(laid), None
            for share in (1.0, SMALLER_GROWTH):
                bigger = grown(tables, writing, pitch, room * share)
                if bigger is None:
                    break
                page = self.fill(prepared, settings, cache, **self._context(prepared, bigger))
                attempt = renderer.lay_out(page, self.all_stylesheets(), bigger.css())
                seconds += attempt.seconds
                if attempt.pages <= laid.pages:
                    break
            if attempt is None or bigger is None or attempt.pages > laid.pages:
                break
            laid, writing = attempt, bigger
        cache.writing[(lesson.source, lesson.digest, prepared.theme, settings)] = writing
        return renderer.write(laid, seconds)


def _planned_pitch(pdf: RenderedPdf, tables: tuple[Comparison, ...]) -> float | None:
    """The stylesheet's pitch, in px: the blank cells' measured height over their lines
    (on the first page)."""
    lines_of_rows = PLANNED.row_lines(tables)
    columns = len(tables[0].columns) if tables else 1
    height = lines = 0.0
    for name, (_, top, _, bottom) in (pdf.anchors[0] if pdf.anchors else {}).items():
        if (number := WRITING.number(name)) is not None:
            height += bottom - top
            lines += lines_of_rows[(number - 1) // columns]
    return height / lines if lines else None


def _room(pdf: RenderedPdf) -> float:
    """How much taller the tables may grow, in px (0: they may not): the room below their
    rows on each of their pages, summed."""
    area = pdf.anchors[0].get(PAGE_AREA(1)) if pdf.anchors else None
    if area is None:
        return 0.0
    room = 0.0
    for page in pdf.anchors:
        bottoms = [box[3] for name, box in page.items() if ROW.number(name) is not None]
        room += free_height(area[1], area[3], max(bottoms)) if bottoms else 0.0
    return room


register(Worksheet())
