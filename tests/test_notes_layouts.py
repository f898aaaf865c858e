"""Every layout of the note-taking handout, on both papers, read back from its PDF: the pages
it takes, where the slides are placed and how large, the ruled lines, the live text."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pypdfium2.raw as pdfium_raw
import pytest
from conftest import SAMPLE, SAMPLES
from pdf_reader import Pdf, inside_any, normalize

from bench.notes_sizes import BODY_PT, Placed, placed_slides
from handouts.make.events import Written
from handouts.make.pipeline import build, load_changed
from handouts.outputs.kind import MM, PAPERS, SLIDES_PER_PAGE
from handouts.project import BuildOptions, Project

# Every layout on A4; on Letter (shorter, wider) the default and the smallest.
LAYOUTS = [("a4", per_page) for per_page in SLIDES_PER_PAGE] + [("letter", 3), ("letter", 6)]
TOP, SIDES, BOTTOM = 20 * MM, 21 * MM, 18 * MM  # handout.css's page margins
SIDES_AT_3 = 15 * MM  # notes.css's, to leave room for lines beside slides
BORDER = 0.75  # pt: the frame's border, drawn just outside the slide
Box = tuple[float, float, float, float]  # left, bottom, right, top, in points


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the sample's deck (in deck/) and its notes in every layout on both
    papers (in <paper>-<slides a page>/). Built in this process by one project, whose
    cache keeps the deck fitted and rendered from one layout to the next, as one build of
    the slides and the notes does (so the deck/ folder's slides are the notes' slides)."""
    out = tmp_path_factory.mktemp("notes")
    project = Project.at(SAMPLES, sources=(Path(f"{SAMPLE}.yaml"),))
    layouts = [("deck", BuildOptions(outputs=("slides",), jobs=1))] + [
        (
            f"{paper}-{n}",
            BuildOptions(outputs=("notes",), jobs=1, paper=PAPERS[paper], slides_per_page=n),
        )
        for paper, n in LAYOUTS
    ]
    for folder, options in layouts:
        layout = replace(project, output_dir=out / folder, options=options)
        todo = load_changed(layout)
        events = build(todo.loaded.lessons, layout, todo.unchanged_pdfs, todo.courses())
        written = [event for event in events if isinstance(event, Written)]
        assert [event.job.path.parent.name for event in written] == [folder], folder
    return out


def _notes(built: Path, paper: str, per_page: int) -> Pdf:
    return Pdf(built / f"{paper}-{per_page}" / f"{SAMPLE}-notes.pdf")


def _body(pdf: Pdf, page: int, per_page: int) -> Box:
    """The page's body: the paper less its margins."""
    width, height = pdf.page_size(page)
    sides = SIDES_AT_3 if per_page == 3 else SIDES
    return sides, BOTTOM, width - sides, height - TOP


def _reading_order(slides: list[Placed]) -> list[Placed]:
    """Slides as a reader meets them: row by row from the top, each row from the left."""
    return sorted(slides, key=lambda slide: (-round(slide.box[3]), slide.box[0]))


def _lines(pdf: Pdf, page: int) -> list[Box]:
    """The boxes of a page's ruled lines, each line at its box's bottom (a border is drawn as
    its box, clipped): the paths over 20 mm wide and under 15 mm high (frames are higher)."""
    paths = pdf.document[page].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=1)
    boxes = [tuple(path.get_bounds()) for path in paths]
    slides = [slide.box for slide in placed_slides(pdf.path)[page]]  # the slides' own
    return [
        b
        for b in boxes
        if b[2] - b[0] > 20 * MM and b[3] - b[1] < 15 * MM and not inside_any(b, slides)
    ]


@pytest.mark.parametrize(("paper", "per_page"), LAYOUTS)
def test_each_page_holds_its_slides_in_order_each_with_its_bookmark(
    built: Path, paper: str, per_page: int
) -> None:
    notes = _notes(built, paper, per_page)
    bookmarks = notes.outline()
    slides = len(bookmarks)
    assert [title.split(":")[0] for _, title in bookmarks] == [
        f"Slide {n}" for n in range(1, slides + 1)
    ]
    assert len(notes) == math.ceil(slides / per_page)
    numbers = [[s.number for s in _reading_order(page)] for page in placed_slides(notes.path)]
    assert [n for page in numbers for n in page] == list(range(1, slides + 1))
    # As few pages as hold the slides, shared as equally as can be: no page left nearly
    # empty at the end (10 slides three a page are 3, 3, 2, 2; not 3, 3, 3, 1).
    counts = [len(page) for page in numbers]
    assert max(counts) <= per_page and max(counts) - min(counts) <= 1, counts
    assert counts == sorted(counts, reverse=True), counts
    for page in range(len(notes)):
        text = normalize(notes.page_text(page))
        assert all(f"slide {n}" in text for n in numbers[page])  # each frame's label
        assert f"page {page + 1} of {len(notes)}" in text


