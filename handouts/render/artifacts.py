"""Page furniture marked as what it is: a pagination artifact, not untagged structure.

WeasyPrint 70 tags the text of the page's margin boxes (running header, "Page X of Y",
the slide footer) under elements it leaves out of the structure tree: PDF 1.7 cannot put
an artifact in the tree. A screen reader then meets text that belongs nowhere. Here each
marked-content sequence whose element the tree does not reach is re-marked
`/Artifact <</Type /Pagination>>` (ISO 32000-1, 14.8.2.2), and the parent tree forgets it.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name, Operator

from .structure import ObjGen

BEGIN_WITH_PROPERTIES = Operator("BDC")
PAGINATION = Dictionary(Type=Name.Pagination)


def _marked_as_artifacts(
    content: pikepdf.Object, elements: pikepdf.Object, tree: set[ObjGen]
) -> list[tuple[list, Operator]] | None:
    """The content stream of a page or form with the marked contents the tree does not reach
    marked as artifacts (their entries in `elements`, the parent tree's array, set to null);
    None when nothing changes."""
    changed = False
    operations = []
    for operands, operator in pikepdf.parse_content_stream(content):
        if operator == BEGIN_WITH_PROPERTIES and isinstance(operands[1], Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) < len(elements):
                element = elements[int(mcid)]
                if not isinstance(element, Dictionary) or element.objgen not in tree:
                    elements[int(mcid)] = None
                    operands, changed = [Name.Artifact, PAGINATION], True
        operations.append((operands, operator))
    return operations if changed else None


def mark_pagination(
    pdf: pikepdf.Pdf, parents: dict[int, pikepdf.Object], tree: set[ObjGen]
) -> None:
    """Re-mark the marked content of every page, and of every form a page draws that has
    its own, that `tree` does not reach as a pagination artifact (see the module's
    docstring); `parents` is the parent tree, as read."""
    for page in pdf.pages:
        forms = page.obj.get("/Resources", Dictionary()).get("/XObject", Dictionary())
        for holder in (page, *(form for _, form in forms.items())):
            content = holder.obj if isinstance(holder, pikepdf.Page) else holder
            elements = parents.get(int(content.get("/StructParents", -1)))
            if elements is None:
                continue
            operations = _marked_as_artifacts(holder, elements, tree)
            if operations is None:
                continue
            written = pikepdf.unparse_content_stream(operations)
            if isinstance(holder, pikepdf.Page):
                content.Contents = pdf.make_stream(written)
            else:
                holder.write(written)
