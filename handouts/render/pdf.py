"""HTML becomes PDF bytes with WeasyPrint, reading only the theme's own files.

WeasyPrint is imported by this module (and the fetcher) only, and only once a `Renderer` is
made, after `start_rendering`: a build with nothing to render never pays for it, and a
program that imports the package keeps its own fontconfig. One font configuration and one
parsed copy of each stylesheet serve every document of a theme in a build.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .fontconfig import use_theme_fonts_only
from .layout import PT_PER_PX, RenderedPdf, pdf_fields
from .mirror import mirrored, runs_right_to_left, with_mirrored_styles
from .theme import Theme

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.formatting_structure.boxes import Box

# Tagged PDF (PDF/UA-1): headings, lists and tables are structure, not just painted text.
PDF_OPTIONS = MappingProxyType({"pdf_variant": "pdf/ua-1", "pdf_tags": True})
# WeasyPrint says this once per font and document when the system lacks HarfBuzz-Subset;
# we subset with the pinned fontTools on purpose, so every machine makes the same bytes.
EXPECTED_WARNING = "Using fontTools instead of HarfBuzz-Subset"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(EXPECTED_WARNING) and message not in self.messages:
            self.messages.append(message)


def _lines_inside(box: Box, counts: dict[str, int]) -> set[int]:
    """The heights (to the px) at which lines of text start under `box`, noting for every
    box with an id how many it holds: lines side by side (in columns) count once."""
    from weasyprint.formatting_structure.boxes import LineBox

    tops = {round(box.position_y)} if isinstance(box, LineBox) else set()
    for child in box.children if hasattr(box, "children") else ():
        tops |= _lines_inside(child, counts)
    if anchor := box.style["anchor"]:
        counts[anchor] = len(tops)
    return tops


_started = False


def start_rendering() -> None:
    """The step before WeasyPrint loads, once per process: fontconfig is shown no font of
    the machine (only the theme's), and fontTools stamps the font subsets it embeds with a
    fixed time instead of the clock, so the same lesson gives byte-identical PDFs."""
    global _started
    if _started:
        return
    use_theme_fonts_only()
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    import weasyprint  # noqa: F401  (loaded now, as configured: forked workers share it)

    # Free the font configurations while what they clean up with still exists (at the
    # interpreter's very end, WeasyPrint's clean-up finds its modules emptied).
    atexit.register(gc.collect)
    _started = True


class Renderer:
    """Renders documents with one theme's stylesheets and fonts (a build makes one per
    theme: `BuildCache.renderer`)."""

    def __init__(self, theme: Theme) -> None:
        start_rendering()
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import ProjectFetcher

        self.theme = theme
        self.fonts = FontConfiguration()
        self.fetcher = ProjectFetcher(theme.folders)
        self._sheets: dict[tuple[str, bool], CSS] = {}

    def stylesheet(self, name: str, right_to_left: bool = False) -> CSS:
        """The theme's `css/<name>`, parsed once (mirrored for right-to-left documents); its
        @font-face rules go to the theme's fonts."""
        from weasyprint import CSS

        if (name, right_to_left) not in self._sheets:
            path = self.theme.find(f"css/{name}")
            text = path.read_text("utf-8")
            self._sheets[name, right_to_left] = CSS(
                string=mirrored(text) if right_to_left else text,
                base_url=path.as_uri(),
                font_config=self.fonts,
                url_fetcher=self.fetcher,
            )
        return self._sheets[name, right_to_left]

    def render(self, html: str, stylesheets: tuple[str, ...], extra_css: str = "") -> RenderedPdf:
        """Lay out `html` with the theme's `stylesheets`, then `extra_css`; return the PDF."""
        return self.write(self.lay_out(html, stylesheets, extra_css))

    def lay_out(self, html: str, stylesheets: tuple[str, ...], extra_css: str = "") -> Laid:
        """Lay `html` out as `render` does, writing no PDF yet: the layout, to measure, and
        to `write` if it is the one kept (a layout tried and not kept costs no writing)."""
        from weasyprint import CSS, HTML

        started = time.perf_counter()
        with _collected() as collector:
            rtl = runs_right_to_left(html)
            sheets = [self.stylesheet(name, rtl) for name in stylesheets]
            if extra_css:
                sheets.append(
                    CSS(string=mirrored(extra_css) if rtl else extra_css, font_config=self.fonts)
                )
            if rtl:
                html = with_mirrored_styles(html)
            base = self.theme.folders[-1].as_uri() + "/"
            document = HTML(string=html, base_url=base, url_fetcher=self.fetcher).render(
                font_config=self.fonts, stylesheets=sheets, **PDF_OPTIONS
            )
        seconds = time.perf_counter() - started
        boxes = [page._page_box for page in document.pages]  # no public API for the boxes
        lines = []
        for box in boxes:
            counts: dict[str, int] = {}
            _lines_inside(box, counts)
            lines.append(counts)
        root = next(child for child in boxes[0].children if child.element_tag == "html")
        return Laid(
            b"",
            len(document.pages),
            tuple(collector.messages),
            seconds,
            tuple(page.anchors for page in document.pages),
            tuple(lines),
            root.style["font_size"] * PT_PER_PX,
            tuple(box.height for box in boxes),
            document=document,
        )

    @staticmethod
    def write(laid: Laid, seconds: float | None = None) -> RenderedPdf:
        """The PDF of `laid`, its layout; `seconds` is what it took so far (by default, its
        own layout's): the writing's time is added to it."""
        assert laid.document is not None, "a layout of `lay_out` holds its document"
        started = time.perf_counter()
        with _collected(laid.warnings) as collector:
            data = laid.document.write_pdf(**PDF_OPTIONS)
        spent = (laid.seconds if seconds is None else seconds) + time.perf_counter() - started
        written = {"data": data, "warnings": tuple(collector.messages), "seconds": spent}
        return RenderedPdf(**(pdf_fields(laid) | written))


@dataclass(frozen=True)
class Laid(RenderedPdf):
    """A document laid out and not yet written (its `data` empty): `Renderer.write` it."""

    document: Document | None = field(default=None, compare=False, repr=False)


@contextmanager
def _collected(before: tuple[str, ...] = ()) -> Iterator[_Collector]:
    """WeasyPrint's warnings while in the block, after those `before`, each once."""
    collector = _Collector()
    collector.messages.extend(before)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
