"""Accessibility checks read from a PDF's structure tree (PDF/UA-1, ISO 32000-1 14.8).

Each check returns the problems it finds, as sentences; none means it passes. The tests run
them on every output of the samples and of a lesson with pictures and formulas, and show
each one failing on a PDF that breaks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf

Check = Callable[[pikepdf.Pdf], list[str]]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element of the document, parents first."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/Type") == "/StructElem":
            yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif kids is not None:
            stack.append(kids)


def _id_tree(pdf: pikepdf.Pdf) -> set[bytes]:
    """The IDs the structure tree root's /IDTree maps (a flat name tree, or its kids)."""
    tree = pdf.Root.StructTreeRoot.get("/IDTree")
    found: set[bytes] = set()
    nodes = [tree] if tree is not None else []
    while nodes:
        node = nodes.pop()
        names = list(node.get("/Names", []))
        found |= {bytes(key) for key in names[0::2]}
        nodes.extend(node.get("/Kids", []))
    return found


def ids_resolve(pdf: pikepdf.Pdf) -> list[str]:
    """Whenever an element has an /ID, the /IDTree maps it; every cell's /Headers is one."""
    mapped = _id_tree(pdf)
    problems = []
    for element in elements(pdf):
        if "/ID" in element and bytes(element.ID) not in mapped:
            problems.append(f"{element.S} has /ID {bytes(element.ID)!r}, which no /IDTree maps")
        attributes = element.get("/A")
        if isinstance(attributes, pikepdf.Dictionary):
            for header in attributes.get("/Headers", []):
                if bytes(header) not in mapped:
                    problems.append(f"{element.S} names header {bytes(header)!r}: not mapped")
    return problems


def header_cells_have_scope(pdf: pikepdf.Pdf) -> list[str]:
    """Every TH says whether it heads a row or a column, and has content."""
    problems = []
    for element in elements(pdf):
        if element.S != "/TH":
            continue
        attributes = element.get("/A")
        scope = attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
        if scope not in ("/Row", "/Column", "/Both"):
            problems.append(f"a TH has no /Scope ({scope})")
        kids = element.get("/K")
        if kids is None or (isinstance(kids, pikepdf.Array) and len(kids) == 0):
            problems.append("a TH is empty")
    return problems


def figures_have_alt_text(pdf: pikepdf.Pdf) -> list[str]:
    """Every Figure and Formula has alt text."""
    return [
        f"a {str(element.S)[1:]} has no alt text"
        for element in elements(pdf)
        if element.S in ("/Figure", "/Formula") and not str(element.get("/Alt", "")).strip()
    ]


CHECKS: tuple[Check, ...] = (ids_resolve, header_cells_have_scope, figures_have_alt_text)


def problems(path: Path) -> list[str]:
    """Every check's problems with the PDF at `path`, each named by its check."""
    with pikepdf.open(path) as pdf:
        return [f"{check.__name__}: {found}" for check in CHECKS for found in check(pdf)]
