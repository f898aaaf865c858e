"""What a template may do: lay out what it is given, with a few filters, and nothing else.

Every template (built-in or a theme's) runs in Jinja2's immutable sandbox: no attribute of
Python's internals (`__globals__`, `__class__`...), no method that changes a list or a
dict, no `str.format`, and no `%` format, power or repetition whose result is huge, and of
Jinja2's globals only `range` (at most 100,000 items). Filters are the few below.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Jinja2's filters a template may use: none makes a text wider than what it is given.
FILTERS = (
    "abs", "batch", "capitalize", "default", "d", "e", "escape", "first", "float", "int",
    "join", "last", "length", "list", "lower", "max", "min", "reject", "rejectattr",
    "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
    "string", "striptags", "sum", "title", "trim", "unique", "upper",
)  # fmt: skip
GLOBALS = ("range",)
_PERCENT_SIZES = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d*))?")
MAX_BITS = 4096  # the largest power a template may compute: `2 ** 4096`
MAX_WIDTH = 100  # the widest field or precision of a `%` format: `"%100s"`
MAX_ITEMS = 100_000  # the longest text or list `*` may repeat to, as `range`


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """A sandbox whose `*`, `**` and `%` cannot make a huge value."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: self.filters[name] for name in FILTERS}
        self.globals = {name: self.globals[name] for name in GLOBALS}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`left operator right`, unless its result would be huge or it formats text."""
        if operator == "%" and isinstance(left, str) and _widest(left) > MAX_WIDTH:
            raise SecurityError(f"a '%' format is too wide (at most {MAX_WIDTH} characters)")
        if operator == "**" and isinstance(right, int) and _bits(left) * abs(right) > MAX_BITS:
            raise SecurityError(f"a power is too large (at most {MAX_BITS} bits)")
        if operator == "*" and _repeated(left, right) > MAX_ITEMS:
            raise SecurityError(f"a repetition is too large (at most {MAX_ITEMS} items)")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> None:
        """`str.format` is not for templates (it reaches attributes): refused."""
        if super().wrap_str_format(value) is not None:
            raise SecurityError("str.format cannot be used in a template: join text with '~'")


def _widest(text: str) -> int:
    """The largest width or precision of the `%` format `text` (`*` counts as too wide)."""
    if "*" in text:
        return MAX_WIDTH + 1
    sizes = (int(size or 0) for found in _PERCENT_SIZES.finditer(text) for size in found.groups())
    return max(sizes, default=0)


def _bits(number: Any) -> int:
    """The bits of an integer (0 for anything else: Python's own limits hold for floats)."""
    return number.bit_length() if isinstance(number, int) else 0


def _repeated(left: Any, right: Any) -> int:
    """How many items (characters) `left * right` makes when it repeats a sequence, else 0."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return len(seq) * count
    return 0
