"""A school's branding in course.yaml: its name, logo, colours and licence, read back from
every PDF of a course built once, and each mistake in it a located error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from accessibility import elements
from conftest import copy_samples, needs_poppler, run, run_here
from pdf_reader import Pdf
from PIL import Image

from handouts.render.grayscale import gray_of

LOGO_SIZE = (90, 60)  # the PNG logo's pixels: no other picture of the samples is this size
BRANDED = """\
course: Business Management
author: Business Management teaching team
language: en
institution: Riverside High School
term: Autumn 2026
teacher: Ms A. Rivera
licence: CC BY-SA 4.0
theme: print-saver
logo:
  file: images/logo.png
  alt: Riverside High School crest
colors:
  accent: "#1a5e3a"
  rule: "#5a6b7c"
"""
EVERY_OUTPUT = ("--answer-sheet", "--booklet", "--duplex", "--copies", "2", "-q")
ACCENT = "#1a5e3a"  # a green: no theme's
SVG_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="100" viewBox="0 0 120 100">'
    '<path d="M10 10 H110 V60 L60 95 L10 60 Z" fill="#1f4e79"/></svg>'
)


def _project(folder: Path, course: str = BRANDED) -> Path:
    """The samples, a PNG and an SVG logo, and `course` as their course.yaml."""
    content = copy_samples(folder / "content")
    Image.new("RGB", LOGO_SIZE, (31, 78, 121)).save(content / "images" / "logo.png")
    (content / "images" / "logo.svg").write_text(SVG_LOGO, "utf-8")
    (content / "course.yaml").write_text(course, "utf-8")
    return folder


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The branded course, built (every output, the answer sheets, booklets and class sets
    too) as a user would."""
    folder = _project(tmp_path_factory.mktemp("branded"))
    ran = run("-C", str(folder), *EVERY_OUTPUT)
    assert ran.returncode == 0, ran.stderr
    return folder


def _pdfs(folder: Path) -> list[Path]:
    return sorted((folder / "output").glob("*.pdf"))


def _text(path: Path) -> str:
    """The PDF's text as pdftotext extracts it, its lines joined."""
    found = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(found.stdout.split())


