"""The print-saver theme's pictures in gray: a lesson with a colour PNG, a colour JPEG and a
colour SVG, built in print-saver, has no colour left in its PDFs (images, drawings, text),
keeps its text, tags and byte-identity; in the default theme it keeps its colours."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLES, needs_poppler, run_here
from pikepdf import Name
from PIL import Image

from handouts.render.contrast import contrast_ratio, relative_luminance
from handouts.render.grayscale import asks_for_grayscale, gray_of, in_gray
from handouts.render.theme import Theme

ONLY = "handout,slides"
LESSON = """\
title: Colour pictures
subjects:
  red: Red things
  blue: Blue things
introduction: |
  Pictures in colour, printed on a copier that knows only black toner.
sections:
  - title: Two halves
    text: |
      The photograph shows a red half and a blue half. The ratio is $r = \\frac{a}{b}$.

      ![Two boxes side by side, red on the left and blue on the right.](images/boxes.svg)
    figure:
      file: images/halves.png
      alt: A red half and a half-transparent blue half side by side.
      caption: Two halves.
    red: |
      Tomatoes and bricks.

      ![An orange square.](images/orange.jpg)
    blue: |
      The sky and the sea.
"""
BOXES = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">'
    '<title>Two boxes</title><rect width="100" height="100" fill="#ff0000"/>'
    '<rect x="100" width="100" height="100" fill="#0000ff"/></svg>'
)
WORDS = ("Colour pictures", "Tomatoes and bricks", "The sky and the sea")
COLOUR_OPERATORS = {"rg", "RG", "k", "K"}
SET_COLOUR = {"sc", "scn", "SC", "SCN"}


def _write_lesson(content: Path, theme: str | None) -> None:
    content.mkdir(parents=True)
    (content / "images").mkdir()
    course = (SAMPLES / "course.yaml").read_text()
    (content / "course.yaml").write_text(course + (f"theme: {theme}\n" if theme else ""))
    (content / "colours.yaml").write_text(LESSON)
    (content / "images" / "boxes.svg").write_text(BOXES)
    halves = Image.new("RGBA", (80, 40), (220, 40, 40, 255))
    halves.paste((30, 60, 200, 128), (40, 0, 80, 40))
    halves.save(content / "images" / "halves.png")
    Image.new("RGB", (60, 30), (230, 120, 20)).save(content / "images" / "orange.jpg")


@dataclass(frozen=True)
class Built:
    """The lesson's PDFs in print-saver (twice, in two folders) and in the default theme."""

    saver: Path
    again: Path
    default: Path


def _build(project: Path, output: str) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        ran = run_here("content/colours.yaml", "-o", output, "--only", ONLY)
    assert ran.code == 0, ran.err
    return project / output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    saver = tmp_path_factory.mktemp("gray")
    _write_lesson(saver / "content", "print-saver")
    default = tmp_path_factory.mktemp("colour")
    _write_lesson(default / "content", None)
    return Built(_build(saver, "first"), _build(saver, "second"), _build(default, "output"))


