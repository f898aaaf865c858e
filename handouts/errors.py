"""Errors a teacher can fix: each one knows the file, line and column it is about."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a content file; line and column count from 1."""

    path: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class ContentError(Exception):
    """A mistake in a lesson file, reported with its location and, where we can, a hint."""

    def __init__(self, where: Location, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.hint = hint

    def report(self, source_line: str | None = None) -> str:
        """Format as `path:line:column: error: message (hint)` plus the line and a caret."""
        text = f"{self.where}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if source_line is not None:
            shown = source_line.rstrip("\n").expandtabs(1)
            text += f"\n    {shown}\n    {' ' * (self.where.column - 1)}^"
        return text