def _logo_images(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """The image XObjects of the logo's size in the file, by object number."""
    return {
        found.objgen
        for found in pdf.objects
        if isinstance(found, pikepdf.Stream)
        and found.get("/Subtype") == "/Image"
        and (int(found.get("/Width", 0)), int(found.get("/Height", 0))) == LOGO_SIZE
    }


@needs_poppler
def test_every_pdf_prints_the_licence_and_holds_it_as_its_copyright(branded: Path) -> None:
    names = {path.name for path in _pdfs(branded)}
    for kind in ("handout", "slides", "notes", "table", "worksheet", "answers"):
        assert f"production-vs-operations-{kind}.pdf" in names
    for kind in ("presenter", "quiz", "quiz-key", "answer-sheet", "answer-sheet-key"):
        assert f"production-systems-{kind}.pdf" in names
    assert "business-management-pack.pdf" in names
    for path in _pdfs(branded):
        assert "CC BY-SA 4.0" in _text(path), path.name
        with pikepdf.open(path) as pdf:
            metadata = pdf.open_metadata()
            assert metadata.get("dc:rights") == "CC BY-SA 4.0", path.name
            assert str(metadata.get("xmpRights:Marked")) == "True", path.name


@pytest.mark.parametrize(
    "name",
    [
        "production-vs-operations-handout.pdf",
        "production-vs-operations-slides.pdf",
        "production-vs-operations-table.pdf",
        "production-vs-operations-worksheet.pdf",
        "business-management-pack.pdf",
    ],
)
def test_the_logo_is_embedded_once_with_its_alt_text(branded: Path, name: str) -> None:
    with pikepdf.open(branded / "output" / name) as pdf:
        assert len(_logo_images(pdf)) == 1
        alts = [str(e.get("/Alt", "")) for e in elements(pdf) if e.get("/S") == "/Figure"]
        assert "Riverside High School crest" in alts


@needs_poppler
def test_the_handout_and_title_slide_name_the_school_the_teacher_and_the_term(
    branded: Path,
) -> None:
    output = branded / "output"
    for name in ("production-vs-operations-handout.pdf", "production-vs-operations-slides.pdf"):
        text = _text(output / name)
        for said in ("Riverside High School", "Ms A. Rivera", "Autumn 2026"):
            assert said.casefold() in text.casefold(), (name, said)


def test_the_course_colours_are_over_the_themes(branded: Path) -> None:
    accent = [int(ACCENT[n : n + 2], 16) / 255 for n in (1, 3, 5)]
    handout = Pdf(branded / "output" / "production-vs-operations-handout.pdf")
    # as its gray: print-saver asks for gray pages
    assert (round(gray_of("rgb", accent), 2),) in handout.fill_colours("g", 2)


def _failing(folder: Path, course: str) -> str:
    """What `check` says of the samples with `course` as their course.yaml (it fails)."""
    _project(folder, course)
    ran = run_here("check", "-C", str(folder))
    assert ran.code != 0, ran.out
    return ran.err + ran.out


def _line_of(course: str, text: str) -> int:
    return next(n for n, line in enumerate(course.splitlines(), 1) if text in line)


def test_a_faint_course_colour_is_an_error_at_its_line_and_no_pdf_is_lost(
    branded: Path, tmp_path: Path
) -> None:
    shutil.copytree(branded, tmp_path, dirs_exist_ok=True)
    before = {path.name: path.read_bytes() for path in _pdfs(tmp_path)}
    course = BRANDED.replace(f'accent: "{ACCENT}"', 'accent: "#ffcc00"')
    (tmp_path / "content" / "course.yaml").write_text(course, "utf-8")
    ran = run_here("-C", str(tmp_path), *EVERY_OUTPUT)
    assert ran.code != 0
    line = _line_of(course, "#ffcc00")
    place = f"{tmp_path / 'content' / 'course.yaml'}:{line}:11"
    assert (
        f"{place}: error: colors.accent #ffcc00 on the white paper #ffffff is 1.51:1, below "
        "the 4.5:1 needed for headings and links"
    ) in ran.err
    assert {path.name: path.read_bytes() for path in _pdfs(tmp_path)} == before


def test_a_faint_background_is_an_error_at_the_course_colour_that_made_it(
    tmp_path: Path,
) -> None:
    course = BRANDED.replace("theme: print-saver\n", "").replace(
        'rule: "#5a6b7c"', 'accent_soft: "#3a5e8c"'
    )
    said = _failing(tmp_path, course)
    line = _line_of(course, "#3a5e8c")
    assert f"course.yaml:{line}:16: error: --ink #" in said
    assert "on colors.accent_soft #3a5e8c is" in said


def test_a_colour_that_is_not_one_is_a_located_error(tmp_path: Path) -> None:
    course = BRANDED.replace(f'accent: "{ACCENT}"', "accent: blurple")
    said = _failing(tmp_path, course)
    line = _line_of(course, "blurple")
    assert f"course.yaml:{line}:11: error: colors.accent is 'blurple', not a colour" in said
    assert "write it as #rrggbb" in said


def test_a_logo_outside_the_project_is_a_located_error(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "logo.svg").write_text(SVG_LOGO, "utf-8")
    course = BRANDED.replace("images/logo.png", "../../elsewhere/logo.svg")
    said = _failing(tmp_path / "project", course)
    line = _line_of(course, "elsewhere")
    assert f"course.yaml:{line}:9: error: picture '../../elsewhere/logo.svg' is outside" in said


def test_a_logo_without_alt_text_is_a_located_error_unless_decorative(tmp_path: Path) -> None:
    course = BRANDED.replace("  alt: Riverside High School crest\n", "").replace(
        "logo.png", "logo.svg"
    )
    said = _failing(tmp_path / "bare", course)
    line = _line_of(course, "file: images/logo.svg")
    assert f"course.yaml:{line}:3: error: the logo has no alt text" in said
    assert "decorative: true" in said
    decorative = course.replace("logo.svg\n", "logo.svg\n  decorative: true\n")
    folder = _project(tmp_path / "decorative", decorative)
    ran = run_here("check", "-C", str(folder))
    assert ran.code == 0, ran.err


def test_an_unknown_branding_key_is_a_located_error(tmp_path: Path) -> None:
    course = BRANDED.replace("  rule:", "  acent: '#000000'\n  rule:")
    said = _failing(tmp_path, course)
    assert f"course.yaml:{_line_of(course, 'acent:')}:3: error: unknown key 'acent'" in said
