"""What a template may do: lay out what it is given, with a few filters, and nothing else.

Every template (built-in or a theme's) runs in Jinja2's immutable sandbox: no attribute of
Python's internals (`__globals__`, `__class__`...), no method that changes a list or a
dict, of the methods of texts and lists only those that make nothing larger (METHODS),
and of Jinja2's globals only `range`. Filters are the few below. No value a template makes
(by `~`, `+`, `*`, `**`, `%`, a list it writes, a filter) is larger than MAX_MADE
characters and items, and no number than MAX_BITS.

A rendering is bounded too: every loop turn, call, attribute look-up, `range` item and
repeated item is a step (a macro's call ten), and one document may take at most MAX_STEPS
of them and make at most MAX_HTML characters. The built-in templates take about 35,000
steps for a lesson of 480 table rows and 60 sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import Environment, nodes, pass_context, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import (
    do_batch,
    do_replace,
    make_attrgetter,
    sync_do_join,
    sync_do_slice,
    sync_do_sum,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.visitor import NodeTransformer

# Jinja2's filters a template may use (join, replace, sum, batch and slice bounded below).
FILTERS = (
    "abs", "capitalize", "default", "d", "e", "escape", "first", "float", "int",
    "last", "length", "list", "lower", "max", "min", "reject", "rejectattr",
    "reverse", "round", "safe", "select", "selectattr", "sort",
    "string", "striptags", "title", "trim", "unique", "upper",
)  # fmt: skip
# The methods of texts, numbers, lists and dicts a template may call: none makes a value
# larger than its own (`"x".ljust(10**9)` would).
METHODS = frozenset((
    "get", "items", "keys", "values", "count", "find", "rfind", "index", "rindex",
    "startswith", "endswith", "split", "rsplit", "splitlines", "strip", "lstrip", "rstrip",
    "partition", "rpartition", "lower", "upper", "title", "capitalize", "casefold",
    "isalpha", "isalnum", "isdigit", "isdecimal", "isnumeric", "isspace", "islower",
    "isupper", "istitle",
))  # fmt: skip
_PERCENT_SIZES = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d*))?")
MAX_BITS = 4096  # the largest number a template may compute: `2 ** 4096`
MAX_WIDTH = 100  # the widest field or precision of a `%` format: `"%100s"`
MAX_ITEMS = 100_000  # the most items `range`, `batch` or `slice` may make
MAX_MADE = 1_000_000  # the characters and items of one value a template makes
MAX_STEPS = 1_000_000  # steps one document's rendering may take (seconds at most)
MAX_HTML = 50_000_000  # characters of HTML one document may have
MACRO_STEPS = 10  # the steps of a call of a macro
_BUILTIN_VALUES = (str, bytes, int, float, complex, list, tuple, dict, set, frozenset, range)
_steps_left: ContextVar[list[int]] = ContextVar("steps_left")


@contextmanager
def rendering() -> Iterator[None]:
    """A document's rendering, with MAX_STEPS to spend."""
    token = _steps_left.set([MAX_STEPS])
    try:
        yield
    finally:
        _steps_left.reset(token)


def _spend(steps: int) -> None:
    """Take `steps` from the rendering's budget; a template past it is stopped."""
    left = _steps_left.get(None)
    if left is None:
        return  # not inside `rendering()`: compiling or checking, nothing runs long
    left[0] -= steps
    if left[0] < 0:
        raise SecurityError(
            f"the template takes more than {MAX_STEPS:,} steps (loop turns, calls, look-ups)"
            " for one document: loop over what the lesson gives, not over itself"
        )


def _size(value: Any) -> int:
    """The characters and items of `value` as printed, counted into its lists and dicts
    (a list holding one list many times counts it each time), up to just past MAX_MADE."""
    total, todo = 0, [value]
    while todo and total <= MAX_MADE:
        item = todo.pop()
        if isinstance(item, str):
            total += max(len(item), 1)
        elif isinstance(item, dict):
            total += 1
            todo.extend(item.items())
        elif isinstance(item, (list, tuple, set, frozenset, range)):
            total += 1
            todo.extend(item)
        else:  # a number (at most MAX_BITS), or an object of the lesson: as large as it
            total += 1
    return total


