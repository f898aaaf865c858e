"""The theme's colours checked for contrast before anything is printed.

Every colour the stylesheets use is a custom property of the theme's `css/theme.css` (ours,
or a school's copy); a course.yaml's `colors:` are laid over the root's. Each pair that a
reader must tell apart (`pairs.PAIRS`) is checked with WCAG 2.1's contrast ratio: text 4.5:1
(1.4.3), rules and writing lines 3:1 (1.4.11: an office laser drops fainter ones). The paper
is white. A pair below its floor is an error at the declaration of the colour that made it
(a course's colour before the theme's), naming both colours and the ratio.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tinycss2
from tinycss2.ast import AtRule, Declaration, FunctionBlock, Node, QualifiedRule
from tinycss2.color4 import Color
from tinycss2.color5 import parse_color

from ..errors import ContentError, Location
from .pairs import PAIRED_COLOURS, PAIRS, Pair
from .theme import Theme

if TYPE_CHECKING:
    from ..lesson.model import BrandColour

PAPER = "#ffffff"
THEME_CSS = "css/theme.css"
ROOT = (":root", "html")  # selectors of the root element, where the colours are set
_MAX_DEPTH = 16  # var() within var(): deeper is a loop (WeasyPrint drops it)


@dataclass(frozen=True)
class _Declared:
    """A custom property's declaration: its value's tokens, where it is, !important."""

    value: list[Node]
    where: Location
    important: bool
    called: str = ""  # how a message names it: `colors.accent` (a course's), else `--accent`


def _blocks(nodes: list[Node]) -> Iterator[QualifiedRule]:
    """The style rules of a stylesheet, those in @media and @supports too."""
    for node in nodes:
        if isinstance(node, QualifiedRule):
            yield node
        elif isinstance(node, AtRule) and node.lower_at_keyword in ("media", "supports"):
            yield from _blocks(tinycss2.parse_rule_list(node.content or [], True, True))


def _declarations(path: Path) -> dict[str, dict[str, _Declared]]:
    """Each selector's custom properties, as the cascade leaves them: the later declaration
    wins, unless an earlier one is !important. Comments and escapes are read as WeasyPrint
    (tinycss2) reads them; the root's selectors count as one."""
    rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), True, True)
    found: dict[str, dict[str, _Declared]] = {}
    for rule in _blocks(rules):
        selector = " ".join(tinycss2.serialize(rule.prelude).split())
        own = found.setdefault(":root" if selector in ROOT else selector, {})
        for node in tinycss2.parse_blocks_contents(rule.content, True, True):
            if not isinstance(node, Declaration) or not node.name.startswith("--"):
                continue
            where = Location(path, node.source_line, node.source_column)
            earlier = own.get(node.name[2:])
            if earlier is None or node.important or not earlier.important:
                own[node.name[2:]] = _Declared(node.value, where, node.important)
    return found


def _text(value: list[Node], declared: dict[str, _Declared], depth: int = 0) -> str | None:
    """A value as CSS text, each var() replaced by what it refers to (None: it cannot be)."""
    if depth > _MAX_DEPTH:
        return None
    parts = []
    for token in value:
        if isinstance(token, FunctionBlock) and token.lower_name == "var":
            name, _, fallback = tinycss2.serialize(token.arguments).partition(",")
            referred = declared.get(name.strip()[2:])
            if referred is not None:
                part = _text(referred.value, declared, depth + 1)
            else:
                part = fallback.strip() or None
        elif isinstance(token, FunctionBlock):
            inner = _text(token.arguments, declared, depth)
            part = None if inner is None else f"{token.name}({inner})"
        else:
            part = tinycss2.serialize([token])
        if part is None:
            return None
        parts.append(part)
    return "".join(parts).strip()


def opaque_colour(value: str) -> tuple[float, float, float] | None:
    """A value's sRGB channels (0 to 1) if it is an opaque colour as WeasyPrint reads it."""
    colour = parse_color(value)
    if not isinstance(colour, Color) or colour.alpha < 1:
        return None
    red, green, blue = colour.to("srgb").coordinates
    return min(max(red, 0), 1), min(max(green, 0), 1), min(max(blue, 0), 1)


Channels = tuple[float, float, float]


