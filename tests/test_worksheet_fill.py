"""The worksheet's writing space grows to fill its page; the answer key keeps its geometry."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pikepdf
import pypdfium2.raw as pdfium_raw
import pytest
from conftest import ROOT, SAMPLE, SAMPLES, build
from pdf_reader import Pdf, normalize

from handouts.derive.worksheet import (
    MAX_PITCH_MM,
    PLANNED,
    PX_PER_MM,
    grown,
    row_lines,
)
from handouts.errors import Location
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.model import Comparison, Row
from handouts.outputs import get
from handouts.outputs.kind import MM, PAPERS, Prepared, Settings
from handouts.render.cache import BuildCache
from handouts.render.tagging import repaired
from handouts.render.theme import Theme

GROWN = "production-systems"  # three subjects, short answers: its table had room to grow
BODY_MARGIN_PT = 14 * MM  # worksheet.css: the page's bottom margin
TOP_MARGIN_PT = 17 * MM  # and its top margin, room for the later pages' heads
LESSON = """\
title: Tea and coffee
subjects:
  tea: Tea
  coffee: Coffee
introduction: Tea and coffee are both brewed from plants.
sections:
  - title: Origins
    tea: Tea comes from leaves.
    coffee: Coffee comes from the seeds of the coffee plant.
comparison:
  rows:
{rows}"""
ROW = "    - label: {label}\n      tea: {tea}\n      coffee: {coffee}\n"
# Three lines of writing planned for each cell, lines 8 mm apart; with one row of four
# lines (LONGER), five such rows fill an A4 sheet already (the table ends 3 % above its foot).
LONG = "A long cell that describes this point of the comparison in a sentence, with more words."
LONGER = f"{LONG} It runs on to a fourth line of writing, and more, a few more words."


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' worksheets and answer keys on US Letter."""
    output = tmp_path_factory.mktemp("letter")
    build(output, str(SAMPLES), "--only", "worksheet,answers", "--paper", "letter")
    return output


def _folder(paper: str, built: Path, letter: Path) -> Path:
    return built if paper == "a4" else letter


def _rules(pdf: Pdf, page: int = 0) -> set[tuple[float, ...]]:
    """A page's lines at least 100 pt wide, as (left, bottom, right, top) in points."""
    paths = pdf.document[page].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=1)
    boxes = (tuple(round(v, 2) for v in path.get_bounds()) for path in paths)
    return {box for box in boxes if box[2] - box[0] > 100}


def _anchors(pdf: Pdf) -> dict[str, tuple[float, float]]:
    """Where each element id was laid out: the PDF's named destinations, (left, top) in pt."""
    with pdf.structure() as document:
        tree = pikepdf.NameTree(document.Root.Names.Dests)
        return {str(name): (float(dest[2]), float(dest[3])) for name, dest in tree.items()}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lesson", [GROWN, SAMPLE])
def test_the_table_fills_its_pages(paper: str, lesson: str, built: Path, letter: Path) -> None:
    """A one-page sheet's table ends near the page's foot (at most 15 % of the body left
    below it). A table of several pages cannot always: its rows never split, so each page
    ends at a whole row and the last holds what is left; none of its pages is left less
    than 40 % used (the sample's last page on Letter, 83 %)."""
    sheet = Pdf(_folder(paper, built, letter) / f"{lesson}-worksheet.pdf")
    assert len(sheet) == (1 if lesson == GROWN else 2)  # the sample's long answers: two
    body = sheet.page_size(0)[1] - BODY_MARGIN_PT - TOP_MARGIN_PT
    for page in range(len(sheet)):
        left_below = min(rule[1] for rule in _rules(sheet, page)) - BODY_MARGIN_PT
        assert left_below >= 0, f"page {page + 1}: the table runs into the margin"
        if len(sheet) == 1:
            assert left_below <= 0.15 * body, f"{left_below / body:.0%} of the body left empty"
        else:
            assert left_below <= 0.6 * body, f"page {page + 1}: {left_below / body:.0%} empty"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_key_lies_exactly_over_the_grown_worksheet(
    paper: str, built: Path, letter: Path
) -> None:
    folder = _folder(paper, built, letter)
    sheet, key = Pdf(folder / f"{GROWN}-worksheet.pdf"), Pdf(folder / f"{GROWN}-answers.pdf")
    assert len(sheet) == len(key) == 1
    boxes = _anchors(sheet)
    assert boxes == _anchors(key)  # every row, writing space and column, to the point
    assert sum(name.startswith("writing-") for name in boxes) == 15  # every cell blank
    ruled, answered = _rules(sheet), _rules(key)
    assert answered < ruled  # every line of the key is a line of the worksheet...
    table_top = boxes["row-1"][1]
    assert all(extra[1] > table_top for extra in ruled - answered)  # + Name and Date only


