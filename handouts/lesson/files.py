"""Finding lesson files, before any is read: their names, their size limit, their hashes.

Kept free of YAML and Markdown, so a build that finds nothing changed never loads them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Location, file_kind
from .definition import COURSE_FILE

LESSON_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 1_000_000  # the largest lesson file accepted, unless the command line says
NO_COURSE = "no course file"  # what stands for a course.yaml's hash where there is none


def is_lesson_name(path: Path) -> bool:
    """Whether a file's name is a lesson's: YAML, and not a course.yaml."""
    return path.suffix in LESSON_SUFFIXES and path.name != COURSE_FILE


def find_lessons(paths: list[Path]) -> list[Path]:
    """Lesson files named by `paths` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*.y*ml") if is_lesson_name(p))
        else:
            found.add(path)
    return sorted(found)


def without_name_clashes(paths: list[Path]) -> tuple[list[Path], list[ContentError]]:
    """Lesson files whose output names clash with an earlier file's are set aside, with an
    error, whether or not either file is valid: both would write the same PDFs."""
    first: dict[str, Path] = {}
    kept, errors = [], []
    for path in paths:
        if path.stem in first:
            errors.append(
                ContentError(
                    Location(path, 1, 1),
                    f"another lesson, {first[path.stem]}, has the same file name",
                    "rename one: output files are named after the lesson file",
                )
            )
        else:
            first[path.stem] = path
            kept.append(path)
    return kept, errors


def file_digest(data: bytes) -> str:
    """The hash of a lesson file's bytes: what it is made from, as read."""
    return hashlib.sha256(data).hexdigest()


def course_digest(folder: Path) -> str:
    """The hash of a folder's course.yaml as it is now (NO_COURSE without one)."""
    path = folder / COURSE_FILE
    return file_digest(path.read_bytes()) if path.is_file() else NO_COURSE


@dataclass(frozen=True)
class Bounds:
    """What lesson files may be read: those inside the project folder `root` (or their own
    folder), of `max_bytes` at most."""

    root: Path
    max_bytes: int = MAX_BYTES


def _refusal(path: Path, root: Path) -> tuple[str, str] | None:
    """Why a lesson or course file must not be read, if it must not: a link that leaves the
    project (the folder `root`) and its own folder, or something that is not a regular
    file (a device, a pipe, a socket: reading one could hang or never end)."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a loop, or a link to nothing
            return "the file is a link that leads nowhere: it is not read", "remove the link"
        inside = (root.resolve(), path.parent.resolve())
        if not any(target.is_relative_to(folder) for folder in inside):
            return (
                "the file is a link to a file outside the project: it is not read",
                "copy the lesson into the project instead of linking to it",
            )
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read the file: {error.strerror}", ""
    if not stat.S_ISREG(mode):
        kind = file_kind(mode)
        return f"this is {kind}, not a lesson file: it is not read", "remove it or rename it"
    return None


def too_big(path: Path, size: int, max_bytes: int) -> ContentError:
    """The error for a file over the size limit."""
    return ContentError(
        Location(path, 1, 1),
        f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
        "split the lesson, or raise the limit with --max-bytes",
    )


def read_lesson_file(path: Path, bounds: Bounds) -> bytes:
    """A lesson's or course file's bytes, read only when it is a regular file of the project,
    and never more than the limit: a file that grows while read is stopped at it."""
    max_bytes = bounds.max_bytes
    if (refusal := _refusal(path, bounds.root)) is not None:
        raise ContentError(Location(path, 1, 1), *refusal)
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
            size = max(len(data), os.fstat(file.fileno()).st_size)
    except OSError as error:
        raise ContentError(
            Location(path, 1, 1), f"cannot read the file: {error.strerror}"
        ) from None
    if len(data) > max_bytes:
        raise too_big(path, size, max_bytes)
    return data


def is_readable_lesson_file(path: Path, root: Path) -> bool:
    """Whether messages may quote lines of `path`, in the project folder `root` (see
    `_refusal`)."""
    return _refusal(path, root) is None
