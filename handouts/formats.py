"""The outputs a lesson gives and the paper sizes they come in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """A paper size: its CSS `size` name and the name a teacher types."""

    name: str
    css: str


PAPERS = {"a4": Paper("a4", "A4"), "letter": Paper("letter", "letter")}
OUTPUTS = ("handout", "slides", "table")
