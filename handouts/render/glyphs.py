"""Every character of a lesson must be in a font of its theme: none prints as a box.

Checked at `check` time, without WeasyPrint: the characters the theme's font files cover
are read with fontTools once, and kept in a small file of the user's cache folder, keyed by
the fonts' names, sizes and times (reading them costs a tenth of a second).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
from pathlib import Path

from ..errors import ContentError, Location
from ..lesson.spelled import decoded, spellings
from .kept import kept_path, read_kept, write_kept
from .theme import Theme

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
# Characters never drawn with a glyph of their own: spaces, line ends, controls, and the
# format characters Unicode lets a renderer ignore (Default_Ignorable_Code_Point). Other
# format characters, such as U+0600 ARABIC NUMBER SIGN, are drawn: a font must have them.
_UNDRAWN = {"Cc", "Zl", "Zp", "Zs"}
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
HINT = (
    "use a font that has it: put its file in the theme's fonts/ folder and name it in "
    "css/fonts.css there (see 'Fonts' in docs/themes.md)"
)


def _font_files(theme: Theme) -> list[Path]:
    return [
        path
        for name, path in theme.files().items()
        if name.startswith("fonts/") and path.suffix.lower() in FONT_SUFFIXES
    ]


def covered(theme: Theme) -> frozenset[int]:
    """The code points some font of the theme has a glyph for (a build reads them once:
    `BuildCache.covered`); a file that is not a font is the theme's located error."""
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
        try:
            with path.open("rb") as file, TTFont(file, lazy=True) as font:
                points.update(font["cmap"].getBestCmap())
        except Exception as error:  # any fault of fontTools parsing foreign bytes
            raise ContentError(
                Location(path, 1, 1),
                f"this font file cannot be read ({type(error).__name__}: {error})",
                "put a TrueType, OpenType or WOFF font in the theme's fonts/, or remove it",
            ) from None
    with contextlib.suppress(OSError):  # kept for next time when the disk allows; not needed
        write_kept(store, json.dumps(sorted(points)).encode())
    return frozenset(points)


def missing_glyphs(files: list[Path], texts: list[str], have: frozenset[int]) -> list[ContentError]:
    """A located error for each character of `texts` (as printed: character references
    read) that is not among the code points `have` (what the theme's fonts cover), at its
    first place in `files` (the lesson, then its course.yaml), however it is written there."""
    distinct = set(decoded("\n".join(texts)))  # each once: most lessons use fewer than 100
    missing = sorted(
        c
        for c in distinct
        if ord(c) not in have
        and unicodedata.category(c) not in _UNDRAWN
        and not _IGNORABLE.match(c)
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
    spelling = spellings(character)
    places = (
        Location(path, number, found.start() + 1)
        for path, lines in files
        for number, line in enumerate(lines, 1)
        if (found := spelling.search(line))
    )
    name = unicodedata.name(character, "UNNAMED CHARACTER")
    return ContentError(
        next(places, Location(default, 1, 1)),
        f"no font of the theme has U+{ord(character):04X} {name} ({character})",
        HINT,
    )
