"""The worksheet: the comparison table with ruled writing space in place of the answers."""

from __future__ import annotations

from typing import Any

from . import register
from .kind import OutputKind, Prepared, Settings


class Worksheet(OutputKind):
    """`<lesson>-worksheet.pdf`: its HTML never holds an answer."""

    name = "worksheet"
    order = 50
    template = "worksheet.html.j2"
    stylesheets = ("worksheet.css",)
    needs_comparison = True
    table_place = "on the worksheet"
    with_answers = False

    def context(self, prepared: Prepared, settings: Settings) -> dict[str, Any]:
        """Whether the answers are written on the lines."""
        return {"answers": self.with_answers}


register(Worksheet())
