"""The note-taking handout's last step: the deck's real pages placed in their frames.

WeasyPrint lays out the handout's pages with an empty frame per slide; each page of the
rendered deck goes into its frame as vector content (a PDF form), so its text stays text
and its links stay links. pikepdf does the placing: WeasyPrint cannot put one PDF's pages
in another.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Pdf

from .layout import PT_PER_PX, THUMB, RenderedPdf

MARKED_CONTENT = {Operator(op) for op in ("BDC", "BMC", "EMC")}


def _as_artifact(pdf: Pdf, slide: pikepdf.Page) -> pikepdf.Object:
    """The slide as a form whose content is drawn as one artifact: its own structure tags
    belong to the deck, so they are dropped here (the frame's figure describes it)."""
    form = pdf.copy_foreign(slide.as_form_xobject())
    kept = [
        (operands, operator)
        for operands, operator in pikepdf.parse_content_stream(form)
        if operator not in MARKED_CONTENT
    ]
    form.write(pikepdf.unparse_content_stream(kept))
    return form


def _place(
    page: pikepdf.Page, form: pikepdf.Object, number: int, box: tuple[float, ...]
) -> list[float]:
    """Draw `form` scaled into `box` (CSS px from the top left); returns the matrix used."""
    x1, y1, x2, _ = (value * PT_PER_PX for value in box)
    width = float(form.BBox[2]) - float(form.BBox[0])
    scale = (x2 - x1) / width
    top = float(page.mediabox[3])
    matrix = [scale, 0, 0, scale, x1, top - y1 - scale * float(form.BBox[3])]
    name = page.add_resource(form, Name.XObject, Name(f"/Slide{number}"))
    numbers = " ".join(f"{value:.4f}" for value in matrix)
    page.contents_add(f"q /Artifact BMC {numbers} cm {name} Do EMC Q\n".encode())
    return matrix


def _links(pdf: Pdf, page: pikepdf.Page, slide: pikepdf.Page, matrix: list[float]) -> None:
    """The slide's web links, moved to where the slide now is on the page."""
    scale, _, _, _, dx, dy = matrix
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
        page.obj.Annots.append(pdf.make_indirect(link))


def slides_in_frames(frames: RenderedPdf, deck: RenderedPdf) -> bytes:
    """The handout's pages with every page of the deck in the frame that awaits it."""
    with Pdf.open(BytesIO(frames.data)) as notes, Pdf.open(BytesIO(deck.data)) as slides:
        for page, anchors in zip(notes.pages, frames.anchors, strict=True):
            # WeasyPrint's drawing leaves its coordinates flipped: draw ours after a reset.
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"Q\n")
            for name, box in sorted(anchors.items()):
                if (number := THUMB.number(name)) is not None:
                    slide = slides.pages[number - 1]
                    matrix = _place(page, _as_artifact(notes, slide), number, box)
                    _links(notes, page, slide, matrix)
        out = BytesIO()
        notes.save(out, deterministic_id=True)
        return out.getvalue()


NOTE_ICON_PT = 24  # the comment icon's size, in the top right corner inside the margins


def with_speaker_notes(data: bytes, notes: list[str]) -> bytes:
    """The deck with each page's speaker notes (if any) as a PDF comment (a text annotation)
    in its top right corner: shown by PDF viewers, never printed."""
    with Pdf.open(BytesIO(data)) as deck:
        for page, text in zip(deck.pages, notes, strict=True):
            if not text:
                continue
            right = float(page.mediabox[2]) - 0.8 * 72  # inside the slide's side margin
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
