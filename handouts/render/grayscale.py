"""Every colour of a PDF turned gray, for a theme made for black-and-white copiers.

A theme asks for it in its `css/theme.css` with `--print: grayscale;` on the root
(print-saver does): WeasyPrint has no CSS `filter`, so the PDF is changed after the render,
in the repair pass every PDF goes through. A copier would turn the page gray anyway; doing
it here shows the teacher what the copies will look like, and a photo's or a diagram's
colours no longer print as greys that nobody chose.

- Vector drawings (SVG pictures and formulas, drawn as paths) and text: every colour an
  `rg`, `k`, `sc` or `scn` (fill or stroke) sets in DeviceRGB, DeviceCMYK, CalRGB, Lab or
  an ICC space of three or four components becomes `g` (`G`) of its gray, on pages, in
  forms (however deep), in tiling patterns and in annotations' appearances.
- Shadings (SVG gradients) of one exponential function, or of a stitched row of them, get
  each stop in gray; others are left as they are.
- Raster pictures (PNG, JPEG, WebP, however deep in forms) become DeviceGray images, PNG
  compressed; a palette becomes one of greys. Soft masks (transparency) are left as they
  are, and so are luminosity masks: their colours are alpha, not colour.

The gray of a colour is the sRGB gray of the same WCAG relative luminance (the one the
theme's contrast check uses, contrast.py): each colour keeps its contrast ratio against the
white paper and against every other colour, so a theme that passes that check still does
in gray. Black stays exactly `0 g` and white `1 g`; a picture's red and blue come out
as the same greys in an SVG as in a PNG.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from decimal import Decimal
from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, PdfImage, Stream
from PIL import Image, ImageFilter

from .contrast import Channels, relative_luminance, root_values
from .theme import Theme

PROPERTY, GRAYSCALE = "print", "grayscale"  # `--print: grayscale;` on the root
_LUT_SIZE = 17  # nodes a side of the 3D table pictures are turned gray through: ±1 level
_DIGITS = 6  # decimals of a gray written in a content stream (WeasyPrint writes as many)
_COMPONENTS = {"gray": 1, "rgb": 3, "cmyk": 4, "lab": 3}
_FILL = {"rg": "g", "k": "g", "RG": "G", "K": "G"}
_SET_SPACE = {"cs": 0, "CS": 1}
_SET_COLOUR = {"sc": 0, "scn": 0, "SC": 1, "SCN": 1}
_DEVICE = {"/DeviceGray": "gray", "/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk"}
_FAMILIES = {"/CalGray": "gray", "/CalRGB": "rgb", "/Lab": "lab"}
_ICC = {1: "gray", 3: "rgb", 4: "cmyk"}
Instructions = list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]


def asks_for_grayscale(theme: Theme) -> bool:
    """Whether the theme's stylesheet sets `--print: grayscale` on the root."""
    return root_values(theme).get(PROPERTY, "").strip().lower() == GRAYSCALE


def encoded(luminance: float) -> float:
    """The sRGB value (0 to 1) of a relative luminance: the inverse of its linearisation."""
    if luminance <= 0.0031308:
        return 12.92 * luminance
    return 1.055 * math.pow(luminance, 1 / 2.4) - 0.055


def gray_of(space: str, components: list[float]) -> float:
    """The gray (0 black, 1 white) of a colour's components in `space` (a kind of
    _COMPONENTS): of the colour's relative luminance, rounded to _DIGITS."""
    if space == "gray":
        return components[0]
    if space == "lab":  # L* alone says the luminance (CIE 1976)
        lightness = components[0]
        cube = (lightness + 16) / 116
        luminance = cube**3 if lightness > 8 else lightness / 903.3
    else:
        luminance = relative_luminance(_rgb(space, components))
    gray = round(min(max(encoded(luminance), 0.0), 1.0), _DIGITS)
    return gray + 0.0  # not -0.0


def _rgb(space: str, components: list[float]) -> Channels:
    """The sRGB channels of an RGB or CMYK colour (CMYK by the naive formula)."""
    clamped = [min(max(value, 0.0), 1.0) for value in components]
    if space == "cmyk":
        cyan, magenta, yellow, black = clamped
        return ((1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black))
    red, green, blue = clamped
    return red, green, blue


def _number(value: float) -> Decimal:
    """A gray as a PDF number: no exponent, no trailing zeros (0, 1, 0.5)."""
    return Decimal(f"{value:.{_DIGITS}f}").normalize() + Decimal(0)


def space_kind(space: object, resources: Dictionary | None) -> str | None:
    """What a colour space is (a kind of _COMPONENTS, "indexed"), by its name or array,
    looked up in `resources` if named there; None for the others (patterns, separations)."""
    if isinstance(space, Name) and str(space) in _DEVICE:
        return _DEVICE[str(space)]
    if isinstance(space, Name) and isinstance(resources, Dictionary):
        named = resources.get("/ColorSpace")
        if isinstance(named, Dictionary) and str(space) in named:
            return space_kind(named[str(space)], None)
        return None
    if not isinstance(space, Array) or len(space) < 1:
        return None
    family = str(space[0])
    if family in _FAMILIES:
        return _FAMILIES[family]
    if family == "/ICCBased" and isinstance(space[1], Stream):
        return _ICC.get(int(space[1].get("/N", 0)))
    if family == "/Indexed":
        return "indexed"
    return None


