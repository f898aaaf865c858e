"""What to reprint: the build says which pages of a PDF an edit changed.

The handout here is the sample's, made three pages long; each test edits one sentence and
reads the PDFs back to see on which pages the text changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_sample, run_here
from pdf_reader import Pdf

from handouts.make.manifest import MANIFEST_NAME, Manifest
from handouts.make.page_changes import PageChanges

LESSON = "production-systems"
HANDOUT = f"output/{LESSON}-handout.pdf"
LONGER = """
  - title: Choosing a system
    text: |
      A firm rarely picks one system for good. As demand grows, a workshop that began with
      job production may move to batch production, and later to mass production.

      Moving to a larger scale lowers the cost of each unit, but the firm loses some of its
      freedom to change the product for each customer.

      Some firms mix the systems: a car maker mass-produces engines and bodies, then fits
      each car with the options its buyer chose, one order at a time.

      The right system depends on the market: how many customers there are, how much they
      want products that differ, and how quickly demand changes.

      A caterer bakes each wedding cake to order, but makes its bread rolls in batches of a
      few hundred every morning, and buys its napkins from a factory that makes millions.

  - title: Quality and waste
    text: |
      Each system controls quality in its own way. In job production the worker who makes
      the product checks it, often with the customer watching.

      In batch production a sample of each batch is tested before the batch is released,
      so one faulty setting of a machine can spoil a whole batch.

      In mass production quality is built into the line: machines measure every unit, and
      the line stops as soon as a fault appears.

      Waste differs too. Job production wastes little material but much time, while mass
      production wastes little time but may make more than customers buy.

  - title: People at work
    text: |
      The systems ask different things of the people who work in them. A job shop needs
      craft workers who can read a drawing and plan their own work.

      A batch plant needs operators who can reset a machine quickly and check the first
      units of each batch against the order.

      A mass production line needs many workers who each repeat one short task, and a few
      engineers who keep the line running.
"""
# An X the handout had not printed: the subset of the font embedded for every page changes.
ON_PAGE_2 = ("machines measure every unit", "machines X-ray every unit")
REFLOWS = (
    "keep the line running.",
    "keep the line running. When the line stops, every one of those workers waits, so "
    "the engineers are paid to keep that from happening, day and night.",
)


def _build(root: Path) -> str:
    ran = run_here("-C", str(root), "build", "--only", "handout", "-j", "1")
    assert ran.code == 0, ran.out + ran.err
    return ran.out


def _edit(root: Path, old: str, new: str) -> None:
    lesson = root / "content" / f"{LESSON}.yaml"
    text = lesson.read_text("utf-8")
    assert old in text
    lesson.write_text(text.replace(old, new, 1), "utf-8")


def _pages(path: Path) -> list[str]:
    pdf = Pdf(path)
    return [pdf.page_text(index) for index in range(len(pdf))]


def _line(out: str, pdf: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(pdf))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample lesson, three pages long, built once (its handout only)."""
    root = tmp_path_factory.mktemp("printed")
    copy_sample(root / "content", LESSON)
    _edit(root, "\ncomparison:", f"{LONGER}\ncomparison:")
    _build(root)
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project."""
    for folder in ("content", "output"):
        shutil.copytree(built / folder, tmp_path / folder)
    return tmp_path


def test_an_edit_on_page_2_changes_page_2_alone(project: Path) -> None:
    before = _pages(project / HANDOUT)
    assert len(before) == 3
    assert [ON_PAGE_2[0] in " ".join(page.split()) for page in before] == [False, True, False]
    _edit(project, *ON_PAGE_2)
    told = _line(_build(project), str(project / HANDOUT))
    assert told.endswith("  page 2 of 3 changed; pages 1, 3 as before"), told
    after = _pages(project / HANDOUT)
    assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]


def test_text_that_reflows_onto_page_3_changes_pages_2_and_3(project: Path) -> None:
    before = _pages(project / HANDOUT)
    _edit(project, *REFLOWS)
    told = _line(_build(project), str(project / HANDOUT))
    assert told.endswith("  pages 2, 3 of 3 changed; page 1 as before"), told
    after = _pages(project / HANDOUT)
    assert len(after) == 3 and after[0] == before[0] and after[2] != before[2]


def test_a_manifest_without_page_hashes_still_loads(project: Path) -> None:
    """A manifest an earlier version wrote: read as it is, the pages told from the next
    build on."""
    path = project / "output" / MANIFEST_NAME
    records = json.loads(path.read_text("utf-8"))
    for record in records.values():
        del record["pages_hashes"]
    path.write_text(json.dumps(records), "utf-8")
    assert Manifest(project / "output").records[f"{LESSON}-handout.pdf"].pages_hashes == ()

    assert _build(project).startswith("1 up to date")  # still current: nothing rebuilt
    _edit(project, *ON_PAGE_2)
    told = _line(_build(project), str(project / HANDOUT))
    assert told.endswith(" s"), told  # the pages before are not known
    assert len(Manifest(project / "output").records[f"{LESSON}-handout.pdf"].pages_hashes) == 3


@pytest.mark.parametrize(
    ("before", "now", "said"),
    [
        ("abc", "aXc", "page 2 of 3 changed; pages 1, 3 as before"),
        ("abcd", "aXYd", "pages 2, 3 of 4 changed; pages 1, 4 as before"),
        ("abcdefg", "XbcdYZW", "pages 1, 5-7 of 7 changed; pages 2-4 as before"),
        ("ab", "ab", "no page changed"),
        ("ab", "XY", "all 2 pages changed"),
        ("a", "X", "the page changed"),
        ("ab", "abX", "was 2 pages, page 3 of 3 changed; pages 1, 2 as before"),
        ("abc", "XY", "was 3 pages, all 2 pages changed"),
    ],
)
def test_the_changed_pages_in_words(before: str, now: str, said: str) -> None:
    assert PageChanges.between(list(before), list(now)).said() == said
