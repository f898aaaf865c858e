"""The `{fields}` a fixed word fills in: a catalog or a label that rewords a word may fill
in the fields the word has, and no others (the lesson's labels are checked by the loader,
the theme's catalogs by the renderer's word reader)."""

from __future__ import annotations

import string


def fields_of(text: str) -> set[str]:
    """The `{name}` fields a string fills in."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def extra_fields(what: str, text: str, known: str) -> tuple[str, str] | None:
    """Why `text` (`what`, as an error names it), rewording a string whose text is `known`,
    fills in fields that `known` does not (message, hint), or None when it fills in no others."""
    extra = fields_of(text) - fields_of(known)
    if not extra:
        return None
    allowed = ", ".join(f"{{{field}}}" for field in sorted(fields_of(known)))
    return (
        f"{what} fills in {', '.join(f'{{{f}}}' for f in sorted(extra))}, which it does not have",
        f"it has {allowed}" if allowed else "it fills in nothing",
    )
