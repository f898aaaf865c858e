"""A shared theme, a catalog or a lesson's labels can lay out pages and nothing more: every
mistake in them is a located error (exit 1), and `check` finds what it can without building."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import SAMPLE, copy_sample, run_here
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.errors import ContentError, Location
from handouts.lesson.fields import wording_problem
from handouts.make.events import Refused
from handouts.make.pipeline import load, plan
from handouts.make.workers import Job
from handouts.project import BuildOptions, Project
from handouts.render.sandbox import MAX_HTML
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
    "a huge repeated text": ('{{ "x" * 2000000000 }}', "more than 1,000,000 characters"),
    "a huge % format": ('{{ "%1000000000d" % 1 }}', "too wide"),
    "a huge power": ("{{ 7 ** 4000000000 }}", "too large"),
    # Values that grow without a `*`: each is refused before it is made.
    "a text doubled in a macro": (
        "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ d('x', 64) }}",
        "more than 1,000,000 characters",
    ),
    "a list of one list many times, printed": (
        "{% set r = range(99999)|list %}{% set l = [r, r, r, r, r, r, r, r, r, r, r] %}{{ l }}",
        "more than 1,000,000 characters",
    ),
    "a join with a long separator": (
        '{{ range(99999)|join("x" * 99999) }}',
        "more than 1,000,000 characters",
    ),
    "a replace that grows": (
        '{{ ("a" * 99999)|replace("a", "b" * 99999) }}',
        "more than 1,000,000 characters",
    ),
    "a sum of lists": (
        "{% set r = range(99999)|list %}{{ [r, r, r, r, r, r, r, r, r, r, r]|sum(start=[]) }}",
        "more than 1,000,000 characters",
    ),
    "a batch filled without end": ("{{ [1]|batch(2000000000, 'x')|list }}", "at most 100,000"),
    "a padding method": ('{{ "x".ljust(2000000000) }}', "cannot call .ljust()"),
    "a number squared without end": (
        "{% macro s(n, k) %}{{ s(n * n, k - 1) if k else n }}{% endmacro %}{{ s(7, 40) }}",
        "at most 4096 bits",
    ),
    "a formula made by the template": (
        '{{ formula_block("\\frac{" * 50 ~ "1" ~ "}" * 50) }}',
        "nests groups more than 8 deep",
    ),
    "a formula that is not text": (
        "{{ formula_block(lesson.sections) }}",
        "a formula is its LaTeX, a text, not (",
    ),
    "a picture named by a list": ("{{ picture_src([1]) }}", "no picture named [1]"),
    # Attack 12 in a theme: work without end inside every size limit.
    "loops in loops": (
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        "more than 1,000,000 steps",
    ),
    "loops over a list in loops": (
        "{% set x = range(1200)|list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}",
        "more than 1,000,000 steps",
    ),
    "a macro calling itself twice": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(60) }}",
        "more than 1,000,000 steps",
    ),
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


def test_a_template_that_makes_too_much_html_is_stopped_at_the_limit(project: Path) -> None:
    page = "x" * 100_000
    path = _theme_file(
        project, "handout.html.j2", f"{{% for a in range(999) %}}{page}{{% endfor %}}"
    )
    code, err = _build_handout()
    assert code == 1, err
    assert f"{path}:1:1: error: template error: the template makes more than 50,000,000" in err


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


def test_an_invisible_character_in_a_catalog_word_is_located_there(project: Path) -> None:
    # Attack 3 through a catalog: "Folie" shown as "eiloF" by an override, written as an escape.
    path = _theme_file(project, "strings/en.yaml", 'name: "Nom"\nslide_n: "\\u202eFolie"\n')
    code, err = _check()
    assert code == 1, err
    assert f"{path}:2:1: error: 'slide_n': the text holds an invisible character U+202E" in err


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


# The property: any template a shared theme holds gives the document's HTML or errors
# located in the theme, never our crash, within the sandbox's bounds (sandbox.py): at most
# MAX_STEPS steps (about a second) and values of MAX_MADE, documents of MAX_HTML characters.
_NUMBERS = ("0", "1", "7", "99999", "2000000000", "-3")
_VALUES = (
    "lesson.title", "lesson.sections", "lesson.sections[0]", "lesson.sections[N]",
    "lesson.comparison.rows", "r", "s", "x", "nothing", "1/0", "range(N)", '"ab" * N',
    "2 ** N", '"%5s" % N', "[r, r, r]", "{'a': r}", "lesson.__class__", "(1).to_bytes(N)",
    '"{0}".format(N)', "lesson.title|md", "N|md", "r|md", "r|join(s)", "r|sum(start=[])",
    "s|replace('a', s)", "r|batch(N, s)|list", "r|slice(N)|list", "s ~ s ~ s", "r + r",
    "N * N", "s.ljust(N)", "s.split()", "t('slide_n', number=N)", "t('nothing')",
    "formula_block(s)", "picture_src(s)", "lesson.title|upper|e", "loop.index",
)  # fmt: skip
_PIECES = (
    "{{ V }}", "{% for x in V %}", "{% endfor %}", "{% if V %}", "{% endif %}",
    "{% set r = V %}", "{% set s = V %}", "{% macro m(n) %}{{ m(n) }}{% endmacro %}",
    "{% macro f(n) %}{{ f(n - 1) ~ f(n - 1) if n else V }}{% endmacro %}{{ f(N) }}",
    '{% include "handout.html.j2" %}', "<p>", "{{", "%}", "text ",
)  # fmt: skip
_TEMPLATES = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.sampled_from(_VALUES), st.sampled_from(_NUMBERS)),
    min_size=1,
    max_size=6,
).map(
    lambda parts: (
        "{% set r = [1, 2] %}{% set s = 'a' %}"
        + "".join(piece.replace("V", value).replace("N", number) for piece, value, number in parts)
    )
)
_ROOT = Path(tempfile.mkdtemp(prefix="theme-property-"))
copy_sample(_ROOT / "content", SAMPLE)


@settings(max_examples=60, deadline=None)
@given(_TEMPLATES)
def test_any_template_gives_html_or_errors_located_in_the_theme(text: str) -> None:
    template = _ROOT / "theme" / "handout.html.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text(text, "utf-8")
    project = Project.at(_ROOT, options=BuildOptions(outputs=("handout",), jobs=1))
    loaded = load(project)  # a template Jinja2 cannot read: found as the lesson is checked
    problems = loaded.errors
    if not problems:
        assert not loaded.crashes and len(loaded.lessons) == 1
        (event,) = plan(loaded.lessons, project)
        if isinstance(event, Job):
            assert len(event.html) <= MAX_HTML
            return
        assert isinstance(event, Refused), f"{text!r} gave {event}"
        problems = list(event.problems)
    for problem in problems:
        assert problem.where.path == template.resolve(), (text, problem.report())
        assert problem.message.startswith("template error: ")
