"""The outputs a lesson gives, as registered kinds: one module of this package each.

Every module here registers its kind when the package is imported; a kind made elsewhere
(a plug-in, or a test) is added with `register`. The build, `--only` and the tests go
through the registry, never through a list of names.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TypeVar

from .kind import OutputKind as OutputKind  # public: the type of every registered kind

_KINDS: dict[str, OutputKind] = {}
_Kind = TypeVar("_Kind", bound=OutputKind)


def register(kind: _Kind) -> _Kind:
    """Add an output kind (replacing one of the same name); returns it, as the kind it is."""
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove the output kind called `name`, if there is one."""
    _KINDS.pop(name, None)


def kinds() -> tuple[OutputKind, ...]:
    """Every registered kind, in their order."""
    return tuple(sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name)))


def names() -> tuple[str, ...]:
    """The names of the registered kinds, in their order."""
    return tuple(kind.name for kind in kinds())


def get(name: str) -> OutputKind:
    """The kind called `name`; KeyError when there is none."""
    return _KINDS[name]


for _module in pkgutil.iter_modules(__path__):
    if _module.name != "kind":
        importlib.import_module(f"{__name__}.{_module.name}")
