"""Watch lesson folders and theme folders, and say which files changed each time some are saved."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, watch

from ..builtin import is_builtin
from ..lesson.figures import KINDS as PICTURE_SUFFIXES
from ..lesson.files import LESSON_SUFFIXES
from .manifest import Manifest

SETTLE_MS = 200  # a save is taken as done when no change came for this long
TICK_MS = 100  # how often the watch says that nothing happened (the first time: it runs)
POLL_S = 0.2  # how often a missing folder is looked for
logging.getLogger("watchfiles").setLevel(logging.ERROR)  # it would log each Ctrl-C


def _relevant(themes: set[Path]) -> Callable[[Change, str], bool]:
    """Which changes matter: lessons, course files and pictures anywhere, any file of a theme
    folder; hidden files (editors' swap files) never."""

    def relevant(change: Change, path: str) -> bool:
        file = Path(path)
        if file.name.startswith("."):
            return False
        if file.suffix in LESSON_SUFFIXES or file.suffix.lower() in PICTURE_SUFFIXES:
            return True
        return any(file.is_relative_to(t) for t in themes)

    return relevant


def themes_in_use(output_dir: Path, root: Path) -> set[Path]:
    """The theme folders the PDFs in the output folder were last made with, those inside
    the project folder `root` (an edited manifest names no folder to watch; a built-in
    theme is watched with the default theme's folder, which holds it)."""
    manifest = Manifest(output_dir)
    records = manifest.records.values()
    folders = {f for record in records for f in manifest.theme_folders(record, root) or ()}
    return {folder for folder in folders if not is_builtin(folder)}


@dataclass(frozen=True)
class Watching:
    """The watcher runs (again, after a folder came back)."""

    again: bool


@dataclass(frozen=True)
class Changed:
    """Files changed, and have been quiet for SETTLE_MS since."""

    paths: list[Path]


@dataclass(frozen=True)
class Missing:
    """Watched folders are gone (a checkout or a sync may be under way); waiting for them."""

    folders: list[Path]


@dataclass(frozen=True)
class Quiet:
    """Nothing changed for a while: what waits for calm may be done now."""


WatchEvent = Watching | Changed | Missing | Quiet


def events(folders: list[Path], themes: set[Path]) -> Iterator[WatchEvent]:
    """What happens in the watched folders, until Ctrl-C.

    Changes are grouped until none came for SETTLE_MS, so a save written in quick pieces
    is built once, whole. A watched folder that disappears is waited for, and watched anew
    when it is back (the operating system's watch ends with the folder); one that another
    folder replaced by a rename is watched anew at once.
    """
    relevant = _relevant({folder.resolve() for folder in themes})
    again = False
    swapped: list[Path] = []
    while True:
        if missing := [folder for folder in folders if not folder.is_dir()]:
            yield Missing(missing)
            while any(not folder.is_dir() for folder in folders):
                time.sleep(POLL_S)
            yield Changed(missing)
        elif swapped:
            yield Changed(swapped)
        known = [_identity(folder) for folder in folders]
        running = False  # until the watcher's first time-out: it watches from then on
        batches = watch(
            *folders,
            watch_filter=relevant,
            step=SETTLE_MS,
            rust_timeout=TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for batch in batches:
            if not running:
                running = True
                yield Watching(again)
                again = True
            # The operating system watches a folder, not its name: one gone, or another
            # renamed into its place (as sync and deploy tools do), is watched anew.
            swapped = [f for f, seen in zip(folders, known, strict=True) if _identity(f) != seen]
            if swapped:
                break
            if not batch:
                yield Quiet()
                continue
            yield Changed(sorted({Path(path) for _, path in batch}))
        else:
            return  # Ctrl-C: watchfiles stopped


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at a path now (None: none is)."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino
