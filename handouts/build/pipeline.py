"""Orchestration: which lessons, which outputs, what is stale, what is written; no printing.

load (lesson/) -> derive (derive/, once per lesson) -> HTML (render/html.py) -> PDF
(render/pdf.py, in workers) -> layout checks (each output kind) -> atomic write (here).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import outputs
from ..errors import ContentError
from ..lesson import loader, yaml_source
from ..lesson.model import Lesson
from ..outputs.kind import PAPERS, SLIDES_PER_PAGE, Paper, Prepared, Settings
from ..render.layout import RenderedPdf
from ..render.theme import PROJECT_THEME, Theme
from . import atomic_write
from .manifest import Manifest, fingerprint
from .workers import Crash, Job, render_all, worker_count


@dataclass(frozen=True)
class BuildOptions:
    """What a build makes, where, and how."""

    outputs: tuple[str, ...] = field(default_factory=outputs.names)
    paper: Paper = PAPERS["a4"]
    output_dir: Path = Path("output")
    max_bytes: int = yaml_source.MAX_BYTES
    force: bool = False
    jobs: int | None = None  # None: one worker per CPU when there is more than one PDF to make
    slides_per_page: int = SLIDES_PER_PAGE[0]  # of the note-taking handout
    theme: Path | None = None  # the project's theme folder, for lessons whose course names none

    @property
    def settings(self) -> Settings:
        """What every output is asked for."""
        return Settings(self.paper, self.slides_per_page)


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
    crash: Crash


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


def project_theme(folder: Path = Path()) -> Path | None:
    """The project's own theme: a `theme/` folder in the project folder, if there is one."""
    theme = folder / PROJECT_THEME
    return theme if theme.is_dir() else None


def output_path(lesson: Lesson, output: str, options: BuildOptions) -> Path:
    """Where an output of a lesson goes: output/<lesson>-<output>.pdf."""
    return options.output_dir / f"{lesson.slug}-{output}.pdf"


def load(paths: list[Path], options: BuildOptions) -> loader.Loaded:
    """Find and validate the lessons: those that loaded, and every error of the others."""
    return loader.load_lessons(loader.find_lessons(paths), options.max_bytes)


def plan(lessons: list[Lesson], options: BuildOptions) -> list[Job]:
    """Every PDF the lessons give, with its HTML (cheap: no WeasyPrint) and fingerprint.

    Each lesson is derived once (its deck, its words), and shared by all its outputs.
    """
    chosen = [outputs.get(name) for name in options.outputs]
    settings = options.settings
    jobs = []
    for lesson in lessons:
        theme = Theme.over_builtin(lesson.theme or options.theme)
        prepared = Prepared.of(lesson, theme)
        for kind in (kind for kind in chosen if kind.gives(lesson)):
            html = kind.html(prepared, settings)
            key = fingerprint(kind.made_with(settings), html, theme)
            jobs.append(
                Job(prepared, kind.name, output_path(lesson, kind.name, options), html, key)
            )
    return jobs


def _removals(lessons: list[Lesson], manifest: Manifest, folder: Path) -> Iterator[Removed]:
    """PDFs we made whose lesson file is gone, or whose lesson no longer gives that output."""
    current = {lesson.source.resolve(): lesson for lesson in lessons}
    for name, record in sorted(manifest.records.items()):
        source = Path(record.source)
        lesson = current.get(source)
        if not source.exists():
            yield Removed(folder / name, f"its lesson {source} is gone")
        elif lesson and (kind := _kind_of(name, lesson)) and not kind.gives(lesson):
            yield Removed(folder / name, f"{source} gives no {kind.name} any more")


def _kind_of(name: str, lesson: Lesson) -> outputs.OutputKind | None:
    """The output kind a PDF of `lesson` called `name` is, if it is one of ours."""
    for kind in outputs.kinds():
        if name == f"{lesson.slug}-{kind.name}.pdf":
            return kind
    return None


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
        workers = worker_count(options.jobs, len(stale))
        for job, pdf in render_all(stale, workers, options.settings):
            if isinstance(pdf, Crash):
                yield Failed(job, pdf)
                continue
            if problems := outputs.get(job.output).layout_problems(job.prepared, pdf):
                new = [p for p in problems if (str(p.where), p.message) not in reported]
                reported.update((str(p.where), p.message) for p in problems)
                yield Refused(job, tuple(new))
                continue
            changed = atomic_write.write(job.path, pdf.data)
            source = job.prepared.lesson.source.resolve()
            manifest.record(job.path, job.key, pdf.data, source, pdf.pages)
            yield Written(job, pdf, changed)
    finally:
        if manifest.records or manifest.path.exists():
            manifest.save()
