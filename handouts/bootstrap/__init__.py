"""Run the project's commands inside its own virtual environment, made on first use.

Only the standard library is used here: this runs before any dependency is installed.
It serves a clone (build.py, tests/run.py), so the wheel leaves it out: it is a package of
its own that pyproject.toml's `packages` does not list.
The environment holds exactly what `requirements.lock` pins (every package, with hashes);
a stamp file records the lock it was made from, so a changed lock installs again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_DIR = PROJECT_ROOT / ".venv"
LOCK = PROJECT_ROOT / "handouts" / "requirements.lock"
STAMP_NAME = "handouts-installed.txt"


def _venv_python() -> Path:
    return VENV_DIR / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def _stamp() -> Path:
    return VENV_DIR / STAMP_NAME


def _is_current() -> bool:
    """True when .venv was installed from the lock as it is now."""
    stamp = _stamp()
    return stamp.is_file() and stamp.read_text("utf-8").strip() == _lock_digest()


def _install() -> None:
    import subprocess  # only when installing: it is slow to import

    if not _venv_python().exists():
        import shutil
        import venv  # only on the first run: it is slow to import

        print("handouts: creating the project environment in .venv (first run only)", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV_DIR)
        except (OSError, subprocess.SubprocessError) as error:
            shutil.rmtree(VENV_DIR, ignore_errors=True)  # the next run starts afresh
            raise ChildProcessError(
                f"{error} (on Debian or Ubuntu, 'apt-get install python3-venv' may be missing)"
            ) from None
    print("handouts: installing the locked dependencies into .venv", flush=True)
    _stamp().unlink(missing_ok=True)  # a failed install must not look finished
    command = [str(_venv_python()), "-m", "pip", "install", "-qq", "--disable-pip-version-check"]
    done = subprocess.run([*command, "--require-hashes", "--no-deps", "-r", str(LOCK)])
    if done.returncode:
        raise ChildProcessError(f"pip exited with code {done.returncode}")
    _stamp().write_text(_lock_digest() + "\n", "utf-8")


def _venv_site_packages() -> Path | None:
    """The environment's site-packages, if this very interpreter made the environment
    (then its packages can be used without starting the environment's Python)."""
    config = VENV_DIR / "pyvenv.cfg"
    try:
        settings = dict(
            line.split("=", 1) for line in config.read_text("utf-8").splitlines() if "=" in line
        )
    except OSError:
        return None
    settings = {key.strip(): value.strip() for key, value in settings.items()}
    made_by = Path(settings.get("executable", Path(settings.get("home", "")) / "python3"))
    same = made_by.exists() and made_by.resolve() == Path(sys.executable).resolve()
    version = ".".join(map(str, sys.version_info[:3]))
    if not same or settings.get("version") != version:
        return None
    if settings.get("include-system-site-packages") != "false":
        return None
    import sysconfig

    relative = Path(sysconfig.get_path("purelib")).relative_to(sys.prefix)
    site_packages = VENV_DIR / relative
    return site_packages if site_packages.is_dir() else None


def ensure(reexecute: bool = False) -> None:
    """Make sure .venv holds the locked dependencies, then continue with them.

    Installs only when the lock changed since the last install, so later runs cost nothing.
    When this interpreter made .venv, its packages are put first on the import path and
    the command goes on in this process (one Python start, not two), unless `reexecute`
    asks for the environment's own Python (the tests, whose subprocesses need it).
    """
    if not _is_current():
        try:
            _install()
        except (OSError, ChildProcessError) as error:
            sys.exit(f"handouts: could not install the dependencies into .venv: {error}")
    if Path(sys.prefix).resolve() == VENV_DIR.resolve():
        return
    site_packages = None if reexecute else _venv_site_packages()
    if site_packages is None:
        python = str(_venv_python())
        os.execv(python, [python, *sys.argv])
    import site

    # As the environment's own Python would: its packages, and not this Python's own.
    outside = {*site.getsitepackages(), site.getusersitepackages()}
    sys.path[:] = [entry for entry in sys.path if entry not in outside]
    sys.path.insert(1, str(site_packages))
    site.addsitedir(str(site_packages))  # its .pth files
