"""The teacher's `notes:` on every shape of section a lesson may have (text only, a list, a
figure, a formula, a summary, subjects side by side or apart, two or three of them) and on
the comparison: built with every output and --speaker-notes, each note reaches the
presenter's handout and the deck's comments, and none reaches what the class sees."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, build
from pdf_reader import Pdf, normalize

from handouts.lesson.markdown import plain_text
from handouts.lesson.model import Figure, Formula, ItemList, Paragraph

LESSONS = ROOT / "tests" / "lessons" / "notes"
NOTES = {
    "notes-pair": [
        "Remind them of the kettle at home.",
        "Ask which of these they would skip:",
        "the timer",
        "the thermometer",
        "Point at the box and name its three sides.",
        "Work one cup through on the board:",
        "Then let them guess their own cup.",
        "Stress that both vary with the brewing time.",
        "Pass round a leaf and a bean.",
        "Show the map of where each grows.",
        "Let the class fill the table before showing it.",
    ],
    "notes-three": [
        "Ask who has seen a cocoa pod.",
        "time each step on the board",
        "compare the longest with the shortest",
        "End with the dates on a timeline.",
        "Read the table row by row.",
    ],
}
OUTPUTS = ("handout", "slides", "notes", "presenter", "table", "worksheet", "answers")


@pytest.fixture(scope="module")
def built_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder after building both lessons with every output and speaker notes."""
    output = tmp_path_factory.mktemp("notes-output")
    build(output, str(LESSONS), "--speaker-notes")
    return output


def _comments(path: Path) -> list[str]:
    """The text of each comment of a PDF, page by page."""
    with pikepdf.open(path) as pdf:
        return [
            str(note.Contents)
            for page in pdf.pages
            for note in page.get("/Annots", [])
            if note.Subtype == "/Text"
        ]


def test_every_output_is_built(built_notes: Path) -> None:
    for lesson in NOTES:
        for output in OUTPUTS:
            assert (built_notes / f"{lesson}-{output}.pdf").is_file(), (lesson, output)


def test_every_note_is_in_the_presenter_handout_only(built_notes: Path) -> None:
    for lesson, notes in NOTES.items():
        presenter = Pdf(built_notes / f"{lesson}-presenter.pdf").text()
        seen = {o: Pdf(built_notes / f"{lesson}-{o}.pdf").text() for o in ("slides", "handout")}
        for note in notes:
            assert normalize(note) in presenter, (lesson, note)
            assert not any(normalize(note) in text for text in seen.values()), (lesson, note)


def test_every_note_is_a_comment_of_the_deck_formulas_as_latex(built_notes: Path) -> None:
    for lesson, notes in NOTES.items():
        comments = normalize("\n".join(_comments(built_notes / f"{lesson}-slides.pdf")))
        for note in notes:
            assert normalize(note) in comments, (lesson, note)
    pair = "\n".join(_comments(built_notes / "notes-pair-slides.pdf"))
    assert "\\frac{1.4}{100} = 0.014" in pair


def test_a_section_of_text_only_shows_its_text_on_its_slide(built_notes: Path) -> None:
    slides = Pdf(built_notes / "notes-pair-slides.pdf").text()
    assert normalize("pouring hot water over part of a plant") in slides


def test_plain_text_of_every_block() -> None:
    blocks = (
        Paragraph("A *word* & more"),
        ItemList(("one", "`two`")),
        Formula("\n\\frac{a}{b}\n"),
        Figure("box.svg", "A box", "The *box*"),
        Figure("line.svg", "", decorative=True),
    )
    assert plain_text(blocks) == "A word & more\none\ntwo\n\\frac{a}{b}\nThe box\nA box"


def test_the_presenter_handout_puts_two_slides_a_page_when_their_notes_fit(
    built_notes: Path,
) -> None:
    for lesson, notes in NOTES.items():
        presenter = Pdf(built_notes / f"{lesson}-presenter.pdf")
        slides = len(Pdf(built_notes / f"{lesson}-slides.pdf"))
        pages = [normalize(presenter.page_text(page)) for page in range(len(presenter))]
        shown = [len(re.findall(r"slide \d+", page, re.IGNORECASE)) for page in pages]
        assert sum(shown) == slides and set(shown) <= {1, 2}, (lesson, shown)
        assert shown.count(2) >= len(shown) // 2, (lesson, shown)  # most pages hold two
        for note in notes:  # a slide's notes are never split from it over two pages
            assert any(normalize(note) in page for page in pages), (lesson, note)
