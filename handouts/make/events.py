"""What a build does, told as events: a PDF written, removed, kept, refused or failed, the
index page made, and what a teacher may want to know; and the guard every step of one
lesson runs in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..errors import ContentError, Crash
from ..render.layout import RenderedPdf
from .page_changes import PageChanges
from .workers import Job

Done = TypeVar("Done")


@dataclass(frozen=True)
class Written:
    """One PDF produced by a build, and which of its pages changed since the last one
    (None: the last one's pages are not known)."""

    job: Job
    pdf: RenderedPdf
    changed: bool
    pages: PageChanges | None = None


@dataclass(frozen=True)
class Removed:
    """A PDF removed because what it was made from is gone."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Kept:
    """A PDF whose lesson is gone (or gives it no more), kept for now: watch mode removes it
    only once the lessons have stayed so for a while, as a save may be half done."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Failed:
    """A bug of ours met while making `what` (a PDF, or a step of the lesson's): reported
    with the lesson it came from; the other lessons go on."""

    source: Path
    what: str
    crash: Crash


@dataclass(frozen=True)
class Refused:
    """A PDF not written because its layout shows a mistake in the lesson (a slide that
    overflows, a table too long for its page), or a lesson's every PDF (`job` None) because
    its theme has one (a template, a word catalog); the earlier PDFs stay."""

    problems: tuple[ContentError, ...]
    job: Job | None = None


@dataclass(frozen=True)
class Note:
    """Something a teacher may want to know of a lesson (or course) that is not a mistake."""

    source: Path
    text: str


@dataclass(frozen=True)
class Indexed:
    """The index page of the output folder, made again: how many PDFs it lists, and
    whether its bytes changed."""

    path: Path
    pdfs: int
    changed: bool


@dataclass(frozen=True)
class UpToDate:
    """How many planned PDFs needed no work."""

    count: int


Event = Written | Removed | Kept | Failed | Refused | Note | UpToDate | Indexed


def guarded(work: Callable[[], Done]) -> Done | Crash:
    """`work()`, or the crash a bug of ours in it is (a lesson's mistakes, ContentError,
    go on up: they are reported as such)."""
    try:
        return work()
    except ContentError:
        raise
    except Exception as error:  # a bug of ours: reported with its lesson, the others go on
        return Crash.of(error)
