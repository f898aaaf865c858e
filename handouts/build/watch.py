"""Watch lesson folders and templates, and say which files changed each time some are saved."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from watchfiles import Change, watch

from ..lesson.files import LESSON_SUFFIXES
from ..render import html, pdf, theme

WATCHED_SUFFIXES = (*LESSON_SUFFIXES, ".j2", ".css", ".ttf", ".otf", ".woff", ".woff2")
READY_AFTER_MS = 100
logging.getLogger("watchfiles").setLevel(logging.ERROR)  # it would log each Ctrl-C


def _relevant(change: Change, path: str) -> bool:
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith(".")


def forget_theme() -> None:
    """Forget everything read from theme folders: a file there may have changed."""
    theme.forget_theme_files()
    html.forget_templates()
    pdf.forget_renderers()


def changes(folders: list[Path]) -> Iterator[list[Path]]:
    """Yield [] once the watcher runs, then the changed files after each save.

    Saves are grouped over a few milliseconds. Ends quietly on Ctrl-C while waiting.
    """
    ready = False
    batches = watch(
        *folders,
        watch_filter=_relevant,
        step=30,
        rust_timeout=READY_AFTER_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    )
    for batch in batches:
        if batch or not ready:
            ready = True
            yield sorted({Path(path) for _, path in batch})
