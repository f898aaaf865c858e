"""The words a PDF gives back, by PDFium and by Poppler, against the words of its lesson.

Both are the text a reader copies, searches or speaks: PDFium (Chrome's viewer, pypdfium2)
and Poppler (`pdftotext`, in most Linux viewers). Words are runs of letters, marks and digits
with a hyphen or an apostrophe inside, compared without case: an uppercased heading still
gives the teacher's words. A word broken at the end of a line by a hyphen added there comes
back whole; one broken after a hyphen the teacher typed keeps it.
"""

from __future__ import annotations

import re
import string
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import yaml

# Inside a word: the hyphen, the apostrophes, the Hebrew maqaf and geresh.
_JOINERS = "-'\u2019\u05be\u05f3"
# What is not a word of the lesson: its formulas ($...$) are checked as words of their own.
_LINE_END_BREAKS = re.compile(r"[\u00ad\u2010]\r?\n|\ufffe\r?\n?")
_TYPED_BREAK = re.compile(r"-\r?\n")


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def words(text: str) -> Iterator[str]:
    """The words of `text`, lowercased, apostrophes as U+0027."""
    text = _TYPED_BREAK.sub("-", _LINE_END_BREAKS.sub("", text))
    word = ""
    for index, char in enumerate(text):
        inside = (
            char in _JOINERS and word and index + 1 < len(text) and _is_word_char(text[index + 1])
        )
        if _is_word_char(char) or inside:
            word += char
            continue
        if word:
            yield word.lower().replace("\u2019", "'")
        word = ""
    if word:
        yield word.lower().replace("\u2019", "'")


def _strings(value: object, skipped: tuple[str, ...]) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skipped:
                yield from _strings(item, skipped)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skipped)


def lesson_words(lesson: Path, notes: bool = True) -> set[str]:
    """Every word the teacher wrote in a lesson file (but the speaker notes' unless `notes`)."""
    skipped = ("language",) if notes else ("language", "notes")
    texts = _strings(yaml.safe_load(lesson.read_text("utf-8")), skipped)
    return {word for text in texts for word in words(text)}


def catalog_words(catalog: Path) -> set[str]:
    """The words of a catalog of fixed words, around their {fields}."""
    found: set[str] = set()
    for text in yaml.safe_load(catalog.read_text("utf-8")).values():
        for literal, *_ in string.Formatter().parse(text):
            found.update(words(literal))
    return found


def pdfium_text(path: Path) -> str:
    """The text of every page as PDFium copies it."""
    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def poppler_text(path: Path) -> str:
    """The text of every page as Poppler's pdftotext copies it."""
    ran = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return ran.stdout.decode("utf-8")


def has_mark(word: str) -> bool:
    return any(unicodedata.category(char) == "Mn" for char in word)


def misread(text: str, known: Iterable[str]) -> list[str]:
    """The words of `text` that are no word of `known` nor a number: words read wrong."""
    allowed = set(known)
    return sorted({word for word in words(text) if word not in allowed and not word.isdigit()})
