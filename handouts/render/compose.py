"""The note-taking handout's last step: the deck's real pages placed in their frames.

WeasyPrint lays out the handout's pages with an empty frame per slide; each page of the
rendered deck goes into its frame as vector content, so its text stays text and its links
stay links. pikepdf does the placing: WeasyPrint cannot put one PDF's pages in another.
The slide's drawing is written into the page itself, scaled and clipped to its frame, its
resources renamed (`/F3` of slide 2 is `/S2F3`), not drawn as a form: PDFium would place
the words' own texts (`/ActualText`, see text_layer.py) of a form where the form's own
coordinates say, so a search would miss them.

The slide's structure comes along: its elements (headings, lists, tables, figures) are
copied into the handout's structure tree after the frame's "Slide n" heading, their marked
contents numbered on after the page's own, their links tied to the links placed on the
page. A screen reader reads each slide as the deck has it, not a one-line description.
"""

from __future__ import annotations

import re
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .layout import PT_PER_PX, THUMB, RenderedPdf
from .paint_order import back_to_start, marked_content_ends
from .structure import (
    box_in_points,
    elements,
    expect,
    is_element,
    kids,
    new_element,
    page_content,
    parent_tree,
    set_parent_tree,
)

Matrix = tuple[float, float, float, float, float, float]
_COPIED_ENTRIES = ("/Alt", "/ActualText", "/Lang", "/ID", "/T", "/E")


# A resource named where an operator uses it (`/F3 12 Tf`, `/Im1 Do`, `/a1.0 gs`), and a
# marked content's number: all a slide's drawing says of its page, in WeasyPrint's writing.
_NAMED = re.compile(rb"/([^\s/\[\]<>(){}%]+)((?:\s+-?[\d.]+)*\s+(?:Tf|Do|gs|sh|cs|CS|scn|SCN)\b)")
_MCID = re.compile(rb"/MCID (\d+)")
_EMC = re.compile(rb"\bEMC\b")


def _matrix(page: pikepdf.Page, slide: pikepdf.Page, box: tuple[float, ...]) -> Matrix:
    """The matrix that draws `slide` scaled into `box` (CSS px from the page's top left)."""
    x1, y1, x2, _ = (value * PT_PER_PX for value in box)
    left, _, right, top = (float(value) for value in slide.mediabox)
    scale = (x2 - x1) / (right - left)
    page_top = float(page.mediabox[3])
    return (scale, 0.0, 0.0, scale, x1 - scale * left, page_top - y1 - scale * top)


def _inlined(slide: pikepdf.Page, prefix: str, first_mcid: int) -> tuple[bytes, int]:
    """The slide's drawing with its resources' names prefixed and its marked contents
    numbered from `first_mcid`; and the number after its last. The bytes are rewritten,
    not parsed and written again: the text layer's repair (text_layer.py) reads
    WeasyPrint's own way of writing text."""
    data = page_content(slide.obj)
    named = {
        key[1:].encode()
        for _, resources in slide.resources.items()
        if isinstance(resources, Dictionary)
        for key, _ in resources.items()
    }
    prefixed = prefix.encode()

    def rename(found: re.Match[bytes]) -> bytes:
        name = found.group(1)
        return b"/" + (prefixed + name if name in named else name) + found.group(2)

    numbers = [int(n) for n in _MCID.findall(data)]
    data = _MCID.sub(lambda found: b"/MCID %d" % (first_mcid + int(found.group(1))), data)
    return _NAMED.sub(rename, data), first_mcid + max(numbers, default=-1) + 1


def place(
    pdf: Pdf,
    source: Pdf,
    page: pikepdf.Page,
    drawn: pikepdf.Page,
    matrix: Matrix,
    label: tuple[str, int],
    first_mcid: int,
) -> tuple[bytes, int]:
    """The drawing of `drawn` (a page of `source`, which may be `pdf` itself) drawn by
    `matrix` on `page`, its resources added to the page's under a prefix made of `label`
    (("Slide", 2): `/S2F3`), a marked-content point saying which it is; and the
    marked-content number after its last."""
    kind, number = label
    prefix = f"{kind[0]}{number}"
    if Name.Resources not in page.obj:
        page.obj.Resources = Dictionary()
    resources = page.obj.Resources
    for category, named in drawn.resources.items():
        if not isinstance(named, Dictionary):
            continue  # /ProcSet
        if category not in resources:
            resources[category] = Dictionary()
        into = resources[category]
        for key, value in named.items():
            owned = value if value.is_indirect else source.make_indirect(value)
            into[f"/{prefix}{key[1:]}"] = owned if source is pdf else pdf.copy_foreign(owned)
    drawing, after = _inlined(drawn, prefix, first_mcid)
    left, bottom, right, top = (float(value) for value in drawn.mediabox)
    numbers = " ".join(f"{value:.4f}" for value in matrix)
    clip = f"{left:g} {bottom:g} {right - left:g} {top - bottom:g} re W n"
    # A marked-content point says which slide (page) is drawn here, for readers of the layout.
    start = f"{numbers} cm {clip} /{kind} <</Number {number}>> DP\n"
    return start.encode() + drawing, after


