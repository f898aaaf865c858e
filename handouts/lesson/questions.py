"""The lesson's quiz questions, validated into their records: the rules that span a
question's fields (the right choices are among the choices, no two choices alike, a blank
is in its sentence) are checked here, each mistake located."""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node, SequenceNode

from . import yaml_source
from .checker import Entry
from .definition import QUESTION
from .model import (
    LETTERS,
    Block,
    Choice,
    FillIn,
    Matching,
    MultipleChoice,
    Question,
    Quiz,
    ShortAnswer,
    TrueOrFalse,
)
from .yaml_source import Source, suggestion

Blocks = Callable[[Node | None, str | None], tuple[Block, ...]]  # checked Markdown as blocks


def _same(text: str) -> str:
    """A text as compared with another: case and surrounding spaces do not count."""
    return " ".join(text.split()).casefold()


def _items(entry: Entry, name: str) -> list[tuple[Node, str]]:
    """The lines of a list field with their nodes (none when any line is wrong)."""
    node, texts = entry.nodes.get(name), entry.get(name, ())
    if not isinstance(node, SequenceNode) or len(node.value) != len(texts):
        return []
    return list(zip(node.value, texts, strict=True))


def _unique(source: Source, items: list[tuple[Node, str]], what: str) -> bool:
    """Whether no two of `items` are alike; each one written again is an error at it."""
    seen: dict[str, int] = {}
    for number, (node, text) in enumerate(items, start=1):
        if _same(text) in seen:
            source.fail(
                node,
                f"the {what} '{text}' is written twice",
                f"it is {what} {seen[_same(text)]} already: make each {what} different",
            )
        seen.setdefault(_same(text), number)
    return len(seen) == len(items)


def _choices(source: Source, entry: Entry) -> tuple[Choice, ...]:
    """A multiple-choice question's choices, the right ones marked; () after a mistake."""
    choices, correct = _items(entry, "choices"), _items(entry, "correct")
    if not choices or not correct:
        return ()
    if len(choices) < 2:
        source.fail(
            entry.nodes["choices"],
            "a multiple-choice question needs two choices or more",
            "add the wrong choices to pick from",
        )
        return ()
    texts = [_same(text) for _, text in choices]
    unknown = [(node, text) for node, text in correct if _same(text) not in texts]
    for node, text in unknown:
        source.fail(
            node,
            f"'correct' names '{text}', which is not one of the choices",
            suggestion(text, list(dict.fromkeys(text for _, text in choices))),
        )
    if not _unique(source, choices, "choice") or unknown:
        return ()
    right = {_same(text) for _, text in correct}
    return tuple(Choice(text, _same(text) in right) for _, text in choices)


def _pieces(source: Source, entry: Entry) -> tuple[str, ...]:
    """A sentence cut around its blanks (text, blank, text, ...); () after a mistake."""
    sentence: str = entry.get("fill_in", "")
    blanks = _items(entry, "blanks")
    if not sentence or not blanks:
        return ()
    places: list[tuple[int, int]] = []
    for node, blank in blanks:
        start = sentence.find(blank)
        taken = any(start < end and begin < start + len(blank) for begin, end in places)
        if start < 0 or taken:
            source.fail(
                node,
                f"the blank '{blank}' is not in the sentence"
                + (" apart from the other blanks" if taken else ""),
                "write each blank as the sentence writes it, letter for letter",
            )
            return ()
        places.append((start, start + len(blank)))
    pieces, cut = [], 0
    for begin, end in sorted(places):
        pieces += [sentence[cut:begin], sentence[begin:end]]
        cut = end
    return (*pieces, sentence[cut:])


def _pairs(source: Source, entry: Entry) -> tuple[tuple[str, str], ...]:
    """A matching question's pairs; () after a mistake."""
    pairs: list[Entry] = entry.get("pairs", [])
    if len(pairs) == 1 or len(pairs) > len(LETTERS):
        source.fail(
            entry.nodes["pairs"],
            f"a matching question needs from 2 to {len(LETTERS)} pairs, not {len(pairs)}",
            "its answers are lettered A to Z",
        )
    complete = [pair for pair in pairs if "prompt" in pair.values and "answer" in pair.values]
    if len(pairs) < 2 or len(complete) != len(pairs):
        return ()
    answers = [(pair.nodes["answer"], pair.values["answer"]) for pair in pairs]
    if not _unique(source, answers, "answer"):
        return ()
    return tuple((pair.values["prompt"], pair.values["answer"]) for pair in pairs)


def _question(source: Source, entry: Entry, blocks: Blocks) -> Question | None:
    """One question's record, or None after its mistakes are reported."""
    kind = next(key for key in QUESTION.kinds() if key in entry.nodes)
    stem = blocks(entry.nodes.get(kind), entry.get(kind)) if kind != "fill_in" else ()
    common = (
        stem,
        float(entry.get("points", 1)),
        blocks(entry.nodes.get("explain"), entry.get("explain")),
        yaml_source.where(source.path, entry.node),
    )
    if kind == "choose":
        choices = _choices(source, entry)
        return MultipleChoice(*common, choices=choices) if choices and stem else None
    if kind == "true_or_false":
        answer = entry.get("answer")
        return TrueOrFalse(*common, answer=answer) if answer is not None and stem else None
    if kind == "short":
        accepted = entry.get("accept", ())
        return ShortAnswer(*common, accepted=accepted) if accepted and stem else None
    if kind == "match":
        pairs = _pairs(source, entry)
        return Matching(*common, pairs=pairs) if pairs and stem else None
    pieces = _pieces(source, entry)
    return FillIn(*common, pieces=pieces) if pieces else None


def questions(source: Source, entries: list[Entry], blocks: Blocks) -> tuple[Question, ...]:
    """The lesson's questions, in its order (those with mistakes left out, reported)."""
    found = [_question(source, entry, blocks) for entry in entries]
    return tuple(question for question in found if question is not None)


def quiz(source: Source, entry: Entry | None, tables: int) -> Quiz:
    """The lesson's `quiz:` settings; questions from the tables need a table."""
    if entry is None:
        return Quiz()
    from_table: int = entry.get("from_table", 0)
    if from_table and not tables:
        source.fail(
            entry.nodes["from_table"],
            "'from_table' needs a comparison table to make questions from",
            "add 'comparison:' (or a section's 'table:'), or remove 'from_table'",
        )
    return Quiz(from_table, entry.get("versions", 0))
