"""How far shown text moves the pen, read from its font's widths as PDF readers read them:
the repair pass moves drawings past text only where that text cannot reach."""

from __future__ import annotations

import pytest
from pikepdf import Array, Dictionary, Name, String

from handouts.render.text_widths import FontWidths, shown_width


def _composite() -> FontWidths:
    """A Type0 font whose /W gives glyphs 1 and 2 one by one and 10 to 12 as a range."""
    widths = Array([1, Array([500, 600]), 10, 12, 700])
    descendant = Dictionary(Subtype=Name.CIDFontType2, W=widths, DW=1000)
    return FontWidths(Dictionary(Subtype=Name.Type0, DescendantFonts=Array([descendant])))


def test_a_composite_font_reads_two_bytes_a_glyph_and_both_forms_of_its_widths() -> None:
    font = _composite()
    glyphs = bytes([0, 1, 0, 2, 0, 11, 0, 99])  # 500 + 600 + 700 + the default 1000
    assert font.advance(glyphs, 10, 0, 0) == pytest.approx(28.0)
    assert font.advance(glyphs, 10, 0.5, 3) == pytest.approx(30.0)  # no word spacing: two bytes


def test_a_simple_font_counts_its_spaces_for_word_spacing() -> None:
    font = FontWidths(Dictionary(Subtype=Name.TrueType, FirstChar=32, Widths=Array([250, 0, 400])))
    assert font.advance(b" \x22 ", 10, 0, 2) == pytest.approx(2.5 + 4 + 2.5 + 2 * 2)


def test_adjustments_in_a_tj_move_the_pen_back_by_thousandths_of_the_size() -> None:
    shown = Array([String(bytes([0, 1])), -1000, String(bytes([0, 2])), 500])
    assert shown_width([shown], _composite(), 10, 0, 0) == pytest.approx(5 + 10 + 6 - 5)


def test_a_type3_font_is_not_read() -> None:
    with pytest.raises(ValueError, match="Type3"):
        FontWidths(Dictionary(Subtype=Name.Type3))
