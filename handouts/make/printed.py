"""What a lesson's outputs print, for the glyph check: its own text, and the fixed words of
its theme's catalogs as its labels reword them, with the files they are written in."""

from __future__ import annotations

from pathlib import Path

from ..lesson.definition import COURSE_FILE
from ..lesson.model import Lesson, texts_of
from ..render.cache import BuildCache
from ..render.theme import Theme, catalog_files


def printed(lesson: Lesson, theme: Theme, cache: BuildCache) -> tuple[list[Path], list[str]]:
    """The files a printed character is looked for in (the lesson, its course.yaml, then
    the theme's catalogs), and every text the lesson's outputs print. A catalog with a
    mistake raises its CatalogError."""
    files = [lesson.source, lesson.source.parent / COURSE_FILE]
    words = cache.strings(theme, lesson.language).reworded(lesson.labels).entries
    catalogs = reversed(catalog_files(theme, lesson.language))  # the one whose words win first
    return [*files, *catalogs], [*texts_of(lesson), *words.values()]
