"""Moodle's GIFT format: a text file of questions, each `::name::[html]text{answers}`, the
characters `~ = # { } :` and the backslash written after a backslash. GIFT carries no
picture (its alt text stands in its place) and no points (Moodle gives each question its
default mark); a sentence with several blanks is a missing-word question per blank."""

from __future__ import annotations

import html
import re

from ..derive.quiz import quiz_questions
from ..lesson.figures import FigureFile
from ..lesson.model import FillIn, Matching, MultipleChoice, Question, ShortAnswer, TrueOrFalse
from ..outputs.kind import Prepared
from .grading import choice_fractions, percent
from .text import Text

SPECIAL = re.compile(r"([\\~=#{}:])")
GAP = "_____"  # a blank of the sentence that another question asks for


def escape(text: str) -> str:
    """Text as GIFT reads it back: each special character after a backslash, on one line."""
    return SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))


def _alt_text(name: str, alt: str, figure: FigureFile) -> str:
    """A picture in GIFT: its alt text, in brackets."""
    return f"[{html.escape(alt, quote=False)}]"


def _feedback(text: Text, question: Question) -> str:
    """The general feedback: the explanation, after `####`."""
    return f"####{escape(text.blocks(question.explain))}" if question.explain else ""


def _choice(shown: str, weight: float) -> str:
    """A choice: `=right`, `~wrong`, or `~%share%choice` when it gives a share."""
    if weight == 100:
        return f"={shown}"
    return f"~%{percent(weight)}%{shown}" if weight else f"~{shown}"


def _answers(text: Text, question: Question) -> str:
    """The answers of every kind of question but a fill-in, between braces."""
    if isinstance(question, MultipleChoice):
        weights = choice_fractions(question)
        lines = [
            _choice(escape(text.inline(choice.text)), weight)
            for choice, weight in zip(question.choices, weights, strict=True)
        ]
    elif isinstance(question, TrueOrFalse):
        lines = ["TRUE" if question.answer else "FALSE"]
    elif isinstance(question, ShortAnswer):
        lines = [f"={escape(text.plain(answer))}" for answer in question.accepted]
    else:
        assert isinstance(question, Matching)
        lines = [
            f"={escape(text.inline(prompt))} -> {escape(text.plain(answer))}"
            for prompt, answer in question.pairs
        ]
    return "{\n" + "".join(f"\t{line}\n" for line in lines) + f"\t{_feedback(text, question)}}}"


def _fill_ins(text: Text, question: FillIn, name: str) -> list[str]:
    """A missing-word question per blank, the other blanks shown as gaps."""
    blanks = len(question.blanks)
    asked = []
    for blank in range(blanks):
        words = []
        for place, piece in enumerate(question.pieces):
            if place == 2 * blank + 1:
                words.append(f"{{={escape(text.plain(piece))}{_feedback(text, question)}}}")
            else:
                words.append(GAP if place % 2 else escape(text.inline(piece)))
        part = f" ({blank + 1}/{blanks})" if blanks > 1 else ""
        asked.append(f"::{escape(name + part)}::[html]{''.join(words)}")
    return asked


def gift(prepared: Prepared) -> bytes:
    """The lesson's quiz questions as a GIFT file."""
    text = Text(prepared, _alt_text)
    lesson = prepared.lesson
    found = [f"// {' '.join(lesson.title.split())}"]
    for number, question in enumerate(quiz_questions(lesson), start=1):
        name = text.name(question, number)
        if isinstance(question, FillIn):
            found += _fill_ins(text, question, name)
        else:
            asked = escape(text.asked(question))
            found.append(f"::{escape(name)}::[html]{asked}{_answers(text, question)}")
    return ("\n\n".join(found) + "\n").encode()
