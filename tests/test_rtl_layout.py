"""Right-to-left lessons (Arabic, Hebrew) laid out as the mirror of a left-to-right one:
figures at every width inside their column and on the same side mirrored, a figure beside
its slide's points on the left, justified lines flush, page numbers on the left. Every
position is read back from the built PDFs, in points from the page's left edge."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import NamedTuple

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from accessibility import elements
from conftest import build
from pdf_reader import Pdf, drawn_images
from PIL import Image

MM = 72 / 25.4
A4_WIDTH = 595.3
HANDOUT_COLUMN = (21 * MM, A4_WIDTH - 21 * MM)  # handout.css: @page margin 21 mm a side
SLIDE_WIDTH = 960.0
SLIDE_COLUMN = (0.8 * 72, SLIDE_WIDTH - 0.8 * 72)  # slides.css: @page margin 0.8 in a side
WIDTHS = (0.3, 0.6, 1.0)

# Paragraphs long enough to be justified over several lines. The Arabic one has Arabic
# punctuation, digits, quotation marks and Latin words in it, as lessons have.
WORDS = {
    "ar": {
        "course": "إدارة الأعمال",
        "author": "ليلى حسن",
        "title": "الأشكال",
        "section": "القسم",
        "caption": "مخطط العملية",
        "alt": "مستطيل رمادي يقطعه شريط داكن",
        "point": "نقطة قصيرة عن المصنع",
        "notes": "اسأل الطلاب عن مثال.",
        # Its lines' ends are read from PDFium's character boxes, which put the letters of a
        # word with vowel marks (its own text, text_layer.py) inside the first piece drawn:
        # no marks at the start of a line here.
        "text": (
            "تحول إدارة الإنتاج المواد الخام إلى سلع تامة الصنع، وتخطط الطاقة الإنتاجية"
            " وتراقب الجودة في كل مرحلة من مراحل العمل. أما إدارة العمليات فتشمل الخدمات"
            " أيضاً، مثل المصارف والمستشفيات والمدارس، وتهتم برضا العميل وبسرعة التسليم"
            " وبكلفة كل خطوة. يسأل المدير: “ما هي مدة التسليم؟” ثم يخطط لعام 2025 باستخدام"
            " ERP في كل قسم، ويعمل المديران معاً على تحسين الإنتاجية وتقليل الهدر في الموارد"
            " والوقت والمال في المؤسسة كلها."
        ),
    },
    "he": {
        "course": "ניהול עסקים",
        "author": "נועה לוי",
        "title": "איורים",
        "section": "סעיף",
        "caption": "תרשים התהליך",
        "alt": "ריבוע אפור ופס כהה לרוחבו",
        "point": "נקודה קצרה על הייצור",
        "notes": "לשאול את הכיתה לדוגמה.",
        "text": (
            "ניהול הייצור הופך חומרי גלם למוצרים מוגמרים, מתכנן את הקיבולת ובודק את"
            " האיכות בכל שלב של העבודה. ניהול התפעול כולל גם שירותים, כמו בנקים, בתי"
            " חולים ובתי ספר, ודואג לשביעות רצון הלקוח, למהירות האספקה ולעלות של כל צעד."
            " שני המנהלים עובדים יחד כדי לשפר את הפריון ולצמצם בזבוז של משאבים, זמן וכסף."
        ),
    },
    "en": {
        "course": "Business",
        "author": "Test author",
        "title": "Figures",
        "section": "Section",
        "caption": "The process diagram",
        "alt": "A grey rectangle crossed by a dark band",
        "point": "A short point about production",
        "notes": "Ask the class for an example.",
        "text": (
            "Production management turns raw materials into finished goods, plans the"
            " capacity and checks the quality at every stage of the work. Operations"
            " management covers services too, such as banks, hospitals and schools, and"
            " cares for the customer's satisfaction, the speed of delivery and the cost of"
            " every step. Both managers work together to cut the waste of time and money."
        ),
    },
}
LANGUAGES = tuple(WORDS)


def _lesson(language: str) -> str:
    """A lesson with figures at 30 %, 60 % and 100 % of the column after justified text,
    and a section whose points have a figure beside them on their slide."""
    words = WORDS[language]
    sections = "".join(
        f"""  - title: {words["section"]} {number}
    text: |
      {words["text"]}
    figure:
      file: pictures/photo.png
      alt: {words["alt"]}
      caption: {words["caption"]}
      width: {round(width * 100)}%
"""
        for number, width in enumerate(WIDTHS, start=1)
    )
    return f"""course: {words["course"]}
author: {words["author"]}
language: {language}
title: {words["title"]}
introduction: |
  {words["text"]}
