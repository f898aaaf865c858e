"""The output folder's index page, `index.html`: made from the manifest at the end of every
build that changed the folder (or when it is missing), so a build with nothing to do reads
no lesson for it.

It lists every PDF the manifest records and the folder holds as written (but class sets,
print jobs of the PDFs it lists), whichever `--only` or lesson files the build was given:
each course (course.yaml, read as it is now) with its pack and its lessons in teaching
order, then the lessons of no course by file name. Each PDF has a
picture of its first page, `thumbs/<pdf>.png`, drawn again only when the PDF changed; the
picture of a PDF no longer there is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from .. import atomic_write, outputs
from ..errors import ContentError, Crash
from ..lesson.files import Bounds
from ..lesson.model import Course
from ..outputs.index_page import CourseListing, LessonListing, Listed, page_html
from ..project import Project
from .events import Event, Failed, Indexed, Refused, guarded
from .manifest import Manifest, Record, is_pdf_name

INDEX_PAGE = "index.html"
THUMBNAILS = "thumbs"  # the folder of the pictures, in the output folder


def refresh(project: Project, manifest: Manifest, page: bool = True) -> Iterator[Event]:
    """Bring the index page up to date, when the build changed the manifest or the page
    is missing (a theme's mistake in its template is `Refused`, a bug of ours `Failed`);
    without the `page`, only the thumbnails (a shard's build: the merge writes the page)."""
    path = project.output_dir / INDEX_PAGE
    if not manifest.changed and (not page or path.is_file() or not manifest.records):
        return
    if not page:
        drawn = guarded(partial(_thumbnails, project.output_dir, manifest))
        if isinstance(drawn, Crash):
            yield Failed(project.output_dir / THUMBNAILS, "the thumbnails", drawn)
        return
    try:
        made = guarded(partial(_write, project, manifest, path))
    except ContentError as problem:  # the theme's index.html.j2 or its word catalog
        yield Refused((problem,))
        return
    if isinstance(made, Crash):
        yield Failed(path, "the index page", made)
    else:
        yield made


def _thumbnails(folder: Path, manifest: Manifest) -> dict[str, Listed]:
    """Every PDF the index lists, its thumbnail drawn when the PDF changed since, and the
    thumbnails of the PDFs gone removed."""
    # Only the PDFs as the builds wrote them: a forged record lists no file of someone else's.
    present = {
        n: r
        for n, r in manifest.records.items()
        if is_pdf_name(n) and not r.copies and manifest.is_current(folder / n)
    }
    listed = {name: _listed(folder, name, record, manifest) for name, record in present.items()}
    _remove_others(folder / THUMBNAILS, {Path(name).stem for name in present})
    return listed


def _write(project: Project, manifest: Manifest, page: Path) -> Indexed:
    listed = _thumbnails(project.output_dir, manifest)
    courses, others = _listing(project, manifest, listed)
    html = page_html(courses, others, project.theme_named(None), project.cache)
    return Indexed(page, len(listed), atomic_write.write(page, html.encode()))


def _listed(folder: Path, name: str, record: Record, manifest: Manifest) -> Listed:
    """A PDF as the index lists it, its thumbnail drawn when the PDF changed since."""
    from ..render.thumbnail import thumbnail

    pdf = folder / name
    picture = folder / THUMBNAILS / f"{pdf.stem}.png"
    if record.thumbnail != record.digest or not picture.is_file():
        data = pdf.read_bytes()
        drawn = thumbnail(data)
        atomic_write.write(picture, drawn.png)
        manifest.drawn(pdf, data, f"{drawn.width_pt:.2f} {drawn.height_pt:.2f}")
        record = manifest.records[name]
    kind = _kind(name)
    shown = picture.relative_to(folder).as_posix()
    size, page_size = pdf.stat().st_size, _page_size(record.first_page)
    return Listed(name, kind.name if kind else "", record.pages, size, page_size, shown)


def _page_size(first_page: str) -> tuple[float, float] | None:
    """A recorded page size, "width height" in points (None when it is not one)."""
    try:
        width, height = map(float, first_page.split())
    except ValueError:
        return None
    return (width, height) if width > 0 and height > 0 else None


def _remove_others(thumbnails: Path, kept: set[str]) -> None:
    """Remove the pictures of PDFs the folder no longer holds (only PNG files: nothing
    else in the folder is ours)."""
    atomic_write.remove_stale(thumbnails)
    if not thumbnails.is_dir():
        return
    for picture in thumbnails.glob("*.png"):
        if picture.stem not in kept and picture.is_file() and not picture.is_symlink():
            picture.unlink(missing_ok=True)


def _listing(
    project: Project, manifest: Manifest, listed: dict[str, Listed]
) -> tuple[list[CourseListing], list[LessonListing]]:
    """The courses with their packs and lessons in teaching order, then the other lessons."""
    by_source: dict[Path, list[str]] = {}
    for name in sorted(listed, key=_kind_order):
        by_source.setdefault(manifest.resolve(manifest.records[name].source), []).append(name)
    courses: list[CourseListing] = []
    placed: set[Path] = set()
    for course in _courses(project, by_source):
        packs = tuple(listed[name] for name in by_source.get(course.file.resolve(), []))
        lessons = [path.resolve() for path in course.lessons]
        mine = [path for path in lessons if path in by_source and path not in placed]
        placed.update(mine, [course.file.resolve()])
        shown = tuple(_lesson(path, by_source[path], manifest, listed) for path in mine)
        if packs or shown:
            courses.append(CourseListing(course.title, course.language, packs, shown))
    rest = sorted((path for path in by_source if path not in placed), key=lambda p: (p.name, p))
    return courses, [_lesson(path, by_source[path], manifest, listed) for path in rest]


def _kind(name: str) -> outputs.OutputKind | None:
    """The output kind a PDF is, by its name's ending (None: not one of those registered)."""
    return next((k for k in outputs.kinds() if name.endswith(f"-{k.name}.pdf")), None)


def _kind_order(name: str) -> tuple[bool, int, str]:
    """A PDF's place among its lesson's: in the order of the output kinds."""
    kind = _kind(name)
    return kind is None, kind.order if kind else 0, name


def _lesson(
    source: Path, names: list[str], manifest: Manifest, listed: dict[str, Listed]
) -> LessonListing:
    record = manifest.records[names[0]]
    title = record.title or source.stem  # a manifest older than titles: the file's name
    return LessonListing(title, record.language or "en", tuple(listed[n] for n in names))


def _courses(project: Project, by_source: dict[Path, list[str]]) -> list[Course]:
    """The courses of the recorded PDFs' lessons: the course.yaml beside each lesson file
    (as the build reads it, wherever the lesson is) and in the folders above it inside the
    project, read as they are now (one with a mistake is left out: its lessons are listed
    with those of no course)."""
    from ..lesson.loader import course_in

    root = project.root.resolve()
    folders: set[Path] = set()
    for source in by_source:
        folders.update(f for f in source.parents if f.is_relative_to(root) or f == source.parent)
    bounds = Bounds(project.root, project.options.max_bytes)
    found = (course_in(folder, bounds) for folder in sorted(folders))
    return [course for course in found if course is not None]
