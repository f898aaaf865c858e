"""The note-taking handout's last step: the deck's real pages placed in their frames.

WeasyPrint lays out the handout's pages with an empty frame per slide; each page of the
rendered deck goes into its frame as vector content (a PDF form), so its text stays text
and its links stay links. pikepdf does the placing: WeasyPrint cannot put one PDF's pages
in another.

The slide's structure comes along: its elements (headings, lists, tables, figures) are
copied into the handout's structure tree after the frame's "Slide n" heading, their marked
content found in the form (ISO 32000-1, 14.7.4.3), their links tied to the links placed on
the page. A screen reader reads each slide as the deck has it, not a one-line description.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .layout import PT_PER_PX, THUMB, RenderedPdf
from .structure import (
    box_in_points,
    elements,
    expect,
    is_element,
    kids,
    new_element,
    parent_tree,
    set_parent_tree,
)
from .text_layer import unmarked

Matrix = tuple[float, float, float, float, float, float]
_COPIED_ENTRIES = ("/Alt", "/ActualText", "/Lang", "/ID", "/T", "/E")


def _place(page: pikepdf.Page, form: pikepdf.Object, number: int, box: tuple[float, ...]) -> Matrix:
    """Draw `form` scaled into `box` (CSS px from the top left); returns the matrix used."""
    x1, y1, x2, _ = (value * PT_PER_PX for value in box)
    width = float(form.BBox[2]) - float(form.BBox[0])
    scale = (x2 - x1) / width
    top = float(page.mediabox[3])
    matrix = (scale, 0.0, 0.0, scale, x1, top - y1 - scale * float(form.BBox[3]))
    name = page.add_resource(form, Name.XObject, Name(f"/Slide{number}"))
    numbers = " ".join(f"{value:.4f}" for value in matrix)
    # The form's content is tagged inside it; the painting of the form itself sits in a
    # plain marked-content sequence (no MCID) so no checker counts it as untagged.
    page.contents_add(f"q /Slide BMC {numbers} cm {name} Do EMC Q\n".encode())
    return matrix


def _links(
    pdf: Pdf, page: pikepdf.Page, slide: pikepdf.Page, matrix: Matrix
) -> dict[tuple[int, int], Dictionary]:
    """The slide's web links, moved to where the slide now is on the page: by the slide's
    link annotation, the one that replaces it."""
    scale, _, _, _, dx, dy = matrix
    moved = {}
    for annot in slide.obj.get(Name.Annots, Array()):
        action = annot.get(Name.A)
        if annot.get(Name.Subtype) != Name.Link or action is None or Name.URI not in action:
            continue
        x1, y1, x2, y2 = (float(v) for v in annot.Rect)
        left, right = sorted((dx + scale * x1, dx + scale * x2))
        bottom, top = sorted((dy + scale * y1, dy + scale * y2))  # WeasyPrint's may be upside down
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[left, bottom, right, top],
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
        self.form = pdf.copy_foreign(slide.as_form_xobject())
        unmarked(self.form)
        self.placed = _place(page, self.form, number, box)
        self.slide_height = float(slide.mediabox[3])
        self.links = _links(pdf, page, slide, self.placed)
        self.marked: dict[int, Dictionary] = {}  # MCID in the form: its copied element

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
                copy.K.append(
                    Dictionary(Type=Name.MCR, MCID=int(kid), Pg=self.page.obj, Stm=self.form)
                )
                self.marked[int(kid)] = copy
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

    def finish(self) -> None:
        """The form's marked contents mapped to their copied elements in the parent tree."""
        key = max(self.parents) + 1
        self.form.StructParents = key
        self.parents[key] = Array(
            [self.marked.get(mcid) for mcid in range(max(self.marked, default=-1) + 1)]
        )


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
            # WeasyPrint's drawing leaves its coordinates flipped: draw ours after a reset.
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"Q\n")
            for name, box in sorted(anchors.items(), key=lambda item: THUMB.number(item[0]) or 0):
                if (number := THUMB.number(name)) is None:
                    continue
                graft = _Graft(notes, slides, page, number, box, parents)
                heading = next(headings)
                siblings = heading.P.K
                at = next(i for i, kid in enumerate(siblings) if kid.objgen == heading.objgen)
                for offset, element in enumerate(_slide_elements(slides, number), start=1):
                    siblings.insert(at + offset, graft.copy(element, expect(Dictionary, heading.P)))
                graft.finish()
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
