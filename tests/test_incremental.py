"""Regenerating: only what an edit affects is rebuilt; nothing at all when nothing changed."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SAMPLES, copy_samples, run_here, runs_in_fresh_python

from handouts.cli import main
from handouts.lesson.files import Bounds
from handouts.make.manifest import MANIFEST_NAME

# Most tests here build three of the outputs: enough to see what is rebuilt, and quicker.
KINDS = ("handout", "slides", "table")


@pytest.fixture(scope="module")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample content, built once into its output/ folder."""
    folder = tmp_path_factory.mktemp("course")
    copy_samples(folder / "content")
    assert "6 PDF(s) written, 0 up to date" in _build(folder)
    return folder


@pytest.fixture
def course(built_course: Path, tmp_path: Path) -> Path:
    """A project of its own: a copy of the built course, its content and its PDFs (their
    manifest names its lessons relatively, so the copy is up to date as it is)."""
    for folder in ("content", "output"):
        shutil.copytree(built_course / folder, tmp_path / folder)
    return tmp_path


def _build(folder: Path, *args: str) -> str:
    only = ["--only", ",".join(KINDS)] if "--only" not in args else []
    ran = run_here(str(folder / "content"), "-o", str(folder / "output"), *only, *args)
    assert ran.code == 0, ran.out + ran.err
    return ran.out


def _stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (folder / "output").glob("*.pdf")}


def _edit(folder: Path, old: str, new: str) -> None:
    lesson = folder / "content" / f"{SAMPLE}.yaml"
    text = lesson.read_text("utf-8")
    assert old in text
    lesson.write_text(text.replace(old, new), "utf-8")


def test_nothing_changed_nothing_rebuilt(course: Path) -> None:
    before = _stamps(course)
    assert _build(course).startswith("6 up to date, in ")
    assert _stamps(course) == before


def test_an_edit_rebuilds_only_the_outputs_that_show_it(course: Path) -> None:
    before = _stamps(course)
    _edit(course, "In conclusion, there are many", "In conclusion, there are several")
    report = _build(course)
    assert "2 PDF(s) written, 4 up to date" in report
    changed = {name for name, stamp in _stamps(course).items() if before[name] != stamp}
    assert changed == {f"{SAMPLE}-handout.pdf", f"{SAMPLE}-slides.pdf"}
    _edit(course, "label: Focus", "label: Main focus")
    assert "3 PDF(s) written, 3 up to date" in _build(course)


def test_a_changed_or_deleted_pdf_is_made_again(course: Path) -> None:
    (course / "output" / f"{SAMPLE}-table.pdf").write_bytes(b"not the PDF we wrote")
    (course / "output" / f"{SAMPLE}-slides.pdf").unlink()
    assert "2 PDF(s) written, 4 up to date" in _build(course)


def test_force_rebuilds_everything(course: Path) -> None:
    report = _build(course, "--force")
    assert report.count("(unchanged)") == 6 and "6 PDF(s) written, 0 up to date" in report


def test_a_removed_lesson_has_its_pdfs_removed(course: Path) -> None:
    (course / "content" / "production-systems.yaml").unlink()
    report = _build(course)
    for kind in KINDS:
        gone = course / "output" / f"production-systems-{kind}.pdf"
        assert f"removed {gone}: its lesson " in report
        assert not gone.exists()
    assert sorted(p.name for p in (course / "output").glob("*.pdf")) == [
        f"{SAMPLE}-{kind}.pdf" for kind in KINDS
    ]


def test_a_lesson_that_drops_its_table_loses_the_table_pdf(course: Path) -> None:
    lesson = course / "content" / "production-systems.yaml"
    text = lesson.read_text("utf-8")
    lesson.write_text(text[: text.index("comparison:")] + text[text.index("conclusion:") :])
    assert "production-systems.yaml gives no table any more" in _build(course)
    assert not (course / "output" / "production-systems-table.pdf").exists()