def test_the_grown_worksheet_holds_no_answer_and_its_key_all(built: Path) -> None:
    sheet, key = Pdf(built / f"{GROWN}-worksheet.pdf"), Pdf(built / f"{GROWN}-answers.pdf")
    blank, filled = sheet.text(), key.text()
    blank += normalize(" ".join(sheet.metadata().values()))
    for answer in ("one unit or very few", "several products one batch at a time", "low"):
        assert answer in filled
        assert answer not in blank
    assert "volume" in blank and "equipment" in blank


def _planned_bytes(path: Path, paper: str = "a4") -> bytes:
    """The worksheet of a lesson rendered from its planned HTML alone, its lines as planned."""
    lesson = load_lessons([path], Bounds(ROOT)).lessons[0]
    cache = BuildCache()
    prepared, kind = Prepared.of(lesson, Theme(), cache), get("worksheet")
    with prepared.media.noting() as formulas:
        html = kind.html(prepared, Settings(PAPERS[paper]), cache)
    pdf = cache.renderer(prepared.theme).render(html, kind.all_stylesheets())
    return repaired(pdf.data, html, formulas)


def test_a_table_that_already_fills_its_page_is_printed_as_planned(
    lesson_dir: Callable[..., Path],
) -> None:
    rows = ROW.format(label="Point 0", tea=LONGER, coffee=LONG)
    rows += "".join(ROW.format(label=f"Point {n}", tea=LONG, coffee=LONG) for n in range(1, 5))
    path = lesson_dir("long-rows.yaml", LESSON.format(rows=rows))
    output = path.parent.parent / "output"
    build(output, str(path), "--only", "worksheet")
    sheet = output / "long-rows-worksheet.pdf"
    assert len(Pdf(sheet)) == 1
    assert sheet.read_bytes() == _planned_bytes(path)


def test_rows_made_tall_by_a_given_cell_still_fill_the_page_under_the_key(
    lesson_dir: Callable[..., Path],
) -> None:
    given = " ".join(["A printed cell long enough to run over several lines of its column."] * 3)
    rows = ROW.format(label="One", tea=given, coffee="Short") + "      given: [tea]\n"
    rows += ROW.format(label="Two", tea="A short answer", coffee="Another short answer")
    path = lesson_dir("given.yaml", LESSON.format(rows=rows))
    output = path.parent.parent / "output"
    build(output, str(path), "--only", "worksheet,answers")
    sheet, key = Pdf(output / "given-worksheet.pdf"), Pdf(output / "given-answers.pdf")
    assert len(sheet) == len(key) == 1
    assert _anchors(sheet) == _anchors(key)
    left_below = min(rule[1] for rule in _rules(sheet)) - BODY_MARGIN_PT
    assert 0 <= left_below <= 0.15 * (sheet.page_size(0)[1] - BODY_MARGIN_PT - TOP_MARGIN_PT)


def _tables(*answers: str) -> tuple[Comparison]:
    """A lesson's one table, of two subjects, whose rows hold `answers`, each in both cells."""
    where = Location(SAMPLES / "table.yaml", 1, 1)
    rows = tuple(Row(None, (text, text), where) for text in answers)
    return (Comparison("", ("A", "B"), rows),)


def test_every_row_grows_by_one_factor_in_whole_lines_at_a_handwriting_pitch() -> None:
    tables = _tables("short", "x" * 50, "y" * 90)  # 1, 2 and 3 lines planned
    planned_pitch = 7 * PX_PER_MM
    assert row_lines(tables) == [1, 2, 3]
    writing = grown(tables, PLANNED, planned_pitch, free=60 * PX_PER_MM)
    assert writing is not None and writing.pitch_px is not None
    assert writing.factor == Fraction(212, 100)  # (42 + 60) mm of lines / (6 lines * 8 mm)
    assert row_lines(tables, writing.factor) == [2, 4, 6]  # each times 2.12, rounded down
    assert writing.pitch_px / PX_PER_MM == pytest.approx(102 / 12)  # the rest spread: 8.5 mm
    assert grown(tables, PLANNED, planned_pitch, free=0) is None


def test_little_room_widens_the_lines_without_adding_any() -> None:
    tables = _tables("x" * 50, "x" * 50)  # 2 rows of 2 lines
    writing = grown(tables, PLANNED, 7 * PX_PER_MM, free=4 * PX_PER_MM)
    assert writing is not None and writing.factor == Fraction(1)
    assert writing.pitch_px == pytest.approx(8 * PX_PER_MM)  # 4 lines share 4 mm more


def test_lines_are_never_spread_wider_than_the_widest_pitch() -> None:
    tables = _tables("short")  # 1 line: 15 mm of room is not yet 2 lines of 8 mm
    writing = grown(tables, PLANNED, 7 * PX_PER_MM, free=8 * PX_PER_MM)
    assert writing is not None and writing.factor < 2
    assert writing.pitch_px == pytest.approx(MAX_PITCH_MM * PX_PER_MM)
