"""A lesson of several comparison tables: a section's `table:` and the lesson's
`comparison:`, each titled and numbered, each where it stands in every output.

The test lesson (tests/lessons/tables/cell-division.yaml) compares mitosis and meiosis:
its section "Phase by phase" holds the by-phase pairs as a table, and the lesson ends with
its comparison table.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import jsonschema
import pypdfium2.raw as pdfium_raw
import pytest
import yaml
from conftest import ROOT, build
from pdf_reader import Pdf

from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.schema import lesson_schema

LESSON = ROOT / "tests" / "lessons" / "tables" / "cell-division.yaml"
FIRST = "table 1 what happens in each phase"
SECOND = "table 2 mitosis and meiosis side by side"
# The first row labels of each table, and answers no cell marks `given:`.
LABELS = ("prophase", "metaphase", "anaphase", "purpose", "daughter cells", "genetically")
ANSWERS = (
    "homologous chromosomes pair up and swap pieces by crossing over",
    "single chromosomes line up along the equator",
    "homologues separate sister chromatids stay together",
    "growth and repair",
    "four haploid",
)
GIVEN = "sister chromatids separate and move to opposite poles"
# The two cells of by-phase rows, of one line and of two: each pair must start on the same
# baseline.
PAIRS = (
    ("Chromosomes condense", "Homologous chromosomes"),
    ("No pairing", "Chiasmata hold"),
    ("The line-up", "How the pairs face"),
)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of the test lesson the tests here read: all but the notes and the
    presenter's handout, which place the slides' pages again."""
    folder = tmp_path_factory.mktemp("tables")
    build(folder, str(LESSON), "--only", "handout,slides,table,worksheet,answers")
    return folder


def _pdf(output: Path, kind: str) -> Pdf:
    return Pdf(output / f"cell-division-{kind}.pdf")


def _in_order(text: str, *phrases: str) -> None:
    """Each phrase is in `text`, after the one before it."""
    places = [text.find(phrase) for phrase in phrases]
    assert -1 not in places, [p for p, at in zip(phrases, places, strict=True) if at < 0]
    assert places == sorted(places), phrases


def test_the_schema_knows_a_section_table() -> None:
    validator = jsonschema.Draft202012Validator(lesson_schema())
    lesson = yaml.safe_load(LESSON.read_text("utf-8"))
    assert not list(validator.iter_errors(lesson))
    del lesson["sections"][1]["table"]["title"]  # a section's table needs its title
    assert list(validator.iter_errors(lesson))


def test_tables_are_numbered_in_the_order_shown_their_rows_counted_through() -> None:
    (lesson,) = load_lessons([LESSON], Bounds(ROOT)).lessons
    assert [(t.number, t.first_row, len(t.rows)) for t in lesson.tables] == [(1, 0, 8), (2, 8, 3)]
    assert lesson.sections[1].table == lesson.tables[0]
    assert lesson.table_row(9) == (lesson.tables[1], 1)


def test_a_lone_section_table_is_not_numbered_and_gives_the_table_outputs(
    lesson_dir, tmp_path: Path
) -> None:
    path = lesson_dir("lone.yaml", LESSON.read_text("utf-8").split("comparison:")[0])
    (lesson,) = load_lessons([path], Bounds(tmp_path)).lessons
    assert lesson.comparison is None and [t.number for t in lesson.tables] == [0]
    build(tmp_path / "out", str(path), "--only", "handout,table")
    text = Pdf(tmp_path / "out" / "lone-table.pdf").text()
    assert "what happens in each phase" in text and "table 1" not in text
    assert "table 1" not in Pdf(tmp_path / "out" / "lone-handout.pdf").text()


def test_the_handout_shows_the_section_table_after_its_text(output: Path) -> None:
    _in_order(
        _pdf(output, "handout").text(),
        "phase by phase",
        "both divisions pass through the same phases",
        FIRST,
        "prophase chromosomes condense",
        "anaphase sister chromatids",
        "what they make",
        SECOND,
        "purpose growth and repair",
        "conclusion",
    )


