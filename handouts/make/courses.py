"""A course's own outputs (the course pack): which courses a build makes them for, whether
they are current without reading a lesson, and their jobs.

A course is a course.yaml in a folder the build was asked for (a lesson file named alone
makes no course output). Its outputs are current while its course.yaml, the lesson files
in its folder and below, the theme and the options are as they were when they were made;
when one changes, every lesson of the course is read and the outputs planned again (and
made again only if their HTML changed: an edit of the slides alone leaves the pack be).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from .. import outputs
from ..errors import ContentError, Crash
from ..lesson.definition import COURSE_FILE
from ..lesson.files import course_digest, file_digest, find_lessons
from ..lesson.model import Course, Lesson
from ..outputs.kind import CourseKind, OutputKind, Prepared
from ..project import Project
from ..render.theme import Theme
from . import class_sets
from .events import Failed, Note, Refused, Removed, guarded
from .manifest import Manifest, Record, fingerprint, stamp
from .workers import Job

MIN_LESSONS = 2  # a course of one lesson has its handout: no pack


def course_kinds(project: Project) -> list[CourseKind]:
    """The course outputs the build is asked for."""
    asked = map(outputs.get, project.options.outputs)
    return [kind for kind in asked if isinstance(kind, CourseKind)]


def course_files(project: Project) -> list[Path]:
    """The course.yaml files in the folders the build was asked for (searched), sorted."""
    found: set[Path] = set()
    for source in project.sources:
        if source.is_dir():
            found.update(path for path in source.rglob(COURSE_FILE) if path.is_file())
    return sorted(found)


def _course_stamp(
    project: Project, kind: OutputKind, course_file: Path, theme: str, options: str
) -> str:
    """What a course output is made from as files: its course.yaml, and the name and bytes
    of every lesson file in its folder and below; raises OSError when one cannot be read."""
    folder = course_file.parent
    lessons = [
        f"{path.relative_to(folder).as_posix()}\0{file_digest(path.read_bytes())}"
        for path in find_lessons([folder])
    ]
    return stamp(
        kind.made_with(project.options.settings), theme, (course_digest(folder), *lessons), options
    )


def stale_courses(
    project: Project, manifest: Manifest, changed: set[Path], options: str
) -> dict[Path, list[Path]]:
    """The course files whose outputs must be planned, each with the lesson files in its
    folder and below (every one is read): those with a lesson in `changed`, and those whose
    outputs (or their class sets) are missing, edited, or made from other files or options."""
    kinds = course_kinds(project)
    copies = partial(class_sets.copies_of, options=project.options)
    stale: dict[Path, list[Path]] = {}
    for course_file in course_files(project) if kinds else []:
        lessons = find_lessons([course_file.parent])
        records = manifest.of_lesson(course_file)
        if len(lessons) < MIN_LESSONS and not records:
            continue  # nor was there a course output to remove
        if project.options.force or changed.intersection(lessons):
            stale[course_file] = lessons
            continue
        theme = _recorded_theme(project, manifest, records)
        try:
            current = theme is not None and all(
                any(
                    record.stamp == _course_stamp(project, kind, course_file, theme, options)
                    and manifest.is_current(project.output_dir / name)
                    and class_sets.is_current(manifest, project.output_dir / name, copies(kind))
                    for name, record in records.items()
                )
                for kind in kinds
            )
        except OSError:
            current = False  # the loader reports it
        if not current:
            stale[course_file] = lessons
    return stale


def _recorded_theme(project: Project, manifest: Manifest, records: dict[str, Record]) -> str | None:
    """The hash of the theme the course's outputs were made with, as their records name it
    (None without records, or when they name folders that are not the project's)."""
    if not records:
        return None
    folders = manifest.theme_folders(next(iter(records.values())), project.root)
    if folders is None:
        return None
    return project.cache.digest(Theme.over_builtin(*folders))


def course_jobs(
    courses: list[Course], lessons: list[Lesson], project: Project, options: str
) -> Iterator[Job | Failed | Refused | Note]:
    """The outputs of each of `courses`, planned; a course one of whose lessons has
    mistakes keeps the outputs it has (a pack without a lesson is not a course pack)."""
    loaded = {lesson.source.resolve(): lesson for lesson in lessons}
    for course in courses:
        if len(course.lessons) < MIN_LESSONS:
            continue
        missing = [path for path in course.lessons if path.resolve() not in loaded]
        if missing:
            names = ", ".join(str(path) for path in missing)
            text = f"its course pack waits until every lesson of the course builds ({names})"
            yield Note(course.file, text)
            continue
        parts = [loaded[path.resolve()] for path in course.lessons]
        for kind in course_kinds(project):
            try:
                job = guarded(partial(_course_job, kind, course, parts, project, options))
            except ContentError as problem:  # its theme's template or word catalog
                yield Refused((problem,))
                continue
            if isinstance(job, Crash):
                yield Failed(course.file, f"its {kind.name}", job)
            else:
                yield job


def course_output(course: Course, kind: OutputKind, project: Project) -> Path | None:
    """Where an output of `course` goes, `<course>-<output>.pdf` (None: a course of one
    lesson gives none)."""
    if len(course.lessons) < MIN_LESSONS:
        return None
    return project.output_dir / f"{course.slug}-{kind.name}.pdf"


def outdated(courses: Sequence[Course], project: Project, manifest: Manifest) -> Iterator[Removed]:
    """The outputs the courses made that they give no more by that name (the course's
    title changed, or it holds one lesson now)."""
    for course in courses:
        for kind in course_kinds(project):
            path = course_output(course, kind, project)
            for name in manifest.of_lesson(course.file):
                pdf = project.output_dir / name
                ours = manifest.is_current(pdf) or not (pdf.exists() or pdf.is_symlink())
                if name.endswith(f"-{kind.name}.pdf") and pdf != path and ours:
                    now = f"it is {path.name} now" if path else "it holds one lesson"
                    yield Removed(pdf, f"{course.file} gives it no more: {now}")


def _course_job(
    kind: CourseKind, course: Course, lessons: list[Lesson], project: Project, options: str
) -> Job:
    """One output of a course, planned: its lessons prepared in the course's theme."""
    settings, cache = project.options.settings, project.cache
    theme = project.theme_named(course.theme)
    digest = cache.digest(theme)
    parts = [Prepared.of(lesson, theme, cache) for lesson in lessons]
    plan = kind.plan(course, parts, theme, settings, cache)
    made_with = kind.made_with(settings)
    try:
        files = _course_stamp(project, kind, course.file, digest, options)
    except OSError:
        files = ""  # a file changed as it was read: made again next time
    path = course_output(course, kind, project)
    assert path is not None, "planned only for a course of several lessons"
    return Job(
        plan.prepared,
        kind.name,
        path,
        plan.html,
        fingerprint(made_with, plan.html, digest),
        files,
        tuple(sorted(plan.formulas.items())),
        course,
    )
