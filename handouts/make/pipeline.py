"""Orchestration: which lessons, which outputs, what is stale, what is written; no printing.

load (lesson/) -> derive (derive/, once per lesson) -> HTML (render/html.py) -> PDF
(render/pdf.py, in workers) -> repair (render/tagging.py) -> layout checks (each output
kind) -> atomic write (here). Every function is given the `Project`; every step of one
lesson runs inside a guard, so a bug met in one lesson is that lesson's crash report and
every other lesson is still built.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from itertools import chain
from pathlib import Path

from .. import atomic_write, outputs
from ..errors import ContentError, Crash
from ..lesson.files import (
    Bounds,
    course_digest,
    file_digest,
    is_readable_lesson_file,
    without_name_clashes,
)
from ..lesson.model import LETTERS, BrandColour, Course, Lesson, Loaded, figures_digest
from ..outputs.kind import Prepared, Settings
from ..project import Project
from ..render.layout import RenderedPdf
from ..render.theme import Theme, catalog_files
from . import class_sets, index, made_before, shards
from .courses import course_jobs, outdated, stale_courses
from .events import (
    Event,
    Failed,
    Kept,
    Note,
    Refused,
    Removed,
    UpToDate,
    Written,
    guarded,
)
from .made_before import Stored
from .manifest import Manifest, Record, fingerprint, stamp
from .page_changes import PageChanges
from .printed import printed
from .shards import Shard, Share
from .workers import Job, Rendered, render_all, worker_count


def load(project: Project) -> Loaded:
    """Find and validate the project's lessons: those that loaded, and every error (and
    crash) of the others. A lesson with a character no font of its theme has is one with
    an error."""
    return _load(project.lesson_files(), project)


def _load(paths: list[Path], project: Project) -> Loaded:
    from ..lesson.loader import load_lessons  # YAML and Markdown load only when needed
    from ..render.contrast import contrast_problems
    from ..render.glyphs import missing_glyphs

    workers = worker_count(project.options.jobs, len(paths))
    loaded = load_lessons(paths, Bounds(project.root, project.options.max_bytes), workers)
    printable = []
    # Themes, with a course's colours over them, whose contrast errors are reported (once).
    faint: set[tuple[Theme, tuple[BrandColour, ...]]] = set()
    seen: set[tuple[str, str]] = set()
    cache = project.cache
    for lesson in loaded.lessons:
        theme = project.theme_of(lesson)

        def problems(lesson: Lesson = lesson, theme: Theme = theme) -> list[ContentError]:
            have = cache.covered(theme)
            return missing_glyphs(*printed(lesson, theme, cache), have)

        try:
            found = guarded(problems)
        except ContentError as problem:  # a mistake in the theme's word catalog
            found = [problem]

        colours = lesson.branding.colours

        def of_theme(theme: Theme = theme, colours: Colours = colours) -> list[ContentError]:
            """The theme's own mistakes, with its course's colours: faint colours, templates
            that do not compile."""
            faint_ones = cache.once(contrast_problems, theme, colours)
            return [*faint_ones, *cache.template_problems(theme)]

        contrast = guarded(of_theme)
        if isinstance(found, Crash) or isinstance(contrast, Crash):
            crashes = (crash for crash in (found, contrast) if isinstance(crash, Crash))
            loaded.crashes.append((lesson.source, next(crashes)))
            continue
        if contrast and (theme, colours) not in faint:
            loaded.errors += [error for error in contrast if _place(error) not in seen]
            seen.update(_place(error) for error in contrast)
            faint.add((theme, colours))
        loaded.errors += [error for error in found if _place(error) not in seen]
        seen.update(_place(error) for error in found)  # a catalog's mistake: once
        if not found and not contrast:
            printable.append(lesson)
    loaded.lessons = printable
    return loaded


Colours = tuple[BrandColour, ...]


@dataclass
class ToBuild:
    """The lessons a build must look at, and the PDFs it knows are current without reading
    their lessons (nothing they are made from changed since they were written)."""

    loaded: Loaded
    unchanged_pdfs: int = 0
    unchanged_lessons: int = 0
    stale_courses: frozenset[Path] = frozenset()  # course files whose outputs are planned
    share: Share | None = None  # this shard's share of the build, when it is one

    def courses(self) -> list[Course]:
        """The courses whose outputs must be planned, as loaded."""
        return [course for course in self.loaded.courses if course.file in self.stale_courses]


def load_changed(project: Project, shard: Shard | None = None) -> ToBuild:
    """Like `load`, but lessons whose every PDF is current by its stamp are not read (unless
    their course's outputs must be made: then every lesson of the course is). A `shard`
    looks only at its share of the lessons and courses (and reads the lessons of a course
    whose outputs it makes)."""
    found, clashes = without_name_clashes(project.lesson_files())
    manifest = Manifest(project.output_dir)
    mine = shards.share(shard, project, manifest, found) if shard else None
    unchanged = {
        path: _current_pdfs(path, manifest, project)
        for path in found
        if mine is None or mine.owns(path)
    }
    changed = {path for path, pdfs in unchanged.items() if pdfs is None}
    stale = {
        course: lessons
        for course, lessons in stale_courses(
            project, manifest, changed, _options_stamp(project)
        ).items()
        if mine is None or mine.owns(course)
    }
    of_courses = {path for lessons in stale.values() for path in lessons}
    unchanged.update((path, None) for path in of_courses if path in unchanged)
    reading = of_courses | {path for path, pdfs in unchanged.items() if pdfs is None}
    to_read = [path for path in found if path in reading]
    loaded = _load(to_read, project) if to_read else Loaded()
    loaded.errors[:0] = clashes
    loaded.checked += len(clashes)
    pdfs = [count for count in unchanged.values() if count is not None]
    return ToBuild(loaded, sum(pdfs), len(pdfs), frozenset(stale), mine)


def _options_stamp(project: Project) -> str:
    """Every option that shapes what a lesson's files make (the kinds registered too: a
    lesson may give a kind added since)."""
    options = project.options
    kinds = ",".join(outputs.names())
    paper, per_page = options.paper.name, options.slides_per_page
    shown = f"{options.max_bytes} {paper} {per_page} {options.speaker_notes} {project.theme}"
    shown += f" {options.versions} {options.theme} {options.booklet} {options.answer_sheet}"
    return f"{shown} {project.root} {kinds}"


def _current_pdfs(path: Path, manifest: Manifest, project: Project) -> int | None:
    """How many PDFs of the lesson file are asked for, all current by their stamps; None
    when the lesson must be read (a change, a PDF missing or edited, or --force)."""
    options = project.options
    if not is_readable_lesson_file(path, project.root):
        return None  # the loader reports it
    records = manifest.of_lesson(path.resolve())
    if options.force or not records or not all(record.stamp for record in records.values()):
        return None
    first = next(iter(records.values()))
    own_theme = manifest.theme_folders(first, project.root)
    if own_theme is None:
        return None  # the loader reports a theme folder that is gone or outside
    try:
        files = (
            file_digest(path.read_bytes()),
            course_digest(path.parent),
            _figures_digest(path.parent, first.figures),
        )
    except OSError:
        return None  # the loader reports it
    theme = project.cache.digest(Theme.over_builtin(*own_theme))
    # Every PDF it gave is looked at, asked for or not: an edit of the lesson or its theme
    # shows in any stamp, and the edited lesson may now give an output it did not.
    for pdf, record in records.items():
        kind = _kind_of(_part_of(pdf, path.stem))
        if kind is None or record.gives != first.gives:
            return None
        made_with = kind.made_with(options.settings)
        if record.stamp != stamp(made_with, theme, files, _options_stamp(project)):
            return None
    wanted = [part for part in first.gives if _asked_for(part, options.outputs)]
    for part in wanted:
        pdf_path = project.output_dir / _file_name(path.stem, part)
        if pdf_path.name not in records or not manifest.is_current(pdf_path):
            return None
        kind = _kind_of(part)
        assert kind is not None, "asked for: a kind of ours"
        if not class_sets.is_current(manifest, pdf_path, class_sets.copies_of(kind, options)):
            return None
    return len(wanted)


def _figures_digest(folder: Path, names: tuple[str, ...]) -> str:
    """The hash of the pictures a lesson in `folder` names, as `Lesson.figures_digest`;
    raises OSError when one cannot be read (the loader reports it)."""
    found = sorted((name, file_digest((folder / name).read_bytes())) for name in names)
    return figures_digest(found)


def plan(lessons: list[Lesson], project: Project) -> Iterator[Job | Failed | Refused]:
    """Every PDF the lessons give, with its HTML (cheap: no WeasyPrint) and fingerprint;
    a lesson whose deriving or HTML meets a bug of ours is a `Failed`, one whose theme has
    a mistake is `Refused`, and the others go on.

    Each lesson is derived once (its deck, its words), and shared by all its outputs.
    """
    for lesson in lessons:
        try:
            jobs = guarded(partial(_lesson_jobs, lesson, project))
        except ContentError as problem:  # its theme's template or word catalog
            yield Refused((problem,))
            continue
        if isinstance(jobs, Crash):
            yield Failed(lesson.source, "its PDFs", jobs)
        else:
            yield from jobs


def _lesson_jobs(lesson: Lesson, project: Project) -> list[Job]:
    """The PDFs one lesson gives, planned."""
    settings, cache = project.options.settings, project.cache
    theme = project.theme_of(lesson)
    digest = cache.digest(theme)
    prepared = Prepared.of(lesson, theme, cache)
    jobs = []
    for kind in (outputs.get(name) for name in project.options.outputs):
        if not kind.gives(lesson):
            continue
        for version in kind.versions(lesson, settings):
            made = replace(settings, version=version)
            with prepared.media.noting() as formulas:
                html = kind.html(prepared, made, cache)
            made_with = kind.made_with(made)
            key = fingerprint(made_with, html, digest)
            read = (lesson.digest, lesson.course_digest, lesson.figures_digest)
            files = stamp(kind.made_with(settings), digest, read, _options_stamp(project))
            path = project.output_dir / kind.file_name(lesson.slug, version)
            noted = tuple(sorted(formulas.items()))
            jobs.append(Job(prepared, kind.name, path, html, key, files, noted))
    return jobs


def _parts(lesson: Lesson, settings: Settings) -> tuple[str, ...]:
    """What the name of each PDF `lesson` gives has after the lesson's name: each kind's,
    each version's."""
    return tuple(
        kind.file_part(version)
        for kind in outputs.kinds()
        if kind.gives(lesson)
        for version in kind.versions(lesson, settings)
    )


