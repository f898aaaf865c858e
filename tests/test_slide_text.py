"""Every text on a slide readable from the back of the room: nothing but the footer under
20 pt, long lists in two columns that each stack their items, numbers kept with their
units, and the teacher's own overview on the Overview slide."""

from __future__ import annotations

import itertools
import shutil

import pytest
from conftest import ROOT, SAMPLES, run_here
from pdf_reader import Pdf

Box = tuple[float, float, float, float]  # left, bottom, right, top, in points
FOOTER_TOP = 0.7 * 72  # the footer hangs in the bottom margin (slides.css)
STEPS = (
    "The hind legs push the body forward with a great deal of force and reach",
    "The spine flexes",
    "The front legs reach far ahead of the head and touch the ground lightly, then take "
    "the weight of the whole body",
    "The spine extends",
    "The body is in the air",
    "The hind legs land",
)
LESSON = (
    "title: How animals move\nauthor: Dr. Ada Fern, Biology department\n"
    "subjects:\n  cheetah: Cheetah\n  sloth: Sloth\n"
    "introduction: Animals move in very different ways. Some sprint, some hang still.\n"
    "overview:\n  - Why a cheetah is fast\n  - Why a sloth is slow\n"
    "sections:\n"
    "  - title: Speed\n"
    "    text: A cheetah reaches 110 km/h in seconds, faster than any land animal.\n"
    "    figure:\n      file: box.svg\n      alt: A box.\n"
    "      caption: Energy in, movement out, as a diagram of the animal's effort.\n"
    "      credit: 'Diagram: drawn for this lesson, CC BY 4.0.'\n      width: 60%\n"
    "  - title: Steps of a stride\n    text: |\n      A stride goes through these steps:\n\n"
    + "".join(f"      {n}. {step}\n" for n, step in enumerate(STEPS, 1))
    + "  - title: Habits\n    slides: apart\n"
    "    cheetah: The cheetah hunts by day, mostly in the early morning and late afternoon "
    "when it is cooler.\n"
    "    sloth: The sloth sleeps up to 15 hours a day and moves at about 0,24 km/h when it "
    "has to. It rarely comes down.\n"
    "conclusion: Speed and stillness are both ways to survive.\n"
)
BOX = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
    '<rect width="400" height="200" fill="#acd"/></svg>'
)


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """The slides of a biology lesson and of an Arabic one, built once."""
    folder = tmp_path_factory.mktemp("slide-text") / "content"
    folder.mkdir()
    shutil.copy(SAMPLES / "course.yaml", folder / "course.yaml")
    (folder / "animals.yaml").write_text(LESSON, "utf-8")
    (folder / "box.svg").write_text(BOX, "utf-8")
    shutil.copy(ROOT / "tests" / "data" / "languages" / "ar.yaml", folder / "ar.yaml")
    output = folder.parent / "output"
    ran = run_here(str(folder), "-o", str(output), "--only", "slides", "--jobs", "2")
    assert ran.code == 0, ran.err
    return {name: Pdf(output / f"{name}-slides.pdf") for name in ("animals", "ar")}


def _page_with(deck: Pdf, text: str) -> int:
    return next(p for p in range(len(deck)) if text in deck.page_text(p))


def _boxes_of(deck: Pdf, page: int, text: str) -> list[Box]:
    """The boxes of the visible characters of `text` (its spaces left out) on a page."""
    boxes = deck.char_boxes(page)
    shown = "".join(char for char, _ in boxes)
    wanted = "".join(text.split())
    start = shown.index(wanted)
    return [box for _, box in boxes[start : start + len(wanted)]]


def test_nothing_on_a_slide_but_its_footer_is_under_20_pt(decks: dict[str, Pdf]) -> None:
    for name, deck in decks.items():
        for page in range(len(deck)):
            small = [
                (char.text, round(char.size, 1))
                for char, (_, bottom, _, _) in deck.sized_boxes(page)
                if bottom > FOOTER_TOP and char.size < 19.95
            ]
            assert not small, f"{name} slide {page + 1}: {small}"
    deck = decks["animals"]
    footer = [c.size for c, box in deck.sized_boxes(1) if box[1] <= FOOTER_TOP]
    assert footer and max(footer) <= 13.05, "the footer alone is small"


def test_a_figure_caption_keeps_the_floor_after_fitting(decks: dict[str, Pdf]) -> None:
    deck = decks["animals"]
    page = _page_with(deck, "Energy in")
    sizes = [c.size for c, _ in deck.sized_boxes(page)]
    text = "".join(c.text for c, _ in deck.sized_boxes(page))
    caption = sizes[text.index("Energyin") : text.index("CCBY") + 4]
    assert min(caption) >= 19.95, caption


def test_six_points_are_two_columns_each_stacked_without_gaps(decks: dict[str, Pdf]) -> None:
    deck = decks["animals"]
    page = _page_with(deck, "The spine flexes")
    firsts = [_boxes_of(deck, page, step)[0] for step in STEPS]
    lefts = [round(box[0]) for box in firsts]
    assert lefts[0] == lefts[1] == lefts[2] < lefts[3] == lefts[4] == lefts[5], lefts
    line = firsts[0][3] - firsts[0][1]  # a capital's height: a line is about 1.9 of it
    for column in (STEPS[:3], STEPS[3:]):
        for above, below in itertools.pairwise(column):
            last_line = _boxes_of(deck, page, above)[-1]
            gap = last_line[1] - _boxes_of(deck, page, below)[0][3]
            assert gap < 1.5 * line, f"a gap of {gap:.0f} pt above '{below}'"


def test_a_right_to_left_list_starts_its_columns_on_the_right(decks: dict[str, Pdf]) -> None:
    deck = decks["ar"]
    page = _page_with(deck, "الجدولة")
    first, fourth = _boxes_of(deck, page, "التخطيط"), _boxes_of(deck, page, "إدارة المخزون")
    assert min(box[0] for box in first) > max(box[2] for box in fourth)


def test_a_number_and_its_unit_stay_on_one_line(decks: dict[str, Pdf]) -> None:
    deck = decks["animals"]
    for text in ("0,24 km/h", "110 km/h"):
        page = _page_with(deck, text.split()[0])
        bottoms = [box[1] for box in _boxes_of(deck, page, text)]
        assert max(bottoms) - min(bottoms) < 10, f"'{text}' is cut over lines"
    assert "0,24 km/h" in deck.page_text(_page_with(deck, "0,24")), "the text as typed"


def test_the_overview_slide_shows_the_lessons_overview(decks: dict[str, Pdf]) -> None:
    deck = decks["animals"]
    page = _page_with(deck, "Overview")
    text = deck.page_text(page)
    assert "Why a cheetah is fast" in text and "Why a sloth is slow" in text
    assert "Animals move in very different ways" not in text
    assert "Steps of a stride" in text  # the sections' titles still follow
