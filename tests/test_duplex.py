"""Printing class sets on both sides: --duplex pads every paper output to an even page count
with truly blank pages (tags, outline and "Page X of Y" as they were), never the slides;
--copies N adds a class set of each, N copies sharing the original's content. Every check
reads the PDFs back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from accessibility import problems
from conftest import SAMPLES, copy_sample, run_here
from pdf_reader import Pdf

LESSON = "production-systems"  # one page of table, one of worksheet, two of handout
PAPER = ("handout", "table", "worksheet")
ONLY = ("--only", "handout,table,worksheet,slides")
COPIES = 30


def _build(project: Path, *args: str) -> str:
    """Build the project's lesson; what the build printed."""
    ran = run_here("-C", str(project), *ONLY, "--jobs", "2", *args)
    assert ran.code == 0, ran.err
    return ran.out


def _pdf(project: Path, kind: str) -> Path:
    return project / "output" / f"{LESSON}-{kind}.pdf"


def _class_set(project: Path, kind: str) -> Path:
    return project / "output" / f"{LESSON}-{kind}-class-set.pdf"


def _bytes(project: Path) -> dict[str, bytes]:
    return {pdf.name: pdf.read_bytes() for pdf in sorted((project / "output").glob("*.pdf"))}


def _manifest(project: Path) -> dict[str, dict[str, object]]:
    records: dict[str, dict[str, object]] = json.loads(
        (project / "output" / ".handouts-manifest.json").read_text("utf-8")
    )
    return records


def _bookmarks(path: Path) -> list[tuple[int, str, int]]:
    """Each bookmark's level, title and page (from 0)."""
    document = pdfium.PdfDocument(path)
    try:
        found = []
        for item in document.get_toc():
            dest = item.get_dest()
            found.append((item.level, item.get_title(), dest.get_index() if dest else -1))
        return found
    finally:
        document.close()


@pytest.fixture(scope="module")
def padded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built with --duplex --copies 30 (read only: tests that build again
    build a copy)."""
    project = tmp_path_factory.mktemp("duplex")
    copy_sample(project / "content", LESSON)
    _build(project, "--duplex", "--copies", str(COPIES))
    return project


@pytest.fixture(scope="module")
def unpadded(padded: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the padded project built again without --duplex (nor --copies), and what
    that build printed."""
    project = tmp_path_factory.mktemp("unpadded") / "project"
    shutil.copytree(padded, project)
    return project, _build(project)


def test_every_paper_output_has_an_even_page_count_the_slides_none_added(
    padded: Path, unpadded: tuple[Path, str]
) -> None:
    before, _ = unpadded
    for kind in PAPER:
        assert len(Pdf(_pdf(padded, kind))) % 2 == 0, kind
        content = len(Pdf(_pdf(before, kind)))
        assert len(Pdf(_pdf(padded, kind))) == content + content % 2, kind
    assert len(Pdf(_pdf(before, "table"))) == 1  # so one blank page was added to it
    assert _pdf(padded, "slides").read_bytes() == _pdf(before, "slides").read_bytes()


def test_the_blank_pages_are_blank_and_as_large_as_the_last(padded: Path) -> None:
    for kind in ("table", "worksheet"):
        reader = Pdf(_pdf(padded, kind))
        assert reader.page_text(1).strip() == "", kind
        assert reader.page_size(1) == reader.page_size(0), kind
        with pikepdf.open(_pdf(padded, kind)) as pdf:
            blank = pdf.pages[1]
            assert pikepdf.parse_content_stream(blank) == [], kind  # no operator at all
            assert not set(blank.obj.keys()) & {"/StructParents", "/Annots", "/XObject"}
            assert dict(blank.obj.Resources.items()) == {}
            assert pdf.pages[1].obj.Parent.objgen == pdf.pages[0].obj.Parent.objgen
            assert int(pdf.Root.Pages.Count) == 2


def test_page_x_of_y_counts_the_content_pages(padded: Path) -> None:
    table = Pdf(_pdf(padded, "table"))
    assert "Page 1 of 1" in table.page_text(0)
    assert "Page" not in table.page_text(1)
    handout = Pdf(_pdf(padded, "handout"))
    assert "Page 2 of 2" in handout.page_text(1)


def test_tags_outline_and_metadata_survive(padded: Path, unpadded: tuple[Path, str]) -> None:
    before, _ = unpadded
    for kind in PAPER:
        assert problems(_pdf(padded, kind)) == [], kind  # the suite's PDF/UA checks
        assert _bookmarks(_pdf(padded, kind)) == _bookmarks(_pdf(before, kind)), kind
        assert Pdf(_pdf(padded, kind)).metadata() == Pdf(_pdf(before, kind)).metadata()
        with pikepdf.open(_pdf(padded, kind)) as pdf:
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked


def test_a_second_build_gives_the_same_bytes(
    padded: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = tmp_path_factory.mktemp("again") / "project"
    shutil.copytree(padded, again)
    assert _build(again, "--duplex", "--copies", str(COPIES)).startswith("4 up to date")
    _build(again, "--duplex", "--copies", str(COPIES), "--force")
    assert _bytes(again) == _bytes(padded)


def test_switching_duplex_off_rebuilds_the_padded_outputs_alone(
    padded: Path, unpadded: tuple[Path, str]
) -> None:
    before, printed = unpadded
    rewritten = {Path(line.split()[0]).name for line in printed.splitlines() if " page" in line}
    assert rewritten == {_pdf(before, kind).name for kind in PAPER}
    assert len(Pdf(_pdf(before, "table"))) == len(Pdf(_pdf(before, "worksheet"))) == 1
    assert not list((before / "output").glob("*-class-set.pdf"))  # nor --copies


def test_the_class_set_holds_n_copies_each_on_a_new_sheet(padded: Path) -> None:
    for kind in PAPER:
        single, whole = Pdf(_pdf(padded, kind)), Pdf(_class_set(padded, kind))
        pages = len(single)
        assert len(whole) == COPIES * pages, kind
        for copy in range(COPIES):
            first = copy * pages  # from 0: an odd page, the front of a sheet
            for page in range(pages):
                assert whole.page_text(first + page) == single.page_text(page), (kind, copy)
        size = _class_set(padded, kind).stat().st_size
        assert size < 1.5 * _pdf(padded, kind).stat().st_size, kind  # not 30 times


def test_the_class_set_is_a_print_job_with_a_bookmark_a_copy(padded: Path) -> None:
    path = _class_set(padded, "handout")
    marks = _bookmarks(path)
    own = _bookmarks(_pdf(padded, "handout"))
    tops = [(title, page) for level, title, page in marks if level == 0]
    assert tops == [(f"Copy {n + 1}", 2 * n) for n in range(COPIES)]
    assert marks[1 : 1 + len(own)] == [(level + 1, title, page) for level, title, page in own]
    assert len(marks) == COPIES + len(own)  # the document's own bookmarks once
    title = Pdf(_pdf(padded, "handout")).metadata()["Title"]
    assert Pdf(path).metadata()["Title"] == f"{title} — class set of {COPIES}"
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        with pdf.open_metadata() as metadata:
            assert "pdfuaid:part" not in metadata  # untagged: it claims no PDF/UA
        shared = {page.obj.Contents.objgen for page in pdf.pages}
        assert len(shared) == len(Pdf(_pdf(padded, "handout")))  # one stream a page, shared


def test_the_class_sets_are_in_the_manifest_and_go_with_copies(
    padded: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = tmp_path_factory.mktemp("fewer") / "project"
    shutil.copytree(padded, project)
    printed = _build(project, "--duplex", "--copies", "3")
    assert {Path(line.split()[0]).name for line in printed.splitlines() if " pages" in line} == {
        _class_set(project, kind).name for kind in PAPER
    }
    assert len(Pdf(_class_set(project, "table"))) == 6
    recorded = {name: record["copies"] for name, record in _manifest(project).items()}
    assert {name: n for name, n in recorded.items() if n} == dict.fromkeys(
        (_class_set(project, kind).name for kind in PAPER), 3
    )
    kept = _bytes(project)
    printed = _build(project, "--duplex")
    removed = {_class_set(project, kind).name for kind in PAPER}
    assert {Path(line.split()[1].rstrip(":")).name for line in printed.splitlines()} >= removed
    assert _bytes(project) == {name: data for name, data in kept.items() if name not in removed}
    assert not list((project / "output").glob("*-class-set.pdf"))
    assert not any("class-set" in name for name in _manifest(project))


def test_copies_without_duplex_is_a_usage_error(tmp_path: Path) -> None:
    copy_sample(tmp_path / "content", LESSON)
    ran = run_here("-C", str(tmp_path), "--copies", "30")
    assert ran.code == 2
    assert "--copies 30 makes class sets to print on both sides: add --duplex" in ran.err
    ran = run_here("-C", str(tmp_path), "--duplex", "--only", "slides")
    assert ran.code == 2
    assert "--duplex is for the paper outputs, which --only leaves out" in ran.err
    assert not (tmp_path / "output").exists()
    shown = run_here("build", "--help")
    assert shown.code == 0
    assert "--duplex" in shown.out and "--copies N" in shown.out
    assert "not the slides" in " ".join(shown.out.split())


def test_each_lesson_of_a_course_pack_starts_on_the_front_of_a_sheet(
    tmp_path: Path,
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "content")
    ran = run_here("-C", str(tmp_path), "--only", "pack", "--duplex")
    assert ran.code == 0, ran.err
    (pack,) = (tmp_path / "output").glob("*-pack.pdf")
    lessons = [page for level, _, page in _bookmarks(pack) if level == 0 and page > 0]
    assert len(lessons) == 2
    assert all(page % 2 == 0 for page in lessons), lessons  # from 0: pages 1, 3, 5... are fronts
    read = Pdf(pack)
    assert read.page_text(lessons[0] - 1).strip() == ""  # the cover's back: nothing printed
    assert read.page_text(lessons[1] - 1).strip() != ""  # the first lesson's own second page
