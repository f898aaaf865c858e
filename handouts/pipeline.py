"""Orchestration: which lessons, which outputs, what is stale, how many workers; no printing."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import content, output
from .errors import ContentError, Location
from .formats import OUTPUTS, PAPERS, STYLESHEETS, TEMPLATES_DIR, Paper, RenderedPdf
from .manifest import Manifest, environment_digest, fingerprint
from .model import Lesson

PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies


@dataclass(frozen=True)
class BuildOptions:
    """What a build makes, where, and how."""

    outputs: tuple[str, ...] = OUTPUTS
    paper: Paper = PAPERS["a4"]
    output_dir: Path = Path("output")
    max_bytes: int = content.yaml_source.MAX_BYTES
    force: bool = False
    jobs: int | None = None  # None: one worker per CPU when there is more than one PDF to make


@dataclass(frozen=True)
class Job:
    """One PDF to make: the lesson, which output, where it goes, its HTML and fingerprint."""

    lesson: Lesson
    output: str
    path: Path
    html: str
    key: str


@dataclass(frozen=True)
class Written:
    """One PDF produced by a build."""

    job: Job
    pdf: RenderedPdf
    changed: bool


@dataclass(frozen=True)
class Removed:
    """A PDF removed because what it was made from is gone."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Failed:
    """A PDF that could not be rendered: a bug to report, with the lesson it came from."""

    job: Job
    reason: str


@dataclass(frozen=True)
class UpToDate:
    """How many planned PDFs needed no work."""

    count: int


Event = Written | Removed | Failed | UpToDate


def output_path(lesson: Lesson, output: str, options: BuildOptions) -> Path:
    """Where an output of a lesson goes: output/<lesson>-<output>.pdf."""
    return options.output_dir / f"{lesson.slug}-{output}.pdf"


def planned(lesson: Lesson, outputs: tuple[str, ...]) -> list[str]:
    """The outputs this lesson gives: no comparison table means no table PDF."""
    return [o for o in outputs if o != "table" or lesson.comparison is not None]


def load(paths: list[Path], options: BuildOptions) -> content.Loaded:
    """Find and validate the lessons: those that loaded, and every error of the others."""
    return content.load_lessons(content.find_lessons(paths), options.max_bytes)


class TemplateProblem(ContentError):
    """A mistake in a template (ours, or one a user put in templates/)."""


def _template_problem(error: Exception) -> TemplateProblem:
    """Where in which template an error of Jinja2's happened, from its traceback."""
    from jinja2 import TemplateSyntaxError

    place = Location(TEMPLATES_DIR, 1, 1)
    if isinstance(error, TemplateSyntaxError) and error.filename:
        place = Location(Path(error.filename), error.lineno, 1)
    else:
        for frame, line in traceback.walk_tb(error.__traceback__):
            if frame.f_code.co_filename.endswith(".j2"):
                place = Location(Path(frame.f_code.co_filename), line, 1)
    return TemplateProblem(place, f"template error: {error}", "fix the template, or undo the edit")


def plan(lessons: list[Lesson], options: BuildOptions) -> list[Job]:
    """Every PDF the lessons give, with its HTML (cheap: no WeasyPrint) and fingerprint."""
    from jinja2 import TemplateError  # Jinja2 loads only when something may be built.

    from . import render_html

    jobs = []
    for lesson in lessons:
        for kind in planned(lesson, options.outputs):
            try:
                html = render_html.render(lesson, kind, options.paper)
            except TemplateError as error:
                raise _template_problem(error) from None
            path = output_path(lesson, kind, options)
            key = fingerprint(" ".join(STYLESHEETS[kind]) + html, TEMPLATES_DIR)
            jobs.append(Job(lesson, kind, path, html, key))
    return jobs


def _removals(lessons: list[Lesson], manifest: Manifest, folder: Path) -> Iterator[Removed]:
    """PDFs we made whose lesson file is gone, or whose lesson no longer gives that output."""
    current = {lesson.source.resolve(): lesson for lesson in lessons}
    for name, record in sorted(manifest.records.items()):
        source = Path(record.source)
        lesson = current.get(source)
        if not source.exists():
            yield Removed(folder / name, f"its lesson {source} is gone")
        elif lesson and name.endswith("-table.pdf") and lesson.comparison is None:
            yield Removed(folder / name, f"{source} has no comparison table any more")


def _render_here(html: str, output: str) -> RenderedPdf | str:
    """Render one PDF in this process; a failure comes back as its description."""
    from . import render_pdf  # WeasyPrint loads only when something is rendered.

    try:
        return render_pdf.render(html, TEMPLATES_DIR, STYLESHEETS[output])
    except Exception as error:  # a bug of ours: reported with its lesson, the others go on
        return f"{type(error).__name__}: {error}"


def _render_numbered(task: tuple[int, str, str]) -> tuple[int, RenderedPdf | str]:
    number, html, output = task
    return number, _render_here(html, output)


def _start_worker() -> None:
    """In a worker: leave Ctrl-C to the main process, and die with it if it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the main process died before the line above
            os._exit(1)


def _render_all(jobs: list[Job], workers: int) -> Iterator[tuple[Job, RenderedPdf | str]]:
    """Render jobs here, or in forked worker processes that share the imported WeasyPrint."""
    if workers <= 1:
        for job in jobs:
            yield job, _render_here(job.html, job.output)
        return
    import multiprocessing

    from . import render_pdf  # noqa: F401  (imported once here; forked workers share it)

    tasks = [(number, job.html, job.output) for number, job in enumerate(jobs)]
    context = multiprocessing.get_context("fork")
    # Leaving the block terminates the workers at once, also on Ctrl-C or an error.
    with context.Pool(workers, initializer=_start_worker) as pool:
        try:
            for number, result in pool.imap_unordered(_render_numbered, tasks):
                yield jobs[number], result
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: let clean-up end
            raise


def forget_templates() -> None:
    """Forget what was read from templates/, after a file there changed (watch mode)."""
    environment_digest.cache_clear()
    from . import render_pdf

    render_pdf.forget_templates()


def worker_count(options: BuildOptions, pdfs: int) -> int:
    """Workers to use: as asked, else one per CPU when there is more than one PDF to make."""
    if options.jobs is not None:
        return max(1, min(options.jobs, pdfs))
    return min(os.cpu_count() or 1, pdfs) if pdfs > 1 else 1


def build(lessons: list[Lesson], options: BuildOptions) -> Iterator[Event]:
    """Bring the output folder up to date with the lessons; yields what it does."""
    manifest = Manifest(options.output_dir)
    try:
        for removal in _removals(lessons, manifest, options.output_dir):
            removal.path.unlink(missing_ok=True)
            manifest.forget(removal.path)
            yield removal
        jobs = plan(lessons, options)
        stale = [j for j in jobs if options.force or not manifest.is_current(j.path, j.key)]
        yield UpToDate(len(jobs) - len(stale))
        for job, pdf in _render_all(stale, worker_count(options, len(stale))):
            if isinstance(pdf, str):
                yield Failed(job, pdf)
                continue
            changed = output.write(job.path, pdf.data)
            manifest.record(job.path, job.key, pdf.data, job.lesson.source.resolve(), pdf.pages)
            yield Written(job, pdf, changed)
    finally:
        if manifest.records or manifest.path.exists():
            manifest.save()
