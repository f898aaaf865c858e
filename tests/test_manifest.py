"""The manifest of an output folder, on files written here: what it trusts, what it ignores.

Fast unit tests of `Manifest`; test_incremental.py builds for real, with one tampered
manifest end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts.make import manifest as manifest_module
from handouts.make.manifest import MANIFEST_NAME, Manifest, Record, fingerprint
from handouts.render.theme import Theme, theme_digest

GOOD = {"key": "k", "digest": "d", "source": "../content/a.yaml", "pages": 1}


def _pdf(folder: Path, name: str = "a.pdf", data: bytes = b"%PDF-1.7 a") -> Path:
    """A PDF recorded in the manifest of `folder`, as a build leaves it."""
    pdf = folder / name
    pdf.write_bytes(data)
    manifest = Manifest(folder)
    manifest.record(pdf, data, Record("key1", "", manifest.relative(folder / "a.yaml"), 1))
    manifest.save()
    return pdf


def _write(folder: Path, text: str) -> Manifest:
    """The manifest of `folder` after its file was given `text`."""
    (folder / MANIFEST_NAME).write_text(text, "utf-8")
    return Manifest(folder)


def test_a_recorded_pdf_is_current_until_it_changes_or_goes(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path)
    again = Manifest(tmp_path)
    assert again.is_current(pdf) and again.is_current(pdf, "key1")
    assert not again.is_current(pdf, "key2")  # made from other inputs
    pdf.write_bytes(b"%PDF-1.7 edited by hand")
    assert not Manifest(tmp_path).is_current(pdf, "key1")
    pdf.unlink()
    assert not Manifest(tmp_path).is_current(pdf, "key1")


@pytest.mark.parametrize(
    "text", ["{not json", "", '{"a.pdf": {"key": "k"', "[]", "null", '"text"', "1"]
)
def test_an_unreadable_manifest_trusts_nothing(tmp_path: Path, text: str) -> None:
    pdf = _pdf(tmp_path)
    manifest = _write(tmp_path, text)
    assert manifest.records == {}
    assert not manifest.is_current(pdf, "key1")


def test_a_manifest_that_is_not_utf8_trusts_nothing(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(b'{"a.pdf": {"key": "\xff"}}')
    assert Manifest(tmp_path).records == {}


def test_malformed_records_are_dropped_and_the_others_kept(tmp_path: Path) -> None:
    records = {
        "good.pdf": GOOD,
        "older.pdf": GOOD | {"stamp": "s", "theme": ["../theme"]},  # fields added later
        "missing-key.pdf": {k: v for k, v in GOOD.items() if k != "key"},
        "missing-pages.pdf": {k: v for k, v in GOOD.items() if k != "pages"},
        "unknown-field.pdf": GOOD | {"colour": "red"},
        "number-key.pdf": GOOD | {"key": 1},
        "no-source.pdf": GOOD | {"source": None},
        "theme-text.pdf": GOOD | {"theme": "../theme"},
        "gives-numbers.pdf": GOOD | {"gives": [1, 2]},
        "not-a-mapping.pdf": ["k", "d"],
        "../outside.pdf": GOOD,
        "sub/inside.pdf": GOOD,
        "notes.txt": GOOD,
    }
    manifest = _write(tmp_path, json.dumps(records))
    assert sorted(manifest.records) == ["good.pdf", "older.pdf"]
    assert manifest.records["older.pdf"].theme == ("../theme",)  # lists read as tuples
    assert manifest.records["good.pdf"] == Record("k", "d", "../content/a.yaml", 1)


def test_a_manifest_of_another_version_makes_no_pdf_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = theme_digest(Theme())
    now = fingerprint(("handout",), "<p>Hi</p>", theme)
    monkeypatch.setattr(manifest_module, "tool_digest", lambda: "another version")
    then = fingerprint(("handout",), "<p>Hi</p>", theme)
    assert then != now
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    written = Manifest(tmp_path)
    written.record(pdf, b"%PDF", Record(then, "", "a.yaml", 1))
    written.save()
    assert not Manifest(tmp_path).is_current(pdf, now)


def test_saving_keeps_what_another_build_saved_meanwhile(tmp_path: Path) -> None:
    first, second = Manifest(tmp_path), Manifest(tmp_path)
    for manifest, name in ((first, "a.pdf"), (second, "b.pdf")):
        (tmp_path / name).write_bytes(name.encode())
        manifest.record(tmp_path / name, name.encode(), Record("k", "", "x.yaml", 1))
    first.save()
    second.save()
    assert sorted(Manifest(tmp_path).records) == ["a.pdf", "b.pdf"]
    first.forget(tmp_path / "a.pdf")
    first.save()
    assert sorted(Manifest(tmp_path).records) == ["b.pdf"]


def test_records_name_lessons_relative_to_the_output_folder(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    manifest = Manifest(output)
    lesson = tmp_path / "content" / "a.yaml"
    assert manifest.relative(lesson) == "../content/a.yaml"
    assert manifest.resolve("../content/a.yaml") == lesson.resolve()
    manifest.record(output / "a.pdf", b"%PDF", Record("k", "", manifest.relative(lesson), 1))
    assert list(manifest.of_lesson(lesson)) == ["a.pdf"]
