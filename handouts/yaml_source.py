"""Read a YAML file into nodes that remember where they stand, refusing what hides mistakes."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ContentError, Location

MAX_BYTES = 1_000_000
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so one line can never expand into millions."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed in lessons",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def where(path: Path, node: Node) -> Location:
    """The location of a node in its file."""
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            Location(path, line, column),
            "the file is not UTF-8 text",
            "save it as UTF-8 in your editor",
        ) from None


_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("anchors and aliases", "write the text out where it is needed"),
    ("mapping values are not allowed", "text containing ': ' must be put in quotes"),
    ("could not find expected ':'", "check the indentation and the ':' after each key"),
)


def _syntax_error(path: Path, error: yaml.MarkedYAMLError) -> ContentError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    hint = next((hint for clue, hint in _HINTS if clue in problem), "")
    return ContentError(Location(path, line, column), problem, hint)


def load(path: Path, data: bytes, max_bytes: int = MAX_BYTES) -> MappingNode:
    """Parse a YAML file into a mapping node, or raise a located ContentError."""
    if len(data) > max_bytes:
        raise ContentError(
            Location(path, 1, 1),
            f"the file is {len(data):,} bytes, over the limit of {max_bytes:,}",
            "split the lesson, or raise the limit with --max-bytes",
        )
    text = _decode(path, data)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(path, error) from None
    if node is None:
        raise ContentError(Location(path, 1, 1), "the file is empty", "start with 'title:'")
    if not isinstance(node, MappingNode):
        raise ContentError(where(path, node), "the top level must be a set of 'key: value' lines")
    return node


def suggestion(word: str, choices: list[str]) -> str:
    """A did-you-mean hint for a misspelt key, or an empty string."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{c}'" for c in choices)


def describe(node: Node) -> str:
    """Say in plain words what kind of value a node holds."""
    if isinstance(node, MappingNode):
        return "a set of 'key: value' lines"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    if node.tag == STR_TAG:
        return "text"
    return f"the {node.tag.rsplit(':', 1)[-1]} {node.value}"


@dataclass
class Source:
    """A content file being read: its path, its lines and the errors found so far."""

    path: Path
    lines: list[str]
    errors: list[ContentError] = field(default_factory=list)

    def fail(self, node: Node, message: str, hint: str = "") -> None:
        """Record an error at a node."""
        self.errors.append(ContentError(where(self.path, node), message, hint))

    def fail_in_text(self, node: Node, text_line: int, message: str) -> None:
        """Record an error on line `text_line` (from 0) of a text value, at its first word."""
        if getattr(node, "style", None) not in ("|", ">"):
            self.fail(node, message)
            return
        line = node.start_mark.line + 2 + text_line  # block text starts under its '|'
        shown = self.lines[line - 1] if line <= len(self.lines) else ""
        column = len(shown) - len(shown.lstrip()) + 1
        self.errors.append(ContentError(Location(self.path, line, column), message))

    def text(self, node: Node, what: str) -> str | None:
        """The text of a scalar node, or None after reporting what is wrong with it."""
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            self.fail(node, f"'{what}' must be text, not {describe(node)}")
            return None
        if node.tag != STR_TAG:
            self.fail(
                node,
                f"'{what}' must be text, not {describe(node)}",
                f'put it in quotes: "{node.value}"',
            )
            return None
        if not node.value.strip():
            self.fail(node, f"'{what}' is empty", "write the text, or remove the key")
            return None
        return node.value


class Mapping:
    """A YAML mapping read key by key; errors go to a shared list instead of stopping."""

    def __init__(self, source: Source, node: MappingNode) -> None:
        self.source = source
        self.node = node
        self.entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag != STR_TAG:
                if key.tag == MERGE_TAG:
                    source.fail(
                        key,
                        "merge keys (<<) are not allowed in lessons",
                        "write the keys out where they are needed",
                    )
                else:
                    source.fail(key, "keys must be plain words", "write 'name: value'")
                continue
            if key.value in self.entries:
                first = self.entries[key.value][0].start_mark.line + 1
                source.fail(
                    key, f"duplicate key '{key.value}'", f"it is already set on line {first}"
                )
                continue
            self.entries[key.value] = (key, value)

    def get(self, key: str) -> Node | None:
        """The value node of a key, or None when the key is absent."""
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def unknown(self, allowed: list[str]) -> Iterator[tuple[ScalarNode, Node]]:
        """Key and value nodes of the keys not in `allowed`."""
        for name, (key, value) in self.entries.items():
            if name not in allowed:
                yield key, value
