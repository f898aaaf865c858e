"""Errors a teacher can fix: each one knows the file, line and column it is about."""

from __future__ import annotations

import re
import stat
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MOST_SHOWN = 120  # characters of a name a message shows


def _escaped(text: str) -> str:
    """`text` with its control characters (a NUL, a line break) written as `\\xNN`."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def shown(name: str, most: int = MOST_SHOWN) -> str:
    """A file name as a message shows it: control characters written as escapes, and a
    name longer than `most` cut in the middle."""
    name = _escaped(name)
    if len(name) <= most:
        return name
    half = (most - 1) // 2
    return f"{name[:half]}…{name[-half:]}"


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, from its `st_mode`."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


@dataclass(frozen=True)
class Location:
    """A place in a content file; line and column count from 1."""

    path: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{_escaped(str(self.path))}:{self.line}:{self.column}"


class ContentError(Exception):
    """A mistake in a lesson file, reported with its location and, where we can, a hint."""

    def __init__(self, where: Location, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[ContentError], tuple[Location, str, str]]:
        """Pickled whole (a worker process hands it back to the build)."""
        return type(self), (self.where, self.message, self.hint)

    def report(self, source_line: str | None = None) -> str:
        """Format as `path:line:column: error: message (hint)` plus the line and a caret."""
        text = f"{self.where}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if source_line is not None:
            shown, caret = _around(source_line.rstrip("\n").expandtabs(1), self.where.column)
            text += f"\n    {shown}\n    {' ' * caret}^"
        return text


class FigureProblem(ValueError):
    """A figure file that cannot be printed: what is wrong, and how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


SHOWN_WIDTH = 100  # of a quoted line: a 200 KB line is shown around its column only


def _around(line: str, column: int) -> tuple[str, int]:
    """The part of `line` to quote, and where the caret goes in it."""
    if len(line) <= SHOWN_WIDTH:
        return line, column - 1
    start = max(0, min(column - 1 - SHOWN_WIDTH // 2, len(line) - SHOWN_WIDTH))
    part = line[start : start + SHOWN_WIDTH]
    before, after = ("..." if start else ""), ("..." if start + SHOWN_WIDTH < len(line) else "")
    return before + part + after, column - 1 - start + len(before)


@dataclass(frozen=True)
class Crash:
    """A bug of ours, met while making something of one lesson: what went wrong, and the
    whole traceback for the crash report."""

    reason: str
    traceback: str

    @classmethod
    def of(cls, error: BaseException) -> Crash:
        """The crash `error` is, with its traceback (call it where it is caught)."""
        trace = "".join(traceback.format_exception(error))
        return cls(f"{type(error).__name__}: {error}", trace)

    def told(self, root: Path) -> str:
        """The traceback with no path outside the project folder `root`: the Python
        installation's and this tool's own are named as such, a home folder as ~."""
        shown = self.traceback
        package = Path(__file__).resolve().parent
        for folder, name in (
            (root, "."),
            (root.resolve(), "."),
            (package, "handouts"),
            (Path(sys.prefix), "<python>"),
            (Path(sys.base_prefix), "<python>"),
            (Path.home(), "~"),
        ):
            if folder.is_absolute() and folder != Path(folder.anchor):
                # The folder itself, or a path in it: never a longer name it begins.
                pattern = re.escape(str(folder)) + r"(?=[/\\]|$|[^\w.-])"
                shown = re.sub(pattern, name, shown)  # names without backslashes
        return shown
