"""Embedded fonts named and mapped to text as PDF readers and screen readers need.

- A font subset's name starts with a tag of six capitals (ISO 32000-1, 9.6.4). WeasyPrint
  gives every subset of a font the same tag, so two different subsets in one file (the
  note-taking handout holds the deck's and its own) or in two files merged later share a
  name. Here the tag is made from the subset's own bytes: the same name means the same font.
- WeasyPrint ends some family names with a comma (`Source-Sans-3,`): it is dropped.
- A hyphen WeasyPrint adds where it breaks a word is U+2010 HYPHEN in the text, so copying
  or searching gives "en\u2010 sure". Its glyph is mapped to U+00AD SOFT HYPHEN instead, which
  PDF readers drop when they join the lines (ISO 32000-1, 14.8.2.2.3), unless the document
  itself holds a U+2010 that the same glyph would show.
- A right-to-left ligature (Arabic lam-alef) maps to its letters in logical order, but
  readers turn a right-to-left run back character by character, so "لا" copies as "ال". Its
  map is written in visual order, which their turn puts right (text_layer.py says more).
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

import pikepdf
from pikepdf import Dictionary, Name

ADDED_HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
_HYPHEN_MAPPING = re.compile(rb"(<[0-9a-fA-F]+>\s*)<2010>")
_FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")
_MAPPING = re.compile(rb"(<[0-9a-fA-F]+>\s*)<([0-9a-fA-F]{8,})>")


def _descriptor(font: Dictionary) -> Dictionary | None:
    """The font descriptor of a font, or of a composite font's descendant."""
    found = font.get("/FontDescriptor")
    if found is None and (descendants := font.get("/DescendantFonts")):
        found = descendants[0].get("/FontDescriptor")
    return found if isinstance(found, Dictionary) else None


def _tag(data: bytes) -> str:
    """Six capitals made from a font subset's bytes."""
    digest = hashlib.sha256(data).digest()
    return "".join(string.ascii_uppercase[byte % 26] for byte in digest[:6])


def _renamed(font: Dictionary) -> None:
    """`font`, its descendant and its descriptor named by a tag made from its bytes."""
    descriptor = _descriptor(font)
    if descriptor is None or "+" not in str(font.BaseFont):
        return
    embedded = next((descriptor[key] for key in _FONT_FILES if key in descriptor), None)
    if embedded is None:
        return
    name = str(font.BaseFont)[1:].split("+", 1)[1].rstrip(",-")
    full = Name(f"/{_tag(embedded.read_bytes())}+{name}")
    font.BaseFont = descriptor.FontName = full
    for descendant in font.get("/DescendantFonts", []):
        descendant.BaseFont = full


def runs_right_to_left(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Arabic, Hebrew...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def _visual(match: re.Match[bytes]) -> bytes:
    """A ToUnicode entry of several characters, turned if they are right to left."""
    text = bytes.fromhex(match[2].decode()).decode("utf-16-be", "replace")
    if not runs_right_to_left(text):
        return match[0]
    return match[1] + b"<" + text[::-1].encode("utf-16-be").hex().encode() + b">"


def _remapped(font: Dictionary, hyphens_are_added: bool) -> None:
    """The font's ToUnicode map with right-to-left ligatures in visual order and, if
    `hyphens_are_added`, its added-hyphen glyph mapped to U+00AD."""
    mapping = font.get("/ToUnicode")
    if mapping is None:
        return
    data = mapping.read_bytes()
    mapped = _MAPPING.sub(_visual, data)
    if hyphens_are_added:
        mapped = _HYPHEN_MAPPING.sub(rb"\1<00ad>", mapped)
    if mapped != data:
        mapping.write(mapped)


def fix_fonts(pdf: pikepdf.Pdf, document: str) -> None:
    """Every embedded font of `pdf` renamed by its bytes, its right-to-left ligatures mapped
    in visual order and, unless the HTML `document` holds U+2010 itself, its added hyphens
    mapped to soft hyphens (see the module)."""
    hyphens_are_added = ADDED_HYPHEN not in document
    for font in pdf.objects:
        if not isinstance(font, Dictionary) or font.get("/Type") != Name.Font:
            continue
        if font.get("/Subtype") == Name.CIDFontType2 or "/BaseFont" not in font:
            continue  # a descendant: renamed with its composite font
        _renamed(font)
        _remapped(font, hyphens_are_added)
