"""Which questions an answer sheet bubbles, with how many bubbles, and which are right."""

from __future__ import annotations

from ..lesson.model import MultipleChoice, Question, TrueOrFalse

MOST_CHOICES = 5  # a multiple-choice question of more choices is answered on the quiz paper


def bubbles(question: Question) -> int:
    """The bubbles of the question's row on the sheet: one per choice, two for true or
    false; 0 when it is answered on the quiz paper instead."""
    if isinstance(question, TrueOrFalse):
        return 2
    if isinstance(question, MultipleChoice) and len(question.choices) <= MOST_CHOICES:
        return len(question.choices)
    return 0


def right_bubbles(question: Question) -> frozenset[int]:
    """The places in its row of the bubbles a right answer fills (none for a question not
    bubbled)."""
    if isinstance(question, TrueOrFalse):
        return frozenset({0 if question.answer else 1})
    if bubbles(question) and isinstance(question, MultipleChoice):
        return frozenset(place for place, choice in enumerate(question.choices) if choice.right)
    return frozenset()


def one_answer(question: Question) -> bool:
    """Whether the question takes one bubble (true or false, or one right choice)."""
    return len(right_bubbles(question)) == 1
