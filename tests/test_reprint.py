"""What to reprint: the build says which pages of a PDF an edit changed, and `reprint`
puts only those pages of the PDFs marked as printed into output/reprint.pdf.

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
from handouts.make.printed_record import PRINTED_NAME
from handouts.make.reprint import REPRINT_NAME

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


def _reprint(root: Path, *args: str) -> str:
    ran = run_here("-C", str(root), "reprint", *args)
    assert ran.code == 0 and not ran.err, ran.out + ran.err
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
def printed(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project whose handout is marked as printed."""
    for folder in ("content", "output"):
        shutil.copytree(built / folder, tmp_path / folder)
    out = _reprint(tmp_path, "--mark", HANDOUT)
    assert out == f"{tmp_path / HANDOUT}: marked as printed\n"
    return tmp_path


def test_an_edit_on_page_2_reprints_page_2_alone(printed: Path) -> None:
    before = _pages(printed / HANDOUT)
    assert len(before) == 3
    assert [ON_PAGE_2[0] in " ".join(page.split()) for page in before] == [False, True, False]
    _edit(printed, *ON_PAGE_2)
    told = _line(_build(printed), str(printed / HANDOUT))
    assert told.endswith("  page 2 of 3 changed; pages 1, 3 as before"), told
    after = _pages(printed / HANDOUT)
    assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]

    out = _reprint(printed)
    assert f"{printed / HANDOUT}: page 2 of 3 changed; pages 1, 3 as before" in out
    assert f"{REPRINT_NAME}: 1 page to print, 2 fewer a copy" in out
    assert _pages(printed / "output" / REPRINT_NAME) == [after[1]]


def test_text_that_reflows_onto_page_3_reprints_pages_2_and_3(printed: Path) -> None:
    before = _pages(printed / HANDOUT)
    _edit(printed, *REFLOWS)
    told = _line(_build(printed), str(printed / HANDOUT))
    assert told.endswith("  pages 2, 3 of 3 changed; page 1 as before"), told
    after = _pages(printed / HANDOUT)
    assert len(after) == 3 and after[0] == before[0] and after[2] != before[2]

    assert "2 pages to print, 1 fewer a copy" in _reprint(printed)
    assert _pages(printed / "output" / REPRINT_NAME) == after[1:]


def test_nothing_changed_since_printing_writes_no_reprint(printed: Path) -> None:
    _edit(printed, *ON_PAGE_2)
    _build(printed)
    _reprint(printed)
    assert (printed / "output" / REPRINT_NAME).is_file()
    assert _build(printed).startswith("1 up to date")  # reprint.pdf is no PDF of a lesson
    assert REPRINT_NAME not in Manifest(printed / "output").records
    assert (printed / "output" / REPRINT_NAME).is_file()

    _reprint(printed, "--mark")  # reprint.pdf printed: the handout is as printed again
    out = _reprint(printed)
    assert out.endswith(f"nothing to print again: no page changed; no {REPRINT_NAME} written\n")
    assert f"{printed / HANDOUT}: as printed" in out
    assert not (printed / "output" / REPRINT_NAME).exists()


def test_since_an_earlier_manifest(printed: Path) -> None:
    shutil.copy(printed / "output" / MANIFEST_NAME, printed / "as-printed.json")
    (printed / "output" / PRINTED_NAME).unlink()
    _edit(printed, *ON_PAGE_2)
    _build(printed)
    out = _reprint(printed, "--since", "as-printed.json")
    assert f"{printed / HANDOUT}: page 2 of 3 changed" in out
    assert len(Pdf(printed / "output" / REPRINT_NAME)) == 1


def test_a_manifest_without_page_hashes_still_loads(printed: Path) -> None:
    """A manifest an earlier version wrote: read as it is, the pages told from the next
    build on; given to --since, a one-line error."""
    path = printed / "output" / MANIFEST_NAME
    records = json.loads(path.read_text("utf-8"))
    for record in records.values():
        del record["pages_hashes"]
    path.write_text(json.dumps(records), "utf-8")
    shutil.copy(path, printed / "older.json")
    assert Manifest(printed / "output").records[f"{LESSON}-handout.pdf"].pages_hashes == ()

    assert _build(printed).startswith("1 up to date")  # still current: nothing rebuilt
    _edit(printed, *ON_PAGE_2)
    told = _line(_build(printed), str(printed / HANDOUT))
    assert "changed" not in told and "as before" not in told, told  # pages before unknown
    assert len(Manifest(printed / "output").records[f"{LESSON}-handout.pdf"].pages_hashes) == 3

    ran = run_here("-C", str(printed), "reprint", "--since", "older.json")
    assert ran.code == 2 and ran.out == ""
    assert ran.err == (
        f"handouts: error: {printed / 'older.json'} has no PDF's page hashes: it is not a "
        "manifest or a printed record, or it was written before handouts kept them\n"
    )


def test_a_reprint_that_cannot_be_written_is_said(printed: Path) -> None:
    (printed / "output" / REPRINT_NAME).mkdir()
    _edit(printed, *ON_PAGE_2)
    _build(printed)
    ran = run_here("-C", str(printed), "reprint")
    assert ran.code == 3, ran.out + ran.err
    assert (
        ran.err
        == f"handouts: error: cannot write {printed / 'output' / REPRINT_NAME}: Is a directory\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no PDF in {output} is marked as printed yet: mark those you print with"),
        (("--since", "gone.json"), "cannot read {root}/gone.json: No such file or directory"),
        (("--since", "content/course.yaml"), "{root}/content/course.yaml is not a record of"),
        (("--mark", "content/course.yaml"), "content/course.yaml is not a PDF of the output"),
        (("--mark", "output/other-handout.pdf"), "{output}/other-handout.pdf is not a PDF of"),
    ],
)
def test_what_cannot_be_done_is_said_in_one_line(
    built: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    shutil.copytree(built / "output", tmp_path / "output")
    shutil.copytree(built / "content", tmp_path / "content")
    ran = run_here("-C", str(tmp_path), "reprint", *args)
    said = message.format(root=tmp_path, output=tmp_path / "output")
    assert ran.code == 2 and ran.out == "", ran.err
    assert ran.err.startswith(f"handouts: error: {said}") and ran.err.count("\n") == 1, ran.err
    assert not (tmp_path / "output" / PRINTED_NAME).exists()


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
