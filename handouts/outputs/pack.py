"""The course pack: every lesson of a course as its handout prints it, in one PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..errors import ContentError
from ..lesson.model import Course, Lesson
from ..render.cache import BuildCache
from ..render.layout import RenderedPdf
from ..render.theme import Theme
from . import register
from .kind import CourseKind, CoursePlan, Prepared, Settings

if TYPE_CHECKING:
    from ..render.strings import Strings

PART_TEMPLATE = "_lesson.html.j2"  # a lesson as the handout prints it, without the page
# An element id in a lesson's part: made its own by the part's anchor (the layout's ids,
# `row-1`, are the same in every lesson).
_ID = re.compile(r'(\sid=")')


@dataclass(frozen=True)
class Part:
    """One lesson in the pack: the lesson, the id its first page is linked by, its HTML."""

    lesson: Lesson
    anchor: str
    body: Markup


class Pack(CourseKind):
    """`<course>-pack.pdf`: a cover, the contents, and every lesson's handout in teaching
    order, page numbers running through; made as one HTML document, so each lesson keeps
    its tags, links and language."""

    name = "pack"
    order = 65
    template = "pack.html.j2"
    stylesheets = ("handout.css", "pack.css")
    table_place = "in the course pack"

    def plan(
        self,
        course: Course,
        parts: list[Prepared],
        theme: Theme,
        settings: Settings,
        cache: BuildCache,
    ) -> CoursePlan:
        """The pack of `course`, its lessons prepared as `parts`, in its `theme`."""
        from ..render import html  # Jinja2 loads only when something may be built
        from ..render.contrast import root_colours
        from ..render.pictures import Media

        formulas: dict[str, str] = {}
        shown = []
        for part in parts:
            with part.media.noting() as noted:
                body = self.fill(part, settings, cache, template=PART_TEMPLATE)
            formulas |= noted
            anchor = f"lesson-{part.lesson.slug}"
            shown.append(Part(part.lesson, anchor, Markup(_ID.sub(rf"\1{anchor}-", body))))
        words: Strings = cache.strings(theme, course.language).reworded(course.labels)
        brand = course.branding
        logo = {brand.logo.file: brand.logo.picture} if brand.logo else {}
        colours = root_colours(theme, brand.colours)
        media = Media(logo, course.language, words("quotes"), colours)
        authors = dict.fromkeys(part.lesson.author for part in parts)
        page = html.render(
            cache.templates(theme),
            theme,
            self.template,
            media,
            course=course,
            parts=shown,
            paper=settings.paper,
            duplex=self.pads(settings),
            t=words,
            authors=course.teacher or ", ".join(authors),
            right_to_left=course.right_to_left,
        )
        first = parts[0]
        prepared = Prepared(first.lesson, theme, words, (), media)
        return CoursePlan(page, prepared, formulas)

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """None: every lesson's handout is checked as its own PDF is made."""
        return []


register(Pack())
