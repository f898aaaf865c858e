"""Read built PDFs back the way a person or a screen reader would meet them.

pypdfium2 (PDFium, the engine in Chrome) reads text, sizes, metadata and the outline fast;
pikepdf reads the PDF's structure: fonts, tags and language.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from fontTools.ttLib import TTFont

POINTS_PER_INCH = 72
INVISIBLE = 3  # the text render mode that draws nothing (PDF 32000-1, 9.3.6)


@dataclass(frozen=True)
class Char:
    """One character on a page with its font size in points."""

    text: str
    size: float


def _printed_size(textpage: pdfium.PdfTextPage, index: int) -> float:
    """A character's font size scaled by its text and page transforms (its size on paper)."""
    matrix = pdfium_raw.FS_MATRIX()
    pdfium_raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return pdfium_raw.FPDFText_GetFontSize(textpage.raw, index) * scale


def normalize(text: str) -> str:
    """Text as words: lines re-joined (hyphens at line ends removed), lowercase, no punctuation.

    PDFium joins a word broken by a soft hyphen itself, leaving U+FFFE where it was: gone too.
    """
    text = re.sub(r"[\u2010-]\r?\n", "", text).replace("\ufffe", "")
    text = text.replace("\u2019", "'").lower()
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


def drawn_images(path: Path, page: int) -> list[tuple[float, float, float, float]]:
    """Where each raster image is drawn on a page, inside placed slides too: (left, bottom,
    right, top) in points."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [
            obj.get_bounds()
            for obj in document[page].get_objects(max_depth=4)
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE
        ]
    finally:
        document.close()


class Pdf:
    """A PDF file opened for reading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document = pdfium.PdfDocument(path)

    def __len__(self) -> int:
        return len(self.document)

    def page_size(self, index: int) -> tuple[float, float]:
        """Width and height of a page in points."""
        width, height = self.document[index].get_size()
        return round(width, 1), round(height, 1)

    def page_text(self, index: int) -> str:
        """The raw text of one page, in content order."""
        return self.document[index].get_textpage().get_text_range()

    def text(self) -> str:
        """The whole document's text, normalized to words."""
        return normalize("\n".join(self.page_text(i) for i in range(len(self))))

    def page_words(self) -> list[str]:
        """Each page's text, normalized to words."""
        return [normalize(self.page_text(i)) for i in range(len(self))]

    def chars(self, index: int) -> list[Char]:
        """Every character of a page with its font size in points, as printed."""
        textpage = self.document[index].get_textpage()
        return [
            Char(textpage.get_text_range(i, 1), _printed_size(textpage, i))
            for i in range(textpage.count_chars())
        ]

    def inked_chars(self, index: int) -> list[Char]:
        """Every character of a page that prints (not a space, not invisible text such as a
        formula's LaTeX), with its printed size."""
        textpage = self.document[index].get_textpage()
        found = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            drawn = pdfium_raw.FPDFText_GetTextObject(textpage.raw, i)
            if text.strip() and pdfium_raw.FPDFTextObj_GetTextRenderMode(drawn) != INVISIBLE:
                found.append(Char(text, _printed_size(textpage, i)))
        return found

    def sized_boxes(self, index: int) -> list[tuple[Char, tuple[float, float, float, float]]]:
        """Every visible character of a page with its printed size and its box (left,
        bottom, right, top) in points."""
        textpage = self.document[index].get_textpage()
        found = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            if text.strip():
                found.append((Char(text, _printed_size(textpage, i)), textpage.get_charbox(i)))
        return found

    def char_boxes(self, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Every visible character of a page with its box (left, bottom, right, top) in points."""
        textpage = self.document[index].get_textpage()
        found = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            if text.strip():
                found.append((text, textpage.get_charbox(i)))
        return found

    def lowest_ink(self, index: int, top_pt: float, bottom_pt: float) -> float:
        """How far down from the page's top (points) the lowest non-white pixel between
        `top_pt` and `bottom_pt` lies, rendering at 36 dpi; `top_pt` if there is none."""
        scale = 0.5
        image = self.document[index].render(scale=scale).to_pil().convert("L")
        width = image.width
        pixels = image.load()
        for row in range(int(bottom_pt * scale) - 1, int(top_pt * scale), -1):
            if any(pixels[x, row] < 200 for x in range(width)):
                return row / scale
        return top_pt

    def metadata(self) -> dict[str, str]:
        """The document information dictionary."""
        return self.document.get_metadata_dict()

    def outline(self) -> list[tuple[int, str]]:
        """Bookmarks as (level, title), in order."""
        return [(item.level, item.get_title()) for item in self.document.get_toc()]

    def structure(self) -> pikepdf.Pdf:
        """The file opened with pikepdf, for its catalog and objects."""
        return pikepdf.open(self.path)

    def fill_colours(self, setter: str = "rg", places: int = 3) -> set[tuple[float, ...]]:
        """Every fill colour the pages' own content sets with `setter` (`rg`: RGB, `g`:
        gray), rounded to `places`."""
        colours = set()
        with self.structure() as pdf:
            for page in pdf.pages:
                for operands, operator in pikepdf.parse_content_stream(page):
                    if str(operator) == setter:
                        colours.add(tuple(round(float(value), places) for value in operands))
        return colours

    def font_names(self) -> set[str]:
        """PostScript names read from the font programs embedded in the file."""
        names: set[str] = set()
        with self.structure() as pdf:
            for page in pdf.pages:
                _fonts_of(page.Resources, names)
        return names


def _fonts_of(resources: pikepdf.Dictionary, names: set[str]) -> None:
    """Add the fonts of some resources, and of the forms they draw (placed slides), to names."""
    for font in resources.get("/Font", {}).values():
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get("/FontDescriptor")
            program = descriptor and descriptor.get("/FontFile2")
            assert program is not None, f"font {font.BaseFont} is not embedded"
            names.add(postscript_name(io.BytesIO(program.read_bytes())))
    for form in resources.get("/XObject", {}).values():
        if form.get("/Subtype") == "/Form" and "/Resources" in form:
            _fonts_of(form.Resources, names)


def postscript_name(font: io.BytesIO | Path) -> str:
    """The PostScript name of a TrueType font."""
    return TTFont(font)["name"].getDebugName(6)


def inside_any(box: tuple[float, ...], areas: list[tuple[float, ...]], slack: float = 0.3) -> bool:
    """Whether `box` (left, bottom, right, top) lies inside one of `areas`, give or take
    `slack` points: a drawing of a slide placed on a note-taking page, say."""
    left, bottom, right, top = box
    return any(
        left >= x1 - slack and bottom >= y1 - slack and right <= x2 + slack and top <= y2 + slack
        for x1, y1, x2, y2 in areas
    )
