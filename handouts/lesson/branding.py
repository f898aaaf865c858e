"""A course.yaml's branding: the school's name, logo, colours and licence, checked.

The logo is checked as a lesson's pictures are (`figures.figure_file`), relative to
course.yaml; each colour is a CSS colour as WeasyPrint reads it. Whether the colours stand
out enough from each other is the contrast check's (`render/contrast.py`): it lays them
over the theme's.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FigureProblem
from .checker import Entry
from .figures import figure_file
from .model import BrandColour, Branding, Logo
from .yaml_source import Source, where

LOGO_KINDS = (".svg", ".png")
LOGO_ALT_HINT = (
    "add 'alt:' saying what the logo shows, e.g. 'alt: Riverside High School crest', or "
    "'decorative: true' if it adds nothing to the text"
)
COLOUR_HINT = "write it as #rrggbb, in quotes (YAML reads # as a comment): accent: '#1f4e79'"


def branding_of(source: Source, entry: Entry, project: Path) -> Branding:
    """The branding a checked course.yaml gives; a logo or colour that may not be printed
    is recorded as a mistake at its line (and left out)."""
    return Branding(
        institution=entry.get("institution") or "",
        term=entry.get("term") or "",
        teacher=entry.get("teacher") or "",
        licence=entry.get("licence") or "",
        logo=_logo(source, entry.get("logo"), project),
        colours=_colours(source, entry.get("colors")),
    )


def _logo(source: Source, entry: Entry | None, project: Path) -> Logo | None:
    """The checked logo (None when absent or wrong)."""
    if not isinstance(entry, Entry) or "file" not in entry.values:
        return None
    written: str = entry.get("file")
    decorative: bool = entry.get("decorative", False)
    alt: str = "" if decorative else entry.get("alt", "")
    failed = len(source.errors)
    if not alt and not decorative:
        source.fail(entry.node, "the logo has no alt text", LOGO_ALT_HINT)
    file_node = entry.nodes["file"]
    if Path(written).suffix.lower() not in LOGO_KINDS:
        source.fail(file_node, f"the logo '{written}' is not an SVG or PNG file", "save it as .svg")
        return None
    try:
        picture = figure_file(written, source.path.parent, project)
    except FigureProblem as problem:
        source.fail(file_node, str(problem), problem.hint)
        return None
    if len(source.errors) > failed:
        return None
    return Logo(written, picture, alt, decorative)


def _colours(source: Source, entry: Entry | None) -> tuple[BrandColour, ...]:
    """The colours given, each a CSS colour (those that are not are recorded)."""
    from ..render.contrast import as_hex, opaque_colour  # tinycss2 reads them as WeasyPrint does

    if not isinstance(entry, Entry):
        return ()
    found = []
    for key, value in entry.values.items():
        node = entry.nodes[key]
        if (channels := opaque_colour(value)) is None:
            source.fail(node, f"colors.{key} is {value!r}, not a colour", COLOUR_HINT)
            continue
        found.append(BrandColour(key, value.strip(), where(source.path, node), as_hex(channels)))
    return tuple(found)
