"""Pages painted in reading order (render/paint_order.py), and looking the same as drawn.

Each PDF is made twice in this process from the same plan: as its output kind renders it
(WeasyPrint, and the composed slides of the note-taking handouts) and as the build writes
it, after the repair pass. Every page must look the same, pixel for pixel, and the built
one must paint its tagged content in the order its tags read, as a reader that follows
the drawing (reflow, the outside checkers' ORD-001) meets it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import SAMPLES
from outloud.model import Document

from handouts.make.pipeline import load, plan
from handouts.make.workers import Job
from handouts.outputs import get
from handouts.outputs.kind import ExportKind
from handouts.project import BuildOptions, Project
from handouts.render.tagging import repaired

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"
# The worksheet's answer key and the quiz's key write each answer over its ruled lines:
# drawn after them, so it stays after what follows it rather than go under the lines.
OVER_RULES = ("-answers.pdf", "-quiz-key.pdf")


@pytest.fixture(scope="module")
def drawn_and_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """Each output of a sample lesson (lists, figures, formulas, a table) and of the
    Arabic lesson (right to left), as rendered and as built, by file name."""
    root = tmp_path_factory.mktemp("painted")
    (root / "content").mkdir()
    for name in ("course.yaml", "production-systems.yaml", "images"):
        source = SAMPLES / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, root / "content" / name)
    shutil.copy(LANGUAGES / "ar.yaml", root / "content" / "ar.yaml")
    project = Project.at(root, options=BuildOptions(jobs=1))
    loaded = load(project)
    assert not loaded.errors and len(loaded.lessons) == 2, loaded.errors
    made = {}
    settings = project.options.settings
    for job in plan(loaded.lessons, project):
        assert isinstance(job, Job), job
        if isinstance(get(job.output), ExportKind):  # a file for a learning platform
            continue
        drawn = get(job.output).make(job.html, job.prepared, settings, project.cache).data
        made[job.path.name] = (drawn, repaired(drawn, job.html, dict(job.formulas)))
    return made


def _pixels(data: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(data)
    return [page.render(scale=1).to_pil().tobytes() for page in document]


def _out_of_order(path: Path) -> dict[int, list[int]]:
    """The pages that paint tagged content out of its tag order, read by outloud's model:
    each with the places in the tags of what it paints, in the order it paints them."""
    found = {}
    document = Document(str(path))
    for page in document.pages:
        read = [
            (ref.stream, ref.mcid)
            for element in document.elements
            for ref in element.mcrefs
            if ref.page == page.index
        ]
        rank = {key: place for place, key in enumerate(read)}
        painted = [rank[key] for key in document.content(page.index).paint_order if key in rank]
        if painted != sorted(painted):
            found[page.number] = painted
    return found


def test_the_repair_pass_never_changes_how_a_page_looks(
    drawn_and_built: dict[str, tuple[bytes, bytes]],
) -> None:
    for name, (drawn, built) in drawn_and_built.items():
        assert _pixels(drawn) == _pixels(built), name


def test_every_page_paints_its_content_in_reading_order(
    drawn_and_built: dict[str, tuple[bytes, bytes]], tmp_path: Path
) -> None:
    before, after = {}, {}
    for name, (drawn, built) in drawn_and_built.items():
        (tmp_path / f"drawn-{name}").write_bytes(drawn)
        (tmp_path / name).write_bytes(built)
        before[name] = _out_of_order(tmp_path / f"drawn-{name}")
        after[name] = _out_of_order(tmp_path / name)
    # As WeasyPrint draws them, bullets come after their items' text and the notes' slides
    # after every "Slide n" heading of the page.
    for name in ("slides", "notes", "presenter", "handout"):
        assert before[f"production-systems-{name}.pdf"], name
    for name in ("slides", "notes", "handout"):
        assert before[f"ar-{name}.pdf"], name
    assert {name: pages for name, pages in after.items() if not name.endswith(OVER_RULES)} == {
        name: {} for name in after if not name.endswith(OVER_RULES)
    }
