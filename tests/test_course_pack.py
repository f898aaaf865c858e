"""The course pack: a course.yaml's lessons in teaching order, as one PDF, read back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from accessibility import problems
from conftest import LANGUAGE_LESSONS, copy_samples, run_here
from pdf_reader import Pdf, normalize

COURSE = """\
course: Business Management
author: Business Management teaching team
language: en
title: Business Management, Year 10
term: Autumn 2026
teacher: Ms A. Teacher
lessons:
  - production-vs-operations.yaml
  - operations-fr.yaml
  - production-*.yaml
"""
ORDER = ("production-vs-operations", "operations-fr", "production-systems")
PACK = "business-management-year-10-pack.pdf"


def _project(folder: Path, course: str = COURSE) -> Path:
    """The samples and the French test lesson, in a project whose course.yaml is `course`."""
    content = copy_samples(folder / "content")
    shutil.copy(LANGUAGE_LESSONS / "fr.yaml", content / "operations-fr.yaml")
    (content / "course.yaml").write_text(course, "utf-8")
    return folder


def _build(folder: Path, *args: str) -> str:
    ran = run_here("-C", str(folder), "--only", "handout,pack", *args)
    assert ran.code == 0, ran.err
    return ran.out


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _project(tmp_path_factory.mktemp("course"))
    _build(folder)
    return folder


def _copy(course: Path, folder: Path) -> Path:
    """A project of its own: a copy of the built course, its content and its PDFs (their
    manifest names its lessons relatively, so the copy is up to date as it is)."""
    shutil.copytree(course, folder, dirs_exist_ok=True)
    return folder


def _titles(folder: Path) -> list[str]:
    lessons = [folder / "content" / f"{name}.yaml" for name in ORDER]
    return [yaml.safe_load(path.read_text("utf-8"))["title"] for path in lessons]


def _contents(pack: Pdf) -> dict[str, int]:
    """The pack's contents as printed on its first page: each title and its page number."""
    lines = pack.page_text(0).replace("\r", "").split("\n")
    return {
        normalize(found[1]): int(found[2])
        for line in lines
        if (found := re.fullmatch(r"(.+?)\.{3,}\s*(\d+)", line.strip()))
    }


def test_the_pack_holds_a_contents_page_and_every_handout_in_course_order(course: Path) -> None:
    output = course / "output"
    pack = Pdf(output / PACK)
    handouts = [len(Pdf(output / f"{name}-handout.pdf")) for name in ORDER]
    assert len(pack) == 1 + sum(handouts)  # the cover and contents share the first page
    starts = [2 + sum(handouts[:n]) for n in range(len(ORDER))]
    assert _contents(pack) == dict(zip(map(normalize, _titles(course)), starts, strict=True))
    for title, start in zip(_titles(course), starts, strict=True):
        assert normalize(title) in pack.page_words()[start - 1]
    first = pack.page_words()[0]
    for said in ("Business Management, Year 10", "Autumn 2026", "Ms A. Teacher", "Contents"):
        assert normalize(said) in first
    assert all(f"Page {n} of {len(pack)}" in pack.page_text(n - 1) for n in range(1, len(pack)))


def test_each_lesson_has_a_bookmark_with_its_sections_under_it(course: Path) -> None:
    outline = Pdf(course / "output" / PACK).outline()
    for name, title in zip(ORDER, _titles(course), strict=True):
        lesson = yaml.safe_load((course / "content" / f"{name}.yaml").read_text("utf-8"))
        at = outline.index((0, title))
        under = []
        for level, text in outline[at + 1 :]:
            if level == 0:
                break
            if level == 1:
                under.append(text)
        sections = [section["title"] for section in lesson["sections"]]
        assert under[: len(sections)] == sections


def test_each_lesson_keeps_its_running_header_and_language(course: Path) -> None:
    pack = Pdf(course / "output" / PACK)
    handout = Pdf(course / "output" / "production-vs-operations-handout.pdf")
    header = "Business Management · Difference between Production and Operations Management"
    assert header in pack.page_text(2)  # the lesson's second page, as on its handout
    assert header in handout.page_text(1)
    assert header not in pack.page_text(1)  # not over the lesson's title
    with pikepdf.open(course / "output" / PACK) as pdf:
        assert str(pdf.Root.Lang) == "en"
        articles = [
            str(element.get("/Lang"))
            for element in _elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == pikepdf.Name.Art
        ]
    pages = [len(Pdf(course / "output" / f"{name}-handout.pdf")) for name in ORDER]
    languages = [
        yaml.safe_load((course / "content" / f"{n}.yaml").read_text("utf-8")) for n in ORDER
    ]
    # An article is one Art element a page: each says its lesson's language.
    said = [lesson.get("language", "en") for lesson in languages]
    assert articles == [language for language, n in zip(said, pages, strict=True) for _ in range(n)]
    assert "fr" in articles
    assert problems(course / "output" / PACK) == []


