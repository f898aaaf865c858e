"""Stage 1: load lesson files and validate them into `Lesson` objects.

Shapes and keys are checked against `definition`; the rules that span fields (a section
compares every subject or none, a row has a cell per subject) are checked here. Every
problem in every file is collected; a lesson with problems is left out, the others load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Final, ParamSpec, TypeVar

from yaml.nodes import MappingNode, Node

from ..builtin import builtin_theme, builtin_theme_names, is_builtin
from ..errors import ContentError, Crash, FigureProblem
from . import yaml_source
from .checker import Checker, Entry
from .course import course_of
from .definition import COURSE, COURSE_FILE, ENGLISH_WORDS, LESSON, MOST_SIDE_BY_SIDE
from .fields import wording_problem
from .figures import BLOCK_ALT_HINT, FigureFile, figure_file
from .files import NO_COURSE, Bounds, file_digest, read_lesson_file, without_name_clashes
from .invisible import invisible_characters
from .languages import canonical, language_problem
from .limits import past_limits
from .markdown import MarkupProblems, parse_blocks
from .model import (
    Block,
    Branding,
    Comparison,
    Course,
    Figure,
    ItemList,
    Lesson,
    Loaded,
    Part,
    Row,
    Section,
    Subject,
)
from .questions import questions, quiz
from .yaml_source import Source, closest, suggestion


def _open(path: Path, bounds: Bounds) -> tuple[Source, MappingNode, bytes]:
    data = read_lesson_file(path, bounds)
    node = yaml_source.load(path, data, bounds.max_bytes)
    return Source(path, data.decode("utf-8").splitlines()), node, data


class _Pictures:
    """The pictures of one lesson: each file checked once, the captioned ones numbered in
    the order the lesson shows them."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder, self.root = folder, root
        self.files: dict[str, FigureFile] = {}
        self.captioned = 0

    def check(self, name: str) -> FigureFile:
        """The checked file of a picture named `name` (raises FigureProblem)."""
        if name not in self.files:
            self.files[name] = figure_file(name, self.folder, self.root)
        return self.files[name]

    def numbered(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """`blocks` with each captioned figure given the next number."""
        found = []
        for block in blocks:
            if isinstance(block, Figure) and block.caption:
                self.captioned += 1
                block = replace(block, number=self.captioned)
            found.append(block)
        return tuple(found)


def _blocks(
    source: Source, node: Node | None, text: str | None, pictures: _Pictures | None = None
) -> tuple[Block, ...]:
    """Parse checked Markdown text; a problem is located on its own line of the file."""
    if node is None or text is None:
        return ()
    try:
        check = pictures.check if pictures else None
        blocks = parse_blocks(source.markdown_text(node, text), check)
    except MarkupProblems as found:
        for problem in found.problems:
            source.fail_in_text(node, problem.line, str(problem), problem.hint, problem.column)
        return ()
    return pictures.numbered(blocks) if pictures else blocks


def _markdown(
    source: Source, entry: Entry, name: str, pictures: _Pictures | None = None
) -> tuple[Block, ...]:
    return _blocks(source, entry.nodes.get(name), entry.get(name), pictures)


def _overview(source: Source, entry: Entry, pictures: _Pictures) -> tuple[Block, ...]:
    """The `overview:`, as blocks: its Markdown text, or its lines as one list."""
    found = entry.get("overview")
    if isinstance(found, tuple):
        return (ItemList(found),) if found else ()
    return _markdown(source, entry, "overview", pictures)


def _figure(source: Source, entry: Entry | None, pictures: _Pictures) -> tuple[Block, ...]:
    """A section's `figure:` block, checked (none when absent or wrong)."""
    if entry is None or "file" not in entry.values:
        return ()
    name, decorative = entry.get("file"), entry.get("decorative", False)
    alt = "" if decorative else entry.get("alt", "")
    problems = []
    if not alt and not decorative:
        problems.append(
            ContentError(
                yaml_source.where(source.path, entry.node),
                "this figure has no alt text",
                BLOCK_ALT_HINT,
            )
        )
    try:
        pictures.check(name)
    except FigureProblem as problem:
        problems.append(
            ContentError(
                yaml_source.where(source.path, entry.nodes["file"]), str(problem), problem.hint
            )
        )
    source.errors += problems
    if problems:
        return ()
    width = int(entry.get("width", "0%").rstrip("%")) / 100  # 0: the picture's own size
    caption, credit = entry.get("caption", ""), entry.get("credit", "")
    return pictures.numbered((Figure(name, alt, caption, credit, width, decorative),))


def _section(
    source: Source, entry: Entry, subjects: tuple[Subject, ...], pictures: _Pictures
) -> Section:
    title = entry.get("title", "")
    compared = [subject for subject in subjects if subject.key in entry.nodes]
    if compared and len(compared) != len(subjects):
        missing = ", ".join(s.key for s in subjects if s not in compared)
        source.fail(
            entry.node,
            f"section '{title}' compares some subjects but not {missing}",
            "write a part for every subject, or put the text under 'text:'",
        )
    if not compared and "text" not in entry.nodes and "figure" not in entry.nodes:
        source.fail(
            entry.node, f"section '{title}' has no text", "add 'text:', or one part per subject"
        )
    summary = entry.get("summary", ())
    per_subject = summary.parts if isinstance(summary, Entry) else {}
    if isinstance(summary, Entry) and not compared:
        source.fail(summary.node, "'summary' must be a list here: this section compares nothing")
    elif compared and "summary" in entry.values and not isinstance(summary, Entry):
        source.fail(
            entry.nodes["summary"],
            "'summary' must give a list per subject here",
            "write 'summary:' then '<subject>:' and its list",
        )
    blocks = _markdown(source, entry, "text", pictures)
    blocks += _figure(source, entry.get("figure"), pictures)
    parts = tuple(
        Part(
            s,
            _blocks(source, entry.nodes[s.key], entry.parts[s.key], pictures),
            per_subject.get(s.key) or (),
            yaml_source.where(source.path, entry.nodes[s.key]),
        )
        for s in compared
    )
    shared = summary if isinstance(summary, tuple) and not compared else ()
    return Section(
        title,
        blocks,
        parts,
        shared,
        yaml_source.where(source.path, entry.node),
        entry.get("continue", False),
        _arrangement(source, entry, len(compared)),
        _markdown(source, entry, "notes"),
        _comparison(source, entry.get("table"), subjects),
    )


def _arrangement(source: Source, entry: Entry, compared: int) -> str:
    """The section's `slides:` choice, refused where it cannot be honoured."""
    arrangement: str = entry.get("slides", "")
    if arrangement and compared < 2:
        source.fail(
            entry.nodes["slides"],
            f"'slides: {arrangement}' needs a section that compares subjects",
            "remove it: this section has a slide of its own",
        )
    elif arrangement == "together" and compared > MOST_SIDE_BY_SIDE:
        source.fail(
            entry.nodes["slides"],
            f"'slides: together' puts at most {MOST_SIDE_BY_SIDE} subjects side by side; "
            f"this section compares {compared}",
            "remove it: each subject gets a slide of its own",
        )
    return arrangement


def _row(source: Source, entry: Entry, subjects: tuple[Subject, ...]) -> Row | None:
    missing = [s.key for s in subjects if s.key not in entry.nodes]
    if missing:
        have = len(subjects) - len(missing)
        source.fail(
            entry.node,
            f"this row has {have} of {len(subjects)} cells: '{', '.join(missing)}' is missing",
            "every row needs one cell per subject",
        )
        return None
    cells: list[str | None] = [entry.parts.get(s.key) for s in subjects]
    given = entry.get("given", ())
    keys = [s.key for s in subjects]
    for key in given:
        if key not in keys:
            source.fail(
                entry.nodes["given"],
                f"'given' names '{key}', which is not a subject",
                suggestion(key, keys),
            )
    checked = tuple(cell for cell in cells if cell is not None)
    if len(checked) != len(cells):
        return None
    where = yaml_source.where(source.path, entry.node)
    return Row(entry.get("label"), checked, where, tuple(k in given for k in keys))


def _comparison(
    source: Source, entry: Entry | None, subjects: tuple[Subject, ...]
) -> Comparison | None:
    if entry is None:
        return None
    if not subjects:
        source.fail(
            entry.node,
            "a comparison table needs 'subjects:'",
            "name the subjects the table compares",
        )
        return None
    found = [_row(source, row, subjects) for row in entry.get("rows", [])]
    rows = tuple(row for row in found if row is not None)
    unlabelled = [row for row in rows if not row.label]
    if unlabelled and len(unlabelled) != len(rows):
        source.errors.append(
            ContentError(
                unlabelled[0].where,
                "this row has no label, but other rows do",
                "label every row, or none: rows without labels are numbered",
            )
        )
    columns = tuple(subject.name for subject in subjects)
    where = yaml_source.where(source.path, entry.node)
    notes = _markdown(source, entry, "notes")
    return Comparison(entry.get("title", ""), columns, rows, where, notes)


def _numbered(
    sections: tuple[Section, ...], comparison: Comparison | None
) -> tuple[tuple[Section, ...], Comparison | None]:
    """The sections' tables and the lesson's, in the order they are shown, numbered when
    there are several, their rows counted through all of them."""
    tables = [section.table for section in sections if section.table]
    tables += [comparison] if comparison else []
    several, placed, rows = len(tables) > 1, [], 0
    for number, table in enumerate(tables, start=1):
        placed.append(replace(table, number=number if several else 0, first_row=rows))
        rows += len(table.rows)
    found = iter(placed)
    numbered = tuple(replace(s, table=next(found)) if s.table else s for s in sections)
    return numbered, next(found, None)


def _with_defaults(source: Source, lesson: Entry, course: Entry | _Broken | None) -> dict[str, str]:
    """Course, author and language from the lesson, else from course.yaml, else defaults.

    With a broken course.yaml (reported on its own), a missing value is not reported again.
    """
    found = {}
    for name, default in (("course", None), ("author", None), ("language", "en")):
        given = course.get(name) if isinstance(course, Entry) else None
        value = lesson.get(name) or given or default
        if value is None and name not in lesson.nodes and course is not _BROKEN:
            source.fail(
                lesson.node,
                f"missing required field '{name}'",
                f"add '{name}: ...' here or in {COURSE_FILE} beside the lesson",
            )
        found[name] = value or ""
    found["language"] = canonical(found["language"])  # FR is fr, pt-br is pt-BR
    return found


def load_course(folder: Path, bounds: Bounds) -> tuple[Entry | None, str, Course | None]:
    """Read and check a folder's course.yaml, if there is one; raise on problems.

    Returns it with the hash of the bytes read (NO_COURSE without one) and its course.
    """
    path = folder / COURSE_FILE
    if not path.exists() and not path.is_symlink():
        return None, NO_COURSE, None
    source, node, data = _open(path, bounds)
    entry = Checker(source).check(node, COURSE, COURSE_FILE)
    _check_language(source, entry)
    _check_labels(source, entry)
    source.errors += invisible_characters(source, entry.get("language") or "en")
    if "theme" in entry.values:
        _check_theme(source, entry, bounds.root)
    course = course_of(source, entry, bounds, _course_theme(entry, folder))
    if source.errors:
        raise _Failed(source.errors)
    return entry, file_digest(data), course


def course_in(folder: Path, bounds: Bounds) -> Course | None:
    """The course of a folder's course.yaml as it is now: None without one, or when it has
    mistakes (those are reported as its lessons are loaded)."""
    try:
        return load_course(folder, bounds)[2]
    except (_Failed, ContentError, OSError):
        return None


def _check_labels(source: Source, entry: Entry) -> None:
    """Each label of a lesson or course.yaml fills in its English word's fields, plainly."""
    labels = entry.get("labels")
    if not isinstance(labels, Entry):
        return
    for name, text in labels.values.items():
        if problem := wording_problem(f"the label '{name}'", text, ENGLISH_WORDS[name]):
            source.fail(labels.nodes[name], *problem)


def _labels(lesson: Entry, course: Entry | object | None) -> dict[str, str]:
    """The words a course.yaml rewords, then those the lesson does."""
    found: dict[str, str] = {}
    for entry in (course, lesson):
        labels = entry.get("labels") if isinstance(entry, Entry) else None
        if isinstance(labels, Entry):
            found |= labels.values
    return found


def _check_language(source: Source, entry: Entry) -> None:
    """A `language` given in a lesson or course.yaml is a language code CLDR knows."""
    code = entry.get("language")
    if code and (problem := language_problem(code)):
        source.fail(entry.nodes["language"], *problem)


def _check_theme(source: Source, course: Entry, root: Path) -> None:
    """A theme named in course.yaml is a folder inside the project (the folder `root`), or
    a built-in theme's name."""
    written: str = course.get("theme")
    folder = _course_theme(course, source.path.parent)
    if folder is None or is_builtin(folder):
        return
    if not folder.is_dir():
        names = builtin_theme_names()
        if "/" in written or written in (".", ".."):
            message = f"the theme folder {folder} does not exist"
        else:
            message = f"no built-in theme or theme folder is named '{written}'"
        meant = closest(written, names)
        source.fail(
            course.nodes["theme"],
            message,
            (f"did you mean '{meant}'? " if meant else "")
            + f"the built-in themes are {', '.join(names)}; a folder is named relative to "
            "course.yaml, e.g. 'theme: ../theme'",
        )
    elif not folder.is_relative_to(root.resolve()):
        source.fail(
            course.nodes["theme"],
            "the theme folder is outside the project",
            "keep the theme in the project folder, beside content/",
        )
    elif root.resolve().is_relative_to(folder) or source.path.resolve().is_relative_to(folder):
        source.fail(
            course.nodes["theme"],
            "the theme folder holds the project or its lessons",
            "give the theme a folder of its own, e.g. 'theme: ../theme'",
        )


def _course_theme(course: Entry | _Broken | None, folder: Path) -> Path | None:
    """The theme folder a course.yaml names, if it names one: a folder of that name beside
    it, else the built-in theme of that name, else the folder (which is not there)."""
    if isinstance(course, Entry) and "theme" in course.values:
        theme: str = course.get("theme")
        named = (folder / theme).resolve()
        builtin = builtin_theme(theme)
        return builtin if builtin is not None and not named.is_dir() else named
    return None


def load_lesson(path: Path, course: Entry | _Broken | None, bounds: Bounds) -> Lesson:
    """Read and validate one lesson file; raise `_Failed` listing every problem."""
    source, node, data = _open(path, bounds)
    if beyond := past_limits(path, source.lines, node):
        raise _Failed(beyond)  # before any slow step: these are what would make it slow
    pictures = _Pictures(path.parent, bounds.root)
    entry: Entry = Checker(source, pictures.check).check(node, LESSON, "lesson")
    _check_language(source, entry)
    _check_labels(source, entry)
    defaults = _with_defaults(source, entry, course)
    source.errors += invisible_characters(source, defaults["language"] or "en")
    subjects = tuple(Subject(key, name) for key, name in entry.get("subjects", {}).items())
    # Its pictures are numbered as they are read: the introduction's, the sections', the
    # conclusion's.
    introduction = _markdown(source, entry, "introduction", pictures)
    sections = tuple(_section(source, s, subjects, pictures) for s in entry.get("sections", []))
    conclusion = _markdown(source, entry, "conclusion", pictures)
    sections, comparison = _numbered(
        sections, _comparison(source, entry.get("comparison"), subjects)
    )
    asked = questions(
        source, entry.get("questions", []), partial(_blocks, source, pictures=pictures)
    )
    tables = sum(1 for s in sections if s.table) + (comparison is not None)
    lesson = Lesson(
        slug=path.stem,
        source=path,
        course=defaults["course"],
        title=entry.get("title", ""),
        subtitle=entry.get("subtitle"),
        author=defaults["author"],
        language=defaults["language"],
        labels=_labels(entry, course),
        subjects=subjects,
        introduction=introduction,
        sections=sections,
        conclusion=conclusion,
        comparison=comparison,
        takeaways=entry.get("takeaways", ()),
        overview=_overview(source, entry, pictures),
        theme=_course_theme(course, path.parent),
        digest=file_digest(data),
        figures=pictures.files,
        questions=asked,
        quiz=quiz(source, entry.get("quiz"), tables),
    )
    if source.errors:
        raise _Failed(source.errors)
    return lesson


class _Broken(Enum):
    """What a loading step that found mistakes gives: a course.yaml with mistakes has its
    lessons checked but not built."""

    BROKEN = "broken"


_BROKEN: Final = _Broken.BROKEN
_Made = TypeVar("_Made")
_Arguments = ParamSpec("_Arguments")


def _attempt(
    loaded: Loaded,
    source: Path,
    step: Callable[_Arguments, _Made],
    *args: _Arguments.args,
    **kwargs: _Arguments.kwargs,
) -> _Made | _Broken:
    """Run a loading step of the file `source`; on content errors, collect them and return
    _BROKEN; on a bug of ours, note the crash with the file and return _BROKEN too (the
    other lessons load)."""
    try:
        return step(*args, **kwargs)
    except ContentError as error:
        loaded.errors.append(error)
    except _Failed as failed:
        loaded.errors.extend(failed.errors)
    except Exception as error:  # a bug of ours: this file's crash, the others go on
        loaded.crashes.append((source, Crash.of(error)))
    return _BROKEN


PARALLEL_FROM = 200  # lesson files: fewer load faster in one process than workers start


class _Failed(Exception):
    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def load_lessons(paths: list[Path], bounds: Bounds, workers: int = 1) -> Loaded:
    """Load every lesson; those with problems are left out and their errors collected. A
    large course is loaded by up to `workers` processes (in_parallel.py)."""
    paths, clashes = without_name_clashes(paths)
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        from .in_parallel import loaded_in_parallel

        loaded = loaded_in_parallel(_load_each, paths, bounds, workers)
    else:
        loaded = _load_each(paths, bounds)
    loaded.checked += len(clashes)
    loaded.errors[:0] = clashes
    return loaded


def _load_each(paths: list[Path], bounds: Bounds) -> Loaded:
    """Load the lessons `paths` (no two named alike) one after the other."""
    loaded = Loaded(checked=len(paths))
    courses = {
        folder: _attempt(loaded, folder / COURSE_FILE, load_course, folder, bounds)
        for folder in sorted({path.parent for path in paths})
    }
    loaded.courses = [
        found[2] for found in courses.values() if found is not _BROKEN and found[2] is not None
    ]
    for path in paths:
        found = courses[path.parent]
        course, course_digest, of_course = (_BROKEN, "", None) if found is _BROKEN else found
        lesson = _attempt(loaded, path, load_lesson, path, course, bounds)
        if lesson is not _BROKEN and course is not _BROKEN:
            lesson = replace(lesson, course_digest=course_digest)
            loaded.lessons.append(branded(lesson, of_course.branding) if of_course else lesson)
    return loaded


def branded(lesson: Lesson, branding: Branding) -> Lesson:
    """The lesson with its course's branding; the logo is among its pictures (its name is
    relative to course.yaml, beside the lesson), so that a new logo rebuilds it."""
    figures = dict(lesson.figures)
    if branding.logo is not None:
        figures[branding.logo.file] = branding.logo.picture
    return replace(lesson, branding=branding, figures=figures)
