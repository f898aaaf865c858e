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
from xml.parsers import expat

from .files import file_digest
from .yaml_source import closest

MAX_FIGURE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RASTER_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
KINDS = (*RASTER_KINDS, ".svg")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|pc)?\s*")
_PX_PER = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
ALT_HINT = (
    "write what the picture shows between the brackets, as you would say it to a student "
    "who cannot see it: ![Three boxes, input, process and output, joined by arrows](file.svg)"
)
BLOCK_ALT_HINT = (
    "add 'alt:' saying what the picture shows, e.g. 'alt: Three boxes joined by arrows', "
    "or 'decorative: true' if it adds nothing to the text"
)


class FigureProblem(ValueError):
    """A figure file that cannot be printed: what is wrong, and how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


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
    current folder) or the lesson's own folder, links followed."""
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
        width, height = _svg_size(data, written)
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


class _SvgReader:
    """Reads an SVG with expat, refusing what could reach outside it or blow up."""

    def __init__(self, written: str) -> None:
        self.written = written
        self.root: tuple[str, dict[str, str]] | None = None
        self.in_style = False
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def _doctype(self, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' has a DOCTYPE (line {self.parser.CurrentLineNumber}), "
            "which can define entities: it is not read",
            "delete the <!DOCTYPE ...> part: SVG needs none",
        )

    def _entity(self, name: str, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' defines the entity '{name}': it is not read",
            "delete the entity definitions and write their text out",
        )

    def _refused(self, target: str) -> FigureProblem:
        return FigureProblem(
            f"SVG '{self.written}' refers to '{target}' (line "
            f"{self.parser.CurrentLineNumber}): a figure may use nothing outside itself",
            "embed what it shows in the SVG, or export the drawing again as plain SVG",
        )

    def _check_urls(self, value: str) -> None:
        for target in _URL.findall(value):
            if not target.startswith("#"):
                raise self._refused(target)
        if "@import" in value:
            raise self._refused("@import")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = (name, attributes)
        self.in_style = name.endswith(" style") or name == "style"
        for key, value in attributes.items():
            if key.split(" ")[-1] == "href" and not value.strip().startswith(("#", "data:")):
                raise self._refused(value.strip())
            self._check_urls(value)

    def _end(self, _: str) -> None:
        self.in_style = False

    def _text(self, data: str) -> None:
        if self.in_style:
            self._check_urls(data)

    def size(self, data: bytes) -> tuple[float, float]:
        """The drawing's size in CSS px, from its width and height or its viewBox."""
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as error:
            raise FigureProblem(
                f"SVG '{self.written}' is not well-formed XML ({error})",
                "export it again from the drawing program",
            ) from None
        if self.root is None or self.root[0] != f"{SVG_NAMESPACE} svg":
            raise FigureProblem(
                f"'{self.written}' is not an SVG drawing (its first element is not <svg>)",
                'start it with <svg xmlns="http://www.w3.org/2000/svg" ...>',
            )
        attributes = self.root[1]
        box = [float(n) for n in _NUMBER.findall(attributes.get("viewBox", ""))]
        width, height = _length(attributes.get("width")), _length(attributes.get("height"))
        if len(box) == 4 and box[2] > 0 and box[3] > 0:
            width = width or (height * box[2] / box[3] if height else box[2])
            height = height or width * box[3] / box[2]
        if not width or not height:
            raise FigureProblem(
                f"SVG '{self.written}' has no size",
                'give its <svg> a viewBox, e.g. viewBox="0 0 400 200"',
            )
        return width, height


def _length(value: str | None) -> float:
    """An SVG length in CSS px (0 when absent or relative)."""
    match = _LENGTH.fullmatch(value or "")
    return float(match.group(1)) * _PX_PER[match.group(2) or "px"] if match else 0.0


def _svg_size(data: bytes, written: str) -> tuple[float, float]:
    return _SvgReader(written).size(data)
