"""The fixed words of the outputs ("Page 1 of 2", "Answer key"), one catalog per language.

Catalogs are `strings/<language>.yaml` files of a theme. A lesson in `pt-BR` reads `en`, then
`pt`, then `pt-BR`, each overriding the one before key by key, so a catalog may leave out
what it does not change.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Mapping
from pathlib import Path

from ..errors import ContentError, Location
from ..lesson.fields import wording_problem

FALLBACK_LANGUAGE = "en"
# What a CSS string in an HTML <style> must escape: its quote, backslashes, line ends, and
# "<", which could end the <style> element.
_CSS_STRING = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\a ", "<": "\\3c "})


def css_string(text: str) -> str:
    """`text` as a CSS string, quoted, to stand in an HTML <style>."""
    return f'"{text.translate(_CSS_STRING)}"'


class WordMisused(LookupError):
    """A template asked for a string that no catalog of the theme has, or without the
    fields it fills in."""


class Strings:
    """One language's fixed words: `strings("page_x_of_y", page=1, pages=2)`."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries

    def __call__(self, key: str, **fields: object) -> str:
        """The text of `key`, with `{name}` fields filled in (`{{` is a brace); an unknown
        key, or fields missing or of the wrong kind, is an error."""
        text = self._text(key)
        try:
            return text.format(**fields)
        except (LookupError, TypeError, ValueError) as error:
            raise WordMisused(f"the string '{key}' cannot fill in {fields}: {error}") from None

    def _text(self, key: str) -> str:
        try:
            return self.entries[key]
        except KeyError:
            raise WordMisused(
                f"no string '{key}' in the theme's catalogs (strings/*.yaml)"
            ) from None

    def reworded(self, labels: Mapping[str, str]) -> Strings:
        """These words with some replaced by a course's or lesson's own `labels`."""
        return Strings({**self.entries, **labels}) if labels else self

    def css(self, key: str) -> str:
        """The text of `key` as a CSS `content` value, its `{name}` fields as CSS counters:
        "Page {page} of {pages}" becomes `"Page " counter(page) " of " counter(pages)`."""
        parts = []
        for literal, field, _, _ in string.Formatter().parse(self._text(key)):
            if literal:
                parts.append(css_string(literal))
            if field:
                parts.append(f"counter({field})")
        return " ".join(parts)


def catalog_names(language: str) -> list[str]:
    """The catalogs a language reads, most general first: pt-BR reads en, pt, pt-BR."""
    parts = language.split("-")
    names = ["-".join(parts[: n + 1]) for n in range(len(parts))]
    return list(dict.fromkeys([FALLBACK_LANGUAGE, *names]))


class CatalogError(ContentError):
    """A mistake in a theme's word catalog, located in its file."""


def _line_of(lines: list[str], key: str) -> int:
    """The line (from 1) where `key:` is set in a catalog's lines, else 1."""
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


def read_catalog(path: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """A catalog file's entries, checked: `key: text` lines, and (given the `known` strings)
    only known keys, whose text fills in no other fields than the known text does."""
    import yaml  # only when something may be built

    text = path.read_text("utf-8")
    try:
        entries = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        raise CatalogError(place, f"this catalog is not valid YAML: {error.problem}") from None
    lines = text.splitlines()
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        raise CatalogError(Location(path, 1, 1), "a catalog holds 'key: text' lines")
    for key, value in entries.items():
        _check_entry(path, lines, str(key), value, known)
    return {str(key): value for key, value in entries.items()}


def _check_entry(
    path: Path, lines: list[str], key: str, value: object, known: dict[str, str] | None
) -> None:
    where = Location(path, _line_of(lines, key), 1)
    if not isinstance(value, str):
        raise CatalogError(where, f"'{key}' must be text", f'put it in quotes: {key}: "..."')
    from ..lesson.invisible import refused_character  # with the YAML reader: at a read

    if refused := refused_character(value, where, path.stem):
        raise CatalogError(where, f"'{key}': {refused.message}", refused.hint)
    if known is None:
        return
    if key not in known:
        meant = difflib.get_close_matches(key, list(known), n=1)
        hint = f"did you mean '{meant[0]}'?" if meant else "see templates/strings/en.yaml"
        raise CatalogError(where, f"unknown string '{key}'", hint)
    if problem := wording_problem(f"'{key}'", value, known[key]):
        raise CatalogError(where, *problem)
