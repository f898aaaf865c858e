"""Output kinds are registered objects: a new one is a class, a template and a stylesheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE, copy_samples, run_here
from pdf_reader import POINTS_PER_INCH, Pdf

from handouts import outputs
from handouts.outputs.kind import OutputKind

POSTER_TEMPLATE = """\
{% extends "base.html.j2" %}
{% block title_suffix %} (poster){% endblock %}
{% block subject %}poster{% endblock %}
{% block page_size %}A3 portrait{% endblock %}
{% block body %}
<h1 class="poster-title">{{ lesson.title }}</h1>
<ul>{% for section in lesson.sections %}<li>{{ section.title }}</li>{% endfor %}</ul>
{% endblock %}
"""


class Poster(OutputKind):
    """A one-page A3 poster of the lesson's section titles, made only by this test."""

    name = "poster"
    order = 70
    template = "poster.html.j2"
    stylesheets = ("poster.css",)


@pytest.fixture
def poster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The poster kind registered, its template and CSS in the project's theme folder."""
    copy_samples(tmp_path / "content")
    (tmp_path / "theme" / "css").mkdir(parents=True)
    (tmp_path / "theme" / "poster.html.j2").write_text(POSTER_TEMPLATE)
    (tmp_path / "theme" / "css" / "poster.css").write_text(".poster-title { font-size: 60pt; }")
    monkeypatch.chdir(tmp_path)
    outputs.register(Poster())
    yield tmp_path
    outputs.unregister("poster")


@pytest.mark.parametrize(
    "workers", [(), ("-j", "2", "--start-method", "spawn")], ids=["here", "spawned workers"]
)
def test_a_kind_registered_from_outside_the_package_is_built(
    poster: Path, workers: tuple[str, ...]
) -> None:
    # Spawned workers import only the package's own kinds: they are handed the others.
    assert outputs.names()[-1] == "poster"
    ran = run_here("content", "--only", "poster,handout", "-o", "output", *workers)
    assert ran.code == 0, ran.err
    pdf = Pdf(poster / "output" / f"{SAMPLE}-poster.pdf")
    assert len(pdf) == 1
    assert pdf.page_size(0) == (round(297 / 25.4 * POINTS_PER_INCH, 1), 1190.6)  # A3
    assert pdf.metadata()["Title"].endswith("(poster)")
    assert "techniques" in pdf.text()  # a section title of the sample lesson
    assert max(char.size for char in pdf.chars(0)) == pytest.approx(60, abs=0.1)
    assert (poster / "output" / f"{SAMPLE}-handout.pdf").exists()


def test_every_kind_of_the_registry_is_a_choice_of_only(poster: Path) -> None:
    ran = run_here("content", "--only", "nonsense", "-o", "output")
    assert ran.code == 2
    assert f"choose from {', '.join(outputs.names())}" in ran.err
    assert "poster" in ran.err


def test_the_built_in_kinds_are_registered_in_their_order() -> None:
    assert outputs.names() == (
        "handout",
        "booklet",
        "slides",
        "notes",
        "presenter",
        "table",
        "worksheet",
        "answers",
        "quiz",
        "quiz-key",
        "answer-sheet",
        "answer-sheet-key",
        "pack",
        "gift",
        "moodle",
        "qti",
    )
    assert all(isinstance(kind, OutputKind) for kind in outputs.kinds())
