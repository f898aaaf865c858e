"""The JSON Schema made from the format definition: current, and agreeing with the checker."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import CONTENT, ROOT, SAMPLES

from handouts.lesson.schema import SCHEMA_FILE, lesson_schema

STRUCTURAL_MISTAKES = [
    "unknown-key",
    "missing-title",
    "string-for-list",
    "number-title",
    "empty-text",
    "top-level-list",
    "bad-language",
]


def test_committed_schema_is_current() -> None:
    committed = json.loads((CONTENT / SCHEMA_FILE).read_text("utf-8"))
    assert committed == lesson_schema(), (
        "refresh it: python3 build.py schema > content/lesson.schema.json"
    )


def test_schema_is_valid_and_accepts_the_sample_lessons() -> None:
    jsonschema.Draft202012Validator.check_schema(lesson_schema())
    validator = jsonschema.Draft202012Validator(lesson_schema())
    for path in SAMPLES.glob("production-*.yaml"):
        lesson = yaml.safe_load(path.read_text("utf-8"))
        assert list(validator.iter_errors(lesson)) == [], path.name


@pytest.mark.parametrize("case", STRUCTURAL_MISTAKES)
def test_schema_rejects_what_the_checker_rejects(case: str) -> None:
    lesson = yaml.safe_load((ROOT / "tests" / "lessons" / "bad" / f"{case}.yaml").read_text())
    if isinstance(lesson, dict):
        lesson |= {"course": "C", "author": "A"}
    assert list(jsonschema.Draft202012Validator(lesson_schema()).iter_errors(lesson)), case
