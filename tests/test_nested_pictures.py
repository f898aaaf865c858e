"""Every picture, however nested, is a checked picture: the images an SVG holds are read as
lesson pictures are, its CSS is read as WeasyPrint reads it, and what it draws by reference
(copies, markers, masks, clip paths, patterns, filters) is counted and bounded."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from conftest import run_here

from handouts.render.fetcher import ProjectFetcher

LESSON = """\
title: One
introduction: Hi.
sections:
  - title: S
    text: |
      Fine first line.

      ![A box](pic.svg)
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{}</svg>'
COPIES = '<g id="a0"><rect width="1" height="1"/></g>' + "".join(
    f'<g id="a{i}"><use href="#a{i - 1}"/><use href="#a{i - 1}"/></g>' for i in range(1, 40)
)


def _png(width: int, height: int) -> bytes:
    """A PNG's signature and header for a 1-bit picture of this size (its pixels are never
    read: the size alone must refuse it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def _uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _image(uri: str) -> str:
    return f'<image width="10" height="10" href="{uri}"/>'


def _checked(lesson_dir: Callable[[str, str], Path], drawing: str) -> tuple[int, str, Path]:
    """Check a lesson showing `drawing` as pic.svg; its exit code, what it said, its path."""
    lesson = lesson_dir("one.yaml", LESSON)
    (lesson.parent / "pic.svg").write_text(drawing, "utf-8")
    ran = run_here("check", str(lesson))
    return ran.code, ran.err, lesson


@pytest.mark.parametrize(
    ("drawing", "says"),
    [
        pytest.param(
            SVG.format(_image(_uri("image/png", SVG.format(COPIES).encode()))),
            "picture 'data:image/png;base64,PHN2Zy...' is not a PNG image",
            id="svg-posing-as-png",
        ),
        pytest.param(
            SVG.format(_image(_uri("image/svg+xml", SVG.format(COPIES).encode()))),
            "copies '#a1', which holds copies itself",
            id="copies-inside-an-svg-inside",
        ),
        pytest.param(
            SVG.format(_image(_uri("image/png", _png(12000, 12000)))),
            "picture 'data:image/png;base64,iVBORw...' has more than 40 million pixels",
            id="144-megapixels-inside",
        ),
        pytest.param(
            SVG.format(_image(_uri("image/png", _png(20000, 20000)))),
            "has more than 40 million pixels",
            id="400-megapixels-inside",
        ),
        pytest.param(
            SVG.format(_image(_uri("text/html", b"<p>hi</p>"))),
            "is not a PNG, JPEG, WebP, GIF or SVG picture",
            id="not-a-picture-inside",
        ),
    ],
)
def test_a_picture_inside_an_svg_is_checked_like_a_lesson_picture(
    lesson_dir: Callable[[str, str], Path], drawing: str, says: str
) -> None:
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg', line 1: " in err
    assert says in err


def test_pictures_nested_too_deep_are_refused(lesson_dir: Callable[[str, str], Path]) -> None:
    drawing = SVG.format("")
    for _ in range(5):
        drawing = SVG.format(_image(_uri("image/svg+xml", drawing.encode())))
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg', line 1: " in err
    assert "pictures inside pictures nest more than 3 deep" in err


def test_elements_nested_deeper_than_weasyprint_draws_are_refused(
    lesson_dir: Callable[[str, str], Path],
) -> None:
    code, err, lesson = _checked(lesson_dir, SVG.format("<g>" * 3000 + "</g>" * 3000))
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg' nests elements more than 100 deep (line 1)" in err


def test_the_pixels_of_every_picture_inside_count_together(
    lesson_dir: Callable[[str, str], Path],
) -> None:
    from PIL import Image

    png = BytesIO()
    Image.new("1", (6000, 1000)).save(png, "PNG")
    images = "".join(_image(_uri("image/png", png.getvalue())) for _ in range(7))
    code, err, lesson = _checked(lesson_dir, SVG.format(images))
    assert code == 1
    assert f"{lesson}:8:7: " in err
    assert "SVG 'pic.svg' holds pictures of more than 40 million pixels in all" in err


@pytest.mark.parametrize(
    ("drawing", "names"),
    [
        pytest.param(
            SVG.format(r"<style>@\69mport 'https://example.org/a.css';</style>"),
            "@import",
            id="escaped-import",
        ),
        pytest.param(
            SVG.format(r'<rect width="5" height="5" style="fill: u\72l(https://example.org/p)"/>'),
            "https://example.org/p",
            id="escaped-url-in-style",
        ),
        pytest.param(
            SVG.format(r"<style>rect { fill: u\72l('https://example.org/p') }</style>"),
            "https://example.org/p",
            id="escaped-url-in-sheet",
        ),
        pytest.param(
            SVG.format(
                '<rect id="r" width="5" height="5"/>'
                '<use xml:base="https://example.org/a.svg" href="#r"/>'
            ),
            "xml:base",
            id="xml-base",
        ),
    ],
)
def test_references_hidden_by_css_escapes_or_xml_base_are_refused(
    lesson_dir: Callable[[str, str], Path], drawing: str, names: str
) -> None:
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg' refers to '{names}' (line 1)" in err


PATH = '<path d="M0 0 L5 5 L9 1"{}/>'


def _inside_itself(element: str, attribute: str) -> str:
    """An SVG whose `element` #m holds a path that uses #m by `attribute`, and a path using it."""
    uses = f' {attribute}="url(#m)"'
    return SVG.format(f'<{element} id="m">{PATH.format(uses)}</{element}>' + PATH.format(uses))


