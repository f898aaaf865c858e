"""Accessibility checks read from a PDF's structure tree (PDF/UA-1, ISO 32000-1 14.8).

Each check returns the problems it finds, as sentences; none means it passes. The tests run
them on every output of the samples and of a lesson with links, pictures and formulas, and
show each one failing on a PDF that breaks it. They read the PDF with pikepdf, apart from
the page text (PDFium, as a viewer copies it); none uses the code that wrote the PDF.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

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


def _cells(row: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """A table row's cells, in order."""
    return [
        kid
        for kid in _kids(row)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") in ("/TH", "/TD")
    ]


def _rows(table: pikepdf.Dictionary) -> list[tuple[pikepdf.Dictionary, bool]]:
    """A table's rows in order, each with whether it is a header row: a row of the table's
    THead, or (a table without THead) a first row of header cells only."""
    rows: list[tuple[pikepdf.Dictionary, bool]] = []
    for kid in _kids(table):
        if not isinstance(kid, pikepdf.Dictionary):
            continue
        if kid.get("/S") == "/TR":
            rows.append((kid, False))
        elif kid.get("/S") in ("/THead", "/TBody", "/TFoot"):
            head = kid.get("/S") == "/THead"
            rows += [
                (row, head)
                for row in _kids(kid)
                if isinstance(row, pikepdf.Dictionary) and row.get("/S") == "/TR"
            ]
    if rows and not any(head for _, head in rows):
        first = _cells(rows[0][0])
        rows[0] = (rows[0][0], bool(first) and all(cell.S == "/TH" for cell in first))
    return rows


def header_cells_have_scope(pdf: pikepdf.Pdf) -> list[str]:
    """Every TH has content and the scope of where it stands: /Column in the header row,
    /Row in the row-label column (the first cell of a row below it); no TH stands elsewhere."""
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
    for table in (element for element in elements(pdf) if element.S == "/Table"):
        for number, (row, head) in enumerate(_rows(table), start=1):
            for column, cell in enumerate(_cells(row), start=1):
                attributes = cell.get("/A")
                if cell.S != "/TH" or not isinstance(attributes, pikepdf.Dictionary):
                    continue  # a TH without /Scope is reported above
                scope, where = attributes.get("/Scope"), f"row {number}, column {column}"
                if head and scope not in (None, "/Column"):
                    problems.append(f"the TH of the header row at {where} has /Scope {scope}")
                elif not head and column == 1 and scope not in (None, "/Row"):
                    problems.append(f"the TH of the row-label column at {where} has /Scope {scope}")
                elif not head and column > 1:
                    problems.append(f"the TH at {where} is in neither the header row nor column 1")
    return problems


def figures_have_alt_text(pdf: pikepdf.Pdf) -> list[str]:
    """Every Figure and Formula has alt text."""
    return [
        f"a {str(element.S)[1:]} has no alt text"
        for element in elements(pdf)
        if element.S in ("/Figure", "/Formula") and not str(element.get("/Alt", "")).strip()
    ]


