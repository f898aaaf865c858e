"""The slide deck derived from a lesson: one idea per slide, no fact written twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from ..errors import Location
from ..lesson.definition import MOST_SIDE_BY_SIDE
from ..lesson.markdown import key_sentence, sentences
from ..lesson.model import Block, ItemList, Lesson, Paragraph, Section

Words = Callable[[str], str]  # a fixed word of the lesson's language, by its catalog key


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
    its body type size once the layout has chosen it (0: the stylesheet's own); `rows`, on a
    table slide, the rows it shows (None: all). `notes` are the teacher's, never shown on it.
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
    rows: range | None = None
    continued: bool = False

    @property
    def statement(self) -> bool:
        """True for a slide of one point only (a point per subject, side by side), shown
        large as a statement."""
        if self.columns:
            return all(is_statement(column.blocks) for column in self.columns)
        return is_statement(self.blocks)

    @property
    def bookmark(self) -> str:
        """The slide's entry in the PDF outline."""
        return self.outline or self.title


def is_statement(blocks: tuple[Block, ...]) -> bool:
    """True for slide points that are a single point."""
    return len(blocks) == 1 and isinstance(blocks[0], ItemList) and len(blocks[0].items) == 1


def points(blocks: tuple[Block, ...], summary: tuple[str, ...] = ()) -> tuple[Block, ...]:
    """Slide points for some lesson text: lists stay lists, paragraphs give their key sentence.

    A teacher's explicit summary replaces them; text with no list becomes one bullet list.
    """
    if summary:
        return (ItemList(summary),)
    kept = tuple(
        Paragraph(key_sentence(block)) if isinstance(block, Paragraph) else block
        for block in blocks
    )
    if any(isinstance(block, ItemList) for block in kept):
        return kept
    return (ItemList(tuple(block.text for block in kept if isinstance(block, Paragraph))),)


def takeaways(lesson: Lesson) -> tuple[str, ...]:
    """The key takeaways: the teacher's list, or every sentence and item of the conclusion."""
    if lesson.takeaways:
        return lesson.takeaways
    found: list[str] = []
    for block in lesson.conclusion:
        found += sentences(block.text) if isinstance(block, Paragraph) else block.items
    return tuple(found)


def section_slides(section: Section) -> list[Slide]:
    """A section's slides: its shared text, then its subjects side by side on one slide, or
    one slide each (as the section asks, else as the layout allows). The first holds the
    section's speaker notes."""
    slides = []
    if section.blocks or section.summary:
        blocks = points(section.blocks, section.summary)
        slides.append(
            Slide(
                SlideKind.POINTS,
                section.title,
                blocks=blocks,
                where=section.where,
                may_continue=section.may_continue,
            )
        )
    apart = tuple(
        Slide(
            SlideKind.POINTS,
            part.subject.name,
            section.title,
            points(part.blocks, part.summary),
            f"{section.title}: {part.subject.name}",
            part.where,
            section.may_continue,
        )
        for part in section.parts
    )
    if section.arrangement == "apart" or not 2 <= len(apart) <= MOST_SIDE_BY_SIDE:
        slides += apart
    elif apart:
        columns = tuple(Column(slide.title, slide.blocks) for slide in apart)
        forced = section.arrangement == "together"
        side_by_side = Slide(
            SlideKind.SIDE_BY_SIDE,
            section.title,
            where=section.where,
            columns=columns,
            apart=() if forced else apart,
        )
        slides.append(side_by_side)
    if slides and section.notes:
        slides[0] = replace(slides[0], notes=section.notes)
    return slides


def deck(lesson: Lesson, words: Words) -> tuple[Slide, ...]:
    """Every slide of the lesson's deck, in order; `words` gives the slides' fixed titles."""
    slides = [Slide(SlideKind.TITLE, lesson.title, lesson.course)]
    overview = [
        Paragraph(key_sentence(b)) for b in lesson.introduction[:1] if isinstance(b, Paragraph)
    ]
    agenda = [section.title for section in lesson.sections]
    if lesson.comparison:
        agenda.append(lesson.comparison.title or words("at_a_glance"))
    # Slides made from the lesson as a whole may run on; those a section makes, only if it says so.
    slides.append(
        Slide(
            SlideKind.POINTS,
            words("overview"),
            lesson.title,
            (*overview, ItemList(tuple(agenda))),
            may_continue=True,
        )
    )
    for section in lesson.sections:
        slides += section_slides(section)
    if lesson.comparison:
        slides.append(
            Slide(
                SlideKind.TABLE,
                lesson.comparison.title or words("at_a_glance"),
                words("comparison"),
                where=lesson.comparison.where,
                may_continue=True,
                notes=lesson.comparison.notes,
            )
        )
    if found := takeaways(lesson):
        slides.append(
            Slide(
                SlideKind.POINTS,
                words("key_takeaways"),
                lesson.title,
                (ItemList(found),),
                may_continue=True,
            )
        )
    return tuple(slides)
