"""Page furniture marked as what it is: a pagination artifact, not untagged structure.

WeasyPrint 70 tags the text of the page's margin boxes (running header, "Page X of Y",
the slide footer) under elements it leaves out of the structure tree: PDF 1.7 cannot put
an artifact in the tree. A screen reader then meets text that belongs nowhere. Here each
marked-content sequence whose element the tree does not reach is re-marked
`/Artifact <</Type /Pagination>>` (ISO 32000-1, 14.8.2.2), and the parent tree forgets it.
"""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Dictionary

from .structure import ObjGen, content_streams, expect

# How WeasyPrint (pydyf) writes the start of a marked-content sequence for an element; its
# text is hex strings, which cannot hold this. Parsing each stream with pikepdf took half
# the repair pass's time.
_MARKED = re.compile(rb"/\w+\s*<</MCID (\d+)>>\s*BDC")
PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def _marked_as_artifacts(
    stream: pikepdf.Stream, elements: pikepdf.Array, tree: set[ObjGen]
) -> None:
    """A content stream's marked contents the tree does not reach, marked as artifacts, their
    entries in `elements` (the parent tree's array) set to null."""

    def marked(match: re.Match[bytes]) -> bytes:
        mcid = int(match[1])
        element = elements[mcid] if mcid < len(elements) else None
        if isinstance(element, Dictionary) and element.objgen in tree:
            return match[0]
        if mcid < len(elements):
            elements[mcid] = None
        return PAGINATION

    data = stream.read_bytes()
    changed = _MARKED.sub(marked, data)
    if changed != data:
        stream.write(changed)


def mark_pagination(
    pdf: pikepdf.Pdf, parents: dict[int, pikepdf.Object], tree: set[ObjGen]
) -> None:
    """Re-mark the marked content of every page, and of every form a page draws that has
    its own, that `tree` does not reach as a pagination artifact (see the module's
    docstring); `parents` is the parent tree, as read."""
    for page in pdf.pages:
        forms = page.obj.get("/Resources", Dictionary()).get("/XObject", Dictionary())
        holders: list[tuple[pikepdf.Object, pikepdf.Object]]
        holders = [(page.obj, stream) for stream in content_streams(page.obj)]
        holders += [(form, form) for _, form in forms.items()]
        for holder, stream in holders:
            elements = parents.get(int(holder.get("/StructParents", -1)))
            if elements is not None:
                _marked_as_artifacts(
                    expect(pikepdf.Stream, stream), expect(pikepdf.Array, elements), tree
                )
