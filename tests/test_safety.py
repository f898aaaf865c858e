"""Content from anyone: shown as typed, and unable to read files or reach the network."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import build, run, run_here
from pdf_reader import Pdf, normalize

from handouts.render.fetcher import ProjectFetcher

# Every way lesson text might smuggle markup in, aimed at a planted secret file.
HOSTILE = """\
title: "<b>Bold</b> & <script>alert(1)</script> {{ lesson.title }}"
introduction: |
  A <img src="SECRET"> tag, <link rel="attachment" href="SECRET"> and
  <style>@import url("SECRET"); body { display: none }</style>.
sections:
  - title: "</title><link rel=attachment href='SECRET'>"
    text: |
      <object data="SECRET"></object> <iframe src="SECRET"></iframe>
"""
REACHING = {
    "link": "[the secret](SECRET)",
    "relative link": "[the secret](../secret.txt)",
    "image": "![the secret](SECRET)",
    "image by path": "![the secret](../secret.txt)",
}


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, bytes]:
    """A file outside the lesson's folder holding a value found nowhere else."""
    token = secrets.token_hex(16).encode()
    path = tmp_path / "secret.txt"
    path.write_bytes(token)
    return path, token


def _every_stream(pdf_path: Path) -> bytes:
    with pikepdf.open(pdf_path) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {}), "a file is attached"
        return b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))


def test_html_in_lessons_is_shown_as_typed_and_fetches_nothing(
    lesson_dir, tmp_path: Path, secret: tuple[Path, bytes]
) -> None:
    path, token = secret
    lesson = lesson_dir("hostile.yaml", HOSTILE.replace("SECRET", path.as_uri()))
    build(tmp_path / "out", str(lesson))
    for pdf_path in (tmp_path / "out").glob("*.pdf"):
        text = Pdf(pdf_path).text()
        assert token.decode() not in text
        assert token not in _every_stream(pdf_path) + pdf_path.read_bytes()
    handout = Pdf(tmp_path / "out" / "hostile-handout.pdf").text()
    for literal in (
        "<b>Bold</b> & <script>alert(1)</script> {{ lesson.title }}",
        '<link rel="attachment" href=',
        "<style>@import url(",
        "<iframe src=",
    ):
        assert normalize(literal) in handout


@pytest.mark.parametrize("how", sorted(REACHING))
def test_links_and_images_to_files_are_refused_with_their_place(
    lesson_dir, tmp_path: Path, secret: tuple[Path, bytes], how: str
) -> None:
    path, _ = secret
    markdown = REACHING[how].replace("SECRET", path.as_uri())
    lesson = lesson_dir(
        "reach.yaml",
        f"title: T\nintroduction: |\n  Read {markdown} now.\n"
        "sections:\n  - title: S\n    text: T.\n",
    )
    result = run(str(lesson), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{lesson}:3:3: error: " in result.stderr
    assert not (tmp_path / "out").exists()


def test_fetcher_serves_only_files_under_its_roots(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "style.css").write_text("p {}")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "link-out").symlink_to(outside)
    fetcher = ProjectFetcher((root,))
    assert fetcher.fetch((root / "style.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        outside.as_uri(),
        root.as_uri() + "/../secret.txt",
        (root / "link-out").as_uri(),
        "file:///etc/hostname",
        "https://example.org/style.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)


LESSON_IN = (
    "title: {title}\nlanguage: {language}\nintroduction: {text}\n"
    "sections:\n  - title: S\n    text: T.\n"
)


@pytest.mark.parametrize(
    ("language", "character", "refused"),
    [
        ("en", "\u202e", True),  # RIGHT-TO-LEFT OVERRIDE: the "Trojan Source" trick
        ("en", "\u2067", True),  # RIGHT-TO-LEFT ISOLATE: an English lesson needs none
        ("en", "\u200b", True),  # ZERO WIDTH SPACE
        ("ar", "\u202e", True),  # overrides are refused in any language
        ("ar", "\u2067", False),  # isolates are how right-to-left text embeds other text
        ("he", "\u200f", False),  # RIGHT-TO-LEFT MARK
        ("fa", "\u200c", False),  # ZERO WIDTH NON-JOINER: Persian spelling needs it
    ],
)
def test_invisible_direction_characters_are_refused_unless_the_language_needs_them(
    lesson_dir: Callable[..., Path], language: str, character: str, refused: bool
) -> None:
    text = f"Price {character}100 each."
    path = lesson_dir("prices.yaml", LESSON_IN.format(title="T", language=language, text=text))
    ran = run_here("check", str(path))
    if refused:
        assert ran.code == 1
        assert (
            f"{path}:3:21: error: the text holds an invisible character U+{ord(character):04X}"
            in ran.err
        )
    else:
        assert (ran.code, ran.err) == (0, "")
