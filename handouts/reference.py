"""The documentation's reference pages, made from what they describe: the lesson format from
`lesson.definition` (as the JSON Schema is) and the command line from its parser.

docs/hooks.py puts them into the site when it is built, so they cannot drift from the code.
"""

from __future__ import annotations

import argparse
import html
import re
from collections.abc import Iterator

from .cli import parser
from .lesson.checker import RESERVED
from .lesson.definition import (
    COURSE,
    COURSE_FILE,
    LESSON,
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

USAGE_WIDTH = 90  # the usage lines' width, whatever the terminal's
_CODE = re.compile(r"(`[^`]*`)")
_MARKUP = re.compile(r"([\\*_\[\]{}!|])")


def plain(text: str) -> str:
    """`text` as Markdown that shows it as written: its `code` stays code, no other markup."""
    parts = _CODE.split(text)
    return "".join(
        part if index % 2 else _MARKUP.sub(r"\\\1", html.escape(part, quote=False))
        for index, part in enumerate(parts)
    )


def _records(record: Record, path: str = "") -> Iterator[tuple[str, Record]]:
    """`record` and every record inside it, each with its path of keys, in the file's order."""
    yield path, record
    for field in record.fields:
        shape = field.shape.item if isinstance(field.shape, ListOf) else field.shape
        if isinstance(shape, Record):
            yield from _records(shape, f"{path} {field.name}".strip())
        if isinstance(shape, OneOf):
            for kind, one in zip(shape.kinds(), shape.records, strict=True):
                yield from _records(one, f"{path} {field.name} {kind}".strip())


class _Format:
    """The lesson format's tables: one per record, its anchor the path of keys to it."""

    def __init__(self, *tops: tuple[Record, str, str]) -> None:
        self.shown: list[tuple[str, str, Record]] = []  # heading, anchor, record
        self.anchors: dict[int, str] = {}  # id(record) -> the anchor of its table
        for top, title, anchor in tops:
            for path, record in _records(top):
                if id(record) not in self.anchors:
                    self.anchors[id(record)] = path.replace(" ", "-") or anchor
                    heading = " → ".join(f"`{key}`" for key in path.split()) or title
                    self.shown.append((heading, self.anchors[id(record)], record))

    def holds(self, shape: Shape) -> str:
        """What a value of `shape` is written as."""
        if isinstance(shape, Text):
            kind = "Markdown" if shape.markdown else "inline Markdown" if shape.inline else "text"
            return kind + (", or a picture" if shape.pictures else "")
        if isinstance(shape, Flag):
            return "`true` or `false`"
        if isinstance(shape, Lines):
            return "a list of lines"
        if isinstance(shape, Number):
            most = f" up to {shape.most}" if shape.most else ""
            return f"a whole number from 1{most}" if shape.whole else "a number above 0"
        if isinstance(shape, OneOf):
            return "one of: " + ", ".join(
                f"[`{kind}` ...](#{self.anchors[id(one)]})"
                for kind, one in zip(shape.kinds(), shape.records, strict=True)
            )
        if isinstance(shape, ListOf):
            return "a list of items, each " + self.holds(shape.item)
        if isinstance(shape, Subjects):
            return (
                f"`key: Name` lines; a key matches `{SUBJECT_KEY_PATTERN}` and is none of "
                + ", ".join(f"`{name}`" for name in RESERVED)
            )
        if isinstance(shape, ListOrPerSubject):
            return "a list of lines, or a list of lines under each subject key"
        if isinstance(shape, TextOrLines):
            return f"{self.holds(shape.text)}, or a list of lines"
        return f"[keys of its own](#{self.anchors[id(shape)]})"

    def table(self, record: Record) -> list[str]:
        """`record`'s keys, then the subject keys it allows, with what each holds."""
        rows = ["| key | required | holds | what it is for |", "|---|---|---|---|"]
        keys = [(f"`{field.name}`", field.required, field.shape) for field in record.fields]
        if record.per_subject is not None:
            keys.append(("*a subject key*", False, record.per_subject))
        for key, required, shape in keys:
            needed = "yes" if required else "no"
            rows.append(f"| {key} | {needed} | {self.holds(shape)} | {plain(shape.description)} |")
        return rows

    def markdown(self) -> str:
        """Every record shown: its heading, what it is, its table."""
        lines: list[str] = []
        for heading, anchor, record in self.shown:
            lines += [f"## {heading} {{#{anchor}}}", "", plain(record.description), ""]
            lines += [*self.table(record), ""]
        return "\n".join(lines)


def lesson_format() -> str:
    """The lesson format as Markdown: a table for a lesson, for each record inside it and for
    course.yaml, every key with what it holds and its description from the definition."""
    return _Format(
        (LESSON, "A lesson", "lesson"), (COURSE, f"`{COURSE_FILE}`", "course")
    ).markdown()


def _usage(command: argparse.ArgumentParser) -> list[str]:
    """`command`'s usage as a block of text, as wide on every machine."""
    formatter = argparse.HelpFormatter(command.prog, width=USAGE_WIDTH)
    formatter.add_usage(command.usage, command._actions, command._mutually_exclusive_groups)
    return ["```text", formatter.format_help().strip(), "```", ""]


def _options(command: argparse.ArgumentParser) -> list[str]:
    """A table of what `command` takes, as its --help gives it."""
    formatter = command._get_formatter()
    rows = [
        f"| `{formatter._format_action_invocation(action)}` | {plain(action.help or '')} |"
        for action in command._actions
        if action.help != argparse.SUPPRESS
        and not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    ]
    return ["| option | what it does |", "|---|---|", *rows] if rows else []


def command_line(prog: str = "build.py") -> str:
    """The command line as Markdown, from its parser: the usage, the options every verb
    takes, each verb with its options, and the examples."""
    cli = parser(prog)
    lines = _usage(cli)
    lines += [plain(" ".join((cli.description or "").split()) % {"prog": prog}), ""]
    lines += ["## Options before the verb {#options}", "", *_options(cli), ""]
    verbs = next(a for a in cli._actions if isinstance(a, argparse._SubParsersAction))
    for chosen in verbs._choices_actions:
        verb = verbs.choices[chosen.dest]
        verb.prog = f"{prog} {chosen.dest}"  # its usage without the top level's
        lines += [f"## `{chosen.dest}` {{#{chosen.dest}}}", "", plain(chosen.help or ""), ""]
        lines += [*_usage(verb), *_options(verb), ""]
    lines += ["## Examples {#examples}", "", "```text", *(cli.epilog or "").splitlines()[1:]]
    return "\n".join([*lines, "```"])
