"""A hash of what each page of a PDF shows, to tell which pages an edit changed.

A page's hash covers its size, its content streams (decoded) and what they draw with:
each resource they name, read the same way (a form's or pattern's own drawing and the
resources it names, an image's bytes, a graphics state's entries), never an object's
number. A font counts by its name alone: WeasyPrint embeds one subset of each font for the
whole document, so an edit on one page changes the font program every page uses, while
the glyph numbers the other pages draw with stay as they were (its subsets keep them).
Links and comments print nothing and are left out.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from itertools import chain

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .structure import page_content

# A subset font's name starts with a tag of six capitals naming the subset (ISO 32000-1,
# 9.6.4): it changes with the glyphs the whole document uses.
_SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")
_PAGE_BOXES = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit")
_NOT_SHOWN = frozenset(("/Parent", "/StructParent", "/StructParents", "/Length", "/Filter"))
Seen = frozenset[tuple[int, int]]  # the objects a part's hash is inside of (a cycle stops)


def page_hashes(data: bytes) -> tuple[str, ...]:
    """The hash of each page of the PDF `data`, in page order."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return tuple(page_hash(page.obj) for page in pdf.pages)


def page_hash(page: Dictionary) -> str:
    """The hash of what one page shows."""
    digest = hashlib.sha256()
    size = (part for key in _PAGE_BOXES for part in _object(page.get(key), frozenset()))
    for part in chain(size, _drawing(page, page_content(page))):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _drawing(
    holder: Dictionary | Stream, content: bytes, seen: Seen = frozenset()
) -> Iterator[bytes]:
    """The parts of a drawing's hash (a page's, a form's): its content, then each resource
    it names."""
    yield content
    resources = holder.get("/Resources")
    if not isinstance(resources, Dictionary):
        return
    named = {
        str(operand)
        for instruction in pikepdf.parse_content_stream(holder)
        for operand in instruction.operands
        if isinstance(operand, Name)
    }
    for category in sorted(resources.keys()):
        entries = resources[category]
        if not isinstance(entries, Dictionary):
            continue
        for name in sorted(named.intersection(entries.keys())):
            yield f"{category}{name}".encode()
            entry = entries[name]
            if category == "/Font" and isinstance(entry, Dictionary):
                yield _SUBSET_TAG.sub("", str(entry.get("/BaseFont", ""))).encode()
            else:
                yield from _object(entry, seen)


def _stored(stream: Stream) -> bytes:
    """A stream's bytes decoded, or as stored with their filter when only a lossy codec
    reads them (a JPEG's DCTDecode, which qpdf does not decode)."""
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return repr(stream.get("/Filter")).encode() + stream.read_raw_bytes()


def _object(value: object, seen: Seen) -> Iterator[bytes]:
    """The parts of a resource's hash, its references followed (each once on a path)."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        if value.objgen in seen:
            yield b"(again)"
            return
        seen = seen | {value.objgen}
    if isinstance(value, Stream) and "/Resources" in value:  # a form, a tiling pattern
        yield from _entries(value, seen, _NOT_SHOWN | {"/Resources"})
        yield from _drawing(value, value.read_bytes(), seen)
    elif isinstance(value, Stream):
        yield from _entries(value, seen, _NOT_SHOWN)
        yield _stored(value)
    elif isinstance(value, Dictionary):
        yield from _entries(value, seen, _NOT_SHOWN)
    elif isinstance(value, Array):
        yield b"["
        for item in value:
            yield from _object(item, seen)
        yield b"]"
    else:
        yield repr(value).encode()


def _entries(value: Dictionary | Stream, seen: Seen, skip: frozenset[str]) -> Iterator[bytes]:
    """The parts of a dictionary's hash (or a stream's dictionary's), by key."""
    for key in sorted(value.keys()):
        if key not in skip:
            yield key.encode()
            yield from _object(value[key], seen)
