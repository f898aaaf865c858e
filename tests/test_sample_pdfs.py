"""The sample lessons, built and read back from their PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, SAMPLE, SAMPLES, build, built_log, deck_of, seed_text
from pdf_reader import Pdf, normalize, postscript_name

from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.outputs import kinds
from handouts.outputs.kind import ExportKind

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)
SLIDE = (960.0, 540.0)
# Plain grammar slips fixed in the sample, as (seed words, lesson words).
EDITS = [
    ("emphasizes on", "emphasizes"),
    ("control of production process", "control of the production process"),
]
CLUTTER = "see also"


def _seed_parts() -> tuple[list[str], list[tuple[str, str]]]:
    """The seed's prose paragraphs and its table rows (two cells each), clutter left out."""
    lines = [line.strip() for line in seed_text().splitlines() if line.strip()]
    table_at = next(i for i, line in enumerate(lines) if line.startswith("Table "))
    prose = [line for line in lines[2:table_at] if not line.lower().startswith(CLUTTER)]
    rows = []
    for line in lines[table_at + 2 :]:
        verb = line.split()[0]
        second = line.index(f" {verb} ")
        rows.append((line[:second], line[second + 1 :]))
    return prose, rows


def _edited(text: str) -> str:
    text = normalize(text)
    for before, after in EDITS:
        text = text.replace(before, after)
    return text


def _fragments(paragraph: str) -> list[str]:
    """A paragraph cut where the lesson may turn it into a list item or a new line."""
    pieces = re.split(r",|\band\b|\bsuch as\b|\binclude\b", _edited(paragraph))
    return [piece.strip() for piece in pieces if piece.strip()]


def _assert_in_order(fragments: list[str], text: str, start: int = 0) -> int:
    position = start
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"missing or out of order: {fragment!r}"
        position = found
    return position


def _pdf(built: Path, lesson: str, output: str) -> Pdf:
    return Pdf(built / f"{lesson}-{output}.pdf")


@pytest.mark.parametrize(
    ("lesson", "output", "pages", "size"),
    [
        (SAMPLE, "handout", 2, A4),
        (SAMPLE, "slides", 10, SLIDE),
        (SAMPLE, "table", 1, A4[::-1]),
        ("production-systems", "handout", 2, A4),
        ("production-systems", "slides", 8, SLIDE),
        ("production-systems", "table", 1, A4[::-1]),
        (SAMPLE, "notes", 4, A4),  # 10 slides, 3 a page
        ("production-systems", "presenter", 4, A4),  # two slides a page when their notes fit
        (SAMPLE, "worksheet", 2, A4[::-1]),
        (SAMPLE, "answers", 2, A4[::-1]),
        ("production-systems", "notes", 3, A4),
    ],
)
def test_page_count_and_size(
    built: Path, lesson: str, output: str, pages: int, size: tuple
) -> None:
    pdf = _pdf(built, lesson, output)
    assert len(pdf) == pages
    assert {pdf.page_size(i) for i in range(len(pdf))} == {size}


def test_every_fact_of_the_article_is_in_the_handout_in_reading_order(built: Path) -> None:
    text = _pdf(built, SAMPLE, "handout").text()
    prose, rows = _seed_parts()
    _assert_in_order([f for paragraph in prose for f in _fragments(paragraph)], text)
    table_start = text.index(normalize("Production and operations management at a glance"))
    position = table_start
    for cells in rows:
        position = _assert_in_order([f for cell in cells for f in _fragments(cell)], text, position)


def test_no_web_clutter_in_any_output(built: Path) -> None:
    for pdf_path in built.glob("*.pdf"):
        assert "kubra" not in Pdf(pdf_path).text(), pdf_path.name
        assert "see also" not in Pdf(pdf_path).text(), pdf_path.name


@pytest.mark.parametrize("output", ["handout", "slides", "table"])
def test_all_six_table_rows_are_whole_on_one_page(built: Path, output: str) -> None:
    pages = _pdf(built, SAMPLE, output).page_words()
    _, rows = _seed_parts()
    assert len(rows) == 6
    for cells in rows:
        for cell in cells:
            assert any(_edited(cell) in page for page in pages), f"{cell!r} is split or missing"


