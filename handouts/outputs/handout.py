"""The class handout: portrait pages, the whole lesson, the comparison table in the flow.

No sheet wasted: a handout whose last page would hold only a little (less than `LITTLE` of
its body's height, a conclusion of two lines) is set a step tighter, spacing first, then
type, until it takes one page fewer; if even the tightest step (`TIGHTER[-1]`, the floor:
10 pt type on 1.35 lines, paragraphs 0.4 em apart) does not get there, it stays as it was.
For a class of 30, a page fewer is 30 sheets.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ..render.cache import BuildCache
from ..render.layout import END, PAGE_AREA, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings

LITTLE = 0.2  # of the body's height: a last page holding less is worth saving
_SPACING = "p, ul, ol { margin-bottom: 0.4em; } h2 { margin: 0.7em 0 0.3em; }"
# The steps, each tighter than the one before; the last is the floor.
TIGHTER = (
    _SPACING,
    f"html {{ line-height: 1.38; }} {_SPACING}",
    f"html {{ font-size: 10pt; line-height: 1.35; }} {_SPACING}",
)


def last_page_share(pdf: RenderedPdf) -> float | None:
    """How much of its body's height the last page fills, from where the handout's end was
    laid out; None when the layout does not say (a theme's template without the marks)."""
    boxes = pdf.anchors[-1] if pdf.anchors else {}
    if END(1) not in boxes or PAGE_AREA(1) not in boxes:
        return None
    top, bottom = boxes[PAGE_AREA(1)][1], boxes[PAGE_AREA(1)][3]
    return (boxes[END(1)][1] - top) / (bottom - top) if bottom > top else None


class Handout(OutputKind):
    """`<lesson>-handout.pdf`."""

    name = "handout"
    order = 10
    template = "handout.html.j2"
    stylesheets: ClassVar[tuple[str, ...]] = ("handout.css",)
    table_place = "on the handout"
    tighter: ClassVar[tuple[str, ...]] = TIGHTER  # the steps it may be set tighter by

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedPdf:
        """The handout, set a step tighter when that saves a page that would hold only a
        little (see the module): the floor is laid out first, and only if it saves the page
        are the looser steps tried, the first that does rendered."""
        renderer = cache.renderer(prepared.theme)
        sheets = self.all_stylesheets()
        laid = renderer.lay_out(html, sheets)
        share = last_page_share(laid)
        if not self.tighter or laid.pages < 2 or share is None or share >= LITTLE:
            return renderer.write(laid)
        floor = renderer.lay_out(html, sheets, self.tighter[-1])
        seconds = laid.seconds + floor.seconds
        if floor.pages >= laid.pages:
            return renderer.write(laid, seconds)
        chosen, kept = len(self.tighter), floor
        for step, css in enumerate(self.tighter[:-1], start=1):
            tried = renderer.lay_out(html, sheets, css)
            seconds += tried.seconds
            if tried.pages < laid.pages:
                chosen, kept = step, tried
                break
        remark = f"set {chosen} step{'s' * (chosen > 1)} tighter to save a page"
        return replace(renderer.write(kept, seconds), remark=remark)


register(Handout())
