"""Lesson text is Markdown: paragraphs and lists, with emphasis, strong, code and links inline.

Raw HTML is off, so any `<tag>` a teacher types is shown as typed.
"""

from __future__ import annotations

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


def render_inline(source: str) -> str:
    """Inline Markdown to HTML (escaped; raw HTML shown as text)."""
    return _MD.renderInline(source)


def _check_inline(inline: Token, line: int) -> None:
    for token in inline.children or ():
        if token.type == "image":
            raise MarkupError(line, "images are not supported in lesson text")
        if token.type == "link_open":
            target = str(token.attrGet("href") or "")
            scheme = target.split(":", 1)[0].lower() if ":" in target else ""
            typed = unquote(target)  # as the teacher wrote it, not as percent-encoded
            shown = typed if len(typed) <= 60 else typed[:57] + "..."
            if scheme not in LINK_SCHEMES:
                raise MarkupError(
                    line,
                    f"link target '{shown}' is not allowed: "
                    "use a full http://, https:// or mailto: address",
                )
            if "\\" in target or "%5c" in target.lower():
                raise MarkupError(
                    line, f"link target '{shown}' has a backslash: web addresses use '/'"
                )


def check_inline(source: str) -> None:
    """Raise MarkupError if inline Markdown has an image or a link we do not allow."""
    if "[" not in source and "<" not in source:
        return  # no link or image can be written without one of these (linkify is off)
    for token in _CHECK.parse(source):
        if token.type == "inline":
            _check_inline(token, token.map[0] if token.map else 0)


def _inline_text(tokens: list[Token], start: int) -> str:
    """The source of the paragraph that opens at tokens[start], its links checked."""
    opener = tokens[start]
    _check_inline(tokens[start + 1], opener.map[0] if opener.map else 0)
    return " ".join(tokens[start + 1].content.split())


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _read_item(tokens: list[Token], start: int) -> tuple[str, int]:
    """The text of the list item opening at tokens[start], and the index after it."""
    close = next(
        i
        for i in range(start, len(tokens))
        if tokens[i].type == "list_item_close" and tokens[i].level == tokens[start].level
    )
    inner = [t for t in tokens[start + 1 : close] if t.level == tokens[start].level + 1]
    if [t.type for t in inner] != ["paragraph_open", "paragraph_close"]:
        kinds = [t.type.removesuffix("_open") for t in inner if t.type.endswith("_open")]
        other = [kind.replace("_", " ") for kind in kinds if kind != "paragraph"]
        problem = "is empty" if not kinds else "holds more than one paragraph"
        if other:
            problem = f"holds a {other[0]}: an item is one paragraph of text"
        if any(kind.endswith("list") for kind in kinds):
            problem = "holds a list: lists inside lists are not supported"
        raise MarkupError(_line(tokens[start]), f"a list item {problem}")
    paragraph = tokens.index(inner[0], start)
    return _inline_text(tokens, paragraph), close + 1


def _read_list(tokens: list[Token], start: int) -> tuple[ItemList, int]:
    opener = tokens[start]
    items: list[str] = []
    index = start + 1
    while tokens[index].type == "list_item_open":
        text, index = _read_item(tokens, index)
        items.append(text)
    ordered = opener.type == "ordered_list_open"
    first = int(opener.attrGet("start") or 1) if ordered else 1
    return ItemList(tuple(items), ordered, first), index + 1


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
    """Paragraphs and lists as the CommonMark parser sees them."""
    tokens = _CHECK.parse(source)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open":
            blocks.append(Paragraph(_inline_text(tokens, index)))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            item_list, index = _read_list(tokens, index)
            blocks.append(item_list)
        else:
            kind = token.type.removesuffix("_open").replace("_", " ")
            line = token.map[0] if token.map else 0
            raise MarkupError(line, f"a {kind} is not supported here: use paragraphs and lists")
    return tuple(blocks)


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
