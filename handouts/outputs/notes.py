"""The note-taking handout: the real slides of the deck in frames on the handout's paper,
three a page with ruled lines beside them, or six."""

from __future__ import annotations

import time
from dataclasses import replace

from ..errors import ContentError
from ..render.cache import BuildCache
from ..render.layout import RenderedDeck, RenderedPdf, slide_of_each_page
from . import register
from .kind import OutputKind, Prepared, Settings
from .slides import WITHOUT_FOOTER, deck_kind


class Notes(OutputKind):
    """`<lesson>-notes.pdf`. Its planned HTML is the deck's: the frames' page is laid out
    when the deck's pages are known."""

    name = "notes"
    order = 30
    template = "notes.html.j2"
    stylesheets = ("handout.css", "frames.css", "notes.css")
    shows_deck = True
    shares_layout = "deck"

    def html(self, prepared: Prepared, settings: Settings, cache: BuildCache) -> str:
        """The deck's HTML: the notes show its rendered pages."""
        return deck_kind().html(prepared, settings, cache)

    def per_page(self, settings: Settings) -> int:
        """The slides on each page."""
        return settings.slides_per_page

    def made_with(self, settings: Settings) -> tuple[str, ...]:
        """The deck's stylesheets, its own, the paper, the slides a page and its padding."""
        paper = (settings.paper.name, str(self.per_page(settings)))
        stylesheets = (*deck_kind().all_stylesheets(), *self.all_stylesheets())
        return (self.name, *paper, *stylesheets, *self.padding(settings))

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedDeck:
        """The deck rendered, then the handout's pages laid out around it, then composed."""
        from ..derive.fit import equal_shares
        from ..render import compose  # pikepdf loads only when a note-taking handout is made

        started = time.perf_counter()
        # The slides in the frames leave out their own footer: the frame numbers each slide.
        slides = deck_kind().render_deck(html, prepared, settings, cache, WITHOUT_FOOTER)
        pages = [
            (page, slides.deck[number - 1], slides.deck[number - 1].continued)
            for page, number in enumerate(slide_of_each_page(slides.anchors), start=1)
        ]
        per_page = self.per_page(settings)
        # The slides shared over as few pages as hold them, as equally as can be: no last
        # page with one slide while the others hold three.
        count = -(-len(pages) // per_page)
        sheets = [[pages[i] for i in share] for share in equal_shares(len(pages), count)]
        frames_html = self.fill(prepared, settings, cache, per_page=per_page, sheets=sheets)
        frames = cache.renderer(prepared.theme).render(frames_html, self.all_stylesheets())
        composed = replace(
            frames,
            data=compose.slides_in_frames(frames, slides),
            warnings=tuple(dict.fromkeys(slides.warnings + frames.warnings)),
            seconds=time.perf_counter() - started,
            anchors=slides.anchors,
            lines=slides.lines,
            base_size_pt=slides.base_size_pt,
        )
        return RenderedDeck.of(composed, slides.deck)

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """The deck's problems: the notes show its slides."""
        return deck_kind().layout_problems(prepared, pdf)


NOTES = register(Notes())
