"""Reading one scanned answer sheet: its four corner marks found, the sheet's millimetres
mapped onto the scan, and each bubble's ink measured. Pillow only: the scan is a grey image.

A bubble's ink is the share of its inner disc (inside the printed ring) as dark as the
corner marks, against the paper's own shade. It is filled at FILLED or more, empty at EMPTY
or less; between the two it is neither, and what it answers is unreadable, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageStat

from ..lesson.model import LETTERS
from .layout import BUBBLE, MARK, PAPER_MM, Bubble, Layout, layout
from .transform import Affine, Point

FILLED = 0.62  # a bubble inked this much or more is filled
EMPTY = 0.42  # this little or less, empty (a cross over it stays below)
INNER = 0.72  # of a bubble's radius: the disc measured, inside its printed ring
CORNER_SHARE = 0.3  # of the page's width and height: where each corner mark is looked for
DARKEST = 0.45  # of full black: a corner mark's centre is at least this dark...
SIZE_SLACK = 0.3  # ... and its side within this share of MARK
SCAN_WIDTH = sum(width for width, _ in PAPER_MM.values()) / len(PAPER_MM)  # mm, about
MISFIT = 1.5  # mm: a mark further than this from where the other three put it is no mark


class Unreadable(Exception):
    """Why a page cannot be read as an answer sheet."""


@dataclass(frozen=True)
class Sheet:
    """A scanned sheet located: its image, the map onto it, its paper, and its paper's and
    ink's shades (0-255)."""

    image: Image.Image
    to_scan: Affine
    paper: str
    white: float
    black: float

    def ink(self, bubble: Bubble) -> float:
        """How much of the bubble's inner disc is inked, from 0 (paper) to 1 (black)."""
        x, y = self.to_scan((bubble.x, bubble.y))
        radius = max(2, round(INNER * BUBBLE / 2 * self.to_scan.scale))
        left, top = round(x) - radius, round(y) - radius
        box = self.image.crop((left, top, left + 2 * radius + 1, top + 2 * radius + 1))
        mean = ImageStat.Stat(box, _disc(radius)).mean[0]
        share = (self.white - mean) / max(self.white - self.black, 1.0)
        return min(1.0, max(0.0, share))

    def marked(self, row: Sequence[Bubble]) -> frozenset[int] | None:
        """The places of the filled bubbles of `row`; None when one is neither filled nor
        empty."""
        inks = [self.ink(bubble) for bubble in row]
        if any(EMPTY < ink < FILLED for ink in inks):
            return None
        return frozenset(place for place, ink in enumerate(inks) if ink >= FILLED)

    def one_marked(self, row: Sequence[Bubble]) -> int | None:
        """The place of the one filled bubble of `row`; None unless exactly one is."""
        marked = self.marked(row)
        return next(iter(marked)) if marked is not None and len(marked) == 1 else None


def _extrema(image: Image.Image) -> tuple[float, float]:
    """The darkest and lightest shades of the grey `image`."""
    lo, hi = image.getextrema()
    assert isinstance(lo, (int, float)) and isinstance(hi, (int, float))
    return float(lo), float(hi)


@cache
def _disc(radius: int) -> Image.Image:
    """A mask of the disc of `radius` pixels about the middle of its square."""
    mask = Image.new("L", (2 * radius + 1, 2 * radius + 1), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, 2 * radius, 2 * radius), fill=255)
    return mask


