"""What the PDF's structure tree must say that WeasyPrint cannot be told, set after it.

WeasyPrint 70 tags the document from its boxes; one pass with pikepdf over every PDF this
tool writes then repairs what it leaves out or gets wrong, keeping every element's content:

- A formula is an <img> of its SVG, so WeasyPrint tags it Figure; the Figures whose alt text
  is a formula's are renamed Formula (ISO 32000-1, 14.8.4.5).
- Table cells name their header cells by /ID in /Headers, but no /IDTree maps the IDs to the
  elements (required whenever IDs are used, ISO 32000-1 table 322): one is built.
- A header cell gets its /Scope: Column in the table's head, Row in its body. A header cell
  with no content (the corner above the row labels) is a TD: it heads nothing.
- A Figure's /BBox is in CSS pixels from the page's top: it is turned into PDF points from
  the bottom, and given its /Placement (which marks it done).
- A heading whose text is laid out in two blocks (a slide's section label above its title)
  holds a heading of the same text: the inner one becomes a Span, so a screen reader
  announces the title once.
- A link that wraps onto a second line is two Link elements: they become one.
- Elements that hold nothing (the empty boxes of ruled writing lines) are dropped.
- An Art (an <article>: a lesson in the course pack) gets the /Lang of its article.
- An annotation with no element (a slide's speaker notes) gets one.
- A link's annotation gets the Print flag WeasyPrint leaves off, so printing and the screen
  have the same links (outloud's LNK-004); the speaker notes' comments stay unprinted.
- The margin boxes' text becomes pagination artifacts (artifacts.py), the fonts' names
  and hyphens are put right (font_names.py), and the words readers would copy wrong are
  marked with their text, and each formula's LaTeX written where it stands (text_layer.py).
- Black and every neutral grey are written in DeviceGray, printed with black toner only
  (toner.py).
- When the theme asks for it, every colour, pictures' too, is turned gray (grayscale.py).
- The course's licence is the document's copyright in its XMP metadata (rights.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .artifacts import mark_pagination
from .font_names import fix_fonts
from .grayscale import grayscale
from .paint_order import paint_in_tag_order
from .rights import mark_rights
from .structure import (
    box_in_points,
    elements,
    expect,
    kids,
    new_element,
    parent_tree,
    reachable,
    set_parent_tree,
)
from .text_layer import mark_words, write_formulas
from .toner import black_toner_only

_HEADINGS = {Name.H, Name.H1, Name.H2, Name.H3, Name.H4, Name.H5, Name.H6}
# Elements that are only containers: without content they say nothing.
_CONTAINERS = {Name.Div, Name.NonStruct, Name.Sect, Name.Span, Name.P, Name.Part}
Parents = dict[int, pikepdf.Object]
PRINT = 4  # the annotation flag that prints it (ISO 32000-1, table 165)


def _header_cell(cell: Dictionary, section: pikepdf.Object | None) -> None:
    """A TH with its scope, or a TD when it holds nothing."""
    if not kids(cell):
        cell.S = Name.TD
        return
    attributes = cell.get("/A")
    if not isinstance(attributes, Dictionary):
        attributes = cell.A = Dictionary(O=Name.Table)
    attributes.Scope = Name.Column if section == Name.THead else Name.Row


def _placed(figure: Dictionary) -> None:
    """A Figure's or Formula's bounding box in PDF points from the page's bottom left, and
    its placement. A box with a placement is in points already (the notes' slides)."""
    attributes = figure.get("/A")
    if not isinstance(attributes, Dictionary) or "/BBox" not in attributes:
        return
    if "/Placement" not in attributes:
        attributes.BBox = Array(
            box_in_points(expect(Array, attributes.BBox), float(figure.Pg.MediaBox[3]))
        )
    inline = figure.S == Name.Formula  # noqa: SIM300 (a name, not a constant)
    attributes.Placement = Name.Inline if inline else Name.Block


def _target(link: Dictionary) -> object:
    """The URI a Link element's annotation goes to, or None."""
    for kid in kids(link):
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            action = kid.Obj.get("/A")
            return str(action.get("/URI", "")) if isinstance(action, Dictionary) else None
    return None


def _join_links(parent: Dictionary, parents: Parents) -> None:
    """A link's parts on one line and the next, two Link elements side by side, made one."""
    children = kids(parent)
    merged: list[pikepdf.Object] = []
    for child in children:
        before = merged[-1] if merged else None
        if (
            isinstance(before, Dictionary)
            and isinstance(child, Dictionary)
            and before.get("/S") == child.get("/S") == Name.Link
            and before.Pg.objgen == child.Pg.objgen
            and _target(before) is not None
            and _target(before) == _target(child)
        ):
            for kid in kids(child):
                _move(kid, child, before, parents)
            continue
        merged.append(child)
    if len(merged) != len(children):
        parent.K = Array(merged)


def _move(kid: pikepdf.Object, owner: Dictionary, to: Dictionary, parents: Parents) -> None:
    """A kid of the element `owner` appended to the element `to` (`owner` keeps it too until
    its /K is set anew): an element's parent, or the parent tree's entry of marked content
    or an annotation, says `to`."""
    to.K = Array([*kids(to), kid])
    if not isinstance(kid, Dictionary):  # marked content on the owner's page
        parents[int(owner.Pg.StructParents)][int(kid)] = to
    elif kid.get("/Type") == Name.OBJR:
        parents[int(kid.Obj.StructParent)] = to
    elif kid.get("/Type") == Name.MCR:  # a marked-content reference, maybe into a form
        holder = expect(Dictionary, kid.get("/Stm", kid.get("/Pg", owner.get("/Pg"))))
        parents[int(holder.StructParents)][int(kid.MCID)] = to
    else:
        kid.P = to


def _list_items(pdf: pikepdf.Pdf, element: Dictionary, parents: Parents) -> None:
    """A list item holds its label and one body (ISO 32000-1, 14.8.4.3.3; PDF/UA's
    LI-KIDS): what WeasyPrint puts beside them (the paragraphs of an item of several blocks)
    goes into the body, and a list WeasyPrint lays beside the item it stands in (a quiz
    question's choices) into that item's body."""
    if element.get("/S") == Name.LI:
        loose = [kid for kid in kids(element) if _kind(kid) not in (Name.Lbl, Name.LBody)]
        if loose:
            body = _body(pdf, element)
            for kid in loose:
                _move(kid, element, body, parents)
            _drop_empty(body)  # the tree's walk does not reach it
            element.K = Array([k for k in kids(element) if _kind(k) in (Name.Lbl, Name.LBody)])
    elif element.get("/S") == Name.L:
        items: list[pikepdf.Object] = []
        for kid in kids(element):
            if _kind(kid) == Name.L and items and _kind(items[-1]) == Name.LI:
                _move(kid, element, _body(pdf, expect(Dictionary, items[-1])), parents)
            else:
                items.append(kid)
        if len(items) != len(kids(element)):
            element.K = Array(items)


def _kind(node: pikepdf.Object) -> object:
    """An element's structure type; None for marked content and annotations."""
    return node.get("/S") if isinstance(node, Dictionary) else None


def _body(pdf: pikepdf.Pdf, item: Dictionary) -> Dictionary:
    """The LBody of a list item, made (after its label) when it has none."""
    found = [kid for kid in kids(item) if _kind(kid) == Name.LBody]
    if found:
        return expect(Dictionary, found[-1])
    body = new_element(pdf, Name.LBody, item, expect(Dictionary, item.Pg))
    item.K = Array([*kids(item), body])
    return body


def _drop_empty(parent: Dictionary) -> None:
    """The container elements under `parent` that hold nothing, dropped."""
    children = kids(parent)
    kept = [
        child
        for child in children
        if not (isinstance(child, Dictionary) and child.get("/S") in _CONTAINERS) or kids(child)
    ]
    if len(kept) != len(children):
        parent.K = Array(kept)


def _tag_annotations(pdf: pikepdf.Pdf, document: Dictionary, parents: Parents) -> None:
    """Every annotation without an element given one at the document's end; every link's
    annotation printed."""
    for page in pdf.pages:
        annotations = page.obj.get("/Annots", Array())
        if len(annotations):
            page.obj.Tabs = Name.S  # tab through them in structure order (PDF/UA 7.18.3)
        for annotation in annotations:
            if annotation.get("/Subtype") == Name.Link:
                annotation.F = int(annotation.get("/F", 0)) | PRINT
            if "/StructParent" in annotation or annotation.get("/Subtype") == Name.Popup:
                continue
            kind = Name.Link if annotation.get("/Subtype") == Name.Link else Name.Annot
            element = new_element(pdf, kind, document, page.obj)
            element.K.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj))
            if "/Contents" in annotation:
                element.Alt = annotation.Contents
            key = max(parents, default=-1) + 1
            parents[key] = element
            annotation.StructParent = key
            document.K.append(element)


