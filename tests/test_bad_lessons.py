"""A corpus of broken lessons (tests/lessons/bad/, one mistake each) run through build.py.

Each must give exactly its located message; the good lesson beside them must still be
built, and the PDFs a broken lesson had from an earlier build must stay as they were.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run, run_here
from pdf_reader import Pdf

CORPUS = ROOT / "tests" / "lessons"
BAD = "tests/lessons/bad"
EXPECTED = {
    "quiz-no-right-answer": "7:5: error: a multiple-choice question without its right answer "
    "(add 'correct: [...]' naming the right choice, or choices, as written in 'choices')",
    "quiz-duplicate-choice": "8:25: error: the choice 'one' is written twice (it is choice 1 "
    "already: make each choice different)",
    "quiz-blank-not-in-text": "8:14: error: the blank 'operations managers' is not in the "
    "sentence (write each blank as the sentence writes it, letter for letter)",
    "quiz-points-not-positive": "9:13: error: 'points' must be a positive number, not the "
    "number 0 (write a number above 0, e.g. 'points: 2' or 'points: 0.5')",
    "alias": "2:11: error: anchors and aliases (*name) are not allowed in lessons "
    "(write the text out where it is needed)",
    "bidi-override": "2:29: error: the text holds an invisible character U+202E "
    "RIGHT-TO-LEFT OVERRIDE (delete it: it changes how the text around it is shown, unseen "
    "in the source)",
    "bad-language": "3:11: error: 'English' is not a valid language (use 'en' for English)",
    "unknown-language": "3:11: error: 'qq' is not a language code CLDR knows "
    "(use a language code such as en, fr or pt-BR)",
    "deep-nesting": "1:27: error: lists and sets are nested more than 20 levels deep here "
    "(a lesson needs only a few levels; check the brackets and indentation)",
    "duplicate-key": "2:1: error: duplicate key 'title' (it is already set on line 1)",
    "empty-text": "2:15: error: 'introduction' is empty (write the text, or remove the key)",
    "empty": "1:1: error: the file is empty (start with 'title:')",
    "half-compared": "7:5: error: section 'S' compares some subjects but not coffee "
    "(write a part for every subject, or put the text under 'text:')",
    "image": "8:7: error: picture '/etc/hostname' is outside the project "
    "(copy the picture into the project folder; a link out of it is not followed)",
    "figure-no-alt": "8:7: error: picture 'images/box.svg' has no alt text (write what the "
    "picture shows between the brackets, as you would say it to a student who cannot see it: "
    "![Three boxes, input, process and output, joined by arrows](file.svg))",
    "figure-missing": "8:7: error: picture 'images/gone.svg' does not exist (looked for "
    "tests/lessons/bad/images/gone.svg) (name the file relative to the lesson file, "
    "e.g. 'images/diagram.svg')",
    "figure-misspelled": "8:7: error: picture 'images/bax.svg' does not exist (looked for "
    "tests/lessons/bad/images/bax.svg) (did you mean 'images/box.svg'?)",
    "figure-unread-name": "7:13: error: this looks like a picture, but its file name cannot be "
    "read (a space or a bracket in it?) (rename the file, or write its name in angle "
    "brackets: ![what it shows](<my picture.png>))",
    "figure-cell-caption": "12:13: error: picture 'images/box.svg' has a caption, which a "
    "table cell does not show (remove the quoted caption: the row's label and column say "
    "what it is)",
    "figure-svg-copies": "8:7: error: SVG 'images/copies.svg' copies '#a1', which holds "
    "copies itself: such copies of copies can multiply without end, so it is not read "
    "(unlink the clones in the drawing program and save it again; in Inkscape: Edit > Clone "
    "> Unlink Clone)",
    "figure-caption-formula": "8:7: error: in the caption of 'images/box.svg': the formula "
    "'\\frac{a}' cannot be read: a command is missing a group: \\frac{top}{bottom}, "
    "\\sqrt{x}",
    "figure-outside": "8:7: error: picture '../../../../etc/box.svg' is outside the project "
    "(copy the picture into the project folder; a link out of it is not followed)",
    "figure-symlink": "8:7: error: picture 'images/outside.png' is outside the project "
    "(copy the picture into the project folder; a link out of it is not followed)",
    "figure-not-image": "8:7: error: picture 'images/text.png' is not a PNG image "
    "(open it in an image editor and save it again as PNG)",
    "figure-pixels": "8:7: error: picture 'images/huge.png' has more than 40 million pixels "
    "(scale it down: a page needs no more than about 3000 pixels across)",
    "figure-svg-external": "8:7: error: SVG 'images/external.svg' refers to "
    "'file:///etc/passwd' (line 3): a figure may use nothing outside itself (embed what it "
    "shows in the SVG, or export the drawing again as plain SVG)",
    "figure-svg-entity": "8:7: error: SVG 'images/entity.svg' has a DOCTYPE (line 2), which "
    "can define entities: it is not read (delete the <!DOCTYPE ...> part: SVG needs none)",
    "bad-latex": "8:16: error: the formula '\\frac{d}' cannot be read: a command is missing "
    "a group: \\frac{top}{bottom}, \\sqrt{x} (write LaTeX math between dollars, e.g. "
    "$\\frac{a}{b}$; write \\$ for a dollar sign)",
    "latex-double-quoted": "2:15: error: 'introduction' holds the control character U+000C, "
    'made by a backslash in "double quotes" (\\f, \\b, \\a, \\v, \\e ...) (write LaTeX and '
    "other backslashes in 'single quotes', or without quotes)",
    "line-separator": "2:18: error: the file holds the line separator U+2028, which YAML "
    "takes for a line break but most editors do not show (delete it, or put a normal line "
    "break there: it often comes with pasted text)",
    "javascript-link": "3:3: error: link target 'javascript:alert(1)' is not allowed: "
    "use a full http://, https:// or mailto: address",
    "merge-key": "4:5: error: merge keys (<<) are not allowed in lessons "
    "(write the keys out where they are needed)",
    "missing-title": "1:1: error: missing required field 'title' (add 'title: ...')",
    "mixed-labels": "14:7: error: this row has no label, but other rows do "
    "(label every row, or none: rows without labels are numbered)",
    "not-utf8": "1:11: error: the file is not UTF-8 text (save it as UTF-8 in your editor)",
    "number-title": "1:8: error: 'title' must be text, not the number 2024 "
    '(put it in quotes: "2024")',
    "section-table-key": "15:18: error: 'given' names 'cofee', which is not a subject "
    "(did you mean 'coffee'?)",
    "row-cells": "13:7: error: this row has 1 of 2 cells: 'coffee' is missing "
    "(every row needs one cell per subject)",
    "string-for-list": "3:11: error: 'sections' must be a list, not text "
    "(start each item with '- ')",
    "subject-key": "3:3: error: 'Tea' cannot name a subject "
    "(use a short lowercase word other than title, text, summary, continue, slides, figure, "
    "table, notes, label, given)",
    "summary-shape": "11:7: error: 'summary' must give a list per subject here "
    "(write 'summary:' then '<subject>:' and its list)",
    "syntax": "1:8: error: this quoted text has no closing quote "
    "(end it with the same quote mark it starts with)",
    "tabs": "4:1: error: a tab is used for indentation (indent with spaces, not tabs)",
    "top-level-list": "1:1: error: the top level must be a set of 'key: value' lines",
    "unknown-key": "3:1: error: unknown key 'sectoins' (did you mean 'sections'?)",
}
COLLISION = (
    "tests/lessons/spare/good.yaml:1:1: error: another lesson, tests/lessons/good.yaml, "
    "has the same file name (rename one: output files are named after the lesson file)"
)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory):
    """build.py over the whole corpus, with earlier PDFs of one broken lesson in place."""
    output = tmp_path_factory.mktemp("corpus-output")
    earlier = {
        output / f"row-cells-{kind}.pdf": f"earlier {kind}".encode()
        for kind in ("handout", "slides", "table")
    }
    for path, data in earlier.items():
        path.write_bytes(data)
    # The corpus only: other folders of tests/lessons hold lessons that other tests build.
    corpus = ("tests/lessons/good.yaml", BAD, "tests/lessons/spare")
    return run(*corpus, "-o", str(output)), output, earlier


def test_every_case_has_a_file_and_an_expected_message() -> None:
    cases = {path.stem for path in (CORPUS / "bad").glob("*.yaml") if path.stem != "course"}
    assert cases == set(EXPECTED)


def test_each_broken_lesson_gives_exactly_its_located_error(corpus_run) -> None:
    result, _, _ = corpus_run
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    expected = [f"{BAD}/{name}.yaml:{message}" for name, message in EXPECTED.items()]
    assert sorted(errors) == sorted([*expected, COLLISION])
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines()[-1].startswith(f"{len(expected) + 1} error(s) in ")


def test_each_error_shows_its_line_and_a_caret(corpus_run) -> None:
    lines = corpus_run[0].stderr.splitlines()
    at = lines.index(next(line for line in lines if line.startswith(f"{BAD}/unknown-key.yaml")))
    assert lines[at + 1 : at + 3] == ["    sectoins:", "    ^"]


def test_the_good_lesson_is_still_built_and_earlier_pdfs_are_kept(corpus_run) -> None:
    result, output, earlier = corpus_run
    assert sorted(p.name for p in output.glob("good-*.pdf")) == [
        f"good-{kind}.pdf"
        for kind in ("answers", "handout", "notes", "slides", "table", "worksheet")
    ]
    assert "tea comes from the leaves" in Pdf(output / "good-handout.pdf").text()
    for path, data in earlier.items():
        assert path.read_bytes() == data
    assert "6 PDF(s) written, 0 up to date" in result.stdout


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    lesson = tmp_path / "big.yaml"
    shutil.copy(CORPUS / "good.yaml", lesson)
    shutil.copy(CORPUS / "course.yaml", tmp_path)
    result = run_here("check", str(lesson), "--max-bytes", "100")
    assert result.code == 1
    assert f"{lesson}:1:1: error: the file is {lesson.stat().st_size:,} bytes, over the " in (
        result.err
    )
    assert run_here("check", str(lesson), "--max-bytes", "100000").code == 0
