"""The slide deck: 16:9 slides derived from the lesson, checked for slides that overflow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import ContentError, Location
from ..render.cache import BuildCache
from ..render.layout import BODY, ROW, SLIDE, RenderedDeck, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings

if TYPE_CHECKING:
    from ..derive.deck import Slide
    from ..derive.fit import Measured

SLIDE_HEIGHT_IN = 7.5  # and 13.333 in wide: 16:9
MEASURING_HEIGHT_IN = 40 * SLIDE_HEIGHT_IN  # pages no slide breaks over, to measure slides
PX_PER_IN = 96
# Slides without their footer: in the notes' frames, and while measured (page counters and
# running elements make WeasyPrint lay pages out again).
WITHOUT_FOOTER = (
    "@page { @bottom-left { content: none; } @bottom-right { content: none; } "
    # the course's licence is the document's own style: only !important is over it
    "@bottom-center { content: none !important; } }"
)
ROOM_FOR_FIGURES = ("BODY_WIDTH_IN", "BESIDE_SHARE", "FIGURES_HEIGHT_IN")  # see derive/deck.py
SETTLING = 3  # renders at most to step down slides the measures let fit but the pages do not


def row_name(label: str | None, number: int) -> str:
    """How a message names a row of a comparison table: its label, or its number in it."""
    return f"'{label}'" if label else str(number)


def slide_problems(prepared: Prepared, pdf: RenderedDeck) -> list[ContentError]:
    """Slides that need more than one page without leave to continue, and table rows too
    tall for a slide, read from where the deck's layout put them."""
    from ..derive.deck import SlideKind

    lesson = prepared.lesson
    problems = []
    for number, pages in sorted(SLIDE.pages(pdf.anchors).items()):
        slide = pdf.deck[number - 1]
        if len(pages) == 1:
            continue
        lines = max(1, sum(pdf.lines[page].get(SLIDE(number), 0) for page in pages[1:]))
        if slide.continued or slide.may_continue or slide.kind is SlideKind.TABLE:
            hint = "shorten its longest point: even alone on a slide it does not fit"
        elif slide.kind is SlideKind.SIDE_BY_SIDE:
            hint = (
                "shorten it, let it continue on the next slide ('continue: true'), or give "
                "each subject a slide: remove 'slides: together'"
            )
        else:
            hint = (
                "shorten it, or let it continue on the next slide: 'continue: true' in its section"
            )
        problems.append(
            ContentError(
                slide.where or Location(lesson.source, 1, 1),
                f"slide '{slide.bookmark}' overflows its slide "
                f"(about {lines} line{'s' * (lines != 1)} too many)",
                hint,
            )
        )
    for number, pages in sorted(ROW.pages(pdf.anchors).items()):
        if len(pages) > 1:
            table, place = lesson.table_row(number)
            row = table.rows[place - 1]
            problems.append(
                ContentError(
                    row.where,
                    f"row {row_name(row.label, place)} of {table.called} is too tall for a slide",
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
    shares_layout = "deck"
    on_paper = False  # shown on a screen: never padded
    table_place = "on a slide"

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """Every slide the deck may show, subjects and figures apart too, on pages for
        measuring: the planned HTML says all the layout decides from (`make` decides it)."""
        every, index = list(prepared.deck), 0
        while index < len(every):  # what a slide may give way to, and what that may
            every += every[index].apart
            index += 1
        return self._slides(every, MEASURING_HEIGHT_IN)

    @staticmethod
    def _slides(slides: Sequence[Slide], page_height_in: float) -> dict[str, Any]:
        from ..derive import deck

        room = {name: getattr(deck, name) for name in ROOM_FOR_FIGURES}
        return {
            "slides": slides,
            "SlideKind": deck.SlideKind,
            "page_height_in": page_height_in,
            **room,
        }

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedDeck:
        """The deck fitted to its slides from measured layouts, then rendered; with the
        teacher's notes as PDF comments if the settings ask."""
        pdf = self.render_deck(html, prepared, settings, cache)
        if not settings.speaker_notes:
            return pdf
        from ..lesson.markdown import plain_text
        from ..render import compose

        notes = [plain_text(slide.notes) for slide in pdf.deck]
        data = compose.with_speaker_notes(pdf.data, notes, prepared.lesson.right_to_left)
        return replace(pdf, data=data)

    def made_with(self, settings: Settings) -> tuple[str, ...]:
        """Its stylesheets, and whether it carries the teacher's notes."""
        return (*super().made_with(settings), f"speaker-notes={settings.speaker_notes}")

    def render_deck(
        self,
        planned: str,
        prepared: Prepared,
        settings: Settings,
        cache: BuildCache,
        extra_css: str = "",
    ) -> RenderedDeck:
        """The fitted deck's PDF, its slides in `pdf.deck`; `planned` is the deck's planned
        HTML, and `extra_css` goes last (it must not change the slides' layout). A deck
        fitted once in a build is not fitted again (`cache.fitted`: the build gives a
        lesson's outputs that show its deck to one worker), nor rendered again with the same
        `extra_css` (`cache.decks`)."""
        from ..derive.fit import FLOOR_PT, SIZES_PT

        key = (planned, prepared.theme)
        if (rendered := cache.decks.get((*key, extra_css))) is not None:
            return rendered
        renderer = cache.renderer(prepared.theme)
        seconds = 0.0
        if (slides := cache.fitted.get(key)) is None:
            slides, seconds = self._fit(prepared, settings, cache)
        for _ in range(SETTLING):
            context = self._slides(slides, SLIDE_HEIGHT_IN)
            html = self.fill(prepared, settings, cache, **context)
            laid = renderer.lay_out(html, self.all_stylesheets(), extra_css)
            seconds += laid.seconds
            spilled = {n - 1 for n, pages in SLIDE.pages(laid.anchors).items() if len(pages) > 1}
            smaller = tuple(
                replace(slide, size_pt=max(s for s in SIZES_PT if s < slide.size_pt))
                if number in spilled and slide.size_pt > FLOOR_PT
                else slide
                for number, slide in enumerate(slides)
            )
            if smaller == slides:
                break
            slides = smaller
        cache.fitted[key] = slides
        rendered = RenderedDeck.of(renderer.write(laid, seconds), slides)
        cache.decks[(*key, extra_css)] = rendered
        return rendered

    def _fit(
        self, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> tuple[tuple[Slide, ...], float]:
        """The deck fitted from measured layouts, and the seconds the layouts took."""
        from ..derive.fit import fit_deck

        renderer = cache.renderer(prepared.theme)
        seconds = 0.0

        def measure(slides: Sequence[Slide]) -> list[Measured]:
            nonlocal seconds
            if not slides:
                return []
            context = self._slides(slides, MEASURING_HEIGHT_IN)
            html = self.fill(prepared, settings, cache, **context)
            layout = renderer.lay_out(html, self.all_stylesheets(), WITHOUT_FOOTER)
            seconds += layout.seconds
            return [_measured(layout, number) for number in range(1, len(slides) + 1)]

        return fit_deck(prepared.deck, measure), seconds

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """Slides that overflow, rows too tall for a slide, columns too narrow."""
        assert isinstance(pdf, RenderedDeck), "a kind that shows the deck makes a RenderedDeck"
        return [*slide_problems(prepared, pdf), *super().layout_problems(prepared, pdf)]


def _measured(layout: RenderedPdf, number: int) -> Measured:
    """Slide `number`'s measures in a layout made to measure (a slide a page)."""
    from ..derive.fit import Measured

    slide, body = SLIDE(number), BODY(number)
    # A slide taller than the measuring page goes on over the next (its boxes on each).
    on = [page for page, boxes in enumerate(layout.anchors) if slide in boxes]
    pages = [layout.anchors[page] for page in on]
    room = layout.body_px[on[0]] - (MEASURING_HEIGHT_IN - SLIDE_HEIGHT_IN) * PX_PER_IN
    return Measured(_height(pages, slide), _height(pages, body), room)


def _height(pages: list[dict[str, tuple[float, float, float, float]]], name: str) -> float:
    """The height of the element `name` over the pages it is laid out on, in CSS px."""
    return sum(boxes[name][3] - boxes[name][1] for boxes in pages if name in boxes)


register(Slides())


def deck_kind() -> Slides:
    """The registered slide deck, which the outputs that show it render it with."""
    from . import get

    kind = get("slides")
    assert isinstance(kind, Slides), "the kind registered as 'slides' renders the deck"
    return kind
