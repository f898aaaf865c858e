"""Where files kept between runs live (the fonts' coverage, fontconfig's cache, compiled
templates): the user's cache folder, as the platform names it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_cache_path

CACHE_ENV = "HANDOUTS_CACHE_DIR"  # where kept files go instead of the user's cache folder


def kept_path(name: str) -> Path:
    """The path of a file or folder kept between runs (font coverage, fontconfig's cache,
    compiled templates): in this user's cache folder, as the platform names it, or, where
    that cannot be made (a read-only home), in the system's temporary folder."""
    folder = Path(os.environ.get(CACHE_ENV) or user_cache_path("handouts", appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        folder = Path(tempfile.gettempdir()) / f"handouts-{user}"
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder / name
