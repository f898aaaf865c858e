"""The text layer says what the teacher wrote: what copy, search and a screen reader get.

A PDF reader rebuilds a page's text from the glyphs drawn: each glyph's characters (the
font's ToUnicode map), in the order and at the places they are drawn. WeasyPrint's glyphs
say less than the teacher typed, and a reader guesses wrong in four ways:

- A right-to-left line is drawn in visual order; readers turn each right-to-left run back
  character by character. A lam-alef ligature maps to lam, alef (logical order) and comes
  back alef, lam: "الإنتاج" copies as "اإلنتاج". Its map is written in visual order instead
  (font_names.py), so the readers' turn gives lam, alef.
- A vowel mark (Arabic harakat, Hebrew niqqud) drawn with its own offset, and a letter-spaced
  word ("P H Y S I Q U E"), leave gaps that readers take for spaces: "לִ בְ נוֹת".
- One glyph serves several characters: the hyphen the teacher typed and the one added at a
  line break; the space and the no-break space. Its map can say only one of them.

Each word that one of these touches is marked with its own text (`/ActualText`, ISO
32000-1, 14.9.4): readers use that string in place of the glyphs'. A right-to-left word's
string is written as its glyphs are read (visual order), since every reader tested (PDFium,
Poppler) turns the string as it turns glyphs. Which of the shared characters a glyph stands
for is read from the HTML the page was made from: the word with its neighbours, as written.

Content streams are read with regular expressions over what WeasyPrint (pydyf) writes:
`BT`, `Tm`, `Tf`, `Ts`, `[<glyphs> adjustments] TJ`, `ET`, marked content around.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Dictionary, Name

from .font_names import ADDED_HYPHEN, runs_right_to_left
from .structure import content_streams

SOFT_HYPHEN = "\u00ad"
_NO_BREAK_SPACES = "\u00a0\u202f"
_HYPHENS = "-" + ADDED_HYPHEN + SOFT_HYPHEN
# A move to the right inside a word of more than this (thousandths of the font size) reads as
# a space: letter-spacing. Kerning moves left, or right by far less.
_GAP = 40
_BLOCK = re.compile(rb"\bBT\b(.*?)\bET\b", re.S)
_OPERATION = re.compile(
    rb"\[(?P<array>[^\]]*)\]\s*TJ\b"
    rb"|/(?P<font>[^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf\b"
    rb"|(?P<move>\bTm\b|\bTd\b|\bTD\b|\bT\*)"
    rb"|(?P<rise>\bTs\b)"
    rb"|(?P<marked>\bBDC\b|\bBMC\b|\bEMC\b)"
)
_ITEM = re.compile(rb"<(?P<glyphs>[0-9a-fA-F]*)>|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+))")
_MAPPING = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_TAG = re.compile(r"<[^>]*>")
# The spacing a TJ array cut before a word ends with goes to the start of the word's own
# array: PDFium drops the numbers at the end of an array, moving the word (ISO 32000-1
# says they move what follows), where Poppler keeps them.
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)\s*"
_TRAILING = re.compile(rb"(?:%s<>\s*)*%s<\Z" % (_NUMBER, _NUMBER))
_TAIL = 64  # bytes: more than any spacing WeasyPrint writes between two glyphs
_SPACES = re.compile(r"[ \t\r\n]+")


_Fonts = dict[str, tuple[int, dict[str, str]]]  # a font's name: its code length, ToUnicode


@dataclass
class _Glyph:
    """One glyph drawn: where its code stands in the stream, and what it maps to."""

    start: int  # byte offsets of its code's hex digits in the stream
    end: int
    text: str
    gap_before: float  # the TJ adjustments since the glyph before, in the same array
    moved: bool  # a rise, font change or new array since the glyph before


@dataclass
class _Run:
    """The glyphs of one positioned piece of text (one Tm to the next): part of a line."""

    glyphs: list[_Glyph] = field(default_factory=list)
    marked: bool = False  # marked content begins or ends inside: left alone


def _maps(resources: pikepdf.Object | None) -> _Fonts:
    """Each font of `resources` by its name: its code length in bytes and its ToUnicode."""
    fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
    found: _Fonts = {}
    for name, font in (fonts or Dictionary()).items():
        mapping = font.get("/ToUnicode")
        table: dict[str, str] = {}
        if isinstance(mapping, pikepdf.Stream):
            for code, text in _MAPPING.findall(mapping.read_bytes()):
                table[code.decode().lower()] = bytes.fromhex(text.decode()).decode(
                    "utf-16-be", "replace"
                )
        width = 2 if font.get("/Subtype") == Name.Type0 else 1
        found[name[1:]] = (width, table)
    return found


def _runs(data: bytes, fonts: _Fonts) -> Iterator[_Run]:
    """The runs of glyphs of every text object in the content stream `data`."""
    for block in _BLOCK.finditer(data):
        run = _Run()
        width, table = 2, dict[str, str]()
        moved = True
        for operation in _OPERATION.finditer(data, block.start(1), block.end(1)):
            if operation["font"]:
                width, table = fonts.get(operation["font"].decode(), (2, {}))
                moved = True
            elif operation["move"]:
                if run.glyphs:
                    yield run
                run, moved = _Run(), True
            elif operation["rise"]:
                moved = True
            elif operation["marked"]:
                run.marked = True
            else:
                gap = 0.0
                for item in _ITEM.finditer(data, operation.start("array"), operation.end("array")):
                    if item["number"]:
                        gap += float(item["number"])
                        continue
                    start = item.start("glyphs")
                    for offset in range(start, item.end("glyphs"), 2 * width):
                        code = data[offset : offset + 2 * width].decode().lower()
                        glyph = _Glyph(offset, offset + 2 * width, table.get(code, ""), gap, moved)
                        run.glyphs.append(glyph)
                        gap, moved = 0.0, False
                moved = True
        if run.glyphs:
            yield run


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(char).startswith("M") for char in text)


def written_text(document: str) -> str:
    """The text of an HTML document, as it is written: tags gone, entities read, runs of
    ordinary white space one space (no-break spaces kept)."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", document))).replace(SOFT_HYPHEN, "")


