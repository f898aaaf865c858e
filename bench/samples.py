"""The HTML every output of some lessons plans, and its stylesheets: what benchmarks render."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts import outputs  # noqa: E402
from handouts.make.events import Failed  # noqa: E402
from handouts.make.pipeline import load, plan  # noqa: E402
from handouts.project import BuildOptions, Project  # noqa: E402


class Document(NamedTuple):
    """One planned output: its file stem, its HTML, its stylesheets (under css/) and its
    formulas' alt texts."""

    name: str
    html: str
    stylesheets: tuple[str, ...]
    formulas: frozenset[str]


def documents(content: Path, kinds: tuple[str, ...] | None = None) -> list[Document]:
    """The documents the lessons under `content` plan for `kinds` (default: all)."""
    options = BuildOptions(outputs=kinds or outputs.names())
    project = Project.at(content.parent, (content,), options=options)
    found = []
    for job in plan(load(project).lessons, project):
        assert not isinstance(job, Failed), job.crash.traceback
        kind = outputs.get(job.output)
        found.append(Document(job.path.stem, job.html, kind.all_stylesheets(), job.formulas))
    return found
