"""Shards: one build's work split over n machines (a CI matrix), each computing the same
split on its own.

The work is split by lesson file (all the outputs of a lesson on one machine: its deck is
fitted once) and by course file (its course pack). Each has an expected cost: the pages its
files had when the folder's manifest recorded them, else an estimate from its files' size
(known before any lesson is read, so a shard reads only its own lessons). The costs are
exact fractions and ties are broken by name, so every shard computes the same split from
the same lessons, manifest and options: a greedy longest-processing-time assignment, the
costliest first, each to the shard with the least work so far.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .. import atomic_write, outputs
from ..lesson.files import find_lessons
from ..outputs.kind import CourseKind
from ..project import Project
from .courses import course_files
from .manifest import Manifest, bounded_text

SHARD_NAME = ".handouts-shard.json"  # in a shard's output folder: which share it built
UNKNOWN_BYTES_PER_PAGE = 1000  # the estimate's scale when no lesson was ever built


@dataclass(frozen=True)
class Shard:
    """Shard `number` of `count` (1 ≤ number ≤ count)."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`i/n` as a shard; raises ValueError saying what is expected."""
        number, _, count = text.partition("/")
        digits = all(
            part.isascii() and part.isdigit() and len(part) <= 6 for part in (number, count)
        )
        if not digits or not 1 <= int(number) <= int(count):
            raise ValueError(f"expected i/n with 1 <= i <= n (e.g. 2/4), not {text!r}")
        return cls(int(number), int(count))

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


@dataclass(frozen=True)
class Share:
    """What one shard builds: its lesson and course files (resolved), among all of them,
    and the digest of the whole split (shards of one build have the same)."""

    shard: Shard
    owned: frozenset[Path]
    assigned: frozenset[Path]  # every shard's
    digest: str

    def owns(self, source: Path) -> bool:
        """Whether the lesson or course file `source` is this shard's to build."""
        return source.resolve() in self.owned

    def elsewhere(self, source: Path) -> bool:
        """Whether `source` is another shard's to build (its files are not touched here)."""
        resolved = source.resolve()
        return resolved in self.assigned and resolved not in self.owned


def assign(costs: dict[str, Fraction], count: int) -> dict[str, int]:
    """Each named job's shard, 1 to `count`: the costliest first (by name when equal), each
    to the shard with the least cost so far (the lowest numbered when equal)."""
    loads = [Fraction(0)] * count
    shards = {}
    for name in sorted(costs, key=lambda name: (-costs[name], name)):
        lightest = min(range(count), key=lambda shard: (loads[shard], shard))
        loads[lightest] += costs[name]
        shards[name] = lightest + 1
    return shards


def balance(costs: dict[str, Fraction], count: int) -> float:
    """The costliest shard's expected cost over the mean (1.0: perfectly even)."""
    loads = [Fraction(0)] * count
    for name, shard in assign(costs, count).items():
        loads[shard - 1] += costs[name]
    mean = sum(loads, Fraction(0)) / count
    return float(max(loads) / mean) if mean else 1.0


def costs(project: Project, manifest: Manifest, lessons: Iterable[Path]) -> dict[Path, Fraction]:
    """The expected cost of each lesson file and course file of the build, in pages: as the
    manifest recorded them, else its lesson files' bytes times the kinds asked for, scaled
    by the pages per byte of those recorded."""
    asked = [outputs.get(name) for name in project.options.outputs]
    course_kinds = sum(isinstance(kind, CourseKind) for kind in asked)
    estimates = {path: _size(path) * (len(asked) - course_kinds) for path in lessons}
    if course_kinds:
        for course in course_files(project):
            of_course = find_lessons([course.parent])
            estimates[course] = course_kinds * sum(map(_size, of_course))
    recorded = {}
    for path in estimates:
        records = manifest.of_lesson(path.resolve()).values()
        if records:
            recorded[path] = sum(record.pages + 1 for record in records)  # an export has none
    known = sum(estimates[path] for path in recorded)
    scale = (
        Fraction(sum(recorded.values()), known) if known else Fraction(1, UNKNOWN_BYTES_PER_PAGE)
    )
    return {path: Fraction(recorded.get(path, estimates[path] * scale)) for path in estimates}


def _size(path: Path) -> int:
    """A file's size in bytes (0 when it cannot be read: the loader reports it)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def share(shard: Shard, project: Project, manifest: Manifest, lessons: list[Path]) -> Share:
    """Shard `shard`'s share of the lessons `lessons` and of the project's courses."""
    expected = costs(project, manifest, lessons)
    named = {_name(path, project.root): path for path in expected}
    shards = assign({name: expected[path] for name, path in named.items()}, shard.count)
    options = project.options
    split = [shard.count, list(options.outputs), repr(options.settings), sorted(shards.items())]
    digest = hashlib.sha256(json.dumps(split).encode()).hexdigest()
    owned = [named[name] for name, number in shards.items() if number == shard.number]
    every = frozenset(path.resolve() for path in named.values())
    return Share(shard, frozenset(path.resolve() for path in owned), every, digest)


def _name(path: Path, root: Path) -> str:
    """How the split names a file: relative to the project folder, whichever folder the
    build runs in."""
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def save(share: Share, manifest: Manifest) -> None:
    """Write which share the output folder holds, beside its manifest (for `merge`)."""
    sources = sorted(manifest.relative(path) for path in share.owned)
    fields = {"shard": share.shard.number, "of": share.shard.count, "split": share.digest}
    text = json.dumps(fields | {"sources": sources}, indent=1) + "\n"
    atomic_write.write(manifest.folder / SHARD_NAME, text.encode())


@dataclass(frozen=True)
class Built:
    """A shard's output folder as its build left it: which shard, the digest of the split,
    and the lesson and course files it built, as its manifest names them."""

    shard: Shard
    split: str
    sources: frozenset[str]


def built(folder: Path) -> Built:
    """The share an output folder holds; raises ValueError saying why when it is none."""
    try:
        fields = json.loads(bounded_text(folder / SHARD_NAME))
        shard = Shard.parse(f"{fields['shard']}/{fields['of']}")
        split, sources = fields["split"], fields["sources"]
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ValueError(
            f"{folder} holds no shard's build ({SHARD_NAME} is missing or unreadable): "
            "build it with --shard i/n"
        ) from error
    names = isinstance(sources, list) and all(isinstance(name, str) for name in sources)
    if not isinstance(split, str) or not names:
        raise ValueError(f"{folder / SHARD_NAME} is not one a shard's build wrote")
    return Built(shard, split, frozenset(sources))
