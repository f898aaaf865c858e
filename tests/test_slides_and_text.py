"""Slides derived from lesson text, and lesson text rendered safely."""

from __future__ import annotations

from conftest import CONTENT, SAMPLE, deck_of

from handouts.derive.deck import SlideKind, points
from handouts.lesson.loader import load_lessons
from handouts.lesson.markdown import parse_blocks, render_inline, sentences
from handouts.lesson.model import ItemList, Paragraph


def test_paragraphs_give_their_key_sentence_and_lists_stay() -> None:
    blocks = parse_blocks("Lead in such as:\n\n- one\n- two\n\nFirst point. Second point.\n")
    assert points(blocks) == (
        Paragraph("Lead in such as:"),
        ItemList(("one", "two")),
        Paragraph("First point."),
    )
    assert points(parse_blocks("One. Two.\n\nThree.")) == (ItemList(("One.", "Three.")),)
    assert points(blocks, ("Mine",)) == (ItemList(("Mine",)),)


def test_sentences_keep_abbreviations_whole() -> None:
    assert sentences("Use tools, e.g. Gantt charts. Then plan. 3 steps remain.") == [
        "Use tools, e.g. Gantt charts.",
        "Then plan.",
        "3 steps remain.",
    ]


def test_sample_deck_has_one_slide_per_section_and_subject() -> None:
    (lesson,) = load_lessons([CONTENT / f"{SAMPLE}.yaml"]).lessons
    slides = deck_of(lesson)
    kinds = [slide.kind for slide in slides]
    assert kinds[0] == SlideKind.TITLE and kinds.count(SlideKind.TABLE) == 1
    assert [s.bookmark for s in slides if s.kicker in ("Goals", "Techniques", "Activities")] == [
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
