"""Where the built-in theme is: package data (handouts/templates) when installed, the
project's top-level templates/ folder in a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
BUILTIN_THEME = next(
    folder for folder in (_HERE / "templates", _HERE.parent / "templates") if folder.is_dir()
)
ENGLISH_CATALOG = BUILTIN_THEME / "strings" / "en.yaml"  # every fixed word, in English
