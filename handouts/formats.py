"""The outputs a lesson gives, the paper sizes they come in, and the PDFs they become."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Paper:
    """A paper size: its CSS `size` name and the name a teacher types."""

    name: str
    css: str


TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PAPERS = {"a4": Paper("a4", "A4"), "letter": Paper("letter", "letter")}
OUTPUTS = ("handout", "slides", "notes", "table", "worksheet", "answers")
# Made from the comparison table: a lesson without one does not give them.
TABLE_OUTPUTS = ("table", "worksheet", "answers")
# The template of each output, under templates/.
TEMPLATES = {output: f"{output}.html.j2" for output in OUTPUTS} | {"answers": "worksheet.html.j2"}
# The stylesheets of each output, under templates/css/, in cascade order.
_OWN_STYLES = {"notes": ("handout.css", "notes.css"), "answers": ("worksheet.css",)}
STYLESHEETS = {
    output: ("fonts.css", "base.css", *_OWN_STYLES.get(output, (f"{output}.css",)))
    for output in OUTPUTS
}
# Slides per page of the note-taking handout: 3 with ruled lines beside them, or 6.
SLIDES_PER_PAGE = (3, 6)

# Tagged PDF (PDF/UA-1): headings, lists and tables are structure, not just painted text.
PDF_OPTIONS = MappingProxyType({"pdf_variant": "pdf/ua-1", "pdf_tags": True})


# Per page, each element id laid out there and its box (x1, y1, x2, y2) in CSS px.
Anchors = tuple[dict[str, tuple[float, float, float, float]], ...]


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF: its bytes, page count, WeasyPrint's warnings, the time, and where each
    element with an id was laid out (for a note-taking handout: the slides' elements)."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]
    seconds: float
    anchors: Anchors = ()
