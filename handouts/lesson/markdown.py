"""Lesson text is Markdown: paragraphs and lists, with emphasis, strong, code and links inline,
pictures on lines of their own (`![alt](file "caption")`) and LaTeX math (`$...$` inline,
`$$...$$` on its own lines), read by pandoc's rule so that "$5 and $10" stays money.

Raw HTML is off, so any `<tag>` a teacher types is shown as typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, MutableMapping
from functools import cache
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from ..errors import FigureProblem
from .figures import ALT_HINT
from .formulas import FORMULA_HINT, formula_problem
from .model import Block, Figure, Formula, ItemList, Paragraph

_OPTIONS = {"html": False, "typographer": True}
# Pandoc's rule: no space inside the dollars, no digit after the closing one; \$ is a dollar.
_MATH = {"allow_space": False, "allow_digits": False, "double_inline": True}
ENGLISH_QUOTES = "\u201c \u201d \u2018 \u2019"  # open, close, inner open, inner close


class _EveryLink(MarkdownIt):
    """A parser that keeps every link as written (commonmark drops some schemes): checking
    sees each, so a refused one is reported, not silently dropped."""

    def validateLink(self, url: str) -> bool:
        """Every link is kept, so that checking can report a refused one."""
        return True


_CHECK = _EveryLink("commonmark", _OPTIONS).use(dollarmath_plugin, **_MATH)
# Checks a picture's file by the name written, raising FigureProblem when it may not be shown.
FigureCheck = Callable[[str], object]
LINK_SCHEMES = ("http", "https", "mailto")
TAG = re.compile(r"<[^>]*>")  # of the HTML render_inline makes, never of the lesson's text

# What a sentence is never cut inside: emphasis, code, links and formulas (by pandoc's rule).
INLINE_SPAN = re.compile(
    r"\*\*.+?\*\*|\*.+?\*|__.+?__|\b_.+?_\b|`.+?`|\[[^\]]*\]\([^)]*\)|\$\$.+?\$\$|\$[^$\s](?:[^$]*[^$\s])?\$(?!\d)"
)
# What may open a block other than a paragraph (list, heading, quote, fence, rule, setext).
_BLOCK_START = re.compile(r"[-+*#>=_`~]|\d{1,9}[.)]")


class MarkupError(ValueError):
    """Text that is not made of paragraphs and lists; `line` counts from 0 in the text,
    `column` (when known) from 0 in that line."""

    def __init__(self, line: int, message: str, hint: str = "", column: int | None = None):
        super().__init__(message)
        self.line = line
        self.hint = hint
        self.column = column


class MarkupProblems(ValueError):
    """Every markup mistake of one text, each at its own line."""

    def __init__(self, problems: list[MarkupError]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def render_inline(source: str, env: MutableMapping[str, Any] | None = None) -> str:
    """Inline Markdown to HTML (escaped; raw HTML shown as text). `env` may give
    "formula" (LaTeX, display -> HTML) and "picture" (file, alt -> HTML); without them a
    formula is shown as its LaTeX and a picture as its alt text. It may give the language's
    "quotes" (four marks between spaces, as ENGLISH_QUOTES) and its "spacing" (text ->
    text, applied to the words, never to code, links' targets or formulas), and
    "kept_together" (escaped text -> HTML, the spans that must not break over lines)."""
    env = {} if env is None else env
    rendered: str = _typographer(env.get("quotes", ENGLISH_QUOTES)).renderInline(source, env)
    return rendered


def typeset_plain(text: str, quotes: str, spacing: Callable[[str], str] | None = None) -> str:
    """Plain text (a title, a name, a label: no Markdown) with its straight quotation marks
    curled into `quotes` and the typographer's replacements (-- is a dash), then `spacing`,
    as Markdown text gets them; still plain text."""
    children = _plain_typographer(quotes).parseInline(text)[0].children or []
    typeset = "".join(child.content if child.type == "text" else " " for child in children)
    return spacing(typeset) if spacing else typeset


@cache
def _plain_typographer(quotes: str) -> MarkdownIt:
    """A parser of no markup that curls quotation marks into `quotes`."""
    options = {"typographer": True, "quotes": quotes.split(" ")}
    return MarkdownIt("zero", options).enable(["replacements", "smartquotes"])


def _spacing(state: StateCore) -> None:
    """The language's spacing (French: a thin space before ; ! ?) in the text's words."""
    space = state.env.get("spacing")
    if space is None:
        return
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = space(child.content)


def _math_rule(display: bool) -> Callable[..., str]:
    def rule(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        latex = tokens[idx].content
        if "formula" in env:
            return str(env["formula"](latex, display))
        return html.escape(latex)

    return rule


def _text_rule(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Text, escaped, then marked up by the env's "kept_together" (escaped HTML -> HTML:
    what must not break over lines), if it gives one."""
    escaped = escapeHtml(tokens[idx].content)
    keep = env.get("kept_together")
    return str(keep(escaped)) if keep else escaped


def _image_rule(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = token.content
    if "picture" in env:  # by the name as written, as the lesson's pictures are known
        return str(env["picture"](unquote(str(token.attrGet("src") or "")), alt))
    return html.escape(alt)


@cache
def _typographer(quotes: str) -> MarkdownIt:
    """The parser that curls quotation marks into `quotes`."""
    parser = (
        MarkdownIt("commonmark", {**_OPTIONS, "quotes": quotes.split(" ")})
        .enable(["replacements", "smartquotes"])
        .use(dollarmath_plugin, **_MATH)
    )
    parser.core.ruler.push("spacing", _spacing)  # last: after the text is joined
    parser.add_render_rule("math_inline", _math_rule(False))
    parser.add_render_rule("math_inline_double", _math_rule(True))
    parser.add_render_rule("image", _image_rule)
    parser.add_render_rule("text", _text_rule)
    return parser


def plain_text(blocks: tuple[Block, ...]) -> str:
    """Lesson text as plain text: its words without markup, a line a paragraph or item; a
    display formula is its LaTeX (as an inline one is), a figure its caption and alt text."""
    lines = [line for block in blocks for line in _plain_lines(block) if line]
    return "\n".join(lines)


def _plain_lines(block: Block) -> list[str]:
    """The lines of plain text one block gives."""
    if isinstance(block, Paragraph):
        return [inline_plain(block.text)]
    if isinstance(block, ItemList):
        return [inline_plain(item) for item in block.items]
    if isinstance(block, Formula):
        return [block.latex.strip()]
    return [inline_plain(block.caption), block.alt]


def inline_plain(
    text: str, quotes: str = ENGLISH_QUOTES, spacing: Callable[[str], str] | None = None
) -> str:
    """Inline Markdown as plain text, its quotation marks curled into `quotes` and its
    words given the language's `spacing` (see render_inline)."""
    env = {"quotes": quotes, "spacing": spacing}
    return html.unescape(TAG.sub("", render_inline(text, env))) if text else ""


def _link_problem(token: Token, line: int) -> MarkupError | None:
    """What is wrong with a link's target, if anything."""
    target = str(token.attrGet("href") or "")
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    typed = unquote(target)  # as the teacher wrote it, not as percent-encoded
    shown = typed if len(typed) <= 60 else typed[:57] + "..."
    if scheme not in LINK_SCHEMES:
        message = (
            f"link target '{shown}' is not allowed: use a full http://, https:// or mailto: address"
        )
        return MarkupError(line, message)
    if "\\" in target or "%5c" in target.lower():
        return MarkupError(line, f"link target '{shown}' has a backslash: web addresses use '/'")
    return None


PICTURE_MARKUP = re.compile(r"!\[[^\]]*\]\(")  # a picture's start, read or not by Markdown


class _Inline:
    """Checks the inline content of one text: links, formulas, and pictures where allowed."""

    def __init__(self, source: str, pictures: FigureCheck | None, inline_pictures: bool):
        self.lines = source.splitlines()
        self.pictures = pictures
        self.inline_pictures = inline_pictures  # a table cell may show one

    def error(self, line: int, needle: str, message: str, hint: str = "") -> MarkupError:
        """An error at `needle`, looked for from line `line` of the text (a paragraph's
        first) on: at the line and column it is found, else at `line`."""
        for number in range(line, len(self.lines)):
            if (column := self.lines[number].find(needle)) >= 0:
                return MarkupError(number, message, hint, column)
        return MarkupError(line, message, hint)

    def formula(self, latex: str, line: int, dollars: str) -> MarkupError | None:
        """What is wrong with a formula, at its opening dollar (`dollars`: "$", "$$", or
        "" for one on lines of its own)."""
        problem = formula_problem(latex, display=dollars != "$")
        return None if problem is None else self.error(line, dollars + latex, problem, FORMULA_HINT)

    def picture(self, token: Token, line: int) -> MarkupError | None:
        """What is wrong with a picture (its alt text, its file), if anything."""
        name = unquote(str(token.attrGet("src") or ""))
        at = f"![{token.content}]"  # the alt text as written, mostly
        if not token.content.strip():
            return self.error(line, "![]", f"picture '{name}' has no alt text", ALT_HINT)
        if self.pictures is None:
            return MarkupError(line, "pictures go in lesson text or table cells, not here")
        if self.inline_pictures and token.attrGet("title"):
            return self.error(
                line,
                at,
                f"picture '{name}' has a caption, which a table cell does not show",
                "remove the quoted caption: the row's label and column say what it is",
            )
        try:
            self.pictures(name)
        except FigureProblem as problem:
            return self.error(line, at, str(problem), problem.hint)
        caption = str(token.attrGet("title") or "")
        try:
            check_inline(caption)  # links and formulas as anywhere; no picture in it
        except MarkupProblems as found:
            return self.error(line, caption, f"in the caption of '{name}': {found}")
        return None

    def problems(self, inline: Token, line: int, picture_alone: bool = False) -> list[MarkupError]:
        """Every problem of one paragraph or item (`picture_alone`: it is a figure)."""
        found: list[MarkupError | None] = []
        for token in inline.children or ():
            if token.type == "image":
                if picture_alone or self.inline_pictures:
                    found.append(self.picture(token, line))
                else:
                    found.append(
                        self.error(
                            line,
                            "![",
                            "a picture goes on a line of its own, with a blank line before "
                            "and after it",
                            'write ![what it shows](file.svg "Caption") alone on its line',
                        )
                    )
            elif token.type == "text" and (unread := PICTURE_MARKUP.search(token.content)):
                found.append(
                    self.error(
                        line,
                        unread.group(),
                        "this looks like a picture, but its file name cannot be read "
                        "(a space or a bracket in it?)",
                        "rename the file, or write its name in angle brackets: "
                        "![what it shows](<my picture.png>)",
                    )
                )
            elif token.type == "link_open":
                found.append(_link_problem(token, line))
            elif token.type in ("math_inline", "math_inline_double"):
                dollars = "$$" if token.type == "math_inline_double" else "$"
                found.append(self.formula(token.content, line, dollars))
        return [problem for problem in found if problem is not None]


def check_inline(source: str, pictures: FigureCheck | None = None) -> None:
    """Raise MarkupProblems if inline Markdown has links, formulas or pictures we do not
    allow; with `pictures` (a table cell), a picture is checked with it and may stand there."""
    if not any(sign in source for sign in "[<$"):
        return  # no link, picture or formula can be written without one of these
    reader = _Inline(source, pictures, inline_pictures=pictures is not None)
    found = []
    for token in _CHECK.parse(source):
        if token.type == "inline":
            found += reader.problems(token, token.map[0] if token.map else 0)
    if found:
        raise MarkupProblems(found)


def check_formulas(source: str) -> None:
    """Raise MarkupProblems if plain text (a title, a name, a label) has a formula that
    cannot be printed: wherever it is shown as Markdown (an agenda slide lists the titles),
    its formulas are drawn."""
    if "$" not in source:
        return
    reader = _Inline(source, None, inline_pictures=False)
    found = [
        reader.formula(child.content, token.map[0] if token.map else 0, "$" * len(child.markup))
        for token in _CHECK.parse(source)
        if token.type == "inline"
        for child in token.children or ()
        if child.type in ("math_inline", "math_inline_double")
    ]
    if problems := [problem for problem in found if problem is not None]:
        raise MarkupProblems(problems)


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


def _lone_picture(inline: Token) -> Token | None:
    """The picture a paragraph consists of, if it is nothing else."""
    children = [
        t for t in inline.children or () if not (t.type == "text" and not t.content.strip())
    ]
    children = [t for t in children if t.type not in ("softbreak", "hardbreak")]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


class _Reader:
    """Walks the parser's tokens into paragraphs, lists, figures and formulas, noting every
    problem."""

    def __init__(self, tokens: list[Token], inline: _Inline) -> None:
        self.tokens = tokens
        self.inline = inline
        self.problems: list[MarkupError] = []

    def paragraph(self, start: int) -> str:
        """The source of the paragraph that opens at `start`, its links checked."""
        self.problems += self.inline.problems(self.tokens[start + 1], _line(self.tokens[start]))
        return " ".join(self.tokens[start + 1].content.split())

    def block(self, start: int) -> Block:
        """The paragraph opening at `start`, or the figure it is."""
        inline, line = self.tokens[start + 1], _line(self.tokens[start])
        picture = _lone_picture(inline)
        if picture is None:
            return Paragraph(self.paragraph(start))
        self.problems += self.inline.problems(inline, line, picture_alone=True)
        name = unquote(str(picture.attrGet("src") or ""))
        caption = " ".join(str(picture.attrGet("title") or "").split())
        return Figure(name, " ".join(picture.content.split()), caption)

    def formula(self, token: Token) -> Formula:
        """A `$$...$$` display formula, checked."""
        latex = " ".join(token.content.split())
        problem = self.inline.formula(latex, _line(token), "")
        if problem is not None:
            self.problems.append(problem)
        return Formula(latex)

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
                found.append(self.block(index))
            elif token.type == "math_block":
                found.append(self.formula(token))
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
    if any(sign in source for sign in "[<$\t\r\0\x0c"):
        return None  # links, pictures, formulas, autolinks; tabs, odd line ends, NUL: parser
    for line in source.splitlines():
        text = line.lstrip(" ")
        if text and (len(line) - len(text) > 3 or _BLOCK_START.match(text)):
            return None
    chunks = re.split(r"\n[ ]*\n", source.strip("\n"))
    return tuple(Paragraph(" ".join(chunk.split())) for chunk in chunks if chunk.strip())


def parse_blocks(source: str, pictures: FigureCheck | None = None) -> tuple[Block, ...]:
    """Split Markdown text into paragraphs, lists, figures and display formulas, or raise
    MarkupProblems; each picture's file is checked with `pictures` (None: none allowed)."""
    plain = _plain_paragraphs(source)
    return plain if plain is not None else _parsed_blocks(source, pictures)


def _parsed_blocks(source: str, pictures: FigureCheck | None = None) -> tuple[Block, ...]:
    """Paragraphs and lists as the CommonMark parser sees them; every problem is raised
    together (MarkupProblems)."""
    env: dict[str, object] = {}
    inline = _Inline(source, pictures, inline_pictures=False)
    reader = _Reader(_CHECK.parse(source, env), inline)
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
