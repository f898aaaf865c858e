"""`merge`: the output folders of a build's shards made into one, as one machine's build
would have left it (its files, manifest, thumbnails and index page).

From each shard's folder only the files of its own share are taken (a folder restored
from an earlier build may hold others' files, as they were then). Everything is checked
before anything is written: a folder that is no shard's build, shards of different splits,
a shard missing, or a file two folders hold with different bytes refuse the merge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .. import atomic_write
from ..project import Project
from . import index
from .events import Event
from .manifest import MANIFEST_NAME, Manifest, Record
from .shards import Built, built


class MergeRefused(Exception):
    """The shards cannot be merged; the message says why."""


@dataclass(frozen=True)
class Taken:
    """One file for the merged folder: the shard folder it comes from, its name, its
    record as the merged manifest keeps it, and its thumbnail's bytes when the shard drew
    it (else the record names none, and the index page draws it)."""

    folder: Path
    name: str
    record: Record
    thumbnail: bytes | None


def _shard(folder: Path) -> tuple[Built, Manifest]:
    """A shard's output folder: which share it holds, and its manifest."""
    if not (folder / MANIFEST_NAME).is_file():
        raise MergeRefused(f"{folder} has no {MANIFEST_NAME}: it is no shard's output folder")
    try:
        return built(folder), Manifest(folder)
    except ValueError as error:
        raise MergeRefused(str(error)) from None


def _complete(shards: dict[Path, Built]) -> None:
    """Refuse shards of different splits, or a split with a shard missing."""
    first, share = next(iter(shards.items()))
    for folder, other in shards.items():
        if other.shard.count != share.shard.count:
            raise MergeRefused(
                f"{first} is shard {share.shard} but {folder} is shard {other.shard}: "
                "merge the shards of one build"
            )
        if other.split != share.split:
            raise MergeRefused(
                f"{first} and {folder} split the work differently: build every shard from the "
                "same lessons, manifest and options"
            )
    count = share.shard.count
    missing = sorted(set(range(1, count + 1)) - {b.shard.number for b in shards.values()})
    if missing:
        named = ", ".join(f"{number}/{count}" for number in missing)
        raise MergeRefused(f"shard {named} missing: give the output folder of every shard")


def _thumbnail(folder: Path, name: str, record: Record) -> bytes | None:
    """The thumbnail a shard drew of its PDF `name`, when it is of the PDF as it is."""
    picture = folder / index.THUMBNAILS / f"{Path(name).stem}.png"
    if record.thumbnail != record.digest or not picture.is_file() or picture.is_symlink():
        return None
    return picture.read_bytes()


def _taken(folders: list[Path], output: Manifest) -> dict[str, Taken]:
    """The files of every shard's own share, each checked against its shard's manifest,
    their records naming files as from the output folder."""
    shards = {folder: _shard(folder) for folder in folders}
    _complete({folder: share for folder, (share, _) in shards.items()})
    taken: dict[str, Taken] = {}
    for folder, (share, manifest) in shards.items():
        for name, record in sorted(manifest.records.items()):
            if record.source not in share.sources:
                continue
            if not manifest.is_current(folder / name):
                raise MergeRefused(f"{folder / name} is not as its shard's manifest recorded it")
            earlier = taken.get(name)
            if earlier and earlier.record.digest != record.digest:
                raise MergeRefused(
                    f"{earlier.folder / name} and {folder / name} differ: two shards built "
                    "the same file differently"
                )
            picture = _thumbnail(folder, name, record)
            drawn = (record.thumbnail, record.first_page) if picture else ("", "")
            rebased = replace(
                record,
                source=output.relative(manifest.resolve(record.source)),
                theme=tuple(output.relative(manifest.resolve(name)) for name in record.theme),
                thumbnail=drawn[0],
                first_page=drawn[1],
            )
            taken[name] = Taken(folder, name, rebased, picture)
    return taken


def merge(folders: list[Path], project: Project) -> Iterator[Event]:
    """Make the project's output folder what the shards' folders `folders` built, as one
    build would have (files recorded there before that the shards do not give are removed,
    as they were written); yields the index page's event. Raises MergeRefused, having
    written nothing, when the shards cannot be merged."""
    folder = project.output_dir
    if folder.exists() and not folder.is_dir():
        raise MergeRefused(f"{folder} is a file, not a folder")
    if any(shard.resolve() == folder.resolve() for shard in folders):
        raise MergeRefused(f"{folder} is one of the shards: merge into another folder")
    manifest = Manifest(folder)
    taken = _taken(folders, manifest)
    for name in sorted(set(manifest.records) - set(taken)):
        if manifest.is_current(folder / name):
            (folder / name).unlink()
        manifest.forget(folder / name)
    try:
        for name, file in taken.items():
            data = (file.folder / name).read_bytes()
            if hashlib.sha256(data).hexdigest() != file.record.digest:
                raise MergeRefused(f"{file.folder / name} changed while it was merged")
            atomic_write.write(folder / name, data)
            manifest.record(folder / name, data, file.record)
            if file.thumbnail is not None:  # else the index page draws it
                picture = folder / index.THUMBNAILS / f"{Path(name).stem}.png"
                atomic_write.write(picture, file.thumbnail)
        yield from index.refresh(project, manifest)
    finally:
        manifest.save()
