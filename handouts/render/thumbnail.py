"""A PDF's first page as a small PNG, for the index page: the same bytes for the same PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass

THUMBNAIL_WIDTH = 200  # pixels: a card's picture on a phone and on a desktop


@dataclass(frozen=True)
class Thumbnail:
    """The PNG of a PDF's first page, and that page's size in points."""

    png: bytes
    width_pt: float
    height_pt: float


def thumbnail(pdf: bytes) -> Thumbnail:
    """The first page of `pdf` drawn THUMBNAIL_WIDTH pixels wide (PDFium), as a PNG with no
    metadata: no time, no text chunks, so a PDF unchanged gives a file unchanged."""
    import pypdfium2  # loads only when a thumbnail is made

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        width, height = page.get_size()
        picture = page.render(scale=THUMBNAIL_WIDTH / width).to_pil()
    finally:
        document.close()
    png = io.BytesIO()
    picture.convert("RGB").save(png, "PNG", optimize=True)
    return Thumbnail(png.getvalue(), width, height)
