"""What the PDF's structure tree must say that WeasyPrint cannot be told, set after it.

WeasyPrint 70 tags the document from its boxes; a pass with pikepdf over its structure tree
then repairs what it leaves out or gets wrong, keeping every element's content:

- A formula is an <img> of its SVG, so WeasyPrint tags it Figure; the Figures whose alt text
  is a formula's are renamed Formula (ISO 32000-1, 14.8.4.5).
- Table cells name their header cells by /ID in /Headers, but no /IDTree maps the IDs to the
  elements (required whenever IDs are used, ISO 32000-1 table 322): one is built.
- A header cell gets its /Scope: Column in the table's head, Row in its body. A header cell
  with no content (the corner above the row labels) is a TD: it heads nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .pictures import FORMULA_CLASS

_FORMULA_ALT = re.compile(rf'<img class="{FORMULA_CLASS}" src="[^"]*" alt="([^"]*)"')


def formula_alts(document: str) -> set[str]:
    """The alt texts of the formulas in an HTML document this tool made."""
    return {html.unescape(alt) for alt in _FORMULA_ALT.findall(document)}


def needs_repair(document: str) -> bool:
    """Whether the PDF of an HTML document this tool made has anything to repair."""
    return "<table" in document or f'class="{FORMULA_CLASS}"' in document


def _elements(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Dictionary, Name | None]]:
    """Every structure element under `root`, parents first, with its parent's type."""
    stack: list[tuple[pikepdf.Object, Name | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = node.get("/S") if node.get("/Type") == Name.StructElem else None
        if kind is not None:
            yield node, parent
        kids = node.get("/K")
        children = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
        stack.extend((child, kind) for child in reversed(children))


def _header_cell(cell: pikepdf.Dictionary, section: Name | None) -> None:
    """A TH with its scope, or a TD when it holds nothing."""
    kids = cell.get("/K")
    if kids is None or (isinstance(kids, Array) and len(kids) == 0):
        cell.S = Name.TD
        return
    attributes = cell.get("/A")
    if not isinstance(attributes, Dictionary):
        attributes = cell.A = Dictionary(O=Name.Table)
    attributes.Scope = Name.Column if section == Name.THead else Name.Row


def repaired(data: bytes, formulas: set[str]) -> bytes:
    """The PDF `data` with its structure tree repaired (see the module's docstring);
    `formulas` are the alt texts of its formulas."""
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        ids: dict[bytes, pikepdf.Dictionary] = {}
        rows: dict[tuple[int, int], Name | None] = {}  # a row's objgen: its table section
        for element, parent in _elements(root):
            kind = element.S
            if kind == Name.Figure and str(element.get("/Alt", "")) in formulas:
                element.S = Name.Formula
            elif kind == Name.TR:
                rows[element.objgen] = parent
            elif kind == Name.TH:
                _header_cell(element, rows.get(element.P.objgen))
            if "/ID" in element:
                ids[bytes(element.ID)] = element
        if ids:
            names = Array()
            for key in sorted(ids):
                names.extend([String(key), ids[key]])
            root.IDTree = Dictionary(Names=names)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
