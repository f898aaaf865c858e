"""Orchestration: which lessons, which outputs, in which order. Nothing here prints."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import content, output
from .formats import OUTPUTS, PAPERS, Paper
from .model import Lesson


@dataclass(frozen=True)
class BuildOptions:
    """What a build makes and where."""

    outputs: tuple[str, ...] = OUTPUTS
    paper: Paper = PAPERS["a4"]
    output_dir: Path = Path("output")
    max_bytes: int = content.yaml_source.MAX_BYTES


@dataclass(frozen=True)
class Written:
    """One PDF produced by a build."""

    lesson: Lesson
    output: str
    path: Path
    pages: int
    seconds: float
    changed: bool
    warnings: tuple[str, ...]


def output_path(lesson: Lesson, output: str, options: BuildOptions) -> Path:
    """Where an output of a lesson goes: output/<lesson>-<output>.pdf."""
    return options.output_dir / f"{lesson.slug}-{output}.pdf"


def planned(lesson: Lesson, options: BuildOptions) -> list[str]:
    """The outputs this lesson gives: no comparison table means no table PDF."""
    return [o for o in options.outputs if o != "table" or lesson.comparison is not None]


def load(paths: list[Path], options: BuildOptions) -> content.Loaded:
    """Find and validate the lessons: those that loaded, and every error of the others."""
    return content.load_lessons(content.find_lessons(paths), options.max_bytes)


def build(lessons: list[Lesson], options: BuildOptions) -> Iterator[Written]:
    """Render and write every planned output of every lesson, one at a time."""
    # Loaded only when something is rendered: a check never pays for Jinja2 or WeasyPrint.
    from . import render_html, render_pdf

    for lesson in lessons:
        for kind in planned(lesson, options):
            started = time.perf_counter()
            html = render_html.render(lesson, kind, options.paper)
            pdf = render_pdf.render(html, render_html.TEMPLATES_DIR)
            path = output_path(lesson, kind, options)
            changed = output.write(path, pdf.data)
            seconds = time.perf_counter() - started
            yield Written(lesson, kind, path, pdf.pages, seconds, changed, pdf.warnings)
