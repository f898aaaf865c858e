"""Read a YAML file into nodes that remember where they stand, refusing what hides mistakes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import ContentError, Location
from .files import MAX_BYTES, too_big

MAX_DEPTH = 20
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so one line can never expand into millions."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            # The stubs leave Parser.peek_event unannotated: it returns the next Event.
            event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark  # this pure-Python parser's marks are all yaml.Mark
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed in lessons",
                problem_mark=mark if isinstance(mark, yaml.Mark) else None,
            )
        # The stubs say `index: int`; PyYAML passes a mapping value's key node, or None, too.
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _shares_nodes(node: Node) -> bool:
    """True when a node is reached twice: the mark of an alias (*name) in the YAML."""
    seen: set[int] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            return True
        seen.add(id(current))
        if isinstance(current, MappingNode):
            pending += [part for pair in current.value for part in pair]
        elif isinstance(current, SequenceNode):
            pending += current.value
    return False


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first passes MAX_DEPTH (line and column, from 1), read from the event
    stream (which does not recurse), so that composing, which does, never overflows its
    stack."""
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports it, with its place
    return None


def _compose_fast(text: str) -> Node | None:
    """Compose with libyaml (about ten times faster), or None to let the Python loader,
    whose messages we explain, do it: on any error, any alias, or without libyaml."""
    if not yaml.__with_libyaml__:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    return None if node is None or _shares_nodes(node) else node


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


QUOTE_IT = "put the whole text in quotes"


@dataclass(frozen=True)
class _Rule:
    """How to say one of PyYAML's syntax errors in a teacher's words."""

    clue: str  # found in PyYAML's problem and context
    message: str
    hint: str
    at_context: bool = False  # point where the construct starts, not where it failed


_RULES = (
    _Rule("'\\t'", "a tab is used for indentation", "indent with spaces, not tabs"),
    _Rule(
        "aliases (*name) are not allowed",
        "anchors and aliases (*name) are not allowed in lessons",
        "write the text out where it is needed",
    ),
    _Rule(
        "unknown escape character",
        'a backslash in "double-quoted" text starts an escape such as \\n, and this one is not one',
        "write LaTeX and other backslashes in 'single quotes', or without quotes",
    ),
    _Rule(
        "quoted scalar",
        "this quoted text has no closing quote",
        "end it with the same quote mark it starts with",
        at_context=True,
    ),
    _Rule(
        "scanning an alias",
        "text cannot start with '*' unless it is quoted",
        QUOTE_IT,
        at_context=True,
    ),
    _Rule(
        "scanning an anchor",
        "text cannot start with '&' unless it is quoted",
        QUOTE_IT,
        at_context=True,
    ),
    _Rule(
        "cannot start any token",
        "text cannot start with this character unless it is quoted",
        QUOTE_IT,
    ),
    _Rule(
        "could not find expected ':'",
        "this line has no ':' after its key",
        "write 'key: value'; if it belongs to the text above, indent it like that text",
        at_context=True,
    ),
    _Rule(
        "parsing a flow sequence",
        "a '[' here opens a list that is never closed",
        "put text that starts with '[' in quotes",
        at_context=True,
    ),
    _Rule(
        "found '-'",
        "this '- ' item does not line up with a list",
        "line list items up under their key, or put text starting with '-' in quotes",
    ),
    _Rule(
        "found '?'",
        "this line is not part of the list above it",
        "start a new list item with '- ', or line it up with the lines above",
    ),
    _Rule(
        "found '<block",
        "this line's indentation does not match the lines above it",
        "line it up, with spaces, with the other keys or items at its level",
    ),
    _Rule(
        "found '<scalar>'",
        "this text does not fit where it stands",
        "check its indentation; text that starts with a quote or a bracket must be quoted whole",
    ),
    _Rule(
        "mapping values are not allowed",
        "a ': ' here would start a new key",
        "put text containing ': ' in quotes; a key needs a space after its ':'",
    ),
)


_KEY_WITHOUT_SPACE = re.compile(r"^\s*(- )?[A-Za-z_][\w-]*:(?=[^\s/])")


