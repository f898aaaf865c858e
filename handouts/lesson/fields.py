"""The `{fields}` a fixed word fills in: a catalog or a label that rewords a word may fill
in the fields the word has, and no others, each plainly (the lesson's labels are checked by
the loader, the theme's catalogs by the renderer's word reader).

A field is `{name}` or, for a number, `{name:>3}`: an alignment, a sign, zeros, a width up to
MAX_WIDTH and a grouping, as Python's format mini-language writes them. Nothing else: no
conversion (`!r`), no attribute or item (`{number.real}`), no field by position (`{}`), no
field inside a format; `{{` and `}}` are the braces themselves.
"""

from __future__ import annotations

import re
import string

MAX_WIDTH = 100
# The fields numbers fill in, and the formats each may have: page numbers are CSS counters
# in the page's margin (`counter(page)`), which take none.
_NUMBER_FORMAT = re.compile(r"(?:[^{}]?[<>^=])?[-+ ]?0?(?P<width>\d*)[,_]?d?")
FORMATS: dict[str, re.Pattern[str] | None] = {"number": _NUMBER_FORMAT, "page": None, "pages": None}


def fields_of(text: str) -> set[str]:
    """The `{name}` fields a string fills in (a string with stray braces fills in none)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return set()


def wording_problem(what: str, text: str, known: str) -> tuple[str, str] | None:
    """Why `text` (`what`, as an error names it), rewording a string whose text is `known`,
    cannot be printed (message, hint), or None when it fills in `known`'s fields plainly."""
    allowed = fields_of(known)
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return f"{what} has a stray brace", "write {{ or }} for a brace itself"
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        written = f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
        if field not in allowed:
            has = ", ".join(f"{{{name}}}" for name in sorted(allowed))
            return (
                f"{what} fills in {written}, which it does not have",
                f"it has {has}" if has else "it fills in nothing",
            )
        if conversion:
            return f"{what} converts {written} with '!{conversion}'", f"write it {{{field}}}"
        if spec and not _plain_format(field, spec):
            return f"{what} formats {written} as it cannot", _format_hint(field)
    return None


def _format_hint(field: str) -> str:
    """What formats the field may have."""
    if FORMATS.get(field) is None:
        return f"write it {{{field}}}, without a format"
    return f"a number may have an alignment and a width up to {MAX_WIDTH}, as in {{{field}:>3}}"


def _plain_format(field: str, spec: str) -> bool:
    """Whether `spec` is a format the field may have, its width at most MAX_WIDTH."""
    pattern = FORMATS.get(field)
    found = pattern.fullmatch(spec) if pattern else None
    return found is not None and int(found["width"] or 0) <= MAX_WIDTH
