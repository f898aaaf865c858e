"""Loading lessons: the format's rules and the located errors for breaking them."""

from __future__ import annotations

import pytest
from conftest import ROOT, SAMPLE, SAMPLES

from handouts.lesson.files import Bounds, find_lessons
from handouts.lesson.loader import load_lessons
from handouts.lesson.model import ItemList, Paragraph

MINIMAL = """\
title: Minimal lesson
introduction: Just one paragraph.
sections:
  - title: Only section
    text: Some text.
"""


def errors_of(path) -> list[str]:
    loaded = load_lessons([path], Bounds(ROOT))
    assert loaded.lessons == []
    return [f"{e.where.line}:{e.where.column}: {e.message}" for e in loaded.errors]


def test_sample_lessons_load_with_the_course_defaults() -> None:
    loaded = load_lessons(find_lessons([SAMPLES]), Bounds(ROOT))
    assert loaded.errors == []
    lessons = loaded.lessons
    assert [lesson.slug for lesson in lessons] == ["production-systems", SAMPLE]
    sample = lessons[1]
    assert sample.course == "Business Management" and sample.language == "en"
    assert [s.key for s in sample.subjects] == ["production", "operations"]
    techniques = sample.sections[1].parts[0].blocks
    assert isinstance(techniques[0], Paragraph) and isinstance(techniques[1], ItemList)
    assert len(techniques[1].items) == 7
    assert len(sample.comparison.rows) == 6
    three = lessons[0]
    assert len(three.subjects) == 3 and len(three.comparison.columns) == 3


def test_lesson_without_comparison_table(lesson_dir) -> None:
    (lesson,) = load_lessons([lesson_dir("minimal.yaml", MINIMAL)], Bounds(ROOT)).lessons
    assert lesson.comparison is None and lesson.subjects == ()
    assert lesson.author == "Business Management teaching team"


def test_lesson_values_override_the_course_file(lesson_dir) -> None:
    path = lesson_dir("own.yaml", MINIMAL + "course: Logistics\nlanguage: fr\n")
    (lesson,) = load_lessons([path], Bounds(ROOT)).lessons
    assert (lesson.course, lesson.language) == ("Logistics", "fr")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL.replace("title: Minimal lesson\n", ""), "1:1: missing required field 'title'"),
        (MINIMAL + "title: Again\n", "6:1: duplicate key 'title'"),
        (MINIMAL.replace("Minimal lesson", "42"), "1:8: 'title' must be text, not the number 42"),
        (MINIMAL + "subtitle: ''\n", "6:11: 'subtitle' is empty"),
        (MINIMAL.replace("sections:", "sektions:"), "3:1: unknown key 'sektions'"),
        (MINIMAL + "extra: &a x\nmore: *a\n", "7:7: anchors and aliases (*name) are not allowed"),
        (MINIMAL.replace("  - title", "\t- title"), "4:1: a tab is used for indentation"),
        ("- just\n- a list\n", "1:1: the top level must be a set of 'key: value' lines"),
        ("", "1:1: the file is empty"),
        (
            MINIMAL.replace("Some text.", "|\n      # Heading"),
            "6:7: a heading is not supported here",
        ),
    ],
)
def test_located_errors(lesson_dir, text: str, expected: str) -> None:
    found = errors_of(lesson_dir("bad.yaml", text))
    assert any(error.startswith(expected) for error in found), found


def test_yes_no_and_on_off_words_are_keys_as_typed(lesson_dir) -> None:
    text = MINIMAL + "subjects:\n  on: Online\n  off: Offline\n"
    text = text.replace("    text: Some text.", "    on: Live.\n    off: Recorded.")
    (lesson,) = load_lessons([lesson_dir("on-off.yaml", text)], Bounds(ROOT)).lessons
    assert [s.key for s in lesson.subjects] == ["on", "off"]
    assert len(lesson.sections[0].parts) == 2


def test_folded_text_errors_point_at_the_text(lesson_dir) -> None:
    text = MINIMAL.replace("Some text.", ">\n      Some text\n      and [a link](ftp://x).")
    assert errors_of(lesson_dir("folded.yaml", text)) == [
        "6:7: link target 'ftp://x' is not allowed: use a full http://, https:// or mailto: address"
    ]


def test_row_with_a_missing_cell(lesson_dir) -> None:
    text = (SAMPLES / f"{SAMPLE}.yaml").read_text("utf-8")
    text = text.replace(
        "      operations: Concerned with the overall",
        "      operation: Concerned with the overall",
    )
    found = errors_of(lesson_dir("bad.yaml", text))
    assert any("unknown key 'operation'" in e for e in found), found
    assert any("this row has 1 of 2 cells: 'operations' is missing" in e for e in found), found


def test_not_utf8(lesson_dir, tmp_path) -> None:
    path = lesson_dir("latin1.yaml", MINIMAL)
    path.write_bytes(MINIMAL.replace("Just one", "Caf\xe9 one").encode("latin-1"))
    assert errors_of(path) == ["2:18: the file is not UTF-8 text"]


def test_all_errors_of_all_files_come_together_and_good_lessons_still_load(lesson_dir) -> None:
    first = lesson_dir("a.yaml", "title: 1\n")
    lesson_dir("b.yaml", MINIMAL.replace("sections:", "sectons:"))
    lesson_dir("c.yaml", MINIMAL)
    loaded = load_lessons(find_lessons([first.parent]), Bounds(ROOT))
    assert {e.where.path.name for e in loaded.errors} == {"a.yaml", "b.yaml"}
    assert len(loaded.errors) >= 4
    assert [lesson.slug for lesson in loaded.lessons] == ["c"]
