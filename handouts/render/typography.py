"""How a lesson's language sets its words: the spaces French puts before ; : ! ? and
inside « », as the Imprimerie nationale's rules have them. The quotation marks themselves
are a word of each language's catalog (`quotes`), so a school may change them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NARROW_NO_BREAK = "\u202f"  # before ; ! ? and inside « »
NO_BREAK = "\u00a0"  # before :
# A mark after a word (not after another mark), ending the word: not "10:30" or "http://".
_FRENCH_MARK = re.compile(r"(?<=[^\s;:!?])[ \u00a0\u202f]?([;:!?])(?=\s|$|[;:!?\u202f»)\]])")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")


def french_spacing(text: str) -> str:
    """French text with its no-break spaces before ; : ! ? and inside guillemets."""
    text = _FRENCH_MARK.sub(
        lambda mark: (NO_BREAK if mark[1] == ":" else NARROW_NO_BREAK) + mark[1], text
    )
    text = _OPENING_GUILLEMET.sub("«" + NARROW_NO_BREAK, text)
    return _CLOSING_GUILLEMET.sub(NARROW_NO_BREAK + "»", text)


def spacing(language: str) -> Callable[[str], str] | None:
    """The spacing rule of a language, if it has one of its own."""
    return french_spacing if language.split("-")[0].lower() == "fr" else None