sections:
{sections}  - title: {words["section"]} 4
    notes: {words["notes"]}
    text: |
      - {words["point"]}
      - {words["point"]}

      ![{words["alt"]}](pictures/photo.png "{words["caption"]}")
conclusion: |
  {words["text"]}
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rtl")
    content = folder / "content"
    (content / "pictures").mkdir(parents=True)
    photo = Image.new("RGB", (300, 200), (200, 200, 200))
    photo.paste((40, 40, 40), (0, 80, 300, 120))
    photo.save(content / "pictures" / "photo.png")
    for language in LANGUAGES:
        (content / f"{language}.yaml").write_text(_lesson(language), "utf-8")
    build(
        folder / "output",
        str(content),
        "--only",
        "handout,slides,notes,presenter",
        "--speaker-notes",
    )
    return folder / "output"


Box = tuple[float, float, float, float]  # left, bottom, right, top


class Line(NamedTuple):
    text: str  # without spaces, in content order
    left: float
    right: float
    baseline: float


def _lines(path: Path, page: int) -> list[Line]:
    """Each printed line of a page, top to bottom: its text (no spaces, in content order)
    and its left and right ends, from the characters' advances (not their ink)."""
    document = pdfium.PdfDocument(str(path))
    textpage = document[page].get_textpage()
    lines: dict[float, list[Line]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in range(textpage.count_chars()):
        character = textpage.get_text_range(index, 1)
        if not character.strip():
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        left, _, right, _ = textpage.get_charbox(index, loose=True)
        lines.setdefault(round(y.value, 1), []).append((character, left, right))
    document.close()
    return [
        Line(
            "".join(c for c, _, _ in chars),
            min(left for _, left, _ in chars),
            max(right for _, _, right in chars),
            baseline,
        )
        for baseline, chars in sorted(lines.items(), reverse=True)
        # Arabic's vowel marks sit on baselines of their own: not lines.
        if len(chars) > 2
    ]


def _pages(path: Path) -> range:
    return range(len(Pdf(path)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_and_caption_is_inside_the_column(output: Path, language: str) -> None:
    for kind, (start, end) in {"handout": HANDOUT_COLUMN, "slides": SLIDE_COLUMN}.items():
        path = output / f"{language}-{kind}.pdf"
        drawn = [(page, box) for page in _pages(path) for box in drawn_images(path, page)]
        assert len(drawn) == 4, (kind, drawn)  # a raster picture is an image object
        for page, (left, _, right, _) in drawn:
            assert start - 0.5 <= left < right <= end + 0.5, (kind, page, left, right)
        for page in _pages(path):
            for text, left, right, _ in _lines(path, page):
                assert start - 0.5 <= left < right <= end + 0.5, (kind, page, text, left, right)


def _handout_figures(output: Path, language: str) -> dict[float, tuple[Box, Line]]:
    """The handout's figures by their share of the column, each with its caption's line."""
    path = output / f"{language}-handout.pdf"
    column = HANDOUT_COLUMN[1] - HANDOUT_COLUMN[0]
    found = {}
    for page in _pages(path):
        lines = _lines(path, page)
        for box in drawn_images(path, page):
            caption = next(line for line in lines if line.baseline < box[1])  # under it
            found[round((box[2] - box[0]) / column, 1)] = (box, caption)
    return found


@pytest.mark.parametrize("language", ["ar", "he"])
def test_a_right_to_left_figure_is_placed_as_the_mirror_of_a_left_to_right_one(
    output: Path, language: str
) -> None:
    start, end = HANDOUT_COLUMN
    ltr, rtl = _handout_figures(output, "en"), _handout_figures(output, language)
    # The widths asked for, and 0.5: the picture's own size (without a width).
    assert sorted(ltr) == sorted(rtl) == sorted((*WIDTHS, 0.5))
    for share in ltr:
        (left, _, right, _), caption = ltr[share]
        (mirror_left, _, mirror_right, _), mirror_caption = rtl[share]
        # As far from the column's right edge as the left-to-right one is from its left.
        assert abs((end - mirror_right) - (left - start)) < 1, (share, left, mirror_right)
        assert abs((mirror_right - mirror_left) - (right - left)) < 1, share
        # The caption starts at the figure's start side: its left edge in English, its
        # right edge in a right-to-left lesson.
        assert abs(caption.left - left) < 1.5, (share, caption, left)
        assert abs(mirror_caption.right - mirror_right) < 1.5, (share, mirror_caption)


def _beside_slide(path: Path, point: str) -> int:
    """The slide with the section's points and its diagram beside them."""
    deck = Pdf(path)
    return next(
        n
        for n in _pages(path)
        if point in " ".join(deck.page_text(n).split()) and drawn_images(path, n)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_figure_beside_the_points_is_on_their_end_side_and_read_after_them(
    output: Path, language: str
) -> None:
    path = output / f"{language}-slides.pdf"
    point = WORDS[language]["point"]
    slide = _beside_slide(path, point)
    ((left, _, right, _),) = drawn_images(path, slide)
    # The points' lines: the first words of the point (a line may end before its last).
    points = [line for line in _lines(path, slide) if point[:7].replace(" ", "") in line.text]
    assert points, _lines(path, slide)
    if language == "en":
        assert all(line.right < left for line in points), (points, left)
        assert right > SLIDE_WIDTH / 2
    else:
        assert all(line.left > right for line in points), (points, right)
        assert left < SLIDE_WIDTH / 2
    # Read in order: the points (the column the lines start from), then the figure.
    text = " ".join(Pdf(path).page_text(slide).split())
    assert text.index(point) < text.index(WORDS[language]["caption"])
    with Pdf(path).structure() as pdf:
        order = _structure_order(pdf)
    figure = max(i for i, kind in enumerate(order) if kind == "Figure")  # the last slide's
    heading = max(i for i, kind in enumerate(order[:figure]) if kind == "H2")
    assert "LI" in order[heading:figure], order[heading:]


def _structure_order(pdf: pikepdf.Pdf) -> list[str]:
    """The structure tree's element types, depth first."""
    return [str(node.S)[1:] for node in elements(pdf)]


def test_justified_arabic_lines_are_flush_on_both_sides(output: Path) -> None:
    path = output / "ar-handout.pdf"
    start, end = HANDOUT_COLUMN
    lines = _lines(path, 0)
    # The first section's paragraph: the lines under its heading, up to its figure.
    heading = next(i for i, line in enumerate(lines) if line.text == WORDS["ar"]["section"] + "1")
    paragraph = []
    for line in lines[heading + 1 :]:
        if len(line.text) < 10:
            continue  # a word with vowel marks: PDFium puts its text on a baseline of its own
        paragraph.append(line)
        if line[1] > start + 20:  # the last line, short of the left margin
            break
    assert len(paragraph) >= 3, lines
    *full, last = paragraph
    for text, left, right, _ in full:
        assert abs(left - start) < 1, (text[:20], left)
        assert abs(right - end) < 1, (text[:20], right)
    assert abs(last[2] - end) < 1, last  # the last line starts at the right margin too


def test_hebrew_lines_start_flush_at_the_right(output: Path) -> None:
    # Set ragged on the left (see handout.css): every line starts at the right margin.
    path = output / "he-handout.pdf"
    start, end = HANDOUT_COLUMN
    lines = _lines(path, 0)
    heading = next(
        i for i, line in enumerate(lines) if line.text.startswith(WORDS["he"]["section"])
    )
    paragraph = lines[heading + 1 : heading + 4]
    for text, left, right, _ in paragraph:
        assert abs(right - end) < 1, (text[:20], right)
        assert left > start - 0.5, (text[:20], left)


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_numbers_and_the_slide_footer_are_on_the_mirrored_sides(
    output: Path, language: str
) -> None:
    rtl = language != "en"
    slides = output / f"{language}-slides.pdf"
    for page in range(1, len(Pdf(slides))):
        numbers = (f"{page + 1}/{len(Pdf(slides))}", f"{len(Pdf(slides))}/{page + 1}")
        lines = _lines(slides, page)
        # "7 / 8" runs right to left in a right-to-left lesson: PDFium copies it as "8/7".
        footer = next(line for line in lines if line.text in numbers)
        running = next(line for line in lines if "·" in line.text)  # course · lesson
        assert (footer.right < SLIDE_WIDTH / 3) == rtl, (page, footer)
        assert (running.left > SLIDE_WIDTH * 2 / 3) == rtl, (page, running)
    for kind in ("handout", "notes", "presenter"):
        path = output / f"{language}-{kind}.pdf"
        last = _lines(path, 0)[-1]  # "Page 1 of N", at the foot
        assert (last.right < A4_WIDTH / 3) == rtl, (kind, last)
        assert (last.left > A4_WIDTH * 2 / 3) == (not rtl), (kind, last)


@pytest.mark.parametrize("language", ["ar", "he", "en"])
def test_the_speaker_notes_icon_sits_where_the_titles_end(output: Path, language: str) -> None:
    # Top right in English; top left in a right-to-left deck, off the title's first letters.
    with pikepdf.open(output / f"{language}-slides.pdf") as pdf:
        icons = [
            [float(value) for value in annotation.Rect]
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/Subtype") == "/Text"
        ]
    assert icons
    for left, _, right, _ in icons:
        assert right < SLIDE_WIDTH / 3 if language != "en" else left > SLIDE_WIDTH * 2 / 3, left
