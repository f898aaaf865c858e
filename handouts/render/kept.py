"""Where files kept between runs live (the fonts' coverage, fontconfig's configuration,
compiled templates): a folder of this user's own, in the user's cache folder.

Another user of the machine must not choose what a build reads there, so a folder is used
only when this user owns it and no one else may write in it (it is made 0700). When the
cache folder cannot be made (a read-only home) or is not private, a private folder in the
system's temporary folder is used instead, under the same checks; failing those, a new
private folder, for this run only. A kept file is trusted only as this user wrote it: a
regular file, private, its checksum matching (`read_kept`).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .. import atomic_write

CACHE_ENV = "HANDOUTS_CACHE_DIR"  # where kept files go instead of the user's cache folder
MAX_KEPT_BYTES = 16_000_000  # a kept file larger than this is not ours: it is made again
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def _user() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def is_private(info: os.stat_result) -> bool:
    """Whether a file or folder (as `os.lstat` saw it) is this user's, and no one else may
    write to it."""
    ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return ours and not info.st_mode & _OTHERS_WRITE


def private_folder(folder: Path) -> bool:
    """Make `folder` (0700) unless it exists; whether it is a private folder of this user's
    (a link to one is followed only when the link is this user's too)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        link, info = folder.lstat(), folder.stat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and is_private(info) and is_private(link)


@functools.cache
def _fresh_folder() -> Path:
    """A new private folder for this run, removed at its end."""
    folder = Path(tempfile.mkdtemp(prefix=f"handouts-{_user()}-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def kept_folder() -> Path:
    """The private folder kept files go in (see the module's docstring)."""
    from platformdirs import user_cache_path  # only when a file is kept or read

    chosen = Path(os.environ.get(CACHE_ENV) or user_cache_path("handouts", appauthor=False))
    for folder in (chosen, Path(tempfile.gettempdir()) / f"handouts-{_user()}"):
        if private_folder(folder):
            return folder
    return _fresh_folder()


def kept_path(name: str) -> Path:
    """The path of a file or folder kept between runs, in `kept_folder()`."""
    return kept_folder() / name


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest().encode()


def read_kept(path: Path) -> bytes | None:
    """The bytes `write_kept` put in `path`, or None when it holds anything else (none
    yet, a link, a file another user may write, a wrong checksum): made again then."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or not is_private(info):
            return None
        if info.st_size > MAX_KEPT_BYTES:
            return None
        checksum, _, data = file.read(MAX_KEPT_BYTES).partition(b"\n")
    return data if checksum == _checksum(data) else None


def write_kept(path: Path, data: bytes) -> None:
    """Keep `data` in `path` with its checksum, for `read_kept` (raises OSError)."""
    atomic_write.write(path, _checksum(data) + b"\n" + data, private=True)
