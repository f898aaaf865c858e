"""The index page: every PDF of the output folder, course by course, as one HTML page.

It is not an output kind: it is made from what the output folder holds (the manifest), not
from a lesson, and it is a web page, not a PDF. Its words come from the theme's catalogs in
the page's language, its numbers and language names from CLDR (Babel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..lesson.languages import is_right_to_left
from ..render.cache import BuildCache
from ..render.theme import Theme
from ..render.thumbnail import THUMBNAIL_WIDTH
from .kind import MM

if TYPE_CHECKING:
    from babel import Locale

    from ..render.strings import Strings

TEMPLATE = "index.html.j2"
PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # short side, long side
SAME_POINTS = 2.0  # a page this close to a paper size is on that paper
WIDE = 16 / 9  # the slides' shape


@dataclass(frozen=True)
class Listed:
    """One PDF of the output folder, as the index lists it."""

    name: str  # its file name in the output folder
    kind: str  # its output kind's name: "handout", "pack"
    pages: int
    size: int  # bytes
    page_size: tuple[float, float] | None  # its first page, in points, when known
    thumbnail: str  # its picture, relative to the output folder ("" when it has none)


@dataclass(frozen=True)
class LessonListing:
    """A lesson and its PDFs, in output-kind order."""

    title: str
    language: str
    pdfs: tuple[Listed, ...]


@dataclass(frozen=True)
class CourseListing:
    """A course: its title and language, its packs, and its lessons in teaching order."""

    title: str
    language: str
    packs: tuple[Listed, ...]
    lessons: tuple[LessonListing, ...]


@dataclass(frozen=True)
class Card:
    """A PDF as the page shows it: a link, a picture, and its pages, size and paper."""

    href: str
    label: str
    pages: str
    size: str
    paper: str
    src: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class Group:
    """A lesson (or a course) as the page shows it: its title in its own language."""

    title: str
    lang: str
    dir: str
    language: str  # the language's name, in the page's language
    cards: tuple[Card, ...]
    lessons: tuple[Group, ...] = ()


def page_language(courses: Sequence[CourseListing]) -> str:
    """The page's language: the one its courses share, else English."""
    languages = {course.language for course in courses}
    return languages.pop() if len(languages) == 1 else "en"


def page_html(
    courses: Sequence[CourseListing],
    others: Sequence[LessonListing],
    theme: Theme,
    cache: BuildCache,
) -> str:
    """The index page of `courses` and of the lessons in none (`others`), in `theme`."""
    from babel import Locale

    from ..render import html
    from ..render.contrast import root_colours
    from ..render.pictures import Media

    language = page_language(courses)
    words = cache.strings(theme, language)
    shown = _Shown(words, Locale.parse(language, sep="-"))
    return html.render(
        cache.templates(theme),
        theme,
        TEMPLATE,
        Media({}, language, words("quotes")),
        lang=language,
        dir=_direction(language),
        t=words,
        colours=root_colours(theme),
        courses=[shown.course(course) for course in courses],
        others=[shown.lesson(lesson) for lesson in others],
    )


def _direction(language: str) -> str:
    return "rtl" if is_right_to_left(language) else "ltr"


@dataclass(frozen=True)
class _Shown:
    """How the page says things: its words and its locale."""

    words: Strings
    locale: Locale

    def course(self, course: CourseListing) -> Group:
        cards = tuple(self.card(pdf, course.title) for pdf in course.packs)
        lessons = tuple(self.lesson(lesson) for lesson in course.lessons)
        return self.group(course.title, course.language, cards, lessons)

    def lesson(self, lesson: LessonListing) -> Group:
        cards = tuple(self.card(pdf, lesson.title) for pdf in lesson.pdfs)
        return self.group(lesson.title, lesson.language, cards)

    def group(
        self, title: str, language: str, cards: tuple[Card, ...], lessons: tuple[Group, ...] = ()
    ) -> Group:
        from babel import Locale, UnknownLocaleError

        try:
            name = Locale.parse(language, sep="-").get_display_name(self.locale) or language
        except (UnknownLocaleError, ValueError):
            name = language
        return Group(title, language, _direction(language), name, cards, lessons)

    def card(self, pdf: Listed, title: str) -> Card:
        label = self.label(pdf.kind)
        width, height = pdf.page_size or (1.0, 1.0)

        return Card(
            href=quote(pdf.name),
            label=label,
            pages=self.number(pdf.pages),
            size=self.size(pdf.size),
            paper=self.paper(pdf.page_size),
            src=quote(pdf.thumbnail),
            alt=self.words("index_thumbnail", title=title, output=label),
            width=THUMBNAIL_WIDTH,
            height=round(THUMBNAIL_WIDTH * height / width),
        )

    def label(self, kind: str) -> str:
        """An output's name: `index_<kind>` from the catalogs (a plug-in's kind may have
        none: then its name)."""
        key = f"index_{kind}"
        return self.words(key) if key in self.words.entries else kind

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def size(self, size: int) -> str:
        """A file's size in kB (under a megabyte) or MB, as the page's language writes it."""
        if size < 1_000_000:
            return self.words("size_kb", size=self.number(max(1, round(size / 1000))))
        return self.words("size_mb", size=self.number(round(size / 1_000_000, 1)))

    def paper(self, page_size: tuple[float, float] | None) -> str:
        """The paper a page is: A4 or Letter, upright or on its side; the slides' 16:9; or
        its size in millimetres."""
        if page_size is None:
            return ""
        width, height = page_size
        short, long = sorted(page_size)
        side = "portrait" if height >= width else "landscape"
        for paper, (a, b) in PAPER_POINTS.items():
            if abs(short - a) <= SAME_POINTS and abs(long - b) <= SAME_POINTS:
                return self.words(f"paper_{paper}_{side}")
        if abs(long / short - WIDE) < 0.01:
            return self.words("paper_wide")
        return self.words(
            "paper_other",
            width=self.number(round(width / MM)),
            height=self.number(round(height / MM)),
        )