def _pdfs(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.pdf"))
    assert [path.name for path in found] == ["colours-handout.pdf", "colours-slides.pdf"]
    return found


def _drawings(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every page, and every form or pattern stream of the file."""
    streams = [
        thing
        for thing in pdf.objects
        if isinstance(thing, pikepdf.Stream)
        and (thing.get("/Subtype") == Name.Form or thing.get("/PatternType") == 1)
    ]
    return [*(page.obj for page in pdf.pages), *streams]


def _operators(pdf: pikepdf.Pdf) -> list[tuple[str, list[object]]]:
    found = []
    for drawing in _drawings(pdf):
        holder = pikepdf.Page(drawing) if drawing.get("/Type") == Name.Page else drawing
        found.extend(
            (str(instruction.operator), list(instruction.operands))
            for instruction in pikepdf.parse_content_stream(holder)
        )
    return found


def _pixels(pdf: Path, folder: Path) -> list[tuple[int, int, int]]:
    """Every pixel of every page of `pdf` rendered by Poppler at 50 dpi."""
    stem = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(stem)], check=True)
    pixels: list[tuple[int, int, int]] = []
    for page in sorted(folder.glob(f"{pdf.stem}-*.png")):
        with Image.open(page) as image:
            pixels.extend(image.convert("RGB").get_flattened_data())  # type: ignore[arg-type]
    return pixels


def test_every_picture_is_gray(built: Built) -> None:
    for path in _pdfs(built.saver):
        with pikepdf.open(path) as pdf:
            images = [
                thing
                for thing in pdf.objects
                if isinstance(thing, pikepdf.Stream) and thing.get("/Subtype") == Name.Image
            ]
            assert len(images) >= 3, path  # the PNG, its soft mask, the JPEG
            for image in images:
                space = image.ColorSpace
                gray = space == Name.DeviceGray or (
                    isinstance(space, pikepdf.Array) and space[1] == Name.DeviceGray
                )
                assert gray, (path.name, image.objgen, space)


def test_no_colour_is_set_in_any_drawing(built: Built) -> None:
    for path in _pdfs(built.saver):
        with pikepdf.open(path) as pdf:
            operators = _operators(pdf)
        assert not {name for name, _ in operators} & COLOUR_OPERATORS, path.name
        # sc/scn are left only where they set a gray (one number) or a pattern (a name)
        for name, operands in operators:
            if name in SET_COLOUR:
                assert len(operands) == 1, (path.name, name, operands)
        assert ("g", [0]) in [
            (name, [float(o) for o in ops]) for name, ops in operators if name == "g"
        ]


def test_black_text_stays_exactly_black(built: Built) -> None:
    with pikepdf.open(built.saver / "colours-handout.pdf") as pdf:
        blacks = [
            ops
            for name, ops in _operators(pdf)
            if name == "g" and float(ops[0]) == 0  # type: ignore[arg-type]
        ]
        written = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[0]))
    assert blacks
    assert b"0 g" in written


@needs_poppler
def test_pages_print_gray(built: Built, tmp_path: Path) -> None:
    for path in _pdfs(built.saver):
        coloured = [pixel for pixel in _pixels(path, tmp_path) if len(set(pixel)) > 1]
        assert not coloured, (path.name, coloured[:5])


@needs_poppler
def test_the_default_theme_keeps_its_colours(built: Built, tmp_path: Path) -> None:
    pixels = _pixels(built.default / "colours-handout.pdf", tmp_path)
    assert any(red > green + 100 for red, green, _ in pixels)  # the red of the pictures
    assert any(blue > red + 100 for red, _, blue in pixels)  # the blue of the box


@needs_poppler
def test_text_and_tags_are_kept(built: Built) -> None:
    path = built.saver / "colours-handout.pdf"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for words in WORDS:
        assert words in " ".join(text.split())
    with pikepdf.open(path) as pdf:
        alts = []
        nodes = [pdf.Root.StructTreeRoot]
        while nodes:
            node = nodes.pop()
            if node.get("/S") in (Name.Figure, Name.Formula):
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            nodes.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
        assert len(pdf.open_outline().root) > 0
    assert "A red half and a half-transparent blue half side by side." in alts
    assert any(alt.startswith("Two boxes side by side") for alt in alts)


def test_two_builds_give_the_same_bytes(built: Built) -> None:
    for path in _pdfs(built.saver):
        assert path.read_bytes() == (built.again / path.name).read_bytes(), path.name


def test_the_theme_asks_for_it() -> None:
    saver = Theme.over_builtin(Theme().folders[0] / "themes" / "print-saver")
    assert asks_for_grayscale(saver)
    assert not asks_for_grayscale(Theme())


def test_a_schools_theme_can_ask_for_it(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    theme_css = (Theme().find("css/theme.css")).read_text()
    (tmp_path / "css" / "theme.css").write_text(
        theme_css + "\n:root { --gray: grayscale; --print: var(--gray) }\n"
    )
    assert asks_for_grayscale(Theme.over_builtin(tmp_path))


def test_grays_keep_the_luminance() -> None:
    assert gray_of("rgb", [0, 0, 0]) == 0
    assert gray_of("rgb", [1, 1, 1]) == 1
    assert gray_of("cmyk", [0, 0, 0, 1]) == 0
    assert gray_of("rgb", [0.4, 0.4, 0.4]) == 0.4
    for colour in ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.122, 0.306, 0.475)):
        gray = gray_of("rgb", list(colour))
        white = (1.0, 1.0, 1.0)
        assert abs(relative_luminance((gray,) * 3) - relative_luminance(colour)) < 1e-5
        assert abs(contrast_ratio((gray,) * 3, white) - contrast_ratio(colour, white)) < 1e-3
    assert gray_of("lab", [100, 20, -30]) == 1
    assert gray_of("lab", [0, 0, 0]) == 0


def test_colour_spaces_in_a_content_stream() -> None:
    pdf = pikepdf.new()
    resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(CS0=Name.DeviceRGB))
    stream = b"q 1 0 0 rg /CS0 cs 0 0 1 scn /Pattern cs /P0 scn Q 0 0 0 1 K 0 0 0 RG"
    instructions = pikepdf.parse_content_stream(pdf.make_stream(stream))
    written = pikepdf.unparse_content_stream(in_gray(instructions, resources) or [])
    assert written.split(b"\n") == [
        b"q",
        b"0.49844 g",
        b"/DeviceGray cs",
        b"0.297893 scn",
        b"/Pattern cs",
        b"/P0 scn",
        b"Q",
        b"0 G",
        b"0 G",
    ]


def test_a_jpeg_picture_builds_in_the_default_theme(built: Built) -> None:
    """Hashing a page that shows a JPEG (DCTDecode, which qpdf does not decode) broke the
    build: the default theme's PDFs keep the JPEG and are written."""
    with pikepdf.open(built.default / "colours-handout.pdf") as pdf:
        filters = [
            thing.get("/Filter")
            for thing in pdf.objects
            if isinstance(thing, pikepdf.Stream) and thing.get("/Subtype") == Name.Image
        ]
    assert Name.DCTDecode in filters


def test_switching_the_theme_rebuilds(tmp_path: Path) -> None:
    _write_lesson(tmp_path / "content", None)
    colour = _build(tmp_path, "output") / "colours-handout.pdf"
    first = colour.read_bytes()
    course = tmp_path / "content" / "course.yaml"
    course.write_text(course.read_text() + "theme: print-saver\n")
    assert colour.read_bytes() == first
    _build(tmp_path, "output")
    assert colour.read_bytes() != first
    with pikepdf.open(colour) as pdf:
        assert not {name for name, _ in _operators(pdf)} & COLOUR_OPERATORS
    shutil.rmtree(tmp_path / "output")
