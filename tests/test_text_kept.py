"""Markdown that keeps every word: nothing a teacher wrote is dropped or renumbered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import run_here
from pdf_reader import Pdf

LESSON = "title: Steps\nintroduction: {intro}\nsections:\n  - title: S\n    text: {text}\n"


def test_a_list_numbered_from_4_prints_4_5_6(lesson_dir: Callable[..., Path]) -> None:
    steps = "|\n      Carry on from last week:\n\n      4. Weigh\n      5. Mix\n      6. Bake\n"
    path = lesson_dir("steps.yaml", LESSON.format(intro="Hi.", text=steps))
    output = path.parent.parent / "output"
    ran = run_here(str(path), "--only", "handout,slides", "-o", str(output))
    assert ran.code == 0, ran.err
    for name in ("steps-handout.pdf", "steps-slides.pdf"):
        pdf = Pdf(output / name)
        text = "".join(pdf.page_text(page) for page in range(len(pdf)))
        assert "4. " in text and "5. " in text and "6. " in text, name
        assert "1. " not in text, name


def test_a_link_reference_definition_is_a_located_error(lesson_dir: Callable[..., Path]) -> None:
    text = "|\n      See [the report][r].\n\n      [r]: https://example.org/report\n"
    path = lesson_dir("refs.yaml", LESSON.format(intro="Hi.", text=text))
    ran = run_here("check", str(path))
    assert ran.code == 1
    assert (
        f"{path}:8:7: error: the link definition '[r]: ...' would be left out of every output: "
        "write each link where it is used, as [text](https://...)" in ran.err
    )


def test_every_markup_mistake_of_a_text_is_reported_at_its_own_line(
    lesson_dir: Callable[..., Path],
) -> None:
    folded = (
        ">\n  A paragraph\n  on two lines.\n\n  See ![a picture](x.png).\n\n\n"
        "  And [a link](javascript:alert(1)).\n"
    )
    literal = "|\n      One.\n\n      > a quote\n\n      - fine\n      - ![img](y.png)\n"
    path = lesson_dir("many.yaml", LESSON.format(intro=folded, text=literal))
    ran = run_here("check", str(path))
    assert ran.code == 1
    for place, message in (
        ("6:3", "a picture goes on a line of its own"),
        ("9:3", "link target 'javascript:alert(1)' is not allowed"),
        ("16:7", "a blockquote is not supported here"),
        ("19:9", "a picture goes on a line of its own"),  # at the picture: its line is kept
    ):
        assert f"{path}:{place}: error: {message}" in ran.err, ran.err
    assert "4 error(s) in 1 file(s)" in ran.err


def test_a_folded_text_keeps_its_paragraphs(lesson_dir: Callable[..., Path]) -> None:
    folded = ">\n  The first paragraph\n  of two lines.\n\n  The second one.\n"
    path = lesson_dir("folded.yaml", LESSON.format(intro=folded, text="Done."))
    output = path.parent.parent / "output"
    assert run_here(str(path), "--only", "handout", "-o", str(output)).code == 0
    lines = Pdf(output / "folded-handout.pdf").page_text(0).splitlines()
    assert "The first paragraph of two lines." in lines
    assert "The second one." in lines
