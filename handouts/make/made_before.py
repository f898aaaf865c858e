"""PDFs made before, kept by their fingerprint in the user's cache folder.

A PDF's fingerprint (manifest.fingerprint) covers everything it is made from: its HTML
(pictures included), its theme's files, the options that shape it, this tool's code and the
libraries' versions. A PDF whose fingerprint was made before, in any project of this user,
is taken from here instead of being rendered again: a theme switched and back, a lesson
put back as it was last week, an output folder emptied, a copy of the course built
elsewhere. `--force` renders anew (and keeps what it makes).

Only PDFs that passed their layout checks are kept, with their pages' hashes, so one taken
from here needs neither. Files are kept as `render.kept` keeps them (private, checksummed:
another user cannot plant one), at most MAX_BYTES together, the least recently used
removed first.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..render.kept import MAX_KEPT_BYTES, kept_path, private_folder, read_kept, write_kept
from ..render.layout import RenderedPdf

FOLDER = "made-before"
MAX_BYTES = 1_000_000_000  # together; past it, the least recently used go first
KEPT_SHARE = 0.8  # what is left of MAX_BYTES after making room
TAKEN = "made before: taken from the cache"  # what the build line says of one


@dataclass(frozen=True)
class Stored:
    """A PDF as made before: itself, and the hash of each of its pages."""

    pdf: RenderedPdf
    hashes: tuple[str, ...]


def _folder() -> Path | None:
    folder = kept_path(FOLDER)
    return folder if private_folder(folder) else None


def taken(key: str) -> Stored | None:
    """The PDF made before with fingerprint `key`, if one is kept (and whole)."""
    folder = _folder()
    data = read_kept(folder / key) if folder else None
    if not data or folder is None:
        return None
    header, _, pdf = data.partition(b"\n")
    try:
        facts = json.loads(header)
        hashes = tuple(str(value) for value in facts["hashes"])
        warnings = tuple(str(value) for value in facts["warnings"])
        pages, remark = int(facts["pages"]), str(facts["remark"])
    except (ValueError, KeyError, TypeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / key)  # used now: the last to be removed
    said = "; ".join(part for part in (remark, TAKEN) if part)
    return Stored(RenderedPdf(pdf, pages, warnings, 0.0, remark=said), hashes)


def keep(key: str, pdf: RenderedPdf, hashes: tuple[str, ...]) -> None:
    """Keep a PDF just made under its fingerprint `key`, if the disk allows (it is not
    needed: without it, the PDF is made again)."""
    folder = _folder()
    facts = {"pages": pdf.pages, "hashes": hashes, "warnings": pdf.warnings, "remark": pdf.remark}
    data = json.dumps(facts).encode() + b"\n" + pdf.data
    if folder is None or len(data) > MAX_KEPT_BYTES - 100:  # 100: the checksum's line
        return
    with contextlib.suppress(OSError):
        write_kept(folder / key, data)


def make_room(limit: int = MAX_BYTES) -> None:
    """Remove the least recently used PDFs while all together take more than `limit`,
    down to KEPT_SHARE of it."""
    folder = _folder()
    if folder is None:
        return
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        files = [(e.stat().st_mtime, e.stat().st_size, e.path) for e in entries if e.is_file()]
        total = sum(size for _, size, _ in files)
        if total <= limit:
            return
        for _, size, path in sorted(files):
            if total <= limit * KEPT_SHARE:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