def _kind_of(part: str) -> outputs.OutputKind | None:
    """The kind of a lesson's PDF whose name has `part` after the lesson's name, if it is
    one of ours (`quiz-A`: the quiz)."""
    return _kinds_by_part(outputs.kinds()).get(part)


@cache
def _kinds_by_part(kinds: tuple[outputs.OutputKind, ...]) -> dict[str, outputs.OutputKind]:
    """Each part a lesson's file name may have after the lesson's (`quiz-A`), to its kind:
    the first kind in order that names a file so."""
    return {named: kind for kind, _, named in reversed(_versions(kinds))}


KindVersion = tuple[outputs.OutputKind, str, str]  # a kind, a version, its file's part


@cache
def _versions(
    kinds: tuple[outputs.OutputKind, ...],
) -> tuple[tuple[outputs.OutputKind, str, str], ...]:
    """Each kind with each version it may have, and what a lesson's file of it has after
    the lesson's name (`quiz-A`): worked out once for the kinds registered (a no-op build
    of a thousand lessons asks ten thousand times)."""
    return tuple((kind, v, kind.file_part(v)) for kind in kinds for v in ("", *LETTERS))


def _named(slug: str) -> Iterator[tuple[str, str]]:
    """The name every file of a lesson whose files are named `slug` could have, with what
    its record says it is (`quiz-A`)."""
    for kind, version, part in _versions(outputs.kinds()):
        yield kind.file_name(slug, version), part


