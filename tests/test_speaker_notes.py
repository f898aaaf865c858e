"""Lesson text as plain text, as the deck's comments carry the teacher's notes."""

from __future__ import annotations

from handouts.lesson.markdown import plain_text
from handouts.lesson.model import Figure, Formula, ItemList, Paragraph


def test_plain_text_of_every_block() -> None:
    blocks = (
        Paragraph("A *word* & more"),
        ItemList(("one", "`two`")),
        Formula("\n\\frac{a}{b}\n"),
        Figure("box.svg", "A box", "The *box*"),
        Figure("line.svg", "", decorative=True),
    )
    assert plain_text(blocks) == "A word & more\none\ntwo\n\\frac{a}{b}\nThe box\nA box"