def _repair_tree(pdf: pikepdf.Pdf, formulas: set[str], parents: Parents) -> None:
    """The element-by-element repairs of the module's docstring."""
    root = pdf.Root.StructTreeRoot
    ids: dict[bytes, Dictionary] = {}
    found = list(elements(root))
    for element, parent in found:
        kind = element.S
        if kind == Name.Figure and str(element.get("/Alt", "")) in formulas:
            element.S = Name.Formula
        if element.S in (Name.Figure, Name.Formula):
            _placed(element)
        elif kind == Name.TH:
            _header_cell(element, parent.get("/P", Dictionary()).get("/S"))
        elif kind in _HEADINGS and parent.get("/S") in _HEADINGS:
            element.S = Name.Span  # a part of the heading it stands in
        if "/ID" in element:
            ids[bytes(element.ID)] = element
    for element, _ in reversed(found):  # children first: a Div of empty Divs goes too
        _list_items(pdf, element, parents)
        _join_links(element, parents)
        _drop_empty(element)
    _drop_empty(expect(Dictionary, root))
    if ids:
        names = Array()
        for key in sorted(ids):
            names.extend([String(key), ids[key]])
        root.IDTree = Dictionary(Names=names)


_ARTICLE = re.compile(r"<article\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\s(id|lang)="([^"]*)"')


def _set_article_languages(pdf: pikepdf.Pdf, document: str) -> None:
    """Each Art element gets the language of the <article> it is part of (WeasyPrint leaves
    it out, and tags an article one Art a page): a French lesson in an English course pack
    is read in French. An article is known by its id, whose destination is the page it
    starts on."""
    said = [dict(_ATTRIBUTE.findall(found[1])) for found in _ARTICLE.finditer(document)]
    named = [(article["id"], article["lang"]) for article in said if {"id", "lang"} <= set(article)]
    if not named or "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return
    destinations = pikepdf.NameTree(pdf.Root.Names.Dests)
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    starts = sorted(
        (pages[destinations[name][0].objgen], language)
        for name, language in named
        if name in destinations
    )
    for element, _ in elements(pdf.Root.StructTreeRoot):
        if element.get("/S") == Name.Art and "/Pg" in element:
            page = pages.get(element.Pg.objgen, -1)
            languages = [language for start, language in starts if start <= page]
            if languages:
                element.Lang = String(languages[-1])


def repaired(
    data: bytes, document: str, formulas: Mapping[str, str], gray: bool = False, licence: str = ""
) -> bytes:
    """The tagged PDF `data`, made from the HTML `document`, with its structure tree, artifacts,
    fonts, text layer and greys repaired (see the module's docstring); `formulas` are the alt texts
    of the formulas the render drew in it, to their LaTeX (`pictures.Media.noting`); `gray`: every
    colour turned gray, as the theme asks (`grayscale.asks_for_grayscale`); `licence` (its
    course's) is set as its copyright."""
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        parents = parent_tree(pdf)
        _repair_tree(pdf, set(formulas), parents)
        _set_article_languages(pdf, document)
        _tag_annotations(pdf, expect(Dictionary, kids(root)[0]), parents)
        mark_pagination(pdf, parents, reachable(root))
        set_parent_tree(pdf, parents)
        fix_fonts(pdf, document)
        mark_words(pdf, document)
        write_formulas(pdf, formulas, parents)
        paint_in_tag_order(pdf)
        if gray:
            grayscale(pdf)
        black_toner_only(pdf)
        mark_rights(pdf, licence)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
