"""Slides composed from the measured layout: subjects side by side when they fit, type as
large as fits, long tables spread evenly, speaker notes kept off what the class sees."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
from conftest import SAMPLE, SAMPLES, run_here
from pdf_reader import Pdf, normalize

from handouts.derive.fit import equal_shares

INCH = 72
SLIDE_MARGINS = (0.55 * INCH, 0.8 * INCH, 0.7 * INCH)  # top, sides, bottom (slides.css)
MM = 72 / 25.4
POINTS = [  # seven points, one or two sentences per subject
    ("Plant", "Tea is made from the leaves of Camellia sinensis.",
     "Coffee is made from the roasted seeds of the coffee plant."),
    ("Origin", "Tea was first drunk in China.", "Coffee was first drunk in Yemen."),
    ("Growing", "Tea bushes grow best on cool, wet hillsides. They are picked by hand.",
     "Coffee trees need warm, frost-free highlands. Their cherries ripen unevenly."),
    ("Processing", "Leaves are withered, rolled and dried.",
     "Seeds are dried, hulled and roasted."),
    ("Caffeine", "A cup of tea holds about 40 mg of caffeine.",
     "A cup of coffee holds about 95 mg of caffeine."),
    ("Brewing", "Tea steeps in water for two to five minutes.",
     "Coffee is filtered, pressed or forced through by steam."),
    ("Trade", "China and India grow most of the world's tea.",
     "Brazil grows more coffee than any other country."),
]  # fmt: skip


def _lesson(points: list[tuple[str, str, str]], extra: str = "", rows: str = "") -> str:
    sections = "".join(
        f"  - title: {title}\n{extra}    tea: {tea}\n    coffee: {coffee}\n"
        for title, tea, coffee in points
    )
    rows = rows or "".join(  # an at-a-glance table: a short phrase a cell
        f"    - label: {title}\n      tea: {_phrase(tea)}\n      coffee: {_phrase(coffee)}\n"
        for title, tea, coffee in points
    )
    return (
        "title: Tea and coffee\nsubjects:\n  tea: Tea\n  coffee: Coffee\n"
        "introduction: Tea and coffee are the world's most popular hot drinks.\n"
        f"sections:\n{sections}comparison:\n  rows:\n{rows}"
        "conclusion: Both drinks are grown in the tropics and traded worldwide. Tea is drunk "
        "by more people, but coffee earns the growers more. Both are best brewed fresh.\n"
    )


def _phrase(sentence: str) -> str:
    """A cell for the table: the sentence's last four words."""
    return " ".join(sentence.split(".")[0].split()[-4:])


def _slides(path: Path, *args: str) -> Pdf:
    output = path.parent.parent / "output"
    ran = run_here(str(path), "-o", str(output), "--only", "slides", *args)
    assert ran.code == 0, ran.err
    return Pdf(output / f"{path.stem}-slides.pdf")


def _empty_share(deck: Pdf, page: int) -> float:
    """The share of a slide's body area (inside its margins) left empty below its ink."""
    top, _, bottom = SLIDE_MARGINS
    height = deck.page_size(page)[1]
    lowest = deck.lowest_ink(page, top, height - bottom)
    return 1 - (lowest - top) / (height - bottom - top)


def test_seven_short_two_subject_sections_give_a_full_slide_each(
    lesson_dir: Callable[..., Path],
) -> None:
    deck = _slides(lesson_dir("drinks.yaml", _lesson(POINTS)))
    assert len(deck) <= len(POINTS) + 4, deck.outline()
    titles = [title for _, title in deck.outline()]
    assert all(title in titles for title, _, _ in POINTS), "one slide per point"
    for page in range(1, len(deck)):  # the title slide is its own design
        text = normalize(deck.page_text(page))
        assert _empty_share(deck, page) <= 0.5, f"slide {page + 1} is mostly empty: {text}"
    growing = next(p for p in range(len(deck)) if "hillsides" in deck.page_text(p))
    text = normalize(deck.page_text(growing))
    assert "tea" in text and "coffee" in text and "highlands" in text  # side by side


