"""A class set: N copies of a padded PDF one after the other in one PDF, a print job for a
copier printing on both sides (each copy has an even page count, so each starts on a sheet
of its own).

The copies' pages are new page dictionaries pointing to the original's content streams and
resources, packed in object streams: thirty copies weigh little more than one. The file is a
print job, not a document to read: it keeps the metadata and the language, its title says it
is a class set, its outline is one bookmark a copy (the document's own under the first), and
it has no tags. A structure tree cannot hold one element for content painted on thirty
pages, so the class set says it is not tagged and claims no PDF/UA: the accessible document
is the single PDF beside it. Annotations (links) are left out: nothing on paper is clicked.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Dictionary, OutlineItem

from .duplex import saved

# What no page of a class set has: its place in the tags, and annotations.
_UNTAGGED = ("/StructParents", "/Tabs", "/Annots")
_TAGS = ("/StructTreeRoot", "/MarkInfo")


def class_set(data: bytes, copies: int) -> bytes:
    """`copies` copies of the PDF `data` (padded to an even page count) in one PDF."""
    with pikepdf.open(BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        for holder, keys in [*((page.obj, _UNTAGGED) for page in pages), (pdf.Root, _TAGS)]:
            for key in keys:
                if key in holder:
                    del holder[key]
        for _ in range(copies - 1):
            for page in pages:
                shared = Dictionary({k: v for k, v in page.obj.items() if k != "/Parent"})
                pdf.pages.append(pikepdf.Page(pdf.make_indirect(shared)))
        _bookmark_copies(pdf, len(pages), copies)
        _title(pdf, copies)
        return saved(pdf, packed=True)


def _bookmark_copies(pdf: pikepdf.Pdf, pages: int, copies: int) -> None:
    """One bookmark a copy, "Copy 1", "Copy 2", ..., at its first page; the document's own
    bookmarks under the first."""
    with pdf.open_outline() as outline:
        own = list(outline.root)
        marks = [OutlineItem(f"Copy {number + 1}", number * pages) for number in range(copies)]
        marks[0].children.extend(own)
        outline.root[:] = marks


def _title(pdf: pikepdf.Pdf, copies: int) -> None:
    """The document's title, "— class set of N" after it; no claim of PDF/UA (no tags)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
        title = str(metadata.get("dc:title", ""))
        metadata["dc:title"] = f"{title} — class set of {copies}".lstrip(" —")
        if "pdfuaid:part" in metadata:
            del metadata["pdfuaid:part"]
