"""Checks see the text as it will be printed: after YAML escapes and Markdown character
references, in every field, each mistake reported where it was written."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_here
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.lesson.files import Bounds
from handouts.lesson.formulas import MAX_FORMULA
from handouts.lesson.loader import load_lessons

Writer = Callable[[str, str], Path]
LESSON = """\
title: T
subtitle: SUBTITLE
introduction: INTRODUCTION
subjects:
  a: A
  b: B
sections:
  - title: SECTION
    text: T.
comparison:
  title: TABLE
  rows:
    - label: LABEL
      a: x
      b: y
"""
PLAIN = {"SUBTITLE": "S", "INTRODUCTION": "I.", "SECTION": "S", "TABLE": "At", "LABEL": "L"}


def _lesson(lesson_dir: Writer, **fields: str) -> Path:
    text = LESSON
    for name, value in {**PLAIN, **fields}.items():
        text = text.replace(name, value)
    return lesson_dir("lesson.yaml", text)


def _errors(path: Path) -> str:
    ran = run_here("check", str(path))
    assert ran.code == 1, ran.out + ran.err
    return ran.err


def test_a_yaml_escaped_override_is_refused_at_its_backslash(lesson_dir: Writer) -> None:
    path = _lesson(lesson_dir, SUBTITLE=r'"Price is \u202E$001"')
    assert f"{path}:2:21: error: the text holds an invisible character U+202E" in _errors(path)


@pytest.mark.parametrize(("written", "code"), [("&#x202E;", "U+202E"), ("&#8203;", "U+200B")])
def test_a_markdown_character_reference_to_an_invisible_character_is_refused(
    lesson_dir: Writer, written: str, code: str
) -> None:
    path = _lesson(lesson_dir, INTRODUCTION=f"Price is {written}001.")
    assert f"{path}:3:24: error: the text holds an invisible character {code}" in _errors(path)


def test_an_escaped_invisible_character_in_a_label_is_refused(lesson_dir: Writer) -> None:
    path = lesson_dir("lesson.yaml", LESSON + 'labels:\n  answer_key: "Key \\u200B"\n')
    expected = f"{path}:17:20: error: the text holds an invisible character U+200B"
    assert expected in _errors(path)


def test_a_glyph_no_font_has_written_as_an_escape_is_located(lesson_dir: Writer) -> None:
    path = _lesson(lesson_dir, SUBTITLE=r'"Sign \U00013001"')
    assert f"{path}:2:17: error: no font of the theme has U+13001" in _errors(path)


def test_a_glyph_no_font_has_written_as_a_reference_is_found(lesson_dir: Writer) -> None:
    path = _lesson(lesson_dir, INTRODUCTION="Sign &#x13000; here.")
    assert f"{path}:3:20: error: no font of the theme has U+13000" in _errors(path)


@pytest.mark.parametrize(
    ("field", "line", "column"),
    [("SUBTITLE", 2, 13), ("SECTION", 8, 14), ("TABLE", 11, 12), ("LABEL", 13, 16)],
)
def test_a_bad_formula_in_a_title_or_label_is_a_located_error(
    lesson_dir: Writer, field: str, line: int, column: int
) -> None:
    path = _lesson(lesson_dir, **{field: r"Q $\frac{a}$"})
    expected = f"{path}:{line}:{column}: error: the formula '\\frac{{a}}' cannot be read"
    assert expected in _errors(path)


def test_a_bad_formula_in_a_subject_name_is_a_located_error(lesson_dir: Writer) -> None:
    path = lesson_dir("lesson.yaml", LESSON.replace("  a: A\n", "  a: A $x^$\n"))
    assert f"{path}:5:8: error: the formula 'x^' cannot be read" in _errors(path)


def test_a_formula_over_the_limit_is_refused_quickly(lesson_dir: Writer) -> None:
    path = _lesson(lesson_dir, INTRODUCTION="$" + "x+" * 50_000 + "x$")
    ran = run_here("check", str(path))  # a formula's check once took minutes: now milliseconds
    assert ran.code == 1
    assert f"{path}:3:15: error: the formula starting 'x+x+" in ran.err
    assert f"a formula may have at most {MAX_FORMULA:,}" in ran.err


def test_a_formula_at_the_limit_checks_quickly(lesson_dir: Writer) -> None:
    nested = "{" * 8 + "x+" * ((MAX_FORMULA - 17) // 2) + "x" + "}" * 8
    path = _lesson(lesson_dir, INTRODUCTION=f"${nested}$")
    ran = run_here("check", str(path))  # a formula's check once took minutes: now milliseconds
    assert ran.code == 0, ran.err


def test_a_formula_nested_too_deep_is_refused(lesson_dir: Writer) -> None:
    path = _lesson(lesson_dir, INTRODUCTION="$" + "{" * 30 + "x" + "}" * 30 + "$")
    assert "it nests groups more than 8 deep" in _errors(path)


_PIECES = st.sampled_from(
    [
        "$",
        "$$",
        r"\$",
        "$x$",
        r"$\frac{a}$",
        "$x^$",
        "&#x202E;",
        "&#8203;",
        "&amp;",
        "&ZeroWidthSpace;",
        r"\u202E",
        r"\x07",
        r"\U00013000",
        "\u202e",
        "\u200b",
        "\u0600",
        "\u00ad",
        "\x07",
        "{",
        "}",
        "[a](b)",
        "*",
        "`",
        "\\",
        '"',
        "'",
        "# ",
        "- ",
        "&",
        "x",
        " ",
        "\t",
        "\u2066",
    ]
)
_FIELDS = st.sampled_from(sorted(PLAIN))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FIELDS, st.lists(_PIECES | st.text(max_size=3), min_size=1, max_size=8), st.booleans())
def test_any_text_value_loads_or_gives_located_errors(
    field: str, pieces: list[str], quoted: bool
) -> None:
    value = "".join(pieces)
    written = (
        '"' + value.replace('"', '\\"') + '"' if quoted else "'" + value.replace("'", "''") + "'"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lesson.yaml"
        text = LESSON
        for name, plain in {**PLAIN, field: written}.items():
            text = text.replace(name, plain)
        path.write_text(text, "utf-8", errors="surrogatepass")
        (Path(folder) / "course.yaml").write_text("course: C\nauthor: A\n")
        loaded = load_lessons([path], Bounds(path.parent))
    assert not loaded.crashes, loaded.crashes[0][1].traceback
    assert bool(loaded.lessons) != bool(loaded.errors)
    lines = text.count("\n") + 1
    for error in loaded.errors:
        assert error.where.path == path
        assert 1 <= error.where.line <= lines and error.where.column >= 1, error.report()