def test_table_repeats_its_header_on_each_slide_it_spans(built: Path) -> None:
    pdf = _pdf(built, SAMPLE, "slides")
    header = normalize("Production management Operations management")
    table_pages = [
        words
        for words in pdf.page_words()
        if "concerned with" in words or "includes activities such as" in words
    ]
    assert len(table_pages) == 2
    assert all(header in words for words in table_pages)
    assert "at a glance continued" in table_pages[1]


def test_table_rows_are_labelled_or_numbered(built: Path, lesson_dir) -> None:
    text = _pdf(built, SAMPLE, "table").text()
    for label in ("concern", "focus", "emphasis", "planning", "technology", "activities"):
        assert label in text
    unlabelled = (SAMPLES / f"{SAMPLE}.yaml").read_text("utf-8")
    unlabelled = re.sub(r"- label: \w+\n      ", "- ", unlabelled)
    path = lesson_dir("numbered.yaml", unlabelled)
    build(path.parent.parent / "out", str(path), "--only", "table")
    rows = Pdf(path.parent.parent / "out" / "numbered-table.pdf").page_text(0)
    numbers = re.findall(
        r"^([1-6]) (?:Concerned|Focuses|Emphasizes|Involves|Uses|Includes)", rows, re.M
    )
    assert numbers == ["1", "2", "3", "4", "5", "6"]


def test_slide_body_text_is_at_least_20_points(built: Path) -> None:
    """Only the footer, the slide number and the small label above a title may be smaller."""
    (lesson,) = load_lessons([SAMPLES / f"{SAMPLE}.yaml"], Bounds(ROOT)).lessons

    def squeezed(text: str) -> str:  # letter-spaced labels come back with stray spaces
        return normalize(text).replace(" ", "")

    derived = deck_of(lesson)
    labels = {squeezed(s.kicker) for s in [*derived, *(a for s in derived for a in s.apart)]}
    labels.add("")
    footer = squeezed(f"{lesson.course} · {lesson.title}")
    pdf = _pdf(built, SAMPLE, "slides")
    for index in range(1, len(pdf)):  # the title slide's own sizes are its design
        chars = pdf.chars(index)
        small = squeezed("".join(c.text if c.size < 19.9 else " " for c in chars))
        rest = small.replace(footer, "").replace(f"{index + 1}{len(pdf)}", "")
        assert rest in labels, f"slide {index + 1}: {rest!r} is under 20 pt"


def test_sample_builds_without_warnings(built: Path) -> None:
    printed = built_log(built).read_text("utf-8")  # built with WeasyPrint's warnings shown
    # the files for learning platforms (GIFT, Moodle XML, QTI) are not counted as PDFs
    assert "PDF(s) and 3 other file(s) written, 0 up to date, in " in printed, printed
    assert "warning" not in printed.lower(), printed


# The sample that gives each output (the seed lesson has no speaker notes), and its title.
GIVING = {
    "presenter": ("production-systems", "Job, Batch and Mass Production"),
    "pack": ("business-management", "Business Management"),  # the course's, named for it
    "quiz": ("production-systems", "Job, Batch and Mass Production"),
    "quiz-key": ("production-systems", "Job, Batch and Mass Production"),
}
SEED_LESSON = (SAMPLE, "Difference between Production and Operations Management")
# Made only when a build asks for them, each read back by its own tests: the booklet
# (test_booklet.py), the answer sheets (test_grading.py); the exports for learning platforms
# are no PDFs (test_quiz_export.py).
ASKED_FOR = ("booklet", "answer-sheet", "answer-sheet-key")
SAMPLE_KINDS = tuple(
    kind.name for kind in kinds() if not isinstance(kind, ExportKind) and kind.name not in ASKED_FOR
)


