"""Lessons in other languages print every fixed word, quotation mark and PDF field in
their own language."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import LANGUAGE_LESSONS, ROOT, SAMPLES, build, run
from pdf_reader import Pdf

LESSONS = LANGUAGE_LESSONS
SAMPLE_PICTURE = SAMPLES / "images" / "input-process-output.svg"
CATALOGS = ROOT / "templates" / "strings"
LANGUAGES = ("fr", "de")


def _catalog(language: str) -> dict[str, str]:
    return yaml.safe_load((CATALOGS / f"{language}.yaml").read_text("utf-8"))


def _literals(text: str) -> set[str]:
    """The words of a catalog string around its {fields}, of four characters or more."""
    parts = (literal.strip(" .:()") for literal, *_ in string.Formatter().parse(text))
    return {part for part in parts if len(part) >= 4}


@pytest.fixture(scope="module")
def printed(languages_built: Path) -> Path:
    """Every output of the test lessons, with the speaker notes in the slides."""
    return languages_built


def _everything_shown(pdf: Pdf) -> str:
    """The text of every page as printed, the title, subject and bookmarks."""
    fields = pdf.metadata()
    pages = (pdf.page_text(index).replace("\ufffe", "") for index in range(len(pdf)))
    outline = (title for _, title in pdf.outline())
    return "\n".join((*pages, fields.get("Title", ""), fields.get("Subject", ""), *outline))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_furniture_is_left_and_every_output_says_its_language(
    printed: Path, language: str
) -> None:
    english, own = _catalog("en"), _catalog(language)
    foreign = set().union(*(_literals(own[key]) for key in own))
    left = set().union(*(_literals(text) for text in english.values())) - foreign
    paths = sorted(printed.glob(f"{language}-*.pdf"))
    assert len(paths) == 7  # handout, slides, notes, table, worksheet, answers, presenter
    for path in paths:
        shown = _everything_shown(Pdf(path))
        assert not {word for word in left if word in shown}, path.name
        assert str(Pdf(path).structure().Root.Lang) == language


def test_french_quotes_and_spaces_before_marks(printed: Path) -> None:
    text = _everything_shown(Pdf(printed / "fr-handout.pdf"))
    assert "«\u202fQuel est le délai\u202f?\u202f»" in text
    assert "les services\u00a0: banques" in text  # written "services: banques"
    assert "Page 1 sur 1" in text


def test_german_quotes_and_words(printed: Path) -> None:
    handout = _everything_shown(Pdf(printed / "de-handout.pdf"))
    assert "„Leistung“" in handout
    assert "Seite 1 von 1" in handout
    assert ("Folie 2: Überblick") in [title for _, title in Pdf(printed / "de-notes.pdf").outline()]


def test_a_course_and_a_lesson_reword_labels_and_a_misspelt_one_is_located(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "course.yaml").write_text('labels:\n  page_x_of_y: "p. {page}/{pages}"\n', "utf-8")
    lesson = (LESSONS / "fr.yaml").read_text("utf-8")
    (folder / "fr.yaml").write_text(lesson + "labels:\n  answer_key: Correction\n", "utf-8")
    build(tmp_path / "out", str(folder), "--only", "handout,answers")
    answers = _everything_shown(Pdf(tmp_path / "out" / "fr-answers.pdf"))
    assert "correction" in answers.replace(" ", "").lower()  # letter-spaced capitals
    assert "p. 1/1" in _everything_shown(Pdf(tmp_path / "out" / "fr-handout.pdf"))

    (folder / "fr.yaml").write_text(lesson + 'labels:\n  answer_kye: X\n  slide_n: "D {n}"\n')
    ran = run("check", str(folder))
    assert ran.returncode == 1
    assert ":32:3: error: unknown key 'answer_kye' (did you mean 'answer_key'?)" in ran.stderr
    assert ":33:12: error: the label 'slide_n' fills in {n}, which it does not have" in ran.stderr


@pytest.fixture(scope="module")
def arabic(languages_built: Path) -> Path:
    """Every output of the Arabic test lesson."""
    return languages_built


def _x_of(pdf: Pdf, page: int, text: str) -> float:
    """The left edge, in points, of where `text` is printed on a page."""
    chars = pdf.char_boxes(page)  # without spaces
    printed = "".join(character for character, _ in chars)
    return chars[printed.index(text.replace(" ", ""))][1][0]


def test_an_arabic_lesson_prints_right_to_left_in_its_own_words(arabic: Path) -> None:
    english = _catalog("en")
    for path in sorted(arabic.glob("ar-*.pdf")):
        pdf = Pdf(path)
        shown = _everything_shown(pdf)
        assert not {w for text in english.values() for w in _literals(text) if w in shown}
        assert str(pdf.structure().Root.Lang) == "ar"
    handout = Pdf(arabic / "ar-handout.pdf")
    width = handout.page_size(0)[0]
    number = "الصفحة 1 من 1"
    assert number in handout.page_text(0)
    assert _x_of(handout, 0, "الصفحة") < width / 3, "the page number is on the left"
    # The first subject's column is on the right: in the table's header, and side by side.
    table = Pdf(arabic / "ar-table.pdf")
    # ("نتاج": PDFium copies the lam-alef ligature of "الإنتاج" as alef-lam.)
    assert _x_of(table, 0, "نتاج") > _x_of(table, 0, "العمليات")
    assert _x_of(handout, 0, "نتاج") > _x_of(handout, 0, "العمليات")
    # Read in logical order: the conclusion's first sentence comes before its second.
    text = handout.page_text(0)
    assert text.index("المجالين") < text.index("ويشتركان")
    # Arabic's quotes (” “), which PDFium copies in visual order (“ ”), not English's.
    assert "“ما هي مدة التسليم؟”" in text


def test_arabic_slides_and_notes_run_from_the_right(arabic: Path) -> None:
    slides = Pdf(arabic / "ar-slides.pdf")
    # Side by side, the first subject's column is on the right.
    goals = next(n for n in range(len(slides)) if "خدمة العميل" in slides.page_text(n))
    assert _x_of(slides, goals, "سلع عالية") > _x_of(slides, goals, "خدمة العميل")
    # A long list reads down its right column first, then its left.
    tools = next(n for n in range(len(slides)) if "الجدولة" in slides.page_text(n))
    first, second, fourth = (
        _x_of(slides, tools, item) for item in ("التخطيط", "الجدولة", "المخزون")
    )
    assert abs(first - second) < 30 < first - fourth
    text = slides.page_text(tools)
    assert text.index("التخطيط") < text.index("الجدولة") < text.index("المخزون")
    # Three slides a page: the slide on the right, the lines for notes on its left.
    notes = Pdf(arabic / "ar-notes.pdf")
    width = notes.page_size(0)[0]
    assert _x_of(notes, 0, "نظرة") > width / 2


@pytest.mark.parametrize(("written", "code"), [("FR", "fr"), ("Fr", "fr"), ("pt-br", "pt-BR")])
def test_a_language_code_in_any_case_is_read_as_bcp_47_writes_it(
    tmp_path: Path, written: str, code: str
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson = (
        (LESSONS / "fr.yaml").read_text("utf-8").replace("language: fr", f"language: {written}")
    )
    (folder / "lesson.yaml").write_text(lesson, "utf-8")
    build(tmp_path / "out", str(folder), "--only", "handout")
    pdf = Pdf(tmp_path / "out" / "lesson-handout.pdf")
    assert str(pdf.structure().Root.Lang) == code
    text = _everything_shown(pdf)
    page = {"fr": "Page 1 sur 1", "pt-BR": "Página 1 de 1"}[code]
    assert page in text and "Page 1 of 1" not in text


@pytest.mark.parametrize(
    ("code", "words"), [("fa", ("نگاهی کوتاه", "نتیجه")), ("ur", ("ایک نظر میں", "خلاصہ"))]
)
def test_persian_and_urdu_lessons_print_their_own_words_right_to_left(
    printed: Path, code: str, words: tuple[str, ...]
) -> None:
    english = _catalog("en")
    handout = Pdf(printed / f"{code}-handout.pdf")  # the same bytes as the lesson built alone
    shown = _everything_shown(handout)
    assert not {w for text in english.values() for w in _literals(text) if w in shown}
    assert all(word in shown for word in words)
    assert str(handout.structure().Root.Lang) == code
    width = handout.page_size(0)[0]
    assert _x_of(handout, 0, words[0]) > width / 2, "a heading starts on the right"


@pytest.mark.parametrize(
    ("written", "hint"),
    [("Français", "use 'fr' for French"), ("العربية", "use 'ar' for Arabic"), ("اردو", "'ur'")],
)
def test_a_language_named_in_its_own_words_gets_its_code_suggested(
    tmp_path: Path, written: str, hint: str
) -> None:
    lesson = (LESSONS / "fr.yaml").read_text("utf-8")
    (tmp_path / "lesson.yaml").write_text(lesson.replace("language: fr", f"language: {written}"))
    ran = run("check", str(tmp_path))
    assert ran.returncode == 1
    assert "lesson.yaml:3:11: error: " in ran.stderr and hint in ran.stderr


def test_a_language_without_a_catalog_is_a_note_naming_the_file_to_add(tmp_path: Path) -> None:
    lesson = (LESSONS / "fr.yaml").read_text("utf-8")
    (tmp_path / "ja.yaml").write_text(lesson.replace("language: fr", "language: ja"))
    ran = run(str(tmp_path / "ja.yaml"), "--only", "handout", "-o", str(tmp_path / "out"))
    assert ran.returncode == 0, ran.stderr
    assert "no word catalog for the language 'ja'" in ran.stdout
    assert "theme/strings/ja.yaml" in ran.stdout
    french = run(str(LESSONS / "fr.yaml"), "--only", "handout", "-o", str(tmp_path / "fr"))
    assert "no word catalog" not in french.stdout


def test_titles_names_and_labels_are_set_in_the_lessons_language(tmp_path: Path) -> None:
    lesson = (LESSONS / "fr.yaml").read_text("utf-8")
    title = """title: L'accélération, "une grandeur vectorielle"\n"""
    lesson = re.sub(r"(?m)^title: .*\n", title, lesson, count=1)
    lesson = lesson.replace("  - title: Objectifs", "  - title: 'Unité: SI'", 1)
    lesson += """labels:\n  at_a_glance: 'Le "tableau": résumé'\n"""
    figure = """\n      ![Un schéma](schema.svg 'Le "flux": entrée, sortie')\n"""
    lesson = lesson.replace("de la chaîne.\n", "de la chaîne.\n" + figure, 1)
    (tmp_path / "fr.yaml").write_text(lesson, "utf-8")
    shutil.copy(SAMPLE_PICTURE, tmp_path / "schema.svg")
    build(tmp_path / "out", str(tmp_path / "fr.yaml"), "--only", "handout,slides")
    typeset = "L\u2019accélération, «\u202fune grandeur vectorielle\u202f»"
    handout = Pdf(tmp_path / "out" / "fr-handout.pdf")
    assert handout.metadata()["Title"].startswith(typeset)
    # The catalog's separator: "Gestion des opérations : Support de cours", a no-break space.
    assert handout.metadata()["Subject"].startswith("Gestion des opérations\u00a0: ")
    assert typeset in handout.page_text(0)
    shown = handout.page_text(0)  # no-break spaces copied as they are (text_layer.py)
    assert "Unité\u00a0: SI" in shown
    assert "Le «\u202ftableau\u202f»\u00a0: résumé" in shown  # a label's words are set alike
    bookmarks = [title for _, title in Pdf(tmp_path / "out" / "fr-slides.pdf").outline()]
    assert bookmarks[0] == typeset
    assert "Unité\u00a0: SI" in bookmarks
    # A figure's own slide: its caption set alike in its bookmark.
    assert any(title.endswith("Le «\u202fflux\u202f»\u00a0: entrée, sortie") for title in bookmarks)


@pytest.mark.parametrize("reading", ["is_right_to_left('fr')", "language_hint('Francais')"])
def test_reading_a_language_s_own_file_leaves_babel_its_whole_locale(reading: str) -> None:
    """Babel keeps the locale data it loads: reading a language's own file for its direction,
    or every language's for their own names (a misspelt code's hint), must not keep that
    file, without what it inherits, as the whole locale (a long `watch` would then fail to
    number the French index page)."""
    code = (
        f"from handouts.lesson.languages import is_right_to_left, language_hint; {reading}; "
        "from babel.numbers import format_decimal; print(format_decimal(1.5, locale='fr'))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stdout) == (0, "1,5\n"), ran.stderr
