"""A worksheet and answer key of several pages: every page titled, numbered and (on the key)
marked, no page left mostly empty, lines a hand can write between, labels inside the margins.

One build of a 14-row lesson (the sample's five rows, over again) and of a French lesson with
a long Name label, read by every test here."""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path

import pypdfium2.raw as pdfium_raw
import pytest
from conftest import SAMPLES, build
from pdf_reader import Pdf

from handouts.outputs.kind import MM

ROWS = 14
MARGIN_PT = {"top": 17 * MM, "bottom": 14 * MM, "side": 16 * MM}  # worksheet.css
FRENCH = """\
course: Gestion des opérations
author: Claire Martin
language: fr
title: Production et opérations
labels: {name: "Prénom et nom de l\u2019élève"}
subjects:
  production: Gestion de la production
  operations: Gestion des opérations
introduction: La production transforme des matières en biens.
sections:
  - title: Objectifs
    production: Fabriquer des biens de qualité.
    operations: Servir le client.
comparison:
  rows:
    - label: Résultat
      production: Des biens
      operations: Des biens et des services
"""


def _longer(sample: str, rows: int) -> str:
    """The sample lesson with its comparison's rows repeated up to `rows`, labels numbered."""
    head, rest = sample.split("  rows:\n")
    body, tail = rest.split("\n\n", 1)  # the rows end at the first blank line
    items = ["    - label:" + item.rstrip("\n") for item in body.split("    - label:")[1:]]
    made = [
        re.sub(r"label: (.*)", rf"label: \1 {n // len(items) + 1}", items[n % len(items)], count=1)
        for n in range(rows)
    ]
    return head + "  rows:\n" + "\n".join(made) + "\n\n" + tail


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worksheets and keys of the 14-row lesson and of the French one, built once."""
    folder = tmp_path_factory.mktemp("pages")
    content = folder / "content"
    content.mkdir()
    shutil.copy(SAMPLES / "course.yaml", content / "course.yaml")
    shutil.copytree(SAMPLES / "images", content / "images")
    sample = (SAMPLES / "production-systems.yaml").read_text("utf-8")
    (content / "long.yaml").write_text(_longer(sample, ROWS), "utf-8")
    (content / "french.yaml").write_text(FRENCH, "utf-8")
    build(folder / "output", str(content), "--only", "worksheet,answers", "--jobs", "2")
    return folder / "output"


def _wide_paths(pdf: Pdf, page: int) -> list[tuple[float, float, float, float]]:
    """The page's drawn paths at least 30 pt wide: rules, ruled lines, blanks to fill in."""
    paths = pdf.document[page].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=1)
    boxes = (tuple(round(v, 2) for v in path.get_bounds()) for path in paths)
    return [box for box in boxes if box[2] - box[0] > 30]


@pytest.mark.parametrize("kind", ["worksheet", "answers"])
def test_every_page_has_the_title_its_number_and_the_key_mark(sheets: Path, kind: str) -> None:
    pdf = Pdf(sheets / f"long-{kind}.pdf")
    pages = pdf.page_words()
    assert len(pages) > 1
    for number, words in enumerate(pages, 1):
        assert "job batch and mass production compared" in words  # the table's title
        assert "business management job batch and mass production" in words  # running head
        assert f"page {number} of {len(pages)}" in words
        assert ("answer key" in words) == (kind == "answers")
        if kind == "worksheet":
            assert "name" in words


@pytest.mark.parametrize("kind", ["worksheet", "answers"])
def test_no_page_of_a_long_table_is_left_mostly_empty(sheets: Path, kind: str) -> None:
    pdf = Pdf(sheets / f"long-{kind}.pdf")
    for page in range(len(pdf)):
        height = pdf.page_size(page)[1]
        body = height - MARGIN_PT["top"] - MARGIN_PT["bottom"]
        table_bottom = min(box[1] for box in _wide_paths(pdf, page))  # its last rule
        used = (height - MARGIN_PT["top"] - table_bottom) / body
        assert used >= 0.4, f"page {page + 1} is {used:.0%} used"


def _pitches_mm(pdf: Pdf, page: int) -> list[float]:
    """The distances between the ruled lines met going down the page at two fifths of its
    width, in a blank cell (rendered at 144 dpi); a cell's last line and its row's rule,
    1.3 mm apart, nor the title's lines, are lines to write between."""
    scale = 2
    image = pdf.document[page].render(scale=scale).to_pil().convert("L")
    x = int(image.width * 0.4)
    dark = [y for y in range(image.height) if image.getpixel((x, y)) < 200]
    centres, run = [], [dark[0]]
    for y in dark[1:]:
        if y - run[-1] > 1:
            centres.append(sum(run) / len(run))
            run = []
        run.append(y)
    centres.append(sum(run) / len(run))
    gaps = [(b - a) / scale / MM for a, b in pairwise(centres)]
    return [gap for gap in gaps if gap > 5]


def test_the_lines_are_at_least_8_mm_apart(sheets: Path) -> None:
    for name in ("long-worksheet.pdf", "french-worksheet.pdf"):
        pdf = Pdf(sheets / name)
        pitches = [p for page in range(len(pdf)) for p in _pitches_mm(pdf, page)]
        assert len(pitches) > 5
        assert min(pitches) >= 7.9, f"{name}: lines {min(pitches):.1f} mm apart"


def test_a_long_name_label_stays_inside_the_margins(sheets: Path) -> None:
    pdf = Pdf(sheets / "french-worksheet.pdf")
    width = pdf.page_size(0)[0]
    inside = (MARGIN_PT["side"] - 1, width - MARGIN_PT["side"] + 1)
    words = pdf.page_words()[0]
    assert "prénom et nom de l'élève" in words and "date" in words
    for _, (left, _, right, _) in pdf.char_boxes(0):
        assert inside[0] <= left and right <= inside[1]
    for left, _, right, _ in _wide_paths(pdf, 0):  # the blanks to write on, the rules
        assert inside[0] <= left and right <= inside[1]


def test_the_answers_clear_their_lines(sheets: Path) -> None:
    """No answer's glyph reaches down to the rule it is written on."""
    pdf = Pdf(sheets / "long-answers.pdf")
    rules = sorted({box[1] for box in _wide_paths(pdf, 0) if box[3] - box[1] < 1})
    boxes = [box for text, box in pdf.char_boxes(0) if text in "gjpqy,"]
    assert boxes
    for _, bottom, _, top in boxes:
        below = [rule for rule in rules if rule < top]
        assert not below or bottom > max(below), "a descender crosses its line"
