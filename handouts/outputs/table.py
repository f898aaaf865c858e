"""The comparison table alone on one landscape page, its type made smaller until it fits."""

from __future__ import annotations

import statistics

from ..errors import ContentError
from ..render.cache import BuildCache
from ..render.layout import ROW, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings
from .slides import row_name

# Smaller base type sizes the table is tried at when it does not fit one page at its
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
        """Rendered at each size in turn until it is one page."""
        return cache.renderer(prepared.theme).render_to_fit(
            html, self.all_stylesheets(), SMALLER_PT
        )

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """A table that did not fit one page even at the floor: its tallest row is named."""
        comparison = prepared.lesson.comparison
        if pdf.pages == 1 or comparison is None:
            return super().layout_problems(prepared, pdf)
        heights: dict[int, float] = {}
        for page in pdf.anchors:
            for name, (_, top, _, bottom) in page.items():
                if (number := ROW.number(name)) is not None:
                    heights[number] = heights.get(number, 0.0) + bottom - top
        number = max(heights, key=lambda n: heights[n])
        row = comparison.rows[number - 1]
        if heights[number] < 1.5 * statistics.median(heights.values()):  # none stands out
            return [
                ContentError(
                    comparison.rows[0].where,
                    f"the comparison table does not fit on one page, even with its type at "
                    f"{SMALLER_PT[-1]:g} pt: its {len(comparison.rows)} rows are too many",
                    "split the table into two lessons, or leave out some rows",
                )
            ]
        return [
            ContentError(
                row.where,
                "the comparison table does not fit on one page, even with its type at "
                f"{SMALLER_PT[-1]:g} pt; its longest row is {row_name(row.label, number)}",
                "shorten the longest cells, or split the table into two lessons",
            )
        ]


register(Table())