def test_short_content_is_set_large_and_nothing_below_20_pt(
    lesson_dir: Callable[..., Path],
) -> None:
    deck = _slides(lesson_dir("drinks.yaml", _lesson(POINTS)))
    origin = next(p for p in range(len(deck)) if "Yemen" in deck.page_text(p))
    sizes = [c.size for c in deck.chars(origin) if c.text.isalpha()]
    assert max(sizes) >= 39.5, "two short sentences are set at 40 pt"
    conclusion = deck.chars(len(deck) - 1)
    body = [c.size for c in conclusion if c.text.isalpha() and c.size > 14]  # not the footer
    assert min(body) >= 19.99  # 20 pt, as PDFium reads it back


def test_a_long_section_gets_a_slide_per_subject_and_one_too_long_an_error(
    lesson_dir: Callable[..., Path],
) -> None:
    long = "Tea is grown, picked, withered, rolled, oxidised and dried by hand"
    items = "|\n" + "".join(f"      - {long}, step {n}\n" for n in range(6))
    points = [("Making", items, "Coffee is roasted."), *POINTS[:2]]
    deck = _slides(lesson_dir("making.yaml", _lesson(points, rows=_rows(2))))
    titles = [title for _, title in deck.outline()]
    assert "Making: Tea" in titles and "Making: Coffee" in titles, titles
    assert "Origin" in titles  # short sections stay together

    items = "|\n" + "".join(f"      - {long}, step {n}\n" for n in range(14))
    path = lesson_dir("too-long.yaml", _lesson([("Making", items, "Roasted.")], rows=_rows(2)))
    ran = run_here(str(path), "-o", str(path.parent.parent / "output"), "--only", "slides")
    assert ran.code == 1
    assert "error: slide 'Making: Tea' overflows its slide" in ran.err


def test_a_section_may_say_together_or_apart(lesson_dir: Callable[..., Path]) -> None:
    apart = _lesson(POINTS[:1], extra="    slides: apart\n", rows=_rows(2))
    titles = [title for _, title in _slides(lesson_dir("apart.yaml", apart)).outline()]
    assert "Plant: Tea" in titles and "Plant: Coffee" in titles

    bad = _lesson(POINTS[:1], extra="    slides: side\n", rows=_rows(2))
    path = lesson_dir("bad.yaml", bad)
    ran = run_here("check", str(path))
    assert ran.code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: error: .*'slides: together' or 'slides: apart'", ran.err)


def _rows(count: int, words: int = 8) -> str:
    cell = " ".join(["a long cell of the comparison table"] * words)
    return "".join(
        f"    - label: Point {n}\n      tea: {cell}\n      coffee: {cell}\n"
        for n in range(1, count + 1)
    )


def test_a_long_table_is_spread_evenly_each_slide_titled_like_the_first(
    lesson_dir: Callable[..., Path],
) -> None:
    deck = _slides(lesson_dir("table.yaml", _lesson(POINTS[:1], rows=_rows(7))))
    pages = [p for p in range(len(deck)) if "Point 1" in deck.page_text(p) or "(continued)"
             in deck.page_text(p)]  # fmt: skip
    counts = [len(re.findall(r"Point \d", deck.page_text(p))) for p in pages]
    assert sum(counts) == 7 and len(counts) >= 2, counts
    assert max(counts) - min(counts) <= 1, f"rows spread evenly, not {counts}"
    first, *rest = pages
    title = _title_top(deck, first, "At")
    for page in rest:
        assert "At a glance (continued)" in deck.page_text(page)
        assert abs(_title_top(deck, page, "At") - title) < 0.5, "the same title, in place"


def _title_top(deck: Pdf, page: int, word: str) -> float:
    """The top (points from the page's bottom) of the first character of `word` on a page."""
    boxes = deck.char_boxes(page)
    text = "".join(char for char, _ in boxes)
    return boxes[text.index(word)][1][3]


def test_shares_are_as_equal_as_can_be() -> None:
    assert [len(s) for s in equal_shares(7, 2)] == [4, 3]
    assert [len(s) for s in equal_shares(10, 3)] == [4, 3, 3]
    assert [list(s) for s in equal_shares(3, 3)] == [[0], [1], [2]]


def test_nothing_is_set_within_10_mm_of_a_slide_edge(built: Path) -> None:
    deck = Pdf(built / f"{SAMPLE}-slides.pdf")
    for page in range(len(deck)):
        width, height = deck.page_size(page)
        for char, (left, bottom, right, top) in deck.char_boxes(page):
            assert left >= 10 * MM and right <= width - 10 * MM, (page, char)
            assert bottom >= 10 * MM and top <= height - 10 * MM, (page, char)


