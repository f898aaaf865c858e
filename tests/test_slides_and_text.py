"""Slides derived from lesson text, and lesson text rendered safely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, SAMPLE, SAMPLES, deck_of, run_here
from pdf_reader import Pdf

from handouts.derive.deck import SlideKind, points
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.markdown import parse_blocks, render_inline
from handouts.lesson.model import ItemList, Paragraph


def test_paragraphs_give_their_key_sentence_and_lists_stay() -> None:
    blocks = parse_blocks("Lead in such as:\n\n- one\n- two\n\nFirst point. Second point.\n")
    assert points(blocks, "en") == (
        Paragraph("Lead in such as:"),
        ItemList(("one", "two")),
        Paragraph("First point."),
    )
    assert points(parse_blocks("One. Two.\n\nThree."), "en") == (ItemList(("One.", "Three.")),)
    assert points(blocks, "en", ("Mine",)) == (ItemList(("Mine",)),)


def test_sample_deck_has_a_slide_per_section_or_one_per_subject_if_need_be() -> None:
    (lesson,) = load_lessons([SAMPLES / f"{SAMPLE}.yaml"], Bounds(ROOT)).lessons
    slides = deck_of(lesson)
    kinds = [slide.kind for slide in slides]
    assert kinds[0] == SlideKind.TITLE and kinds.count(SlideKind.TABLE) == 1
    side_by_side = [s for s in slides if s.kind is SlideKind.SIDE_BY_SIDE]
    assert [s.title for s in side_by_side] == ["Goals", "Techniques", "Activities"]
    assert [s.bookmark for s in side_by_side for s in s.apart] == [
        f"{section}: {subject}"
        for section in ("Goals", "Techniques", "Activities")
        for subject in ("Production management", "Operations management")
    ]
    assert slides[-1].title == "Key takeaways"
    assert len(slides[-1].blocks[0].items) == 3  # the conclusion's three sentences


def test_markdown_renders_inline_and_escapes_html() -> None:
    assert render_inline("*a* **b** `c` [d](https://e.org)") == (
        '<em>a</em> <strong>b</strong> <code>c</code> <a href="https://e.org">d</a>'
    )
    assert render_inline("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_a_lesson_without_conclusion_or_takeaways_is_told_its_deck_has_no_takeaways(
    lesson_dir: Callable[..., Path],
) -> None:
    text = "title: Short\nintroduction: Hi.\nsections:\n  - title: S\n    text: T.\n"
    path = lesson_dir("short.yaml", text)
    output = path.parent.parent / "output"
    ran = run_here(str(path), "--only", "slides", "-o", str(output))
    assert ran.code == 0, ran.err
    note = (
        f"{path}: note: no 'conclusion:' or 'takeaways:', so its slides end without key takeaways"
    )
    assert note in ran.out.splitlines()
    assert "Key takeaways" not in Pdf(output / "short-slides.pdf").outline()[-1][1]

    path.write_text(text + "conclusion: That is all.\n")
    again = run_here(str(path), "--only", "slides", "-o", str(output))
    assert "note:" not in again.out
    assert Pdf(output / "short-slides.pdf").outline()[-1][1] == "Key takeaways"
