"""The presenter's handout: each slide with the teacher's own notes for it underneath, like
a presentation program's notes pages, two a page when their notes fit (presenter.css).
Only a lesson with `notes:` gives it."""

from __future__ import annotations

from ..lesson.model import Lesson
from . import register
from .kind import Settings
from .notes import Notes


def has_speaker_notes(lesson: Lesson) -> bool:
    """True when a section or a comparison table of `lesson` has the teacher's notes."""
    tables = any(table.notes for table in lesson.tables)
    return tables or any(section.notes for section in lesson.sections)


class Presenter(Notes):
    """`<lesson>-presenter.pdf`."""

    name = "presenter"
    order = 35
    template = "presenter.html.j2"
    stylesheets = ("handout.css", "frames.css", "presenter.css")

    def gives(self, lesson: Lesson) -> bool:
        """Only a lesson with speaker notes."""
        return has_speaker_notes(lesson)

    def per_page(self, settings: Settings) -> int:
        """A frame a sheet (a sheet is a slide and its notes; two sheets may share a page)."""
        return 1


register(Presenter())
