"""The worksheet's writing space: how many ruled lines a pupil gets for an answer."""

from __future__ import annotations

import math
import re

# Handwriting takes about 2.6 mm a character: a landscape table's cells hold about 80
# handwritten characters a line between them, shared by the columns.
HANDWRITTEN_CHARS_ACROSS = 80
MAX_LINES = 6
LINK_TARGET = re.compile(r"\]\([^)]*\)")
MARKUP = re.compile(r"[*_`\[\]\\]")


def _visible_length(inline: str) -> int:
    """About how many characters inline Markdown shows: no link targets or markers."""
    return len(MARKUP.sub("", LINK_TARGET.sub("", inline)))


def writing_lines(answer: str, columns: int) -> int:
    """Ruled lines for writing `answer` (inline Markdown) by hand in one of `columns` columns."""
    per_line = HANDWRITTEN_CHARS_ACROSS / max(columns, 1)
    return min(MAX_LINES, max(1, math.ceil(_visible_length(answer) / per_line)))
