"""The layouts teachers print: slides with note lines, worksheet and answer key, and the
layout checks that point at the YAML (slide overflow, a table too long for its page)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2.raw as pdfium_raw
from conftest import SAMPLE, SAMPLES, run_here
from pdf_reader import Pdf, inside_any, normalize

from bench.notes_sizes import placed_slides
from handouts.derive.fit import equal_shares
from handouts.derive.worksheet import MAX_LINES, writing_lines

Box = tuple[float, float, float, float]  # left, bottom, right, top, in points
LESSON = """\
title: Tea and coffee
subjects:
  tea: Tea
  coffee: Coffee
introduction: Tea and coffee are both brewed from plants.
sections:
  - title: Origins
    tea: {tea}
    coffee: Coffee comes from the seeds of the coffee plant.
comparison:
  rows:
{rows}
"""
SLIDE = 960 / 540  # a slide's width / height
ROW = "    - label: {label}\n      tea: {tea}\n      coffee: {coffee}\n"


def _lesson(tea: str = "Tea comes from leaves.", rows: str = "") -> str:
    rows = rows or ROW.format(label="Plant part", tea="Leaves", coffee="Seeds")
    return LESSON.format(tea=tea, rows=rows)


def _line_of(path: Path, text: str) -> int:
    """The line number (from 1) of the first line of a file holding `text`."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _run(path: Path, *args: str) -> tuple[int, str, Path]:
    output = path.parent.parent / "output"
    ran = run_here(str(path), "-o", str(output), *args)
    return ran.code, ran.err, output


def _objects(pdf: Pdf, page: int, kind: int) -> list[Box]:
    """The boxes of a page's own drawn objects of one kind (not those inside placed forms)."""
    found = pdf.document[page].get_objects(filter=[kind], max_depth=1)
    return [tuple(item.get_bounds()) for item in found]


def _frames(pdf: Pdf, page: int) -> list[Box]:
    """The frames drawn around the slides: rectangles of the slides' 16:9 shape."""
    paths = _rules(pdf, page)
    return [
        b for b in paths if b[2] - b[0] > 100 and abs((b[2] - b[0]) / (b[3] - b[1]) - SLIDE) < 0.05
    ]


def _rules(pdf: Pdf, page: int) -> list[Box]:
    """The boxes of lines, borders and frames at least 100 pt wide drawn on a page (not
    those of the slides placed on it)."""
    paths = _objects(pdf, page, pdfium_raw.FPDF_PAGEOBJ_PATH)
    slides = [slide.box for slide in placed_slides(pdf.path)[page]]
    return [b for b in paths if b[2] - b[0] > 100 and not inside_any(b, slides)]


def test_notes_put_three_real_slides_a_page_with_ruled_lines_beside_each(built: Path) -> None:
    notes = Pdf(built / f"{SAMPLE}-notes.pdf")
    deck = Pdf(built / f"{SAMPLE}-slides.pdf")
    assert len(notes) == math.ceil(len(deck) / 3)
    shared = equal_shares(len(deck), len(notes))  # 10 slides: 3, 3, 2, 2
    for page in range(len(notes)):
        numbers = [index + 1 for index in shared[page]]
        text = normalize(notes.page_text(page))
        for number in numbers:
            assert f"slide {number}" in text
            # The slide itself, as live text: its own words, in the order it shows them.
            assert normalize(deck.page_text(number - 1)).split(" ")[0] in text
        assert f"page {page + 1} of {len(notes)}" in text
        # Each slide drawn in the page itself, not as a form (whose words' own texts PDFium
        # would misplace).
        assert not _objects(notes, page, pdfium_raw.FPDF_PAGEOBJ_FORM)
        frames = _frames(notes, page)
        assert len(frames) == len(numbers)
        for _, bottom, right, top in frames:
            lines = [r for r in _rules(notes, page) if r[0] > right and bottom - 9 <= r[1] <= top]
            assert len(lines) == 10, "ruled lines beside each slide, as high as it"
    assert "business management difference between production" in normalize(notes.page_text(0))
    assert notes.outline()[2] == (0, "Slide 3: Goals")  # its subjects side by side


