"""Stage 1: load lesson files and validate them into `Lesson` objects.

Every problem in every file is collected and raised together as `ContentErrors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from . import yaml_source
from .errors import ContentError, ContentErrors, Location
from .markup import MarkupError, parse_blocks
from .model import Block, Comparison, Lesson, Part, Row, Section, Subject
from .yaml_source import Mapping, Source, describe

COURSE_FILE = "course.yaml"
LESSON_KEYS = [
    "course", "title", "subtitle", "author", "language", "subjects",
    "introduction", "sections", "conclusion", "comparison", "takeaways",
]  # fmt: skip
COURSE_KEYS = ["course", "author", "language"]
SECTION_KEYS = ["title", "text", "summary"]
COMPARISON_KEYS = ["title", "rows"]
ROW_KEYS = ["label"]
SUBJECT_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class CourseDefaults:
    """Values a folder's course.yaml gives every lesson in it."""

    course: str | None = None
    author: str | None = None
    language: str | None = None


def find_lessons(paths: list[Path]) -> list[Path]:
    """Lesson files named by `paths` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*.yaml") if p.name != COURSE_FILE)
        else:
            found.add(path)
    return sorted(found)


def _open(path: Path, max_bytes: int) -> tuple[Source, MappingNode]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(
            Location(path, 1, 1), f"cannot read the file: {error.strerror}"
        ) from None
    node = yaml_source.load(path, data, max_bytes)
    return Source(path, data.decode("utf-8").splitlines()), node


def _markdown(fields: Mapping, key: str, required: bool = True) -> tuple[Block, ...]:
    node = fields.get(key)
    if node is None and required:
        fields.text(key)  # reports the missing field
    return () if node is None else _markdown_node(fields.source, node, key)


def _markdown_node(source: Source, node: Node, what: str) -> tuple[Block, ...]:
    text = source.text(node, what)
    if text is None:
        return ()
    try:
        return parse_blocks(text)
    except MarkupError as error:
        block = node.style in ("|", ">")
        line = node.start_mark.line + 1 + error.line + (1 if block else 0)
        source_line = source.lines[line - 1] if line <= len(source.lines) else ""
        column = len(source_line) - len(source_line.lstrip()) + 1
        source.errors.append(ContentError(Location(source.path, line, column), str(error)))
        return ()


def _text_list(source: Source, node: Node, what: str) -> tuple[str, ...]:
    if not isinstance(node, SequenceNode) or not node.value:
        source.fail(node, f"'{what}' must be a list of short lines, not {describe(node)}")
        return ()
    texts = (source.text(item, what) for item in node.value)
    return tuple(text for text in texts if text is not None)


def _subjects(fields: Mapping) -> tuple[Subject, ...]:
    names = fields.mapping("subjects")
    if names is None:
        return ()
    subjects = []
    for key, value in names.entries.values():
        reserved = key.value in SECTION_KEYS + ROW_KEYS
        if not SUBJECT_KEY.match(key.value) or reserved:
            fields.fail(
                key,
                f"'{key.value}' cannot name a subject",
                "use a short lowercase word other than title, text, summary or label",
            )
            continue
        name = fields.source.text(value, f"subjects: {key.value}")
        if name is not None:
            subjects.append(Subject(key.value, name))
    return tuple(subjects)


def _summary(
    fields: Mapping, compared: bool, subjects: tuple[Subject, ...]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    node = fields.get("summary")
    if node is None:
        return (), {}
    if not compared:
        return _text_list(fields.source, node, "summary"), {}
    per_subject = fields.mapping("summary")
    if per_subject is None:
        return (), {}
    keys = [subject.key for subject in subjects]
    per_subject.reject_unknown(keys)
    return (), {
        key: _text_list(fields.source, value, f"summary: {key}")
        for key, value in ((k, per_subject.get(k)) for k in keys)
        if value is not None
    }


def _section(source: Source, node: Node, subjects: tuple[Subject, ...]) -> Section | None:
    if not isinstance(node, MappingNode):
        source.fail(node, f"a section must be a set of 'key: value' lines, not {describe(node)}")
        return None
    fields = Mapping(source, node)
    keys = [subject.key for subject in subjects]
    fields.reject_unknown(SECTION_KEYS + keys)
    title = fields.text("title")
    blocks = _markdown(fields, "text", required=False)
    compared = [subject for subject in subjects if subject.key in fields.entries]
    if compared and len(compared) != len(subjects):
        missing = ", ".join(s.key for s in subjects if s not in compared)
        fields.fail(
            node,
            f"section '{title}' compares some subjects but not {missing}",
            "write a part for every subject, or put the text under 'text:'",
        )
    if not blocks and not compared and "text" not in fields.entries:
        fields.fail(node, f"section '{title}' has no text", "add 'text:' or one part per subject")
    summary, summaries = _summary(fields, bool(compared), subjects)
    parts = tuple(Part(s, _markdown(fields, s.key), summaries.get(s.key, ())) for s in compared)
    if title is None:
        return None
    return Section(title, blocks, parts, summary, yaml_source.where(source.path, node))


def _row(source: Source, node: Node, subjects: tuple[Subject, ...]) -> Row | None:
    if not isinstance(node, MappingNode):
        source.fail(node, f"a table row must be a set of 'key: value' lines, not {describe(node)}")
        return None
    fields = Mapping(source, node)
    keys = [subject.key for subject in subjects]
    fields.reject_unknown(ROW_KEYS + keys)
    missing = [key for key in keys if key not in fields.entries]
    if missing:
        fields.fail(
            node,
            f"this row has {len(keys) - len(missing)} of {len(keys)} cells: "
            f"'{', '.join(missing)}' is missing",
            "every row needs one cell per subject",
        )
        return None
    label = fields.text("label", required=False)
    cells = [fields.text(key) for key in keys]
    if any(cell is None for cell in cells):
        return None
    return Row(label, tuple(c for c in cells if c), yaml_source.where(source.path, node))


def _comparison(fields: Mapping, subjects: tuple[Subject, ...]) -> Comparison | None:
    table = fields.mapping("comparison")
    if table is None:
        return None
    table.reject_unknown(COMPARISON_KEYS)
    if not subjects:
        fields.fail(table.node, "a comparison table needs 'subjects:'", "list the subjects first")
        return None
    title = table.text("title", required=False) or "At a glance"
    rows = [_row(fields.source, node, subjects) for node in table.sequence("rows")]
    columns = tuple(subject.name for subject in subjects)
    return Comparison(title, columns, tuple(row for row in rows if row is not None))


def load_course(folder: Path, max_bytes: int) -> CourseDefaults:
    """Read a folder's course.yaml, if there is one."""
    path = folder / COURSE_FILE
    if not path.is_file():
        return CourseDefaults()
    source, node = _open(path, max_bytes)
    fields = Mapping(source, node)
    fields.reject_unknown(COURSE_KEYS)
    defaults = CourseDefaults(*(fields.text(key, required=False) for key in COURSE_KEYS))
    if source.errors:
        raise ContentErrors(source.errors)
    return defaults


