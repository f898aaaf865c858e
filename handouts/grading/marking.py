"""graded.pdf: each scanned page with what was read drawn over it: a green ring about a
bubble read and right, red read and wrong, orange about every bubble of a question that
could not be read; a page not read as a sheet framed in orange, with why."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from .grades import GRADE_DPI, Graded, Refused
from .layout import BUBBLE

GREEN, RED, ORANGE = (0, 150, 60), (210, 30, 30), (240, 140, 0)


def _rings(graded: Graded) -> Image.Image:
    """The sheet's page with a ring about each bubble read (or unreadable)."""
    page = graded.sheet.image.convert("RGB")
    draw = ImageDraw.Draw(page)
    to_scan = graded.sheet.to_scan
    radius = BUBBLE * 0.85 * to_scan.scale
    width = max(2, round(to_scan.scale / 2))
    for answer in graded.answers:
        if answer.read is None:
            ringed, colour = list(range(len(answer.row))), ORANGE
        else:
            ringed, colour = sorted(answer.read), GREEN if answer.right else RED
        for place in ringed:
            x, y = to_scan((answer.row[place].x, answer.row[place].y))
            box = (x - radius, y - radius, x + radius, y + radius)
            draw.ellipse(box, outline=colour, width=width)
    return page


def _framed(refused: Refused) -> Image.Image:
    """A page not read as a sheet: framed in orange, why written at its head."""
    page = refused.image.convert("RGB")
    draw = ImageDraw.Draw(page)
    width = max(4, page.width // 100)
    draw.rectangle((0, 0, page.width - 1, page.height - 1), outline=ORANGE, width=width)
    draw.text((3 * width, 3 * width), f"not read: {refused.why}", fill=ORANGE)
    return page


def marked_pdf(graded: list[Graded], refused: list[Refused]) -> bytes:
    """Every page, in the scans' order, marked as read; a PDF."""
    pages = sorted(
        [(sheet.page, _rings(sheet)) for sheet in graded]
        + [(page.page, _framed(page)) for page in refused],
        key=lambda item: item[0],
    )
    out = io.BytesIO()
    images = [image for _, image in pages]
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=GRADE_DPI)
    return out.getvalue()
