"""Stage 3: HTML becomes PDF bytes with WeasyPrint, reading only the project's own files.

WeasyPrint is imported by this module only, so a build with nothing to render never pays
for it. One font configuration serves every document of a process.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .formats import PDF_OPTIONS, RenderedPdf

# WeasyPrint says this once per font and document when the system lacks HarfBuzz-Subset;
# we subset with the pinned fontTools on purpose, so every machine makes the same bytes.
EXPECTED_WARNING = "Using fontTools instead of HarfBuzz-Subset"


class ProjectFetcher(URLFetcher):
    """Serves `data:` URIs and files under the allowed folders; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at `url`, or raise ValueError when it is not ours to read."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"not fetched: {url} (only the project's own files are used)")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"not fetched: {url} (outside the project's templates and content)")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(EXPECTED_WARNING) and message not in self.messages:
            self.messages.append(message)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet(path: Path) -> CSS:
    """A stylesheet parsed once per process; its @font-face rules go to the shared fonts."""
    return CSS(
        filename=str(path), font_config=_font_config(), url_fetcher=_fetcher(path.parent.parent)
    )


@cache
def _fetcher(base: Path) -> ProjectFetcher:
    return ProjectFetcher((base,))


def forget_templates() -> None:
    """Drop parsed stylesheets and loaded fonts, after a file under templates/ changed."""
    for cached in (_stylesheet, _font_config, _fetcher):
        cached.cache_clear()


def render(
    html: str,
    base: Path,
    stylesheets: tuple[str, ...],
    options: Mapping[str, object] = PDF_OPTIONS,
    extra_css: str = "",
) -> RenderedPdf:
    """Lay out `html` with `stylesheets` (under base/css), then `extra_css`; return the PDF.

    Only files under `base` (the templates) are ever read.
    """
    # fontTools stamps each font subset it embeds with the time unless this is set; a fixed
    # stamp keeps the same lesson giving byte-identical PDFs.
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    started = time.perf_counter()
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        sheets = [_stylesheet(base / "css" / name) for name in stylesheets]
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=_font_config()))
        document = HTML(
            string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=_fetcher(base)
        ).render(font_config=_font_config(), stylesheets=sheets, **options)
        data = document.write_pdf(**options)
    finally:
        logger.removeHandler(collector)
    seconds = time.perf_counter() - started
    anchors = tuple(page.anchors for page in document.pages)
    return RenderedPdf(data, len(document.pages), tuple(collector.messages), seconds, anchors)


def render_to_fit(
    html: str, base: Path, stylesheets: tuple[str, ...], sizes_pt: tuple[float, ...]
) -> RenderedPdf:
    """Render at each base type size in turn until the PDF has one page; the last try is
    returned when none fits (its layout says what is too long)."""
    seconds = 0.0
    for size in sizes_pt:
        pdf = render(html, base, stylesheets, extra_css=f"html {{ font-size: {size}pt; }}")
        seconds += pdf.seconds
        if pdf.pages == 1:
            break
    return replace(pdf, seconds=seconds)