def _inherited(fields: Mapping, key: str, default: str | None, fallback: str | None) -> str:
    value = fields.text(key, required=False) if key in fields.entries else default or fallback
    if value is None:
        fields.fail(
            fields.node,
            f"missing required field '{key}'",
            f"add '{key}: ...' here or in {COURSE_FILE} beside the lesson",
        )
    return value or ""


def load_lesson(path: Path, defaults: CourseDefaults, max_bytes: int) -> Lesson:
    """Read and validate one lesson file; raise ContentErrors listing every problem."""
    source, node = _open(path, max_bytes)
    fields = Mapping(source, node)
    fields.reject_unknown(LESSON_KEYS)
    language = _inherited(fields, "language", defaults.language, "en")
    if language and not LANGUAGE.match(language):
        fields.fail(fields.get("language") or node, f"'{language}' is not a language code",
                    "use a code such as en, fr or pt-BR")  # fmt: skip
    subjects = _subjects(fields)
    sections = [_section(source, item, subjects) for item in fields.sequence("sections")]
    takeaways_node = fields.get("takeaways")
    lesson = Lesson(
        slug=path.stem,
        source=path,
        course=_inherited(fields, "course", defaults.course, None),
        title=fields.text("title") or "",
        subtitle=fields.text("subtitle", required=False),
        author=_inherited(fields, "author", defaults.author, None),
        language=language,
        subjects=subjects,
        introduction=_markdown(fields, "introduction"),
        sections=tuple(section for section in sections if section is not None),
        conclusion=_markdown(fields, "conclusion", required=False),
        comparison=_comparison(fields, subjects),
        takeaways=() if takeaways_node is None else _text_list(source, takeaways_node, "takeaways"),
    )
    if source.errors:
        raise ContentErrors(source.errors)
    return lesson


def load_lessons(paths: list[Path], max_bytes: int = yaml_source.MAX_BYTES) -> list[Lesson]:
    """Load every lesson; raise ContentErrors with all problems of all files at once."""
    lessons: list[Lesson] = []
    errors: list[ContentError] = []
    courses: dict[Path, CourseDefaults] = {}
    for path in paths:
        try:
            folder = path.parent
            if folder not in courses:
                courses[folder] = load_course(folder, max_bytes)
            lessons.append(load_lesson(path, courses[folder], max_bytes))
        except ContentError as error:
            errors.append(error)
        except ContentErrors as found:
            errors.extend(found.errors)
    errors.extend(_slug_collisions(lessons))
    if errors:
        raise ContentErrors(errors)
    return lessons


def _slug_collisions(lessons: list[Lesson]) -> list[ContentError]:
    seen: dict[str, Lesson] = {}
    errors = []
    for lesson in lessons:
        if lesson.slug in seen:
            errors.append(
                ContentError(
                    Location(lesson.source, 1, 1),
                    f"another lesson, {seen[lesson.slug].source}, has the same file name",
                    "rename one: output files are named after the lesson file",
                )
            )
        seen.setdefault(lesson.slug, lesson)
    return errors