@dataclass
class _Word:
    """Glyphs of a run between breaking spaces, and the text they stand for."""

    glyphs: list[_Glyph]
    texts: list[str]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def _words(run: _Run) -> list[tuple[_Glyph | None, _Word]]:
    """A run cut at its space glyphs: each word with the space glyph before it."""
    words: list[tuple[_Glyph | None, _Word]] = []
    space: _Glyph | None = None
    current = _Word([], [])
    for glyph in run.glyphs:
        if not glyph.text.isspace():
            current.glyphs.append(glyph)
            current.texts.append(glyph.text)
            continue
        if current.glyphs:
            words.append((space, current))
            current = _Word([], [])
        space = glyph
    if current.glyphs:
        words.append((space, current))
    return words


def _spaces_kept(run: _Run, written: str) -> list[_Word]:
    """The run's words, two words joined where the space between them is written as a
    no-break space (`written` is the document's plain text): "demande :" in French."""
    joined: list[_Word] = []
    for space, word in _words(run):
        before = joined[-1] if joined else None
        kept = None
        if before is not None and space is not None:
            pair = (before.text, word.text)
            kept = next((char for char in _NO_BREAK_SPACES if char.join(pair) in written), None)
            if kept and " ".join(pair) in written:
                kept = None
        if before is not None and space is not None and kept is not None:
            before.glyphs += [space, *word.glyphs]
            before.texts += [kept, *word.texts]
        else:
            joined.append(word)
    return joined


def _hyphens_read(words: list[_Word], following: str, written: str) -> None:
    """Each hyphen glyph of the words read as the document writes it. At the end of the
    line after a letter, it is the typed hyphen only if the document holds the word with it
    and the next line's start (`following`), else one added at the break (a soft hyphen);
    anywhere else it was typed."""
    for number, word in enumerate(words):
        for index, glyph in enumerate(word.glyphs):
            if glyph.text not in _HYPHENS:
                continue
            head, tail = word.text[:index], word.text[index + 1 :]
            if head and number == len(words) - 1 and index == len(word.glyphs) - 1:
                typed = (char for char in "-" + ADDED_HYPHEN if head + char + following in written)
                word.texts[index] = next(typed, SOFT_HYPHEN)
            else:
                added = head + ADDED_HYPHEN + tail in written
                word.texts[index] = ADDED_HYPHEN if added else "-"


def _split(word: _Word) -> bool:
    """Whether readers would cut `word` where its glyphs are apart or marks stand apart."""
    rest = word.glyphs[1:]
    return any(_is_mark(glyph.text) for glyph in word.glyphs) or any(
        glyph.gap_before < -_GAP or glyph.moved for glyph in rest
    )


def _needs_text(word: _Word) -> bool:
    """Whether readers would get the left-to-right `word` wrong from its glyphs alone."""
    changed = (glyph.text != text for glyph, text in zip(word.glyphs, word.texts, strict=True))
    return any(changed) or _split(word)