def _drawn_after(page: pikepdf.Page, pdf: Pdf, drawings: list[tuple[int, bytes]]) -> None:
    """Write each drawing into the page's stream just after the marked content `mcid` it
    comes with (`drawings`: (mcid, drawing)), from the page's first state (its own
    transformation and graphics state undone there), so the page paints in reading order."""
    data = page_content(page.obj)
    parsed = pikepdf.parse_content_stream(page)
    instructions = [(list(i.operands), str(i.operator)) for i in parsed]
    ends = marked_content_ends(instructions)
    after = {mcid: ends[mcid] + 1 for mcid, _ in drawings}
    resources = expect(Dictionary, page.obj.Resources)
    resets = back_to_start(instructions, list(after.values()), resources, pdf)
    pieces, done = [], 0
    for mcid, drawing in sorted(drawings, key=lambda item: item[0]):
        opened = re.compile(rb"/MCID\s+%d\b" % mcid).search(data, done)
        closed = _EMC.search(data, opened.end()) if opened else None
        assert closed is not None, "a heading's marked content is in the page's stream"
        reset = resets[after[mcid]]
        pieces += [data[done : closed.end()], b"\nq\n", reset, b"\n", drawing, b"\nQ"]
        done = closed.end()
    pieces.append(data[done:])
    page.obj.Contents = pdf.make_stream(b"".join(pieces))


def moved_rect(rect: pikepdf.Object, matrix: Matrix) -> Array:
    """An annotation's rectangle where `matrix` (a scale and a move) draws it, bottom left
    to top right (WeasyPrint's may be upside down)."""
    scale, _, _, _, dx, dy = matrix
    x1, y1, x2, y2 = (float(value) for value in expect(Array, rect))
    left, right = sorted((dx + scale * x1, dx + scale * x2))
    bottom, top = sorted((dy + scale * y1, dy + scale * y2))
    return Array([left, bottom, right, top])


def _links(
    pdf: Pdf, page: pikepdf.Page, slide: pikepdf.Page, matrix: Matrix
) -> dict[tuple[int, int], Dictionary]:
    """The slide's web links, moved to where the slide now is on the page: by the slide's
    link annotation, the one that replaces it."""
    moved = {}
    for annot in slide.obj.get(Name.Annots, Array()):
        action = annot.get(Name.A)
        if annot.get(Name.Subtype) != Name.Link or action is None or Name.URI not in action:
            continue
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=moved_rect(annot.Rect, matrix),
            Border=[0, 0, 0],
            A=Dictionary(S=Name.URI, URI=action.URI),
            Contents=annot.get(Name.Contents, action.URI),
        )
        if Name.Annots not in page.obj:
            page.obj.Annots = Array()
        moved[annot.objgen] = pdf.make_indirect(link)
        page.obj.Annots.append(moved[annot.objgen])
    return moved


class _Graft:
    """One page of the deck drawn in its frame on a page of the handout, with its links; its
    structure elements are copied under a heading of the handout's tree with `copy`."""

    def __init__(
        self,
        pdf: Pdf,
        deck: Pdf,
        page: pikepdf.Page,
        number: int,
        box: tuple[float, ...],
        parents: dict[int, pikepdf.Object],
    ) -> None:
        slide = deck.pages[number - 1]
        self.pdf, self.deck, self.page, self.parents = pdf, deck, page, parents
        if Name.StructParents not in page.obj:
            page.obj.StructParents = max(parents, default=-1) + 1
            parents[int(page.obj.StructParents)] = Array()
        self.marks = expect(Array, parents[int(page.obj.StructParents)])  # MCID: element
        self.first = len(self.marks)
        self.placed = _matrix(page, slide, box)
        label = ("Slide", number)
        self.drawing, after = place(pdf, deck, page, slide, self.placed, label, self.first)
        self.marks.extend(Array([None] * (after - self.first)))  # filled in by `copy`
        self.slide_height = float(slide.mediabox[3])
        self.links = _links(pdf, page, slide, self.placed)

    def copy(self, element: Dictionary, parent: Dictionary) -> Dictionary:
        """`element` and all under it, in the handout, under `parent`."""
        copy = new_element(self.pdf, expect(Name, element.S), parent, self.page.obj)
        for key in _COPIED_ENTRIES:
            if key in element:
                copy[key] = element[key].with_same_owner_as(copy)
        if isinstance(element.get("/A"), Dictionary):
            copy.A = self.pdf.copy_foreign(self.deck.make_indirect(element.A))
            self._bounding_box(copy.A)
        for kid in kids(element):
            if is_element(kid) and "/S" in kid:
                copy.K.append(self.copy(kid, copy))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                self._link(kid, copy)
            elif not isinstance(kid, Dictionary):  # a marked content of the slide's page
                mcid = self.first + int(kid)
                copy.K.append(mcid)
                self.marks[mcid] = copy
        return copy

    def _bounding_box(self, attributes: Dictionary) -> None:
        """A figure's box, in CSS px on the slide, in points on the handout's page."""
        if "/BBox" not in attributes:
            return
        scale, _, _, _, dx, dy = self.placed
        x1, bottom, x2, top = box_in_points(expect(Array, attributes.BBox), self.slide_height)
        attributes.BBox = Array(
            [dx + scale * x1, dy + scale * bottom, dx + scale * x2, dy + scale * top]
        )
        attributes.Placement = Name.Block  # in points now (tagging.py then sets it right)

    def _link(self, reference: Dictionary, copy: Dictionary) -> None:
        """A link of the slide, as the link annotation that replaces it on the page."""
        moved = self.links.get(reference.Obj.objgen)
        if moved is None:  # not a web link: not carried over
            return
        copy.K.append(Dictionary(Type=Name.OBJR, Obj=moved, Pg=self.page.obj))
        key = max(self.parents) + 1
        self.parents[key] = copy
        moved.StructParent = key


