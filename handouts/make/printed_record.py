"""The pages as they were printed: each PDF's page hashes when a teacher marked it printed,
kept in the output folder; or as an earlier build's manifest recorded them."""

from __future__ import annotations

import json
from pathlib import Path

from .. import atomic_write
from .manifest import Manifest, bounded_text, is_pdf_name

PRINTED_NAME = ".handouts-printed.json"
Pages = dict[str, tuple[str, ...]]  # a PDF's name in the output folder: its page hashes


class Unreadable(Exception):
    """A record, manifest or PDF that cannot be read as one (said in one line)."""


def pages_in(path: Path) -> Pages:
    """The page hashes a printed record or a manifest holds, by PDF (either has them as
    `pages_hashes` in each PDF's entry; a malformed entry is left out). Raises Unreadable."""
    try:
        raw = json.loads(bounded_text(path))
    except OSError as error:
        raise Unreadable(f"cannot read {path}: {error.strerror}") from error
    except ValueError as error:
        raise Unreadable(f"{path} is not a record of pages (not JSON)") from error
    found: Pages = {}
    for name, entry in raw.items() if isinstance(raw, dict) else ():
        hashes = entry.get("pages_hashes") if isinstance(entry, dict) else None
        listed = hashes if isinstance(hashes, list) else []
        if is_pdf_name(name) and listed and all(isinstance(page, str) for page in listed):
            found[name] = tuple(listed)
    if not found:
        raise Unreadable(
            f"{path} has no PDF's page hashes: it is not a manifest or a printed record, "
            "or it was written before handouts kept them"
        )
    return found


def printed(folder: Path) -> Pages:
    """The PDFs of the output folder `folder` marked as printed, with their pages then;
    raises Unreadable when none is."""
    path = folder / PRINTED_NAME
    if not (path.exists() or path.is_symlink()):
        raise Unreadable(
            f"no PDF in {folder} is marked as printed yet: mark those you print with "
            "'reprint --mark', or compare with an earlier build's manifest (--since)"
        )
    return pages_in(path)


def current(folder: Path, names: list[str]) -> Pages:
    """The page hashes of the PDFs `names` in `folder` as they are now; raises Unreadable."""
    import pikepdf  # loads only for `reprint`, never at start-up

    from ..render.page_hashes import page_hashes

    found: Pages = {}
    for name in names:
        try:
            found[name] = page_hashes((folder / name).read_bytes())
        except OSError as error:
            raise Unreadable(f"cannot read {folder / name}: {error.strerror}") from error
        except pikepdf.PdfError as error:
            raise Unreadable(f"{folder / name} is not a PDF handouts can read") from error
    return found


def built(folder: Path) -> list[str]:
    """The PDFs in `folder` that the last build recorded, and that are there."""
    records = Manifest(folder).records
    return [name for name in sorted(records) if is_pdf_name(name) and (folder / name).is_file()]


def mark(folder: Path, names: list[str]) -> None:
    """Record the PDFs `names` of `folder` as printed now, keeping the others marked whose
    PDF is still there."""
    try:
        kept = printed(folder)
    except Unreadable:
        kept = {}
    pages = {name: hashes for name, hashes in kept.items() if (folder / name).is_file()}
    pages |= current(folder, names)
    entries = {name: {"pages_hashes": list(pages[name])} for name in sorted(pages)}
    atomic_write.write(folder / PRINTED_NAME, (json.dumps(entries, indent=1) + "\n").encode())
