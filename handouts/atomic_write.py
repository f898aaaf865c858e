"""Stage 4: write files into the output folder atomically, and only when they changed."""

from __future__ import annotations

import os
import re
import secrets
import stat
from pathlib import Path

# The temporary file `write` makes beside `path`: `.NAME.PID.HEX.tmp`.
_TEMPORARY = re.compile(
    r"\.(?P<name>.+\.(?:pdf|json|html|png|txt|xml|zip))\.(?P<pid>\d{1,10})\.[0-9a-f]{8}\.tmp"
)


def write(path: Path, data: bytes, private: bool = False) -> bool:
    """Put `data` at `path` through a temporary file and a rename; False if already there.

    A reader, or a build killed half-way, never sees a partly written file. A `private`
    file is the user's alone (0600); others get 0666 less the umask, as for any file the
    user makes (mkstemp would give 0600).
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = 0o600 if private else 0o666
    try:  # from the file's making: a Ctrl-C just after it still removes it
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def _alive(pid: int) -> bool:
    """Whether a process `pid` runs (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale(folder: Path) -> None:
    """Remove the temporary files `write` left in `folder` when a build was killed: only
    regular files of this user named as `write` names them, whose process is gone."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no folder yet: nothing left
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or _alive(int(match["pid"])):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if stat.S_ISREG(info.st_mode) and ours:
                os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove
