"""The class handout: portrait pages, the whole lesson, the comparison table in the flow."""

from __future__ import annotations

from . import register
from .kind import OutputKind


class Handout(OutputKind):
    """`<lesson>-handout.pdf`."""

    name = "handout"
    order = 10
    template = "handout.html.j2"
    stylesheets = ("handout.css",)
    table_place = "on the handout"


register(Handout())