def test_links_on_a_slide_still_work_in_the_notes(lesson_dir: Callable[..., Path]) -> None:
    path = lesson_dir("links.yaml", _lesson("Read [the tea guide](https://example.org/tea)."))
    code, err, output = _run(path, "--only", "notes")
    assert code == 0, err
    notes = Pdf(output / "links-notes.pdf")
    assert "read the tea guide" in notes.text()
    slides = _frames(notes, 0)
    with notes.structure() as pdf:
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a]
        # A link set large enough to wrap is an area a line.
        assert {str(link.A.URI) for link in links} == {"https://example.org/tea"}
        rects = [[float(v) for v in link.Rect] for link in links]  # as normalised rectangles
    for x1, y1, x2, y2 in rects:
        assert any(x0 <= x1 < x2 <= r and b <= y1 < y2 <= t for x0, b, r, t in slides)


# The outputs the overflow test reads: the deck, the notes that place its slides, and the
# handout (one of the outputs that are made all the same).
SHOWN = ("--only", "handout,slides,notes")


def test_a_slide_that_overflows_is_reported_at_its_yaml_line(
    lesson_dir: Callable[..., Path],
) -> None:
    long_part = "|\n      Tea is grown in many countries:\n\n" + "".join(
        f"      - a long line about tea growing region number {n} and its climate\n"
        for n in range(14)
    )
    path = lesson_dir("long.yaml", _lesson(long_part))
    output = path.parent.parent / "output"
    output.mkdir()
    (output / "long-slides.pdf").write_bytes(b"earlier deck")
    code, err, _ = _run(path, *SHOWN)
    assert code == 1
    where = f"{path}:{_line_of(path, 'tea: |')}:10: error: "
    overflow = r"slide 'Origins: Tea' overflows its slide \(about (\d+) lines too many\) "
    said = re.search(re.escape(where) + overflow + r"\(shorten it, or let it continue", err)
    assert said and int(said.group(1)) >= 4, err  # the lines laid out past its slide's end
    assert err.count("overflows its slide") == 1  # reported once, not again for the notes
    assert (output / "long-slides.pdf").read_bytes() == b"earlier deck"
    assert not (output / "long-notes.pdf").exists()
    assert (output / "long-handout.pdf").exists()  # the other outputs are made

    path.write_text(
        path.read_text().replace("  - title: Origins\n", "  - title: Origins\n    continue: true\n")
    )
    code, err, _ = _run(path, *SHOWN)
    assert code == 0, err
    deck = Pdf(output / "long-slides.pdf")
    spaced = [deck.page_text(i).lower().replace(" ", "") for i in range(len(deck))]
    continued = [i for i, text in enumerate(spaced) if "tea(continued)" in text]
    assert len(continued) == 1
    assert (0, f"Slide {continued[0] + 1}: Origins: Tea (continued)") in Pdf(
        output / "long-notes.pdf"
    ).outline()


def test_a_table_row_too_tall_for_a_slide_is_reported(lesson_dir: Callable[..., Path]) -> None:
    tall = " ".join(["Tea leaves are picked, withered, rolled, oxidised and dried."] * 14)
    rows = ROW.format(label="Short", tea="Leaves", coffee="Seeds") + ROW.format(
        label="Processing", tea=tall, coffee="Beans are roasted."
    )
    path = lesson_dir("tall.yaml", _lesson(rows=rows))
    code, err, _ = _run(path, "--only", "slides")
    assert code == 1
    assert (
        f"{path}:{_line_of(path, 'label: Processing')}:7: error: "
        "row 'Processing' of the comparison table is too tall for a slide" in err
    )


