"""What a lesson, a theme or the folders around them can do to a build: never more than a
located error for that one thing, in bounded time."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES, Ran, copy_sample, run_here
from test_watch import Watcher

from handouts.lesson.limits import MAX_MARKS, MAX_ROWS, MAX_WORD

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"
LESSON = "production-systems"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the sample course file and one good lesson."""
    copy_sample(tmp_path / "content", LESSON)
    return tmp_path


def _run_in(folder: Path, *args: str) -> Ran:
    """Run the command in this process as `python build.py ARGS` run in `folder` would."""
    with contextlib.chdir(folder):
        return run_here(*args)


# 11. Entries named like lessons that are not lesson files.


def test_a_symlink_loop_named_like_a_lesson_is_its_own_error(project: Path) -> None:
    (project / "content" / "loop.yaml").symlink_to("loop.yaml")
    checked = _run_in(project, "check")
    assert checked.code == 1, checked.err
    assert "content/loop.yaml:1:1: error: the file is a link that leads nowhere" in checked.err
    assert "Traceback" not in checked.err and "bug" not in checked.err
    built = _run_in(project, "--only", "table")
    assert built.code == 1, built.err
    assert "content/loop.yaml:1:1: error: the file is a link that leads nowhere" in built.err
    assert (project / "output" / f"{LESSON}-table.pdf").is_file()  # the other lesson built


def test_an_output_that_is_a_file_is_a_write_error_without_traceback(project: Path) -> None:
    (project / "content" / "loop.yaml").symlink_to("loop.yaml")
    (project / "output").write_text("not a folder")
    built = _run_in(project, "--only", "table")
    assert built.code == 3, built.err
    assert "cannot write output: it is a file, not a folder" in built.err
    assert "Traceback" not in built.out + built.err and "bug" not in built.err


# 9. The contrast check reads the theme's CSS as WeasyPrint does.


def _theme(project: Path, old: str, new: str) -> Path:
    css = project / "theme" / "css" / "theme.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "templates" / "css" / "theme.css").read_text("utf-8")
    assert old in text
    css.write_text(text.replace(old, new), "utf-8")
    return css


@pytest.mark.parametrize(
    "muted",
    [
        "--muted: #eeeeee; /* --muted: #000000; */",
        "--muted: #eeeeee; } /* :root { --muted: #000000; } */ :root {",
        "--grey: #eeeeee; --muted: var(--grey);",
        "--mu\\74 ed: #eeeeee;",
        "--muted: #000000; } :root { --muted: #eeeeee;",  # the later one wins
    ],
    ids=["comment", "commented rule", "var", "escape", "later rule"],
)
def test_the_contrast_check_sees_the_colour_weasyprint_uses(project: Path, muted: str) -> None:
    _theme(project, "--muted: #5b6675;", muted)
    checked = _run_in(project, "check")
    assert checked.code == 1, checked.err
    assert "theme/css/theme.css:" in checked.err
    assert "error: --muted #eeeeee on the white paper #ffffff is 1.16:1" in checked.err


def test_a_faint_colour_in_a_comment_alone_is_no_error(project: Path) -> None:
    _theme(project, "--muted: #5b6675;", "--muted: #5b6675; /* --muted: #eeeeee; */")
    checked = _run_in(project, "check")
    assert checked.code == 0, checked.err


# 7. `--only` decides from the lesson, not from the manifest's record of it.


def _without_comparison(text: str) -> str:
    start, end = text.index("comparison:"), text.index("conclusion:")
    return text[:start] + text[end:]


