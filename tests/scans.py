"""Made-up scans of answer sheets for the grading tests and bench: a sheet rendered, its
bubbles filled as a pupil would, then rotated, shifted, blurred and speckled as a scanner
would leave it, and the pages put into one PDF as a copier would."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from handouts.derive.quiz import sheets
from handouts.grading.layout import BUBBLE, Bubble, layout
from handouts.grading.questions import bubbles, right_bubbles
from handouts.lesson.model import LETTERS, Lesson, Question

GLASS = 8  # mm of the scanner's glass about the sheet on each side


@dataclass(frozen=True)
class Pupil:
    """A made-up pupil's sheet: number, version and each bubbled question's filled bubbles
    (in the version's order), and the points the sheet should get, by question (lesson
    order, from 0)."""

    student: str
    version: str
    filled: tuple[frozenset[int], ...]
    points: dict[int, float]


def pupil(lesson: Lesson, version: str, draw: random.Random, right: float = 0.7) -> Pupil:
    """A pupil of `version` who answers each bubbled question right with chance `right`,
    else fills one other bubble."""
    index = LETTERS.index(version)
    sheet = sheets(lesson, tuple(LETTERS[: index + 1]))[index]
    filled, points = [], {}
    for question, place in zip(sheet.questions, sheet.places, strict=True):
        count = bubbles(question)
        if not count:
            continue
        wanted = right_bubbles(question)
        if draw.random() < right:
            filled.append(wanted)
            points[place] = question.points
        else:
            wrong = [n for n in range(count) if frozenset({n}) != wanted]
            filled.append(frozenset({draw.choice(wrong)}))
            points[place] = 0.0
    student = f"{draw.randrange(10**6):06d}"
    return Pupil(student, version, tuple(filled), points)


@cache
def _rendered(pdf: Path, dpi: int) -> Image.Image:
    scale = dpi / 72
    return pypdfium2.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("L")


def rendered(pdf: Path, dpi: int) -> Image.Image:
    """The PDF's first page, grey, at `dpi` (a copy of the one rendered first)."""
    return _rendered(pdf, dpi).copy()


@cache
def _noise(size: tuple[int, int]) -> Image.Image:
    """Grey speckle about 128, made once for each size (it is slow to make)."""
    return Image.effect_noise(size, 25)


def fill(page: Image.Image, dpi: int, at: list[Bubble], draw: random.Random) -> None:
    """Fill the bubbles `at` of `page` as a pen does: nearly to the ring, a little off."""
    per_mm = dpi / 25.4
    pen = ImageDraw.Draw(page)
    for bubble in at:
        radius = BUBBLE / 2 * draw.uniform(0.8, 1.0) * per_mm
        x = (bubble.x + draw.uniform(-0.3, 0.3)) * per_mm
        y = (bubble.y + draw.uniform(-0.3, 0.3)) * per_mm
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=draw.randrange(20, 70))


def cross(page: Image.Image, dpi: int, bubble: Bubble) -> None:
    """An X over a bubble, as a pupil crosses out an answer."""
    per_mm = dpi / 25.4
    reach = BUBBLE / 2 * 1.2 * per_mm
    x, y = bubble.x * per_mm, bubble.y * per_mm
    width = round(0.35 * per_mm)
    pen = ImageDraw.Draw(page)
    for sign in (-1, 1):
        ends = (x - reach, y - sign * reach, x + reach, y + sign * reach)
        pen.line(ends, fill=30, width=width)


def version_rows(lesson: Lesson, version: str) -> list[tuple[Question, int, tuple[Bubble, ...]]]:
    """Each bubbled question of `version`, its place in the lesson's order, and its row."""
    index = LETTERS.index(version)
    sheet = sheets(lesson, tuple(LETTERS[: index + 1]))[index]
    geometry = layout("a4", [bubbles(question) for question in sheet.questions])
    return [
        (question, place, row)
        for question, place, (_, row) in zip(
            sheet.questions, sheet.places, geometry.questions, strict=True
        )
        if row
    ]


def filled_in(
    blank: Path, lesson: Lesson, who: Pupil, dpi: int, draw: random.Random
) -> Image.Image:
    """The blank sheet of `who`'s version filled in: number and answers."""
    page = rendered(blank, dpi)
    number = layout("a4", ()).number
    at = [column[int(digit)] for column, digit in zip(number, who.student, strict=True)]
    rows = version_rows(lesson, who.version)
    at += [row[n] for (_, _, row), filled in zip(rows, who.filled, strict=True) for n in filled]
    fill(page, dpi, at, draw)
    return page


def scanned(page: Image.Image, dpi: int, draw: random.Random, noisy: bool) -> Image.Image:
    """`page` as a scanner gives it back: on glass a little larger than the sheet, turned
    1-3 degrees either way and shifted a few millimetres; when `noisy`, blurred, speckled
    and, one time in two, on tinted paper in colour."""
    per_mm = dpi / 25.4
    border = round(GLASS * per_mm)
    glass = Image.new("L", (page.width + 2 * border, page.height + 2 * border), 255)
    glass.paste(page, (border, border))
    angle = draw.uniform(1, 3) * draw.choice((-1, 1))
    shift = (round(draw.uniform(-3, 3) * per_mm), round(draw.uniform(-3, 3) * per_mm))
    turned = glass.rotate(angle, Image.Resampling.BILINEAR, fillcolor=255, translate=shift)
    if not noisy:
        return turned
    turned = turned.filter(ImageFilter.BoxBlur(0.1 * per_mm))
    speckle = ImageChops.offset(_noise(turned.size), draw.randrange(999), draw.randrange(999))
    turned = ImageChops.add(turned, speckle, 1.0, -128)
    if draw.random() < 0.5:
        tint = Image.new("RGB", turned.size, (250, 238, 215))
        return ImageChops.multiply(turned.convert("RGB"), tint)
    return turned


def as_pdf(pages: list[Image.Image]) -> bytes:
    """The pages, each a page of one PDF."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()
