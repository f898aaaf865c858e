"""Lesson text is Markdown: paragraphs and lists, with emphasis, strong, code and links inline.

Raw HTML is off, so any `<tag>` a teacher types is shown as typed.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Block, ItemList, Paragraph

_OPTIONS = {"html": False, "typographer": True}
_MD = MarkdownIt("commonmark", _OPTIONS).enable(["replacements", "smartquotes"])
# Checking sees every link as written, so a refused one is reported, not silently dropped.
_CHECK = MarkdownIt("commonmark", _OPTIONS)
_CHECK.validateLink = lambda url: True
LINK_SCHEMES = ("http", "https", "mailto")
TAG = re.compile(r"<[^>]*>")  # of the HTML render_inline makes, never of the lesson's text

_CLOSING = '"\u201d\u2019)'  # straight and curly closing quotes, closing parenthesis
_OPENING = '"\u201c\u2018(*_`\\['  # what may open a sentence before its capital
_SENTENCE_END = re.compile(f"(?:(?<=[.!?])|(?<=[.!?][{_CLOSING}]))\\s+(?=[{_OPENING}]?[A-Z0-9])")
_INLINE_SPAN = re.compile(r"\*\*.+?\*\*|\*.+?\*|__.+?__|\b_.+?_\b|`.+?`|\[[^\]]*\]\([^)]*\)")
# What may open a block other than a paragraph (list, heading, quote, fence, rule, setext).
_BLOCK_START = re.compile(r"[-+*#>=_`~]|\d{1,9}[.)]")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "Dr.", "Mr.", "Mrs.", "Ms.", "No.", "St.")


class MarkupError(ValueError):
    """Text that is not made of paragraphs and lists; `line` counts from 0 in the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class MarkupProblems(ValueError):
    """Every markup mistake of one text, each at its own line."""

    def __init__(self, problems: list[MarkupError]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def render_inline(source: str) -> str:
    """Inline Markdown to HTML (escaped; raw HTML shown as text)."""
    return _MD.renderInline(source)


def plain_text(blocks: tuple[Block, ...]) -> str:
    """Lesson text as plain text: its words without markup, a line a paragraph or item."""
    lines = []
    for block in blocks:
        for text in block.items if isinstance(block, ItemList) else (block.text,):
            lines.append(html.unescape(TAG.sub("", render_inline(text))))
    return "\n".join(lines)


def _inline_problems(inline: Token, line: int) -> list[MarkupError]:
    """The images and the links we do not allow in one paragraph or item."""
    found = []
    for token in inline.children or ():
        if token.type == "image":
            found.append(MarkupError(line, "images are not supported in lesson text"))
        if token.type == "link_open":
            target = str(token.attrGet("href") or "")
            scheme = target.split(":", 1)[0].lower() if ":" in target else ""
            typed = unquote(target)  # as the teacher wrote it, not as percent-encoded
            shown = typed if len(typed) <= 60 else typed[:57] + "..."
            if scheme not in LINK_SCHEMES:
                message = (
                    f"link target '{shown}' is not allowed: "
                    "use a full http://, https:// or mailto: address"
                )
                found.append(MarkupError(line, message))
            elif "\\" in target or "%5c" in target.lower():
                message = f"link target '{shown}' has a backslash: web addresses use '/'"
                found.append(MarkupError(line, message))
    return found


def check_inline(source: str) -> None:
    """Raise MarkupProblems if inline Markdown has images or links we do not allow."""
    if "[" not in source and "<" not in source:
        return  # no link or image can be written without one of these (linkify is off)
    found = []
    for token in _CHECK.parse(source):
        if token.type == "inline":
            found += _inline_problems(token, token.map[0] if token.map else 0)
    if found:
        raise MarkupProblems(found)


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the one opening at tokens[start]."""
    opener = tokens[start]
    if opener.nesting != 1:
        return start
    return next(
        i
        for i in range(start + 1, len(tokens))
        if tokens[i].level == opener.level and tokens[i].nesting == -1
    )


class _Reader:
    """Walks the parser's tokens into paragraphs and lists, noting every problem."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.problems: list[MarkupError] = []

    def paragraph(self, start: int) -> str:
        """The source of the paragraph that opens at `start`, its links checked."""
        self.problems += _inline_problems(self.tokens[start + 1], _line(self.tokens[start]))
        return " ".join(self.tokens[start + 1].content.split())

    def item(self, start: int) -> str | None:
        """The text of the list item opening at `start` (None when it is not one paragraph)."""
        tokens, close = self.tokens, _closing(self.tokens, start)
        inner = [t for t in tokens[start + 1 : close] if t.level == tokens[start].level + 1]
        if [t.type for t in inner] == ["paragraph_open", "paragraph_close"]:
            return self.paragraph(tokens.index(inner[0], start))
        kinds = [t.type.removesuffix("_open") for t in inner if t.type.endswith("_open")]
        other = [kind.replace("_", " ") for kind in kinds if kind != "paragraph"]
        problem = "is empty" if not kinds else "holds more than one paragraph"
        if other:
            problem = f"holds a {other[0]}: an item is one paragraph of text"
        if any(kind.endswith("list") for kind in kinds):
            problem = "holds a list: lists inside lists are not supported"
        self.problems.append(MarkupError(_line(tokens[start]), f"a list item {problem}"))
        return None

    def item_list(self, start: int) -> ItemList:
        """The list opening at `start`, keeping the number it starts from."""
        opener, close = self.tokens[start], _closing(self.tokens, start)
        items = [
            self.item(index)
            for index in range(start + 1, close)
            if self.tokens[index].type == "list_item_open"
            and self.tokens[index].level == opener.level + 1
        ]
        ordered = opener.type == "ordered_list_open"
        first = int(opener.attrGet("start") or 1) if ordered else 1
        return ItemList(tuple(item for item in items if item is not None), ordered, first)

    def blocks(self) -> tuple[Block, ...]:
        """Every paragraph and list, at the top level."""
        found: list[Block] = []
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.type == "paragraph_open":
                found.append(Paragraph(self.paragraph(index)))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                found.append(self.item_list(index))
            else:
                kind = token.type.removesuffix("_open").replace("_", " ")
                message = f"a {kind} is not supported here: use paragraphs and lists"
                self.problems.append(MarkupError(_line(token), message))
            index = _closing(self.tokens, index) + 1
        return tuple(found)


def _plain_paragraphs(source: str) -> tuple[Block, ...] | None:
    """Paragraphs of text no Markdown block rule can touch, split without the parser
    (most lesson text: about ten times faster); None when the full parser is needed."""
    if any(sign in source for sign in "[<\t\r\0\x0c"):
        return None  # links, images, autolinks; tabs, odd line ends and NUL: the parser
    for line in source.splitlines():
        text = line.lstrip(" ")
        if text and (len(line) - len(text) > 3 or _BLOCK_START.match(text)):
            return None
    chunks = re.split(r"\n[ ]*\n", source.strip("\n"))
    return tuple(Paragraph(" ".join(chunk.split())) for chunk in chunks if chunk.strip())


def parse_blocks(source: str) -> tuple[Block, ...]:
    """Split Markdown text into paragraphs and lists, or raise MarkupError."""
    plain = _plain_paragraphs(source)
    return plain if plain is not None else _parsed_blocks(source)


def _parsed_blocks(source: str) -> tuple[Block, ...]:
    """Paragraphs and lists as the CommonMark parser sees them; every problem is raised
    together (MarkupProblems)."""
    env: dict[str, object] = {}
    reader = _Reader(_CHECK.parse(source, env))
    blocks = reader.blocks()
    for label in dict(env.get("references", {})):  # type: ignore[call-overload]
        reader.problems.append(_reference_definition(source, label))
    if reader.problems:
        raise MarkupProblems(sorted(reader.problems, key=lambda problem: problem.line))
    return blocks


def _reference_definition(source: str, label: str) -> MarkupError:
    """A `[label]: https://...` line: no output would show it, nor link its uses."""
    pattern = re.compile(rf" {{0,3}}\[{re.escape(label)}\]:", re.IGNORECASE)
    line = next((n for n, text in enumerate(source.splitlines()) if pattern.match(text)), 0)
    return MarkupError(
        line,
        f"the link definition '[{label.lower()}]: ...' would be left out of every output: "
        "write each link where it is used, as [text](https://...)",
    )


def sentences(source: str) -> list[str]:
    """Split inline Markdown into sentences, never inside emphasis, code or a link."""
    text = " ".join(source.split())
    spans = [match.span() for match in _INLINE_SPAN.finditer(text)]
    parts: list[str] = []
    start = 0
    for gap in _SENTENCE_END.finditer(text):
        inside = any(left < gap.start() < right for left, right in spans)
        if not inside and not text[start : gap.start()].endswith(_ABBREVIATIONS):
            parts.append(text[start : gap.start()])
            start = gap.end()
    parts.append(text[start:])
    return parts


def key_sentence(paragraph: Paragraph) -> str:
    """The sentence that carries a paragraph on a slide: its first."""
    return sentences(paragraph.text)[0]
