"""A booklet: a PDF's pages imposed two a side on sheets twice their width, in the order
that folds into a saddle-stitched booklet when printed on both sides (flipped on the short
edge).

The pages are drawn on the sheets as the note-taking handout's frames get their slides
(compose.py): into the sheet's own content, resources renamed, marked contents numbered on.
The document stays the one it was: its structure tree (in the pages' reading order, not
the sheets'), outline, metadata and links are kept, each pointing at the sheet side that
now holds its page. Pages with nothing on them pad the booklet to a multiple of four.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .compose import Matrix, moved_rect, place
from .duplex import saved
from .structure import ObjGen, elements, kids, parent_tree, set_parent_tree

Side = tuple[int | None, int | None]  # the pages (from 1) on a side's left and right half


def saddle_order(pages: int, right_to_left: bool = False) -> list[Side]:
    """Each sheet side's pages, front then back of each sheet: for 8 pages (8, 1), (2, 7),
    (6, 3), (4, 5); each side the other way round for a booklet bound on the right (that
    reads `right_to_left`). Numbers past `pages` are the padding: None."""
    total = -(-pages // 4) * 4
    sides: list[tuple[int, int]] = []
    for sheet in range(total // 4):
        outer = 2 * sheet
        sides += [(total - outer, outer + 1), (outer + 2, total - outer - 1)]
    if right_to_left:
        sides = [(right, left) for left, right in sides]
    return [
        (left if left <= pages else None, right if right <= pages else None)
        for left, right in sides
    ]


@dataclass(frozen=True)
class _Placed:
    """Where a page went: the sheet side holding it, the number its first marked content
    has there, and the matrix that draws it there."""

    sheet: Dictionary
    first: int
    matrix: Matrix


def _move_annotations(page: Dictionary, sheet: Dictionary, matrix: Matrix) -> None:
    """The page's annotations (its links, tagged as they are) moved onto the sheet side, as
    its drawing was; its tab order and transparency group with them."""
    for annot in page.get(Name.Annots, Array()):
        annot.Rect = moved_rect(annot.Rect, matrix)
        if Name.P in annot:
            annot.P = sheet
        if Name.Annots not in sheet:
            sheet.Annots = Array()
        sheet.Annots.append(annot)
    for entry in ("/Tabs", "/Group"):
        if entry in page:
            sheet[entry] = page[entry]


def _sheet_side(
    pdf: Pdf, side: Side, size: tuple[float, float], parents: dict[int, pikepdf.Object]
) -> dict[ObjGen, _Placed]:
    """A new sheet side at the end of `pdf` with the pages of `side` (of its first pages) on
    its halves, each against the fold; where each page went."""
    width, height = size
    sheet = pdf.make_indirect(
        Dictionary(Type=Name.Page, MediaBox=[0, 0, width, height], Resources=Dictionary())
    )
    pdf.pages.append(pikepdf.Page(sheet))
    at = pdf.pages[-1]
    marks, drawings, placed = Array(), [], {}
    for half, number in enumerate(side):
        if number is None:
            continue
        page = pdf.pages[number - 1]
        left, bottom, right, top = (float(value) for value in page.mediabox)
        x = width / 2 - (right - left) * (half == 0)
        matrix = (1.0, 0.0, 0.0, 1.0, x - left, (height - (top - bottom)) / 2 - bottom)
        first = len(marks)
        drawing, after = place(pdf, pdf, at, page, matrix, ("Page", number), first)
        own: list[pikepdf.Object] = []
        if "/StructParents" in page.obj:
            own = list(parents.pop(int(page.obj.StructParents)))
        marks.extend(own)
        marks.extend(Array([None] * (after - len(marks))))  # numbers its content has no element for
        drawings.append(b"q\n" + drawing + b"\nQ")
        _move_annotations(page.obj, sheet, matrix)
        placed[page.obj.objgen] = _Placed(sheet, first, matrix)
    sheet.Contents = pdf.make_stream(b"\n".join(drawings))
    if marks:
        sheet.StructParents = max(parents, default=-1) + 1
        parents[int(sheet.StructParents)] = marks
    return placed


def _retag(pdf: Pdf, placed: dict[ObjGen, _Placed]) -> None:
    """Every structure element, marked-content and object reference of the tree moved from
    its page to the sheet side holding it, its marked contents numbered as drawn there."""
    for element, _ in elements(pdf.Root.StructTreeRoot):
        holder = placed.get(element.Pg.objgen) if "/Pg" in element else None
        moved = Array()
        for kid in kids(element):
            if isinstance(kid, Dictionary):
                _move_reference(kid, holder, placed)
                moved.append(kid)
            else:  # a marked content of the element's page
                moved.append(kid if holder is None else holder.first + int(kid))
        if isinstance(element.get("/K"), Array) or len(moved) != 1:
            element.K = moved
        elif "/K" in element:
            element.K = moved[0]
        if holder is not None:
            element.Pg = holder.sheet
            _move_box(element, holder.matrix)


def _move_reference(kid: Dictionary, holder: _Placed | None, placed: dict[ObjGen, _Placed]) -> None:
    """A marked-content or object reference (`kid`) moved to the sheet side holding its page
    (its own /Pg's, else its element's: `holder`)."""
    if kid.get("/Type") not in (Name.MCR, Name.OBJR):
        return  # an element: moved in its turn
    on = placed.get(kid.Pg.objgen) if "/Pg" in kid else holder
    if on is None:
        return
    if kid.Type == Name.MCR:
        kid.MCID = on.first + int(kid.MCID)
    kid.Pg = on.sheet


def _move_box(element: Dictionary, matrix: Matrix) -> None:
    """A figure's (a formula's) /BBox, in points on its page, moved as the page was."""
    attributes = element.get("/A")
    for owned in attributes if isinstance(attributes, Array) else [attributes]:
        if isinstance(owned, Dictionary) and "/BBox" in owned:
            owned.BBox = moved_rect(owned.BBox, matrix)


def _retarget(destination: pikepdf.Object, placed: dict[ObjGen, _Placed]) -> None:
    """A destination ([page /XYZ left top zoom], [page /Fit], ...) pointed at the sheet side
    holding its page, its place moved as the page was."""
    if not isinstance(destination, Array) or len(destination) < 2:
        return
    holder = placed.get(destination[0].objgen) if isinstance(destination[0], Dictionary) else None
    if holder is None or not isinstance(destination[1], Name):
        return
    *_, dx, dy = holder.matrix
    destination[0] = holder.sheet
    moves = {Name.XYZ: (dx, dy), Name.FitH: (dy,), Name.FitBH: (dy,), Name.FitV: (dx,)}
    for index, by in enumerate(moves.get(destination[1], ()), start=2):
        if index < len(destination) and destination[index] is not None:  # null: kept
            destination[index] = float(destination[index]) + by


def _named_destinations(node: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    """The destinations of a name tree's node and the nodes under it."""
    if not isinstance(node, Dictionary):
        return
    named = node.get("/Names")
    if isinstance(named, Array):
        yield from list(named)[1::2]
    for kid in node.get("/Kids", Array()):
        yield from _named_destinations(kid)


