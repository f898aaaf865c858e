"""Limits on what one lesson may ask of a build, checked as it is loaded, in one pass.

A word the line breaker cannot break, a table of thousands of rows or a letter under
thousands of accents each cost the layout time that grows faster than the text: a lesson
past a limit is an error at the place, before anything is laid out.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import ContentError, Location

MAX_WORD = 100  # letters and digits in a row, with nothing a line may break at
MAX_ROWS = 500  # rows of a comparison table (each of a lesson's)
MAX_MARKS = 8  # combining marks (accents, vowel signs) on one letter


def past_limits(path: Path, lines: list[str], node: Node | None) -> list[ContentError]:
    """The first place past each limit in a lesson file (its `lines`, its YAML `node`)."""
    found: dict[str, ContentError] = {}
    for number, line in enumerate(lines, start=1):
        if line.isascii() and len(line) <= MAX_WORD:
            continue  # neither a long word nor a combining mark can be in it
        for kind, column in _line_problems(line):
            if kind not in found:
                found[kind] = _problem(kind, Location(path, number, column))
    for rows in _tables_rows(node):
        if len(rows.value) > MAX_ROWS and "rows" not in found:
            mark = rows.value[MAX_ROWS].start_mark
            found["rows"] = _problem("rows", Location(path, mark.line + 1, mark.column + 1))
    return list(found.values())


def _line_problems(line: str) -> list[tuple[str, int]]:
    """Where a line has a word too long and a letter with too many marks (0-based index + 1).
    Link targets (`](...)`, `<...>`) are skipped: they are not printed as words."""
    problems: list[tuple[str, int]] = []
    word = letters = marks = base = 0
    closing = ""  # the character that ends the link target being skipped
    for index, character in enumerate(line):
        if closing:
            closing = "" if character == closing else closing
            continue
        kind = unicodedata.category(character)[0]
        if kind == "M":
            marks += 1
            if marks == MAX_MARKS + 1:
                problems.append(("marks", base + 1))
            continue
        base, marks = index, 0
        if kind in "LN":
            word = index if letters == 0 else word
            letters += 1
            if letters == MAX_WORD + 1:
                problems.append(("word", word + 1))
            continue
        letters = 0
        if character == "<" or (character == "(" and line[index - 1 : index] == "]"):
            closing = ">" if character == "<" else ")"
    return problems


def _tables_rows(lesson: Node | None) -> list[SequenceNode]:
    """The `rows:` of each section's `table:` and of the lesson's `comparison:`, those
    written as lists."""
    sections = _value(lesson, "sections")
    tables = [_value(section, "table") for section in _items(sections)]
    tables.append(_value(lesson, "comparison"))
    return [rows for table in tables if isinstance(rows := _value(table, "rows"), SequenceNode)]


def _value(node: Node | None, name: str) -> Node | None:
    """The value of `name` in a mapping node (None if it is not one, or has no `name`)."""
    if not isinstance(node, MappingNode):
        return None
    return next((value for key, value in node.value if key.value == name), None)


def _items(node: Node | None) -> list[Node]:
    """The items of a list node (none if it is not one)."""
    return list(node.value) if isinstance(node, SequenceNode) else []


def _problem(kind: str, where: Location) -> ContentError:
    """The error for a place past the limit of `kind`."""
    message, hint = {
        "word": (
            f"a word of more than {MAX_WORD} letters with no place to break the line",
            "add spaces or hyphens: a line cannot be broken inside a word",
        ),
        "marks": (
            f"a letter with more than {MAX_MARKS} combining marks",
            "delete the extra accents or vowel signs",
        ),
        "rows": (
            f"the comparison has more than {MAX_ROWS} rows",
            "split it into several lessons or leave rows out",
        ),
    }[kind]
    return ContentError(where, message, hint)
