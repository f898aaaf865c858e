"""Where the built-in themes are: package data (handouts/templates) when installed, the
project's top-level templates/ folder in a source checkout.

The default theme is that folder itself. Each other built-in theme is a folder of
templates/themes/ holding only the files it changes; it is searched before the default
theme's folder, as a project's own theme folder is searched before it.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
BUILTIN_THEME = next(
    folder for folder in (_HERE / "templates", _HERE.parent / "templates") if folder.is_dir()
)
ENGLISH_CATALOG = BUILTIN_THEME / "strings" / "en.yaml"  # every fixed word, in English
THEMES = "themes"  # the folder of the default theme that holds the other built-in themes
BUILTIN_THEMES = BUILTIN_THEME / THEMES
DEFAULT_THEME_NAME = "default"


def builtin_theme_names() -> list[str]:
    """The names of the built-in themes, the default first."""
    others = sorted(folder.name for folder in BUILTIN_THEMES.iterdir() if folder.is_dir())
    return [DEFAULT_THEME_NAME, *others]


def builtin_theme(name: str) -> Path | None:
    """The folder of the built-in theme `name` (the default theme's for 'default'), if
    there is one of that name."""
    if name == DEFAULT_THEME_NAME:
        return BUILTIN_THEME
    return BUILTIN_THEMES / name if name in builtin_theme_names() else None


def is_builtin(folder: Path) -> bool:
    """Whether `folder` is the folder of a built-in theme."""
    return folder == BUILTIN_THEME or folder.parent == BUILTIN_THEMES
