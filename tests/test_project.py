"""The project as one object: built from anywhere with -C, used as a library without the
current directory, and every lesson's failure kept to that lesson at every stage."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE, copy_samples, run, run_here

from handouts.cli import main

OTHER = "production-systems"  # the sample lesson that is not broken on purpose
# What names the broken lesson in a stage's arguments: its file, or its title in its HTML.
MARKS = (SAMPLE, "Production and Operations Management")
LANGUAGES = ROOT / "tests" / "data" / "languages"
KINDS = ("handout", "table")


def test_a_project_builds_from_any_folder_with_dash_c(tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "project" / "content").parent
    ran = run("-C", str(project), "build", "-q", "--only", "handout", cwd=Path("/"))
    assert ran.returncode == 0, ran.stderr
    made = sorted(path.name for path in (project / "output").glob("*.pdf"))
    assert made == [f"{OTHER}-handout.pdf", f"{SAMPLE}-handout.pdf"]
    # `check` and a verb-less build take -C too.
    assert run("-C", str(project), "check", "-q", cwd=Path("/")).returncode == 0
    again = run("-C", str(project), "--only", "handout", cwd=Path("/"))
    assert "0 PDF(s) written" not in again.stdout and "2 up to date" in again.stdout


def test_a_program_builds_a_project_with_one_call_and_importing_sets_no_environment(
    tmp_path: Path,
) -> None:
    project = copy_samples(tmp_path / "project" / "content").parent
    script = f"""
import json, os, sys
sys.path.insert(0, {str(ROOT)!r})
from handouts.make.events import Written
from handouts.make.pipeline import make
from handouts.project import BuildOptions, Project
import handouts.cli, handouts.render.pdf, handouts.render.fetcher
untouched = not {{"FONTCONFIG_FILE", "SOURCE_DATE_EPOCH"}} & set(os.environ)
made = make(Project.at(__import__("pathlib").Path({str(project)!r}),
                       options=BuildOptions(outputs=("table",), jobs=1)))
