"""Watch lesson folders and templates, and say which files changed each time some are saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from watchfiles import Change, watch

WATCHED_SUFFIXES = (".yaml", ".j2", ".css", ".ttf")


def _relevant(change: Change, path: str) -> bool:
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith(".")


def changes(folders: list[Path]) -> Iterator[list[Path]]:
    """Yield the changed files after each save (grouped over a few milliseconds).

    Ends quietly on Ctrl-C while waiting.
    """
    for batch in watch(*folders, watch_filter=_relevant, step=30, raise_interrupt=False):
        yield sorted({Path(path) for _, path in batch})
