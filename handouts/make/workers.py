"""Rendering the planned PDFs, here or in forked worker processes that die with the build."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..outputs import get
from ..outputs.kind import Prepared, Settings
from ..render.layout import RenderedPdf

PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies


@dataclass(frozen=True)
class Job:
    """One PDF to make: the lesson as prepared, which output, where it goes, its HTML, its
    fingerprint and its stamp."""

    prepared: Prepared
    output: str
    path: Path
    html: str
    key: str
    stamp: str  # what it is made from as files (manifest.stamp)


@dataclass(frozen=True)
class Crash:
    """A PDF that could not be rendered because of a bug of ours: what went wrong, and the
    whole traceback for the report."""

    reason: str
    traceback: str


def render_here(job: Job, settings: Settings) -> RenderedPdf | Crash:
    """Render one PDF in this process; a failure comes back as its description."""
    from ..render.pdf import renderer  # WeasyPrint loads only when something is rendered
    from ..render.tagging import repaired

    try:
        kind = get(job.output)
        pdf = kind.make(job.html, job.prepared, settings, renderer(job.prepared.theme))
        return replace(pdf, data=repaired(pdf.data, job.html))
    except Exception as error:  # a bug of ours: reported with its lesson, the others go on
        return Crash(f"{type(error).__name__}: {error}", traceback.format_exc())


Task = tuple[list[int], list[Job], Settings]  # jobs rendered one after the other, numbered


def _render_numbered(task: Task) -> list[tuple[int, RenderedPdf | Crash]]:
    numbers, jobs, settings = task
    return [(number, render_here(job, settings)) for number, job in zip(numbers, jobs, strict=True)]


def _tasks(jobs: list[Job], settings: Settings) -> list[Task]:
    """The jobs as worker tasks: the outputs of a lesson that show its deck in one task, so
    the deck is fitted to its slides once; every other job alone. The longest go first."""
    groups: dict[object, Task] = {}
    for number, job in enumerate(jobs):
        key = job.prepared.lesson.source if get(job.output).shows_deck else number
        numbers, grouped, _ = groups.setdefault(key, ([], [], settings))
        numbers.append(number)
        grouped.append(job)
    return sorted(groups.values(), key=lambda task: -len(task[1]))


def _start_worker() -> None:
    """In a worker: leave Ctrl-C to the main process, and die with it if it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the main process died before the line above
            os._exit(1)


def render_all(
    jobs: list[Job], workers: int, settings: Settings
) -> Iterator[tuple[Job, RenderedPdf | Crash]]:
    """Render jobs here, or in forked worker processes that share the imported WeasyPrint."""
    if workers <= 1:
        for job in jobs:
            yield job, render_here(job, settings)
        return
    import multiprocessing

    from ..render import pdf  # noqa: F401  (imported once here; forked workers share it)

    context = multiprocessing.get_context("fork")
    # Leaving the block terminates the workers at once, also on Ctrl-C or an error.
    with context.Pool(workers, initializer=_start_worker) as pool:
        try:
            for results in pool.imap_unordered(_render_numbered, _tasks(jobs, settings)):
                for number, result in results:
                    yield jobs[number], result
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: let clean-up end
            raise


def worker_count(jobs: int | None, pdfs: int) -> int:
    """Workers to use: as asked, else one per CPU when there is more than one PDF to make."""
    if jobs is not None:
        return max(1, min(jobs, pdfs))
    return min(os.cpu_count() or 1, pdfs) if pdfs > 1 else 1
