"""No sheet wasted: a handout whose last page would hold only a little is set tighter until
it takes a page fewer, and says so; one that no step saves a page for stays as it was."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLES, run_here
from pdf_reader import Pdf

from handouts.outputs.handout import TIGHTER

POINT = (
    "      A maker choosing a system weighs the volume it expects to sell, how much each "
    "customer wants a product of their own, and what its machines and people can do.\n"
)


def _lesson(points: int) -> str:
    """The second sample without its examples and table, and a section of `points`
    paragraphs: one spills two lines onto a second page, two a few more."""
    text = (SAMPLES / "production-systems.yaml").read_text("utf-8")
    text = text[: text.index("  - title: Typical examples")] + text[text.index("conclusion:") :]
    choosing = "  - title: Choosing a system\n    text: |\n" + "\n".join([POINT] * points)
    return text.replace("conclusion:", choosing + "\nconclusion:")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Both lessons' handouts, and what the build printed."""
    folder = tmp_path_factory.mktemp("tight")
    content = folder / "content"
    content.mkdir()
    shutil.copy(SAMPLES / "course.yaml", content)
    shutil.copytree(SAMPLES / "images", content / "images")
    (content / "spills-a-little.yaml").write_text(_lesson(1), "utf-8")
    (content / "spills-more.yaml").write_text(_lesson(2), "utf-8")
    ran = run_here(str(content), "--only", "handout", "-o", str(folder / "output"))
    assert ran.code == 0, ran.err
    return folder / "output", ran.out


def _body_size(pdf: Pdf) -> float:
    """The type size most of the first page's characters are set in, in points."""
    sizes = Counter(round(char.size, 1) for char in pdf.chars(0) if char.text.strip())
    return sizes.most_common(1)[0][0]


def test_a_handout_that_spills_a_little_is_set_tighter_onto_one_page(
    built: tuple[Path, str],
) -> None:
    output, said = built
    pdf = Pdf(output / "spills-a-little-handout.pdf")
    assert len(pdf) == 1
    assert "Page 1 of 1" in pdf.page_text(0)
    assert "spills-a-little-handout.pdf  1 page" in said
    assert f"(set {len(TIGHTER)} steps tighter to save a page)" in said
    assert _body_size(pdf) == 10.0  # the floor's type: nothing smaller
    assert "choosing a system" in pdf.text() and "no system is best in every case" in pdf.text()


def test_a_handout_no_step_saves_a_page_for_stays_as_it_was(built: tuple[Path, str]) -> None:
    output, said = built
    pdf = Pdf(output / "spills-more-handout.pdf")
    assert len(pdf) == 2
    assert _body_size(pdf) == 10.5  # the handout's own type
    line = next(line for line in said.splitlines() if "spills-more-handout.pdf" in line)
    assert "tighter" not in line