@pytest.fixture(scope="module")
def built_without_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose lesson has no comparison, its handout built."""
    folder = tmp_path_factory.mktemp("built")
    lesson = copy_sample(folder / "content", LESSON)
    lesson.write_text(_without_comparison(lesson.read_text("utf-8")), "utf-8")
    ran = run_here("-C", str(folder), "--only", "handout", "-q")
    assert ran.code == 0, ran.err
    return folder


@pytest.fixture
def no_table(built_without_table: Path, tmp_path: Path) -> Path:
    shutil.copytree(built_without_table, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_only_makes_an_output_the_edited_lesson_now_gives(no_table: Path) -> None:
    shutil.copy(SAMPLES / f"{LESSON}.yaml", no_table / "content")  # its comparison is back
    ran = run_here("-C", str(no_table), "--only", "table")
    assert ran.code == 0, ran.err
    assert (no_table / "output" / f"{LESSON}-table.pdf").is_file()


def test_only_reports_a_mistake_in_an_edited_lesson(no_table: Path) -> None:
    lesson = no_table / "content" / f"{LESSON}.yaml"
    lesson.write_text(lesson.read_text("utf-8") + "bogus_key: 1\n", "utf-8")
    ran = run_here("-C", str(no_table), "--only", "table")
    assert ran.code == 1
    assert "error: unknown key 'bogus_key'" in ran.err


def test_only_sees_a_theme_edit(no_table: Path) -> None:
    _theme(no_table, "--muted: #5b6675;", "--muted: #eeeeee;")
    ran = run_here("-C", str(no_table), "--only", "table")
    assert ran.code == 1
    assert "error: --muted #eeeeee on the white paper #ffffff is 1.16:1" in ran.err


# 10. Watch follows the folder by its path.


def _lesson_with(key: str) -> str:
    return f"title: T\nintroduction: I.\nsections:\n  - title: S\n    text: T.\n{key}: 1\n"


def test_watch_follows_a_content_folder_swapped_by_rename(tmp_path: Path) -> None:
    for folder in ("content", "content.new"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLES / "course.yaml", tmp_path / folder)
    (tmp_path / "content" / "lesson.yaml").write_text(_lesson_with("first_mistake"))
    (tmp_path / "content.new" / "lesson.yaml").write_text(_lesson_with("second_mistake"))
    watcher = Watcher(tmp_path)
    try:
        watcher.wait_for("unknown key 'first_mistake'")
        watcher.wait_for("watching")
        os.rename(tmp_path / "content", tmp_path / "content.old")
        os.rename(tmp_path / "content.new", tmp_path / "content")
        watcher.wait_for("unknown key 'second_mistake'", seconds=30)
        watcher.wait_for("again for changes")
        (tmp_path / "content" / "lesson.yaml").write_text(_lesson_with("third_mistake"))
        watcher.wait_for("unknown key 'third_mistake'", seconds=30)
    finally:
        watcher.kill()
    assert watcher.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(watcher.process.pid, 0)


# 12. Bounded work: limits checked as the lesson is loaded.


def _lesson(text: str = "Some text.", rows: int = 2) -> str:
    table = "".join(f"    - label: R{n}\n      a: x\n      b: y\n" for n in range(rows))
    return (
        "title: T\nsubjects:\n  a: A\n  b: B\nintroduction: I.\nsections:\n  - title: S\n"
        f"    text: |\n      {text}\ncomparison:\n  title: C\n  rows:\n{table}"
    )


@pytest.mark.parametrize(
    ("text", "rows", "where", "message"),
    [
        ("A " + "w" * 200_000, 2, "9:9", f"a word of more than {MAX_WORD} letters"),
        ("e" + "\u0301" * 100_000, 2, "9:7", f"a letter with more than {MAX_MARKS} combining"),
        ("Fine.", 40_000, f"{13 + 3 * MAX_ROWS}:7", f"the comparison has more than {MAX_ROWS}"),
    ],
    ids=["long word", "combining marks", "table rows"],
)
def test_a_lesson_past_a_limit_is_a_located_error(
    tmp_path: Path, text: str, rows: int, where: str, message: str
) -> None:
    copy_sample(tmp_path / "content", LESSON)
    (tmp_path / "content" / "big.yaml").write_text(_lesson(text, rows), "utf-8")
    checked = _run_in(tmp_path, "check", "--max-bytes", "5000000")
    assert checked.code == 1, checked.err
    assert f"content/big.yaml:{where}: error: {message}" in checked.err


def test_a_long_link_or_code_is_within_the_limits(tmp_path: Path) -> None:
    copy_sample(tmp_path / "content", LESSON)
    url = "https://example.org/" + "/".join(["segment"] * 40)
    text = f"See [the notes]({url}) and `{'a.' * 80}`."
    (tmp_path / "content" / "fine.yaml").write_text(_lesson(text), "utf-8")
    checked = _run_in(tmp_path, "check")
    assert checked.code == 0, checked.err


@pytest.mark.parametrize("name", sorted(p.name for p in LANGUAGES.glob("*.yaml")))
def test_lessons_in_many_languages_are_within_the_limits(tmp_path: Path, name: str) -> None:
    from handouts.lesson.limits import past_limits

    text = (LANGUAGES / name).read_text("utf-8")
    assert past_limits(LANGUAGES / name, text.splitlines(), yaml.compose(text)) == []
    german = "text: Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
    assert past_limits(tmp_path / "de.yaml", [german], yaml.compose(german)) == []
