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
from .formats import (
    OUTPUTS,
    PAPERS,
    SLIDES_PER_PAGE,
    STYLESHEETS,
    TABLE_OUTPUTS,
    TEMPLATES_DIR,
    Paper,
    RenderedPdf,
)
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
    slides_per_page: int = SLIDES_PER_PAGE[0]  # of the note-taking handout


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
class Refused:
    """A PDF not written because its layout shows a mistake in the lesson (a slide that
    overflows, a table too long for its page); the earlier PDF stays."""

    job: Job
    problems: tuple[ContentError, ...]


@dataclass(frozen=True)
class UpToDate:
    """How many planned PDFs needed no work."""

    count: int


Event = Written | Removed | Failed | Refused | UpToDate


def output_path(lesson: Lesson, output: str, options: BuildOptions) -> Path:
    """Where an output of a lesson goes: output/<lesson>-<output>.pdf."""
    return options.output_dir / f"{lesson.slug}-{output}.pdf"


def planned(lesson: Lesson, outputs: tuple[str, ...]) -> list[str]:
    """The outputs this lesson gives: no comparison table means no table, worksheet or key."""
    return [o for o in outputs if o not in TABLE_OUTPUTS or lesson.comparison is not None]


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


def _made_with(output: str, options: BuildOptions) -> list[str]:
    """What shapes an output besides its HTML (the notes' HTML is the deck's)."""
    page = [options.paper.name, str(options.slides_per_page)] if output == "notes" else []
    return [output, *page, *STYLESHEETS[output]]


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
            key = fingerprint(" ".join(_made_with(kind, options)) + html, TEMPLATES_DIR)
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
        elif lesson and lesson.comparison is None and _made_from_table(name):
            yield Removed(folder / name, f"{source} has no comparison table any more")


def _made_from_table(name: str) -> bool:
    return any(name.endswith(f"-{kind}.pdf") for kind in TABLE_OUTPUTS)


def _render_here(job: Job, options: BuildOptions) -> RenderedPdf | str:
    """Render one PDF in this process; a failure comes back as its description."""
    from . import documents  # WeasyPrint loads only when something is rendered.

    try:
        return documents.make(
            job.output, job.html, job.lesson, options.paper, options.slides_per_page
        )
    except Exception as error:  # a bug of ours: reported with its lesson, the others go on
        return f"{type(error).__name__}: {error}"


def _render_numbered(task: tuple[int, Job, BuildOptions]) -> tuple[int, RenderedPdf | str]:
    number, job, options = task
    return number, _render_here(job, options)


def layout_problems(job: Job, pdf: RenderedPdf) -> list[ContentError]:
    """Mistakes in the lesson that the PDF's layout shows."""
    from .documents import TABLE_SIZES_PT
    from .layout_check import slide_problems, table_problem
    from .slides import deck

    if job.output in ("slides", "notes"):
        return slide_problems(job.lesson, deck(job.lesson), pdf.anchors)
    if job.output == "table" and pdf.pages > 1:
        return [table_problem(job.lesson, pdf.anchors, TABLE_SIZES_PT[-1])]
    return []


def _start_worker() -> None:
    """In a worker: leave Ctrl-C to the main process, and die with it if it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the main process died before the line above
            os._exit(1)


def _render_all(
    jobs: list[Job], workers: int, options: BuildOptions
) -> Iterator[tuple[Job, RenderedPdf | str]]:
    """Render jobs here, or in forked worker processes that share the imported WeasyPrint."""
    if workers <= 1:
        for job in jobs:
            yield job, _render_here(job, options)
        return
    import multiprocessing

    from . import documents  # noqa: F401  (imported once here; forked workers share it)

    tasks = [(number, job, options) for number, job in enumerate(jobs)]
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
        reported: set[tuple[str, str]] = set()  # the deck and its notes show the same slides
        for job, pdf in _render_all(stale, worker_count(options, len(stale)), options):
            if isinstance(pdf, str):
                yield Failed(job, pdf)
                continue
            if problems := layout_problems(job, pdf):
                new = [p for p in problems if (str(p.where), p.message) not in reported]
                reported.update((str(p.where), p.message) for p in problems)
                yield Refused(job, tuple(new))
                continue
            changed = output.write(job.path, pdf.data)
            manifest.record(job.path, job.key, pdf.data, job.lesson.source.resolve(), pdf.pages)
            yield Written(job, pdf, changed)
    finally:
        if manifest.records or manifest.path.exists():
            manifest.save()
