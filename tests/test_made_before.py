"""PDFs made before are taken from the user's cache folder, byte for byte, instead of being
rendered again: in another project, after the output folder is emptied, after a theme is
switched and back. What changed, a PDF a layout check refused, `--force` and a kept file
not as we wrote it are rendered anew."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, copy_sample, run_here

from handouts.make import made_before
from handouts.render.kept import CACHE_ENV

TAKEN = made_before.TAKEN
ONLY = ("--only", "table,worksheet")  # the quickest two to make


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own, for the builds it starts."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _build(lesson: Path, *args: str) -> list[str]:
    """Build `lesson` into its project's output/; the lines naming a file written."""
    result = run_here(str(lesson), "-o", str(lesson.parent.parent / "output"), *ONLY, *args)
    assert result.code == 0, result.err
    return [line for line in result.out.splitlines() if ".pdf" in line]


def _pdfs(project: Path) -> dict[str, bytes]:
    return {pdf.name: pdf.read_bytes() for pdf in sorted((project / "output").glob("*.pdf"))}


def test_a_copy_of_the_project_elsewhere_takes_every_pdf_as_made(
    tmp_path: Path, cache: Path
) -> None:
    first = copy_sample(tmp_path / "one" / "content")
    made = _build(first)
    assert len(made) == 2 and not any(TAKEN in line for line in made), made
    second = copy_sample(tmp_path / "two" / "content")
    taken = _build(second)
    assert len(taken) == 2 and all(TAKEN in line for line in taken), taken
    assert _pdfs(tmp_path / "two") == _pdfs(tmp_path / "one")

    forced = _build(second, "--force")
    assert len(forced) == 2 and not any(TAKEN in line for line in forced), forced
    assert _pdfs(tmp_path / "two") == _pdfs(tmp_path / "one")


def test_an_edit_is_rendered_and_undoing_it_takes_the_pdf_made_before(
    tmp_path: Path, cache: Path
) -> None:
    lesson = copy_sample(tmp_path / "content")
    _build(lesson)
    before = _pdfs(tmp_path)
    text = lesson.read_text("utf-8")
    lesson.write_text(text.replace("Job, Batch and Mass", "Job, Lot and Mass", 1), "utf-8")
    edited = _build(lesson)
    assert edited and not any(TAKEN in line for line in edited), edited
    assert _pdfs(tmp_path) != before
    lesson.write_text(text, "utf-8")
    undone = _build(lesson)
    assert undone and all(TAKEN in line for line in undone), undone
    assert _pdfs(tmp_path) == before


def test_a_kept_file_not_as_we_wrote_it_is_rendered_anew(tmp_path: Path, cache: Path) -> None:
    lesson = copy_sample(tmp_path / "content")
    _build(lesson)
    before = _pdfs(tmp_path)
    kept = sorted((cache / made_before.FOLDER).iterdir())
    assert len(kept) == 2
    for path in kept:  # a planted PDF: right name, wrong content
        kept_bytes = path.read_bytes()
        path.write_bytes(kept_bytes[:-9] + b"forged!\n\n")
        assert path.read_bytes() != kept_bytes
    shutil.rmtree(tmp_path / "output")
    again = _build(lesson)
    assert len(again) == 2 and not any(TAKEN in line for line in again), again
    assert _pdfs(tmp_path) == before


def test_a_pdf_its_layout_check_refused_is_never_kept(tmp_path: Path, cache: Path) -> None:
    lines = "".join(
        f"      - a long line about tea region number {n} and its climate\n" for n in range(16)
    )
    lesson = tmp_path / "content" / "long.yaml"
    lesson.parent.mkdir()
    shutil.copy(SAMPLES / "course.yaml", lesson.parent)
    lesson.write_text(
        "title: Tea\nsubjects:\n  tea: Tea\nintroduction: Tea is a drink.\nsections:\n"
        f"  - title: Origins\n    tea: |\n      Tea is grown in many countries:\n\n{lines}",
        "utf-8",
    )
    for _ in range(2):
        result = run_here(str(lesson), "-o", str(tmp_path / "output"), "--only", "slides")
        assert result.code == 1
        assert "overflows its slide" in result.err
        assert not (tmp_path / "output" / "long-slides.pdf").exists()
    assert not any((cache / made_before.FOLDER).iterdir())


def test_room_is_made_by_removing_the_least_recently_used(cache: Path) -> None:
    folder = cache / made_before.FOLDER
    folder.mkdir(parents=True, mode=0o700)
    now = time.time()
    for age in range(10):  # 1 kB each, "0" the newest
        path = folder / str(age)
        path.write_bytes(b"x" * 1000)
        os.utime(path, (now - age * 60, now - age * 60))
    made_before.make_room(limit=10_000)
    assert len(list(folder.iterdir())) == 10  # not over the limit: nothing removed
    made_before.make_room(limit=5_000)
    assert sorted(p.name for p in folder.iterdir()) == ["0", "1", "2", "3"]  # to 80 %