def test_a_long_table_shrinks_to_one_page_down_to_9_pt(lesson_dir: Callable[..., Path]) -> None:
    cell = "A fairly long cell that describes this point of the comparison in a sentence or two."
    rows = "".join(ROW.format(label=f"Point {n}", tea=cell, coffee=cell) for n in range(12))
    path = lesson_dir("long-table.yaml", _lesson(rows=rows))
    code, err, output = _run(path, "--only", "table")
    assert code == 0, err
    table = Pdf(output / "long-table-table.pdf")
    assert len(table) == 1
    assert all(f"point {n}" in table.text() for n in range(12))
    chars = table.chars(0)
    text = "".join(c.text for c in chars)
    at = text.index(cell[:20])  # a cell's letters: the footer's "Page 1 of 1" is 8 pt
    sizes = {round(c.size, 1) for c in chars[at : at + len(cell)] if c.text.isalpha()}
    cell_size = min(sizes)
    assert 9 <= cell_size < 13, "shrunk from 13 pt, not below the 9 pt floor"


def test_a_table_too_long_even_at_9_pt_names_its_longest_row(
    lesson_dir: Callable[..., Path],
) -> None:
    cell = "A cell of the comparison table that runs over two lines when it is printed."
    rows = [ROW.format(label=f"Point {n}", tea=cell, coffee=cell) for n in range(30)]
    rows[6] = ROW.format(label="Longest", tea=" ".join([cell] * 5), coffee=cell)
    path = lesson_dir("too-long.yaml", _lesson(rows="".join(rows)))
    code, err, output = _run(path, "--only", "table")
    assert code == 1
    assert (
        f"{path}:{_line_of(path, 'label: Longest')}:7: error: the comparison table does not "
        "fit on one page, even with its type at 9 pt; its longest row is 'Longest'" in err
    )
    assert not (output / "too-long-table.pdf").exists()


def test_a_table_of_many_equal_rows_too_long_for_a_page_says_so_without_naming_one(
    lesson_dir: Callable[..., Path],
) -> None:
    rows = "".join(ROW.format(label=f"Point {n}", tea="Same", coffee="Same") for n in range(80))
    path = lesson_dir("many.yaml", _lesson(rows=rows))
    code, err, _ = _run(path, "--only", "table")
    assert code == 1
    assert (
        f"{path}:{_line_of(path, 'label: Point 0')}:7: error: the comparison table does not fit "
        "on one page, even with its type at 9 pt: its 80 rows are too many" in err
    )
    assert "longest row" not in err


def _answers(built: Path) -> list[str]:
    with (SAMPLES / f"{SAMPLE}.yaml").open() as source:
        import yaml

        rows = yaml.safe_load(source)["comparison"]["rows"]
    return [normalize(row[key]) for row in rows for key in ("production", "operations")]


def test_the_worksheet_holds_no_answer_and_the_key_holds_them_all(built: Path) -> None:
    worksheet = Pdf(built / f"{SAMPLE}-worksheet.pdf")
    key = Pdf(built / f"{SAMPLE}-answers.pdf")
    blank, filled = worksheet.text(), key.text()
    assert "name" in blank and "date" in blank and "answerkey" not in blank.replace(" ", "")
    assert "answerkey" in filled.replace(" ", "")  # spaced capitals
    everywhere = blank + normalize(" ".join(worksheet.metadata().values()))
    everywhere += normalize(" ".join(title for _, title in worksheet.outline()))
    for answer in _answers(built):
        assert answer not in everywhere
        assert answer in filled
    for label in ("concern", "focus", "emphasis", "planning", "technology", "activities"):
        assert label in blank


def _word_box(pdf: Pdf, word: str) -> tuple[float, ...]:
    """The page a word is first on and its first character's box there."""
    for page in range(len(pdf)):
        textpage = pdf.document[page].get_textpage()
        if (index := textpage.get_text_range().find(word)) >= 0:
            return (page, *(round(v, 2) for v in textpage.get_charbox(index)))
    raise AssertionError(f"{word!r} is on no page")


def test_worksheet_and_key_share_their_geometry(built: Path) -> None:
    worksheet = Pdf(built / f"{SAMPLE}-worksheet.pdf")
    key = Pdf(built / f"{SAMPLE}-answers.pdf")
    assert len(worksheet) == len(key) == 2  # six rows of long answers, lines 8 mm apart
    for label in ("Concern", "Planning", "Activities", "Operations management"):
        assert _word_box(worksheet, label) == _word_box(key, label)
    ruled, answered = set(_rules(worksheet, 0)), set(_rules(key, 0))
    assert answered and answered <= ruled  # the same ruled writing space...
    assert all(extra[1] > max(r[1] for r in answered) for extra in ruled - answered)  # + name


