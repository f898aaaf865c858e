"""Right-to-left pages: the stylesheets mirrored, as RTLCSS does for the web.

With `dir="rtl"` on the document, WeasyPrint already runs text, table columns, flex rows
and list markers from the right. What CSS names by physical side does not follow: page
margin boxes (`@bottom-right` holds the page number), `padding-left`, `border-left`,
`text-align: left`, `left: 0`. For a right-to-left document every such `left` and `right`
of the theme's stylesheets and of the document's own <style> is swapped.
"""

from __future__ import annotations

import re

_SIDE = re.compile(r"\b(left|right)\b")
_ROOT_DIRECTION = re.compile(r'<html[^>]*\sdir="rtl"')
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_OTHER = {"left": "right", "right": "left"}


def runs_right_to_left(html: str) -> bool:
    """Whether the document's root element (base.html.j2's <html>) says `dir="rtl"`."""
    return _ROOT_DIRECTION.search(html, 0, 500) is not None


def mirrored(css: str) -> str:
    """CSS with every physical `left` and `right` swapped."""
    return _SIDE.sub(lambda side: _OTHER[side[1]], css)


def with_mirrored_styles(html: str) -> str:
    """The document with its own <style> elements mirrored (its text is left alone)."""
    return _STYLE.sub(lambda style: mirrored(style[0]), html)