def as_hex(channels: Channels) -> str:
    """An sRGB colour (channels from 0 to 1) as #rrggbb."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)


def relative_luminance(channels: Channels) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour (channels from 0 to 1)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: Channels, second: Channels) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def root_values(theme: Theme, colours: tuple[BrandColour, ...] = ()) -> dict[str, str]:
    """The custom properties the theme's stylesheet sets on the root, a course's `colours`
    over them, by name (`answer`, not `--answer`), each as CSS text with its var()s
    replaced: those that can be (a setting the theme gives the code, such as
    `--print: grayscale`, is read here too)."""
    declared = _laid_over(_declarations(theme.find(THEME_CSS)).get(":root", {}), colours)
    found = {name: _text(value.value, declared) for name, value in declared.items()}
    return {name: text for name, text in found.items() if text is not None}


def root_colours(theme: Theme, colours: tuple[BrandColour, ...] = ()) -> dict[str, str]:
    """The colours of `root_values` that are opaque colours, each as #rrggbb (a drawing
    made here takes one, such as a formula's on the answer key)."""
    found = {}
    for name, text in root_values(theme, colours).items():
        if (channels := opaque_colour(text)) is not None:
            found[name] = as_hex(channels)
    return found


def contrast_problems(
    theme: Theme, colours: tuple[BrandColour, ...] = ()
) -> tuple[ContentError, ...]:
    """Every pair of the theme's colours, with a course's `colours` laid over its root's,
    below its contrast floor, and every colour of a pair that cannot be read, as errors at
    the declaration: the root's colours, and those of each other rule that sets some of
    them (over the root's)."""
    path = theme.find(THEME_CSS)
    found = _declarations(path)
    root = _laid_over(found.pop(":root", {}), colours)
    problems = dict.fromkeys(_problems(path, root))
    for own in found.values():
        if any(pair.colour in own or pair.background in own for pair in PAIRS):
            problems.update(dict.fromkeys(_problems(path, root | own)))
    return tuple(problems)


def _laid_over(
    root: dict[str, _Declared], colours: tuple[BrandColour, ...]
) -> dict[str, _Declared]:
    """The root's colours with a course's over them, as the cascade lays them: the page's
    own style over the theme's stylesheets, unless the theme's is !important."""
    laid = dict(root)
    for colour in colours:
        if colour.name in laid and laid[colour.name].important:
            continue
        value = tinycss2.parse_component_value_list(colour.value)
        laid[colour.name] = _Declared(value, colour.where, False, f"colors.{colour.key}")
    return laid


def _called(name: str, declared: dict[str, _Declared]) -> str:
    """How a message names the colour `name`."""
    found = declared.get(name)
    return found.called if found is not None and found.called else f"--{name}"


def _problems(path: Path, declared: dict[str, _Declared]) -> list[ContentError]:
    """The problems of one set of the colours."""
    problems: list[ContentError] = []
    colours = {"paper": (PAPER, (1.0, 1.0, 1.0))}
    for name in PAIRED_COLOURS:
        if name not in declared:
            where = Location(path, 1, 1)
            hint = f"add `--{name}: #rrggbb;` to :root in {THEME_CSS}"
            problems.append(ContentError(where, f"--{name} is not set", hint))
            continue
        value = _text(declared[name].value, declared)
        if value is None or (channels := opaque_colour(value)) is None:
            shown = value or tinycss2.serialize(declared[name].value).strip()
            problems.append(
                ContentError(
                    declared[name].where,
                    f"{_called(name, declared)} is {shown!r}, not an opaque colour",
                    "write it as #rrggbb",
                )
            )
            continue
        colours[name] = (value, channels)
    for pair in PAIRS:
        if pair.colour not in colours or pair.background not in colours:
            continue
        (shown, colour), (back, background) = colours[pair.colour], colours[pair.background]
        ratio = contrast_ratio(colour, background)
        if ratio < pair.floor:
            problems.append(_faint(pair, ratio, shown, back, declared))
    return problems


def _faint(
    pair: Pair, ratio: float, shown: str, back: str, declared: dict[str, _Declared]
) -> ContentError:
    """The error of a pair below its floor, at the colour that made it: a course's, if
    either is one, else the pair's colour's declaration."""
    colour, background = declared[pair.colour], declared.get(pair.background)
    course_background = background is not None and background.called and not colour.called
    where = background.where if background is not None and course_background else colour.where
    named, on = _called(pair.colour, declared), _called(pair.background, declared)
    if pair.background == "paper":
        on, hint = "the white paper", "choose a darker colour"
    else:
        hint = f"choose colours further apart than {named} and {on}"
    return ContentError(
        where,
        f"{named} {shown} on {on} {back} is {ratio:.2f}:1, below the {pair.floor:g}:1 needed "
        f"for {pair.use}",
        hint,
    )
