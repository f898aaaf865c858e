"""The licence a course.yaml gives, set as the PDF's copyright in its XMP metadata."""

from __future__ import annotations

import pikepdf


def mark_rights(pdf: pikepdf.Pdf, licence: str) -> None:
    """`dc:rights` set to `licence`, and `xmpRights:Marked` to say the work is under one;
    nothing when there is no licence."""
    if not licence:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata["dc:rights"] = licence
        metadata["xmpRights:Marked"] = "True"
