"""What the PDF's structure tree says that WeasyPrint cannot be told: a formula is a Formula.

WeasyPrint tags every <img> as a Figure with its alt text. A formula is an <img> too (its
SVG), so after rendering, the Figure elements whose alt text is a formula's are renamed
Formula (ISO 32000-1, 14.8.4.5), keeping their alt text, bounding box and content.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from io import BytesIO

import pikepdf
from pikepdf import Name

from .pictures import FORMULA_CLASS

_FORMULA_ALT = re.compile(rf'<img class="{FORMULA_CLASS}" src="[^"]*" alt="([^"]*)"')


def formula_alts(document: str) -> set[str]:
    """The alt texts of the formulas in an HTML document this tool made."""
    return {html.unescape(alt) for alt in _FORMULA_ALT.findall(document)}


def _elements(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under `root`, parents first."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/Type") == Name.StructElem:
                yield node
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(reversed(list(kids)))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)


def with_formulas_tagged(data: bytes, alts: set[str]) -> bytes:
    """The PDF `data` with the Figures whose alt text is in `alts` tagged Formula."""
    with pikepdf.open(BytesIO(data)) as pdf:
        for element in _elements(pdf.Root.StructTreeRoot):
            if element.get("/S") == Name.Figure and str(element.get("/Alt", "")) in alts:
                element.S = Name.Formula
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
