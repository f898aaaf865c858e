"""The theme's colours that a reader must tell apart, in pairs, and the contrast each needs.

Said once, here, without tinycss2: the contrast check reads them, and so does the lesson
format (a course.yaml's `colors:` may set each colour a pair names).
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, GRAPHIC = 4.5, 3.0  # WCAG 2.1: text (1.4.3), rules and writing lines (1.4.11)
PAPER = "paper"  # the white page: a pair's background, never set


@dataclass(frozen=True)
class Pair:
    """A colour (a custom property) seen against another (a property, or the paper)."""

    colour: str
    background: str
    floor: float
    use: str


PAIRS = (
    Pair("ink", PAPER, TEXT, "body text"),
    Pair("muted", PAPER, TEXT, "secondary text (authors, captions, page numbers)"),
    Pair("accent", PAPER, TEXT, "headings and links"),
    Pair("ink", "accent-soft", TEXT, "the introduction's text on its tint"),
    Pair("accent", "accent-soft", TEXT, "the introduction's heading on its tint"),
    Pair("on-accent", "accent", TEXT, "text on the accent: table headers, the title slide"),
    Pair("on-accent-muted", "accent", TEXT, "the title slide's course and author"),
    Pair("answer", PAPER, TEXT, "the answer key's answers"),
    Pair("rule", PAPER, GRAPHIC, "table rules, frames and writing lines"),
)
# Every colour a pair names (as custom properties name them: `accent-soft`), in order.
PAIRED_COLOURS = tuple(
    dict.fromkeys(
        name for pair in PAIRS for name in (pair.colour, pair.background) if name != PAPER
    )
)
