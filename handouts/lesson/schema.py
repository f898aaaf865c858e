"""The JSON Schema of a lesson, made from `definition`, for editors' completion and checks."""

from __future__ import annotations

from typing import Any

from .checker import RESERVED
from .definition import (
    LESSON,
    SUBJECT_KEY_PATTERN,
    Flag,
    Lines,
    ListOf,
    ListOrPerSubject,
    Number,
    OneOf,
    Record,
    Shape,
    Subjects,
    Text,
    TextOrLines,
)

SCHEMA_FILE = "lesson.schema.json"


def _shape(shape: Shape) -> dict[str, Any]:
    if isinstance(shape, Text):
        schema: dict[str, Any] = {"type": "string", "pattern": shape.pattern or r"\S"}
        return {"description": shape.description, **schema}
    if isinstance(shape, Flag):
        return {"description": shape.description, "type": "boolean"}
    if isinstance(shape, Lines):
        items = {"type": "string", "minLength": 1}
        return {"description": shape.description, "type": "array", "minItems": 1, "items": items}
    if isinstance(shape, Number):
        if shape.whole:
            most = {"maximum": shape.most} if shape.most else {}
            return {"description": shape.description, "type": "integer", "minimum": 1, **most}
        return {"description": shape.description, "type": "number", "exclusiveMinimum": 0}
    if isinstance(shape, OneOf):
        records = [_record(record) for record in shape.records]
        return {"description": shape.description, "type": "object", "oneOf": records}
    if isinstance(shape, ListOf):
        return {
            "description": shape.description,
            "type": "array",
            "minItems": 1,
            "items": _shape(shape.item),
        }
    if isinstance(shape, Subjects):
        return {
            "description": shape.description,
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": SUBJECT_KEY_PATTERN, "not": {"enum": list(RESERVED)}},
            "additionalProperties": _shape(shape.name),
        }
    if isinstance(shape, ListOrPerSubject):
        per_subject = Record(shape.description, (), shape.lines)
        return {
            "description": shape.description,
            "anyOf": [_shape(shape.lines), _shape(per_subject)],
        }
    if isinstance(shape, TextOrLines):
        return {
            "description": shape.description,
            "anyOf": [_shape(shape.text), _shape(shape.lines)],
        }
    return _record(shape)


def _record(record: Record) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "description": record.description,
        "type": "object",
        "properties": {field.name: _shape(field.shape) for field in record.fields},
        # Other keys are the lesson's subject keys, which only the lesson itself names.
        "additionalProperties": _shape(record.per_subject) if record.per_subject else False,
    }
    required = [field.name for field in record.fields if field.required]
    if required:
        schema["required"] = required
    return schema


def lesson_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a lesson file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "handouts lesson",
        **_record(LESSON),
    }
