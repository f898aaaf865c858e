"""The quiz's answer key: the quiz's very pages, each right answer marked or written in the
answer colour, with the lesson's explanations."""

from __future__ import annotations

from . import register
from .quiz import Quiz


class QuizKey(Quiz):
    """`<lesson>-quiz-key.pdf`, or `<lesson>-quiz-A-key.pdf` ... one per version."""

    name = "quiz-key"
    order = 63
    with_answers = True

    def file_part(self, version: str) -> str:
        """Each version's key is named after its quiz: `quiz-A-key`."""
        return f"{Quiz.name}-{version}-key" if version else self.name


register(QuizKey())
