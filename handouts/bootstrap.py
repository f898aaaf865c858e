"""Run the project's commands inside its own virtual environment, made on first use.

Only the standard library is used here: this runs before any dependency is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_DIR = PROJECT_ROOT / ".venv"
STAMP_NAME = "handouts-installed.txt"


def requirements(extras: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Return the pinned requirements for the given extras and the pip constraints."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
    wanted = list(project["project"]["dependencies"])
    for extra in extras:
        wanted += project["project"]["optional-dependencies"][extra]
    constraints = list(project["tool"]["handouts"]["constraints"])
    return wanted, constraints


def _venv_python() -> Path:
    return VENV_DIR / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _fingerprint(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _installed() -> set[str]:
    stamp = VENV_DIR / STAMP_NAME
    return set(stamp.read_text("utf-8").split()) if stamp.exists() else set()


def _install(wanted: list[str], constraints: list[str]) -> None:
    if not _venv_python().exists():
        import venv  # only on the first run: it is slow to import

        print("handouts: creating the project environment in .venv (first run only)", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV_DIR)
    print("handouts: installing pinned dependencies into .venv", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as pins:
        pins.write("\n".join(constraints) + "\n")
    try:
        subprocess.run(
            [str(_venv_python()), "-m", "pip", "install", "-qq", "-c", pins.name, *wanted],
            check=True,
        )
    finally:
        os.unlink(pins.name)
    done = _installed() | {_fingerprint(constraints), *wanted}
    (VENV_DIR / STAMP_NAME).write_text("\n".join(sorted(done)) + "\n", "utf-8")


def ensure(extras: tuple[str, ...] = ()) -> None:
    """Make sure .venv holds the pinned dependencies, then continue inside it.

    Installs only what the stamp file says is missing, so later runs cost nothing.
    Re-executes the current command with the environment's Python when needed.
    """
    wanted, constraints = requirements(extras)
    if not {_fingerprint(constraints), *wanted} <= _installed():
        try:
            _install(wanted, constraints)
        except (OSError, subprocess.CalledProcessError) as error:
            sys.exit(f"handouts: could not install the dependencies into .venv: {error}")
    if Path(sys.prefix).resolve() != VENV_DIR.resolve():
        python = str(_venv_python())
        os.execv(python, [python, *sys.argv])
