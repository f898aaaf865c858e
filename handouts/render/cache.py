"""Where files kept between runs live: the system's temporary folder, one name per user."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_path(name: str) -> Path:
    """The path of a kept file or folder called `name`, this user's own."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"handouts-{user}-{name}"
