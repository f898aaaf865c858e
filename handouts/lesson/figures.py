"""A lesson's pictures, checked before anything is rendered (and without WeasyPrint).

A figure is a file inside the project, named relative to its lesson file. It must be the
image its name says (Pillow reads PNG, JPEG and WebP headers; SVG is read by expat with
DOCTYPEs and entities refused), small enough to be safe to decode, and an SVG may refer to
nothing outside itself. A picture inside an SVG (a `data:` URI) is checked the same way, to
`MOST_NESTED` levels, the pixels of all of them counted together. The renderer's fetcher
checks every picture it is given again (`picture_drawing`).
"""

from __future__ import annotations

import base64
import binascii
import re
import stat
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote_to_bytes

from ..errors import FigureProblem, file_kind, shown
from .files import file_digest
from .svg import svg_drawing
from .yaml_source import closest

MAX_FIGURE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RASTER_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
KINDS = (*RASTER_KINDS, ".svg")
SVG_TYPE = "image/svg+xml"
# The pictures an SVG may hold, by their media type.
RASTER_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}
MOST_NESTED = 3  # pictures inside pictures inside pictures
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
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise FigureProblem(
            f"picture '{shown(written)}' cannot be read ({reason})",
            "name a picture file of the project, relative to the lesson file",
        ) from None


def _checked(written: str, lesson_folder: Path, project: Path) -> FigureFile:
    name = shown(written)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", written) or written.startswith("//"):
        raise FigureProblem(
            f"picture '{name}' is not a file: nothing is fetched from the network",
            "save the picture in the project, beside the lesson, and name that file",
        )
    path = lesson_folder / written
    inside = (project.resolve(), lesson_folder.resolve())
    if not any(path.resolve().is_relative_to(folder) for folder in inside):
        raise FigureProblem(
            f"picture '{name}' is outside the project",
            "copy the picture into the project folder; a link out of it is not followed",
        )
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise FigureProblem(
            f"picture '{name}' is not a PNG, JPEG, WebP or SVG file",
            "save it as .png, .jpg, .webp or .svg",
        )
    if not path.exists():
        raise FigureProblem(
            f"picture '{name}' does not exist (looked for {shown(str(path))})",
            _nearest(path, written),
        )
    resolved = path.resolve()
    status = resolved.stat()
    if not stat.S_ISREG(status.st_mode):
        raise FigureProblem(
            f"picture '{name}' is {file_kind(status.st_mode)}, not a picture file",
            "name the picture file itself",
        )
    if status.st_size > MAX_FIGURE_BYTES:
        raise FigureProblem(
            f"picture '{name}' is {status.st_size / 1024 / 1024:.1f} MB; at most 10 MB is printed",
            "save it smaller: a page needs no more than about 3000 pixels across",
        )
    data = resolved.read_bytes()
    media_type = SVG_TYPE if suffix == ".svg" else f"image/{RASTER_KINDS[suffix].lower()}"
    width, height, _ = picture_drawing(data, media_type, name)
    return FigureFile(resolved, data, file_digest(data), media_type, width, height)


@dataclass
class _Pixels:
    """The pixels of the pictures inside one picture, counted together."""

    written: str
    counted: int = 0

    def add(self, width: float, height: float) -> None:
        self.counted += int(width * height)
        if self.counted > MAX_PIXELS:
            raise FigureProblem(
                f"SVG '{self.written}' holds pictures of more than 40 million pixels in all",
                "scale the pictures inside it down, or show them as pictures of their own",
            )


def picture_drawing(
    data: bytes, media_type: str, written: str, nested: int = 0, pixels: _Pixels | None = None
) -> tuple[float, float, int]:
    """The size a picture of `media_type` gives itself (CSS px), and how many elements
    drawing it draws; raise FigureProblem when it may not be printed. The pictures an SVG
    holds are checked too, `nested` deep already."""
    pixels = pixels or _Pixels(written)
    if media_type == SVG_TYPE:

        def inside(uri: str, name: str) -> int:
            if nested >= MOST_NESTED:
                raise FigureProblem(
                    f"pictures inside pictures nest more than {MOST_NESTED} deep here",
                    "export the drawing again as plain SVG, or as a PNG picture",
                )
            inner_type, inner = _data_uri(uri, name)
            return picture_drawing(inner, inner_type, name, nested + 1, pixels)[2]

        return svg_drawing(data, written, inside)
    if media_type not in RASTER_TYPES:
        raise FigureProblem(
            f"picture '{written}' is not a PNG, JPEG, WebP, GIF or SVG picture ({media_type})",
            "embed the picture as PNG, JPEG or SVG",
        )
    width, height = _raster_size(data, RASTER_TYPES[media_type], written)
    if nested:
        pixels.add(width, height)
    return width, height, 1


def _data_uri(uri: str, name: str) -> tuple[str, bytes]:
    """The media type and the bytes of a `data:` URI."""
    head, comma, body = uri.partition(",")
    parameters = [part.strip().lower() for part in head[len("data:") :].split(";")]
    try:
        data = unquote_to_bytes(body)
        if not comma:
            raise ValueError("it has no comma")
        if "base64" in parameters[1:]:
            data = base64.b64decode(b"".join(data.split()), validate=True)
    except (ValueError, binascii.Error) as error:
        raise FigureProblem(
            f"picture '{name}' cannot be read ({error})", "embed the picture again"
        ) from None
    return parameters[0] or "text/plain", data


def _nearest(path: Path, written: str) -> str:
    """A hint for a picture that is not there: the picture of its folder it may mean (by
    the name before the dot: every picture ends alike)."""
    folder = path.parent
    pictures = [p for p in folder.glob("*") if p.suffix.lower() in KINDS] if folder.is_dir() else []
    meant = closest(path.stem, [p.stem for p in pictures])
    if meant is None:
        return "name the file relative to the lesson file, e.g. 'images/diagram.svg'"
    name = next(p.name for p in sorted(pictures) if p.stem == meant)
    meant_path = (Path(written).parent / name).as_posix().removeprefix("./")
    return f"did you mean '{shown(meant_path)}'?"


def _raster_size(data: bytes, kind: str, written: str) -> tuple[float, float]:
    """The pixel size of a PNG, JPEG or WebP file that is what its name says."""
    from PIL import Image, UnidentifiedImageError  # only lessons with pictures pay for it

    too_many = FigureProblem(
        f"picture '{written}' has more than {MAX_PIXELS // 1_000_000} million pixels",
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
    except (OSError, SyntaxError, ValueError, IndexError) as error:  # Pillow's own
        raise FigureProblem(
            f"picture '{written}' is damaged ({error})", f"export it again as {kind}"
        ) from None
    if found != kind:
        raise FigureProblem(
            f"picture '{written}' is a {found} image, not {kind} as its name says",
            f"rename it to end in .{str(found).lower()}, or save it as {kind}",
        )
    return float(width), float(height)
