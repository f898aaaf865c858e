"""build.py run as a teacher runs it: a real subprocess, real files, real exit codes."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SAMPLES, copy_sample, copy_samples, run, run_here


def test_builds_one_lesson_and_reports_each_pdf(tmp_path: Path, built: Path) -> None:
    result = run(str(SAMPLES / f"{SAMPLE}.yaml"), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    shown = (("handout", 2), ("slides", 10), ("notes", 4), ("table", 1), ("worksheet", 2))
    for output, pages in shown:
        path = tmp_path / f"{SAMPLE}-{output}.pdf"
        assert any(line.startswith(f"{path}  {pages} page") for line in lines), result.stdout
        # Another process, the same bytes as the in-process build.
        assert path.read_bytes() == (built / path.name).read_bytes()
    assert lines[-1].startswith("6 PDF(s) written, 0 up to date, in ")
    assert result.stderr == ""


def test_default_builds_content_into_output_of_the_current_folder(tmp_path: Path) -> None:
    copy_sample(tmp_path / "content")
    result = run("--only", "table", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert [p.name for p in (tmp_path / "output").glob("*.pdf")] == ["production-systems-table.pdf"]


def test_help_shows_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and "--paper letter" in result.stdout


def test_unknown_output_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--only", "handout,poster", "-o", str(tmp_path))
    assert result.returncode == 2
    assert (
        "unknown output 'poster'; choose from handout, booklet, slides, notes, presenter, table, "
        "worksheet, answers" in result.stderr
    )
    assert not list(tmp_path.iterdir())


def test_unknown_paper_is_a_usage_error() -> None:
    result = run("--paper", "a5")
    assert result.returncode == 2
    assert "invalid choice: 'a5'" in result.stderr


def test_missing_lesson_file_is_a_usage_error() -> None:
    result = run("content/no-such-lesson.yaml")
    assert result.returncode == 2
    assert "no such file or folder: content/no-such-lesson.yaml" in result.stderr


def test_content_error_is_located_with_no_traceback(tmp_path: Path) -> None:
    lesson = tmp_path / "broken.yaml"
    lesson.write_text("title: A lesson\nauthor: Me\ncourse: C\nintroduction: Hi.\nsectoins: []\n")
    result = run(str(lesson), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        f"{lesson}:5:1: error: unknown key 'sectoins' (did you mean 'sections'?)" in result.stderr
    )
    assert "    sectoins: []\n    ^" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def test_check_validates_without_loading_the_renderers(tmp_path: Path) -> None:
    copy_samples(tmp_path / "content")
    probe = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from handouts.cli import main; "
        "code = main(['check', '-q']); "
        "print(code, sorted(m for m in ('weasyprint', 'jinja2') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 []"


def test_two_builds_at_once_leave_whole_identical_pdfs(tmp_path: Path, built: Path) -> None:
    command = [sys.executable, str(ROOT / "build.py"), str(SAMPLES), "-q", "--only", "table"]
    builds = [
        subprocess.Popen([*command, "-o", str(tmp_path)], cwd=ROOT, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    assert [build.wait(timeout=300) for build in builds] == [0, 0]
    written = sorted(tmp_path.glob("*.pdf"))
    assert [path.name for path in written] == [
        "production-systems-table.pdf",
        "production-vs-operations-table.pdf",
    ]
    for path in written:
        assert path.read_bytes() == (built / path.name).read_bytes()


def test_version_and_python_dash_m() -> None:
    assert run("--version").stdout == "handouts 0.1.0\n"
    result = subprocess.run(
        [sys.executable, "-m", "handouts", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (0, "handouts 0.1.0\n")


def test_verbs_check_and_build_name_the_same_lessons(tmp_path: Path) -> None:
    checked = run("check", str(SAMPLES))
    assert (checked.returncode, checked.stdout) == (0, "2 lesson(s) checked, 0 error(s)\n")
    built = run("build", str(SAMPLES), "--only", "table", "-o", str(tmp_path))
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [
        "production-systems-table.pdf",
        "production-vs-operations-table.pdf",
    ]


def test_new_writes_a_starter_lesson_that_builds_and_never_overwrites(tmp_path: Path) -> None:
    made = run("new", "Photosynthesis: light and water", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    lesson = tmp_path / "content" / "photosynthesis-light-and-water.yaml"
    assert f"wrote {lesson.relative_to(tmp_path)}" in made.stdout
    text = lesson.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=lesson.schema.json\n")
    assert 'title: "Photosynthesis: light and water"' in text
    assert (tmp_path / "content" / "lesson.schema.json").is_file()
    built = run("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert len(list((tmp_path / "output").glob("photosynthesis-light-and-water-*.pdf"))) == 8

    lesson.write_text(text + "# my own edit\n", "utf-8")
    again = run("new", "Photosynthesis: light and water", cwd=tmp_path)
    assert again.returncode == 2
    assert "exists already" in again.stderr
    assert lesson.read_text("utf-8").endswith("# my own edit\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--only", "handout", "--slides-per-page", "6"], "--slides-per-page is for"),
        (["build", "-q", "-v"], "not allowed with argument"),
        (["check", "--force"], "unrecognized arguments: --force"),
        (["watch", "-j", "2"], "watch renders one PDF at a time, as you save: leave out -j"),
        (["schema", "content"], "unrecognized arguments: content"),
    ],
)
def test_options_that_conflict_or_do_not_apply_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run(*args, "-o", str(tmp_path)) if args[0] == "build" else run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not list(tmp_path.iterdir())


def test_an_empty_output_folder_name_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--only", "table", "-o", "", cwd=tmp_path)
    assert result.returncode == 2
    assert "an empty name is no folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_names_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handouts import atomic_write

    def full(path: Path, data: bytes, private: bool = False) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device")  # no file name, as os.write

    monkeypatch.setattr(atomic_write, "write", full)
    # A cache folder of its own: the fonts' coverage cannot be kept either, which no build
    # needs (it is read again next time).
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    ran = run_here(str(SAMPLES / f"{SAMPLE}.yaml"), "--only", "table", "-o", str(tmp_path))
    assert ran.code == 3
    assert f"error: cannot write {tmp_path}: No space left on device" in ran.err
    assert "None" not in ran.err
