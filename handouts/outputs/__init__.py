"""The outputs a lesson gives, as registered kinds: one module of this package each.

Every module here registers its kind when the package is imported; a kind made elsewhere
is added with `register`. An installed package offers its kinds to every build through the
entry-point group PLUGINS (`[project.entry-points."handouts.outputs"]`, each naming an
`OutputKind` or its class), loaded after the built-in kinds. The build, `--only` and the
tests go through the registry, never through a list of names.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TypeVar

from ..provenance import install_records
from .kind import OutputKind as OutputKind  # public: the type of every registered kind

PLUGINS = "handouts.outputs"  # the entry-point group of installed output kinds
_KINDS: dict[str, OutputKind] = {}
_IN_ORDER: tuple[OutputKind, ...] = ()  # _KINDS' values in their order, kept as they change
_Kind = TypeVar("_Kind", bound=OutputKind)


def register(kind: _Kind, override: bool = False) -> _Kind:
    """Add an output kind; returns it, as the kind it is. A kind of a name already taken is
    refused (ValueError) unless `override` says to replace it."""
    if kind.name in _KINDS and not override and _KINDS[kind.name] is not kind:
        raise ValueError(f"an output kind named '{kind.name}' is registered already")
    _KINDS[kind.name] = kind
    _sort()
    return kind


def unregister(name: str) -> None:
    """Remove the output kind called `name`, if there is one."""
    _KINDS.pop(name, None)
    _sort()


def _sort() -> None:
    global _IN_ORDER
    _IN_ORDER = tuple(sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name)))


def kinds() -> tuple[OutputKind, ...]:
    """Every registered kind, in their order (sorted as they are registered: a no-op build
    of a thousand lessons asks tens of thousands of times)."""
    return _IN_ORDER


def names() -> tuple[str, ...]:
    """The names of the registered kinds, in their order."""
    return tuple(kind.name for kind in kinds())


def get(name: str) -> OutputKind:
    """The kind called `name`; KeyError when there is none."""
    return _KINDS[name]


def _load_plugins() -> tuple[str, ...]:
    """Register the kinds installed packages offer (PLUGINS); what kept any from loading,
    one sentence each (a plug-in's fault never stops a build)."""
    group = f"[{PLUGINS}]"
    declared = (record / "entry_points.txt" for record in install_records())
    if not any(group in path.read_text("utf-8") for path in declared if path.is_file()):
        return ()  # none: importlib.metadata is not imported (a tenth of a no-op build)
    from importlib.metadata import entry_points

    problems = []
    for point in entry_points(group=PLUGINS):
        try:
            offered = point.load()
            kind = offered() if isinstance(offered, type) else offered
            if not isinstance(kind, OutputKind):
                raise TypeError(f"{point.value} is not an output kind")
            register(kind)
        except Exception as error:  # whatever a plug-in's own code raises
            problems.append(f"the output kind '{point.name}' of {point.value} is left out: {error}")
    return tuple(problems)


def plugin_problems() -> tuple[str, ...]:
    """What kept installed plug-ins' kinds from loading (see `_load_plugins`)."""
    return _PLUGIN_PROBLEMS


for _module in pkgutil.iter_modules(__path__):
    if _module.name != "kind":
        importlib.import_module(f"{__name__}.{_module.name}")
_PLUGIN_PROBLEMS = _load_plugins()