def _destinations(pdf: Pdf, placed: dict[ObjGen, _Placed]) -> None:
    """The outline's bookmarks, the named destinations and the links within the document
    pointed at the sheet sides."""
    found: list[pikepdf.Object | None] = []
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary):
        found += _named_destinations(names.get("/Dests"))
    if isinstance(dests := pdf.Root.get("/Dests"), Dictionary):
        found += dests.values()
    for item in pdf.objects:
        if isinstance(item, Dictionary):
            action = item.get("/A")
            found += [
                item.get("/Dest"),
                action.get("/D") if isinstance(action, Dictionary) else None,
            ]
    for destination in found:
        if isinstance(destination, Dictionary):  # a destination with its own action: its /D
            destination = destination.get("/D")
        if destination is not None:
            _retarget(destination, placed)


def imposed(
    data: bytes, sheet: tuple[float, float], right_to_left: bool = False
) -> tuple[bytes, int]:
    """The PDF `data` as a booklet on sheet sides of `sheet` (width, height in points), bound
    on the right if it reads `right_to_left`; and how many sides it has."""
    with Pdf.open(BytesIO(data)) as pdf:
        parents = parent_tree(pdf)
        count = len(pdf.pages)
        placed: dict[ObjGen, _Placed] = {}
        for side in saddle_order(count, right_to_left):
            placed.update(_sheet_side(pdf, side, sheet, parents))
        _retag(pdf, placed)
        _destinations(pdf, placed)
        set_parent_tree(pdf, parents)
        for _ in range(count):
            del pdf.pages[0]
        return saved(pdf), len(pdf.pages)