def test_speaker_notes_reach_the_presenter_only(tmp_path: Path, built: Path) -> None:
    # Every output of the samples, built without --speaker-notes (read only: shared).
    output = built
    lesson = SAMPLES / "production-systems.yaml"
    note = "ask the class for one product they have bought"
    for name in ("slides", "notes", "handout"):
        assert note not in Pdf(output / f"production-systems-{name}.pdf").text()
    presenter = Pdf(output / "production-systems-presenter.pdf")
    assert note in presenter.text()
    # Every slide, each with its bookmark, two a page where their notes fit.
    slides = len(Pdf(output / "production-systems-slides.pdf"))
    assert [level for level, _ in presenter.outline()].count(0) == slides
    assert len(presenter) <= (slides + 1) // 2 + 1
    assert not (output / f"{SAMPLE}-presenter.pdf").exists(), "no notes, no presenter PDF"
    with pikepdf.open(output / "production-systems-slides.pdf") as deck:
        assert not [
            a for page in deck.pages for a in page.get("/Annots", []) if a.Subtype == "/Text"
        ]

    output = tmp_path / "out"
    ran = run_here(str(lesson), "-o", str(output), "--only", "slides", "--speaker-notes")
    assert ran.code == 0, ran.err
    with pikepdf.open(output / "production-systems-slides.pdf") as deck:
        comments = [
            (number, str(a.Contents), int(a.get("/F", 0)))
            for number, page in enumerate(deck.pages, 1)
            for a in page.get("/Annots", [])
            if a.Subtype == "/Text"
        ]
    # Slides 3 and 4 are the first section's points and its figure.
    assert [number for number, _, _ in comments] == [5, 7], comments
    assert comments[0][1].startswith("Ask the class for one product")
    assert all(flags & 4 == 0 for _, _, flags in comments), "comments are never printed"


def test_a_slide_taller_than_the_measuring_page_is_measured_over_every_page_it_takes() -> None:
    # A table of hundreds of tall rows, measured whole before it is spread over slides,
    # goes on over the next measuring page: the next slide is not on the page after.
    from handouts.outputs.slides import MEASURING_HEIGHT_IN, SLIDE_HEIGHT_IN, _measured
    from handouts.render.layout import RenderedPdf

    page = MEASURING_HEIGHT_IN * 96
    anchors = (
        {"slide-1": (0.0, 10.0, 900.0, page), "body-1": (0.0, 60.0, 900.0, page)},
        {"slide-1": (0.0, 0.0, 900.0, 500.0), "body-1": (0.0, 0.0, 900.0, 450.0)},
        {"slide-2": (0.0, 10.0, 900.0, 300.0), "body-2": (0.0, 60.0, 900.0, 250.0)},
    )
    layout = RenderedPdf(b"", 3, (), 0.0, anchors=anchors, body_px=(page, page, page))
    first, second = _measured(layout, 1), _measured(layout, 2)
    room = SLIDE_HEIGHT_IN * 96
    assert (first.height, first.body, first.room) == (page - 10 + 500, page - 60 + 450, room)
    assert (second.height, second.body, second.room) == (290.0, 190.0, room)


def test_subjects_kept_together_continue_side_by_side_in_equal_steps(
    lesson_dir: Callable[..., Path],
) -> None:
    points = [f"Point {n} says a good deal about how the leaves are grown." for n in range(1, 13)]
    listed = "".join(f"      - {point}\n" for point in points)
    section = (
        "  - title: Growing\n    slides: together\n    continue: true\n"
        f"    tea: |\n{listed}    coffee: |\n{listed.replace('leaves', 'cherries')}"
    )
    text = _lesson(POINTS[:1]).replace("sections:\n", f"sections:\n{section}", 1)
    deck = _slides(lesson_dir("together.yaml", text))
    growing = [
        page for page in range(len(deck)) if normalize(deck.page_text(page)).startswith("growing")
    ]
    assert len(growing) >= 2, "the section went on over more slides"
    shown = []
    for page in growing:
        text = normalize(deck.page_text(page))
        assert "tea" in text and "coffee" in text, "both subjects on every slide"
        shown.append([n for n in range(1, 13) if f"point {n} says" in text])
    # Each subject's points in order, shared as equally as can be over the slides.
    assert [n for share in shown for n in dict.fromkeys(share)] == list(range(1, 13))
    assert max(map(len, shown)) - min(map(len, shown)) <= 1
