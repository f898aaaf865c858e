"""Rendering on a Dask cluster (`--executor dask://HOST:PORT`, the `dask` extra).

A task carries everything its worker reads: the lessons with their pictures as bytes, and
its theme's files as bytes, sent to the cluster once per theme and build (`client.scatter`).
A worker writes each theme it is sent into a private folder of its own, once per theme
digest for its life, and returns the PDFs' bytes; this machine writes them as it writes its
own. A worker reads nothing from this machine's folders, so it needs no shared one.
`distributed` is imported only here, when a build is sent to a cluster.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..outputs import OutputKind, kinds, register
from ..render.cache import BuildCache
from ..render.theme import Theme
from .workers import Numbered, Sender, Task, render_task

if TYPE_CHECKING:
    from tempfile import TemporaryDirectory

    from distributed import Client

SCHEME = "dask"
CONNECT_S = 10.0  # how long a build waits for the scheduler to answer


class Unreachable(Exception):
    """The cluster's scheduler did not answer: the command line's mistake (exit code 2)."""


def scheduler_address(url: str) -> str:
    """The scheduler's address (`tcp://HOST:PORT`) that `dask://HOST:PORT` names; ValueError
    for anything else."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != SCHEME or not parts.hostname or port is None or parts.path.strip("/"):
        raise ValueError(f"not a Dask scheduler's address: '{url}' (dask://HOST:PORT)")
    return f"tcp://{parts.netloc}"


def connect(address: str, timeout: float = CONNECT_S) -> Client:
    """A client of the scheduler at `address`; Unreachable when it does not answer in time."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError):
        raise Unreachable(f"no Dask scheduler answered at {address} within {timeout:g} s") from None


@dataclass(frozen=True)
class ShippedTheme:
    """A theme as its files' bytes, by name: what a worker rebuilds it from."""

    digest: str
    files: dict[str, bytes]

    @classmethod
    def of(cls, theme: Theme, cache: BuildCache) -> ShippedTheme:
        """The files of `theme`, as the first of its folders that has each gives it."""
        files = {name: path.read_bytes() for name, path in theme.files().items()}
        return cls(cache.digest(theme), files)


@contextmanager
def on_cluster(address: str, cache: BuildCache) -> Iterator[Sender]:
    """Tasks sent to the cluster at `address`; leaving the block cancels those not done
    (on Ctrl-C or an error) and disconnects."""
    client = connect(address)
    executor = client.get_executor(pure=False)
    themes: dict[Theme, object] = {}  # each theme's files, on the cluster once

    def send(task: Task) -> Future[Numbered]:
        theme = task.jobs[0].prepared.theme  # a task's jobs are one lesson's, or one job
        if theme not in themes:
            themes[theme] = client.scatter(ShippedTheme.of(theme, cache), hash=False)
        return executor.submit(render_shipped, task, themes[theme], kinds())

    try:
        yield send
    finally:
        executor.shutdown(wait=False)  # what is not done is cancelled
        client.close()


_RENDERING = threading.Lock()  # a worker of several threads renders one task at a time
_HERE: dict[str, tuple[Theme, BuildCache]] = {}  # a worker's themes, by digest
_FOLDERS: list[TemporaryDirectory[str]] = []  # theirs, removed as the worker ends


def render_shipped(
    task: Task, shipped: ShippedTheme, registered: tuple[OutputKind, ...]
) -> Numbered:
    """On a worker: render `task` with the theme rebuilt from `shipped`, with the output
    kinds the build has."""
    for kind in registered:
        register(kind, override=True)
    with _RENDERING:
        theme, cache = _theme_here(shipped)
        jobs = [replace(job, prepared=replace(job.prepared, theme=theme)) for job in task.jobs]
        return render_task(replace(task, jobs=jobs), cache)


def _theme_here(shipped: ShippedTheme) -> tuple[Theme, BuildCache]:
    """The theme `shipped` is, in a private folder of this worker, with its cache."""
    if shipped.digest not in _HERE:
        from tempfile import TemporaryDirectory

        folder = TemporaryDirectory(prefix=f"handouts-theme-{shipped.digest[:12]}-")
        _FOLDERS.append(folder)
        root = Path(folder.name)
        for name, data in shipped.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        _HERE[shipped.digest] = Theme((root,)), BuildCache()
    return _HERE[shipped.digest]