written = sorted(event.job.path.name for event in made.events if isinstance(event, Written))
print(json.dumps([untouched, written, len(made.errors), len(made.crashes), os.getcwd()]))
"""
    fresh = {
        k: v for k, v in os.environ.items() if k not in ("FONTCONFIG_FILE", "SOURCE_DATE_EPOCH")
    }
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd="/", env=fresh, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    untouched, written, errors, crashes, cwd = json.loads(ran.stdout.splitlines()[-1])
    assert untouched, "importing the package wrote fontconfig's or fontTools' environment"
    assert written == [f"{OTHER}-table.pdf", f"{SAMPLE}-table.pdf"]
    assert (errors, crashes, cwd) == (0, 0, "/")
    assert (project / "output" / f"{SAMPLE}-table.pdf").stat().st_size > 10_000


def _breaks_one_lesson(target: str, attribute: str) -> Any:
    """A stand-in for `target.attribute` that raises for the sample lesson only."""
    module = __import__(target, fromlist=[attribute])
    real = getattr(module, attribute)

    def broken(*args: Any, **kwargs: Any) -> Any:
        if any(mark in repr(args) + repr(kwargs) for mark in MARKS):
            raise RuntimeError(f"simulated bug in {attribute}")
        return real(*args, **kwargs)

    return module, broken


STAGES = {
    "load": ("handouts.lesson.loader", "load_lesson"),
    "glyph check": ("handouts.render.glyphs", "missing_glyphs"),
    "derive": ("handouts.derive.deck", "deck"),
    "render": ("handouts.outputs.handout", "Handout.make"),
    "repair": ("handouts.render.tagging", "repaired"),
    "layout check": ("handouts.outputs.kind", "OutputKind.layout_problems"),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_bug_met_in_one_lesson_at_any_stage_stops_only_that_lesson(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, attribute = STAGES[stage]
    if "." in attribute:  # a method: broken for the sample lesson's documents
        owner_name, method = attribute.split(".")
        owner = getattr(__import__(target, fromlist=[owner_name]), owner_name)
        real = getattr(owner, method)

        def broken(self: Any, *args: Any) -> Any:
            if any(SAMPLE in str(getattr(arg, "lesson", "")) for arg in args):
                raise RuntimeError(f"simulated bug in {method}")
            return real(self, *args)

        monkeypatch.setattr(owner, method, broken)
    else:
        module, broken_function = _breaks_one_lesson(target, attribute)
        monkeypatch.setattr(module, attribute, broken_function)
    project = copy_samples(tmp_path / "content").parent
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out, err = io.StringIO(), io.StringIO()
    # --force: every PDF rendered, none taken as another test made it before
    argv = ["-C", str(project), "build", "-j", "1", "--only", ",".join(KINDS), "--force"]
    code = main(argv, stdout=out, stderr=err)
    assert code == 4, err.getvalue()
    # The other lesson is built whole; the broken one's error names it, and the report is
    # in the user's state folder, not in the project or the published output folder.
    made = sorted(path.name for path in (project / "output").glob("*.pdf"))
    assert [name for name in made if name.startswith(OTHER)] == [
        f"{OTHER}-{kind}.pdf" for kind in KINDS
    ]
    assert f"{SAMPLE}.yaml: error: could not make" in err.getvalue()
    assert "simulated bug" in err.getvalue()
    report = (tmp_path / "state" / "handouts" / "crash-report.txt").read_text("utf-8")
    assert "simulated bug" in report and str(project) not in report
    assert not list((project / "output").glob("*.txt"))


def test_a_parallel_build_with_spawned_workers_makes_the_same_pdfs(
    tmp_path: Path, built: Path
) -> None:
    project = copy_samples(tmp_path / "content").parent
    argv = ["-C", str(project), "build", "-q", "-j", "2", "--start-method", "spawn"]
    code = main([*argv, "--only", ",".join(KINDS)])
    assert code == 0
    made = sorted((project / "output").glob("*.pdf"))
    assert len(made) == 2 * len(KINDS)
    for path in made:
        assert path.read_bytes() == (built / path.name).read_bytes(), path.name


def test_a_mistake_in_one_languages_catalog_stops_only_its_lessons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_samples(tmp_path / "content").parent
    shutil.copy(LANGUAGES / "ar.yaml", project / "content" / "ar.yaml")
    (project / "theme" / "strings").mkdir(parents=True)
    (project / "theme" / "strings" / "ar.yaml").write_text('overveiw: "x"\n', "utf-8")
    where = "theme/strings/ar.yaml:1:1: error: unknown string 'overveiw'"
    monkeypatch.chdir("/")
    checked = run_here("-C", str(project), "check")
    assert checked.code == 1
    assert checked.err.count(where) == 1 and "3 lesson(s) checked, 1 error(s)" in checked.out
    built = run_here("-C", str(project), "build", "-q", "--only", "handout")
    assert built.code == 1 and built.err.count(where) == 1
    made = sorted(path.name for path in (project / "output").glob("*.pdf"))
    assert made == [f"{OTHER}-handout.pdf", f"{SAMPLE}-handout.pdf"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_mistake_met_while_a_pdf_is_made_is_located_not_a_crash(
    tmp_path: Path, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # The notes' frame pages are filled only once the deck is rendered, in a worker.
    project = copy_samples(tmp_path / "content").parent
    notes = project / "theme" / "notes.html.j2"
    notes.parent.mkdir()
    text = (ROOT / "templates" / "notes.html.j2").read_text()
    notes.write_text(text.replace("{% block body %}", "{% block body %}{{ nonsense() }}"))
    err = io.StringIO()
    argv = ["-C", str(project), "build", "-j", jobs, "--only", "handout,notes"]
    code = main(argv, stdout=io.StringIO(), stderr=err)
    assert code == 1, err.getvalue()
    line = text[: text.index("{% block body %}")].count("\n") + 1
    assert err.getvalue().count(f"{notes}:{line}:1: error: template error: ") == 1
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "state" / "handouts" / "crash-report.txt").exists()
    made = sorted(path.name for path in (project / "output").glob("*.pdf"))
    assert made == [f"{OTHER}-handout.pdf", f"{SAMPLE}-handout.pdf"]


def test_a_build_with_nothing_to_do_loads_only_what_it_needs(tmp_path: Path) -> None:
    project = copy_samples(tmp_path / "content").parent
    argv = ["-C", str(project), "build", "-q", "--only", "handout"]
    assert main(argv) == 0
    heavy = (
        *("weasyprint", "markdown_it", "ziamath", "multiprocessing", "platformdirs", "jinja2"),
        *("pikepdf", "pypdfium2", "distributed"),
    )
    probe = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from handouts.cli import main; "
        f"code = main({argv!r}); print(code, sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/")
    assert ran.stdout.split() == ["0", "[]"], ran.stdout + ran.stderr
