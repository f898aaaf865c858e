"""What an output kind is: one object that knows its template, its stylesheets, what it needs
from the lesson, how its PDF is made and how its layout is checked.

Kinds import neither Jinja2 nor WeasyPrint at module level: `check` loads them all and must
stay fast.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ContentError
from ..lesson.model import Comparison, Course, Lesson
from ..render.cache import BuildCache
from ..render.layout import COLUMN, PT_PER_PX, RenderedPdf
from ..render.strings import Strings
from ..render.theme import Theme

if TYPE_CHECKING:
    from ..derive.deck import Slide
    from ..render.pictures import Media


@dataclass(frozen=True)
class Paper:
    """A paper size: the name a teacher types, its CSS `size`, its size in points
    (portrait: width, height) and the CSS `size` of its half, the page of a booklet folded
    from it."""

    name: str
    css: str
    points: tuple[float, float]
    half_css: str = ""

    @property
    def portrait(self) -> str:
        """Its CSS `size` upright: a named size turned portrait, lengths as they are."""
        return self.css if self.css[0].isdigit() else f"{self.css} portrait"

    def half(self) -> Paper:
        """The paper folded in two (A4's A5): a booklet's page."""
        width, height = self.points
        return Paper(f"{self.name}-half", self.half_css, (height / 2, width))


MM = 72 / 25.4  # points in a millimetre
PAPERS = {
    "a4": Paper("a4", "A4", (210 * MM, 297 * MM), "A5"),
    "letter": Paper("letter", "letter", (612.0, 792.0), "5.5in 8.5in"),
}
SLIDES_PER_PAGE = (3, 1, 2, 4, 6)  # of the note-taking handout; the first is the default
# Every output's stylesheets begin with these, under css/ of the theme.
COMMON_STYLESHEETS = ("fonts.css", "theme.css", "base.css")
# And end with this one: a theme's rules over the outputs' own (empty in the default theme).
OVERRIDES_STYLESHEET = "overrides.css"


@dataclass(frozen=True)
class Settings:
    """What a build asks of every output: the paper, the notes' slides per page, whether
    the deck carries the teacher's notes as PDF comments, how many versions of the kinds
    that have versions (0: as each lesson says), and whether the paper outputs are printed
    on both sides (padded to an even page count), whether the handout is made as a folded
    booklet too and whether the quizzes' answer sheets are made; `version` is the one being
    made."""

    paper: Paper = PAPERS["a4"]
    slides_per_page: int = SLIDES_PER_PAGE[0]
    speaker_notes: bool = False
    versions: int = 0
    version: str = ""
    duplex: bool = False
    booklet: bool = False
    answer_sheet: bool = False


@dataclass(frozen=True)
class Prepared:
    """A lesson ready for its outputs: its theme, the words of its language, its deck
    (derived once per build and shared by every output that shows it), and its pictures
    and formulas as the documents show them."""

    lesson: Lesson
    theme: Theme
    words: Strings
    deck: tuple[Slide, ...]
    media: Media = field(compare=False)

    @classmethod
    def of(cls, lesson: Lesson, theme: Theme, cache: BuildCache) -> Prepared:
        """Derive what the outputs of `lesson` share."""
        from ..derive.deck import deck  # Markdown loads only when something may be built
        from ..lesson.markdown import inline_plain
        from ..render.contrast import root_colours
        from ..render.pictures import Media
        from ..render.typography import spacing, typeset_lesson

        strings = cache.strings(theme, lesson.language)
        lesson = typeset_lesson(lesson, strings.reworded(lesson.labels)("quotes"))
        words = strings.reworded(lesson.labels)  # the labels set in the language too
        colours = root_colours(theme, lesson.branding.colours)
        media = Media(lesson.figures, lesson.language, words("quotes"), colours)
        plain = partial(inline_plain, quotes=words("quotes"), spacing=spacing(lesson.language))
        return cls(lesson, theme, words, deck(lesson, words, plain), media)


class OutputKind:
    """One kind of PDF a lesson gives. Subclasses set the class variables and override
    the steps that differ: `context`, `make` and `layout_problems`."""

    name: ClassVar[str]  # the output's name: in --only and in the file name
    order: ClassVar[int]  # where it comes in listings and builds
    template: ClassVar[str]  # under the theme folder
    stylesheets: ClassVar[tuple[str, ...]]  # its own, under css/, after COMMON_STYLESHEETS
    needs_comparison: ClassVar[bool] = False  # made only from a lesson's comparison tables
    shows_deck: ClassVar[bool] = False  # shows the lesson's slides
    # A lesson's outputs with the same value are made one after the other by one worker,
    # the later ones reusing the layout the first found ("deck", "worksheet").
    shares_layout: ClassVar[str] = ""
    of_course: ClassVar[bool] = False  # made from a course's lessons, not from one lesson
    suffix: ClassVar[str] = ".pdf"  # how its files' names end
    on_paper: ClassVar[bool] = True  # printed (not shown on a screen): --duplex pads it

    def gives(self, lesson: Lesson) -> bool:
        """Whether `lesson` gives this output."""
        if self.of_course:
            return False
        return not self.needs_comparison or bool(lesson.tables)

    def versions(self, lesson: Lesson, settings: Settings) -> tuple[str, ...]:
        """The versions of this output `lesson` gives, each a PDF of its own (its letter in
        `Settings.version` as its HTML is made): ("",) for one, the plain file."""
        return ("",)

    def file_part(self, version: str) -> str:
        """What the name of the PDF of `version` has after the lesson's: the kind's name,
        then the version's letter (`<lesson>-quiz-A.pdf`)."""
        return f"{self.name}-{version}" if version else self.name

    def file_name(self, slug: str, version: str) -> str:
        """The name of the file of `version` of the lesson whose files are named `slug`."""
        return f"{slug}-{self.file_part(version)}{self.suffix}"

    def all_stylesheets(self) -> tuple[str, ...]:
        """Every stylesheet of the output, in cascade order."""
        return (*COMMON_STYLESHEETS, *self.stylesheets, OVERRIDES_STYLESHEET)

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """What the template gets besides the lesson, the paper and the words."""
        return {}

    def html(self, prepared: Prepared, settings: Settings, cache: BuildCache) -> str:
        """The HTML planned for this output (cheap: no WeasyPrint)."""
        return self.fill(prepared, settings, cache, **self.context(prepared, settings))

    def fill(
        self,
        prepared: Prepared,
        settings: Settings,
        cache: BuildCache,
        template: str | None = None,
        **context: Any,
    ) -> str:
        """The kind's template (or `template`) filled with the lesson, the paper, the words
        and `context`."""
        from ..render import html  # Jinja2 loads only when something may be built

        return html.render(
            cache.templates(prepared.theme),
            prepared.theme,
            template or self.template,
            prepared.media,
            lesson=prepared.lesson,
            paper=settings.paper,
            t=prepared.words,
            **context,
        )

    def made_with(self, settings: Settings) -> tuple[str, ...]:
        """What shapes the PDF besides its HTML and the theme's files, for its fingerprint."""
        return (self.name, *self.all_stylesheets(), *self.padding(settings))

    def pads(self, settings: Settings) -> bool:
        """Whether its PDF is padded with a blank page to an even page count (--duplex)."""
        return settings.duplex and self.on_paper

    def padding(self, settings: Settings) -> tuple[str, ...]:
        """What padding adds to what the PDF is made with: ("duplex",) when it pads."""
        return ("duplex",) if self.pads(settings) else ()

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedPdf:
        """The PDF, from the HTML planned for it, rendered with the theme's renderer."""
        return cache.renderer(prepared.theme).render(html, self.all_stylesheets())

    def completed(
        self,
        pdf: RenderedPdf,
        html: str,
        formulas: dict[str, str],
        prepared: Prepared,
        settings: Settings,
    ) -> RenderedPdf:
        """The PDF `make` gave from `html`, its tags repaired (`formulas`: the alt texts of
        the formulas it draws, to their LaTeX), its colours gray if its theme asks for it
        and its licence set, then `finished`."""
        from ..render.grayscale import asks_for_grayscale  # pikepdf loads only when rendering
        from ..render.tagging import repaired

        gray = asks_for_grayscale(prepared.theme)
        licence = prepared.lesson.branding.licence
        data = repaired(pdf.data, html, formulas, gray=gray, licence=licence)
        data, pages = self.finished(data, pdf.pages, prepared, settings)
        return replace(pdf, data=data, pages=pages)

    def page_hashes(self, data: bytes) -> tuple[str, ...]:
        """The hash of each page of the file made (`reprint` compares them)."""
        from ..render.page_hashes import page_hashes  # pikepdf loads only when a PDF is made

        return page_hashes(data)

    def finished(
        self, data: bytes, pages: int, prepared: Prepared, settings: Settings
    ) -> tuple[bytes, int]:
        """The PDF as it goes to paper, once its tags are repaired, and its page count:
        padded to an even count when it pads (--duplex)."""
        if not self.pads(settings):
            return data, pages
        from ..render.duplex import padded  # pikepdf loads only when something is rendered

        return padded(data), pages + pages % 2

    table_place: ClassVar[str] = "on its page"  # where it shows the comparison tables

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """Mistakes in the lesson that the PDF shows: here, a picture WeasyPrint could not
        draw, and comparison tables whose columns are too narrow to read (kinds that check
        more add theirs)."""
        return [
            *prepared.media.not_drawn(prepared.lesson.source, pdf.warnings),
            *narrow_columns(prepared, pdf, self.table_place),
        ]


MIN_COLUMN_EM = 5.0  # the narrowest readable column: about ten characters a line


def narrow_columns(prepared: Prepared, pdf: RenderedPdf, place: str) -> list[ContentError]:
    """The comparison table whose subjects' columns came out narrowest, if narrower than
    MIN_COLUMN_EM of the output's type, read from where the layout put each table's first
    row's cells."""
    lesson = prepared.lesson
    if not lesson.subjects or not pdf.base_size_pt:
        return []
    widths: dict[Comparison, list[float]] = {}  # each table's columns
    for page in pdf.anchors:
        for name, (left, _, right, _) in page.items():
            if (number := COLUMN.number(name)) is not None:
                table, _ = lesson.table_row((number - 1) // len(lesson.subjects) + 1)
                widths.setdefault(table, []).append(right - left)
    if not widths:
        return []
    table, found = min(widths.items(), key=lambda item: min(item[1]))
    narrowest = min(found) * PT_PER_PX
    least = MIN_COLUMN_EM * pdf.base_size_pt
    if narrowest >= least:
        return []
    fit = int(sum(found) * PT_PER_PX // least)
    return [
        ContentError(
            table.where or table.rows[0].where,
            f"{table.called}'s {len(found)} columns are too narrow to read {place} "
            f"({narrowest / MM:.0f} mm each, at least {least / MM:.0f} mm wanted): "
            f"{fit} subject{'s' * (fit != 1)} fit",
            "compare fewer subjects in one lesson, or leave this output out with --only",
        )
    ]


@dataclass(frozen=True)
class CoursePlan:
    """A course output's HTML, what it is prepared as for the steps every output shares
    (its first lesson, with the course's theme and words), and the formulas it draws
    (alt text to LaTeX)."""

    html: str
    prepared: Prepared
    formulas: dict[str, str]


class CourseKind(OutputKind):
    """A kind of PDF a course gives, made from all its lessons (the course pack)."""

    of_course = True

    def plan(
        self,
        course: Course,
        parts: list[Prepared],
        theme: Theme,
        settings: Settings,
        cache: BuildCache,
    ) -> CoursePlan:
        """The output of `course`, its lessons prepared as `parts`, in its `theme`."""
        raise NotImplementedError


class ExportKind(OutputKind):
    """A file for another program (a learning platform), not a PDF: `export` makes its
    bytes from the lesson, without WeasyPrint. It is planned, written and tracked as a PDF
    is; its bytes travel as a `RenderedPdf` of no pages, and no PDF check reads them."""

    template = ""
    stylesheets = ()
    on_paper = False

    def export(self, prepared: Prepared) -> bytes:
        """The file's bytes: the same for the same lesson, on any machine."""
        raise NotImplementedError

    def file_name(self, slug: str, version: str) -> str:
        """`<lesson><suffix>` (`suffix` is all its name has after the lesson's: ".gift.txt"):
        one file, whatever the versions."""
        return f"{slug}{self.suffix}"

    def versions(self, lesson: Lesson, settings: Settings) -> tuple[str, ...]:
        """One file, of the questions in the lesson's order."""
        return ("",)

    def html(self, prepared: Prepared, settings: Settings, cache: BuildCache) -> str:
        """What the file is planned from, for its fingerprint: the hash of its bytes (cheap:
        `make` makes them again where the PDFs are made)."""
        return hashlib.sha256(self.export(prepared)).hexdigest()

    def made_with(self, settings: Settings) -> tuple[str, ...]:
        """Its name alone: no stylesheet shapes it."""
        return (self.name,)

    def make(
        self, html: str, prepared: Prepared, settings: Settings, cache: BuildCache
    ) -> RenderedPdf:
        """The file's bytes, as a `RenderedPdf` of no pages."""
        started = time.perf_counter()
        data = self.export(prepared)
        return RenderedPdf(data, 0, (), time.perf_counter() - started)

    def completed(
        self,
        pdf: RenderedPdf,
        html: str,
        formulas: dict[str, str],
        prepared: Prepared,
        settings: Settings,
    ) -> RenderedPdf:
        """The file as `make` gave it: no tags to repair, no paper to finish for."""
        return pdf

    def page_hashes(self, data: bytes) -> tuple[str, ...]:
        """None: it has no pages."""
        return ()

    def layout_problems(self, prepared: Prepared, pdf: RenderedPdf) -> list[ContentError]:
        """None: it has no layout."""
        return []