def _parents(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The parent tree: a page's or form's /StructParents, or an annotation's /StructParent,
    to what it maps to."""
    found: dict[int, pikepdf.Object] = {}
    nodes = [pdf.Root.StructTreeRoot.ParentTree]
    while nodes:
        node = nodes.pop()
        pairs = list(node.get("/Nums", []))
        found.update((int(key), value) for key, value in zip(pairs[0::2], pairs[1::2], strict=True))
        nodes.extend(node.get("/Kids", []))
    return found


_SHOWS_TEXT = {"Tj", "TJ", "'", '"'}
_PAINTS = {"Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"}


def _marked_content(
    content: pikepdf.Object, where: str, mapped: pikepdf.Object | None, tree: set
) -> list[str]:
    """The problems of one content stream: painting outside any marked content, marked
    content whose element the tree does not reach, artifacts aside."""
    problems = []
    stack: list[tuple[str, int | None]] = []
    for operands, operator in pikepdf.parse_content_stream(content):
        name = str(operator)
        if name in ("BDC", "BMC"):
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
            if mcid is None or any(tag == "/Artifact" for tag, _ in stack):
                continue
            element = mapped[int(mcid)] if mapped is not None and int(mcid) < len(mapped) else None
            if not isinstance(element, pikepdf.Dictionary) or element.objgen not in tree:
                problems.append(f"{where}: marked content {int(mcid)} is in no element of the tree")
        elif name == "EMC":
            stack.pop()
        elif (name in _SHOWS_TEXT or name in _PAINTS) and not stack:
            problems.append(f"{where}: {name} outside any marked content")
    return problems


def content_is_tagged_or_artifact(pdf: pikepdf.Pdf) -> list[str]:
    """Every marked-content sequence of every page (and of every form a page draws with
    content of its own) is reachable from the tree or inside an artifact; nothing is painted
    outside marked content."""
    tree = {element.objgen for element in elements(pdf)}
    parents = _parents(pdf)
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        mapped = parents.get(int(page.obj.get("/StructParents", -1)))
        problems += _marked_content(page, f"page {number}", mapped, tree)
        forms = page.obj.get("/Resources", {}).get("/XObject", {})
        for name, form in forms.items():
            if "/StructParents" in form:
                mapped = parents.get(int(form.StructParents))
                problems += _marked_content(form, f"page {number} {name}", mapped, tree)
    return problems


def figure_boxes_inside_pages(pdf: pikepdf.Pdf) -> list[str]:
    """Every Figure's and Formula's /BBox lies on its page (PDF points from the bottom)."""
    problems = []
    for element in elements(pdf):
        attributes = element.get("/A")
        if element.S not in ("/Figure", "/Formula") or not isinstance(
            attributes, pikepdf.Dictionary
        ):
            continue
        if "/BBox" not in attributes:
            problems.append(f"a {str(element.S)[1:]} has no /BBox")
            continue
        x1, y1, x2, y2 = (float(value) for value in attributes.BBox)
        left, bottom, right, top = (float(value) for value in element.Pg.MediaBox)
        if not (left <= x1 < x2 <= right and bottom <= y1 < y2 <= top):
            problems.append(f"a {str(element.S)[1:]}'s /BBox {[x1, y1, x2, y2]} is off its page")
    return problems


Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # left, bottom, right, top, in PDF points
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_ENDS_PATH = {"n", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*"}


def _then(first: Matrix, second: Matrix) -> Matrix:
    """The transformation `first`, then `second` (as `first second cm` would leave it)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _mapped(box: Box, ctm: Matrix) -> Box:
    """The smallest box holding `box` transformed by `ctm`."""
    a, b, c, d, e, f = ctm
    corners = [(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _within(outer: Box | None, inner: Box) -> Box:
    """The part of `inner` inside `outer` (all of it when there is no `outer`)."""
    if outer is None:
        return inner
    return (
        max(outer[0], inner[0]),
        max(outer[1], inner[1]),
        min(outer[2], inner[2]),
        min(outer[3], inner[3]),
    )


def _around(one: Box, other: Box) -> Box:
    """The smallest box holding both."""
    return (
        min(one[0], other[0]),
        min(one[1], other[1]),
        max(one[2], other[2]),
        max(one[3], other[3]),
    )


def _numbers(values: pikepdf.Object | Matrix) -> Matrix:
    """Six numbers of a PDF array (a matrix), or four (a box) then two zeros."""
    numbers = [float(value) for value in values]
    return (*numbers, 0.0, 0.0)[:6] if len(numbers) == 4 else tuple(numbers)  # type: ignore[return-value]


@dataclass(frozen=True)
class _Painting:
    """What one content stream paints where: the clipping rectangle (in page space) in force
    where each marked content starts, by MCID; the CTM and clip at each XObject drawn."""

    clips: dict[int, Box | None]
    draws: dict[str, tuple[Matrix, Box | None]]


def _painting(content: pikepdf.Object, ctm: Matrix, clip: Box | None) -> _Painting:
    """Follow the transformations and clipping paths of a content stream (a page, or a form
    drawn with `ctm` inside `clip`)."""
    clips: dict[int, Box | None] = {}
    draws: dict[str, tuple[Matrix, Box | None]] = {}
    saved: list[tuple[Matrix, Box | None]] = []
    path: Box | None = None
    clipping = False
    for operands, operator in pikepdf.parse_content_stream(content):
        name = str(operator)
        if name == "q":
            saved.append((ctm, clip))
        elif name == "Q":
            ctm, clip = saved.pop()
        elif name == "cm":
            ctm = _then(_numbers(operands), ctm)
        elif name == "re":
            x, y, width, height = (float(value) for value in operands)
            box = _mapped((x, y, x + width, y + height), ctm)
            path = box if path is None else _around(path, box)
        elif name in ("W", "W*"):
            clipping = True
        elif name in _ENDS_PATH:
            if clipping and path is not None:
                clip = _within(clip, path)
            path, clipping = None, False
        elif name == "BDC" and len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary):
            if "/MCID" in operands[1]:
                clips[int(operands[1].MCID)] = clip
        elif name == "Do":
            draws[str(operands[0])] = (ctm, clip)
    return _Painting(clips, draws)


def _painted_boxes(
    pdf: pikepdf.Pdf,
) -> Callable[[pikepdf.Object, pikepdf.Object | None], _Painting]:
    """The painting of a page, or of a form that page draws, read once each."""
    found: dict[tuple[tuple[int, int], tuple[int, int] | None], _Painting] = {}

    def painting(page: pikepdf.Object, form: pikepdf.Object | None) -> _Painting:
        key = (page.objgen, None if form is None else form.objgen)
        if key not in found:
            on_page = pikepdf.Page(page)
            if form is None:
                found[key] = _painting(on_page, _IDENTITY, None)
            else:
                names = page.get("/Resources", {}).get("/XObject", {})
                name = next(n for n, xobject in names.items() if xobject.objgen == form.objgen)
                ctm, clip = painting(page, None).draws[name]
                ctm = _then(_numbers(form.get("/Matrix", _IDENTITY)), ctm)
                bbox = _numbers(form.BBox)[:4]
                found[key] = _painting(form, ctm, _within(clip, _mapped(bbox, ctm)))
        return found[key]

    return painting


def figure_boxes_where_painted(pdf: pikepdf.Pdf) -> list[str]:
    """Every Figure's and Formula's /BBox is, within 1 pt, the rectangle its picture is
    painted in: the clipping rectangle its content is drawn inside, followed through every
    transformation of the page (and of the form a slide of the notes is drawn as)."""
    painting = _painted_boxes(pdf)
    problems = []
    for element in elements(pdf):
        attributes = element.get("/A")
        if (
            element.S not in ("/Figure", "/Formula")
            or not isinstance(attributes, pikepdf.Dictionary)
            or "/BBox" not in attributes
        ):
            continue
        boxes = []
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                page, form, mcid = kid.get("/Pg", element.Pg), kid.get("/Stm"), int(kid.MCID)
            elif isinstance(kid, int):
                page, form, mcid = element.Pg, None, int(kid)
            else:
                continue
            boxes.append(painting(page, form).clips.get(mcid))
        kind, box = str(element.S)[1:], [float(value) for value in attributes.BBox]
        if not boxes or None in boxes:
            problems.append(f"a {kind}'s picture is painted in no clipping rectangle")
            continue
        painted = [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
        if any(abs(one - other) > 1 for one, other in zip(box, painted, strict=True)):
            shown = [round(value, 1) for value in painted]
            problems.append(
                f"a {kind}'s /BBox {[round(v, 1) for v in box]} is not where it is painted, {shown}"
            )
    return problems


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Object]:
    """An element's /K as a list."""
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _uri(link: pikepdf.Dictionary) -> str | None:
    """Where a Link element's first annotation goes."""
    for kid in _kids(link):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            return str(kid.Obj.get("/A", {}).get("/URI", ""))
    return None


def links_are_tagged(pdf: pikepdf.Pdf) -> list[str]:
    """Every annotation has a /StructParent mapping to its element (a Link for a link),
    which holds it; a link that wraps is one Link element, not one per line."""
    parents = _parents(pdf)
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" not in annotation:
                problems.append(
                    f"page {number}: a {annotation.Subtype} annotation has no /StructParent"
                )
                continue
            element = parents.get(int(annotation.StructParent))
            holds = isinstance(element, pikepdf.Dictionary) and any(
                isinstance(kid, pikepdf.Dictionary)
                and kid.get("/Type") == "/OBJR"
                and kid.Obj.objgen == annotation.objgen
                for kid in _kids(element)
            )
            wanted = "/Link" if annotation.Subtype == "/Link" else "/Annot"
            if not holds or str(element.S) != wanted:
                problems.append(
                    f"page {number}: a {annotation.Subtype} annotation is not in a {wanted}"
                )
    for element in elements(pdf):
        children = [kid for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary)]
        for before, after in itertools.pairwise(children):
            if before.get("/S") == after.get("/S") == "/Link" and _uri(before) == _uri(after):
                problems.append(f"one link to {_uri(before)} is two Link elements")
    return problems


def headings_nest(pdf: pikepdf.Pdf) -> list[str]:
    """Headings in reading order start at H1 and never skip a level going down."""
    problems = []
    level = 0
    for element in elements(pdf):
        match = re.fullmatch(r"/H([1-6])", str(element.S))
        if match is None:
            continue
        if int(match[1]) > level + 1:
            problems.append(
                f"H{match[1]} follows H{level}" if level else f"the first heading is H{match[1]}"
            )
        level = int(match[1])
    return problems


def one_heading_per_title(pdf: pikepdf.Pdf) -> list[str]:
    """No heading holds another: a screen reader would announce the title twice."""
    return [
        f"a {str(inner.S)[1:]} inside a {str(element.S)[1:]}"
        for element in elements(pdf)
        if re.fullmatch(r"/H[1-6]?", str(element.S))
        for inner in _kids(element)
        if isinstance(inner, pikepdf.Dictionary) and re.fullmatch(r"/H[1-6]?", str(inner.get("/S")))
    ]


def language_is_set(pdf: pikepdf.Pdf) -> list[str]:
    """The document has a /Lang, and every element that says its own is a language tag."""
    tag = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
    problems = (
        [] if tag.fullmatch(str(pdf.Root.get("/Lang", ""))) else ["the document has no /Lang"]
    )
    problems += [
        f"a {element.S} has /Lang {element.Lang!r}"
        for element in elements(pdf)
        if "/Lang" in element and not tag.fullmatch(str(element.Lang))
    ]
    return problems


_CONTAINERS = {"/Div", "/NonStruct", "/Sect", "/Span", "/P", "/Part"}


def no_empty_elements(pdf: pikepdf.Pdf) -> list[str]:
    """No container element (Div, Span, P, ...) without content."""
    return [
        f"an empty {str(element.S)[1:]}"
        for element in elements(pdf)
        if element.S in _CONTAINERS and not _kids(element)
    ]


def font_names_are_distinct(pdf: pikepdf.Pdf) -> list[str]:
    """Two embedded fonts share a name only if they are the same bytes; no name ends in a comma."""
    seen: dict[str, str] = {}
    problems = []
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or "/FontFile2" not in font:
            continue  # a font descriptor holds the font and its name
        name = str(font.FontName)
        digest = hashlib.sha256(font.FontFile2.read_bytes()).hexdigest()
        if seen.setdefault(name, digest) != digest:
            problems.append(f"two different fonts are named {name}")
        if name.endswith(","):
            problems.append(f"the font name {name} ends in a comma")
    return problems


CHECKS: tuple[Check, ...] = (
    ids_resolve,
    header_cells_have_scope,
    figures_have_alt_text,
    content_is_tagged_or_artifact,
    figure_boxes_inside_pages,
    figure_boxes_where_painted,
    links_are_tagged,
    headings_nest,
    one_heading_per_title,
    language_is_set,
    no_empty_elements,
    font_names_are_distinct,
)


def added_hyphens(path: Path) -> list[str]:
    """The lines of the PDF's text (as a viewer copies it) that end in U+2010 HYPHEN: a
    hyphen added at a line break must copy as a soft hyphen, not break the word."""
    document = pdfium.PdfDocument(path)
    try:
        problems = []
        for number, page in enumerate(document, start=1):
            for line in page.get_textpage().get_text_range().splitlines():
                if line.endswith("\u2010"):
                    problems.append(f"page {number}: a line ends in U+2010: {line[-30:]!r}")
        return problems
    finally:
        document.close()


def problems(path: Path) -> list[str]:
    """Every check's problems with the PDF at `path`, each named by its check."""
    with pikepdf.open(path) as pdf:
        found = [f"{check.__name__}: {problem}" for check in CHECKS for problem in check(pdf)]
    return found + [f"added_hyphens: {problem}" for problem in added_hyphens(path)]
