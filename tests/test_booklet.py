"""`--booklet`: the handout typeset on A5 and imposed two pages a side on A4 landscape in
saddle-stitch order, read back from the PDFs: where each page's text is, in what order the
structure tree reads it, where the bookmarks go, and that it is tracked as every output is."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import yaml
from accessibility import problems
from conftest import LANGUAGE_LESSONS, SAMPLE, SAMPLES, build, copy_samples, run_here
from page import ValidationProfile, validate_pdf
from pdf_reader import Pdf, normalize

from handouts.render.imposition import saddle_order

A4_LANDSCAPE = (842.0, 595.0)
FOOTER = re.compile(r"page (\d+) of (\d+)")  # as `normalize` leaves it
LONG = "long"  # the sample lesson's sections three times over: six A5 pages
PICTURED = "production-systems"  # a picture, formulas and (added here) a web link
LINK = "https://example.org/production-systems"


@pytest.fixture(scope="module")
def booklets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two samples and a longer lesson built as booklets."""
    folder = copy_samples(tmp_path_factory.mktemp("booklet") / "content")
    lesson = yaml.safe_load((SAMPLES / f"{SAMPLE}.yaml").read_text("utf-8"))
    sections = lesson["sections"]
    lesson["sections"] = [
        {**section, "title": f"{section['title']} ({again})"} if again else section
        for again in range(3)
        for section in sections
    ]
    (folder / f"{LONG}.yaml").write_text(yaml.safe_dump(lesson, sort_keys=False), "utf-8")
    pictured = folder / f"{PICTURED}.yaml"
    anchor = "      A system's **productivity**"
    link = f"      Read more in the [guide to production systems]({LINK}).\n\n"
    pictured.write_text(pictured.read_text("utf-8").replace(anchor, link + anchor, 1), "utf-8")
    output = folder.parent / "output"
    lessons = (str(folder / f"{name}.yaml") for name in (SAMPLE, LONG, PICTURED))
    build(output, *lessons, *BOOKLET)
    return output


BOOKLET = ("--only", "booklet", "--booklet")


def _halves(pdf: Pdf, side: int) -> list[str]:
    """The text on the left and on the right half of a sheet side, as pdfium reads it."""
    page = pdf.document[side]
    width, height = page.get_size()
    text = page.get_textpage()
    return [
        normalize(text.get_text_bounded(0, 0, width / 2, height)),
        normalize(text.get_text_bounded(width / 2, 0, width, height)),
    ]


def _footers(pdf: Pdf) -> list[tuple[int | None, int | None]]:
    """Each sheet side's pages, left and right, by their "Page X of Y" footer (None: a half
    with no text at all); each half has one footer or none."""
    sides = []
    for side in range(len(pdf)):
        found: list[int | None] = []
        for half in _halves(pdf, side):
            footers = FOOTER.findall(half)
            assert len(footers) == (1 if half else 0), half
            found.append(int(footers[0][0]) if footers else None)
        sides.append((found[0], found[1]))
    return sides


@pytest.mark.parametrize(
    ("lesson", "pages", "order"),
    [
        (SAMPLE, 3, [(None, 1), (2, 3)]),  # page 4 is the padding
        (LONG, 6, [(None, 1), (2, None), (6, 3), (4, 5)]),  # 7 and 8 are
    ],
)
def test_a5_pages_two_a_side_in_saddle_stitch_order(
    booklets: Path, lesson: str, pages: int, order: list[tuple[int | None, int | None]]
) -> None:
    pdf = Pdf(booklets / f"{lesson}-handout-booklet.pdf")
    assert len(pdf) == len(order)
    for side in range(len(pdf)):
        assert pdf.page_size(side) == pytest.approx(A4_LANDSCAPE, abs=1)
    assert _footers(pdf) == order
    assert f"page 1 of {pages}" in pdf.text()
    # Typeset for A5 (booklet.css: 9.5 pt body text), not an A4 page shrunk (10.5 pt to 7.4).
    sizes = [round(char.size, 1) for char in pdf.inked_chars(len(pdf) - 1)]
    assert max(set(sizes), key=sizes.count) == 9.5


