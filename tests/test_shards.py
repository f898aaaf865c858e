"""Shards for a CI matrix: `build --shard i/n` builds one share of the work, `merge` makes
the shards' folders into the one a single build would have left."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import SAMPLES, copy_samples, run_here

from handouts.make.index import INDEX_PAGE
from handouts.make.manifest import Manifest
from handouts.make.shards import Shard, assign, share
from handouts.project import BuildOptions, Project

ONLY = ("--only", "handout,table,pack", "--jobs", "1", "-q")
COPIES = ("unit-a.yaml", "unit-b.yaml")  # more lessons, of no course: a short pack


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples (a course of two lessons) and two copies of them in a folder of no
    course, built once on one machine (`one`) and as 2 and 3 shards (`2-1`, `2-2`, `3-1`,
    ...)."""
    root = tmp_path_factory.mktemp("shards")
    more = copy_samples(root / "content") / "more"
    shutil.copytree(SAMPLES / "images", more / "images")
    samples = sorted(SAMPLES.glob("production-*.yaml"))
    for sample, name in zip(samples, COPIES, strict=True):
        own = "course: Other lessons\nauthor: Another team\n"  # no course.yaml gives them
        (more / name).write_text(sample.read_text("utf-8") + own, "utf-8")
    assert run_here("-C", str(root), "build", *ONLY, "-o", "one").code == 0
    for count in (2, 3):
        for number in range(1, count + 1):
            shard = ("--shard", f"{number}/{count}", "-o", f"{count}-{number}")
            assert run_here("-C", str(root), "build", *ONLY, *shard).code == 0
    return root


def _files(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` and below, by its path inside it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _pdfs(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.pdf")}


@pytest.mark.parametrize("count", [2, 3])
def test_every_pdf_is_built_by_exactly_one_shard(project: Path, count: int) -> None:
    shards = [_pdfs(project / f"{count}-{number}") for number in range(1, count + 1)]
    assert all(shards)  # each has a share
    assert sum(map(len, shards)) == len(set().union(*shards))  # pairwise disjoint
    assert set().union(*shards) == _pdfs(project / "one")
    assert "business-management-pack.pdf" in _pdfs(project / "one")
    for number in range(1, count + 1):
        assert not (project / f"{count}-{number}" / INDEX_PAGE).exists()
    # A lesson's outputs stay together.
    for lesson in ("unit-a", "unit-b", "production-systems", "production-vs-operations"):
        holders = [s for s in shards if f"{lesson}-handout.pdf" in s]
        assert len(holders) == 1 and f"{lesson}-table.pdf" in holders[0]


@pytest.mark.parametrize("count", [2, 3])
def test_the_merged_folder_is_byte_identical_to_one_build(project: Path, count: int) -> None:
    shards = [f"{count}-{number}" for number in range(count, 0, -1)]  # any order
    merged = run_here("-C", str(project), "merge", *shards, "-o", f"merged-{count}")
    assert merged.code == 0, merged.err
    one, files = _files(project / "one"), _files(project / f"merged-{count}")
    assert INDEX_PAGE in one and any(name.startswith("thumbs/") for name in one)
    assert sorted(files) == sorted(one)
    assert [name for name in one if files[name] != one[name]] == []


def test_the_split_is_the_same_computed_twice_and_in_any_order(project: Path) -> None:
    options = BuildOptions(outputs=("handout", "table", "pack"))
    lessons = sorted((project / "content").rglob("*.yaml"))
    lessons.remove(project / "content" / "course.yaml")
    assert len(lessons) == 4
    for folder in ("empty", "one"):  # by estimates, then by the pages recorded
        built = Project.at(project, (), Path(folder), options)
        manifest = Manifest(built.output_dir)
        splits = [
            share(Shard(2, 3), built, manifest, order)
            for order in (lessons, lessons[::-1], lessons[1:] + lessons[:1])
        ]
        assert all(split == splits[0] for split in splits)
    costs = {f"lesson-{n}": Fraction(n % 4 + 1) for n in range(10)}
    reordered = dict(reversed(costs.items()))
    assert assign(costs, 3) == assign(reordered, 3)
    assert sorted(set(assign(costs, 3).values())) == [1, 2, 3]


def test_merge_refuses_a_missing_shard_or_a_folder_of_no_shard(project: Path) -> None:
    (project / "not-a-shard").mkdir()
    for shards, said in (
        (("3-1", "3-3"), "shard 2/3 missing"),
        (("2-1", "3-2"), "is shard 1/2 but"),
        (("2-1", "2-2", "not-a-shard"), "not-a-shard has no .handouts-manifest.json"),
    ):
        merged = run_here("-C", str(project), "merge", *shards, "-o", "refused")
        assert merged.code == 1
        assert said in merged.err and "nothing was written" in merged.err
        assert "Traceback" not in merged.err
        assert not (project / "refused").exists()


def test_merge_refuses_shards_that_built_a_file_differently(project: Path) -> None:
    lesson = project / "content" / "more" / "unit-b.yaml"
    text = lesson.read_text("utf-8")
    owner = next(n for n in (1, 2) if "unit-b-handout.pdf" in _pdfs(project / f"2-{n}"))
    shouted = "\n".join(
        line.upper().replace("TITLE:", "title:") if line.startswith("title:") else line
        for line in text.split("\n")
    )
    assert shouted != text and len(shouted) == len(text)  # the same size: the same split
    try:
        lesson.write_text(shouted, "utf-8")
        again = ("--shard", f"{owner}/2", "-o", "again")
        assert run_here("-C", str(project), "build", *ONLY, *again).code == 0
    finally:
        lesson.write_text(text, "utf-8")
    merged = run_here("-C", str(project), "merge", "2-1", "2-2", "again", "-o", "refused")
    assert merged.code == 1
    assert "unit-b-handout.pdf differ" in merged.err and "nothing was written" in merged.err
    assert not (project / "refused").exists()


@pytest.mark.parametrize("shard", ["3/2", "x", "0/2", "1/"])
def test_a_shard_that_is_no_share_is_a_usage_error(tmp_path: Path, shard: str) -> None:
    ran = run_here("-C", str(copy_samples(tmp_path)), "build", ".", "--shard", shard)
    assert ran.code == 2
    assert f"--shard: expected i/n with 1 <= i <= n (e.g. 2/4), not {shard!r}" in ran.err
