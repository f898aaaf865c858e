"""A theme is a search path of folders: a project's own theme first, then the built-in theme
it names, if any (print-saver), the built-in default one last.

Every file of a theme (templates, `css/`, `fonts/`, `strings/`) is found by its name
relative to the theme folder, in the first folder that has it, so a project overrides any
built-in file by putting one of the same name in its theme folder (as Pelican's templates and
MkDocs' `custom_dir` do). Strings are the exception: a project's catalog overrides the
built-in one key by key, so a theme can change one word without copying the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..builtin import BUILTIN_THEME, ENGLISH_CATALOG, THEMES
from ..errors import ContentError, Location
from .strings import Strings, catalog_names, read_catalog

PROJECT_THEME = "theme"  # a folder of this name in the project folder is the project's theme
MAX_THEME_FILE_BYTES = 50_000_000  # the largest file a theme may hold (fonts are < 5 MB)
_CHUNK = 1 << 20  # theme files are hashed a megabyte at a time


def project_theme(root: Path) -> Path | None:
    """The project's own theme folder (`theme/` in the project folder `root`), if it has
    one: a folder inside the project, as course.yaml's `theme:` must name (a link out of
    the project is an error, and nothing of it is read)."""
    folder = root / PROJECT_THEME
    if not folder.is_dir():
        return None
    resolved, inside = folder.resolve(), root.resolve()
    if not resolved.is_relative_to(inside):
        raise ContentError(
            Location(folder, 1, 1),
            "the theme folder is a link to a folder outside the project: it is not read",
            "copy the theme into the project folder instead of linking to it",
        )
    return resolved


def theme_file(folder: Path, name: str) -> Path | None:
    """The file `name` of a theme folder, if it is one: a file inside the folder (not a
    link out of it), none of whose parts is hidden (editors' swap files and the like). Every
    reader of theme files (templates, stylesheets, fonts, catalogs, hashes) keeps to this."""
    parts = Path(name).parts
    if not parts or any(part.startswith(".") for part in parts):
        return None
    path = (folder / name).resolve()
    return path if path.is_relative_to(folder.resolve()) and path.is_file() else None


@dataclass(frozen=True)
class Theme:
    """The folders searched for a theme's files, the first that has a file winning."""

    folders: tuple[Path, ...] = (BUILTIN_THEME,)

    @classmethod
    def over_builtin(cls, *folders: Path | None) -> Theme:
        """The built-in default theme with `folders` (those given, first first) in front."""
        found = dict.fromkeys(folder.resolve() for folder in folders if folder is not None)
        found.pop(BUILTIN_THEME, None)
        return cls((*found, BUILTIN_THEME))

    def find(self, name: str) -> Path:
        """The file `name` (a path relative to a theme folder) of the first folder holding it."""
        for folder in self.folders:
            if (found := theme_file(folder, name)) is not None:
                return found
        raise FileNotFoundError(f"no {name} in the theme ({', '.join(map(str, self.folders))})")

    def files(self) -> dict[str, Path]:
        """Every file the theme uses, by its name relative to the theme folder."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for path in folder.rglob("*"):
                name = path.relative_to(folder).as_posix()
                if folder == BUILTIN_THEME and name.startswith(f"{THEMES}/"):
                    continue  # the other built-in themes' files: not the default theme's
                if theme_file(folder, name) is not None:
                    found[name] = path
        return dict(sorted(found.items()))


def catalog_files(theme: Theme, language: str) -> list[Path]:
    """The word catalogs `language` reads in `theme`, in the order they are read: the
    language's most general first (en, pt, pt-BR), for each the built-in folder's before a
    project's, so that a later one's words win."""
    found = (
        theme_file(folder, f"strings/{name}.yaml")
        for name in catalog_names(language)
        for folder in reversed(theme.folders)
    )
    return [path for path in found if path is not None]


def read_strings(theme: Theme, language: str) -> Strings:
    """The fixed words for `language`: the built-in English catalog, then each of the
    language's catalogs, checked against it (a catalog can reword what the built-in one
    has, and nothing else). A build reads them once (`BuildCache.strings`)."""
    builtin = read_catalog(ENGLISH_CATALOG)
    entries = dict(builtin)
    for path in catalog_files(theme, language):
        if path != ENGLISH_CATALOG:
            entries |= read_catalog(path, builtin)
    return Strings(entries)


def theme_digest(theme: Theme) -> str:
    """A hash of every file the theme uses, with its name: any edit changes it (a build
    hashes each theme once: `BuildCache.digest`)."""
    hasher = hashlib.sha256()
    for name, path in theme.files().items():
        hasher.update(name.encode() + b"\0")
        _hash_file(hasher, path)
        hasher.update(b"\0")
    return hasher.hexdigest()


def _hash_file(hasher: hashlib._Hash, path: Path) -> None:
    """Add the bytes of the theme file `path` to `hasher`, a megabyte at a time; a file
    over MAX_THEME_FILE_BYTES is an error of the theme's, naming it."""
    read = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            read += len(chunk)
            if read > MAX_THEME_FILE_BYTES:
                raise ContentError(
                    Location(path, 1, 1),
                    f"the theme file is over the limit of {MAX_THEME_FILE_BYTES:,} bytes",
                    "a theme holds templates, styles, fonts and small pictures: remove it",
                )
            hasher.update(chunk)
