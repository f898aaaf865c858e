"""The answer sheet a quiz is answered on to be graded from a scan (`--answer-sheet`): one
page per version, its corner marks and bubbles where `grading.layout` puts them, and its
key, the same page with the right bubbles filled."""

from __future__ import annotations

from typing import Any

from ..derive.quiz import quiz_questions, sheets, versions_asked
from ..errors import ContentError
from ..grading.layout import layout, rows_fit
from ..grading.questions import bubbles, right_bubbles
from ..lesson.model import LETTERS, Lesson, TrueOrFalse
from ..render.layout import RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings


class AnswerSheet(OutputKind):
    """`<lesson>-answer-sheet.pdf`, or `-answer-sheet-A.pdf` ... one per quiz version, made
    when the build asks for it (`--answer-sheet`)."""

    name = "answer-sheet"
    order = 64
    template = "answer_sheet.html.j2"
    stylesheets = ("answer_sheet.css",)
    with_answers = False

    def gives(self, lesson: Lesson) -> bool:
        """Only a lesson with questions."""
        return bool(quiz_questions(lesson))

    def versions(self, lesson: Lesson, settings: Settings) -> tuple[str, ...]:
        """The quiz's versions when the build asks for answer sheets, else none."""
        return versions_asked(lesson, settings.versions) if settings.answer_sheet else ()

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """The sheet's geometry, the version's letter and place in the version row (a quiz
        of one version fills the first), and each question's row: its letters (none when
        it is answered on the quiz paper) and, in the key, its right bubbles."""
        letters = versions_asked(prepared.lesson, settings.versions)
        sheet = sheets(prepared.lesson, letters)[letters.index(settings.version)]
        words = prepared.words
        counts = [bubbles(question) for question in sheet.questions]
        rows = [
            (
                (words("sheet_true"), words("sheet_false"))
                if isinstance(question, TrueOrFalse)
                else tuple(LETTERS[: bubbles(question)]),
                right_bubbles(question) if self.with_answers else frozenset(),
            )
            for question in sheet.questions
        ]
        return {
            "answers": self.with_answers,
            "letter": sheet.letter,
            "letters": letters,
            "geometry": layout(settings.paper.name, counts),
            "rows": rows,
        }

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """More questions than one sheet holds, besides the common checks."""
        questions = quiz_questions(prepared.lesson)
        most = min(rows_fit(paper) for paper in ("a4", "letter"))
        common = super().layout_problems(prepared, pdf)
        if len(questions) <= most:
            return common
        return [
            *common,
            ContentError(
                questions[most].where,
                f"the answer sheet holds {most} questions; this is question {most + 1}",
                "make the quiz shorter, or leave out the answer sheet",
            ),
        ]


class AnswerSheetKey(AnswerSheet):
    """`<lesson>-answer-sheet-key.pdf`, or `-answer-sheet-key-A.pdf` ...: the sheet with
    its right bubbles filled, to lay over a pupil's."""

    name = "answer-sheet-key"
    order = 65
    with_answers = True


register(AnswerSheet())
register(AnswerSheetKey())
