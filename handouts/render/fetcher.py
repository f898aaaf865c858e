"""The only way WeasyPrint reads anything: `data:` URIs and the theme's own files (imported
by the renderer once rendering has started: `pdf.start_rendering`)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .theme import theme_file


class ProjectFetcher(URLFetcher):
    """Serves `data:` URIs and files under the allowed folders; refuses everything else.

    The folders are a search path: a file asked for under one of them is served from the
    first folder that has the same relative path, so a stylesheet of the built-in theme that
    names `../fonts/x.ttf` gets the project theme's font of that name when there is one.
    """

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at `url`, or raise ValueError when it is not ours to read."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"not fetched: {url} (only the project's own files are used)")
        path = self._find(Path(unquote(urlsplit(url).path)).resolve())
        if path is None:
            raise ValueError(f"not fetched: {url} (outside the project's theme folders)")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    def _find(self, path: Path) -> Path | None:
        """The file served for `path` (resolved): the first root's file of the same name."""
        for root in self.roots:
            if path.is_relative_to(root):
                name = path.relative_to(root).as_posix()
                for folder in self.roots:
                    if (found := theme_file(folder, name)) is not None:
                        return found
        return None
