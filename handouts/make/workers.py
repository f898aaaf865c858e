"""Rendering the planned PDFs: here, in worker processes that die with the build, or on a
Dask cluster (cluster.py).

Local workers and a cluster are both a `concurrent.futures.Executor` the build sends tasks
to, the longest first, and takes each task's PDFs from as it is done. Local workers start
as the platform starts processes (fork on Linux; spawn on macOS and Windows), or as a build
asks. Each holds the `BuildCache` of the build it serves: made when it starts, gone with it.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from pathlib import Path

from ..errors import ContentError, Crash
from ..lesson.model import Course
from ..outputs import OutputKind, get, kinds, register
from ..outputs.kind import Prepared, Settings
from ..render.cache import BuildCache
from ..render.layout import RenderedPdf
from ..worker_process import serve_the_main_process


@dataclass(frozen=True)
class Job:
    """One PDF to make: the lesson as prepared, which output, where it goes, its HTML, its
    fingerprint, its stamp, and its formulas (for the repair pass)."""

    prepared: Prepared
    output: str
    path: Path
    html: str
    key: str
    stamp: str  # what it is made from as files (manifest.stamp)
    formulas: tuple[tuple[str, str], ...] = ()  # alt text and LaTeX of each formula it draws
    course: Course | None = None  # the course it is made from, for a course's output

    @property
    def source(self) -> Path:
        """The file it is made from: its lesson, or its course's course.yaml."""
        return self.course.file if self.course else self.prepared.lesson.source


Rendered = RenderedPdf | Crash | tuple[ContentError, ...]  # a PDF, a bug, or its mistakes


def render_here(job: Job, settings: Settings, cache: BuildCache) -> Rendered:
    """Render one PDF in this process, repair its tags and finish it (pad, impose); a mistake of
    its theme met only now (a template filled while the PDF is made) comes back located, a
    bug of ours as the crash it is."""
    try:
        kind = get(job.output)
        pdf = kind.make(job.html, job.prepared, settings, cache)
        return kind.completed(pdf, job.html, dict(job.formulas), job.prepared, settings)
    except ContentError as problem:
        return (problem,)
    except Exception as error:  # a bug of ours: reported with its lesson, the others go on
        return Crash.of(error)


@dataclass(frozen=True)
class Task:
    """Jobs a worker renders one after the other, each with its number in the build."""

    numbers: list[int]
    jobs: list[Job]
    settings: Settings


Numbered = list[tuple[int, Rendered]]  # a task's results, each with its job's number
_WORKER_CACHE: BuildCache | None = None  # a worker process's, for the build it serves


def render_task(task: Task, cache: BuildCache) -> Numbered:
    """Render a task's jobs (one lesson's) one after the other, with `cache`; what it kept
    for the lesson is forgotten after."""
    try:
        rendered = [render_here(job, task.settings, cache) for job in task.jobs]
    finally:
        cache.forget_lessons()
    return list(zip(task.numbers, rendered, strict=True))


def _render_numbered(task: Task) -> Numbered:
    assert _WORKER_CACHE is not None, "set as the worker starts"
    return render_task(task, _WORKER_CACHE)


def _tasks(jobs: list[Job], settings: Settings) -> list[Task]:
    """The jobs as worker tasks: the outputs of a lesson that share a layout in one task
    (those that show its deck: the deck is fitted once; its worksheet and answer key: the
    writing space is grown once); every other job alone. The longest go first."""
    groups: dict[object, Task] = {}
    for number, job in enumerate(jobs):
        shared = get(job.output).shares_layout
        key = (job.prepared.lesson.source, shared) if shared else number
        task = groups.setdefault(key, Task([], [], settings))
        task.numbers.append(number)
        task.jobs.append(job)
    return sorted(groups.values(), key=lambda task: -len(task.jobs))


def _start_worker(cache: BuildCache | None, registered: tuple[OutputKind, ...]) -> None:
    """In a worker: the build's cache (the main process's own when forked: its templates
    are compiled already), the output kinds the main process has (a spawned worker imports
    only the package's own), Ctrl-C left to the main process, and death with it."""
    global _WORKER_CACHE
    _WORKER_CACHE = cache or BuildCache()
    for kind in registered:
        register(kind, override=True)  # the main process's, as they are there
    serve_the_main_process()


Sender = Callable[[Task], "Future[Numbered]"]  # sends a task to a worker, for its results


@contextmanager
def _local_pool(
    workers: int, start_method: str | None, cache: BuildCache | None
) -> Iterator[Sender]:
    """Worker processes of this machine, started by `start_method` (None: the platform's
    own way); leaving the block ends them at once, also on Ctrl-C or an error."""
    import multiprocessing

    from .pool import PoolExecutor

    context = multiprocessing.get_context(start_method)
    forked = context.get_start_method() == "fork"
    if forked:
        from ..render.pdf import start_rendering

        start_rendering()  # WeasyPrint loaded once here: the forked workers share it
    # A forked worker inherits the cache as it is; a spawned one would get a pickled copy.
    start = (cache if forked else None, kinds())
    if forked:  # what the workers inherit stays shared: their collections never touch it
        gc.freeze()
    try:
        pool = PoolExecutor(context.Pool(workers, initializer=_start_worker, initargs=start))
    finally:
        gc.unfreeze()  # here; the workers keep it frozen
    try:
        yield partial(pool.submit, _render_numbered)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def render_all(
    jobs: list[Job],
    workers: int,
    settings: Settings,
    start_method: str | None = None,
    cache: BuildCache | None = None,
    cluster: str | None = None,
) -> Iterator[tuple[Job, Rendered]]:
    """Render jobs here (with `cache`, the build's), in worker processes started by
    `start_method` (None: the platform's own way), or on the Dask cluster whose scheduler
    is at `cluster`; each as it is done."""
    here = cache or BuildCache()
    if cluster is None and workers <= 1:
        for _, of_lesson in groupby(jobs, key=lambda job: job.source):  # the plan's order
            for job in of_lesson:
                yield job, render_here(job, settings, here)
            here.forget_lessons()
        return
    if not jobs:
        return
    if cluster is None:
        sending = _local_pool(workers, start_method, cache)
    else:
        from .cluster import on_cluster  # Dask loads only when a build is sent to it

        sending = on_cluster(cluster, here)
    with sending as send:
        futures = [send(task) for task in _tasks(jobs, settings)]  # the longest first
        try:
            for done in as_completed(futures):
                for number, result in done.result():
                    yield jobs[number], result
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: let clean-up end
            raise


def worker_count(jobs: int | None, pdfs: int) -> int:
    """Workers to use: as asked, else one per CPU when there is more than one PDF to make."""
    if jobs is not None:
        return max(1, min(jobs, pdfs))
    return min(os.cpu_count() or 1, pdfs) if pdfs > 1 else 1
