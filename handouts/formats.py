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
OUTPUTS = ("handout", "slides", "table")
# The stylesheets of each output, under templates/css/, in cascade order.
STYLESHEETS = {output: ("fonts.css", "base.css", f"{output}.css") for output in OUTPUTS}

# Tagged PDF (PDF/UA-1): headings, lists and tables are structure, not just painted text.
PDF_OPTIONS = MappingProxyType({"pdf_variant": "pdf/ua-1", "pdf_tags": True})


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF: its bytes, its page count, what WeasyPrint warned about, and the time."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]
    seconds: float
