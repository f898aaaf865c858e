"""Content from anyone: shown as typed, and unable to read files or reach the network."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLES, build, copy_sample, run, run_here
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
        f"title: T\nintroduction: |\n  {markdown}\n\n  Read it now.\n"
        "sections:\n  - title: S\n    text: T.\n",
    )
    result = run_here(str(lesson), "-o", str(tmp_path / "out"))
    assert result.code == 1
    assert f"{lesson}:3:3: error: " in result.err
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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the sample course file and one good lesson."""
    copy_sample(tmp_path / "content")
    return tmp_path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "the file is a link to a file outside the project"),
        (lambda p: os.mkfifo(p), "this is a named pipe (FIFO), not a lesson file"),
        (lambda p: p.mkdir(), "this is a folder, not a lesson file"),
    ],
    ids=["link to /dev/zero", "pipe", "folder"],
)
def test_special_files_are_refused_before_a_byte_is_read(
    project: Path, make: Callable[[Path], None], message: str
) -> None:
    make(project / "content" / "strange.yaml")
    result = run("check", "content", cwd=project)  # a read would hang or never end
    assert result.returncode == 1
    assert f"content/strange.yaml:1:1: error: {message}" in result.stderr
    assert "1 error(s) in 1 file(s)" in result.stderr


def test_a_link_to_a_file_outside_the_project_is_neither_read_nor_quoted(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "secrets.env").write_text("DB_PASSWORD=hunter2\n")
    (outside / "lesson.yaml").write_text((SAMPLES / "production-systems.yaml").read_text())
    (project / "content" / "secrets.yaml").symlink_to(outside / "secrets.env")
    (project / "content" / "borrowed.yaml").symlink_to(outside / "lesson.yaml")
    (project / "content" / "same.yaml").symlink_to("production-systems.yaml")  # inside: fine
    monkeypatch.chdir(project)
    result = run_here("--only", "table")
    assert result.code == 1
    for name in ("secrets", "borrowed"):
        assert f"content/{name}.yaml:1:1: error: the file is a link to a file outside" in (
            result.err
        )
    assert "hunter2" not in result.out + result.err
    assert sorted(p.name for p in (project / "output").glob("*.pdf")) == [
        "production-systems-table.pdf",
        "same-table.pdf",
    ]


def test_a_course_file_that_is_a_folder_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "content" / "course.yaml").unlink()
    (project / "content" / "course.yaml").mkdir()
    monkeypatch.chdir(project)
    result = run_here("check")
    assert result.code == 1
    assert "content/course.yaml:1:1: error: this is a folder, not a lesson file" in result.err


def test_a_link_with_backslashes_or_a_huge_target_is_refused_briefly(
    lesson_dir: Callable[..., Path],
) -> None:
    huge = "data:text/plain;base64," + "A" * 200_000
    text = (
        "title: T\nintroduction: |\n  See [the notes](https:\\\\example.org\\notes).\n"
        f"conclusion: |\n  And [this]({huge}).\nsections:\n  - title: S\n    text: T.\n"
    )
    path = lesson_dir("links.yaml", text)
    ran = run_here("check", str(path))
    assert ran.code == 1
    assert f"{path}:3:3: error: link target 'https:\\example.org\\notes' has a backslash" in ran.err
    assert f"{path}:5:3: error: link target 'data:text/plain;base64,AAAA" in ran.err
    assert len(ran.err) < 2_000  # the 200 KB target is shown as a few dozen characters


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("pipe.png", os.mkfifo, "picture 'images/pipe.png' is a named pipe (FIFO), not a picture"),
        ("dir.svg", os.mkdir, "picture 'images/dir.svg' is a folder, not a picture file"),
        ("a\\nb.png", None, "picture 'images/a\\x0ab.png' does not exist"),
        ("x-" * 2500 + ".png", None, "picture 'images/x-x-"),
    ],
    ids=["a pipe", "a folder", "a line break", "a 5,000-character name"],
)
def test_a_picture_that_is_not_a_picture_file_is_said_as_it_is(
    project: Path, name: str, make: Callable[[Path], None] | None, message: str
) -> None:
    if make is not None:
        make(project / "content" / "images" / name)
    lesson = project / "content" / "production-systems.yaml"
    text = lesson.read_text("utf-8")
    # The section's figure, not the quiz question's picture (the same file, said once).
    figure = "file: images/input-process-output.svg"
    lesson.write_text(text.replace(figure, f'file: "images/{name}"'))
    result = run("check", "content", cwd=project)  # reading a pipe would hang
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "error: picture" in line]
    assert message in line
    assert "\x00" not in result.stderr and len(line) < 500