def test_the_table_pdf_has_each_table_on_a_page_of_its_own(output: Path) -> None:
    pages = _pdf(output, "table").page_words()
    assert len(pages) == 2
    assert FIRST in pages[0] and "prophase" in pages[0] and "purpose" not in pages[0]
    assert SECOND in pages[1] and "purpose" in pages[1] and "prophase" not in pages[1]
    assert all(f"page {n} of 2" in pages[n - 1] for n in (1, 2))


@pytest.mark.parametrize("kind", ["worksheet", "answers"])
def test_the_worksheet_and_key_give_each_table_after_the_one_before(
    output: Path, kind: str
) -> None:
    pdf = _pdf(output, kind)
    pages = pdf.page_words()
    text = pdf.text()
    _in_order(text, FIRST, "prophase", "anaphase", SECOND, "purpose", "genetically")
    # The short second table follows the first's last row on its page: no sheet for it alone.
    second = next(n for n, words in enumerate(pages) if SECOND in words)
    assert second > 0 and "anaphase" in pages[second].split(SECOND)[0]
    # That page's running header names the table it begins in (its own title is on page 1).
    assert FIRST in pages[second] and FIRST not in pages[second].replace(FIRST, "", 1)
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
    assert GIVEN in text
    shown = [answer for answer in ANSWERS if answer in text]
    assert shown == ([] if kind == "worksheet" else list(ANSWERS))


def test_the_slides_show_each_table_after_its_section(output: Path) -> None:
    slides = _pdf(output, "slides").page_words()

    def starting(heading: str) -> list[int]:
        return [n for n, words in enumerate(slides) if words.startswith(heading)]

    first = starting(f"phase by phase {FIRST}")  # under the section's name
    second = starting(f"comparison {SECOND}")
    (phases,), (after,) = starting("phase by phase both"), starting("what they make")
    assert first and second
    assert phases < min(first) <= max(first) < after < min(second)
    shown = " ".join(slides[n] for n in first)
    assert all(label in shown for label in LABELS[:3])
    assert "purpose" in slides[second[0]]


def _baseline(pdf: Pdf, page: int, words: str) -> float:
    """Where the first letter of `words` sits on page `page`: its baseline's height, pt."""
    textpage = pdf.document[page].get_textpage()
    searcher = textpage.search(words, match_case=True)
    found = searcher.get_next()
    assert found, words
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_raw.FPDFText_GetCharOrigin(textpage.raw, found[0], ctypes.byref(x), ctypes.byref(y))
    return y.value


@pytest.mark.parametrize("kind", ["handout", "table"])
def test_a_by_phase_pair_lines_up(output: Path, kind: str) -> None:
    pdf = _pdf(output, kind)
    for left, right in PAIRS:
        assert _baseline(pdf, 0, left) == pytest.approx(_baseline(pdf, 0, right), abs=0.1)


def test_each_table_is_made_smaller_only_as_far_as_it_needs(lesson_dir, tmp_path: Path) -> None:
    cell = "a cell long enough to take two lines of the table's page at its own size, or more"
    rows = "".join(f"        - a: {cell} {n}\n          b: {cell}\n" for n in range(14))
    text = (
        "title: Sizes\nsubjects:\n  a: A\n  b: B\nintroduction: Two tables.\nsections:\n"
        f"  - title: Long\n    text: Its table is long.\n    table:\n      title: Long\n"
        f"      rows:\n{rows}comparison:\n  rows:\n    - a: Two\n      b: Wow\n"
    )
    build(tmp_path / "out", str(lesson_dir("sizes.yaml", text)), "--only", "table")
    pdf = Pdf(tmp_path / "out" / "sizes-table.pdf")
    assert len(pdf) == 2
    # Only the cells have a "w": each table's type size.
    long, short = ({c.size for c in pdf.inked_chars(n) if c.text in "wW"} for n in (0, 1))
    assert max(long) < 13 and min(short) == pytest.approx(13.0, abs=0.05)
