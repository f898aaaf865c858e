"""What to print again: the pages of the printed PDFs that changed since, in one PDF."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from .. import atomic_write, outputs
from .manifest import Manifest
from .page_changes import PageChanges
from .printed_record import Pages, current

REPRINT_NAME = "reprint.pdf"  # in the output folder; no lesson's PDF is named so (no '-')
_PRINT_ONLY = ("/StructParents", "/Annots")  # a page's tags and links: none in a print file


@dataclass(frozen=True)
class Reprint:
    """What `reprint` found: each printed PDF whose pages changed, with its changes (in
    lesson order); those as printed; those gone from the output folder; and the PDF of
    the changed pages written (None: none changed, and no such file is left)."""

    changed: tuple[tuple[str, PageChanges], ...]
    same: tuple[str, ...]
    gone: tuple[str, ...]
    path: Path | None

    @property
    def pages(self) -> int:
        """The pages to print again."""
        return sum(len(changes.changed) for _, changes in self.changed)

    @property
    def whole(self) -> int:
        """The pages of the PDFs they are from, printed whole."""
        return sum(changes.pages for _, changes in self.changed)


def reprint(folder: Path, printed: Pages) -> Reprint:
    """Compare the PDFs of the output folder `folder` with their pages as `printed`, and
    put their changed pages into reprint.pdf there (an old one is removed when none
    changed); raises printed_record.Unreadable for a PDF that cannot be read."""
    there = [name for name in _in_order(folder, list(printed)) if (folder / name).is_file()]
    now = current(folder, there)
    changes = [(name, PageChanges.between(printed[name], now[name])) for name in there]
    changed = tuple((name, change) for name, change in changes if change.changed)
    path = folder / REPRINT_NAME
    if changed:
        atomic_write.write(path, _composed(folder, changed))
    else:
        path.unlink(missing_ok=True)
    same = tuple(name for name, change in changes if not change.changed)
    gone = tuple(sorted(set(printed).difference(there)))
    return Reprint(changed, same, gone, path if changed else None)


def _in_order(folder: Path, names: list[str]) -> list[str]:
    """The PDFs `names` in lesson file order, each lesson's in the order of the output
    kinds; any the manifest does not know of last, by name."""
    records = Manifest(folder).records
    kinds = outputs.names()

    def place(name: str) -> tuple[bool, str, int, str]:
        record = records.get(name)
        kind = name.removesuffix(".pdf").rpartition("-")[2]
        order = kinds.index(kind) if kind in kinds else len(kinds)
        return record is None, record.source if record else "", order, name

    return sorted(names, key=place)


def _composed(folder: Path, changed: tuple[tuple[str, PageChanges], ...]) -> bytes:
    """A PDF of the changed pages, as they print: without the tags and links of the PDFs
    they come from (which name the rest of those PDFs)."""
    import pikepdf  # loads only when a reprint is written, never at start-up

    composed = pikepdf.new()
    with contextlib.ExitStack() as opened:  # each PDF open until its pages are written out
        for name, changes in changed:
            source = opened.enter_context(pikepdf.open(folder / name))
            for number in changes.changed:
                composed.pages.append(source.pages[number - 1])
                page = composed.pages[-1].obj
                for key in _PRINT_ONLY:
                    if key in page:
                        del page[key]
        data = io.BytesIO()
        composed.save(data, deterministic_id=True)
    return data.getvalue()