def _numbers(operands: list[Any], count: int) -> list[float] | None:
    """The operands as numbers, if they are `count` numbers."""
    if len(operands) != count or not all(isinstance(value, int | Decimal) for value in operands):
        return None
    return [float(value) for value in operands]


def in_gray(instructions: Instructions, resources: Dictionary | None) -> Instructions | None:
    """The instructions with every colour set in gray, or None if none was changed."""
    spaces = ["gray", "gray"]  # fill, stroke: the space of the colour set (as it was)
    saved: list[list[str]] = []
    out: Instructions = []
    changed = False
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operator, operands = str(instruction.operator), list(instruction.operands)
        replacement: tuple[list[Any], Operator] | None = None
        if operator == "q":
            saved.append(list(spaces))
        elif operator == "Q" and saved:
            spaces = saved.pop()
        elif operator in ("g", "G"):
            spaces[operator == "G"] = "gray"
        elif operator in _FILL:
            space = "rgb" if operator in ("rg", "RG") else "cmyk"
            spaces[operator.isupper()] = "gray"
            values = _numbers(operands, _COMPONENTS[space])
            if values is not None:
                replacement = ([_number(gray_of(space, values))], Operator(_FILL[operator]))
        elif operator in _SET_SPACE:
            kind = space_kind(operands[0], resources) if operands else None
            spaces[_SET_SPACE[operator]] = kind or "other"
            if kind in _COMPONENTS and kind != "gray":
                replacement = ([Name.DeviceGray], instruction.operator)
        elif operator in _SET_COLOUR:
            space = spaces[_SET_COLOUR[operator]]
            values = _numbers(operands, _COMPONENTS.get(space, 0))
            if space in _COMPONENTS and space != "gray" and values is not None:
                replacement = ([_number(gray_of(space, values))], instruction.operator)
        if replacement is None:
            out.append(instruction)
        else:
            out.append(pikepdf.ContentStreamInstruction(*replacement))
            changed = True
    return out if changed else None


class _Pass:
    """One PDF's objects turned gray, each once (a picture on every slide is one object)."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.done: set[tuple[int, int]] = set()
        self._table: ImageFilter.Color3DLUT | None = None

    def first_time(self, thing: pikepdf.Object) -> bool:
        """Whether `thing` is met for the first time (a direct object always is)."""
        if not thing.is_indirect:
            return True
        if thing.objgen in self.done:
            return False
        self.done.add(thing.objgen)
        return True

    def page(self, page: pikepdf.Page) -> None:
        """A page's drawing, the resources it draws with and its annotations' appearances."""
        resources = page.obj.get("/Resources")
        rewritten = in_gray(pikepdf.parse_content_stream(page), _dictionary(resources))
        if rewritten is not None:
            page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
        self.resources(resources)
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, Dictionary):
                self.annotation(annotation)

    def drawing(self, stream: Stream) -> None:
        """A form's or tiling pattern's own drawing and its resources."""
        if not self.first_time(stream):
            return
        resources = stream.get("/Resources")
        rewritten = in_gray(pikepdf.parse_content_stream(stream), _dictionary(resources))
        if rewritten is not None:
            stream.write(pikepdf.unparse_content_stream(rewritten))
        self.resources(resources)

    def resources(self, resources: object) -> None:
        """The forms, pictures, patterns and shadings a drawing names."""
        if not isinstance(resources, Dictionary):
            return
        for drawn in _values(resources.get("/XObject")):
            if isinstance(drawn, Stream) and drawn.get("/Subtype") == Name.Form:
                self.drawing(drawn)
            elif isinstance(drawn, Stream) and drawn.get("/Subtype") == Name.Image:
                self.picture(drawn, resources)
        for pattern in _values(resources.get("/Pattern")):
            if isinstance(pattern, Stream) and pattern.get("/PatternType") == 1:
                self.drawing(pattern)
            elif isinstance(pattern, Dictionary) and "/Shading" in pattern:
                self.shading(pattern.Shading, resources)
        for shading in _values(resources.get("/Shading")):
            self.shading(shading, resources)

    def annotation(self, annotation: Dictionary) -> None:
        """An annotation's colours (/C, /IC) and its appearance streams."""
        for key in ("/C", "/IC"):
            colour = annotation.get(key)
            if isinstance(colour, Array) and len(colour) in (3, 4):
                space = "rgb" if len(colour) == 3 else "cmyk"
                annotation[key] = Array([_number(gray_of(space, [float(c) for c in colour]))])
        appearances = annotation.get("/AP")
        for appearance in _values(appearances):
            for form in [appearance, *_values(appearance)]:
                if isinstance(form, Stream):
                    self.drawing(form)

    def shading(self, shading: object, resources: Dictionary) -> None:
        """A shading's stops in gray, if its colours are one function's (or a stitched
        row's) of exponential functions; others are left as they are."""
        if not isinstance(shading, Dictionary) or not self.first_time(shading):
            return
        space = space_kind(shading.get("/ColorSpace"), resources)
        if space not in _COMPONENTS or space == "gray":
            return
        function = shading.get("/Function")
        if not isinstance(function, Dictionary) or not _exponential(function):
            return
        for stops in _exponentials(function):
            for key in ("/C0", "/C1"):
                values = [float(value) for value in stops.get(key, Array())]
                default = [0.0] if key == "/C0" else [1.0]  # the function's defaults
                if len(values) == _COMPONENTS[space]:
                    stops[key] = Array([_number(gray_of(space, values))])
                elif not values:
                    stops[key] = Array([_number(default[0])])
        background = shading.get("/Background")
        if isinstance(background, Array) and len(background) == _COMPONENTS[space]:
            gray = gray_of(space, [float(value) for value in background])
            shading.Background = Array([_number(gray)])
        shading.ColorSpace = Name.DeviceGray

    def picture(self, image: Stream, resources: Dictionary) -> None:
        """A raster picture in DeviceGray, PNG compressed (its palette in gray, if it has
        one); its soft mask (alpha) as it is."""
        if not self.first_time(image) or image.get("/ImageMask", False):
            return
        space = space_kind(image.get("/ColorSpace"), resources)
        if space == "indexed":
            _gray_palette(image, resources)
            return
        if space not in _COMPONENTS or space == "gray" or isinstance(image.get("/Mask"), Array):
            return  # a colour-key mask names colours: it is left in colour, rare as it is
        picture = PdfImage(image).as_pil_image()
        gray = picture.convert("RGB").filter(self.table()).getchannel(0)
        data, width = _png_data(gray)
        image.write(data, filter=Name.FlateDecode)
        image.DecodeParms = Dictionary(Predictor=15, Colors=1, BitsPerComponent=8, Columns=width)
        image.ColorSpace = Name.DeviceGray
        image.BitsPerComponent = 8
        if "/Decode" in image:
            del image.Decode

    def table(self) -> ImageFilter.Color3DLUT:
        """The 3D colour table turning an RGB picture gray (made once a PDF, when needed)."""
        if self._table is None:
            self._table = ImageFilter.Color3DLUT.generate(_LUT_SIZE, _gray_channels)
        return self._table


