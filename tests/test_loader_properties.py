"""Whatever a lesson file holds, loading it ends in a valid lesson or located errors."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from conftest import SAMPLE, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.lesson import markdown as markup
from handouts.lesson.definition import LESSON, SECTION
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons

SAMPLE_LINES = (SAMPLES / f"{SAMPLE}.yaml").read_text("utf-8").splitlines()
NASTY = [*":-*&!|>{}[]#'\"\t%@`, \x01", "\n", "  ", "- ", ": ", "<<: ", "&a ", "*a"]
KEYS = [*LESSON.names(), *SECTION.names(), "production", "operations", "rows", "label", "x"]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lesson.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        (Path(folder) / "course.yaml").write_text("course: C\nauthor: A\n")
        loaded = load_lessons([path], Bounds(path.parent))
        assert not loaded.crashes, loaded.crashes[0][1].traceback  # a bug of ours, caught
        assert bool(loaded.lessons) != bool(loaded.errors)
        lines = max(1, len(path.read_bytes().splitlines()))
        for error in loaded.errors:
            assert error.where.path == path
            assert 1 <= error.where.line <= lines + 1 and error.where.column >= 1, error.report()


@st.composite
def mutated_sample(draw: st.DrawFn) -> str:
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "insert":
            column = draw(st.integers(0, len(lines[at])))
            piece = draw(st.sampled_from(NASTY))
            lines[at] = lines[at][:column] + piece + lines[at][column:]
        else:
            lines[at] = " " * draw(st.integers(0, 9)) + lines[at].lstrip()
    return "\n".join(lines) + "\n"


_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=15,
)


@SETTINGS
@given(mutated_sample())
def test_mutated_sample_lessons(text: str) -> None:
    _load(text)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), _values, max_size=8))
def test_random_lesson_shaped_yaml(data: dict) -> None:
    _load(yaml.safe_dump(data, allow_unicode=True))


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_and_text(data: bytes | str) -> None:
    _load(data)


_markdownish = st.text(
    alphabet=st.sampled_from(list("ab c.,:;!?*_-+#>=`~1()&\n\r\x0c\0 \\")), max_size=80
)


@SETTINGS
@given(_markdownish)
def test_the_fast_paragraph_path_agrees_with_the_markdown_parser(text: str) -> None:
    fast = markup._plain_paragraphs(text)
    if fast is not None:
        assert fast == markup._parsed_blocks(text), text
