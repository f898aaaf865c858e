"""The HTML every output of some lessons plans, and its stylesheets: what benchmarks render."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts import outputs  # noqa: E402
from handouts.make.pipeline import BuildOptions, load, plan  # noqa: E402


class Document(NamedTuple):
    """One planned output: its file stem, its HTML and its stylesheets (under css/)."""

    name: str
    html: str
    stylesheets: tuple[str, ...]


def documents(content: Path, kinds: tuple[str, ...] | None = None) -> list[Document]:
    """The documents the lessons under `content` plan for `kinds` (default: all)."""
    options = BuildOptions(outputs=kinds or outputs.names())
    return [
        Document(job.path.stem, job.html, outputs.get(job.output).all_stylesheets())
        for job in plan(load([content], options).lessons, options)
    ]