def _last_mcid(element: Dictionary) -> int:
    """The number of the last marked content an element (a slide's heading) holds."""
    found = [-1]
    for kid in kids(element):
        if not isinstance(kid, Dictionary):
            found.append(int(kid))
        elif "/MCID" in kid:
            found.append(int(kid.MCID))
        elif is_element(kid):
            found.append(_last_mcid(kid))
    return max(found)


def _slide_elements(deck: Pdf, number: int) -> list[Dictionary]:
    """The deck's top-level structure elements for its page `number` (from 1)."""
    page = deck.pages[number - 1].obj.objgen
    document = kids(deck.Root.StructTreeRoot)[0]
    return [kid for kid in kids(document) if is_element(kid) and kid.Pg.objgen == page]


def slides_in_frames(frames: RenderedPdf, deck: RenderedPdf) -> bytes:
    """The handout's pages with every page of the deck, and its structure, in the frame that
    awaits it."""
    with Pdf.open(BytesIO(frames.data)) as notes, Pdf.open(BytesIO(deck.data)) as slides:
        parents = parent_tree(notes)
        # The frames' page has no headings but each frame's "Slide n", level 1, in order.
        headings = iter(
            element for element, _ in elements(notes.Root.StructTreeRoot) if element.S == Name.H1
        )
        for page, anchors in zip(notes.pages, frames.anchors, strict=True):
            drawings = []
            for name, box in sorted(anchors.items(), key=lambda item: THUMB.number(item[0]) or 0):
                if (number := THUMB.number(name)) is None:
                    continue
                graft = _Graft(notes, slides, page, number, box, parents)
                heading = next(headings)
                siblings = heading.P.K
                at = next(i for i, kid in enumerate(siblings) if kid.objgen == heading.objgen)
                for offset, element in enumerate(_slide_elements(slides, number), start=1):
                    siblings.insert(at + offset, graft.copy(element, expect(Dictionary, heading.P)))
                drawings.append((_last_mcid(heading), graft.drawing))
            if drawings:
                _drawn_after(page, notes, drawings)
        set_parent_tree(notes, parents)
        out = BytesIO()
        notes.save(out, deterministic_id=True)
        return out.getvalue()


NOTE_ICON_PT = 24  # the comment icon's size, in the top corner inside the margins


def with_speaker_notes(data: bytes, notes: list[str], right_to_left: bool = False) -> bytes:
    """The deck with each page's speaker notes (if any) as a PDF comment (a text annotation)
    in its top corner at the titles' end (the left one if the deck reads `right_to_left`,
    where the titles start on the right): shown by PDF viewers, never printed."""
    with Pdf.open(BytesIO(data)) as deck:
        for page, text in zip(deck.pages, notes, strict=True):
            if not text:
                continue
            margin = 0.8 * 72  # inside the slide's side margin
            right = float(page.mediabox[2]) - margin
            if right_to_left:
                right = float(page.mediabox[0]) + margin + NOTE_ICON_PT
            top = float(page.mediabox[3]) - 0.55 * 72
            note = Dictionary(
                Type=Name.Annot,
                Subtype=Name.Text,
                Rect=[right - NOTE_ICON_PT, top - NOTE_ICON_PT, right, top],
                Contents=pikepdf.String(text),
                Name=Name.Comment,
                F=0,  # not printed
            )
            if Name.Annots not in page.obj:
                page.obj.Annots = Array()
            page.obj.Annots.append(deck.make_indirect(note))
        out = BytesIO()
        deck.save(out, deterministic_id=True)
        return out.getvalue()
