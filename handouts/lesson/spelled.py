"""How a character may be written in a lesson file, and text as it will be printed.

A character reaches the page as itself, as a YAML escape in "double quotes" (`\\u202E`),
or as a Markdown character reference (`&#x202E;`, `&#8203;`, `&ZeroWidthSpace;`). Checks
of what is printed read the decoded text, and point at the place it was written.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.entities import html5

# A Markdown character reference, as CommonMark reads one (markdown-it's pattern).
REFERENCE = re.compile(r"&(?:#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_YAML_NAMED = {"\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P", "\x00": "0"}


def decoded(text: str) -> str:
    """`text` with its Markdown character references read, as Markdown prints them."""
    if "&" not in text:
        return text
    return REFERENCE.sub(lambda match: html.unescape(match.group()), text)


@cache
def spellings(character: str) -> re.Pattern[str]:
    """Every way `character` may be written: itself, a YAML escape, a character reference."""
    point = ord(character)
    ways = [re.escape(character), rf"\\u0*{point:x}(?![0-9a-f])", rf"\\U0*{point:x}(?![0-9a-f])"]
    if point < 0x100:
        ways.append(rf"\\x{point:02x}")
    if character in _YAML_NAMED:
        ways.append(rf"(?-i:\\{_YAML_NAMED[character]})")
    ways += [rf"&#x0*{point:x};", rf"&#0*{point};"]
    named = (name for name, value in html5.items() if value == character and name.endswith(";"))
    ways += [re.escape(f"&{name}") for name in named]
    return re.compile("|".join(ways), re.IGNORECASE)