def _part_of(name: str, slug: str) -> str:
    """What a lesson's file named `name` is (`quiz-A`), "" when it is none of ours."""
    return next((part for file, part in _named(slug) if file == name), "")


def _file_name(slug: str, part: str) -> str:
    """The name of the lesson's file that is `part` (see `_part_of`)."""
    return next(file for file, named in _named(slug) if named == part)


def _asked_for(part: str, names: tuple[str, ...]) -> bool:
    """Whether the PDF whose name has `part` after its lesson's is of a kind in `names`."""
    kind = _kind_of(part)
    return kind is not None and kind.name in names


def _removals(
    lessons: list[Lesson], manifest: Manifest, folder: Path, settings: Settings, share: Share | None
) -> Iterator[Removed]:
    """PDFs we made whose lesson file is gone, or whose lesson no longer gives that output
    (or that version of it); a shard leaves those of other shards' lessons alone."""
    current = {lesson.source.resolve(): lesson for lesson in lessons}
    for name, record in sorted(manifest.records.items()):
        source = manifest.resolve(record.source)
        if share and share.elsewhere(source):
            continue
        lesson = current.get(source)
        part = lesson and _part_of(name, lesson.slug)
        if not source.exists():
            reason = f"its lesson {source} is gone"
        elif lesson and part and _kind_of(part) and part not in _parts(lesson, settings):
            reason = f"{source} gives no {part} any more"
        else:
            continue
        pdf = folder / name  # removed only as we wrote it: a forged record removes none
        if not (pdf.exists() or pdf.is_symlink()) or manifest.is_current(pdf):
            yield Removed(pdf, reason)


