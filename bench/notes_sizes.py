"""How large the note-taking handout prints the slides: every layout, on A4 and US Letter.

Run: ../.venv/bin/python notes_sizes.py [lesson.yaml]
Builds the lesson's notes (default: the sample) for each --slides-per-page and --paper, reads
where each slide was placed, and prints a Markdown table: the thumbnails' width and the size
the slides' smallest body text (BODY_PT) prints at.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts.outputs.kind import MM, PAPERS, SLIDES_PER_PAGE  # noqa: E402

SAMPLE = ROOT / "content" / "production-vs-operations.yaml"
BODY_PT = 20  # the smallest body text of a slide


@dataclass(frozen=True)
class Placed:
    """A slide drawn on a page of the notes: its number, its box in points (left, bottom,
    right, top) and the scale it is drawn at."""

    number: int
    box: tuple[float, float, float, float]
    scale: float


def placed_slides(path: Path) -> list[list[Placed]]:
    """For each page of a notes PDF, the slides on it, read from the `cm` and the clip that
    place each, and the marked-content point that names it (`/Slide <</Number n>> DP`)."""
    with pikepdf.open(path) as pdf:
        return [_placed_on(page) for page in pdf.pages]


def _placed_on(page: pikepdf.Page) -> list[Placed]:
    found, matrix, clip = [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = [float(value) for value in operands]
        elif str(operator) == "re":
            clip = [float(value) for value in operands]
        elif str(operator) == "DP" and str(operands[0]) == "/Slide":
            x, y, width, height = clip
            scale, _, _, _, dx, dy = matrix
            box = (
                dx + scale * x,
                dy + scale * y,
                dx + scale * (x + width),
                dy + scale * (y + height),
            )
            found.append(Placed(int(operands[1].Number), box, scale))
    return found


def _build(lesson: Path, per_page: int, paper: str, folder: Path) -> Path:
    """The lesson's notes for one layout, built with build.py into `folder`."""
    options = ["--only", "notes", "--slides-per-page", str(per_page), "--paper", paper]
    command = [sys.executable, "build.py", str(lesson), *options, "-q", "-o", str(folder)]
    subprocess.run(command, check=True, cwd=ROOT)
    return folder / f"{lesson.stem}-notes.pdf"


def main(lesson: Path) -> None:
    """Print each layout's thumbnail width and smallest body text size, per paper."""
    heads = [f"{paper.css}: thumbnail | {paper.css}: body text" for paper in PAPERS.values()]
    print("| slides a page | " + " | ".join(heads) + " |")
    print("|---" * (1 + 2 * len(PAPERS)) + "|")
    with tempfile.TemporaryDirectory() as folder:
        for per_page in sorted(SLIDES_PER_PAGE):
            cells = []
            for paper in PAPERS:
                built = _build(lesson, per_page, paper, Path(folder) / f"{paper}-{per_page}")
                slide = min((s for page in placed_slides(built) for s in page), key=_width)
                cells.append(f"{_width(slide) / MM:.1f} mm | {BODY_PT * slide.scale:.1f} pt")
            print(f"| {per_page} | " + " | ".join(cells) + " |")


def _width(slide: Placed) -> float:
    return slide.box[2] - slide.box[0]


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else SAMPLE)
