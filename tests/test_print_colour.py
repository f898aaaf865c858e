"""Black is black on paper: black and greys in DeviceGray (black toner only), and rules and
writing lines a copier keeps (render/toner.py, the theme's --rule)."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import copy_sample

from handouts.make.pipeline import load, plan
from handouts.make.workers import Job
from handouts.outputs import get
from handouts.project import BuildOptions, Project
from handouts.render.cache import BuildCache
from handouts.render.tagging import repaired
from handouts.render.theme import Theme
from handouts.render.toner import black_toner_only

GS = shutil.which("gs")
BLACK_TEXT = (
    '<html lang="en"><body><p>Black text, and nothing else on the page, prints with black '
    "toner alone.</p></body></html>"
)
STYLESHEETS = get("handout").all_stylesheets()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A page of black text, and a sample lesson's handout and notes (its slides as forms),
    as drawn before the repair pass."""
    made = {"black text": BuildCache().renderer(Theme()).render(BLACK_TEXT, STYLESHEETS).data}
    folder = copy_sample(tmp_path_factory.mktemp("toner") / "content").parent.parent
    project = Project.at(folder, options=BuildOptions(outputs=("handout", "notes"), jobs=1))
    loaded = load(project)
    assert not loaded.errors, loaded.errors
    settings = project.options.settings
    for job in plan(loaded.lessons, project):
        assert isinstance(job, Job), job
        if job.output in ("handout", "notes"):
            kind = get(job.output)
            made[job.output] = kind.make(job.html, job.prepared, settings, project.cache).data
    return made


def _streams(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every page and every form a page draws, however deep."""
    found, holders, seen = [], [page.obj for page in pdf.pages], set()
    found.extend(pikepdf.Page(page) for page in holders)
    while holders:
        xobjects = holders.pop().get("/Resources", pikepdf.Dictionary()).get("/XObject", {})
        for drawn in xobjects.values():
            if drawn.get("/Subtype") == pikepdf.Name.Form and drawn.objgen not in seen:
                seen.add(drawn.objgen)
                found.append(drawn)
                holders.append(drawn)
    return found


def _neutral_rgb(pdf: pikepdf.Pdf) -> int:
    """How many `rg`/`RG` set a neutral colour (red = green = blue)."""
    return sum(
        str(operator) in ("rg", "RG") and len({float(value) for value in operands}) == 1
        for stream in _streams(pdf)
        for operands, operator in pikepdf.parse_content_stream(stream)
    )


def test_no_neutral_colour_is_left_in_rgb(built: Path) -> None:
    counts = {}
    for path in sorted(built.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            counts[path.name] = _neutral_rgb(pdf)
    assert counts and counts == dict.fromkeys(counts, 0)


def _pixels(data: bytes) -> list[bytes]:
    return [page.render(scale=1).to_pil().tobytes() for page in pdfium.PdfDocument(data)]


def _in_gray(data: bytes) -> bytes:
    with pikepdf.open(BytesIO(data)) as pdf:
        black_toner_only(pdf)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def test_greys_look_the_same_in_gray(drawn: dict[str, bytes]) -> None:
    for name, data in drawn.items():
        gray = _in_gray(data)
        with pikepdf.open(BytesIO(data)) as before, pikepdf.open(BytesIO(gray)) as after:
            assert _neutral_rgb(before) > 0 and _neutral_rgb(after) == 0, name
        assert _pixels(gray) == _pixels(data), name


def _inkcov(data: bytes, tmp_path: Path) -> list[tuple[float, float, float, float]]:
    """Ghostscript's ink coverage of each page: C, M, Y, K."""
    path = tmp_path / "inked.pdf"
    path.write_bytes(data)
    found = subprocess.run(
        [str(GS), "-q", "-o", "-", "-sDEVICE=inkcov", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [tuple(float(v) for v in line.split()[:4]) for line in found.splitlines()]  # type: ignore[misc]


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed: no ink coverage")
def test_black_text_prints_with_black_toner_only(drawn: dict[str, bytes], tmp_path: Path) -> None:
    ((c, m, y, k),) = _inkcov(repaired(drawn["black text"], BLACK_TEXT, {}), tmp_path)
    assert (c, m, y) == (0, 0, 0) and k > 0


def _runs(column: list[int], darker_than: int) -> int:
    """How many separate marks a column of grey pixels crosses, darker than a value."""
    marks = [value < darker_than for value in column]
    return sum(mark and not before for mark, before in zip(marks, [False, *marks], strict=False))


def test_writing_lines_survive_a_copier_in_text_mode(built: Path) -> None:
    """At 300 dpi, each pixel darker than 50 % black and the rest white (a copier's text
    mode): every rule and writing line crossing a writing column is still there."""
    page = pdfium.PdfDocument(built / "production-systems-worksheet.pdf")[0]
    image = page.render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    width, height = image.size
    for place in (0.427, 0.677, 0.926):  # the right end of each column, clear of its heading
        column = [image.getpixel((int(width * place), y)) for y in range(height)]
        drawn = _runs(column, 250)  # type: ignore[arg-type]
        assert drawn > 5 and _runs(column, 128) == drawn, place  # type: ignore[arg-type]
