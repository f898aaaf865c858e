"""Every word of a lesson comes back from every output as the teacher typed it, in PDFium
and in Poppler: right-to-left ligatures and vowel marks, hyphens, no-break spaces and
letter-spaced headings included; and the check fails on a PDF that reads wrong."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import LANGUAGE_LESSONS, ROOT, needs_poppler
from text_layer import (
    catalog_words,
    has_mark,
    lesson_words,
    misread,
    pdfium_text,
    poppler_text,
    words,
)

LESSONS = LANGUAGE_LESSONS
CATALOGS = ROOT / "templates" / "strings"
LANGUAGES = ("ar", "he", "fr", "de")
OUTPUTS = {"handout", "slides", "notes", "presenter", "table", "worksheet", "answers"}
_LAM_ALEF = re.compile(rb"<(06[0-9a-f]{2})0644>")

pytestmark = needs_poppler


@pytest.fixture(scope="module")
def printed(languages_built: Path) -> Path:
    """Every output of the test lessons (their speaker notes are comments: no text)."""
    return languages_built


def _known(language: str) -> set[str]:
    return (
        lesson_words(LESSONS / f"{language}.yaml")
        | catalog_words(CATALOGS / f"{language}.yaml")
        | catalog_words(CATALOGS / "en.yaml")  # the bullets' and numbers' symbols only
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_comes_back_as_typed_from_every_output(printed: Path, language: str) -> None:
    pdfs = [pdf for pdf in printed.glob(f"{language}-*.pdf") if pdf.stem.split("-")[1] in OUTPUTS]
    assert {pdf.stem.split("-")[1] for pdf in pdfs} >= OUTPUTS - {"presenter"}  # notes: if any
    known = _known(language)
    wrong = {}
    found: set[str] = set()
    for pdf in pdfs:
        poppler, pdfium = poppler_text(pdf), pdfium_text(pdf)
        found |= set(words(poppler))
        # PDFium turns the text of a word with vowel marks in pieces (see docs/languages.md).
        pdfium_words = " ".join(word for word in words(pdfium) if not has_mark(word))
        for reader, text in (("poppler", poppler), ("pdfium", pdfium_words)):
            if problems := misread(text, known):
                wrong[f"{pdf.name} ({reader})"] = problems
    assert wrong == {}
    missing = lesson_words(LESSONS / f"{language}.yaml", notes=False) - found
    assert missing == set()


def test_typed_hyphens_and_no_break_spaces_are_kept_and_added_hyphens_are_soft(
    printed: Path,
) -> None:
    handout = printed / "fr-handout.pdf"
    for text in (poppler_text(handout), pdfium_text(handout)):
        assert "peut-elle" in text
        assert "demande\u00a0:" in text
        assert "\u2010" not in text
    # The kicker is letter-spaced and uppercased: still its words.
    assert "GESTION DES OPÉRATIONS" in pdfium_text(handout).splitlines()[0]
    # A formula reads as its LaTeX where it stands, in both.
    assert "la vitesse v = d/t de la chaîne" in pdfium_text(handout)
    assert "la vitesse v = d/t" in poppler_text(handout)


def test_right_to_left_ligatures_and_marks_come_back_in_logical_order(printed: Path) -> None:
    arabic, hebrew = (
        poppler_text(printed / "ar-handout.pdf"),
        poppler_text(printed / "he-handout.pdf"),
    )
    for word in ("الإنتاج", "إلى", "ليلى", "تحوّل"):
        assert word in arabic
    assert "לִבְנוֹת" in hebrew
    # PDFium: the ligatures too; a word with vowel marks it turns in pieces.
    assert {"الإنتاج", "إلى", "ليلى"} <= set(words(pdfium_text(printed / "ar-handout.pdf")))


def _left_edges(path: Path) -> list[tuple[str, float]]:
    """Each word Poppler finds on the first page (as drawn, brackets and all), and its
    left edge."""
    ran = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", str(path), "-"], capture_output=True, check=True
    )
    found = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', ran.stdout.decode("utf-8"))
    return [(html.unescape(word), float(x)) for x, word in found]


def test_numbers_and_latin_words_inside_right_to_left_text_keep_their_order(
    printed: Path,
) -> None:
    # Written "(30 years)" and "5 m/s" inside Arabic: printed so, not "(years 30)", "m/s 5".
    words = _left_edges(printed / "ar-handout.pdf")

    def x(part: str) -> float:
        return next(left for word, left in words if word.strip("().") == part)

    assert x("30") < x("years")
    assert x("5") < x("m/s")


def _undone(path: Path, broken: Path) -> None:
    """`path` with its words' own texts removed and its right-to-left ligatures mapped
    back in logical order: the PDF as WeasyPrint wrote it."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept, open_spans = [], []  # each marked content: whether it is a word's own text
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("BDC", "BMC"):
                    own = (
                        isinstance(operands[-1], pikepdf.Dictionary)
                        and "/ActualText" in operands[-1]
                    )
                    open_spans.append(own)
                    if own:
                        continue
                elif str(operator) == "EMC" and open_spans.pop():
                    continue
                kept.append((operands, operator))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        for font in pdf.objects:
            mapping = font.get("/ToUnicode") if isinstance(font, pikepdf.Dictionary) else None
            if isinstance(mapping, pikepdf.Stream):
                logical = _LAM_ALEF.sub(rb"<0644\1>", mapping.read_bytes())
                mapping.write(logical)
        pdf.save(broken)


def test_the_check_finds_words_read_wrong(printed: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ar-handout.pdf"
    _undone(printed / "ar-handout.pdf", broken)
    text = poppler_text(broken)
    assert "اإلنتاج" in misread(text, _known("ar"))
    french = tmp_path / "fr-handout.pdf"
    _undone(printed / "fr-handout.pdf", french)
    assert misread(pdfium_text(french), _known("fr"))
