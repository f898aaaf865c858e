"""The theme's colours checked for contrast before anything is printed.

Every colour the stylesheets use is a custom property of the theme's `css/theme.css` (ours,
or a school's copy). Each pair that a reader must tell apart is checked with WCAG 2.1's
contrast ratio: text 4.5:1 (1.4.3), rules and writing lines 3:1 (1.4.11: an office laser
drops fainter ones). The paper is white. A pair below its floor is an error at the
property's declaration, naming both colours and the ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageColor

from ..errors import ContentError, Location
from .theme import Theme

TEXT, GRAPHIC = 4.5, 3.0
PAPER = "#ffffff"
THEME_CSS = "css/theme.css"


@dataclass(frozen=True)
class Pair:
    """A colour (a custom property) seen against another (a property, or the paper)."""

    colour: str
    background: str
    floor: float
    use: str


PAIRS = (
    Pair("ink", "paper", TEXT, "body text"),
    Pair("muted", "paper", TEXT, "secondary text (authors, captions, page numbers)"),
    Pair("accent", "paper", TEXT, "headings and links"),
    Pair("ink", "accent-soft", TEXT, "the introduction's text on its tint"),
    Pair("accent", "accent-soft", TEXT, "the introduction's heading on its tint"),
    Pair("on-accent", "accent", TEXT, "text on the accent: table headers, the title slide"),
    Pair("on-accent-muted", "accent", TEXT, "the title slide's course and author"),
    Pair("answer", "paper", TEXT, "the answer key's answers"),
    Pair("rule", "paper", GRAPHIC, "table rules, frames and writing lines"),
)
_DECLARATION = re.compile(r"--([a-z][a-z0-9-]*)\s*:\s*([^;}]*)")


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a CSS colour (#rrggbb, a name, rgb(), hsl())."""
    channels = [value / 255 for value in ImageColor.getrgb(colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _declarations(path: Path) -> dict[str, tuple[str, Location]]:
    """Each custom property declared in a stylesheet: its value and where it is."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in _DECLARATION.finditer(line):
            found[match[1]] = (match[2].strip(), Location(path, number, match.start() + 1))
    return found


def _colour(value: str) -> str | None:
    """A property's value if it is an opaque CSS colour (Pillow reads CSS's forms), else None."""
    try:
        channels = ImageColor.getrgb(value)
    except ValueError:
        return None
    return value if len(channels) == 3 or channels[3] == 255 else None


def contrast_problems(theme: Theme) -> tuple[ContentError, ...]:
    """Every pair of the theme's colours below its contrast floor, and every colour of a
    pair that cannot be read, as errors at the declaration."""
    path = theme.find(THEME_CSS)
    declared = _declarations(path)
    problems: list[ContentError] = []
    colours = {"paper": PAPER}
    for name in dict.fromkeys(name for pair in PAIRS for name in (pair.colour, pair.background)):
        if name == "paper":
            continue
        if name not in declared:
            where = Location(path, 1, 1)
            hint = f"add `--{name}: #rrggbb;` to :root in {THEME_CSS}"
            problems.append(ContentError(where, f"--{name} is not set", hint))
            continue
        value, where = declared[name]
        if (colour := _colour(value)) is None:
            problems.append(
                ContentError(
                    where, f"--{name} is {value!r}, not an opaque colour", "write it as #rrggbb"
                )
            )
            continue
        colours[name] = colour
    for pair in PAIRS:
        if pair.colour not in colours or pair.background not in colours:
            continue
        ratio = contrast_ratio(colours[pair.colour], colours[pair.background])
        if ratio < pair.floor:
            on = "the white paper" if pair.background == "paper" else f"--{pair.background}"
            problems.append(
                ContentError(
                    declared[pair.colour][1],
                    f"--{pair.colour} {colours[pair.colour]} on {on} "
                    f"{colours[pair.background]} is {ratio:.2f}:1, below the {pair.floor:g}:1 "
                    f"needed for {pair.use}",
                    "choose a darker colour"
                    if pair.background == "paper"
                    else "choose "
                    f"colours further apart than --{pair.colour} and --{pair.background}",
                )
            )
    return tuple(problems)