def test_a_build_with_nothing_to_do_does_not_load_weasyprint(course: Path) -> None:
    argv = [str(course / "content"), "-q", "--only", ",".join(KINDS), "-o", str(course / "output")]
    assert runs_in_fresh_python(argv) == ([0], False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pdf_that_fails_to_render_is_a_bug_with_its_traceback_in_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from handouts.render.pdf import Renderer

    real = Renderer.lay_out

    def fail_on_slides(
        self: Renderer, html: str, stylesheets: tuple[str, ...], *rest: str
    ) -> object:
        if "slides.css" in stylesheets:
            raise RuntimeError("simulated layout failure")
        return real(self, html, stylesheets, *rest)

    monkeypatch.setattr(Renderer, "lay_out", fail_on_slides)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out, err = io.StringIO(), io.StringIO()
    shutil.copytree(SAMPLES, tmp_path / "content")
    lesson = tmp_path / "content" / f"{SAMPLE}.yaml"
    # --force: every PDF rendered, none taken as another test made it before
    argv = ["-C", str(tmp_path), str(lesson), "-j", jobs, "-o", "output", "--force"]
    code = main(argv, stdout=out, stderr=err)
    assert code == 4
    output = tmp_path / "output"
    slides = output / f"{SAMPLE}-slides.pdf"
    assert f"{lesson}: error: could not make {slides}: RuntimeError: simulated layout failure" in (
        err.getvalue()
    )
    assert f"could not make {output / f'{SAMPLE}-notes.pdf'}" in err.getvalue()  # shows slides
    # The report goes to the user's state folder, not the project or the published output
    # folder, and names no folder outside the project (the Python installation's are
    # '<python>').
    report = tmp_path / "state" / "handouts" / "crash-report.txt"
    assert f"this is a bug in handouts, not in your lessons: the details are in {report}" in (
        err.getvalue()
    )
    told = report.read_text()
    assert "Traceback (most recent call last)" in told
    assert 'raise RuntimeError("simulated layout failure")' in told
    assert str(tmp_path) not in told and sys.prefix not in told
    assert not list(output.glob("*.txt"))
    assert sorted(p.name for p in output.glob("*.pdf")) == [
        f"{SAMPLE}-{kind}.pdf" for kind in ("answers", "handout", "table", "worksheet")
    ]


def test_a_tampered_manifest_never_removes_files_outside_the_output(course: Path) -> None:
    # End to end; test_manifest.py reads many more broken manifests, without building.
    victim = course / "victim.txt"
    victim.write_text("keep me")
    record = {"key": "k", "digest": "d", "source": str(course / "gone.yaml"), "pages": 1}
    tampered = {"../victim.txt": record, "x.pdf": {"source": None}}
    (course / "output" / MANIFEST_NAME).write_text(json.dumps(tampered))
    assert "6 PDF(s) written" in _build(course)  # nothing it trusts: everything made again
    assert victim.read_text() == "keep me"


def test_a_broken_template_of_a_project_theme_is_reported_at_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handout = tmp_path / "theme" / "handout.html.j2"
    handout.parent.mkdir()
    handout.write_text((ROOT / "templates" / "handout.html.j2").read_text() + "{% if %}\n")
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    code = main([str(SAMPLES), "-o", str(tmp_path / "out")], stdout=io.StringIO(), stderr=err)
    assert code == 1
    lines = len(handout.read_text().splitlines())
    assert f"{handout.resolve()}:{lines}:1: error: template error: " in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists()


def test_every_output_is_rebuilt_exactly_when_what_it_shows_changes(course: Path) -> None:
    everything = ["--only", "handout,slides,notes,table,worksheet,answers"]
    assert "6 PDF(s) written, 6 up to date" in _build(course, *everything)
    before = _stamps(course)
    _edit(course, "In conclusion, there are many", "In conclusion, there are several")
    assert "3 PDF(s) written, 9 up to date" in _build(course, *everything)
    _edit(course, "label: Focus", "label: Main focus")
    assert "6 PDF(s) written, 6 up to date" in _build(course, *everything)
    changed = {name for name, stamp in _stamps(course).items() if before[name] != stamp}
    unchanged = {"handout", "slides", "notes", "table", "worksheet", "answers"} - {
        name.removeprefix(f"{SAMPLE}-").removesuffix(".pdf") for name in changed
    }
    assert unchanged == set()
    assert "2 PDF(s) written, 10 up to date" in _build(
        course, *everything, "--slides-per-page", "6"
    )


def test_another_paper_rebuilds_what_it_changes_without_force(course: Path) -> None:
    # The deck's slides have their own size: only the handouts and tables change.
    assert "4 PDF(s) written, 2 up to date" in _build(course, "--paper", "letter")
    assert _build(course, "--paper", "letter").startswith("6 up to date")


def test_an_edit_that_changes_no_pdf_leaves_the_lesson_unread_next_time(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handouts.lesson import loader

    read: list[str] = []
    real = loader.load_lessons

    def counting(paths: list[Path], bounds: Bounds, workers: int = 1) -> object:
        read.extend(path.name for path in paths)
        return real(paths, bounds, workers)

    monkeypatch.setattr(loader, "load_lessons", counting)
    _edit(course, "sections:", "# a comment of the teacher's\nsections:")
    assert _build(course).startswith("6 up to date")  # read, and found to change no PDF
    assert read == [f"{SAMPLE}.yaml"]
    read.clear()
    assert _build(course).startswith("6 up to date")
    assert read == []  # nothing read at all: every file is as the manifest says


def _pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "output").glob("*.pdf"))}


