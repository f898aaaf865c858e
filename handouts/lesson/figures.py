"""A lesson's pictures, checked before anything is rendered (and without WeasyPrint).

A figure is a file inside the project, named relative to its lesson file. It must be the
image its name says (Pillow reads PNG, JPEG and WebP headers; SVG is read by expat with
DOCTYPEs and entities refused), small enough to be safe to decode, and an SVG may refer to
nothing outside itself. The renderer's fetcher serves only files checked here.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..errors import FigureProblem
from .files import file_digest
from .svg import svg_size
from .yaml_source import closest

MAX_FIGURE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RASTER_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
KINDS = (*RASTER_KINDS, ".svg")
ALT_HINT = (
    "write what the picture shows between the brackets, as you would say it to a student "
    "who cannot see it: ![Three boxes, input, process and output, joined by arrows](file.svg)"
)
BLOCK_ALT_HINT = (
    "add 'alt:' saying what the picture shows, e.g. 'alt: Three boxes joined by arrows', "
    "or 'decorative: true' if it adds nothing to the text"
)


@dataclass(frozen=True)
class FigureFile:
    """A checked picture: where it is, its bytes (as checked: what is printed), their hash,
    its type and its own size in CSS px."""

    path: Path
    data: bytes = field(repr=False, compare=False)
    digest: str
    media_type: str
    width: float
    height: float

    @property
    def ratio(self) -> float:
        """Its height over its width."""
        return self.height / self.width


def figure_file(written: str, lesson_folder: Path, project: Path) -> FigureFile:
    """The checked file a lesson in `lesson_folder` names as `written`; raise FigureProblem
    when it may not be printed. Like a lesson file, it must be inside the project (the
    folder `project`) or the lesson's own folder, links followed."""
    try:
        return _checked(written, lesson_folder, project)
    except FigureProblem:
        raise
    except (OSError, ValueError, RuntimeError) as error:  # a name no file system takes, a loop
        raise FigureProblem(
            f"picture '{written}' cannot be read ({error})",
            "name a picture file of the project, relative to the lesson file",
        ) from None


def _checked(written: str, lesson_folder: Path, project: Path) -> FigureFile:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", written) or written.startswith("//"):
        raise FigureProblem(
            f"picture '{written}' is not a file: nothing is fetched from the network",
            "save the picture in the project, beside the lesson, and name that file",
        )
    path = lesson_folder / written
    inside = (project.resolve(), lesson_folder.resolve())
    if not any(path.resolve().is_relative_to(folder) for folder in inside):
        raise FigureProblem(
            f"picture '{written}' is outside the project",
            "copy the picture into the project folder; a link out of it is not followed",
        )
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise FigureProblem(
            f"picture '{written}' is not a PNG, JPEG, WebP or SVG file",
            "save it as .png, .jpg, .webp or .svg",
        )
    if not path.is_file():
        raise FigureProblem(
            f"picture '{written}' does not exist (looked for {path})", _nearest(path, written)
        )
    resolved = path.resolve()
    size = resolved.stat().st_size
    if size > MAX_FIGURE_BYTES:
        raise FigureProblem(
            f"picture '{written}' is {size / 1024 / 1024:.1f} MB; at most 10 MB is printed",
            "save it smaller: a page needs no more than about 3000 pixels across",
        )
    data = resolved.read_bytes()
    if suffix == ".svg":
        width, height = svg_size(data, written)
        media_type = "image/svg+xml"
    else:
        width, height = _raster_size(data, RASTER_KINDS[suffix], written)
        media_type = f"image/{RASTER_KINDS[suffix].lower()}"
    return FigureFile(resolved, data, file_digest(data), media_type, width, height)


def _nearest(path: Path, written: str) -> str:
    """A hint for a picture that is not there: the picture of its folder it may mean (by
    the name before the dot: every picture ends alike)."""
    folder = path.parent
    pictures = [p for p in folder.glob("*") if p.suffix.lower() in KINDS] if folder.is_dir() else []
    meant = closest(path.stem, [p.stem for p in pictures])
    if meant is None:
        return "name the file relative to the lesson file, e.g. 'images/diagram.svg'"
    name = next(p.name for p in sorted(pictures) if p.stem == meant)
    return f"did you mean '{(Path(written).parent / name).as_posix().removeprefix('./')}'?"


def _raster_size(data: bytes, kind: str, written: str) -> tuple[float, float]:
    """The pixel size of a PNG, JPEG or WebP file that is what its name says."""
    from PIL import Image, UnidentifiedImageError  # only lessons with pictures pay for it

    too_many = FigureProblem(
        f"picture '{written}' has more than 40 million pixels",
        "scale it down: a page needs no more than about 3000 pixels across",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                found, (width, height) = image.format, image.size
                if width * height > MAX_PIXELS:
                    raise too_many
                image.verify()
    except FigureProblem:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise too_many from None
    except UnidentifiedImageError:
        raise FigureProblem(
            f"picture '{written}' is not a {kind} image",
            f"open it in an image editor and save it again as {kind}",
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise FigureProblem(
            f"picture '{written}' is damaged ({error})", f"export it again as {kind}"
        ) from None
    if found != kind:
        raise FigureProblem(
            f"picture '{written}' is a {found} image, not {kind} as its name says",
            f"rename it to end in .{str(found).lower()}, or save it as {kind}",
        )
    return float(width), float(height)
