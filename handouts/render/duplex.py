"""Printing on both sides: a PDF padded with a blank page to an even page count, so copies
printed one after the other each start on a sheet of their own.

The padding comes after the repair pass (tagging.py): the page added has no content, so it
needs no tags, no /StructParents and no /Tabs, and the structure tree, the outline and the
metadata are left as they are. The "Page X of Y" the footers say was counted by WeasyPrint
before: it counts the pages with content only.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Dictionary, Name

# The boxes besides its sheet a blank page keeps of the page before it: the same trim.
_BOXES = ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def saved(pdf: pikepdf.Pdf, packed: bool = False) -> bytes:
    """The bytes of `pdf`, the same for the same document (as the repair pass saves it);
    `packed`: its small objects (page dictionaries) compressed together in object streams."""
    out = BytesIO()
    streams = pikepdf.ObjectStreamMode.generate if packed else pikepdf.ObjectStreamMode.preserve
    pdf.save(out, deterministic_id=True, object_stream_mode=streams)
    return out.getvalue()


def padded(data: bytes) -> bytes:
    """The PDF `data` with a blank page at its end when it has an odd number of pages, as
    large as its last page; `data` itself when the count is even."""
    with pikepdf.open(BytesIO(data)) as pdf:
        if len(pdf.pages) % 2 == 0:
            return data
        last = pdf.pages[-1]
        blank = Dictionary(
            Type=Name.Page,
            MediaBox=last.mediabox,
            Resources=Dictionary(),
            Contents=pdf.make_stream(b""),
        )
        for box in _BOXES:
            if box in last.obj:
                blank[box] = last.obj[box]
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(blank)))
        return saved(pdf)