def test_padding_pages_are_blank(booklets: Path) -> None:
    pdf = Pdf(booklets / f"{SAMPLE}-handout-booklet.pdf")
    page = pdf.document[0]
    image = page.render(scale=0.5).to_pil().convert("L")
    left = image.crop((0, 0, image.width // 2 - 2, image.height))
    assert left.getextrema() == (255, 255)  # nothing painted where page 4 would be
    assert _halves(pdf, 0)[0] == ""


def _text_by_mark(path: Path) -> dict[tuple[int, int], str]:
    """Each marked content's text, by sheet side and MCID, as pdfium reads it."""
    found: dict[tuple[int, int], str] = {}
    document = pdfium.PdfDocument(path)
    for index in range(len(document)):
        page = document[index]
        text = page.get_textpage()
        for item in page.get_objects(max_depth=1):
            mcid = pdfium_raw.FPDFPageObj_GetMarkedContentID(item.raw)
            if item.type != pdfium_raw.FPDF_PAGEOBJ_TEXT or mcid < 0:
                continue
            size = pdfium_raw.FPDFTextObj_GetText(item.raw, text.raw, None, 0)
            buffer = (pdfium_raw.FPDF_WCHAR * size)()
            pdfium_raw.FPDFTextObj_GetText(item.raw, text.raw, buffer, size)
            words = bytes(buffer).decode("utf-16-le").rstrip("\0")
            found[index, mcid] = found.get((index, mcid), "") + words
    return found


def _headings_in_tree_order(path: Path) -> list[str]:
    """The text of every heading, in the structure tree's order, read from the marked
    contents the tree says each holds."""
    text = _text_by_mark(path)
    with pikepdf.open(path) as pdf:
        sides = {page.objgen: index for index, page in enumerate(pdf.pages)}
        headings = []

        def walk(node: pikepdf.Object) -> None:
            children = node.get("/K")
            listed = list(children) if isinstance(children, pikepdf.Array) else [children]
            if str(node.get("/S", "")) in ("/H1", "/H2", "/H3"):
                marks = _marks(node, sides)
                headings.append(normalize(" ".join(text.get(mark, "") for mark in marks)))
                return
            for child in listed:
                if isinstance(child, pikepdf.Dictionary) and "/S" in child:
                    walk(child)

        walk(pdf.Root.StructTreeRoot.K[0])
    return headings


def _marks(node: pikepdf.Dictionary, sides: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The (sheet side, MCID) of every marked content under `node`, in order."""
    children = node.get("/K")
    listed = list(children) if isinstance(children, pikepdf.Array) else [children]
    found = []
    for child in listed:
        if isinstance(child, pikepdf.Dictionary) and "/S" in child:
            found += _marks(child, sides)
        elif isinstance(child, pikepdf.Dictionary) and "/MCID" in child:
            found.append((sides[child.Pg.objgen], int(child.MCID)))
        elif isinstance(child, int):
            found.append((sides[node.Pg.objgen], child))
    return found


def test_the_tree_reads_the_a5_pages_in_their_order(booklets: Path) -> None:
    booklet = booklets / f"{LONG}-handout-booklet.pdf"
    headings = _headings_in_tree_order(booklet)
    outline = [normalize(title) for _, title in Pdf(booklet).outline()]
    assert headings == outline  # as the A5 pages have them, their first page's first
    assert headings[-1] == "conclusion"  # on A5 page 6, the first sheet side's left half
    assert len(headings) > 20


def test_bookmarks_go_to_the_sheet_side_holding_their_heading(booklets: Path) -> None:
    path = booklets / f"{LONG}-handout-booklet.pdf"
    pdf = Pdf(path)
    titles = [normalize(title) for _, title in pdf.outline()]
    with pikepdf.open(path) as opened:
        sides = {page.objgen: index for index, page in enumerate(opened.pages)}
        item, places = opened.Root.Outlines.First, []
        stack = [item]
        while stack:
            item = stack.pop()
            if "/Next" in item:
                stack.append(item.Next)
            if "/First" in item:
                stack.append(item.First)
            target = item.Dest
            places.append((sides[target[0].objgen], float(target[2]), float(target[3])))
    assert len(places) == len(titles)
    footers = _footers(pdf)
    for title, (side, left, top) in zip(titles, places, strict=True):
        # The heading's first word is right where its bookmark goes, on that sheet side.
        text = pdf.document[side].get_textpage()
        there = normalize(text.get_text_bounded(left - 1, top - 25, left + 200, top + 1))
        assert there.startswith(title.split()[0]), (title, there)
    conclusion = places[titles.index("conclusion")]
    assert footers[conclusion[0]][conclusion[1] > A4_LANDSCAPE[0] / 2] == 6


@pytest.mark.parametrize("lesson", [SAMPLE, PICTURED])
def test_text_stays_text_and_the_checkers_pass(booklets: Path, lesson: str) -> None:
    path = booklets / f"{lesson}-handout-booklet.pdf"
    conclusion = yaml.safe_load((SAMPLES / f"{lesson}.yaml").read_text("utf-8"))["conclusion"]
    assert " ".join(normalize(conclusion).split()[:8]) in Pdf(path).text()
    assert problems(path) == []  # figures' boxes where painted, links tagged, ...
    report = validate_pdf(path, profile=ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [failure.message for failure in report.failures]


def test_the_link_is_where_its_words_are(booklets: Path) -> None:
    path = booklets / f"{PICTURED}-handout-booklet.pdf"
    pdf = Pdf(path)
    with pikepdf.open(path) as opened:
        links = [
            (side, [float(value) for value in annot.Rect])
            for side, page in enumerate(opened.pages)
            for annot in page.get("/Annots", [])
            if str(annot.A.get("/URI", "")) == LINK
        ]
    assert len(links) == 1
    side, (left, bottom, right, top) = links[0]
    text = pdf.document[side].get_textpage()
    assert "guide to production" in normalize(text.get_text_bounded(left, bottom, right, top))


# outloud groups text into lines by height alone: the running heads of two facing pages
# (pagination artifacts, as on every other output) read as one line long enough for prose.
OUTLOUD_FACING_HEADS = "TAG-002"


def test_the_outside_checkers_find_nothing(booklets: Path, tmp_path: Path) -> None:
    lessons = (SAMPLE, LONG, PICTURED)
    paths = [str(booklets / f"{lesson}-handout-booklet.pdf") for lesson in lessons]
    checker = [sys.executable, "-m", "pdfua", "check", "--format", "json", *paths]
    result = subprocess.run(checker, capture_output=True, text=True, timeout=120, check=False)
    text, at, findings = result.stdout.strip(), 0, []
    while at < len(text):  # one JSON object a file, one after the other
        report, at = json.JSONDecoder().raw_decode(text, at)
        findings += report["findings"]
        at += len(text[at:]) - len(text[at:].lstrip())
    assert at and findings == [], result.stderr
    report_path = tmp_path / "outloud.json"
    outloud = [sys.executable, "-c", "from outloud.cli import main; main()"]
    arguments = ["--json", str(report_path), "--quiet", "--fail-on", "never", *paths]
    subprocess.run([*outloud, *arguments], capture_output=True, timeout=120, check=True)
    results = json.loads(report_path.read_text("utf-8"))["results"]
    found = [
        (finding["rule"], finding["message"])
        for checked in results
        for finding in checked["findings"]
        if finding["rule"] != OUTLOUD_FACING_HEADS
    ]
    assert len(results) == len(lessons) and found == []


def test_rebuilt_the_same_and_removed_without_booklet(booklets: Path, tmp_path: Path) -> None:
    lesson = copy_samples(tmp_path / "content") / f"{SAMPLE}.yaml"
    output = tmp_path / "output"
    build(output, str(lesson), "--only", "handout", "--booklet")  # the handout, and it folded
    booklet = output / f"{SAMPLE}-handout-booklet.pdf"
    assert booklet.read_bytes() == (booklets / booklet.name).read_bytes()
    build(output, str(lesson), "--only", "handout")
    assert not booklet.exists()
    assert (output / f"{SAMPLE}-handout.pdf").exists()


def test_letter_gives_half_letter_pages_on_letter_landscape(tmp_path: Path) -> None:
    lesson = copy_samples(tmp_path / "content") / f"{SAMPLE}.yaml"
    build(tmp_path / "output", str(lesson), *BOOKLET, "--paper", "letter")
    pdf = Pdf(tmp_path / "output" / f"{SAMPLE}-handout-booklet.pdf")
    assert pdf.page_size(0) == pytest.approx((792, 612), abs=1)
    assert _footers(pdf) == [(None, 1), (2, 3)]


def test_a_booklet_without_the_handout_is_refused(tmp_path: Path) -> None:
    ran = run_here(str(SAMPLES), "--only", "slides", "--booklet", "-o", str(tmp_path))
    assert ran.code == 2
    assert "--booklet is for the handout" in ran.err
    assert "Traceback" not in ran.err


def test_the_index_page_lists_the_booklet(booklets: Path) -> None:
    index = (booklets / "index.html").read_text("utf-8")
    assert f'href="{SAMPLE}-handout-booklet.pdf"' in index
    assert ": Booklet" in index  # its name in the catalog, not the kind's "booklet"


def test_only_the_booklet_without_booklet_is_refused(tmp_path: Path) -> None:
    ran = run_here(str(SAMPLES), "--only", "booklet", "-o", str(tmp_path))
    assert ran.code == 2
    assert "the booklet is made with --booklet" in ran.err
    assert not list(tmp_path.glob("*.pdf"))


def test_a_right_to_left_booklet_is_bound_on_the_right(tmp_path: Path) -> None:
    assert saddle_order(6, right_to_left=True) == [(1, None), (None, 2), (3, 6), (5, 4)]
    build(tmp_path, str(LANGUAGE_LESSONS / "he.yaml"), *BOOKLET)
    (path,) = tmp_path.glob("*-handout-booklet.pdf")
    pdf = Pdf(path)
    # One page, in Hebrew: the cover is the left half of the first side; the rest is blank.
    halves = [half for side in range(len(pdf)) for half in _halves(pdf, side)]
    assert [bool(half) for half in halves] == [True, False, False, False]
