"""A project's own theme: files in theme/ replace the built-in ones of the same name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, copy_samples, run_here
from pdf_reader import Pdf

BUILTIN = ROOT / "templates"
SCHOOL_RED = "#7a1f3d"
RED = (0.478, 0.122, 0.239)  # SCHOOL_RED as PDF fill colour components


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a copy of the sample content, the current folder."""
    copy_samples(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _build(*args: str) -> dict[str, bytes]:
    ran = run_here("content", "-q", "-o", "output", *args)
    assert ran.code == 0, ran.err
    return {path.name: path.read_bytes() for path in sorted(Path("output").glob("*.pdf"))}


def _override(project: Path, name: str, old: str, new: str) -> Path:
    """Copy a built-in theme file into the project's theme/, with one change."""
    text = (BUILTIN / name).read_text("utf-8")
    assert old in text
    path = project / "theme" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new), "utf-8")
    return path


def test_a_project_theme_overrides_a_template_and_a_colour_and_removing_it_restores(
    project: Path,
) -> None:
    original = _build("--only", "handout,table")
    _override(project, "table.html.j2", "<h1>", '<p class="school">Riverside High</p>\n  <h1>')
    _override(project, "css/theme.css", "--accent: #1f4e79;", f"--accent: {SCHOOL_RED};")
    themed = _build("--only", "handout,table")  # no --force: adding a theme is a change

    table = Pdf(Path("output") / f"{SAMPLE}-table.pdf")
    assert "management riverside high production and operations" in table.page_words()[0]
    assert RED in table.fill_colours()  # the header row, in the school's colour
    handout = Pdf(Path("output") / f"{SAMPLE}-handout.pdf")
    assert "riverside high" not in handout.text()  # its template is the built-in one
    assert RED in handout.fill_colours()  # but the colour is everyone's
    assert all(themed[name] != original[name] for name in original)

    shutil.rmtree(project / "theme")
    assert _build("--only", "handout,table") == original


def test_a_theme_changes_one_word_of_the_catalog_and_keeps_the_others(project: Path) -> None:
    (project / "theme" / "strings").mkdir(parents=True)
    (project / "theme" / "strings" / "en.yaml").write_text("answer_key: Solutions\n")
    _build("--only", "answers,handout")
    answers = Pdf(Path("output") / f"{SAMPLE}-answers.pdf").page_text(0).replace(" ", "")
    assert "SOLUTIONS" in answers and "ANSWERKEY" not in answers  # set in spaced capitals
    handout = Pdf(Path("output") / f"{SAMPLE}-handout.pdf")
    assert "Page 1 of 2" in handout.page_text(0)  # the built-in catalog's other words


def test_a_font_of_the_theme_replaces_the_built_in_file_of_that_name(project: Path) -> None:
    fonts = project / "theme" / "fonts"
    fonts.mkdir(parents=True)
    # The built-in fonts.css names ../fonts/SourceSans3-Regular.ttf: the project's file wins.
    shutil.copy(BUILTIN / "fonts" / "SourceCodePro-Regular.ttf", fonts / "SourceSans3-Regular.ttf")
    _build("--only", "handout")
    names = Pdf(Path("output") / f"{SAMPLE}-handout.pdf").font_names()
    assert "SourceCodePro-Regular" in names
    assert "SourceSans3-Regular" not in names


def test_course_yaml_names_a_theme_folder(project: Path) -> None:
    _build("--only", "table")
    _override(project, "css/theme.css", "--accent: #1f4e79;", f"--accent: {SCHOOL_RED};")
    (project / "theme").rename(project / "school")
    assert RED not in Pdf(Path("output") / f"{SAMPLE}-table.pdf").fill_colours()
    course = project / "content" / "course.yaml"
    course.write_text(course.read_text() + "theme: ../school\n")
    _build("--only", "table")
    assert RED in Pdf(Path("output") / f"{SAMPLE}-table.pdf").fill_colours()
    css = project / "school" / "css" / "theme.css"  # an edit of that theme is seen too
    css.write_text(css.read_text().replace(SCHOOL_RED, "#1f4e79"))
    _build("--only", "table")
    assert RED not in Pdf(Path("output") / f"{SAMPLE}-table.pdf").fill_colours()


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ("../nowhere", "the theme folder {project}/nowhere does not exist"),
        ("/tmp", "the theme folder is outside the project"),
        ("..", "the theme folder holds the project or its lessons"),
    ],
)
def test_a_theme_that_cannot_be_used_is_a_located_error(
    project: Path, theme: str, message: str
) -> None:
    course = project / "content" / "course.yaml"
    lines = len(course.read_text().splitlines())
    course.write_text(course.read_text() + f"theme: {theme}\n")
    ran = run_here("content", "-o", "output")
    assert ran.code == 1
    expected = message.format(project=project.resolve())
    assert f"content/course.yaml:{lines + 1}:8: error: {expected}" in ran.err
    assert not Path("output").exists()


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        (
            "answer_ky: Solutions\n",
            "1:1: error: unknown string 'answer_ky' (did you mean 'answer_key'?)",
        ),
        (
            'name: "Nom"\nslide_n: "Diapo {num}"\n',
            "2:1: error: 'slide_n' fills in {num}, which it does not have (it has {number})",
        ),
        ("name: No\n", "1:1: error: 'name' must be text"),
        ("name: [\n", "2:1: error: this catalog is not valid YAML"),
    ],
)
def test_a_mistake_in_a_theme_catalog_is_located_there(
    project: Path, catalog: str, message: str
) -> None:
    path = project / "theme" / "strings" / "en.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(catalog)
    ran = run_here("content", "-o", "output")
    assert ran.code == 1
    assert f"{path.resolve()}:{message}" in ran.err
    assert "bug in handouts" not in ran.err


