"""Invisible characters that change what a reader sees: bidirectional controls and the like.

"Price is \\u202e$001\\u202c" shows as "Price is 100$": the PDF would say something other
than what a reviewer reads in the source (the "Trojan Source" trick). Such characters are
refused with their place: typed as they are, or written as a YAML escape ("\\u202E") or a
Markdown character reference (&#x202E;), which put them in the printed text all the same.
A right-to-left lesson may use what its text needs: the directional isolates (U+2066-U+2069)
and marks (U+200E, U+200F). Zero-width joiners and non-joiners
(U+200C, U+200D) are always allowed: Persian, the Indic scripts and emoji sequences need them.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ContentError, Location
from .languages import is_right_to_left
from .spelled import decoded, spellings
from .yaml_source import Source

_ALWAYS_REFUSED = "\u202a-\u202e\u200b\u2060\ufeff\u061c"  # embeddings, overrides, ZWSP...
_RIGHT_TO_LEFT_ONLY = "\u2066-\u2069\u200e\u200f"  # isolates and directional marks
_REFUSED = {
    False: re.compile(f"[{_ALWAYS_REFUSED}{_RIGHT_TO_LEFT_ONLY}]"),
    True: re.compile(f"[{_ALWAYS_REFUSED}]"),
}


def invisible_characters(source: Source, language: str) -> list[ContentError]:
    """Every refused invisible character of a file, typed (in its comments too) or written
    in its text values as an escape or a reference, located where it is written, for a
    lesson in `language`."""
    refused = _REFUSED[is_right_to_left(language)]
    found: dict[Location, ContentError] = {}
    for number, line in enumerate(source.lines, start=1):
        for match in refused.finditer(line):
            place = Location(source.path, number, match.start() + 1)
            found[place] = _refused(place, match.group(), language)
    for node, text in source.texts:
        for character in sorted(set(refused.findall(decoded(text)))):
            places = source.spelled(node, spellings(character)) or [
                Location(source.path, node.start_mark.line + 1, node.start_mark.column + 1)
            ]
            for place in places:
                found.setdefault(place, _refused(place, character, language))
    return sorted(found.values(), key=lambda error: (error.where.line, error.where.column))


def refused_character(text: str, place: Location, language: str) -> ContentError | None:
    """The error of the first refused invisible character of `text`, as YAML read it (a
    word of a catalog, whose file is `place`), else None."""
    found = _REFUSED[is_right_to_left(language)].search(text)
    return _refused(place, found.group(), language) if found else None


def _refused(place: Location, character: str, language: str) -> ContentError:
    """The error of one refused character at `place`."""
    hint = (
        "delete it: right-to-left text may use only the isolates U+2066-U+2069 and the marks "
        "U+200E, U+200F"
        if is_right_to_left(language)
        else "delete it: it changes how the text around it is shown, unseen in the source"
    )
    name = unicodedata.name(character, "FORMAT CHARACTER")
    return ContentError(
        place, f"the text holds an invisible character U+{ord(character):04X} {name}", hint
    )
