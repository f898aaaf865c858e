"""A shared theme, a catalog or a lesson's labels can lay out pages and nothing more: every
mistake in them is a located error (exit 1), and `check` finds what it can without building."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE, copy_sample, run_here
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.errors import ContentError, Location
from handouts.lesson.fields import wording_problem
from handouts.render.strings import Strings, WordMisused

LESSON = f"content/{SAMPLE}.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with one sample lesson, the current folder."""
    copy_sample(tmp_path / "content", SAMPLE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _theme_file(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "theme" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path.resolve()


def _build_handout() -> tuple[int, str]:
    ran = run_here(LESSON, "-q", "-o", "output", "--only", "handout")
    return ran.code, ran.err


def _check() -> tuple[int, str]:
    ran = run_here("check", LESSON)
    return ran.code, ran.err


# Attack 1: a theme template reaching Python's internals to run a command or read a file.
REACHING = {
    "cycler's globals run a command": (
        '{{ cycler.__init__.__globals__.os.popen("touch ran").read() }}'
    ),
    "lipsum's globals open a file": (
        "{{ lipsum.__globals__['__builtins__']['open']('/etc/passwd').read() }}"
    ),
    "a word's method's globals": "{{ t.__call__.__globals__['__builtins__'] }}",
    "a class's subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "the template's own context": "{{ self._TemplateReference__context.environment }}",
    "str.format reaching attributes": "{{ '{0.__class__.__mro__}'.format(t) }}",
}


@pytest.mark.parametrize("how", sorted(REACHING))
def test_a_template_cannot_reach_python_and_says_where(project: Path, how: str) -> None:
    path = _theme_file(project, "handout.html.j2", f"<!doctype html>\n{REACHING[how]}\n")
    code, err = _build_handout()
    assert code == 1, err
    assert f"{path}:2:1: error: template error" in err
    assert not (project / "ran").exists()
    assert "root:" not in err
    assert not list(Path("output").glob("*.pdf"))


# Attack 8: mistakes in templates are the template's located errors, never our crash.
BROKEN_TEMPLATES = {
    "a division by zero": ("{{ 1/0 }}", "division by zero"),
    "a template including itself": ('{% include "handout.html.j2" %}', "includes itself"),
    "a name that is not defined": ("{{ nothing_here }}", "'nothing_here' is undefined"),
    "a word asked for without its number": ('{{ t("slide_n") }}', "slide_n"),
    "a huge repeated text": ('{{ "x" * 2000000000 }}', "too large"),
    "a huge % format": ('{{ "%1000000000d" % 1 }}', "too wide"),
    "a huge power": ("{{ 7 ** 4000000000 }}", "too large"),
}


@pytest.mark.parametrize("how", sorted(BROKEN_TEMPLATES))
def test_a_runtime_mistake_in_a_template_is_located_at_its_line(project: Path, how: str) -> None:
    text, message = BROKEN_TEMPLATES[how]
    path = _theme_file(project, "handout.html.j2", f"<!doctype html>\n\n{text}\n")
    code, err = _build_handout()
    assert code == 1, err
    assert f"{path}:3:1: error: template error" in err
    assert message in err
    assert "bug in handouts" not in err


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (b"<p>\n{% if %}\n", 2, "template error: Expected an expression"),
        (b"<p>\n\n<p>caf\xe9</p>\n", 3, "is not UTF-8"),
    ],
    ids=["a syntax error", "bytes that are not UTF-8"],
)
def test_check_compiles_the_theme_templates(
    project: Path, text: bytes, line: int, message: str
) -> None:
    path = _theme_file(project, "_blocks.html.j2", text)
    code, err = _check()
    assert code == 1, err
    assert f"{path}:{line}:" in err
    assert message in err


# Attack 8: format strings of catalogs and labels.
BAD_FORMATS = {
    "a conversion": ("Folie {number!z}", "'!z'"),
    "a repr": ("Folie {number!r}", "'!r'"),
    "a text format": ("Folie {number:s}", "{number:s}"),
    "a huge width": ("Folie {number:>1500000000}", "{number:>1500000000}"),
    "a stray closing brace": ("Folie }", "a stray brace"),
    "a stray opening brace": ("Folie {", "a stray brace"),
    "an attribute": ("Folie {number.real}", "{number.real}"),
    "an item": ("Folie {number[0]}", "{number[0]}"),
    "a field by position": ("Folie {}", "{}"),
    "a nested field": ("Folie {number:{number}}", "{number:{number}}"),
}


@pytest.mark.parametrize("how", sorted(BAD_FORMATS))
def test_a_bad_format_in_a_catalog_is_located_there(project: Path, how: str) -> None:
    text, message = BAD_FORMATS[how]
    path = _theme_file(project, "strings/en.yaml", f'name: "Nom"\nslide_n: "{text}"\n')
    code, err = _check()
    assert code == 1, err
    assert f"{path}:2:1: error: 'slide_n' " in err
    assert message in err


@pytest.mark.parametrize("how", sorted(BAD_FORMATS))
def test_a_bad_format_in_a_lesson_label_is_located_there(project: Path, how: str) -> None:
    text, message = BAD_FORMATS[how]
    lesson = project / LESSON
    lesson.write_text(lesson.read_text() + f'labels:\n  slide_n: "{text}"\n')
    line = len(lesson.read_text().splitlines())
    code, err = _check()
    assert code == 1, err
    assert f"{LESSON}:{line}:" in err
    assert "the label 'slide_n'" in err and message in err


def test_a_page_counter_takes_no_format(project: Path) -> None:
    path = _theme_file(project, "strings/en.yaml", 'page_x_of_y: "Page {page:>3} of {pages}"\n')
    code, err = _check()
    assert code == 1, err
    assert f"{path}:1:1: error: 'page_x_of_y' " in err


def test_a_good_format_is_used(project: Path) -> None:
    _theme_file(project, "strings/en.yaml", 'slide_n: "Folie {number:>3} {{ok}}"\n')
    assert _check() == (0, "")


def test_a_theme_font_that_is_not_a_font_is_located_there(project: Path) -> None:
    path = _theme_file(project, "fonts/School.ttf", b"this is not a font at all\n" * 10)
    code, err = _check()
    assert code == 1, err
    assert f"{path}:1:1: error: this font file cannot be read" in err


WORD = "Folie {number}"
FORMATS = st.text(alphabet="{}!:<>^=+-_,.0123456789 dsrxznumberpage[]", max_size=24)


@settings(max_examples=50, deadline=None)
@given(FORMATS)
def test_any_word_gives_a_text_or_a_located_error(text: str) -> None:
    """Whatever a label or a catalog says, the word is printed or refused with its reason,
    and a printed word is at most a few hundred characters long."""
    problem = wording_problem("the label 'slide_n'", text, WORD)
    if problem is not None:
        assert isinstance(ContentError(Location(Path("l.yaml"), 1, 1), *problem), ContentError)
        return
    words = Strings({"slide_n": text})
    for number in (0, 7, -12345, 10**6):
        try:
            printed = words("slide_n", number=number)
        except WordMisused:
            pytest.fail(f"{text!r} passed the check but cannot be printed")
        assert len(printed) <= 4 * len(text) + 200
