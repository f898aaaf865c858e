"""Reading and changing a tagged PDF's structure tree with pikepdf (ISO 32000-1, 14.7).

The repairs after WeasyPrint (tagging.py) and the note-taking handout's composition
(compose.py) share these: the elements under a node, the parent tree that maps marked
content and annotations back to their elements, and new elements made to measure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard, TypeVar

import pikepdf
from pikepdf import Array, Dictionary, Name

from .layout import PT_PER_PX

ObjGen = tuple[int, int]
_Kind = TypeVar("_Kind", bound=pikepdf.Object)


def expect(kind: type[_Kind], value: pikepdf.Object | None) -> _Kind:
    """`value`, which the PDF's structure says is a `kind` (a Dictionary, Array, Name...)
    there, as one: a PDF that breaks that rule stops here, not further on."""
    if not isinstance(value, kind):
        raise ValueError(f"the PDF has no {kind.__name__} where its structure needs one")
    return value


def kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    """The /K of an element or of the tree root, always as a list."""
    found = node.get("/K") if isinstance(node, Dictionary) else None
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def is_element(node: pikepdf.Object) -> TypeGuard[Dictionary]:
    """Whether `node` is a structure element (not a content item or the root)."""
    return isinstance(node, Dictionary) and node.get("/Type", Name.StructElem) == Name.StructElem


def elements(root: pikepdf.Object) -> Iterator[tuple[Dictionary, Dictionary]]:
    """Every structure element under `root`, parents first, each with its parent."""
    if not isinstance(root, Dictionary):
        return
    stack = [(child, root) for child in reversed(kids(root))]
    while stack:
        node, parent = stack.pop()
        if not (isinstance(node, Dictionary) and "/S" in node and is_element(node)):
            continue
        yield node, parent
        stack.extend((child, node) for child in reversed(kids(node)))


def reachable(root: pikepdf.Object) -> set[ObjGen]:
    """The elements the tree reaches from `root`, by object number."""
    return {element.objgen for element, _ in elements(root)}


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The structure tree's parent tree as a mapping: a page's (or form's) /StructParents
    to the array of its marked contents' elements, an annotation's /StructParent to its
    element."""
    found: dict[int, pikepdf.Object] = {}
    nodes = [pdf.Root.StructTreeRoot.ParentTree]
    while nodes:
        node = nodes.pop()
        pairs = list(node.get("/Nums", []))
        found.update((int(key), value) for key, value in zip(pairs[0::2], pairs[1::2], strict=True))
        nodes.extend(node.get("/Kids", []))
    return found


def set_parent_tree(pdf: pikepdf.Pdf, mapping: dict[int, pikepdf.Object]) -> None:
    """Write `mapping` as the parent tree (one flat number tree node) and its next key."""
    nums = Array([entry for key in sorted(mapping) for entry in (key, mapping[key])])
    root = pdf.Root.StructTreeRoot
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = max(mapping, default=-1) + 1


def box_in_points(box: pikepdf.Array, page_height: float) -> tuple[float, float, float, float]:
    """A box as WeasyPrint writes a Figure's /BBox (CSS px from the page's top left) in PDF
    points from the bottom left: (left, bottom, right, top)."""
    x1, y1, x2, y2 = (float(value) * PT_PER_PX for value in box)
    return x1, page_height - y2, x2, page_height - y1


def new_element(
    pdf: pikepdf.Pdf, kind: Name, parent: Dictionary, page: pikepdf.Object
) -> Dictionary:
    """A new indirect structure element of type `kind` under `parent`, on `page`."""
    return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=kind, P=parent, Pg=page, K=Array()))


def content_streams(page: pikepdf.Object) -> list[pikepdf.Stream]:
    """The content streams of a page's /Contents: one, an array of them, or none."""
    contents = page.get("/Contents")
    listed = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return [stream for stream in listed if isinstance(stream, pikepdf.Stream)]


def page_content(page: pikepdf.Object) -> bytes:
    """A page's content streams read as one (a stream ends between tokens: a line break
    joins them)."""
    return b"\n".join(stream.read_bytes() for stream in content_streams(page))
