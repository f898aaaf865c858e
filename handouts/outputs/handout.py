"""The class handout: portrait pages, the whole lesson, the comparison table in the flow."""

from __future__ import annotations

from typing import ClassVar

from . import register
from .kind import OutputKind


class Handout(OutputKind):
    """`<lesson>-handout.pdf`."""

    name = "handout"
    order = 10
    template = "handout.html.j2"
    stylesheets: ClassVar[tuple[str, ...]] = ("handout.css",)
    table_place = "on the handout"


register(Handout())
