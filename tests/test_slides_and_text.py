"""Slides derived from lesson text, and lesson text rendered safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONTENT, SAMPLE, build
from pdf_reader import Pdf, normalize

from handouts.content import load_lessons
from handouts.markup import parse_blocks, render_inline, sentences
from handouts.model import ItemList, Paragraph
from handouts.render_pdf import ProjectFetcher
from handouts.slides import SlideKind, deck, points

HOSTILE = """\
title: "<b>Bold</b> & <script>alert(1)</script>"
introduction: |
  A <img src="file:///etc/hostname"> tag and <a href="file:///etc/hostname">a link</a>.
sections:
  - title: "<style>body { display: none }</style>"
    text: "{{ lesson.title }} stays as typed."
"""


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
    slides = deck(lesson)
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


def test_hostile_text_is_shown_as_typed(lesson_dir, tmp_path: Path) -> None:
    path = lesson_dir("hostile.yaml", HOSTILE)
    build(tmp_path / "out", str(path), "--only", "handout")
    text = Pdf(tmp_path / "out" / "hostile-handout.pdf").text()
    for literal in (
        "<b>Bold</b> & <script>alert(1)</script>",
        '<img src="file:///etc/hostname">',
        "<style>body { display: none }</style>",
        "{{ lesson.title }} stays as typed.",
    ):
        assert normalize(literal) in text
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert normalize(hostname.read_text()) not in text.split()


def test_fetcher_serves_only_files_under_its_roots(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "style.css").write_text("p {}")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link-out").symlink_to(secret)
    fetcher = ProjectFetcher((root,))
    assert fetcher.fetch((root / "style.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        secret.as_uri(),
        root.as_uri() + "/../secret.txt",
        (root / "link-out").as_uri(),
        "file:///etc/hostname",
        "https://example.org/style.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)