def _elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found = []
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *_elements(kid)]
    return found


def test_the_pack_is_made_again_only_when_a_handout_or_the_order_changes(
    course: Path, tmp_path: Path
) -> None:
    folder = _copy(course, tmp_path)  # as _project(tmp_path) and _build(folder) make it
    pack = folder / "output" / PACK
    made = pack.stat().st_mtime_ns
    assert "up to date" in _build(folder)
    lesson = folder / "content" / "production-systems.yaml"
    text = lesson.read_text("utf-8")
    # A comment changes the lesson file but no handout: the pack is planned, not remade.
    lesson.write_text(text + "\n# a comment\n", "utf-8")
    _build(folder)
    assert pack.stat().st_mtime_ns == made
    lesson.write_text(text.replace("The three classic", "The three well-known", 1), "utf-8")
    said = _build(folder, "-v")
    assert str(pack) in said and pack.stat().st_mtime_ns != made
    assert normalize("three well-known systems") in Pdf(pack).text()
    course = folder / "content" / "course.yaml"
    course.write_text(COURSE.replace("  - operations-fr.yaml\n", ""), "utf-8")
    _build(folder)
    assert list(_contents(Pdf(pack))) == [
        normalize(title) for title in (_titles(folder)[0], _titles(folder)[2])
    ]


def test_a_lesson_the_course_does_not_name_is_built_but_not_packed(tmp_path: Path) -> None:
    folder = _project(tmp_path, COURSE.replace("  - operations-fr.yaml\n", ""))
    out = _build(folder)
    assert (folder / "output" / "operations-fr-handout.pdf").exists()
    assert "Production et opérations" not in Pdf(folder / "output" / PACK).text()
    assert "note" not in out


def test_without_a_list_the_lessons_come_in_file_name_order(tmp_path: Path) -> None:
    folder = _project(tmp_path, "course: Business Management\nauthor: Team\n")
    _build(folder, "--only", "pack")
    assert sorted(path.name for path in (folder / "output").glob("*.pdf")) == [
        "business-management-pack.pdf"
    ]
    pack = Pdf(folder / "output" / "business-management-pack.pdf")
    names = sorted(ORDER)
    titles = dict(zip(ORDER, _titles(folder), strict=True))
    assert list(_contents(pack)) == [normalize(titles[name]) for name in names]


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        (
            "  - production-system.yaml\n",
            "course.yaml:11:5: error: no lesson file 'production-system.yaml' beside course.yaml"
            " (did you mean 'production-systems.yaml'?)",
        ),
        (
            "  - week-*.yaml\n",
            "course.yaml:11:5: error: 'week-*.yaml' matches no lesson file",
        ),
        (
            "  - ../elsewhere.yaml\n",
            "course.yaml:11:5: error: '../elsewhere.yaml' is not in the course's folder",
        ),
    ],
)
def test_a_lesson_the_course_names_wrongly_is_a_located_error(
    tmp_path: Path, listed: str, message: str
) -> None:
    folder = _project(tmp_path, COURSE + listed)
    ran = run_here("-C", str(folder), "--only", "handout,pack")
    assert ran.code == 1
    assert message in ran.err
    assert not (folder / "output" / PACK).exists()


def test_a_lesson_with_a_mistake_leaves_the_last_pack_as_it_was(
    course: Path, tmp_path: Path
) -> None:
    folder = _copy(course, tmp_path)  # as _project(tmp_path) and _build(folder) make it
    pack = folder / "output" / PACK
    before = pack.read_bytes()
    lesson = folder / "content" / "production-systems.yaml"
    lesson.write_text(lesson.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    ran = run_here("-C", str(folder), "--only", "handout,pack")
    assert ran.code == 1
    assert "its course pack waits until every lesson of the course builds" in ran.out
    assert pack.read_bytes() == before


def test_a_pack_renamed_or_down_to_one_lesson_is_removed(course: Path, tmp_path: Path) -> None:
    folder = _copy(course, tmp_path)  # as _project(tmp_path) and _build(folder) make it
    course = folder / "content" / "course.yaml"
    course.write_text(COURSE.replace("Year 10", "Year 11"), "utf-8")
    said = _build(folder)
    renamed = folder / "output" / PACK.replace("10", "11")
    assert renamed.exists() and not (folder / "output" / PACK).exists()
    assert f"removed {folder / 'output' / PACK}" in said
    for name in ORDER[1:]:
        (folder / "content" / f"{name}.yaml").unlink()
    course.write_text(COURSE.replace("Year 10", "Year 11").split("lessons:")[0], "utf-8")
    said = _build(folder)
    assert "it holds one lesson" in said and not renamed.exists()
    assert [path.name for path in (folder / "output").glob("*.pdf")] == [f"{ORDER[0]}-handout.pdf"]
