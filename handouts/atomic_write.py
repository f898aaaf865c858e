"""Stage 4: write files into the output folder atomically, and only when they changed."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write(path: Path, data: bytes) -> bool:
    """Put `data` at `path` through a temporary file and a rename; False if already there.

    A reader, or a build killed half-way, never sees a partly written file.
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # 0o666 less the umask, as for any file the user makes (mkstemp would give 0o600).
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True
