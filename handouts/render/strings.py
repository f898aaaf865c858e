"""The fixed words of the outputs ("Page 1 of 2", "Answer key"), one catalog per language.

Catalogs are `strings/<language>.yaml` files of a theme. A lesson in `pt-BR` reads `en`, then
`pt`, then `pt-BR`, each overriding the one before key by key, so a catalog may leave out
what it does not change.
"""

from __future__ import annotations

import string
from pathlib import Path

FALLBACK_LANGUAGE = "en"
# What a CSS string in an HTML <style> must escape: its quote, backslashes, line ends, and
# "<", which could end the <style> element.
_CSS_STRING = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\a ", "<": "\\3c "})


class MissingString(LookupError):
    """A template or the code asked for a string that no catalog of the theme has."""


class Strings:
    """One language's fixed words: `strings("page_x_of_y", page=1, pages=2)`."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries

    def __call__(self, key: str, **fields: object) -> str:
        """The text of `key`, with `{name}` fields filled in; an unknown key is an error."""
        try:
            text = self.entries[key]
        except KeyError:
            raise MissingString(
                f"no string '{key}' in the theme's catalogs (strings/*.yaml)"
            ) from None
        return text.format(**fields) if fields else text

    def css(self, key: str) -> str:
        """The text of `key` as a CSS `content` value, its `{name}` fields as CSS counters:
        "Page {page} of {pages}" becomes `"Page " counter(page) " of " counter(pages)`."""
        parts = []
        for literal, field, _, _ in string.Formatter().parse(self(key)):
            if literal:
                parts.append(f'"{literal.translate(_CSS_STRING)}"')
            if field:
                parts.append(f"counter({field})")
        return " ".join(parts)


def catalog_names(language: str) -> list[str]:
    """The catalogs a language reads, most general first: pt-BR reads en, pt, pt-BR."""
    parts = language.split("-")
    names = ["-".join(parts[: n + 1]) for n in range(len(parts))]
    return list(dict.fromkeys([FALLBACK_LANGUAGE, *names]))


def read_catalog(path: Path) -> dict[str, str]:
    """A catalog file's entries (none when the file does not exist)."""
    if not path.is_file():
        return {}
    import yaml  # only when something may be built

    entries = yaml.load(path.read_text("utf-8"), Loader=yaml.SafeLoader) or {}
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: a strings catalog holds 'key: text' lines")
    return {str(key): str(value) for key, value in entries.items()}
