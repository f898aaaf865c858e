"""Watch lesson folders and theme folders, and say which files changed each time some are saved."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from watchfiles import Change, watch

from ..lesson.files import LESSON_SUFFIXES
from .manifest import Manifest
from .pipeline import BuildOptions

READY_AFTER_MS = 100
logging.getLogger("watchfiles").setLevel(logging.ERROR)  # it would log each Ctrl-C


def _relevant(themes: set[Path]) -> Callable[[Change, str], bool]:
    """Which changes matter: lessons and course files anywhere, any file of a theme folder;
    hidden files (editors' swap files) never."""

    def relevant(change: Change, path: str) -> bool:
        file = Path(path)
        if file.name.startswith("."):
            return False
        return file.suffix in LESSON_SUFFIXES or any(file.is_relative_to(t) for t in themes)

    return relevant


def themes_in_use(options: BuildOptions) -> set[Path]:
    """The theme folders the PDFs in the output folder were last made with."""
    manifest = Manifest(options.output_dir)
    records = manifest.records.values()
    folders = {manifest.resolve(folder) for record in records for folder in record.theme}
    return {folder for folder in folders if folder.is_dir()}


def changes(folders: list[Path], themes: set[Path]) -> Iterator[list[Path]]:
    """Yield [] once the watcher runs, then the changed files after each save.

    Saves are grouped over a few milliseconds. Ends quietly on Ctrl-C while waiting.
    """
    ready = False
    batches = watch(
        *folders,
        watch_filter=_relevant({folder.resolve() for folder in themes}),
        step=30,
        rust_timeout=READY_AFTER_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    )
    for batch in batches:
        if batch or not ready:
            ready = True
            yield sorted({Path(path) for _, path in batch})
