"""The print-saver theme: chosen in course.yaml or on the command line, it prints the title
slide on white paper and outlines the table header instead of filling it, and its slides
take at most half of the toner the default theme's do."""

from __future__ import annotations

import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, copy_samples, needs_poppler, run_here
from pdf_reader import Pdf

from bench.toner import page_ink
from handouts.render.grayscale import gray_of

LESSON = f"content/{SAMPLE}.yaml"
SLIDES, TABLE = f"{SAMPLE}-slides.pdf", f"{SAMPLE}-table.pdf"
COURSE = Path("content/course.yaml")
SAVER = ROOT / "templates" / "themes" / "print-saver"
SCHOOL_RED = (0.478, 0.122, 0.239)  # #7a1f3d as PDF fill colour components


@dataclass(frozen=True)
class Built:
    """The sample lesson's slides and table in each theme, and what the second build said."""

    default: Path
    saver: Path
    switched: str
    again: str  # what a build after it said


def _build(*args: str, only: str = "slides,table") -> str:
    ran = run_here(LESSON, "-o", "output", "--only", only, *args)
    assert ran.code == 0, ran.err
    return ran.out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample lesson built in the default theme, then again once its course.yaml names
    print-saver (the same output folder: the switch must rebuild)."""
    project = tmp_path_factory.mktemp("saver")
    copy_samples(project / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        _build()
        shutil.copytree("output", "default")
        COURSE.write_text(COURSE.read_text() + "theme: print-saver\n")
        switched = _build()
        again = _build()
    return Built(project / "default", project / "output", switched, again)


def _inked(pdf: Path, page: int | None = None) -> float:
    """The share of the area of one page of `pdf` (of all its pages: their mean) inked."""
    shares = [ink.inked for ink in page_ink(pdf)]
    return shares[page] if page is not None else statistics.mean(shares)


def _grey_beside(pdf: Path, words: str) -> float:
    """How light (0 black, 255 white) the first page of `pdf` is just after `words` on their
    line: inside the table header cell they begin, past its text."""
    read = Pdf(pdf)
    boxes = read.char_boxes(0)
    text = "".join(char for char, _ in boxes)
    end = text.index(words.replace(" ", "")) + len(words.replace(" ", "")) - 1
    _, bottom, right, top = boxes[end][1]
    image = read.document[0].render(scale=1).to_pil().convert("L")  # 72 dpi: a pixel a point
    height = image.height
    pixels = [
        image.getpixel((x, height - y))
        for x in range(int(right) + 6, int(right) + 30)
        for y in range(int(bottom) + 1, int(top))
    ]
    return statistics.mean(pixels)


def test_switching_to_print_saver_rebuilds(built: Built) -> None:
    assert "2 PDF(s) written, 0 up to date" in built.switched
    assert "2 up to date" in built.again
    for name in (SLIDES, TABLE):
        assert (built.saver / name).read_bytes() != (built.default / name).read_bytes()


@needs_poppler
def test_the_title_slide_is_white_paper_not_a_dark_block(built: Built) -> None:
    assert _inked(built.default / SLIDES, 0) > 0.9
    assert _inked(built.saver / SLIDES, 0) < 0.1
    assert "difference between production and operations" in Pdf(built.saver / SLIDES).text()


def test_the_table_header_is_outlined_not_filled(built: Built) -> None:
    assert _grey_beside(built.default / TABLE, "Production management") < 100
    assert _grey_beside(built.saver / TABLE, "Production management") > 250


@needs_poppler
def test_print_saver_slides_take_at_most_half_the_ink(built: Built) -> None:
    default, saver = _inked(built.default / SLIDES), _inked(built.saver / SLIDES)
    assert saver <= default / 2, (default, saver)


def test_the_command_line_theme_wins_over_course_yaml(built: Built, tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "content").parent
    course = project / COURSE
    course.write_text(course.read_text() + "theme: print-saver\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        _build("--theme", "default", only="table")
    assert (project / "output" / TABLE).read_bytes() == (built.default / TABLE).read_bytes()


def test_the_command_line_names_a_theme_without_a_course_yaml(tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "content").parent
    (project / COURSE).unlink()  # the lesson gives what it gave
    lesson = project / LESSON
    lesson.write_text("course: Business\nauthor: A teacher\n" + lesson.read_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        _build("--theme", "print-saver", only="table")
    assert _grey_beside(project / "output" / TABLE, "Production management") > 250


def test_an_unknown_theme_name_is_a_located_error(tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "content").parent
    course = project / COURSE
    lines = len(course.read_text().splitlines())
    course.write_text(course.read_text() + "theme: print-savr\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        ran = run_here("content", "-o", "output")
    assert ran.code == 1
    assert (
        f"content/course.yaml:{lines + 1}:8: error: no built-in theme or theme folder is named "
        "'print-savr' (did you mean 'print-saver'? the built-in themes are default, print-saver"
    ) in ran.err
    assert not (project / "output").exists()


def test_the_project_theme_folder_comes_before_print_saver(tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "content").parent
    course = project / COURSE
    course.write_text(course.read_text() + "theme: print-saver\n")
    colours = (SAVER / "css" / "theme.css").read_text()
    assert "--accent: #1f4e79;" in colours
    school = project / "theme" / "css" / "theme.css"  # the project's colours
    school.parent.mkdir(parents=True)
    school.write_text(colours.replace("--accent: #1f4e79;", "--accent: #7a1f3d;"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        _build(only="table")
    table = project / "output" / TABLE
    # the row heads, in the school's colour: as its gray, print-saver asking for gray pages
    assert (round(gray_of("rgb", list(SCHOOL_RED)), 2),) in Pdf(table).fill_colours("g", 2)
    assert _grey_beside(table, "Production management") > 250  # print-saver's header
