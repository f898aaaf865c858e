"""How much toner each built-in theme puts down: the sample lessons built in the default
and the print-saver theme, every page of their slides, notes, handout and table rendered
in grey at 50 dpi (as a black-and-white copier sees them), and, averaged over the pages of
each output, the share of each page's area inked (pixels darker than 250 of 255) and its
toner (each pixel's darkness, 0 for white to 1 for black, averaged over the page: a grey
rule puts down less than a black one of the same size).

Run: python bench/toner.py [CONTENT]   (default: tests/fixtures/samples)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts.cli import main  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
KINDS = ("slides", "notes", "handout", "table")
THEMES = ("default", "print-saver")
DPI = 50
WHITE = 250  # a grey pixel this light or lighter is paper
HEADER = (
    "| output | area inked: default | print-saver | ratio | toner: default | print-saver | ratio |"
)


class Ink(NamedTuple):
    """What a page puts down: the share of its area inked, and its toner."""

    inked: float
    toner: float


def page_ink(pdf: Path, dpi: int = DPI) -> list[Ink]:
    """What each page of `pdf` puts down, its pages rendered in grey at `dpi` by pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(prefix)], check=True)
        return [_ink(page) for page in sorted(Path(folder).glob("page-*.pgm"))]


def _ink(page: Path) -> Ink:
    """What a grey picture of a page puts down."""
    with Image.open(page) as image:
        histogram = image.convert("L").histogram()
    pixels = sum(histogram)
    darkness = sum(count * (255 - value) / 255 for value, count in enumerate(histogram))
    return Ink(sum(histogram[:WHITE]) / pixels, darkness / pixels)


def built(content: Path, theme: str, output: Path) -> Path:
    """The output folder of the lessons under `content` built in `theme`."""
    argv = [str(content), "-q", "--only", ",".join(KINDS), "--theme", theme, "-o", str(output)]
    if main(argv) != 0:
        raise SystemExit(f"the build in the {theme} theme failed")
    return output


def mean_ink(output: Path) -> dict[str, Ink]:
    """What the pages of each kind of PDF in `output` put down, on average."""
    found = {}
    for kind in KINDS:
        pages = [ink for pdf in sorted(output.glob(f"*-{kind}.pdf")) for ink in page_ink(pdf)]
        found[kind] = Ink(*(statistics.mean(values) for values in zip(*pages, strict=True)))
    return found


def main_toner() -> None:
    """Print what each output puts down in each theme, as a Markdown table."""
    command = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    command.add_argument("content", nargs="?", type=Path, default=SAMPLES)
    args = command.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ink = {
            theme: mean_ink(built(args.content, theme, Path(folder) / theme)) for theme in THEMES
        }
    print(HEADER)
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        default, saver = ink["default"][kind], ink["print-saver"][kind]
        inked = _compared(default.inked, saver.inked)
        print(f"| {kind} | {inked} | {_compared(default.toner, saver.toner)} |")


def _compared(default: float, saver: float) -> str:
    """Two figures and their ratio, as cells of a Markdown table."""
    return f"{default:.1%} | {saver:.1%} | {saver / default:.2f}"


if __name__ == "__main__":
    main_toner()
