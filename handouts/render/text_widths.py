"""How far a shown string of text advances, from its font's glyph widths (ISO 32000-1,
9.2.4 and 9.4.4): where a piece of text can put ink is its line from where it starts to
where it ends, not the page's whole width (paint_order.py moves drawings past it)."""

from __future__ import annotations

from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name


class FontWidths:
    """A simple or composite (Type0) font's widths, in thousandths of its size."""

    def __init__(self, font: Dictionary) -> None:
        subtype = font.get("/Subtype")
        if subtype == Name.Type0:
            (descendant,) = font.DescendantFonts
            self.two_bytes = True  # WeasyPrint's fonts are Identity-H: two bytes a glyph
            self.default = float(descendant.get("/DW", 1000))
            self.widths = _cid_widths(list(descendant.get("/W", Array())))
        elif subtype in (Name.TrueType, Name.Type1):
            first = int(font.get("/FirstChar", 0))
            descriptor = font.get("/FontDescriptor", Dictionary())
            self.two_bytes = False
            self.default = float(descriptor.get("/MissingWidth", 0))
            self.widths = {first + n: float(w) for n, w in enumerate(font.get("/Widths", ()))}
        else:  # a Type3 font's widths are in its own glyph space
            raise ValueError(f"no widths read from a {subtype} font")

    def advance(self, text: bytes, size: float, spacing: float, words: float) -> float:
        """How far `text` moves the pen, before horizontal scaling: each glyph's width at
        `size`, plus the character `spacing`, plus the word spacing after a single-byte
        space."""
        if self.two_bytes:
            codes = [int.from_bytes(text[i : i + 2], "big") for i in range(0, len(text), 2)]
        else:
            codes = list(text)
        total = sum(self.widths.get(code, self.default) for code in codes) / 1000 * size
        spaces = 0 if self.two_bytes else codes.count(32)
        return total + spacing * len(codes) + words * spaces


def shown_width(
    operands: Sequence[object], font: FontWidths, size: float, spacing: float, words: float
) -> float:
    """How far a `Tj` or `TJ` moves the pen along its line, before horizontal scaling: its
    strings' advances less its adjustments (thousandths of the size, ISO 32000-1, 9.4.3)."""
    parts = list(operands[0]) if isinstance(operands[0], Array) else [operands[0]]
    width = 0.0
    for part in parts:
        if isinstance(part, pikepdf.String):
            width += font.advance(bytes(part), size, spacing, words)
        else:
            width -= float(part) / 1000 * size  # type: ignore[arg-type]
    return width


def _cid_widths(entries: list[object]) -> dict[int, float]:
    """A CIDFont's /W array as each glyph's width: `c [w1 w2 ...]` gives c, c+1, ...;
    `first last w` gives every glyph from first to last."""
    widths: dict[int, float] = {}
    index = 0
    while index + 1 < len(entries):
        first, following = int(entries[index]), entries[index + 1]  # type: ignore[call-overload]
        if isinstance(following, Array):
            widths.update((first + n, float(w)) for n, w in enumerate(following))
            index += 2
        else:
            last, width = int(following), float(entries[index + 2])  # type: ignore[call-overload, arg-type]
            widths.update((code, width) for code in range(first, last + 1))
            index += 3
    return widths
