"""What made a PDF besides its inputs: this tool's code and the libraries that shape it.

A change in any of them may change the PDFs, so their digest is part of every fingerprint.
Kept cheap: a build with nothing to do computes it too.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

from . import __version__

# Every library whose version can change a PDF's bytes: the HTML (Jinja2, markdown-it,
# PyYAML), the layout and the fonts (WeasyPrint and what it uses), the file (pydyf, pikepdf).
LIBRARIES = frozenset(
    (
        "brotli",
        "cssselect2",
        "fonttools",
        "jinja2",
        "markdown-it-py",
        "pikepdf",
        "pillow",
        "pydyf",
        "pyphen",
        "pyyaml",
        "tinycss2",
        "tinyhtml5",
        "weasyprint",
        "zopfli",
    )
)


@cache
def install_records() -> tuple[Path, ...]:
    """The install records (dist-info folders) on the import path, in its order: read
    without importlib.metadata, whose import would cost a fifth of a no-op build."""
    return tuple(
        record for entry in sys.path for record in sorted(Path(entry or ".").glob("*.dist-info"))
    )


def _installed_versions() -> list[str]:
    """`name-version` of each library, from its install record."""
    found: dict[str, str] = {}
    for record in install_records():
        name, _, version = record.name.removesuffix(".dist-info").rpartition("-")
        name = name.lower().replace("_", "-")
        if name in LIBRARIES:
            found.setdefault(name, f"{name}-{version}")
    return [found.get(name, f"{name} not installed") for name in sorted(LIBRARIES)]


@cache
def tool_digest() -> str:
    """A hash of this tool's version and code and of the versions of the libraries."""
    hasher = hashlib.sha256(" ".join([__version__, *_installed_versions()]).encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()
