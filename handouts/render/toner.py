"""Black and greys printed with black toner only.

WeasyPrint writes every colour in DeviceRGB, black text too (`0 0 0 rg`). A print shop's
conversion to CMYK makes that four-colour black (Ghostscript separates our handout's to
C73 M68 Y67 K89, 296 % ink): small text printed from four plates that never quite meet.
Every neutral colour (red = green = blue) a page or a form sets is written in DeviceGray
instead (`0 g`, `0.4 G`), which a printer puts down with its black toner alone. It is the
same colour on screen, pixel for pixel. A stream that sets no neutral colour is left as
it is; one made only of operators and numbers (most are) has just those tokens replaced.

A stream is left as it is where a rewritten colour would change the colour space an `sc`
or `scn` after it relies on (WeasyPrint sets that space itself with `cs` first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name, Operator

from .structure import ObjGen, page_content

# `rg` or `RG`, a whole token (PDF delimiters or white space around it), and the three
# numbers before it. Looking for the operator first, then back, is ten times faster.
_EDGE = rb"[^\s/<>\[\]()%{}]"
_OPERATOR = re.compile(rb"(?<!" + _EDGE + rb")(?:rg|RG)(?!" + _EDGE + rb")")
_NUMBER = rb"([-+]?(?:\d+\.?\d*|\.\d+))\s+"
_OPERANDS = re.compile(rb"(?<!" + _EDGE + rb")" + _NUMBER * 3 + rb"$")
_LONGEST = 96  # three numbers and the spaces between them, with room to spare
# What a token-level rewrite could misread (strings, comments, inline images) or break
# (`sc`, `scn` in the colour space a rewritten colour sets): such a stream is parsed.
_NOT_PLAIN = re.compile(rb"[(%]|\b(?:BI|sc|scn|SC|SCN)\b")
_GRAY = {"rg": Operator("g"), "RG": Operator("G")}
_SPACE = {"rg": 0, "g": 0, "k": 0, "cs": 0, "RG": 1, "G": 1, "K": 1, "CS": 1}  # 0 fill, 1 stroke
_USING = {"sc": 0, "scn": 0, "SC": 1, "SCN": 1}


def _neutral(operands: Iterable[Any]) -> bool:
    values = [float(value) for value in operands]
    return len(values) == 3 and values[0] == values[1] == values[2]


def _neutral_colours(data: bytes) -> list[tuple[int, int, bytes]]:
    """Each neutral `rg`/`RG` of a content stream: where its operands start, where its
    operator ends, and the same colour in DeviceGray."""
    found = []
    for operator in _OPERATOR.finditer(data):
        start = operator.start()
        operands = _OPERANDS.search(data, max(0, start - _LONGEST), start)
        if operands is None:
            continue
        red, green, blue = operands.groups()
        if float(red) == float(green) == float(blue):
            gray = b" g" if operator.group() == b"rg" else b" G"
            found.append((operands.start(), operator.end(), red + gray))
    return found


def _replaced(data: bytes, colours: list[tuple[int, int, bytes]]) -> bytes:
    pieces: list[bytes] = []
    end = 0
    for start, stop, gray in colours:
        pieces.extend((data[end:start], gray))
        end = stop
    pieces.append(data[end:])
    return b"".join(pieces)


def _in_gray(
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage],
) -> list[Any] | None:
    """The instructions with every neutral `rg`/`RG` as `g`/`G`, or None when there is
    none, or a colour space it sets is used by an `sc`/`scn` after it."""
    out: list[Any] = []
    rewritten, saved = [False, False], []  # fill, stroke: set by a rewritten colour
    changed = False
    for instruction in instructions:
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(list(rewritten))
        elif operator == "Q" and saved:
            rewritten = saved.pop()
        elif operator in _USING and rewritten[_USING[operator]]:
            return None
        elif operator in _SPACE:
            gray = operator in _GRAY and _neutral(instruction.operands)
            rewritten[_SPACE[operator]] = gray
            if gray:
                out.append(([instruction.operands[0]], _GRAY[operator]))
                changed = True
                continue
        out.append(instruction)
    return out if changed else None


def _streams(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Object, pikepdf.Stream | None]]:
    """Every page (with None), and every form a page draws, however deep (with the form)."""
    found: list[tuple[pikepdf.Object, pikepdf.Stream | None]] = []
    seen: set[ObjGen] = set()
    holders: list[pikepdf.Object] = [page.obj for page in pdf.pages]
    found.extend((page, None) for page in holders)
    while holders:
        resources = holders.pop().get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        for drawn in resources.get("/XObject", Dictionary()).values():
            if (
                isinstance(drawn, pikepdf.Stream)
                and drawn.get("/Subtype") == Name.Form
                and drawn.objgen not in seen
            ):
                seen.add(drawn.objgen)
                found.append((drawn, drawn))
                holders.append(drawn)
    return found


def black_toner_only(pdf: pikepdf.Pdf) -> None:
    """Every neutral colour of the `pdf`'s pages and forms written in DeviceGray."""
    for holder, form in _streams(pdf):
        data = form.read_bytes() if form is not None else page_content(holder)
        colours = _neutral_colours(data)
        if not colours:
            continue
        if _NOT_PLAIN.search(data):
            rewritten = _in_gray(
                pikepdf.parse_content_stream(holder if form is not None else pikepdf.Page(holder))
            )
            if rewritten is None:
                continue
            written = pikepdf.unparse_content_stream(rewritten)
        else:  # the common case, and much faster: only the colours' tokens change
            written = _replaced(data, colours)
        if form is not None:
            form.write(written)
        elif isinstance(holder.Contents, pikepdf.Stream):
            holder.Contents.write(written)
        else:
            holder.Contents = pdf.make_stream(written)
