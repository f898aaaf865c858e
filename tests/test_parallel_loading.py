"""A course of hundreds of lessons is loaded by several processes: the same lessons, in the
same order, and the same errors, each said once, as one process finds."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLES

from bench.make_course import make_course
from handouts.lesson.files import Bounds
from handouts.lesson.loader import PARALLEL_FROM, load_lessons
from handouts.lesson.model import Loaded


def _said(loaded: Loaded) -> list[str]:
    return [f"{error.where}: {error.message}" for error in loaded.errors]


def test_a_large_course_loads_the_same_in_two_processes_as_in_one(tmp_path: Path) -> None:
    first = make_course(PARALLEL_FROM, tmp_path / "a")
    # a second folder, whose course.yaml is broken
    second = [
        path.rename(path.with_name(f"b-{path.name}")) for path in make_course(4, tmp_path / "b")
    ]
    (tmp_path / "b" / "course.yaml").write_text("course: Two\ncolors: {accent: blurple}\n", "utf-8")
    shutil.copy(SAMPLES / "production-systems.yaml", tmp_path / "b" / first[5].name)  # a clash
    for broken in (first[3], first[-3]):  # one mistake in each process's share
        broken.write_text(broken.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    # folder b's lessons in both processes' shares: both read its course.yaml
    paths = [*first[:100], *second[:2], *first[100:], *second[2:], tmp_path / "b" / first[5].name]
    bounds = Bounds(tmp_path)

    alone = load_lessons(paths, bounds, workers=1)
    shared = load_lessons(paths, bounds, workers=2)

    assert [lesson.source for lesson in shared.lessons] == [one.source for one in alone.lessons]
    assert shared.lessons == alone.lessons
    assert _said(shared) == _said(alone)
    assert len(alone.lessons) == PARALLEL_FROM - 2  # the broken two left out
    said = _said(alone)
    assert len([line for line in said if "b/course.yaml" in line]) == 1  # once, not twice
    assert any("same file name" in line for line in said)
    assert (shared.checked, shared.courses, shared.crashes) == (
        alone.checked,
        alone.courses,
        alone.crashes,
    )
