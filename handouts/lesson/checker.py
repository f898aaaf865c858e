"""Check YAML nodes against the lesson format; every problem is recorded with its location."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .definition import (
    ROW,
    SECTION,
    SUBJECT_KEY_PATTERN,
    Flag,
    Lines,
    ListOf,
    ListOrPerSubject,
    Number,
    OneOf,
    Record,
    Shape,
    Subjects,
    Text,
    TextOrLines,
)
from .markdown import FigureCheck, MarkupProblems, check_formulas, check_inline
from .yaml_source import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    Mapping,
    Source,
    closest,
    describe,
    suggestion,
)

RESERVED = (*SECTION.names(), *ROW.names())  # keys that cannot name a subject


def _number_of(node: Node) -> float | None:
    """The finite number a scalar node holds (YAML's int or float), else None."""
    if not isinstance(node, ScalarNode) or node.tag not in (INT_TAG, FLOAT_TAG):
        return None
    number = yaml.safe_load(node.value)
    return float(number) if isinstance(number, int | float) and math.isfinite(number) else None


@dataclass
class Entry:
    """A checked record: its values by key, the nodes they came from, and per-subject parts."""

    node: MappingNode
    values: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """The checked value of a key, or `default` when absent or invalid."""
        return self.values.get(name, default)


class Checker:
    """Walks one file's nodes by the format; learns the subject keys as it reads them."""

    def __init__(self, source: Source, pictures: FigureCheck | None = None) -> None:
        self.source = source
        self.pictures = pictures  # checks the files of pictures in table cells
        self.subject_keys: list[str] = []
        self.refused_keys: list[str] = []  # reported once where subjects are named

    def check(self, node: Node, shape: Shape, what: str) -> Any:
        """The checked value of `node`, or None after recording what is wrong."""
        if isinstance(shape, Text):
            return self._text(node, shape, what)
        if isinstance(shape, Flag):
            return self._flag(node, what)
        if isinstance(shape, Lines):
            return self._lines(node, what)
        if isinstance(shape, Number):
            return self._number(node, shape, what)
        if isinstance(shape, OneOf):
            return self._one_of(node, shape, what)
        if isinstance(shape, ListOf):
            return self._list(node, shape, what)
        if isinstance(shape, Subjects):
            return self._subjects(node, shape, what)
        if isinstance(shape, ListOrPerSubject):
            if isinstance(node, MappingNode):
                return self._record(node, Record(shape.description, (), shape.lines), what)
            return self._lines(node, what)
        if isinstance(shape, TextOrLines):
            if isinstance(node, SequenceNode):
                return self._lines(node, what)
            return self._text(node, shape.text, what)
        return self._record(node, shape, what)

    def _text(self, node: Node, shape: Text, what: str) -> str | None:
        text = self.source.text(node, what)
        if text is not None and shape.pattern and not re.fullmatch(shape.pattern, text):
            hint = shape.suggest(text) if shape.suggest else shape.pattern_hint
            self.source.fail(node, f"'{text}' is not a valid {what}", hint)
            return None
        if shape.inline:
            return self._inline(node, text, self.pictures if shape.pictures else None)
        if shape.formulas and not shape.markdown and not shape.pattern:
            return self._inline(node, text, check=lambda text, _: check_formulas(text))
        return text

    def _inline(
        self,
        node: Node,
        text: str | None,
        pictures: FigureCheck | None = None,
        check: Callable[[str, FigureCheck | None], None] = check_inline,
    ) -> str | None:
        """Inline Markdown whose links, formulas and pictures pass the checks (`check`),
        or None."""
        if text is None:
            return None
        try:
            check(text, pictures)
        except MarkupProblems as found:
            for problem in found.problems:
                self.source.fail_in_text(
                    node, problem.line, str(problem), problem.hint, problem.column
                )
            return None
        return text

    def _flag(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
            return node.value.lower() in ("true", "yes", "on")
        self.source.fail(node, f"'{what}' must be true or false, not {describe(node)}")
        return None

    def _number(self, node: Node, shape: Number, what: str) -> float | None:
        """A positive number (a whole one, up to `shape.most`, as the shape asks)."""
        number = _number_of(node)
        ok = number is not None and number > 0 and (not shape.whole or number == int(number))
        if number is not None and ok and (shape.most is None or number <= shape.most):
            return int(number) if shape.whole else number
        if shape.whole:
            most = f" from 1 to {shape.most}" if shape.most else ""
            self.source.fail(
                node,
                f"'{what}' must be a whole number{most}, not {describe(node)}",
                f"write e.g. '{what}: 2'",
            )
        else:
            self.source.fail(
                node,
                f"'{what}' must be a positive number, not {describe(node)}",
                f"write a number above 0, e.g. '{what}: 2' or '{what}: 0.5'",
            )
        return None

    def _one_of(self, node: Node, shape: OneOf, what: str) -> Entry | None:
        """The record of `shape` whose first key the mapping has: exactly one of them."""
        if not isinstance(node, MappingNode):
            return self._record(node, shape.records[0], what)  # reports what it is instead
        keys = [key.value for key, _ in node.value if isinstance(key, ScalarNode)]
        kinds = shape.kinds()
        found = [key for key in keys if key in kinds]
        if len(found) == 1:
            return self._record(node, shape.records[kinds.index(found[0])], what)
        if found:
            self.source.fail(
                node,
                f"this {shape.called} has two kinds, '{found[0]}' and '{found[1]}'",
                f"make it two {shape.called}s, each with one of them",
            )
            return None
        meant = [key for key in keys if closest(key, kinds)]
        self.source.fail(
            node,
            f"this {shape.called} has none of the keys that say its kind",
            suggestion(meant[0], kinds) if meant else suggestion("", kinds),
        )
        return None

    def _lines(self, node: Node, what: str) -> tuple[str, ...] | None:
        if isinstance(node, SequenceNode) and not node.value:
            self.source.fail(node, f"'{what}' is an empty list", "add lines, or remove the key")
            return None
        if not isinstance(node, SequenceNode):
            self.source.fail(
                node,
                f"'{what}' must be a list of lines, not {describe(node)}",
                "start each line with '- '",
            )
            return None
        texts = [self._inline(item, self.source.text(item, what)) for item in node.value]
        return tuple(text for text in texts if text is not None)

    def _list(self, node: Node, shape: ListOf, what: str) -> list[Any]:
        if not isinstance(node, SequenceNode):
            self.source.fail(
                node, f"'{what}' must be a list, not {describe(node)}", "start each item with '- '"
            )
            return []
        if not node.value:
            self.source.fail(node, f"'{what}' is an empty list")
        items = [self.check(item, shape.item, what) for item in node.value]
        return [item for item in items if item is not None]

    def _mapping(self, node: Node, what: str) -> Mapping | None:
        if not isinstance(node, MappingNode):
            self.source.fail(
                node, f"'{what}' must be a set of 'key: value' lines, not {describe(node)}"
            )
            return None
        return Mapping(self.source, node)

    def _subjects(self, node: Node, shape: Subjects, what: str) -> dict[str, str] | None:
        mapping = self._mapping(node, what)
        if mapping is None:
            return None
        names: dict[str, str] = {}
        for key, value in mapping.entries.values():
            if not re.match(SUBJECT_KEY_PATTERN, key.value) or key.value in RESERVED:
                self.source.fail(
                    key,
                    f"'{key.value}' cannot name a subject",
                    "use a short lowercase word other than " + ", ".join(RESERVED),
                )
                self.refused_keys.append(key.value)
                continue
            name = self._text(value, shape.name, f"{what}: {key.value}")
            if name is not None:
                names[key.value] = name
        if not mapping.entries:
            self.source.fail(node, f"'{what}' is empty", "add 'key: Name' lines, or remove it")
        self.subject_keys = list(names)
        return names

    def _record(self, node: Node, shape: Record, what: str) -> Entry | None:
        mapping = self._mapping(node, what)
        if mapping is None:
            return None
        allowed = shape.names() + (self.subject_keys if shape.per_subject else [])
        meant = set()  # keys a misspelling stands for: not reported missing as well
        for key, _ in mapping.unknown(allowed + self.refused_keys):
            meant.add(closest(key.value, allowed))
            self.source.fail(key, f"unknown key '{key.value}'", suggestion(key.value, allowed))
        entry = Entry(mapping.node)
        for spec in shape.fields:
            value_node = mapping.get(spec.name)
            if value_node is None:
                if spec.required and spec.name not in meant and not mapping.refused:
                    said = f"missing required field '{spec.name}'", f"add '{spec.name}: ...'"
                    self.source.fail(node, *(spec.when_missing or said))
                continue
            entry.nodes[spec.name] = value_node
            value = self.check(value_node, spec.shape, spec.name)
            if value is not None:
                entry.values[spec.name] = value
        if shape.per_subject:
            for subject in self.subject_keys:
                value_node = mapping.get(subject)
                if value_node is not None:
                    entry.nodes[subject] = value_node
                    entry.parts[subject] = self.check(value_node, shape.per_subject, subject)
        return entry