@pytest.mark.parametrize("output", SAMPLE_KINDS)
def test_metadata_language_and_tags(built: Path, output: str) -> None:
    lesson, title = GIVING.get(output, SEED_LESSON)
    pdf = _pdf(built, lesson, output)
    info = pdf.metadata()
    assert info["Title"].startswith(title)
    assert info["Author"] == "Business Management teaching team"
    assert info["Subject"].startswith("Business Management: ")
    assert info["CreationDate"] == "" and info["ModDate"] == ""
    with pdf.structure() as structure:
        assert str(structure.Root.Lang) == "en"
        assert bool(structure.Root.MarkInfo.Marked)
        tags = _structure_tags(structure.Root.StructTreeRoot)
    if output.startswith("quiz"):  # numbered questions, their choices lettered lists
        assert {"/H1", "/L", "/LI", "/Lbl", "/LBody", "/Formula", "/Figure"} <= tags
    else:
        assert {"/H1", "/Table", "/TH", "/TD"} <= tags  # the notes: the slides' own structure
    if output in ("handout", "slides", "notes", "presenter"):
        assert {"/H2", "/L", "/LI"} <= tags


def _structure_tags(element: object) -> set[str]:
    """Every structure type (H1, P, Table, ...) in a tagged PDF's structure tree."""
    tags = set()
    if isinstance(element, pikepdf.Dictionary):
        if "/S" in element:
            tags.add(str(element.S))
        element = element.get("/K")
    if isinstance(element, pikepdf.Dictionary | pikepdf.Array):
        for child in element if isinstance(element, pikepdf.Array) else [element]:
            tags |= _structure_tags(child)
    return tags


def test_outline_follows_the_headings(built: Path) -> None:
    handout = _pdf(built, SAMPLE, "handout").outline()
    assert handout[0] == (0, "Difference between Production and Operations Management")
    assert [title for level, title in handout if level == 1] == [
        "Goals",
        "Techniques",
        "Activities",
        "Production and operations management at a glance",
        "Conclusion",
    ]
    assert (2, "Operations management") in handout
    slides = [title for _, title in _pdf(built, SAMPLE, "slides").outline()]
    assert "Techniques: Production management" in slides
    assert slides[-1] == "Key takeaways"


@pytest.mark.parametrize("output", SAMPLE_KINDS)
def test_only_our_fonts_are_embedded(built: Path, output: str) -> None:
    ours = {postscript_name(path) for path in (ROOT / "templates" / "fonts").glob("*.ttf")}
    embedded = _pdf(built, GIVING.get(output, SEED_LESSON)[0], output).font_names()
    assert embedded and embedded <= ours


def test_handout_has_running_header_and_page_x_of_y(built: Path) -> None:
    pdf = _pdf(built, SAMPLE, "handout")
    assert "page 1 of 2" in normalize(pdf.page_text(0))
    header = "Business Management · Difference between Production and Operations"
    assert header not in pdf.page_text(0), "no running header over the title"
    second = normalize(pdf.page_text(1))
    assert "page 2 of 2" in second and normalize(header) in second


def test_letter_paper(tmp_path: Path) -> None:
    build(tmp_path, str(SAMPLES / f"{SAMPLE}.yaml"), "--paper", "letter", "--only", "handout,table")
    handout = Pdf(tmp_path / f"{SAMPLE}-handout.pdf")
    assert {handout.page_size(i) for i in range(len(handout))} == {LETTER}
    assert Pdf(tmp_path / f"{SAMPLE}-table.pdf").page_size(0) == LETTER[::-1]


def test_same_input_gives_byte_identical_pdfs_with_any_number_of_workers(
    built: Path, tmp_path: Path
) -> None:
    # The outputs a worker's share changes most: the deck's (fitted once for the slides, the
    # notes and the presenter's handout of a lesson), and one of every other sort.
    kinds = ("slides", "notes", "presenter", "handout", "quiz")
    build(tmp_path, str(SAMPLES), "--jobs", "1", "--only", ",".join(kinds))
    names = sorted(p.name for p in built.glob("*.pdf") if p.stem.split("-")[-1] in kinds)
    assert names == sorted(p.name for p in tmp_path.glob("*.pdf")) and len(names) == 8
    assert len(list(built.glob("*.pdf"))) == 16
    for name in names:
        assert (built / name).read_bytes() == (tmp_path / name).read_bytes(), name
