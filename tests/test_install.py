"""The package as a user installs it: `pip install .` into a fresh environment outside the
repository gives a `handouts` command that builds a copy of the sample content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, copy_samples

from handouts.bootstrap import LOCK

SOURCES = ("pyproject.toml", "README.md", "handouts", "templates")


def _pins(folder: Path) -> Path:
    """The lock's versions as pip constraints (the lock's hashes stay with the lock)."""
    pins = [line.split()[0] for line in LOCK.read_text().splitlines() if "==" in line]
    path = folder / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the package installed from a copy of its sources. Its
    dependencies are those the test run's environment installed from the lock, seen through
    a .pth file: pip checks the package's requirements against them (any one missing or of
    another version would be installed, and the byte comparison below would tell), and the
    tests need not install them all again (three quarters of the fixture's time)."""
    work = tmp_path_factory.mktemp("install")
    (work / "source").mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, work / "source" / name, ignore=ignore)
        else:
            shutil.copy(ROOT / name, work / "source" / name)
    python = work / "venv" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    (site,) = (work / "venv" / "lib").glob("python*/site-packages")
    (site / "pinned.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile"]
    subprocess.run([*pip, "-c", str(_pins(work)), str(work / "source")], check=True, timeout=600)
    return work / "venv" / "bin"


def _run_on_samples(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """`command` of the installed package run in `folder`, which holds a copy of the sample
    content, as a user runs it (nothing of the repository on its path)."""
    copy_samples(folder / "content")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, env=environment, timeout=300
    )


def test_the_installed_command_builds_a_copy_of_the_content(
    installed: Path, built: Path, tmp_path: Path
) -> None:
    result = _run_on_samples(tmp_path, str(installed / "handouts"), "-q")
    assert result.returncode == 0, result.stderr
    made = sorted((tmp_path / "output").glob("*.pdf"))
    assert [path.name for path in made] == sorted(path.name for path in built.glob("*.pdf"))
    for path in made:  # the same pins make the same bytes
        assert path.read_bytes() == (built / path.name).read_bytes(), path.name


def test_python_dash_m_of_the_installed_package(installed: Path, tmp_path: Path) -> None:
    result = _run_on_samples(tmp_path, str(installed / "python"), "-m", "handouts", "check")
    assert (result.returncode, result.stdout) == (0, "2 lesson(s) checked, 0 error(s)\n")
    module = subprocess.run(
        [str(installed / "python"), "-c", "import handouts; print(handouts.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert not Path(module.stdout.strip()).is_relative_to(ROOT)  # the installed copy


def test_the_wheel_leaves_out_what_serves_a_clone(installed: Path) -> None:
    records = list((installed.parent / "lib").glob("python*/site-packages/handouts-*/RECORD"))
    assert len(records) == 1, records
    files = [line.split(",")[0] for line in records[0].read_text().splitlines()]
    assert "handouts/cli.py" in files
    assert "handouts/templates/handout.html.j2" in files
    assert "handouts/templates/themes/print-saver/css/theme.css" in files  # a built-in theme
    assert not [name for name in files if "bootstrap" in name or name.endswith(".lock")]


def test_the_installed_package_names_its_documentation_and_changelog(installed: Path) -> None:
    metadata = next((installed.parent / "lib").glob("python*/site-packages/handouts-*/METADATA"))
    urls = [line for line in metadata.read_text().splitlines() if line.startswith("Project-URL")]
    assert [url.split(":")[1].split(",")[0].strip() for url in urls] == [
        "Homepage",
        "Documentation",
        "Changelog",
        "Issues",
    ]


PLUGIN = '''
from handouts.outputs.table import Table


class Glance(Table):
    """The comparison table again, under another name: a kind another package adds."""

    name = "glance"
    order = 90
'''
PLUGIN_PROJECT = """
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "handouts-glance"
version = "1.0"

[project.entry-points."handouts.outputs"]
glance = "handouts_glance:Glance"
broken = "handouts_glance:Missing"
"""


def test_an_installed_plugin_adds_an_output_kind(installed: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "plugin"
    (plugin / "handouts_glance").mkdir(parents=True)
    (plugin / "handouts_glance" / "__init__.py").write_text(PLUGIN)
    (plugin / "pyproject.toml").write_text(PLUGIN_PROJECT)
    pip = [str(installed / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-compile", "--no-deps", str(plugin)], check=True, timeout=300)
    try:
        result = _run_on_samples(tmp_path, str(installed / "handouts"), "build", "--only", "glance")
        assert result.returncode == 0, result.stderr
        made = sorted(path.name for path in (tmp_path / "output").glob("*.pdf"))
        assert made == [f"{lesson}-glance.pdf" for lesson in ("production-systems", SAMPLE)]
        # A plug-in entry that does not load is a note; the build goes on.
        assert "the output kind 'broken' of handouts_glance:Missing is left out" in result.stderr
    finally:
        uninstall = [str(installed / "python"), "-m", "pip", "uninstall", "-q", "-y"]
        subprocess.run([*uninstall, "handouts-glance"], check=True)