def test_a_moved_project_keeps_its_pdfs_and_a_copy_removes_only_its_own(course: Path) -> None:
    manifest = (course / "output" / MANIFEST_NAME).read_text()
    assert str(course) not in manifest  # no home folder in a published output folder
    before = _pdfs(course)
    moved = course.parent / f"{course.name}-moved"
    course.rename(moved)
    assert _build(moved).startswith("6 up to date")  # nothing removed, nothing rebuilt
    _edit(moved, "sections:", "sectoins:")  # a mistake in the moved project
    ran = run_here(str(moved / "content"), "-o", str(moved / "output"), "--only", ",".join(KINDS))
    assert ran.code == 1
    assert "removed" not in ran.out and "their earlier PDFs are left as they were" in ran.err
    assert _pdfs(moved) == before

    copy = moved.parent / f"{course.name}-copy"
    shutil.copytree(moved, copy)
    _edit(copy, "sectoins:", "sections:")
    (copy / "content" / "production-systems.yaml").unlink()
    report = _build(copy, "--only", "table")
    gone = copy / "output" / "production-systems-table.pdf"
    assert f"removed {gone}: its lesson {copy / 'content' / 'production-systems.yaml'} is gone" in (
        report
    )
    assert not gone.exists()
    assert _pdfs(moved) == before  # the original project is untouched


def test_letting_a_slide_continue_changes_what_the_deck_is_made_from(tmp_path: Path) -> None:
    # `continue: true` changes only how the deck is fitted: the planned pages must say so,
    # or removing it would leave the split deck "up to date" and its overflow unreported.
    from handouts.make.pipeline import load, plan
    from handouts.project import BuildOptions, Project

    lesson = copy_samples(tmp_path / "content") / f"{SAMPLE}.yaml"
    keys = []
    for text in (lesson.read_text(), _with_continue(lesson.read_text())):
        lesson.write_text(text)
        project = Project.at(tmp_path, options=BuildOptions(outputs=("slides",), jobs=1))
        loaded = load(project)
        jobs = [job for job in plan(loaded.lessons, project) if job.path.stem.startswith(SAMPLE)]
        keys.append(jobs[0].key)
    assert keys[0] != keys[1]


def _with_continue(text: str) -> str:
    """The lesson with its first section allowed to continue."""
    head, sections, rest = text.partition("sections:\n")
    first, title, after = rest.partition("title:")
    return head + sections + first + title + after.replace("\n", "\n    continue: true\n", 1)
