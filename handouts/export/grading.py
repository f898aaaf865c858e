"""How the platforms grade a question: the share of its points each answer gives."""

from __future__ import annotations

from ..lesson.model import MultipleChoice


def percent(value: float) -> str:
    """A share in percent as the formats write it: at most five decimals, no trailing
    zeros (`33.33333`, `50`, `-100`)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def choice_fractions(question: MultipleChoice) -> tuple[float, ...]:
    """Each choice's share of the points, in percent: the right ones share 100 between
    them; with several right, the wrong ones share -100 (ticking every choice gives
    nothing), with one right they give 0."""
    right = sum(choice.right for choice in question.choices)
    wrong = len(question.choices) - right
    penalty = -100 / wrong if question.several and wrong else 0.0
    return tuple(100 / right if choice.right else penalty for choice in question.choices)


def points(value: float) -> str:
    """A number of points as the formats write it: `2`, `1.5`."""
    return f"{value:g}"