def _letter_runs(word: _Word) -> Iterator[_Word]:
    """The runs of right-to-left letters and marks in a right-to-left word: readers turn such
    a run's own text as they turn its glyphs; punctuation, digits or Latin letters beside
    it they would turn in pieces, so those are left to their glyphs."""
    run = _Word([], [])
    for glyph, text in zip(word.glyphs, word.texts, strict=True):
        if all(unicodedata.bidirectional(char) in ("R", "AL", "NSM") for char in text):
            run.glyphs.append(glyph)
            run.texts.append(text)
            continue
        if run.glyphs:
            yield run
        run = _Word([], [])
    if run.glyphs:
        yield run


def _actual_text(text: str) -> bytes:
    """A PDF text string of `text` (UTF-16 with its byte order mark), in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _spans(data: bytes, fonts: _Fonts, written: str) -> list[tuple[int, int, bytes]]:
    """(start, end, text) of each word of the stream that needs its own text: the byte
    offsets of its first glyph's code and just after its last."""
    runs = [run for run in _runs(data, fonts) if not run.marked]
    spans = []
    for number, run in enumerate(runs):
        rtl = any(runs_right_to_left(glyph.text) for glyph in run.glyphs)
        if rtl:
            words = [letters for _, word in _words(run) for letters in _letter_runs(word)]
        else:
            words = _spaces_kept(run, written)
            following = ""
            if number + 1 < len(runs) and (ahead := _words(runs[number + 1])):
                following = ahead[0][1].text
            _hyphens_read(words, following, written)
        for word in words:
            if _split(word) if rtl else _needs_text(word):
                spans.append((word.glyphs[0].start, word.glyphs[-1].end, _actual_text(word.text)))
    return spans


def _marked(data: bytes, spans: list[tuple[int, int, bytes]]) -> bytes:
    """`data` with each span's glyphs shown by a TJ of their own inside marked content
    that carries the span's text. The TJ array a span starts or ends in is cut there."""
    out = bytearray()
    cursor = 0
    for start, end, text in spans:
        out += data[cursor:start]
        _cut(out, b"/Span <</ActualText %s>> BDC" % text)
        out += data[start:end]
        _cut(out, b"EMC")
        cursor = end
    out += data[cursor:]
    return bytes(out)


def _cut(out: bytearray, between: bytes) -> None:
    """End the TJ array `out` stops in, add `between`, and begin a new array; the spacing
    that would end the array (a cut just after it) begins the new one instead."""
    found = _TRAILING.search(out, max(len(out) - _TAIL, 0)) if out.endswith(b"<") else None
    if found is None:
        out += b">] TJ %s [<" % between
        return
    spacing = bytes(out[found.start() : -1])
    del out[found.start() :]
    out += b"] TJ %s [%s<" % (between, spacing)


def _page_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Object, pikepdf.Stream]]:
    """Every content stream of the pages, with its page (a note-taking page's slides are
    drawn in its own stream: compose.py)."""
    for page in pdf.pages:
        for stream in content_streams(page.obj):
            yield page.obj, stream


def mark_words(pdf: pikepdf.Pdf, document: str) -> None:
    """Every word of `pdf` that readers would copy wrong marked with its text (see the
    module), its shared glyphs read from the HTML `document` it was made from."""
    written = written_text(document)
    for page, stream in _page_streams(pdf):
        data = stream.read_bytes()
        if b"BT" not in data:
            continue
        spans = _spans(data, _maps(page.get("/Resources")), written)
        if spans:
            stream.write(_marked(data, spans))


# How WeasyPrint draws a picture: its clip rectangle (CSS px), then its marked content.
_PICTURE = re.compile(
    rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\s+W\s+n\s+"
    rb"/Figure\s*<</MCID (\d+)>>\s*BDC\s"
)
# A text object as WeasyPrint writes one (a piece of a line), with the end of the marked
# content it stands in: where it starts on the line, its baseline and its first font.
_TEXT_OBJECT = re.compile(
    rb"\bBT\s+1 0 0 -1 (-?[\d.]+) (-?[\d.]+) Tm\s+/([^\s/\[]+) [\d.]+ Tf.*?\bET\b(?:\s*EMC\b)?",
    re.S,
)


@dataclass(frozen=True)
class _Formula:
    """A formula drawn on a page: its box (x, y, width, height, CSS px from the top), its
    LaTeX, and where its picture's marked content starts in the stream."""

    box: tuple[float, float, float, float]
    latex: str
    at: int