def _gray_channels(red: float, green: float, blue: float) -> tuple[float, float, float]:
    gray = encoded(relative_luminance((red, green, blue)))
    return gray, gray, gray


def _gray_palette(image: Stream, resources: Dictionary) -> None:
    """An indexed picture's palette in gray: its base space DeviceGray."""
    indexed = image.ColorSpace
    if isinstance(indexed, Name):
        indexed = resources.ColorSpace[str(indexed)]
    if len(indexed) != 4:
        return
    _, base, highest, lookup = indexed
    space = space_kind(base, resources)
    if space not in _COMPONENTS or space == "gray":
        return
    table = lookup.read_bytes() if isinstance(lookup, Stream) else bytes(lookup)
    count = _COMPONENTS[space]
    grays = bytes(
        round(255 * gray_of(space, [byte / 255 for byte in table[start : start + count]]))
        for start in range(0, (int(highest) + 1) * count, count)
    )
    image.ColorSpace = Array([Name.Indexed, Name.DeviceGray, highest, pikepdf.String(grays)])


def _png_data(picture: Image.Image) -> tuple[bytes, int]:
    """The zlib stream of a gray picture's PNG (its rows filtered: PDF's predictor 15)."""
    out = BytesIO()
    picture.save(out, "PNG")
    png, data, place = out.getvalue(), [], 8
    while place < len(png):
        length, kind = struct.unpack(">I4s", png[place : place + 8])
        if kind == b"IDAT":
            data.append(png[place + 8 : place + 8 + length])
        place += 12 + length
    return b"".join(data), picture.width


def _exponential(function: Dictionary) -> bool:
    """Whether a function is exponential (type 2), or stitches only such functions."""
    kind = function.get("/FunctionType")
    if kind == 2:
        return True
    parts = function.get("/Functions")
    return (
        kind == 3
        and isinstance(parts, Array)
        and all(isinstance(part, Dictionary) and _exponential(part) for part in parts)
    )


def _exponentials(function: Dictionary) -> Iterator[Dictionary]:
    """The exponential functions a function is made of (itself, if it is one)."""
    if function.get("/FunctionType") == 2:
        yield function
        return
    for part in function.Functions:
        if isinstance(part, Dictionary):
            yield from _exponentials(part)


def _dictionary(value: object) -> Dictionary | None:
    return value if isinstance(value, Dictionary) else None


def _values(value: object) -> list[pikepdf.Object]:
    """A dictionary's values (none for anything else)."""
    return list(value.values()) if isinstance(value, Dictionary) else []


def grayscale(pdf: pikepdf.Pdf) -> None:
    """Every colour of `pdf`'s pages in gray (see the module's docstring)."""
    turning = _Pass(pdf)
    for page in pdf.pages:
        turning.page(page)
