"""Every character of a lesson must be in a font of its theme: none prints as a box.

Checked at `check` time, without WeasyPrint: the characters the theme's font files cover
are read with fontTools once, and kept in a small file of the user's cache folder, keyed by
the fonts' names, sizes and times (reading them costs a tenth of a second).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import unicodedata
from pathlib import Path

from ..errors import ContentError, Location
from .kept import kept_path, read_kept, write_kept
from .theme import Theme

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
# Characters never drawn with a glyph of their own: spaces, line ends, format controls.
_UNDRAWN = {"Cc", "Cf", "Zl", "Zp", "Zs"}
HINT = (
    "use a font that has it: put its file in the theme's fonts/ folder and name it in "
    "css/fonts.css there (see the README's 'Your school's look')"
)


def _font_files(theme: Theme) -> list[Path]:
    return [
        path
        for name, path in theme.files().items()
        if name.startswith("fonts/") and path.suffix.lower() in FONT_SUFFIXES
    ]


def covered(theme: Theme) -> frozenset[int]:
    """The code points some font of the theme has a glyph for (a build reads them once:
    `BuildCache.covered`)."""
    fonts = _font_files(theme)
    facts = [f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in fonts]
    key = hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]
    store = kept_path(f"glyphs-{key}.json")
    with contextlib.suppress(ValueError, TypeError):  # none kept, or not as we keep it
        if (kept := read_kept(store)) is not None:
            return frozenset(int(point) for point in json.loads(kept))
    from fontTools.ttLib import TTFont  # only when the fonts changed

    points: set[int] = set()
    for path in fonts:
        with TTFont(path, lazy=True) as font:
            points.update(font["cmap"].getBestCmap())
    with contextlib.suppress(OSError):  # kept for next time when the disk allows; not needed
        write_kept(store, json.dumps(sorted(points)).encode())
    return frozenset(points)


def missing_glyphs(files: list[Path], texts: list[str], have: frozenset[int]) -> list[ContentError]:
    """A located error for each character of `texts` that is not among the code points
    `have` (what the theme's fonts cover), at its first place in `files` (the lesson, then
    its course.yaml)."""
    distinct = set("".join(texts))  # each character once: most lessons use fewer than 100
    missing = sorted(
        c for c in distinct if ord(c) not in have and unicodedata.category(c) not in _UNDRAWN
    )
    if not missing:
        return []
    lines = [
        (path, path.read_text("utf-8", errors="replace").splitlines())
        for path in files
        if path.is_file()
    ]
    return [_located(files[0], lines, character) for character in missing]


def _located(default: Path, files: list[tuple[Path, list[str]]], character: str) -> ContentError:
    places = (
        Location(path, number, line.index(character) + 1)
        for path, lines in files
        for number, line in enumerate(lines, 1)
        if character in line
    )
    name = unicodedata.name(character, "UNNAMED CHARACTER")
    return ContentError(
        next(places, Location(default, 1, 1)),
        f"no font of the theme has U+{ord(character):04X} {name} ({character})",
        HINT,
    )
