"""Invisible characters that change what a reader sees: bidirectional controls and the like.

"Price is \\u202e$001\\u202c" shows as "Price is 100$": the PDF would say something other
than what a reviewer reads in the source (the "Trojan Source" trick). Such characters are
refused with their place. A right-to-left lesson may use what its text needs: the directional
isolates (U+2066-U+2069) and marks (U+200E, U+200F). Zero-width joiners and non-joiners
(U+200C, U+200D) are always allowed: Persian, the Indic scripts and emoji sequences need them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ContentError, Location
from .languages import is_right_to_left

_ALWAYS_REFUSED = "\u202a-\u202e\u200b\u2060\ufeff\u061c"  # embeddings, overrides, ZWSP...
_RIGHT_TO_LEFT_ONLY = "\u2066-\u2069\u200e\u200f"  # isolates and directional marks
_REFUSED = {
    False: re.compile(f"[{_ALWAYS_REFUSED}{_RIGHT_TO_LEFT_ONLY}]"),
    True: re.compile(f"[{_ALWAYS_REFUSED}]"),
}


def invisible_characters(path: Path, lines: list[str], language: str) -> list[ContentError]:
    """Every refused invisible character of a file, located, for a lesson in `language`."""
    right_to_left = is_right_to_left(language)
    hint = (
        "delete it: right-to-left text may use only the isolates U+2066-U+2069 and the marks "
        "U+200E, U+200F"
        if right_to_left
        else "delete it: it changes how the text around it is shown, unseen in the source"
    )
    found = []
    for number, line in enumerate(lines, start=1):
        for match in _REFUSED[right_to_left].finditer(line):
            character = match.group()
            name = unicodedata.name(character, "FORMAT CHARACTER")
            found.append(
                ContentError(
                    Location(path, number, match.start() + 1),
                    f"the text holds an invisible character U+{ord(character):04X} {name}",
                    hint,
                )
            )
    return found
