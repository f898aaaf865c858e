"""Lesson text as an export writes it: Markdown to HTML, each formula as TeX between
`\\(` and `\\)` (`\\[` `\\]` on its own) for the platform's MathJax, each picture as the
format can carry it; and the identifiers an export gives, drawn from the lesson's content."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..lesson.figures import FigureFile
from ..lesson.markdown import inline_plain, render_inline
from ..lesson.model import Block, Figure, FillIn, Formula, ItemList, Paragraph, Question
from ..outputs.kind import Prepared
from ..render.typography import spacing

Picture = Callable[[str, str, FigureFile], str]  # file name, alt text, its file -> HTML


def identifier(*parts: str) -> str:
    """An identifier made from `parts` (a letter, then hex digits): the same for the same
    content, on any machine."""
    return "h" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def flat_name(name: str) -> str:
    """A picture's name as a file in a flat folder: `images/a.png` is `images-a.png`."""
    return name.replace("/", "-")


def tex(latex: str, display: bool) -> str:
    """A formula as MathJax reads it in text: `\\(...\\)`, or `\\[...\\]` on its own."""
    return f"\\[{latex.strip()}\\]" if display else f"\\({latex.strip()}\\)"


@dataclass
class Text:
    """How one export writes the text of a lesson: `picture` gives a picture's HTML; the
    pictures written are kept in `used`, by name."""

    prepared: Prepared
    picture: Picture
    used: dict[str, FigureFile] = field(default_factory=dict)

    def _picture(self, name: str, alt: str) -> str:
        figure = self.prepared.lesson.figures[name]
        self.used[name] = figure
        return self.picture(name, alt, figure)

    def _env(self) -> dict[str, Any]:
        lesson = self.prepared.lesson
        return {
            "formula": lambda latex, display: html.escape(tex(latex, display), quote=False),
            "picture": self._picture,
            "quotes": self.prepared.words("quotes"),
            "spacing": spacing(lesson.language),
        }

    def inline(self, text: str) -> str:
        """Inline Markdown as HTML."""
        return render_inline(text, self._env())

    def plain(self, text: str) -> str:
        """Inline Markdown as plain text (for answers a student types or picks)."""
        words = self.prepared.words
        return inline_plain(text, words("quotes"), spacing(self.prepared.lesson.language))

    def block(self, block: Block) -> str:
        """One block as HTML."""
        if isinstance(block, Paragraph):
            return f"<p>{self.inline(block.text)}</p>"
        if isinstance(block, ItemList):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{self.inline(item)}</li>" for item in block.items)
            return f"<{tag}>{items}</{tag}>"
        if isinstance(block, Formula):
            return f"<p>{html.escape(tex(block.latex, True), quote=False)}</p>"
        return self.figure(block)

    def figure(self, figure: Figure) -> str:
        """A picture standing on its own, with its caption."""
        drawn = self._picture(figure.file, figure.alt)
        caption = f"<br>{self.inline(figure.caption)}" if figure.caption else ""
        return f"<p>{drawn}{caption}</p>"

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        """Blocks as HTML, on one line."""
        return "".join(self.block(block) for block in blocks)

    def asked(self, question: Question) -> str:
        """What a question asks, as HTML: the words that lead a question made from a
        table, then its stem."""
        lead = question.lead and self.prepared.words(question.lead, subject=question.about)
        shown = f"<p>{html.escape(lead, quote=False)}</p>" if lead else ""
        return shown + self.blocks(question.stem)

    def name(self, question: Question, number: int) -> str:
        """A question's name in the platform's question bank: its number and its first
        words, plain."""
        if question.lead:
            words = self.prepared.words(question.lead, subject=question.about)
        elif isinstance(question, FillIn):
            words = self.plain("".join(question.pieces))
        else:
            words = self.plain(
                next((b.text for b in question.stem if isinstance(b, Paragraph)), "")
            )
        return f"{number:02d} {' '.join(words.split())[:60].rstrip()}"
