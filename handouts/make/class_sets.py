"""The class sets (--copies N): beside each padded PDF, `<pdf's name>-class-set.pdf`, N copies
of it one after the other (render/class_set.py), to print on both sides.

A class set is made in the main process from its PDF as written, whether that PDF was just
rendered or found current, and recorded in the manifest as a file of its own: its record is
its PDF's, with `copies` set and a key made from that PDF's bytes' hash and N. It is made
again when its PDF's bytes or N change, and removed when --copies is not given or its PDF
is gone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .. import atomic_write, outputs
from ..outputs.kind import OutputKind
from ..project import BuildOptions, Project
from ..provenance import tool_digest
from ..render.layout import RenderedPdf
from .events import Removed, Written
from .manifest import Manifest
from .workers import Job

SUFFIX = "-class-set.pdf"  # what a class set's name has after its PDF's name's stem


def class_set_path(pdf: Path) -> Path:
    """Where the class set of `pdf` goes."""
    return pdf.with_name(f"{pdf.stem}{SUFFIX}")


def copies_of(kind: OutputKind, options: BuildOptions) -> int:
    """How many copies the class set of a PDF of `kind` holds (0: it has none, when
    --copies is not given or the kind is not padded)."""
    return options.copies if kind.pads(options.settings) else 0


def _key(digest: str, copies: int) -> str:
    """What a class set is made from: this tool, its PDF's bytes (their hash) and N."""
    return hashlib.sha256(f"{tool_digest()}\0{digest}\0{copies}".encode()).hexdigest()


def is_current(manifest: Manifest, pdf: Path, copies: int) -> bool:
    """Whether the class set of `pdf` holds `copies` copies of it as recorded, as written
    (True when no class set is asked for)."""
    if not copies:
        return True
    record = manifest.records.get(pdf.name)
    if record is None:
        return False
    return manifest.is_current(class_set_path(pdf), _key(record.digest, copies))


def write(jobs: list[Job], project: Project, manifest: Manifest) -> Iterator[Written]:
    """Make the class sets of the jobs' PDFs that are not current (a PDF someone edited
    gives none)."""
    for job in jobs:
        copies = copies_of(outputs.get(job.output), project.options)
        if copies and manifest.is_current(job.path) and not is_current(manifest, job.path, copies):
            yield _made(job, copies, manifest)


def _made(job: Job, copies: int, manifest: Manifest) -> Written:
    """Write the class set of the job's PDF, and record it."""
    from ..render.class_set import class_set  # pikepdf loads only when one is made

    started = time.perf_counter()
    data = class_set(job.path.read_bytes(), copies)
    path = class_set_path(job.path)
    changed = atomic_write.write(path, data)
    of = manifest.records[job.path.name]
    record = replace(of, key=_key(of.digest, copies), pages=of.pages * copies, copies=copies)
    manifest.record(path, data, replace(record, pages_hashes=(), thumbnail="", first_page=""))
    pdf = RenderedPdf(data, record.pages, (), time.perf_counter() - started)
    return Written(replace(job, path=path), pdf, changed)


def removals(project: Project, manifest: Manifest) -> Iterator[Removed]:
    """The class sets recorded that are asked for no more, or whose PDF is gone (removed
    only as written: a forged record removes nothing)."""
    for name, record in sorted(manifest.records.items()):
        if not record.copies:
            continue
        of = name.removesuffix(SUFFIX) + ".pdf"
        if not project.options.copies:
            reason = "--copies is not given"
        elif of not in manifest.records:
            reason = f"{of} is gone"
        else:
            continue
        path = project.output_dir / name
        if not (path.exists() or path.is_symlink()) or manifest.is_current(path):
            yield Removed(path, reason)
