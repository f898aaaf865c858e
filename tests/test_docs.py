"""The documentation: the site builds with `mkdocs build --strict` (no broken link or anchor,
no page left out of the nav), its reference pages are made from the code, its example
lessons pass `check`, and the README stays a short front page."""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from handouts.cli import parser
from handouts.lesson.definition import LESSON

README_MOST_LINES = 150
QUICK_START = ["python3 build.py", "python3 tests/run.py"]
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _build_site(project: Path, site: Path) -> None:
    """`mkdocs build --strict` of the project's mkdocs.yml into `site`, as a maintainer runs it."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _description(name: str) -> str:
    """The description of the lesson's key `name`, from the definition."""
    return next(field.shape.description for field in LESSON.fields if field.name == name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built from the repository."""
    folder = tmp_path_factory.mktemp("site")
    _build_site(ROOT, folder)
    return folder


def test_the_format_reference_is_made_from_the_definition(site: Path) -> None:
    page = (site / "lesson-format" / "index.html").read_text("utf-8")
    for name in ("title", "subtitle", "takeaways"):
        assert f"<code>{name}</code>" in page
        assert html.escape(_description(name), quote=False) in page


def test_the_command_line_page_is_made_from_the_parser(site: Path) -> None:
    page = (site / "command-line" / "index.html").read_text("utf-8")
    verbs = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for verb, command in verbs.choices.items():
        assert f'id="{verb}"' in page
        for action in command._actions:
            if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
                continue
            assert action.help is not None
            assert html.escape(action.help, quote=False) in page, action.help


def test_the_top_level_files_are_pages_of_the_site(site: Path) -> None:
    for name, page in (("CHANGELOG.md", "changelog"), ("SECURITY.md", "security")):
        heading = (ROOT / name).read_text("utf-8").splitlines()[0].removeprefix("# ")
        page_html = (site / page / "index.html").read_text("utf-8")
        assert re.search(f"<h1[^>]*>{re.escape(heading)}<", page_html), name


def test_a_changed_description_changes_the_reference(tmp_path: Path) -> None:
    """Editing a key's description in definition.py is all it takes to change its page."""
    for name in ("mkdocs.yml", "ARCHITECTURE.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("docs", "handouts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=ignore)
    (tmp_path / "templates").symlink_to(ROOT / "templates")
    definition = tmp_path / "handouts" / "lesson" / "definition.py"
    old = _description("subtitle")
    new = "One line under the title, in smaller type."
    assert definition.read_text("utf-8").count(f'"{old}"') == 1
    definition.write_text(definition.read_text("utf-8").replace(f'"{old}"', f'"{new}"'), "utf-8")
    _build_site(tmp_path, tmp_path / "site")
    page = (tmp_path / "site" / "lesson-format" / "index.html").read_text("utf-8")
    assert new in page
    assert old not in page


def _lessons() -> list[tuple[str, str]]:
    """Every example in the README and docs/ that is a lesson: a YAML block with a title and
    sections. Each with the file it is in."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in YAML_BLOCK.findall(path.read_text("utf-8")):
            parsed = yaml.safe_load(block)
            if isinstance(parsed, dict) and {"title", "sections"} <= parsed.keys():
                found.append((path.relative_to(ROOT).as_posix(), block))
    return found


def test_the_lessons_of_the_docs_pass_check(tmp_path: Path) -> None:
    lessons = _lessons()
    assert {name for name, _ in lessons} >= {"README.md", "docs/writing-lessons.md"}
    (tmp_path / "content").mkdir()
    for number, (name, block) in enumerate(lessons):
        stem = name.replace("/", "-").removesuffix(".md")
        (tmp_path / "content" / f"{stem}-{number}.yaml").write_text(block, "utf-8")
    # The installed command's way in: build.py is the same command, with .venv made first.
    command = [sys.executable, "-m", "handouts", "-C", str(tmp_path), "check"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{len(lessons)} lesson(s) checked, 0 error(s)\n"


def test_the_readme_is_short_and_starts_with_the_quick_start() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= README_MOST_LINES
    title, intro, heading, *_ = readme.split("\n\n")
    assert title.startswith("# ") and not intro.startswith("#")
    assert heading == "## Quick start"
    block = readme.split("## Quick start\n\n```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.splitlines()] == QUICK_START
