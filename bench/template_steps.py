"""How much of the sandbox's rendering budget (render/sandbox.py) the built-in templates
use: the sample lesson grown to ROWS table rows and SECTIONS sections, every output's HTML
made once, the steps of each counted.

Run: .venv/bin/python bench/template_steps.py [rows sections]  (default: 480 60)
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from samples import ROOT

from handouts.make.pipeline import load, plan
from handouts.make.workers import Job
from handouts.project import BuildOptions, Project
from handouts.render import html, sandbox

SAMPLES = ROOT / "content"


def grown(rows: int, sections: int) -> Any:
    """The sample lesson with its rows and sections repeated up to the counts asked."""
    lesson = yaml.safe_load((SAMPLES / "production-systems.yaml").read_text("utf-8"))
    table, first = lesson["comparison"]["rows"], list(lesson["comparison"]["rows"])
    while len(table) < rows:
        row = copy.deepcopy(first[len(table) % len(first)])
        row["label"] = f"{row.get('label', 'Row')} {len(table)}"
        table.append(row)
    parts = list(lesson["sections"])
    lesson["sections"] = [
        {**copy.deepcopy(parts[n % len(parts)]), "title": f"Part {n + 1}"} for n in range(sections)
    ]
    return lesson


def main(rows: int, sections: int) -> None:
    used: list[int] = []

    @contextmanager
    def counted() -> Iterator[None]:
        with sandbox.rendering():
            yield
            used.append(sandbox.MAX_STEPS - sandbox._steps_left.get()[0])

    html.rendering = counted  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        (content / "course.yaml").write_bytes((SAMPLES / "course.yaml").read_bytes())
        shutil.copytree(SAMPLES / "images", content / "images")
        text = yaml.safe_dump(grown(rows, sections), allow_unicode=True, sort_keys=False)
        (content / "big.yaml").write_text(text, "utf-8")
        project = Project.at(Path(folder), options=BuildOptions(jobs=1))
        loaded = load(project)
        assert not loaded.errors, [str(e) for e in loaded.errors]
        print(f"{rows} rows, {sections} sections; budget {sandbox.MAX_STEPS:,} steps")
        jobs = list(plan(loaded.lessons, project))  # a lesson's outputs filled in together
        assert len(used) == len(jobs), "one rendering per output"
        for job, steps in zip(jobs, used, strict=True):
            assert isinstance(job, Job), job
            share = steps / sandbox.MAX_STEPS
            print(f"  {job.output:<10} {steps:>8,} steps  {share:6.1%} of the budget")


if __name__ == "__main__":
    main(*([int(arg) for arg in sys.argv[1:3]] or [480, 60]))
