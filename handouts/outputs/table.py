"""The comparison tables, each alone on a landscape page, its type made smaller until it
fits."""

from __future__ import annotations

import statistics
from dataclasses import replace

from ..errors import ContentError
from ..lesson.model import Comparison
from ..render.cache import BuildCache
from ..render.layout import ROW, TABLE, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings
from .slides import row_name

# Smaller base type sizes a table is tried at when it does not fit its page at the
# stylesheet's own size, largest first; the last is the floor of legibility.
SMALLER_PT = (12.0, 11.0, 10.0, 9.5, 9.0)


class Table(OutputKind):
    """`<lesson>-table.pdf`."""

    name = "table"
    order = 40
    template = "table.html.j2"
    stylesheets = ("table.css",)
    needs_comparison = True
    table_place = "on the table's page"

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedPdf:
        """Rendered, then again with each table that is over its page a step smaller, until
        each is on one page or at the floor. Its type size (for the columns' check) is the
        smallest a table is set at."""
        renderer = cache.renderer(prepared.theme)
        laid = renderer.lay_out(html, self.all_stylesheets())
        own, seconds = laid.base_size_pt, laid.seconds
        sizes: dict[int, float] = {}  # the tables set smaller, by number (from 1)
        while over := [
            n for n in _over_a_page(laid) if any(s < sizes.get(n, own) for s in SMALLER_PT)
        ]:
            for number in over:
                sizes[number] = max(s for s in SMALLER_PT if s < sizes.get(number, own))
            rules = (f"#{TABLE(n)} {{ font-size: {size}pt; }}" for n, size in sizes.items())
            laid = renderer.lay_out(html, self.all_stylesheets(), " ".join(rules))
            seconds += laid.seconds
        pdf = renderer.write(laid, seconds)
        return replace(pdf, base_size_pt=min(sizes.values(), default=own))

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """Each table that did not fit its page even at the floor, its tallest row named."""
        lesson = prepared.lesson
        over = _over_a_page(pdf)
        if not over:
            return super().layout_problems(prepared, pdf)
        heights: dict[int, float] = {}
        for page in pdf.anchors:
            for name, (_, top, _, bottom) in page.items():
                if (number := ROW.number(name)) is not None:
                    heights[number] = heights.get(number, 0.0) + bottom - top
        return [_too_long(lesson.tables[number - 1], heights) for number in over]


def _over_a_page(pdf: RenderedPdf) -> list[int]:
    """The tables (by number, from 1) laid out over more than one page."""
    return [number for number, pages in sorted(TABLE.pages(pdf.anchors).items()) if len(pages) > 1]


def _too_long(table: Comparison, heights: dict[int, float]) -> ContentError:
    """The error for `table`, too long for its page: at its longest row, if one stands out
    (`heights`: each row's, by its number counted through the lesson's tables)."""
    rows = range(table.first_row + 1, table.first_row + len(table.rows) + 1)
    own = {n: h for n, h in heights.items() if n in rows}
    number = max(own, key=lambda n: own[n])
    place = number - table.first_row
    row = table.rows[place - 1]
    floor = f"{table.called} does not fit on one page, even with its type at {SMALLER_PT[-1]:g} pt"
    if own[number] < 1.5 * statistics.median(own.values()):  # none stands out
        return ContentError(
            table.rows[0].where,
            f"{floor}: its {len(table.rows)} rows are too many",
            "split the table in two, or leave out some rows",
        )
    return ContentError(
        row.where,
        f"{floor}; its longest row is {row_name(row.label, place)}",
        "shorten the longest cells, or split the table in two",
    )


register(Table())
