"""Every printed string goes through the glyph check: the teacher's notes, the labels of a
lesson and of its course.yaml, and the theme's own words. A character no theme font has is
a located error of `check` and of the build, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_here
from pdf_reader import Pdf

LESSONS = "tests/lessons/glyphs"
NO_FONT = "error: no font of the theme has"
CASES = {
    "notes": [
        "notes/unprintable-notes.yaml:9:18: " + NO_FONT + " U+8336 CJK UNIFIED IDEOGRAPH-8336",
        "notes/unprintable-notes.yaml:15:17: " + NO_FONT + " U+2605 BLACK STAR",
    ],
    "labels": [
        "labels/course.yaml:4:18: " + NO_FONT + " U+2605 BLACK STAR",
        "labels/unprintable-labels.yaml:3:15: " + NO_FONT + " U+89E3 CJK UNIFIED IDEOGRAPH-89E3",
        "labels/unprintable-labels.yaml:3:16: " + NO_FONT + " U+7B54 CJK UNIFIED IDEOGRAPH-7B54",
    ],
}


def _errors(stderr: str) -> list[str]:
    """Each error line, up to the character's name."""
    return sorted(line.split(" (", 1)[0] for line in stderr.splitlines() if ": error: " in line)


@pytest.mark.parametrize("case", CASES)
def test_an_unprintable_note_or_label_is_a_located_error(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # LESSONS is relative to it
    checked = run_here("check", f"{LESSONS}/{case}")
    assert checked.code == 1, checked.err
    assert _errors(checked.err) == sorted(f"{LESSONS}/{line}" for line in CASES[case])
    built = run_here(f"{LESSONS}/{case}", "-o", str(tmp_path))
    assert built.code == 1
    assert _errors(built.err) == _errors(checked.err)
    assert not list(tmp_path.glob("*.pdf"))


def test_labels_the_fonts_can_print_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # LESSONS is relative to it
    built = run_here(f"{LESSONS}/fine", "-o", str(tmp_path), "--speaker-notes")
    assert built.code == 0, built.err
    answers = Pdf(tmp_path / "printable-labels-answers.pdf").page_text(0).replace(" ", "")
    assert "CORRIGÉ✓" in answers.upper()  # the course's label
    slides = Pdf(tmp_path / "printable-labels-slides.pdf")
    assert any("À retenir →" in slides.page_text(i) for i in range(len(slides)))  # the lesson's
    presenter = Pdf(tmp_path / "printable-labels-presenter.pdf")
    assert any("feuille ✓" in presenter.page_text(i) for i in range(len(presenter)))  # a note


def test_a_word_of_the_theme_catalog_is_checked_unless_a_label_rewords_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / LESSONS / "fine", content)
    catalog = tmp_path / "theme" / "strings" / "fr.yaml"
    catalog.parent.mkdir(parents=True)
    catalog.write_text("name: Nom\nconclusion: 結論\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    checked = run_here("check", "content")
    assert checked.code == 1
    assert _errors(checked.err) == [
        f"{catalog.resolve()}:2:13: {NO_FONT} U+7D50 CJK UNIFIED IDEOGRAPH-7D50",
        f"{catalog.resolve()}:2:14: {NO_FONT} U+8AD6 CJK UNIFIED IDEOGRAPH-8AD6",
    ]
    lesson = content / "printable-labels.yaml"
    lesson.write_text(
        lesson.read_text("utf-8").replace("labels:\n", "labels:\n  conclusion: Conclusion\n"),
        "utf-8",
    )
    assert run_here("check", "content").code == 0
