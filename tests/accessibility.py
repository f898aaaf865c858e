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
    links_are_tagged,
    headings_nest,
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
