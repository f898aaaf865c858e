"""The quiz's questions as files learning platforms import (handouts/export/): the same
questions the printed quiz asks, in the lesson's order. The writers load only when a file
is made (they read Markdown)."""

from __future__ import annotations

from ..derive.quiz import quiz_questions
from ..lesson.model import Lesson
from . import register
from .kind import ExportKind, Prepared


class QuizExport(ExportKind):
    """A file of the lesson's quiz questions; only a lesson with questions, of its own or
    from its tables, gives one."""

    def gives(self, lesson: Lesson) -> bool:
        """Only a lesson with questions."""
        return bool(quiz_questions(lesson))


class Gift(QuizExport):
    """`<lesson>.gift.txt`: Moodle's GIFT text format."""

    name, order, suffix = "gift", 66, ".gift.txt"

    def export(self, prepared: Prepared) -> bytes:
        """The GIFT file."""
        from ..export.gift import gift

        return gift(prepared)


class MoodleXml(QuizExport):
    """`<lesson>.moodle.xml`: Moodle XML, pictures inside."""

    name, order, suffix = "moodle", 67, ".moodle.xml"

    def export(self, prepared: Prepared) -> bytes:
        """The Moodle XML file."""
        from ..export.moodle_xml import moodle_xml

        return moodle_xml(prepared)


class Qti(QuizExport):
    """`<lesson>-qti.zip`: a QTI 1.2 package for Canvas and Blackboard."""

    name, order, suffix = "qti", 68, "-qti.zip"

    def export(self, prepared: Prepared) -> bytes:
        """The QTI package."""
        from ..export.qti import qti_package

        return qti_package(prepared)


register(Gift())
register(MoodleXml())
register(Qti())