def _invisible(formula: _Formula, baseline: float, font: str, fonts: _Fonts) -> bytes:
    """An artifact that reads as the formula's LaTeX where it stands: an
    invisible glyph on the line's `baseline`, marked with the LaTeX as its text. The glyph
    is one of `font` that has ink and maps to a character of the LaTeX: PDFium reads a
    marked content's text only then. Empty if the font has none."""
    width, table = fonts.get(font, (2, {}))
    codes = (code for code, char in table.items() if char.strip() and char in formula.latex)
    code = next((code for code in codes if len(code) == 2 * width), None)
    if code is None:
        return b""
    x, _, _, height = formula.box
    return (
        b"/Artifact BMC q BT 3 Tr /%s %.3f Tf 1 0 0 -1 %.3f %.3f Tm"
        b" /Span <</ActualText %s>> BDC <%s> Tj EMC ET Q EMC\n"
        % (font.encode(), 0.7 * height, x, baseline, _actual_text(formula.latex), code.encode())
    )


def _formulas_drawn(
    data: bytes, elements: pikepdf.Array, formulas: Mapping[str, str]
) -> Iterator[_Formula]:
    """The formulas a content stream draws: the pictures whose element (in `elements`, by
    MCID) has a formula's alt text."""
    for match in _PICTURE.finditer(data):
        mcid = int(match[5])
        element = elements[mcid] if mcid < len(elements) else None
        alt = str(element.get("/Alt", "")) if isinstance(element, Dictionary) else ""
        if alt in formulas:
            box = (float(match[1]), float(match[2]), float(match[3]), float(match[4]))
            yield _Formula(box, formulas[alt], match.end())


def _formulas_written(data: bytes, found: list[_Formula], fonts: _Fonts) -> bytes:
    """`data` with each formula's LaTeX written just after the text before it on its line
    (or before the text after it; before the line under a formula on a line of its own):
    where a reader that reads in drawing order (PDFium) meets it."""
    pieces = [
        (float(match[1]), float(match[2]), match[3].decode(), match.start(), match.end())
        for match in _TEXT_OBJECT.finditer(data)
    ]
    insertions: list[tuple[int, bytes]] = []
    for formula in found:
        x, top, _, height = formula.box
        line = [piece for piece in pieces if top <= piece[1] <= top + 1.2 * height]
        before = max((piece for piece in line if piece[0] < x), default=None)
        after = min((piece for piece in line if piece[0] >= x), default=None)
        if before is not None:
            text = b"\n" + _invisible(formula, before[1], before[2], fonts)
            insertions.append((_outside_marked(data, before[4]), text))
        elif after is not None:
            text = _invisible(formula, after[1], after[2], fonts)
            insertions.append((_outside_marked(data, after[3], backward=True), text))
        elif below := [piece for piece in pieces if piece[1] > top + height]:
            # A formula on a line of its own: before the line under it, in its font.
            under = min(below, key=lambda piece: (piece[1], piece[0]))
            text = _invisible(formula, top + 0.8 * height, under[2], fonts)
            insertions.append((_outside_marked(data, under[3], backward=True), text))
    for offset, text in sorted(insertions, reverse=True):
        data = data[:offset] + text + data[offset:]
    return data


# The start of a marked-content sequence (its tag and properties) or its end.
_MARK = re.compile(rb"/[^\s/<>\[\]()]+\s*(?:<<[^>]*>>\s*)?(?:BDC|BMC)\b|\bEMC\b")


def _outside_marked(data: bytes, offset: int, backward: bool = False) -> int:
    """`offset`, or the nearest point after it (before it if `backward`) outside every
    marked-content sequence: an artifact may not stand inside tagged content (PDF/UA)."""
    opened: list[int] = []  # where each sequence open here starts
    for mark in _MARK.finditer(data):
        if mark.start() >= offset and not opened:
            return offset
        if mark[0] != b"EMC":
            opened.append(mark.start())
            continue
        start = opened.pop() if opened else offset
        if mark.start() >= offset and not opened:
            return start if backward else mark.end()
    return offset


def write_formulas(
    pdf: pikepdf.Pdf, formulas: Mapping[str, str], parents: dict[int, pikepdf.Object]
) -> None:
    """Each formula's LaTeX written as invisible text where the formula stands, so that
    copying a line copies its formula and a search for `v = d/t` finds it; a screen reader
    hears its alt text, as before (the LaTeX is an artifact). `formulas` maps their alt
    texts to their LaTeX; `parents` is the parent tree, its elements their alt. Forms (the
    slides a note-taking page draws) have theirs from their own PDF."""
    if not formulas:
        return
    for page, stream in _page_streams(pdf):
        elements = parents.get(int(page.get("/StructParents", -1)))
        data = stream.read_bytes()
        if not isinstance(elements, pikepdf.Array) or b"/Figure" not in data:
            continue
        found = list(_formulas_drawn(data, elements, formulas))
        if found:
            stream.write(_formulas_written(data, found, _maps(page.get("/Resources"))))