def _key_without_space(path: Path, lines: list[str], line: int) -> ContentError | None:
    """A `key:value` with no space on the lines just above `line` (from 1), if there is one."""
    for number in range(line - 1, max(line - 4, 0), -1):
        found = _KEY_WITHOUT_SPACE.match(lines[number - 1])
        if found:
            return ContentError(
                Location(path, number, found.end() + 1),
                "this key needs a space after its ':'",
                "write 'key: value'",
            )
    return None


def _syntax_error(path: Path, text: str, error: yaml.MarkedYAMLError) -> ContentError:
    said = f"{error.problem} {error.context}"
    if "mapping values" in said and error.problem_mark:
        lines = text.splitlines()
        found = _key_without_space(path, lines, error.problem_mark.line + 1)
        if found:
            return found
    rule = next((rule for rule in _RULES if rule.clue in said), None)
    mark = (error.context_mark if rule and rule.at_context else None) or error.problem_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if rule is None:
        return ContentError(Location(path, line, column), error.problem or "invalid YAML")
    return ContentError(Location(path, line, column), rule.message, rule.hint)


def _place(path: Path, text: str, position: int) -> Location:
    """Where a character of the text is, as an editor counts lines (at "\n" only)."""
    before = text[:position]
    return Location(path, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)


def _control_character(path: Path, text: str, position: int, character: int) -> ContentError:
    return ContentError(
        _place(path, text, position),
        f"the file holds an invisible control character (U+{character:04X})",
        "delete it: it often comes with text pasted from elsewhere",
    )


# Line breaks to YAML but not to most editors: every line number after one would be off.
_LINE_SEPARATOR = re.compile("[\x85\u2028\u2029]")


def _line_separator(path: Path, text: str, position: int) -> ContentError:
    return ContentError(
        _place(path, text, position),
        f"the file holds the line separator U+{ord(text[position]):04X}, which YAML takes "
        "for a line break but most editors do not show",
        "delete it, or put a normal line break there: it often comes with pasted text",
    )


def load(path: Path, data: bytes, max_bytes: int = MAX_BYTES) -> MappingNode:
    """Parse a YAML file into a mapping node, or raise a located ContentError."""
    if len(data) > max_bytes:
        raise too_big(path, len(data), max_bytes)
    text = _decode(path, data)
    if separator := _LINE_SEPARATOR.search(text):
        raise _line_separator(path, text, separator.start())
    deep = _too_deep(text)
    if deep is not None:
        raise ContentError(
            Location(path, *deep),
            f"lists and sets are nested more than {MAX_DEPTH} levels deep here",
            "a lesson needs only a few levels; check the brackets and indentation",
        )
    try:
        node = _compose_fast(text) or yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(path, text, error) from None
    except yaml.reader.ReaderError as error:
        raise _control_character(path, text, error.position, error.character) from None
    if node is None:
        raise ContentError(Location(path, 1, 1), "the file is empty", "start with 'title:'")
    if not isinstance(node, MappingNode):
        raise ContentError(where(path, node), "the top level must be a set of 'key: value' lines")
    return node


