"""What each PDF in the output folder was made from, so a build redoes only what changed.

A PDF is up to date when the fingerprint of everything it depends on (its HTML, the
templates, styles and fonts, the tool and WeasyPrint versions, the PDF options) matches
the one recorded when it was written, and the file is still the one written then.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .. import atomic_write
from ..builtin import BUILTIN_THEME, builtin_theme, is_builtin
from ..provenance import tool_digest

MANIFEST_NAME = ".handouts-manifest.json"
MAX_MANIFEST_BYTES = 50_000_000  # a manifest larger than this is not ours: it is ignored
BUILTIN_MARK = "builtin:"  # how a record names a built-in theme: `builtin:print-saver`


@dataclass(frozen=True)
class Record:
    """One PDF as written: the fingerprint of its inputs, its bytes' hash, its lesson."""

    key: str
    digest: str
    source: str  # the lesson file, relative to the output folder (see Manifest.relative)
    pages: int
    stamp: str = ""  # what it was made from as files (see `stamp`)
    theme: tuple[str, ...] = ()  # its theme's folders but the default's (`Manifest.theme_names`)
    gives: tuple[str, ...] = ()  # every output its lesson gave then
    figures: tuple[str, ...] = ()  # its lesson's pictures, named as the lesson names them
    pages_hashes: tuple[str, ...] = ()  # what each page shows (render/page_hashes.py)
    title: str = ""  # its lesson's title and language, for the index page
    language: str = ""
    thumbnail: str = ""  # the bytes' hash of the PDF its index thumbnail was drawn from
    first_page: str = ""  # that PDF's first page, "width height" in points
    copies: int = 0  # a class set's (make/class_sets.py): copies of the PDF it is named after


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(made_with: tuple[str, ...], html: str, theme: str) -> str:
    """The fingerprint of one PDF's inputs: what it is made with, its HTML, every file of
    its theme (`theme`: their hash), and the versions of this tool and of the libraries
    that render it."""
    inputs = [tool_digest(), theme, *made_with, html]
    return _sha256("\0".join(inputs).encode())


def stamp(made_with: tuple[str, ...], theme: str, files: tuple[str, ...], options: str) -> str:
    """What one PDF is made from as files: the hashes of the lesson's, its course.yaml's and
    its pictures' bytes (as they were read), the theme, this tool, and the build's options.
    While it stays the same, the lesson need not be read again to know its PDF is current."""
    inputs = [tool_digest(), theme, *made_with, *files, options]
    return _sha256("\0".join(inputs).encode())


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


_LISTS = ("theme", "gives", "figures", "pages_hashes")  # a record's fields that are lists


def unusable(folder: Path) -> str | None:
    """Why the manifest file in the output folder `folder` is not read, when it is there
    but is not a regular file (a link, a folder, a pipe: reading one could hang)."""
    path = folder / MANIFEST_NAME
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None  # none yet
    if stat.S_ISREG(mode):
        return None
    kind = "link" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else "special file"
    return f"{path} is a {kind}, not a manifest: it is ignored, and every PDF made again"