def _notes(jobs: list[Job]) -> Iterator[Note]:
    """A note for each lesson whose language has no word catalog (its fixed words print in
    English), and for each whose deck has no key takeaways slide: it has neither
    `conclusion:` nor `takeaways:`."""
    seen: set[Path] = set()
    decks: set[Path] = set()
    for job in jobs:
        lesson = job.prepared.lesson
        if lesson.source not in seen:
            seen.add(lesson.source)
            yield from _no_catalog(lesson, job.prepared.theme)
        if outputs.get(job.output).shows_deck and lesson.source not in decks:
            decks.add(lesson.source)
            if not lesson.conclusion and not lesson.takeaways:
                text = "no 'conclusion:' or 'takeaways:', so its slides end without key takeaways"
                yield Note(lesson.source, text)


def _no_catalog(lesson: Lesson, theme: Theme) -> Iterator[Note]:
    """A note when no catalog of the theme has the lesson's language."""
    own = [path for path in catalog_files(theme, lesson.language) if path.stem != "en"]
    base = lesson.language.split("-")[0]
    if base != "en" and not own:
        yield Note(
            lesson.source,
            f"no word catalog for the language '{lesson.language}': its fixed words (\"Page "
            f'1 of 2", "Answer key", ...) are printed in English; translate a copy of '
            f"templates/strings/en.yaml into theme/strings/{base}.yaml to have them in it",
        )


def _record(job: Job, pages: int, manifest: Manifest, settings: Settings) -> Record:
    """What the manifest keeps of a PDF just made (its bytes' hash is added as it is kept)."""
    lesson, theme = job.prepared.lesson, job.prepared.theme
    own = manifest.theme_names(theme.folders)
    source = manifest.relative(job.source)
    if job.course:  # a course's output: what its lessons give is in their own records
        course = job.course
        return Record(
            job.key, "", source, pages, job.stamp, own, title=course.title, language=course.language
        )
    gives = _parts(lesson, settings)
    figures = tuple(sorted(lesson.figures))
    return Record(
        job.key,
        "",
        source,
        pages,
        job.stamp,
        own,
        gives,
        figures,
        title=lesson.title,
        language=lesson.language,
    )


def build(
    lessons: list[Lesson],
    project: Project,
    unchanged: int = 0,
    courses: Sequence[Course] = (),
    share: Share | None = None,
) -> Iterator[Event]:
    """Bring the output folder up to date with the lessons and `courses`; yields what it
    does.

    `unchanged` counts PDFs found current without their lessons being read; each of
    `courses` has its outputs planned (its lessons are among `lessons`). A shard's build
    (`share`) makes only its share's files, draws their thumbnails but writes no index
    page, and records its share for `merge`.
    """
    options = project.options
    if project.output_dir.exists() and not project.output_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", project.output_dir)
    manifest = Manifest(project.output_dir)
    try:
        removals = chain(
            _removals(lessons, manifest, project.output_dir, options.settings, share),
            outdated(courses, project, manifest),
        )
        yield from _carried_out(removals, manifest, options.remove)
        reported: set[tuple[str, str]] = set()  # the deck and its notes show the same slides
        jobs = []
        course_planned = course_jobs(list(courses), lessons, project, _options_stamp(project))
        for planned in chain(plan(lessons, project), course_planned):
            if isinstance(planned, Job):
                if share is None or share.owns(planned.source):
                    jobs.append(planned)
            elif isinstance(planned, Refused):
                yield _unreported(planned, reported)
            else:
                yield planned
        yield from _notes(jobs)
        fresh = [not options.force and manifest.is_current(j.path, j.key) for j in jobs]
        stale = [job for job, ok in zip(jobs, fresh, strict=True) if not ok]
        for job in (job for job, ok in zip(jobs, fresh, strict=True) if ok):
            # Next time, found current without reading the lesson.
            manifest.restamp(job.path, _record(job, 0, manifest, options.settings))
        yield UpToDate(len(jobs) - len(stale) + unchanged)
        for job, made in _made(stale, project):
            if isinstance(made, tuple):  # its theme's mistake, met as it was made
                yield _unreported(Refused(made, job), reported)
                continue
            checked = _checked(job, made)
            if isinstance(checked, Crash):
                yield Failed(job.source, str(job.path), checked)
                continue
            pdf, problems, hashes = checked
            if problems:
                yield _unreported(Refused(tuple(problems), job), reported)
                continue
            before = manifest.records.get(job.path.name)
            changed = atomic_write.write(job.path, pdf.data)
            record = replace(
                _record(job, pdf.pages, manifest, options.settings), pages_hashes=hashes
            )
            manifest.record(job.path, pdf.data, record)
            earlier = before.pages_hashes if before else ()
            pages = PageChanges.between(earlier, hashes) if earlier else None
            yield Written(job, pdf, changed, pages)
        yield from class_sets.write(jobs, project, manifest)
        yield from _carried_out(class_sets.removals(project, manifest), manifest, options.remove)
        yield from index.refresh(project, manifest, page=share is None)
        if share:
            shards.save(share, manifest)
    finally:
        if manifest.records or manifest.path.exists() or share:
            manifest.save()


