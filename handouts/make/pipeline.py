"""Orchestration: which lessons, which outputs, what is stale, what is written; no printing.

load (lesson/) -> derive (derive/, once per lesson) -> HTML (render/html.py) -> PDF
(render/pdf.py, in workers) -> layout checks (each output kind) -> atomic write (here).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic_write, outputs
from ..errors import ContentError
from ..lesson.files import (
    MAX_BYTES,
    course_digest,
    file_digest,
    find_lessons,
    without_name_clashes,
)
from ..lesson.model import Lesson, Loaded, figures_digest
from ..outputs.kind import PAPERS, SLIDES_PER_PAGE, Paper, Prepared, Settings
from ..render.layout import RenderedPdf
from ..render.theme import BUILTIN_THEME, PROJECT_THEME, Theme, forget_theme_files
from .manifest import Manifest, Record, fingerprint, stamp
from .workers import Crash, Job, render_all, worker_count


@dataclass(frozen=True)
class BuildOptions:
    """What a build makes, where, and how."""

    outputs: tuple[str, ...] = field(default_factory=outputs.names)
    paper: Paper = PAPERS["a4"]
    output_dir: Path = Path("output")
    max_bytes: int = MAX_BYTES
    force: bool = False
    jobs: int | None = None  # None: one worker per CPU when there is more than one PDF to make
    slides_per_page: int = SLIDES_PER_PAGE[0]  # of the note-taking handout
    speaker_notes: bool = False  # the deck carries the teacher's notes as PDF comments
    theme: Path | None = None  # the project's theme folder, for lessons whose course names none
    remove: bool = True  # False: PDFs whose lesson is gone are kept (and said so), for now

    @property
    def settings(self) -> Settings:
        """What every output is asked for."""
        return Settings(self.paper, self.slides_per_page, self.speaker_notes)


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
class Kept:
    """A PDF whose lesson is gone (or gives it no more), kept for now: watch mode removes it
    only once the lessons have stayed so for a while, as a save may be half done."""

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
class Note:
    """Something a teacher may want to know of a lesson that is not a mistake."""

    lesson: Lesson
    text: str


@dataclass(frozen=True)
class UpToDate:
    """How many planned PDFs needed no work."""

    count: int


Event = Written | Removed | Kept | Failed | Refused | Note | UpToDate


def project_theme(folder: Path = Path()) -> Path | None:
    """The project's own theme: a `theme/` folder in the project folder, if there is one."""
    theme = folder / PROJECT_THEME
    return theme if theme.is_dir() else None


def output_path(lesson: Lesson, output: str, options: BuildOptions) -> Path:
    """Where an output of a lesson goes: output/<lesson>-<output>.pdf."""
    return options.output_dir / f"{lesson.slug}-{output}.pdf"


def load(paths: list[Path], options: BuildOptions) -> Loaded:
    """Find and validate the lessons: those that loaded, and every error of the others.

    A lesson with a character no font of its theme has is one with an error. What was read
    from theme folders before is forgotten: they may have changed since.
    """
    forget_theme_files()
    return _load(find_lessons(paths), options)


def _load(paths: list[Path], options: BuildOptions) -> Loaded:
    from ..lesson.loader import load_lessons  # YAML and Markdown load only when needed
    from ..render.contrast import contrast_problems
    from ..render.glyphs import missing_glyphs
    from .printed import printed

    loaded = load_lessons(paths, options.max_bytes)
    printable = []
    faint: set[Theme] = set()  # themes whose contrast errors are reported (once each)
    for lesson in loaded.lessons:
        theme = theme_of(lesson, options)
        problems = missing_glyphs(*printed(lesson, theme), theme)
        contrast = contrast_problems(theme)
        if contrast and theme not in faint:
            loaded.errors += contrast
            faint.add(theme)
        loaded.errors += problems
        if not problems and not contrast:
            printable.append(lesson)
    loaded.lessons = printable
    return loaded


def theme_of(lesson: Lesson, options: BuildOptions) -> Theme:
    """The theme a lesson is printed with: its course's, else the project's, else ours."""
    return Theme.over_builtin(lesson.theme or options.theme)


@dataclass
class ToBuild:
    """The lessons a build must look at, and the PDFs it knows are current without reading
    their lessons (nothing they are made from changed since they were written)."""

    loaded: Loaded
    unchanged_pdfs: int = 0
    unchanged_lessons: int = 0


def load_changed(paths: list[Path], options: BuildOptions) -> ToBuild:
    """Like `load`, but lessons whose every PDF is current by its stamp are not read.

    What was read from theme folders before is forgotten: they may have changed since.
    """
    forget_theme_files()
    found, clashes = without_name_clashes(find_lessons(paths))
    manifest = Manifest(options.output_dir)
    unchanged = {path: _current_pdfs(path, manifest, options) for path in found}
    changed = [path for path, pdfs in unchanged.items() if pdfs is None]
    loaded = _load(changed, options) if changed else Loaded()
    loaded.errors[:0] = clashes
    loaded.checked += len(clashes)
    pdfs = [count for count in unchanged.values() if count is not None]
    return ToBuild(loaded, sum(pdfs), len(pdfs))


def _options_stamp(options: BuildOptions) -> str:
    """Every option that shapes what a lesson's files make (the kinds registered too: a
    lesson may give a kind added since)."""
    kinds = ",".join(outputs.names())
    paper, per_page = options.paper.name, options.slides_per_page
    here = Path.cwd().resolve()
    shown = f"{options.max_bytes} {paper} {per_page} {options.speaker_notes} {options.theme}"
    return f"{shown} {here} {kinds}"


