"""An SVG drawing read as a lesson's picture: its size, and nothing it may not do.

expat reads it with DOCTYPEs and entities refused (no entity is ever expanded). Refused too:
any reference out of the drawing (an `href` that is not `#id` or a raster `data:` URI, a
`url()` to anything but `#id`, `@import`, an `xml-stylesheet`), and a `<use>` of something
that holds a `<use>`: such copies of copies multiply without end (a 1 kB file took WeasyPrint
minutes). The renderer's fetcher refuses any reference again at render time.
"""

from __future__ import annotations

import math
import re
from xml.parsers import expat

from ..errors import FigureProblem

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
RASTER_DATA = ("data:image/png", "data:image/jpeg", "data:image/webp", "data:image/gif")
MOST_PX = 100_000.0  # the largest side an SVG may give itself; its proportions at most 1000:1
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|pc)?\s*")
_PX_PER = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace."""
    return name.rsplit(" ", 1)[-1]


class _Reader:
    """Reads an SVG with expat, refusing what could reach outside it or blow up."""

    def __init__(self, written: str) -> None:
        self.written = written
        self.root: tuple[str, dict[str, str]] | None = None
        self.open_ids: list[str | None] = []  # of the elements open now, outermost first
        self.holding_use: set[str] = set()  # ids of elements that hold a <use>
        self.used: list[str] = []  # the ids <use> elements copy
        self.style: list[str] | None = None  # the text of the <style> being read
        self.style_depth = 0
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True  # a text arrives whole, not in pieces
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text

    def _doctype(self, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' has a DOCTYPE (line {self.parser.CurrentLineNumber}), "
            "which can define entities: it is not read",
            "delete the <!DOCTYPE ...> part: SVG needs none",
        )

    def _entity(self, name: str, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' defines the entity '{name}': it is not read",
            "delete the entity definitions and write their text out",
        )

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise self._refused(f"<?xml-stylesheet {data}?>")

    def _refused(self, target: str) -> FigureProblem:
        shown = target if len(target) <= 60 else target[:57] + "..."
        return FigureProblem(
            f"SVG '{self.written}' refers to '{shown}' (line "
            f"{self.parser.CurrentLineNumber}): a figure may use nothing outside itself",
            "embed what it shows in the SVG, or export the drawing again as plain SVG",
        )

    def _check_styles(self, value: str) -> None:
        for target in _URL.findall(value):
            if not target.startswith("#"):
                raise self._refused(target)
        if _IMPORT.search(value):
            raise self._refused("@import")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = (name, attributes)
        self.open_ids.append(attributes.get("id"))
        if self.style is not None:
            self.style_depth += 1
        elif _local(name) == "style":
            self.style, self.style_depth = [], 1
        for key, value in attributes.items():
            target = value.strip()
            if _local(key) == "href":
                if _local(name) == "use" and target.startswith("#"):
                    self.used.append(target[1:])
                elif not target.startswith("#") and not target.startswith(RASTER_DATA):
                    raise self._refused(target)
            self._check_styles(value)
        if _local(name) == "use":
            self.holding_use.update(i for i in self.open_ids[:-1] if i is not None)

    def _end(self, _: str) -> None:
        self.open_ids.pop()
        if self.style is not None:
            self.style_depth -= 1
            if self.style_depth == 0:
                self._check_styles("".join(self.style))
                self.style = None

    def _text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def read(self, data: bytes) -> dict[str, str]:
        """Read the drawing whole; return its root's attributes."""
        try:
            self.parser.Parse(data, True)
        except FigureProblem:
            raise
        except (expat.ExpatError, LookupError, ValueError) as error:  # an unknown encoding too
            raise FigureProblem(
                f"SVG '{self.written}' is not well-formed XML ({error})",
                "export it again from the drawing program",
            ) from None
        if self.root is None or self.root[0] != f"{SVG_NAMESPACE} svg":
            raise FigureProblem(
                f"'{self.written}' is not an SVG drawing (its first element is not <svg>)",
                'start it with <svg xmlns="http://www.w3.org/2000/svg" ...>',
            )
        if copied := next((i for i in self.used if i in self.holding_use), None):
            raise FigureProblem(
                f"SVG '{self.written}' copies '#{copied}', which holds copies itself: such "
                "copies of copies can multiply without end, so it is not read",
                "unlink the clones in the drawing program and save it again; in Inkscape: "
                "Edit > Clone > Unlink Clone",
            )
        return self.root[1]


def _length(value: str | None) -> float:
    """An SVG length in CSS px (0 when absent or relative)."""
    match = _LENGTH.fullmatch(value or "")
    return float(match.group(1)) * _PX_PER[match.group(2) or "px"] if match else 0.0


def svg_size(data: bytes, written: str) -> tuple[float, float]:
    """The size an SVG lesson picture gives itself, in CSS px, from its width and height or
    its viewBox; raise FigureProblem for one that may not be shown."""
    attributes = _Reader(written).read(data)
    box = [float(n) for n in _NUMBER.findall(attributes.get("viewBox", ""))]
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        width = width or (height * box[2] / box[3] if height else box[2])
        height = height or width * box[3] / box[2]
    sane = all(math.isfinite(side) and 0 < side <= MOST_PX for side in (width, height))
    if not sane or not 1e-3 <= height / width <= 1e3:
        raise FigureProblem(
            f"SVG '{written}' has no size a page can show ({width:g} x {height:g} px)",
            'give its <svg> a viewBox of its drawing, e.g. viewBox="0 0 400 200"',
        )
    return width, height