@pytest.mark.parametrize(("paper", "per_page"), LAYOUTS)
def test_slides_lie_inside_the_page_body_do_not_overlap_and_fill_its_width(
    built: Path, paper: str, per_page: int
) -> None:
    notes = _notes(built, paper, per_page)
    for page, slides in enumerate(placed_slides(notes.path)):
        left, bottom, right, top = _body(notes, page, per_page)
        for slide in slides:
            x1, y1, x2, y2 = slide.box
            assert left < x1 < x2 < right, "inside the body's width"
            assert bottom < y1 < y2 < top, "inside the body's height"
            assert abs((x2 - x1) / (y2 - y1) - 16 / 9) < 0.01
        for n, one in enumerate(slides):
            for other in slides[n + 1 :]:
                assert (
                    one.box[2] <= other.box[0]
                    or other.box[2] <= one.box[0]
                    or one.box[3] <= other.box[1]
                    or other.box[3] <= one.box[1]
                ), f"slides {one.number} and {other.number} overlap"
        if per_page != 3 and len(slides) == per_page:  # as wide as the page allows
            assert min(s.box[0] for s in slides) - left < 2 * BORDER
            assert right - max(s.box[2] for s in slides) < 2 * BORDER


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_nothing_on_the_notes_prints_under_7_pt(built: Path, paper: str) -> None:
    notes = _notes(built, paper, 3)  # the default layout
    sizes = [char.size for page in range(len(notes)) for char in notes.inked_chars(page)]
    assert sizes and min(sizes) >= 7, min(sizes)


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_three_a_page_print_20_pt_slide_text_at_8_pt_beside_ruled_lines(
    built: Path, paper: str
) -> None:
    notes = _notes(built, paper, 3)
    for page, slides in enumerate(placed_slides(notes.path)):
        right = _body(notes, page, 3)[2]
        lines = _lines(notes, page)
        for slide in slides:
            assert BODY_PT * slide.scale >= 8
            _, y1, x2, y2 = slide.box
            beside = [b for b in lines if b[0] > x2 and y1 - BORDER <= b[1] <= y2 + BORDER]
            assert len(beside) >= 8, "ruled lines beside the slide, as high as it"
            assert all(b[2] - b[0] >= 35 * MM and b[2] <= right for b in beside)


@pytest.mark.parametrize(("paper", "per_page"), LAYOUTS)
def test_ruled_lines_are_far_enough_apart_to_write_on(
    built: Path, paper: str, per_page: int
) -> None:
    notes = _notes(built, paper, per_page)
    heights = sorted({(round(b[0]), round(b[1], 1)) for b in _lines(notes, 0)})
    columns = {left for left, _ in heights}
    assert bool(columns) == (per_page != 2), "lines for notes wherever there is room"
    for column in columns:
        ys = [y for left, y in heights if left == column]
        assert min(b - a for a, b in pairwise(ys)) >= 7 * MM


@pytest.mark.parametrize("per_page", SLIDES_PER_PAGE)
def test_each_slide_is_live_text_in_its_frame(built: Path, per_page: int) -> None:
    notes = _notes(built, "a4", per_page)
    deck = Pdf(built / "deck" / f"{SAMPLE}-slides.pdf")
    for page, slides in enumerate(placed_slides(notes.path)):
        textpage = notes.document[page].get_textpage()
        for slide in slides:
            shown = normalize(textpage.get_text_bounded(*slide.box)).replace(" ", "")
            # All the deck's page says, but its footer: the notes number the slides themselves.
            # (Letters compared without spaces: a letter-spaced word may be read with spaces
            # between its letters by the bounded read.)
            said = normalize(deck.page_text(slide.number - 1)).replace(" ", "")
            assert shown and said.startswith(shown)