def _carried_out(removals: Iterable[Removed], manifest: Manifest, remove: bool) -> Iterator[Event]:
    """Remove the files and forget their records; or, unless `remove`, keep them for now."""
    for removal in removals:
        if not remove:
            yield Kept(removal.path, removal.reason)
            continue
        removal.path.unlink(missing_ok=True)
        manifest.forget(removal.path)
        yield removal


def _place(problem: ContentError) -> tuple[str, str]:
    """A problem as said: where, and what (the same problem met twice is said once)."""
    return str(problem.where), problem.message


def _unreported(refused: Refused, reported: set[tuple[str, str]]) -> Refused:
    """`refused`, its problems reported already left out (the deck and its notes show the
    same slides; lessons share a theme): the PDF is not written either way."""
    new = [p for p in refused.problems if _place(p) not in reported]
    reported.update(_place(p) for p in refused.problems)
    return Refused(tuple(new), refused.job)


Checked = tuple[RenderedPdf, list[ContentError], tuple[str, ...]]  # its mistakes, pages' hashes


def _made(stale: list[Job], project: Project) -> Iterator[tuple[Job, Rendered | Stored]]:
    """Each job's PDF: as made before, when it was (and the build is not --force), one
    at a time; else rendered."""
    options = project.options
    todo = []
    for job in stale:
        kept = None if options.force else made_before.taken(job.key)
        if kept is None:
            todo.append(job)
        else:
            yield job, kept
    workers = worker_count(options.jobs, len(todo))
    yield from render_all(
        todo, workers, options.settings, options.start_method, project.cache, options.cluster
    )
    if todo:
        made_before.make_room()


def _checked(job: Job, made: RenderedPdf | Crash | Stored) -> Crash | Checked:
    """A PDF with the mistakes its layout shows and its pages' hashes; one just made and
    without mistakes is kept for next time (one made before was checked then)."""
    if isinstance(made, Stored):
        return made.pdf, [], made.hashes
    if isinstance(made, Crash):
        return made
    examined = guarded(partial(_examined, job, made))
    if isinstance(examined, Crash):
        return examined
    problems, hashes = examined
    if not problems:
        made_before.keep(job.key, made, hashes)
    return made, problems, hashes


def _examined(job: Job, pdf: RenderedPdf) -> tuple[list[ContentError], tuple[str, ...]]:
    """The mistakes in the lesson that the PDF's layout shows, and the hash of each of its
    pages."""
    kind = outputs.get(job.output)
    return kind.layout_problems(job.prepared, pdf), kind.page_hashes(pdf.data)


@dataclass(frozen=True)
class Made:
    """What `make` did: every event of the build, the lessons' mistakes (those found
    loading them and those their layouts showed), and the bugs of ours met, by file."""

    events: tuple[Event, ...]
    errors: tuple[ContentError, ...]
    crashes: tuple[tuple[Path, Crash], ...]


def make(project: Project) -> Made:
    """Bring the project's PDFs up to date: the one call a program that uses handouts as a
    library needs (`make(Project.at(folder))`); nothing is printed. Each call is a build
    of its own: nothing the last one read is kept."""
    project = project.renewed()
    todo = load_changed(project)
    events = tuple(build(todo.loaded.lessons, project, todo.unchanged_pdfs, todo.courses()))
    refused = [
        problem for event in events if isinstance(event, Refused) for problem in event.problems
    ]
    failed = [(event.source, event.crash) for event in events if isinstance(event, Failed)]
    return Made(events, (*todo.loaded.errors, *refused), (*todo.loaded.crashes, *failed))