def test_a_link_out_of_the_theme_or_a_hidden_file_is_never_used(project: Path) -> None:
    outside = project / "elsewhere.css"
    outside.write_text(f":root {{ --accent: {SCHOOL_RED}; }}")
    (project / "theme" / "css").mkdir(parents=True)
    (project / "theme" / "css" / "theme.css").symlink_to(outside)
    (project / "theme" / ".table.html.j2").write_text("<p>hidden</p>")
    _build("--only", "table")
    table = Pdf(Path("output") / f"{SAMPLE}-table.pdf")
    assert RED not in table.fill_colours()  # the built-in theme.css was used
    assert "hidden" not in table.text()


def _tiny_font(path: Path, character: str) -> None:
    """A font made here with one glyph, a square, for `character`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 700), (900, 700), (900, 0)):
        (pen.lineTo if pen.points else pen.moveTo)((x, y))
    pen.closePath()
    name = f"uni{ord(character):04X}"
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", name])
    builder.setupCharacterMap({ord(character): name})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), name: pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), name: (1000, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny Han", "styleName": "Regular", "psName": "TinyHan"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


def test_a_character_no_theme_font_has_is_an_error_until_the_theme_adds_one(
    project: Path,
) -> None:
    lesson = project / "content" / "han.yaml"
    lesson.write_text(
        "title: The sign 中\nintroduction: It means middle.\nsections:\n"
        "  - title: S\n    text: T.\n"
    )
    ran = run_here("check", "content")
    assert ran.code == 1
    assert (
        "content/han.yaml:1:17: error: no font of the theme has U+4E2D CJK UNIFIED "
        "IDEOGRAPH-4E2D (中) (use a font that has it: put its file in the theme's fonts/ "
        "folder and name it in css/fonts.css there" in ran.err
    )
    # The route docs/themes.md gives: the font file, its @font-face, and the family in theme.css.
    (project / "theme" / "fonts").mkdir(parents=True)
    _tiny_font(project / "theme" / "fonts" / "TinyHan.ttf", "中")
    _override(
        project,
        "css/fonts.css",
        "/* The project's own fonts",
        '@font-face { font-family: "Tiny Han"; src: url("../fonts/TinyHan.ttf"); }\n'
        "/* The project's own fonts",
    )
    _override(
        project, "css/theme.css", '--sans: "Source Sans 3",', '--sans: "Source Sans 3", "Tiny Han",'
    )
    assert run_here("check", "content").code == 0
    assert run_here("content/han.yaml", "--only", "handout", "-o", "output").code == 0
    names = Pdf(Path("output") / "han-handout.pdf").font_names()
    assert any(name.startswith("Tiny") for name in names), names


def test_no_font_of_the_machine_is_ever_used(tmp_path: Path) -> None:
    # Rendered in a process of its own, as a build does: fontconfig is set up before WeasyPrint.
    out = tmp_path / "machine.pdf"
    script = (
        "from handouts.render.cache import BuildCache; from handouts.render.theme import Theme; "
        "pdf = BuildCache().renderer(Theme()).render('<p>Han 中, Greek αβγ, arrows ⇶</p>', "
        "('fonts.css', 'theme.css', 'base.css')); "
        f"open({str(out)!r}, 'wb').write(pdf.data)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    assert all(name.startswith(("SourceSerif4", "SourceSans3")) for name in Pdf(out).font_names())