def _current_pdfs(path: Path, manifest: Manifest, options: BuildOptions) -> int | None:
    """How many PDFs of the lesson file are asked for, all current by their stamps; None
    when the lesson must be read (a change, a PDF missing or edited, or --force)."""
    records = manifest.of_lesson(path.resolve())
    if options.force or not records or not all(record.stamp for record in records.values()):
        return None
    first = next(iter(records.values()))
    own_theme = [manifest.resolve(folder) for folder in first.theme]
    if not all(folder.is_dir() for folder in own_theme):
        return None  # the loader reports a theme folder that is gone
    try:
        files = (
            file_digest(path.read_bytes()),
            course_digest(path.parent),
            _figures_digest(path.parent, first.figures),
        )
    except OSError:
        return None  # the loader reports it
    theme = Theme.over_builtin(own_theme[0] if own_theme else None)
    wanted = [name for name in options.outputs if name in first.gives]
    for name in wanted:
        pdf = options.output_dir / f"{path.stem}-{name}.pdf"
        record = records.get(pdf.name)
        made_with = outputs.get(name).made_with(options.settings)
        if record is None or record.gives != first.gives or not manifest.is_current(pdf):
            return None
        if record.stamp != stamp(made_with, theme, files, _options_stamp(options)):
            return None
    return len(wanted)


def _figures_digest(folder: Path, names: tuple[str, ...]) -> str:
    """The hash of the pictures a lesson in `folder` names, as `Lesson.figures_digest`;
    raises OSError when one cannot be read (the loader reports it)."""
    found = sorted((name, file_digest((folder / name).read_bytes())) for name in names)
    return figures_digest(found)


def plan(lessons: list[Lesson], options: BuildOptions) -> list[Job]:
    """Every PDF the lessons give, with its HTML (cheap: no WeasyPrint) and fingerprint.

    Each lesson is derived once (its deck, its words), and shared by all its outputs.
    """
    chosen = [outputs.get(name) for name in options.outputs]
    settings = options.settings
    jobs = []
    for lesson in lessons:
        theme = theme_of(lesson, options)
        prepared = Prepared.of(lesson, theme)
        for kind in (kind for kind in chosen if kind.gives(lesson)):
            html = kind.html(prepared, settings)
            made_with = kind.made_with(settings)
            key = fingerprint(made_with, html, theme)
            read = (lesson.digest, lesson.course_digest, lesson.figures_digest)
            files = stamp(made_with, theme, read, _options_stamp(options))
            path = output_path(lesson, kind.name, options)
            jobs.append(Job(prepared, kind.name, path, html, key, files))
    return jobs


def _removals(lessons: list[Lesson], manifest: Manifest, folder: Path) -> Iterator[Removed]:
    """PDFs we made whose lesson file is gone, or whose lesson no longer gives that output."""
    current = {lesson.source.resolve(): lesson for lesson in lessons}
    for name, record in sorted(manifest.records.items()):
        source = manifest.resolve(record.source)
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


def _notes(jobs: list[Job]) -> Iterator[Note]:
    """A note for each lesson whose deck has no key takeaways slide: it has neither
    `conclusion:` nor `takeaways:`."""
    seen: set[Path] = set()
    for job in jobs:
        lesson = job.prepared.lesson
        if outputs.get(job.output).shows_deck and lesson.source not in seen:
            seen.add(lesson.source)
            if not lesson.conclusion and not lesson.takeaways:
                text = "no 'conclusion:' or 'takeaways:', so its slides end without key takeaways"
                yield Note(lesson, text)


def _record(job: Job, pages: int, manifest: Manifest) -> Record:
    """What the manifest keeps of a PDF just made (its bytes' hash is added as it is kept)."""
    lesson, theme = job.prepared.lesson, job.prepared.theme
    gives = tuple(kind.name for kind in outputs.kinds() if kind.gives(lesson))
    own = tuple(manifest.relative(folder) for folder in theme.folders if folder != BUILTIN_THEME)
    source = manifest.relative(lesson.source)
    figures = tuple(sorted(lesson.figures))
    return Record(job.key, "", source, pages, job.stamp, own, gives, figures)


def build(lessons: list[Lesson], options: BuildOptions, unchanged: int = 0) -> Iterator[Event]:
    """Bring the output folder up to date with the lessons; yields what it does.

    `unchanged` counts PDFs found current without their lessons being read.
    """
    manifest = Manifest(options.output_dir)
    try:
        for removal in _removals(lessons, manifest, options.output_dir):
            if not options.remove:
                yield Kept(removal.path, removal.reason)
                continue
            removal.path.unlink(missing_ok=True)
            manifest.forget(removal.path)
            yield removal
        jobs = plan(lessons, options)
        yield from _notes(jobs)
        fresh = [not options.force and manifest.is_current(j.path, j.key) for j in jobs]
        stale = [job for job, ok in zip(jobs, fresh, strict=True) if not ok]
        for job in (job for job, ok in zip(jobs, fresh, strict=True) if ok):
            # Next time, found current without reading the lesson.
            manifest.restamp(job.path, _record(job, 0, manifest))
        yield UpToDate(len(jobs) - len(stale) + unchanged)
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
            manifest.record(job.path, pdf.data, _record(job, pdf.pages, manifest))
            yield Written(job, pdf, changed)
    finally:
        if manifest.records or manifest.path.exists():
            manifest.save()