def _mark_near(image: Image.Image, box: tuple[int, int, int, int], per_mm: float) -> Point:
    """The centre of the corner mark in `box` of the grey `image`: the darkest place of the
    image blurred over most of a mark, then the bounding box of the patch of ink there."""
    step = max(1, round(per_mm))  # about a pixel a millimetre
    small = image.crop(box).reduce(step).filter(ImageFilter.BoxBlur(2))
    darkest, _ = _extrema(small)
    if darkest > 255 * (1 - DARKEST):
        raise Unreadable("a corner mark is missing")
    found = small.point(lambda v: 255 if v <= darkest + 12 else 0).getbbox()
    assert found is not None  # the darkest pixel itself is in it
    x = box[0] + (found[0] + found[2]) / 2 * step
    y = box[1] + (found[1] + found[3]) / 2 * step
    reach = round((MARK / 2 + 2.5) * per_mm)
    near = image.crop((round(x) - reach, round(y) - reach, round(x) + reach, round(y) + reach))
    near = near.filter(ImageFilter.GaussianBlur(1))
    lo, hi = _extrema(near)
    middle = (lo + hi) / 2
    ink = near.point(lambda v: 255 if v < middle else 0).filter(ImageFilter.MinFilter(3))
    if ink.getpixel((reach, reach)) != 255:
        raise Unreadable("a corner mark is missing")
    ImageDraw.floodfill(ink, (reach, reach), 128)  # the mark, not what touches the box
    edges = ink.point(lambda v: 255 if v == 128 else 0).getbbox()
    assert edges is not None  # the middle pixel itself is in it
    sides = ((edges[2] - edges[0]) / per_mm, (edges[3] - edges[1]) / per_mm)
    if any(abs(side - MARK) > MARK * SIZE_SLACK for side in sides):
        raise Unreadable("a corner mark is not the size of one")
    return round(x) - reach + (edges[0] + edges[2]) / 2, round(y) - reach + (
        edges[1] + edges[3]
    ) / 2


def locate(image: Image.Image) -> Sheet:
    """The sheet on the grey scan `image` (the whole page, whatever its resolution): its
    corner marks found and checked, its paper (A4 or Letter) told from where they are."""
    width, height = image.size
    per_mm = width / SCAN_WIDTH
    reach_x, reach_y = round(width * CORNER_SHARE), round(height * CORNER_SHARE)
    boxes = (
        (0, 0, reach_x, reach_y),
        (width - reach_x, 0, width, reach_y),
        (0, height - reach_y, reach_x, height),
        (width - reach_x, height - reach_y, width, height),
    )
    found = [_mark_near(image, box, per_mm) for box in boxes]
    tall = (found[2][1] - found[0][1] + found[3][1] - found[1][1]) / 2
    wide = (found[1][0] - found[0][0] + found[3][0] - found[2][0]) / 2
    paper = min(PAPER_MM, key=lambda name: abs(_ratio(name) - tall / wide))
    marks = [(mark.x, mark.y) for mark in layout(paper, ()).marks]
    to_scan = Affine.fit(marks, found)
    for mark, seen in zip(marks, found, strict=True):
        x, y = to_scan(mark)
        if max(abs(x - seen[0]), abs(y - seen[1])) > MISFIT * to_scan.scale:
            raise Unreadable("the corner marks are not where a sheet has them")
    histogram = image.histogram()
    white = _percentile(histogram, 0.6)
    black = ImageStat.Stat(image.crop(_around(found[0], MARK / 4 * per_mm))).mean[0]
    return Sheet(image, to_scan, paper, white, black)


def _ratio(paper: str) -> float:
    """How much further apart a sheet's marks are down than across."""
    marks = layout(paper, ()).marks
    return (marks[2].y - marks[0].y) / (marks[1].x - marks[0].x)


def _around(point: Point, reach: float) -> tuple[int, int, int, int]:
    """The box of `reach` pixels about `point`."""
    x, y = point
    return round(x - reach), round(y - reach), round(x + reach), round(y + reach)


def _percentile(histogram: list[int], share: float) -> float:
    """The shade that `share` of a grey image's pixels are at or below."""
    wanted, seen = share * sum(histogram), 0
    for shade, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return float(shade)
    return 255.0


@dataclass(frozen=True)
class Heading:
    """What a sheet says of itself: its version's letter and the student's number."""

    letter: str
    student: str


def heading(sheet: Sheet) -> Heading:
    """The version and the student number filled in on `sheet`; Unreadable unless each
    has exactly one bubble filled."""
    geometry: Layout = layout(sheet.paper, ())
    place = sheet.one_marked(geometry.versions)
    if place is None:
        raise Unreadable("its version cannot be read")
    digits = [sheet.one_marked(column) for column in geometry.number]
    if None in digits:
        raise Unreadable("its student number cannot be read")
    return Heading(LETTERS[place], "".join(str(digit) for digit in digits))
