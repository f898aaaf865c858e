"""The quiz: the lesson's questions and those its tables give, numbered, with their points
in the margin, space to answer each and the total; one PDF per version (`--versions`)."""

from __future__ import annotations

from typing import Any

from ..derive.quiz import Sheet, quiz_questions, sheets, versions_asked
from ..derive.worksheet import writing_lines
from ..errors import ContentError
from ..lesson.model import Lesson, Question, ShortAnswer
from ..render.layout import QUESTION, RenderedPdf
from . import register
from .kind import OutputKind, Prepared, Settings

SPARE_LINES = 1  # ruled lines under a short answer besides those it is planned to need


def answer_lines(question: Question) -> int:
    """The ruled lines a question is answered on: a short answer's longest accepted answer
    as handwriting needs them, and a spare one; none for the others."""
    if not isinstance(question, ShortAnswer):
        return 0
    return max(writing_lines(answer, 1) for answer in question.accepted) + SPARE_LINES


def shown_number(number: float, language: str) -> str:
    """A number of points as the lesson's language writes it ("1,5" in French): its
    decimal sign from CLDR (the language's own, else its base language's, else ".")."""
    from babel import Locale

    text = f"{number:g}"
    for code in dict.fromkeys((language, language.split("-")[0])):
        # Read as CLDR has it for the language itself: the language checks load its data
        # unmerged, and Babel keeps what it loaded first.
        symbols = Locale.parse(code, sep="-").number_symbols.get("latn", {})
        if "decimal" in symbols:
            return text.replace(".", symbols["decimal"])
    return text


class Quiz(OutputKind):
    """`<lesson>-quiz.pdf`, or `<lesson>-quiz-A.pdf`, `-quiz-B.pdf` ... of its versions:
    its HTML never holds an answer."""

    name = "quiz"
    order = 62
    template = "quiz.html.j2"
    stylesheets = ("quiz.css",)
    with_answers = False

    def gives(self, lesson: Lesson) -> bool:
        """Only a lesson with questions, of its own or from its tables."""
        return bool(quiz_questions(lesson))

    def versions(self, lesson: Lesson, settings: Settings) -> tuple[str, ...]:
        """As many as the command line asks for, else as the lesson does, else one."""
        return versions_asked(lesson, settings.versions)

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """The version made (its questions in its order), each question's points and
        lines, the total, and whether the answers are written in."""
        lesson = prepared.lesson
        letters = self.versions(lesson, settings)
        sheet: Sheet = sheets(lesson, letters)[letters.index(settings.version)]
        return {
            "answers": self.with_answers,
            "sheet": sheet,
            "points": [shown_number(q.points, lesson.language) for q in sheet.questions],
            "total": shown_number(sheet.total, lesson.language),
            "lines": [answer_lines(question) for question in sheet.questions],
        }

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """A question too long for one page (it would be split over two), besides the
        common checks."""
        questions = quiz_questions(prepared.lesson)
        found = [
            ContentError(
                questions[place - 1].where,
                "this question is too long for one page of the quiz",
                "shorten it, or make it two questions",
            )
            for place, pages in QUESTION.pages(pdf.anchors).items()
            if len(pages) > 1 and place <= len(questions)
        ]
        return [*super().layout_problems(prepared, pdf), *found]


register(Quiz())