def closest(word: str, choices: list[str]) -> str | None:
    """The choice a misspelt word most likely stands for, if any is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: str, choices: list[str]) -> str:
    """A did-you-mean hint for a misspelt key."""
    meant = closest(word, choices)
    if meant:
        return f"did you mean '{meant}'?"
    if not choices:
        return "remove it: nothing else belongs here"
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
    kind = node.tag.rsplit(":", 1)[-1]
    words = {"int": "number", "float": "number", "bool": "yes/no value", "timestamp": "date"}
    return f"the {words.get(kind, kind)} {node.value}"


# What only an escape in double quotes can put in a text (a file holding them is refused).
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class Source:
    """A content file being read: its path, its lines and the errors found so far."""

    path: Path
    lines: list[str]
    errors: list[ContentError] = field(default_factory=list)
    texts: list[tuple[ScalarNode, str]] = field(default_factory=list)  # every text value read

    def fail(self, node: Node, message: str, hint: str = "") -> None:
        """Record an error at a node."""
        self.errors.append(ContentError(where(self.path, node), message, hint))

    def fail_in_text(
        self, node: Node, text_line: int, message: str, hint: str = "", column: int | None = None
    ) -> None:
        """Record an error on line `text_line` (from 0) of a text value, at `column` (from 0)
        of that line when given and known in the file, else at its first word.

        Only literal `|` text keeps its lines; in folded or plain text the error is put
        on the text's first line (or, in one-line text, at its column).
        """
        style = getattr(node, "style", None)
        if style not in ("|", ">"):
            if column is None or node.start_mark.line != node.end_mark.line:
                self.fail(node, message, hint)
                return
            quoted = 1 if style in ('"', "'") else 0
            place = Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)
            place = Location(place.path, place.line, place.column + quoted + column)
            self.errors.append(ContentError(place, message, hint))
            return
        first = node.start_mark.line + 1  # the block's first line, from 0
        folded = text_line // 2  # see `markdown_text`: each break of the value was doubled
        offset = text_line if style == "|" else self._folded(first, node.end_mark.line, folded)
        line = first + 1 + offset
        shown = self.lines[line - 1] if line <= len(self.lines) else ""
        at = len(shown) - len(shown.lstrip())  # the first word
        if style == "|" and column is not None:  # the text's lines start at the block's indent
            block = [text for text in self.lines[first : node.end_mark.line + 1] if text.strip()]
            at = (len(block[0]) - len(block[0].lstrip()) if block else 0) + column
        self.errors.append(ContentError(Location(self.path, line, at + 1), message, hint))

    @staticmethod
    def markdown_text(node: Node, text: str) -> str:
        """A text value as Markdown reads it. In a folded (`>`) block, each line break of
        the value stands for a blank line of the file: doubled, paragraphs stay paragraphs."""
        return text.replace("\n", "\n\n") if getattr(node, "style", None) == ">" else text

    def _folded(self, first: int, end: int, text_line: int) -> int:
        """Which line of a folded (`>`) block, from its first, gives line `text_line` of its
        text: each run of lines folds into one, and n blank lines after it into n breaks."""
        lines = self.lines[first : end + 1]
        index, reached = 0, 0
        while index < len(lines) and not lines[index].strip():
            index += 1
        while index < len(lines) and reached < text_line:
            while index < len(lines) and lines[index].strip():
                index += 1
            blanks = index
            while index < len(lines) and not lines[index].strip():
                index += 1
            reached += index - blanks
        return min(index, max(len(lines) - 1, 0))

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
        if control := _ESCAPED_CONTROL.search(node.value):
            self.fail(
                node,
                f"'{what}' holds the control character U+{ord(control.group()):04X}, made by a "
                'backslash in "double quotes" (\\f, \\b, \\a, \\v, \\e ...)',
                "write LaTeX and other backslashes in 'single quotes', or without quotes",
            )
            return None
        text: str = node.value
        self.texts.append((node, text))
        return text

    def spelled(self, node: Node, spelling: re.Pattern[str]) -> list[Location]:
        """Where `spelling` is written in the value of `node`, in the order of the file."""
        start, end = node.start_mark, node.end_mark
        found = []
        for number in range(start.line, min(end.line + 1, len(self.lines))):
            line = self.lines[number]
            first = start.column if number == start.line else 0
            last = end.column if number == end.line else len(line)
            found += [
                Location(self.path, number + 1, match.start() + 1)
                for match in spelling.finditer(line, first, last)
            ]
        return found


class Mapping:
    """A YAML mapping read key by key; errors go to a shared list instead of stopping."""

    def __init__(self, source: Source, node: MappingNode) -> None:
        self.source = source
        self.node = node
        self.entries: dict[str, tuple[ScalarNode, Node]] = {}
        self.refused = False  # a key was refused: other findings would only repeat it
        for key, value in node.value:
            plain_word = isinstance(key, ScalarNode) and not key.style and key.tag != MERGE_TAG
            if plain_word:  # `on:`, `yes:` or `2024:` is the word as typed, as editors read it
                key = ScalarNode(STR_TAG, key.value, key.start_mark, key.end_mark)
            if not isinstance(key, ScalarNode) or key.tag != STR_TAG:
                self.refused = True
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