def test_given_cells_are_printed_on_the_worksheet(lesson_dir: Callable[..., Path]) -> None:
    rows = ROW.format(label="Plant part", tea="Leaves", coffee="Seeds") + "      given: [tea]\n"
    path = lesson_dir("given.yaml", _lesson(rows=rows))
    code, err, output = _run(path, "--only", "worksheet")
    assert code == 0, err
    text = Pdf(output / "given-worksheet.pdf").text()
    assert "leaves" in text and "seeds" not in text

    path.write_text(path.read_text().replace("[tea]", "[teas]"))
    code, err, _ = _run(path, "--only", "worksheet")
    assert code == 1
    assert "error: 'given' names 'teas', which is not a subject (did you mean 'tea'?)" in err


def test_writing_space_grows_with_the_answer() -> None:
    assert writing_lines("Low", 3) == 1
    assert writing_lines("x" * 50, 2) == 2
    assert writing_lines("[a link](https://example.org/a/very/long/address)", 2) == 1
    assert writing_lines("word " * 400, 2) == MAX_LINES
    assert writing_lines("y" * 70, 3) > writing_lines("y" * 70, 2)


def _wide_lesson(subjects: int) -> str:
    names = "".join(f"  s{n}: Subject number {n}\n" for n in range(subjects))
    cells = "".join(f"      s{n}: A cell of subject {n}\n" for n in range(subjects))
    return (
        f"title: Wide\nsubjects:\n{names}introduction: Hi.\nsections:\n"
        f"  - title: S\n    text: T.\ncomparison:\n  rows:\n    - label: One\n{cells}"
    )


def test_a_table_too_wide_to_read_is_an_error_at_the_comparison_naming_what_fits(
    lesson_dir: Callable[..., Path],
) -> None:
    path = lesson_dir("wide.yaml", _wide_lesson(16))
    code, err, output = _run(path)
    assert code == 1
    line = _line_of(path, "rows:")  # the comparison's first line
    for place, fit in (("the handout", 7), ("a slide", 5), ("the table's page", 9)):
        assert (
            f"{path}:{line}:3: error: the comparison table's 16 columns are too narrow to read "
            f"on {place} (" in err
        ), err
        assert f"wanted): {fit} subjects fit (compare fewer subjects" in err
    assert err.count("too narrow to read on a slide") == 1  # the notes show the same slides
    assert err.count("too narrow to read on the worksheet") == 1  # and the key the same page
    assert not list(output.glob("wide-*.pdf"))


def test_four_subjects_are_readable_everywhere(lesson_dir: Callable[..., Path]) -> None:
    path = lesson_dir("four.yaml", _wide_lesson(4))
    code, err, output = _run(path)
    assert code == 0, err
    assert len(list(output.glob("four-*.pdf"))) == 6


def _box_on(pdf: Pdf, page: int, words: str) -> tuple[float, ...]:
    textpage = pdf.document[page].get_textpage()
    index = textpage.get_text_range().index(words)
    return tuple(round(v, 1) for v in textpage.get_charbox(index))


def test_a_two_column_list_reads_down_the_first_column_then_the_second(built: Path) -> None:
    deck = Pdf(built / f"{SAMPLE}-slides.pdf")
    page = next(n for n in range(len(deck)) if "selecting suppliers" in deck.page_text(n))
    first, second = _box_on(deck, page, "designing products"), _box_on(deck, page, "selecting")
    fifth = _box_on(deck, page, "determining which")
    assert abs(first[0] - second[0]) < 2 and second[1] < first[1] - 10  # the 2nd under the 1st
    assert fifth[0] > first[0] + 100 and abs(fifth[1] - first[1]) < 2  # the 5th tops column 2
