"""Finding lesson files, before any is read: their names, their size limit, their hashes.

Kept free of YAML and Markdown, so a build that finds nothing changed never loads them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ContentError, Location
from .definition import COURSE_FILE

LESSON_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 1_000_000  # the largest lesson file accepted, unless the command line says
NO_COURSE = "no course file"  # what stands for a course.yaml's hash where there is none


def find_lessons(paths: list[Path]) -> list[Path]:
    """Lesson files named by `paths` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(
                p
                for p in path.rglob("*.y*ml")
                if p.suffix in LESSON_SUFFIXES and p.name != COURSE_FILE
            )
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
