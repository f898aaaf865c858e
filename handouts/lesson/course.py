"""A course.yaml's course: which lessons it holds, in what order, checked like a lesson."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import Node, SequenceNode

from .branding import branding_of
from .checker import Entry
from .definition import COURSE_FILE
from .files import Bounds, is_lesson_name
from .languages import canonical
from .model import Course
from .yaml_source import Source, closest

PATTERN_CHARACTERS = frozenset("*?[")


def course_of(source: Source, entry: Entry, bounds: Bounds, theme: Path | None) -> Course:
    """The course a checked course.yaml gives; a lesson it lists that is not there (or is
    outside its folder), and a logo or colour that may not be printed, are recorded as
    mistakes at their lines."""
    name = entry.get("course") or ""
    return Course(
        file=source.path,
        name=name,
        title=entry.get("title") or name,
        language=canonical(entry.get("language") or "en"),
        lessons=_lessons(source, entry, bounds),
        theme=theme,
        labels=labels.values if isinstance(labels := entry.get("labels"), Entry) else {},
        branding=branding_of(source, entry, bounds.root),
    )


def lesson_files_beside(folder: Path) -> list[Path]:
    """The lesson files in `folder` itself, by name: a course's lessons when it lists none."""
    return sorted(path for path in folder.iterdir() if is_lesson_name(path) and path.is_file())


def _lessons(source: Source, entry: Entry, bounds: Bounds) -> tuple[Path, ...]:
    folder = source.path.parent
    listed = entry.get("lessons")
    if listed is None:
        return tuple(lesson_files_beside(folder))
    nodes = entry.nodes["lessons"]
    items = nodes.value if isinstance(nodes, SequenceNode) else []
    found: list[Path] = []
    for node, written in zip(items, listed, strict=False):
        for path in _named(source, node, written, folder, bounds):
            if path not in found:  # a lesson two patterns match comes where it first does
                found.append(path)
    return tuple(found)


def _named(source: Source, node: Node, written: str, folder: Path, bounds: Bounds) -> list[Path]:
    """The lesson files one item of `lessons:` names, or none after recording why."""
    if Path(written).is_absolute() or ".." in Path(written).parts:
        source.fail(
            node,
            f"'{written}' is not in the course's folder",
            "name lessons relative to course.yaml, in its folder or below it",
        )
        return []
    if PATTERN_CHARACTERS.isdisjoint(written):
        path = folder / written
        if is_lesson_name(path) and path.is_file() and _inside(path, bounds):
            return [path]
        beside = [p.name for p in lesson_files_beside(folder)]
        meant = closest(written, beside)
        source.fail(
            node,
            f"no lesson file '{written}' beside {COURSE_FILE}",
            f"did you mean '{meant}'?" if meant else "check the file's name and folder",
        )
        return []
    matched = sorted(
        path
        for path in folder.glob(written)
        if is_lesson_name(path) and path.is_file() and _inside(path, bounds)
    )
    if not matched:
        source.fail(
            node,
            f"'{written}' matches no lesson file",
            "check the pattern: '*' stands for any letters, e.g. 'week-*.yaml'",
        )
    return matched


def _inside(path: Path, bounds: Bounds) -> bool:
    """Whether `path` (links followed) is a file of the project."""
    return path.resolve().is_relative_to(bounds.root.resolve())