def bounded_text(path: Path) -> str:
    """A file's text (a manifest's, or one the output folder keeps beside it), read only
    when it is a regular file (never through a link, never a pipe) of MAX_MANIFEST_BYTES
    at most; raises OSError or ValueError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise ValueError(f"{path} is not a regular file")
        data = file.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{path} is too large")
    return data.decode("utf-8")


def is_pdf_name(name: str) -> bool:
    """Whether `name` names a PDF directly inside the output folder."""
    return Path(name).name == name and name.endswith(".pdf")


def is_output_name(name: str) -> bool:
    """Whether `name` names a file directly inside the output folder that some output kind
    makes: a PDF, or an export for a learning platform."""
    from .. import outputs

    suffixes = tuple({kind.suffix for kind in outputs.kinds()})
    return Path(name).name == name and name.endswith(suffixes)


def _read(path: Path) -> dict[str, Record]:
    """The records in a manifest file. Anything malformed is ignored, never trusted: a
    record names only a file an output kind makes, directly inside the output folder."""
    try:
        raw = json.loads(bounded_text(path))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: everything is rebuilt once
    if not isinstance(raw, dict):
        return {}
    records = {}
    for name, fields in raw.items():
        try:
            record = Record(**fields)
            lists = [_strings(fields.get(f, [])) for f in _LISTS]
        except (TypeError, AttributeError):
            continue
        texts = ("key", "digest", "source", "stamp", "title", "language", "thumbnail", "first_page")
        types_ok = all(isinstance(getattr(record, f), str) for f in texts) and None not in lists
        types_ok = types_ok and isinstance(record.copies, int)
        if types_ok and is_output_name(name):
            records[name] = Record(**(fields | dict(zip(_LISTS, lists, strict=True))))
    return records


class Manifest:
    """The records of one output folder, read at the start of a build and saved at its end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.records = _read(self.path)
        self._changed: set[str] = set()  # names this build recorded or forgot
        # The records by the file they are made from (class sets apart), made when first
        # asked for: a no-op build of a thousand lessons asks once a lesson.
        self._by_source: dict[str, dict[str, Record]] | None = None

    def is_current(self, pdf: Path, key: str | None = None) -> bool:
        """True when `pdf` is as it was written (and was made from inputs with fingerprint
        `key`, when given)."""
        record = self.records.get(pdf.name)
        if record is None or key not in (None, record.key) or not pdf.is_file():
            return False
        return _sha256(pdf.read_bytes()) == record.digest

    def record(self, pdf: Path, data: bytes, record: Record) -> None:
        """Remember a PDF just written, its bytes' hash filled in."""
        self.records[pdf.name] = replace(record, digest=_sha256(data))
        self._changed_record(pdf.name)

    def restamp(self, pdf: Path, record: Record) -> None:
        """Give the record of a PDF found current by its fingerprint what it is made from
        now (its stamp, theme, outputs, title), keeping the file's hash, page count, page
        hashes and thumbnail."""
        old = self.records[pdf.name]
        self.records[pdf.name] = replace(
            record,
            digest=old.digest,
            pages=old.pages,
            pages_hashes=old.pages_hashes,
            thumbnail=old.thumbnail,
            first_page=old.first_page,
        )
        self._changed_record(pdf.name)

    def drawn(self, pdf: Path, data: bytes, first_page: str) -> None:
        """Remember that the index thumbnail of `pdf` was drawn from its bytes `data`, and
        the size of its first page."""
        record = replace(self.records[pdf.name], thumbnail=_sha256(data), first_page=first_page)
        self.records[pdf.name] = record
        self._changed_record(pdf.name)

    @property
    def changed(self) -> bool:
        """Whether this build recorded or forgot a PDF."""
        return bool(self._changed)

    def relative(self, path: Path) -> str:
        """How a record names a file: relative to the output folder, so that a project moved
        or copied with its output folder keeps pointing at its own lessons (and names no
        home folder in a published output folder)."""
        return Path(os.path.relpath(path.resolve(), self.folder.resolve())).as_posix()

    def resolve(self, name: str) -> Path:
        """The file a record names."""
        return (self.folder / name).resolve()

    def theme_names(self, folders: tuple[Path, ...]) -> tuple[str, ...]:
        """How a record names a theme's folders but the default theme's: a built-in theme
        by its name, a project's folder as `source`."""
        return tuple(
            BUILTIN_MARK + folder.name if is_builtin(folder) else self.relative(folder)
            for folder in folders
            if folder != BUILTIN_THEME
        )

    def theme_folders(self, record: Record, root: Path) -> list[Path] | None:
        """The theme folders a record names, when each is a folder inside the project folder
        `root` or a built-in theme; None otherwise (an edited manifest names no folder to
        read)."""
        folders = []
        for name in record.theme:
            if name.startswith(BUILTIN_MARK):
                folder = builtin_theme(name.removeprefix(BUILTIN_MARK))
            else:
                folder = self.resolve(name)
                inside = folder.is_relative_to(root.resolve()) and folder.is_dir()
                folder = folder if inside else None
            if folder is None:
                return None
            folders.append(folder)
        return folders

    def of_lesson(self, lesson: Path) -> dict[str, Record]:
        """The records of the PDFs made from the lesson file `lesson` (class sets apart:
        they are made from those PDFs)."""
        if self._by_source is None:
            self._by_source = {}
            for name, record in self.records.items():
                if not record.copies:
                    self._by_source.setdefault(record.source, {})[name] = record
        return dict(self._by_source.get(self.relative(lesson), {}))

    def forget(self, pdf: Path) -> None:
        """Drop the record of a PDF that was removed."""
        self.records.pop(pdf.name, None)
        self._changed_record(pdf.name)

    def _changed_record(self, name: str) -> None:
        self._changed.add(name)
        self._by_source = None

    def save(self) -> None:
        """Write the records atomically, keeping what another build saved meanwhile; a
        build that changed none leaves the file as it is."""
        if not self._changed and self.path.exists():
            return
        merged = _read(self.path)
        for name in self._changed:
            if name in self.records:
                merged[name] = self.records[name]
            else:
                merged.pop(name, None)
        fields = {name: asdict(record) for name, record in sorted(merged.items())}
        atomic_write.write(self.path, (json.dumps(fields, indent=1) + "\n").encode())
