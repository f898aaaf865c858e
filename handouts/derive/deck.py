"""The slide deck derived from a lesson: one idea per slide, no fact written twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from itertools import groupby
from typing import Protocol

from ..errors import Location
from ..lesson.definition import MOST_SIDE_BY_SIDE
from ..lesson.markdown import inline_plain
from ..lesson.model import Block, Comparison, Figure, ItemList, Lesson, Paragraph, Section
from .sentences import key_sentence, sentences


class Words(Protocol):
    """A fixed word of the lesson's language, by its catalog key, its `{fields}` filled in."""

    def __call__(self, key: str, **fields: object) -> str: ...


Ratio = Callable[[str], float]  # a picture's height over its width, by the name it is given


LEAST_PT = 20.0  # no text on a slide but its footer is set smaller (fit.FLOOR_PT too)
CAPTION_SHARE = 0.6  # a figure's caption to the slide's body


class SlideKind(Enum):
    """What a slide shows; the deck template lays each kind out its own way."""

    TITLE = "title"
    POINTS = "points"
    SIDE_BY_SIDE = "side-by-side"  # a section's subjects in columns
    TABLE = "table"


@dataclass(frozen=True)
class Column:
    """One subject's points on a side-by-side slide."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Slide:
    """One slide: a title, an optional kicker above it, and its points (or columns).

    `where` is the lesson text it shows; `may_continue` lets it run on to more slides, each
    `continued`; `apart` are the slides shown instead if this one does not fit. `size_pt` is
    its body type size once the layout has chosen it (0: the stylesheet's own); `table`, on
    a table slide, the table, and `rows` the rows of it the slide shows. `notes` are the
    teacher's, never shown on it.
    """

    kind: SlideKind
    title: str
    kicker: str = ""
    blocks: tuple[Block, ...] = ()
    outline: str = ""
    where: Location | None = None
    may_continue: bool = False
    columns: tuple[Column, ...] = ()
    apart: tuple[Slide, ...] = ()
    notes: tuple[Block, ...] = ()
    size_pt: float = 0.0
    table: Comparison | None = None
    rows: range = range(0)
    continued: bool = False

    @property
    def statement(self) -> bool:
        """True for a slide of one point only (a point per subject, side by side), shown
        large as a statement."""
        if self.columns:
            return all(is_statement(column.blocks) for column in self.columns)
        return is_statement(self.blocks)

    @property
    def caption_pt(self) -> float:
        """The type size of its figures' captions: a share of its body's, never under the
        size no text on a slide goes below."""
        return max(LEAST_PT, round(CAPTION_SHARE * self.size_pt, 1))

    @property
    def bookmark(self) -> str:
        """The slide's entry in the PDF outline."""
        return self.outline or self.title


def is_statement(blocks: tuple[Block, ...]) -> bool:
    """True for slide points that are a single point."""
    return len(blocks) == 1 and isinstance(blocks[0], ItemList) and len(blocks[0].items) == 1


def points(
    blocks: tuple[Block, ...], language: str, summary: tuple[str, ...] = ()
) -> tuple[Block, ...]:
    """Slide points for some lesson text: lists stay lists, paragraphs give their key sentence,
    figures and display formulas stay as they are, in their places (a decorative figure is
    left to the handout: it says nothing a slide needs).

    A teacher's explicit summary replaces the text (not its figures); text with no list
    gives a bullet list for each run of paragraphs.
    """
    blocks = tuple(b for b in blocks if not (isinstance(b, Figure) and b.decorative))
    figures = tuple(block for block in blocks if isinstance(block, Figure))
    if summary:
        return (ItemList(summary), *figures)
    kept = tuple(
        Paragraph(key_sentence(block, language)) if isinstance(block, Paragraph) else block
        for block in blocks
    )
    if any(isinstance(block, ItemList) for block in kept):
        return kept
    found: list[Block] = []
    for is_text, run in groupby(kept, key=lambda block: isinstance(block, Paragraph)):
        group = list(run)
        texts = tuple(block.text for block in group if isinstance(block, Paragraph))
        found += [ItemList(texts)] if is_text else group
    return tuple(found)


# The room a slide's body gives its figures (the template lays them out so): its width,
# the share of it a column of figures beside the points takes, and its height, in inches.
BODY_WIDTH_IN = 11.7
BESIDE_SHARE = 0.46
FIGURES_HEIGHT_IN = 4.3
LEAST_BESIDE_IN = 2.0  # a figure that would be shorter beside the points gets its own slide


@dataclass(frozen=True)
class Bookmarks:
    """How the deck's bookmarks are written: `separator` joins a section's title and a
    subject's, or a slide's bookmark and its figure's caption; `plain` makes a caption's
    Markdown plain text set in the lesson's language (quotation marks, spacing)."""

    separator: str
    plain: Callable[[str], str] = inline_plain

    def of_figure(self, slide: Slide, figure: Figure) -> str:
        """A figure slide's bookmark: its slide's, with the figure's caption if it has one."""
        caption = self.plain(figure.caption) if figure.caption else ""
        return f"{slide.bookmark}{self.separator}{caption}" if caption else slide.bookmark


def with_figures(slide: Slide, ratio: Ratio, bookmarks: Bookmarks) -> list[Slide]:
    """A slide whose figures sit beside its points, offering instead (if that does not fit)
    the points alone followed by a slide per figure; a figure too small to read beside the
    points gets its own slide at once. `ratio` gives a picture's height over its width,
    `bookmarks` writes the bookmark of a slide that shows a figure."""
    figures = [block for block in slide.blocks if isinstance(block, Figure)]
    words = tuple(block for block in slide.blocks if not isinstance(block, Figure))
    if not figures or not words:
        return [slide]
    alone = [
        replace(slide, blocks=(figure,), outline=bookmarks.of_figure(slide, figure), notes=())
        for figure in figures
    ]
    apart = [replace(slide, blocks=words), *alone]
    beside = [
        min(
            FIGURES_HEIGHT_IN / len(figures), BODY_WIDTH_IN * BESIDE_SHARE * f.share * ratio(f.file)
        )
        for f in figures
    ]
    if min(beside) < LEAST_BESIDE_IN:
        return apart
    return [replace(slide, apart=tuple(apart))]


def takeaways(lesson: Lesson) -> tuple[str, ...]:
    """The key takeaways: the teacher's list, or every sentence and item of the conclusion."""
    if lesson.takeaways:
        return lesson.takeaways
    found: list[str] = []
    for block in lesson.conclusion:
        if isinstance(block, Paragraph):
            found += sentences(block.text, lesson.language)
        elif isinstance(block, ItemList):
            found += block.items
    return tuple(found)


def section_slides(
    section: Section, ratio: Ratio, language: str, bookmarks: Bookmarks
) -> list[Slide]:
    """A section's slides: its shared text, then its subjects side by side on one slide, or
    one slide each (as the section asks, else as the layout allows). The first holds the
    section's speaker notes; `bookmarks` joins the section's title and a subject's."""
    slides = []
    if section.blocks or section.summary:
        blocks = points(section.blocks, language, section.summary)
        slide = Slide(
            SlideKind.POINTS,
            section.title,
            blocks=blocks,
            where=section.where,
            may_continue=section.may_continue,
        )
        slides += with_figures(slide, ratio, bookmarks)
    parts = [
        Slide(
            SlideKind.POINTS,
            part.subject.name,
            section.title,
            points(part.blocks, language, part.summary),
            f"{section.title}{bookmarks.separator}{part.subject.name}",
            part.where,
            section.may_continue,
        )
        for part in section.parts
    ]
    apart = tuple(shown for part in parts for shown in with_figures(part, ratio, bookmarks))
    if section.arrangement == "apart" or not 2 <= len(parts) <= MOST_SIDE_BY_SIDE:
        slides += apart
    elif apart:
        columns = tuple(Column(slide.title, slide.blocks) for slide in parts)
        forced = section.arrangement == "together"
        side_by_side = Slide(
            SlideKind.SIDE_BY_SIDE,
            section.title,
            where=section.where,
            may_continue=section.may_continue,
            columns=columns,
            apart=() if forced else apart,
        )
        slides.append(side_by_side)
    if slides and section.notes:
        slides[0] = with_notes(slides[0], section.notes)
    return slides


def with_notes(slide: Slide, notes: tuple[Block, ...]) -> Slide:
    """`slide` holding the teacher's `notes`, and so does the first of the slides shown
    instead if it does not fit (a slide may have none: a section of text only)."""
    apart = slide.apart
    if apart:
        apart = (replace(apart[0], notes=notes), *apart[1:])
    return replace(slide, notes=notes, apart=apart)


def table_heading(table: Comparison, words: Words) -> str:
    """A table's heading: its title (or the default), after its number in a lesson of
    several tables."""
    title = table.title or words("at_a_glance")
    return f"{words('table_n', number=table.number)} {title}" if table.number else title


def table_slide(table: Comparison, kicker: str, words: Words) -> Slide:
    """A table's slide (spread over more if it needs them), under `kicker`."""
    return Slide(
        SlideKind.TABLE,
        table_heading(table, words),
        kicker,
        where=table.where,
        may_continue=True,
        notes=table.notes,
        table=table,
        rows=range(len(table.rows)),
    )


def deck(
    lesson: Lesson, words: Words, plain: Callable[[str], str] = inline_plain
) -> tuple[Slide, ...]:
    """Every slide of the lesson's deck, in order; `words` gives the slides' fixed titles,
    `plain` makes Markdown plain text set in the lesson's language (figures' captions)."""
    slides = [Slide(SlideKind.TITLE, lesson.title, lesson.course)]
    bookmarks = Bookmarks(words("separator"), plain)

    def ratio(name: str) -> float:
        return lesson.figures[name].ratio

    # The teacher's own overview as written (its figures too), else the introduction's
    # key sentence.
    overview = list(lesson.overview) or [
        Paragraph(key_sentence(b, lesson.language))
        for b in lesson.introduction[:1]
        if isinstance(b, Paragraph)
    ]
    agenda = [section.title for section in lesson.sections]
    if lesson.comparison:
        agenda.append(table_heading(lesson.comparison, words))
    # Slides made from the lesson as a whole may run on; those a section makes, only if it says so.
    figures = tuple(b for b in lesson.introduction if isinstance(b, Figure) and not b.decorative)
    overview_slide = Slide(
        SlideKind.POINTS,
        words("overview"),
        lesson.title,
        (*overview, ItemList(tuple(agenda)), *figures),
        may_continue=True,
    )
    slides += with_figures(overview_slide, ratio, bookmarks)
    for section in lesson.sections:
        slides += section_slides(section, ratio, lesson.language, bookmarks)
        if section.table:
            slides.append(table_slide(section.table, section.title, words))
    if lesson.comparison:
        slides.append(table_slide(lesson.comparison, words("comparison"), words))
    if found := takeaways(lesson):
        figures = tuple(b for b in lesson.conclusion if isinstance(b, Figure) and not b.decorative)
        closing = Slide(
            SlideKind.POINTS,
            words("key_takeaways"),
            lesson.title,
            (ItemList(found), *figures),
            may_continue=True,
        )
        slides += with_figures(closing, ratio, bookmarks)
    return tuple(slides)
