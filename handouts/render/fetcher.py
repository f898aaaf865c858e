"""The only way WeasyPrint reads anything: `data:` URIs and the theme's own files (imported
by the renderer once rendering has started: `pdf.start_rendering`). A `data:` URI that is
a picture, whatever type it says, is checked as a lesson picture is before it is served:
WeasyPrint draws whatever Pillow or its SVG reader takes, and an SVG fetches the pictures
it holds through here too."""

from __future__ import annotations

import mimetypes
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import FigureProblem
from ..lesson.figures import RASTER_TYPES, SVG_TYPE, picture_drawing
from .theme import theme_file

_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # any byte order mark too


class ProjectFetcher(URLFetcher):
    """Serves `data:` URIs and files under the allowed folders; refuses everything else.

    The folders are a search path: a file asked for under one of them is served from the
    first folder that has the same relative path, so a stylesheet of the built-in theme that
    names `../fonts/x.ttf` gets the project theme's font of that name when there is one.
    """

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.approved: set[str] = set()  # data: URIs checked already (a deck renders often)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at `url`, or raise ValueError when it is not ours to read."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = super().fetch(url, headers)
            data = response.read()
            if url not in self.approved:
                _check_picture(data, response.content_type, url[: url.find(",") + 7] + "...")
                self.approved.add(url)
            return URLFetcherResponse(response.url, data, response.headers)
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


def _check_picture(data: bytes, media_type: str, shown: str) -> None:
    """Raise ValueError for `data` that is a picture the lesson checks would refuse, or
    a picture that does not say it is one (a font or a stylesheet passes)."""
    try:
        if media_type in RASTER_TYPES or media_type == SVG_TYPE:
            picture_drawing(data, media_type, shown)
        elif media_type.startswith("image/") or _looks_like_picture(data):
            raise FigureProblem(f"'{shown}' is a picture of no type it may have ({media_type})")
    except FigureProblem as problem:
        raise ValueError(f"not drawn: {problem}") from None


def _looks_like_picture(data: bytes) -> bool:
    """Whether WeasyPrint could draw `data` as a picture: SVG (XML) or anything Pillow opens."""
    from PIL import Image, UnidentifiedImageError

    if data.lstrip().startswith(_XML_STARTS):
        return True
    try:
        with Image.open(BytesIO(data)):
            return True
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, IndexError):
        return False