@pytest.mark.parametrize(
    "drawing",
    [
        pytest.param(_inside_itself("marker", "marker-end"), id="marker"),
        pytest.param(_inside_itself("mask", "mask"), id="mask"),
        pytest.param(_inside_itself("clipPath", "clip-path"), id="clip-path"),
        pytest.param(_inside_itself("filter", "filter"), id="filter"),
        pytest.param(
            SVG.format(
                '<pattern id="m" width="5" height="5"><g id="n" fill="url(#o)"/></pattern>'
                '<pattern id="o" href="#m"/>' + PATH.format(' fill="url(#m)"')
            ),
            id="pattern-cycle",
        ),
        pytest.param(
            SVG.format(
                "<style>path { marker-mid: url(#m) }</style>"
                f'<marker id="m">{PATH.format("")}</marker>' + PATH.format("")
            ),
            id="marker-by-stylesheet",
        ),
    ],
)
def test_a_drawing_that_refers_to_itself_is_refused(
    lesson_dir: Callable[[str, str], Path], drawing: str
) -> None:
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg' draws '#m' inside itself" in err


def test_markers_of_markers_are_bounded(lesson_dir: Callable[[str, str], Path]) -> None:
    points = " ".join(f"L{i} {i % 7}" for i in range(60))
    markers = '<marker id="k0"><rect width="1" height="1"/></marker>' + "".join(
        f'<marker id="k{i}"><path d="M0 0 {points}" marker-mid="url(#k{i - 1})"/></marker>'
        for i in range(1, 6)
    )
    drawing = SVG.format(markers + f'<path d="M0 0 {points}" marker-mid="url(#k5)"/>')
    assert len(drawing) < 4000
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg' would draw more than 200,000 shapes" in err


def test_markers_on_copies_of_short_commands_are_bounded(
    lesson_dir: Callable[[str, str], Path],
) -> None:
    path = '<path id="p" d="M0 0' + " h1" * 100 + '"/>'
    markers = '<marker id="k0"><rect width="1" height="1"/></marker>' + "".join(
        f'<marker id="k{i}"><use href="#p" marker-mid="url(#k{i - 1})"/></marker>'
        for i in range(1, 4)
    )
    drawing = SVG.format(f"<defs>{path}</defs>{markers}" + '<use href="#p" marker-mid="url(#k3)"/>')
    code, err, lesson = _checked(lesson_dir, drawing)
    assert code == 1
    assert f"{lesson}:8:7: error: SVG 'pic.svg' would draw more than 200,000 shapes" in err


def test_an_honest_drawing_with_markers_masks_and_pictures_is_shown(
    lesson_dir: Callable[[str, str], Path],
) -> None:
    inner = SVG.format('<circle cx="50" cy="50" r="40"/>')
    drawing = SVG.format(
        "<style>.a { clip-path: url(#c); fill: url(#g) }</style>"
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
        '<clipPath id="c"><rect width="50" height="50"/></clipPath>'
        '<marker id="m"><path d="M0 0 L2 2"/></marker></defs>'
        '<rect class="a" width="80" height="80"/>'
        '<path d="M0 0 L5 5 L9 1" marker-mid="url(#m)"/>'
        + _image(_uri("image/svg+xml", inner.encode()))
    )
    code, err, _ = _checked(lesson_dir, drawing)
    assert (code, err) == (0, "")


def test_the_renderer_refuses_a_picture_the_checks_refuse(tmp_path: Path) -> None:
    fetcher = ProjectFetcher((tmp_path,))
    good = _uri("image/svg+xml", SVG.format("").encode())
    assert fetcher.fetch(good).read() == SVG.format("").encode()
    for url in (
        _uri("image/svg+xml", SVG.format(COPIES).encode()),
        _uri("image/png", SVG.format("").encode()),
        _uri("image/png", _png(20000, 20000)),
        _uri("text/plain", SVG.format(r"<style>@\69mport 'x.css';</style>").encode()),
    ):
        with pytest.raises(ValueError, match="not drawn"):
            fetcher.fetch(url)


def test_a_picture_weasyprint_cannot_draw_is_an_error_at_its_line(
    lesson_dir: Callable[[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the checks' limit on nesting (lifted here), WeasyPrint gives up on the picture.
    monkeypatch.setattr("handouts.lesson.svg.MOST_DEPTH", 10_000)
    lesson = lesson_dir("one.yaml", LESSON)
    (lesson.parent / "pic.svg").write_text(SVG.format("<g>" * 3000 + "</g>" * 3000), "utf-8")
    ran = run_here("build", str(lesson), "--only", "handout", "-o", str(tmp_path / "out"))
    assert ran.code == 1
    said = "error: picture 'pic.svg' could not be drawn: it would be missing"
    assert f"{lesson}:8:16: {said}" in ran.err
    assert not (tmp_path / "out" / "one-handout.pdf").exists()
