"""The slide deck derived from a lesson: one idea per slide, no fact written twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from ..errors import Location
from ..lesson.markdown import key_sentence, sentences
from ..lesson.model import Block, ItemList, Lesson, Paragraph

Words = Callable[[str], str]  # a fixed word of the lesson's language, by its catalog key


class SlideKind(Enum):
    """What a slide shows; the deck template lays each kind out its own way."""

    TITLE = "title"
    POINTS = "points"
    TABLE = "table"


@dataclass(frozen=True)
class Slide:
    """One slide: a title, an optional kicker above it, and its points.

    `where` is the lesson text it shows; `may_continue` lets it run on to more slides.
    """

    kind: SlideKind
    title: str
    kicker: str = ""
    blocks: tuple[Block, ...] = ()
    outline: str = ""
    where: Location | None = None
    may_continue: bool = False

    @property
    def bookmark(self) -> str:
        """The slide's entry in the PDF outline."""
        return self.outline or self.title


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
        for part in section.parts:
            slides.append(
                Slide(
                    SlideKind.POINTS,
                    part.subject.name,
                    section.title,
                    points(part.blocks, part.summary),
                    f"{section.title}: {part.subject.name}",
                    part.where,
                    section.may_continue,
                )
            )
    if lesson.comparison:
        slides.append(
            Slide(
                SlideKind.TABLE,
                lesson.comparison.title or words("at_a_glance"),
                words("comparison"),
                may_continue=True,
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