def _made(size: int) -> None:
    """Refuse to make a value of `size` characters and items past MAX_MADE."""
    if size > MAX_MADE:
        raise SecurityError(
            f"the template makes a value of more than {MAX_MADE:,} characters or items"
        )
    _spend(size // 100)


def _bounded(value: Any) -> Any:
    """`value`, once its size is known to be within MAX_MADE (the environment's finalize:
    what a template prints)."""
    _made(_size(value))
    return value


# The filters the compiled template passes its loops, lists and `~` through take the
# context they do not use: Jinja2 would otherwise run them once at compile time on a
# constant (`{% for x in [1, 2] %}`), and keep the value they made then.
@pass_context
def _checked(context: Context, value: Any) -> Any:
    """A list, tuple or dict the template writes, within MAX_MADE."""
    return _bounded(value)


@pass_context
def _concatenated(context: Context, items: list[Any]) -> str:
    """`a ~ b ~ ...`, within MAX_MADE."""
    _made(_size(items))
    return markup_join(items)


@pass_context
def _counted(context: Context, items: Iterable[Any]) -> Iterator[Any]:
    """The items of a `for` loop, one step each."""
    for item in items:
        _spend(1)
        yield item


def _range(*args: int) -> range:
    """Jinja2's sandboxed `range`, one step per item."""
    items = safe_range(*args)
    _spend(len(items))
    return items


@pass_eval_context
def _join(context: EvalContext, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    """Jinja2's `join`, within MAX_MADE."""
    items = list(value)
    _made(_size(items) + len(str(d)) * len(items))
    return sync_do_join(context, items, d, attribute)  # Markup when it escaped


@pass_eval_context
def _replace(context: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
    """Jinja2's `replace`, within MAX_MADE."""
    text, before, after = str(s), str(old), str(new)
    times = text.count(before) if before else len(text) + 1
    if count is not None and count >= 0:
        times = min(times, count)
    _made(len(text) + times * max(len(after) - len(before), 0))
    return do_replace(context, s, old, new, count)  # Markup when it escaped


@pass_environment
def _sum(env: Environment, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
    """Jinja2's `sum`, within MAX_MADE (a sum of lists or texts is as long as they are)."""
    items = list(iterable)
    if attribute is not None:
        items = [make_attrgetter(env, attribute)(item) for item in items]
    _made(_size([start, *items]))
    return sync_do_sum(env, items, None, start)


def _filled(value: Any, count: int, fill_with: Any) -> list[Any]:
    """The items of `value`, once `count` parts filled with `fill_with` are within bounds."""
    items = list(value)
    if count > MAX_ITEMS:
        raise SecurityError(f"batch and slice make at most {MAX_ITEMS:,} parts")
    _made(_size(items) + max(count, 0) * _size(fill_with))
    return items


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Iterator[list[Any]]:
    """Jinja2's `batch`, within bounds."""
    return do_batch(_filled(value, linecount, fill_with), linecount, fill_with)


def _slice(value: Iterable[Any], slices: int, fill_with: Any = None) -> Iterator[list[Any]]:
    """Jinja2's `slice`, within bounds."""
    return sync_do_slice(_filled(value, slices, fill_with), slices, fill_with)


BOUNDED = {"join": _join, "replace": _replace, "sum": _sum, "batch": _batch, "slice": _slice}
_OWN = {"_counted": _counted, "_checked": _checked, "_concatenated": _concatenated}


def joined(chunks: Iterable[str]) -> str:
    """A template's output, refused once it passes MAX_HTML characters."""
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_HTML:
            raise SecurityError(f"the template makes more than {MAX_HTML:,} characters of HTML")
        kept.append(chunk)
    return "".join(kept)


def _filtered(node: nodes.Node, name: str) -> nodes.Filter:
    """`node | name`."""
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class _Bounding(NodeTransformer):
    """A template's loops counted, and the lists and texts it writes checked."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filtered(node.iter, "_counted")
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filtered(nodes.List(node.nodes, lineno=node.lineno), "_concatenated")

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node  # names assigned to: `{% for key, value in ... %}`
        return _filtered(node, "_checked")

    visit_List = visit_Tuple = visit_Dict = _literal


class _BoundingGenerator(CodeGenerator):
    """Jinja2's code generator, for a template bounded by `_Bounding`."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        _Bounding().visit(node)
        super().visit_Template(node, frame)


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """A sandbox in which no value a template makes is huge, and no rendering endless."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = _BoundingGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options, finalize=_bounded)
        self.filters = {name: self.filters[name] for name in FILTERS} | BOUNDED | _OWN
        self.globals = {"range": _range}

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from a template: one step, a macro's ten (it costs about as much); of
        the methods of texts, numbers, lists and dicts only METHODS."""
        _spend(MACRO_STEPS if isinstance(__obj, Macro) else 1)
        name = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), _BUILTIN_VALUES) and name not in METHODS:
            raise SecurityError(f"a template cannot call .{name}()")
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute`: one step."""
        _spend(1)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`obj[argument]`: one step."""
        _spend(1)
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`left operator right`, unless its result would be huge or it formats text."""
        if operator == "%" and isinstance(left, str) and _widest(left) > MAX_WIDTH:
            raise SecurityError(f"a '%' format is too wide (at most {MAX_WIDTH} characters)")
        if operator == "**" and isinstance(right, int) and _bits(left) * abs(right) > MAX_BITS:
            raise SecurityError(f"a number is too large (at most {MAX_BITS} bits)")
        if operator == "*" and _bits(left) + _bits(right) > MAX_BITS:
            raise SecurityError(f"a number is too large (at most {MAX_BITS} bits)")
        if operator == "*" and (repeated := _repeated(left, right)):
            _made(repeated)
        if operator == "+" and not isinstance(left, (int, float)):
            _made(_size(left) + _size(right))
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
    """The characters and items `left * right` makes when it repeats a sequence, else 0."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return _size(seq) * max(count, 0)
    return 0
