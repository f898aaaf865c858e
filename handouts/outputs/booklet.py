"""The handout as a folded booklet: typeset on half the paper (A5 from A4), then imposed
two pages a side on the paper turned landscape, in saddle-stitch order."""

from __future__ import annotations

from dataclasses import replace

from ..lesson.model import Lesson
from ..render.cache import BuildCache
from . import register
from .handout import Handout
from .kind import Prepared, Settings


class HandoutBooklet(Handout):
    """`<lesson>-handout-booklet.pdf`, made when the build asks for it (--booklet)."""

    name = "booklet"
    order = 11
    stylesheets = (*Handout.stylesheets, "booklet.css")
    tighter = ()  # its type is set for the half page (booklet.css): the steps would enlarge it

    def versions(self, lesson: Lesson, settings: Settings) -> tuple[str, ...]:
        """One booklet when the build asks for it, else none."""
        return ("",) if settings.booklet else ()

    def file_part(self, version: str) -> str:
        """`handout-booklet`: it is the handout, folded."""
        return "handout-booklet"

    def html(self, prepared: Prepared, settings: Settings, cache: BuildCache) -> str:
        """The handout's HTML on the paper's half."""
        return super().html(prepared, replace(settings, paper=settings.paper.half()), cache)

    def made_with(self, settings: Settings) -> tuple[str, ...]:
        """Its name, the paper and its stylesheets (a booklet is never padded but to four)."""
        return (self.name, settings.paper.name, *self.all_stylesheets())

    def pads(self, settings: Settings) -> bool:
        """Never to an even count: imposing pads it to whole sheets."""
        return False

    def finished(
        self, data: bytes, pages: int, prepared: Prepared, settings: Settings
    ) -> tuple[bytes, int]:
        """The half-size pages imposed on the paper turned landscape, bound on the right
        when the lesson reads right to left."""
        from ..render.imposition import imposed  # pikepdf loads only when one is made

        width, height = settings.paper.points
        return imposed(data, (height, width), prepared.lesson.right_to_left)


register(HandoutBooklet())
