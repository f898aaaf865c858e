"""What each PDF in the output folder was made from, so a build redoes only what changed.

A PDF is up to date when the fingerprint of everything it depends on (its HTML, the
templates, styles and fonts, the tool and WeasyPrint versions, the PDF options) matches
the one recorded when it was written, and the file is still the one written then.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from .. import __version__
from ..render.theme import Theme, theme_digest
from . import atomic_write

MANIFEST_NAME = ".handouts-manifest.json"
RENDERING_LIBRARIES = ("weasyprint", "pikepdf", "pydyf", "fonttools")


@dataclass(frozen=True)
class Record:
    """One PDF as written: the fingerprint of its inputs, its bytes' hash, its lesson."""

    key: str
    digest: str
    source: str
    pages: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _tool_digest() -> str:
    """This tool's code and version and those of the libraries that render: a change in any
    of them may change the PDFs."""
    from importlib.metadata import version  # slow to import, and a check never needs it

    hasher = hashlib.sha256(" ".join([__version__, *map(version, RENDERING_LIBRARIES)]).encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def fingerprint(made_with: tuple[str, ...], html: str, theme: Theme) -> str:
    """The fingerprint of one PDF's inputs: what it is made with, its HTML, every file of
    its theme, and the versions of this tool and of the libraries that render it."""
    inputs = [_tool_digest(), theme_digest(theme), *made_with, html]
    return _sha256("\0".join(inputs).encode())


def _read(path: Path) -> dict[str, Record]:
    """The records in a manifest file. Anything malformed is ignored, never trusted: a
    record names only a PDF directly inside the output folder."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: everything is rebuilt once
    if not isinstance(raw, dict):
        return {}
    records = {}
    for name, fields in raw.items():
        try:
            record = Record(**fields)
        except TypeError:
            continue
        types_ok = all(isinstance(getattr(record, f), str) for f in ("key", "digest", "source"))
        if types_ok and Path(name).name == name and name.endswith(".pdf"):
            records[name] = record
    return records


class Manifest:
    """The records of one output folder, read at the start of a build and saved at its end."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.records = _read(self.path)
        self._changed: set[str] = set()  # names this build recorded or forgot

    def is_current(self, pdf: Path, key: str) -> bool:
        """True when `pdf` was made from inputs with this fingerprint and is unchanged since."""
        record = self.records.get(pdf.name)
        if record is None or record.key != key or not pdf.is_file():
            return False
        return _sha256(pdf.read_bytes()) == record.digest

    def record(self, pdf: Path, key: str, data: bytes, source: Path, pages: int) -> None:
        """Remember a PDF just written."""
        self.records[pdf.name] = Record(key, _sha256(data), str(source), pages)
        self._changed.add(pdf.name)

    def forget(self, pdf: Path) -> None:
        """Drop the record of a PDF that was removed."""
        self.records.pop(pdf.name, None)
        self._changed.add(pdf.name)

    def save(self) -> None:
        """Write the records atomically, keeping what another build saved meanwhile."""
        merged = _read(self.path)
        for name in self._changed:
            if name in self.records:
                merged[name] = self.records[name]
            else:
                merged.pop(name, None)
        fields = {name: asdict(record) for name, record in sorted(merged.items())}
        atomic_write.write(self.path, (json.dumps(fields, indent=1) + "\n").encode())
