"""Pictures and formulas as HTML: each embedded as a `data:` URI, so the PDF shows the bytes
that were checked, the HTML (the fingerprint) changes with them, and WeasyPrint reads no
lesson file. A picture used twice is the same URI, which WeasyPrint embeds once. A picture
WeasyPrint says it could not draw is a mistake of the lesson, at the line that names it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from html import escape
from pathlib import Path

from jinja2.exceptions import SecurityError, TemplateRuntimeError
from markupsafe import Markup

from ..errors import ContentError, Location
from ..lesson.figures import FigureFile
from ..lesson.formulas import formula_problem, parsed
from .spoken import spoken
from .typography import kept_together, spacing

FORMULA_CLASS = "formula"  # of every formula's <img>: the PDF's tags call them Formula
_SIZE = 10.0  # ziamath's type size for a formula: its SVG units per em
_VIEW_BOX = re.compile(r'viewBox="([-0-9. ]+)"')
# What WeasyPrint logs for a picture it leaves out of the PDF.
_NOT_DRAWN = re.compile(
    r"Failed to (?:load image at '(?P<loaded>[^']*)'(?:: (?P<why>.*))?"
    r"|render SVG image (?P<drawn>\S+))",
    re.DOTALL,
)


@dataclass
class Media:
    """The pictures and formulas of one lesson as its documents show them: pictures looked
    up among the lesson's checked files by name, formulas said in words when the lesson is
    in English (else by their LaTeX), text set with the language's quotes and spacing. It
    tells the alt text and LaTeX of every formula a document draws (`noting`): the repair
    pass tags that document's formulas by it and writes their LaTeX into its text."""

    figures: Mapping[str, FigureFile]
    language: str
    quotes: str
    colours: Mapping[str, str] = field(default_factory=dict)  # the theme's, as #rrggbb
    _uris: dict[str, str] = field(default_factory=dict)
    _noting: list[dict[str, str]] = field(default_factory=list)

    @contextmanager
    def noting(self) -> Iterator[dict[str, str]]:
        """Within it, the formulas drawn are noted in the mapping it gives: alt text to LaTeX."""
        noted: dict[str, str] = {}
        self._noting.append(noted)
        try:
            yield noted
        finally:
            self._noting.remove(noted)

    def _figure(self, name: str) -> FigureFile:
        """The picture named `name`; a template asking for another is its mistake."""
        if not isinstance(name, str) or name not in self.figures:
            raise TemplateRuntimeError(f"the lesson has no picture named {name!r}")
        return self.figures[name]

    def src(self, name: str) -> str:
        """The `src` of the picture named `name`: a picture used twice is the same URI."""
        figure = self._figure(name)  # first: a template may pass anything as the name
        if name not in self._uris:
            data = base64.b64encode(figure.data).decode()
            self._uris[name] = f"data:{figure.media_type};base64,{data}"
        return self._uris[name]

    def not_drawn(self, source: Path, warnings: Iterable[str]) -> list[ContentError]:
        """The pictures of the lesson in `source` that WeasyPrint's `warnings` say it could
        not draw (a picture inside an SVG is its SVG's), each at the first line naming it."""
        problems: dict[str, ContentError] = {}
        for warning in warnings:
            if (found := _NOT_DRAWN.match(warning)) is None:
                continue
            uri = (found["loaded"] or found["drawn"]).encode()
            for name, figure in self.figures.items():
                if name not in problems and (self.src(name).encode() == uri or uri in figure.data):
                    why = f" ({found['why']})" if found["why"] else ""
                    problems[name] = ContentError(
                        _naming(source, name),
                        f"picture '{name}' could not be drawn{why}: it would be missing",
                        "export it again from the drawing program, as plain SVG or as PNG",
                    )
        return list(problems.values())

    def width(self, name: str) -> float:
        """The width the picture named `name` gives itself, in CSS px (a pixel of a
        photograph is one)."""
        return self._figure(name).width

    def ratio(self, name: str) -> float:
        """The height over the width of the picture named `name`."""
        return self._figure(name).ratio

    def size(self, name: str, most_width_in: float, most_height_in: float) -> str:
        """A CSS width and height for the picture named `name`: as large as fits in the box
        given (in inches), its proportions kept."""
        ratio = self.ratio(name)
        width = min(most_width_in, most_height_in / ratio)
        return f"width: {width:.3f}in; height: {width * ratio:.3f}in"

    def inline_picture(self, name: str, alt: str) -> str:
        """A picture standing in a table cell."""
        return f'<img class="cell-picture" src="{self.src(name)}" alt="{escape(alt)}">'

    def formula(self, latex: str, display: bool, colour: str | None = None) -> str:
        """A formula as an <img> of its SVG, sized in em so that it scales with the text and
        sitting on the baseline, drawn in black or in `colour` (#rrggbb: a picture does not
        take the text's colour); its alt text says it in words when the lesson is in
        English, else is its LaTeX (and is noted)."""
        if not isinstance(latex, str):  # a template's mistake: formula_block(lesson.sections)
            raise TemplateRuntimeError(f"a formula is its LaTeX, a text, not {latex!r}")
        english = self.language.split("-")[0].lower() == "en"
        html, alt = _formula(latex, display, english, colour)
        for noted in self._noting:
            noted[alt] = latex
        return html

    def formula_block(self, latex: str) -> Markup:
        """A `$$...$$` formula standing on its own."""
        return Markup(self.formula(latex, True))

    def markdown_env(self, ink: str | None = None) -> dict[str, object]:
        """What Markdown rendering needs to show formulas and pictures, and to set the
        words as the lesson's language does; with `ink`, the name of one of the theme's
        colours (`answer`), formulas are drawn in it, as the text around them is."""
        colour = self.colours.get(ink) if ink else None
        return {
            "formula": partial(self.formula, colour=colour),
            "picture": self.inline_picture,
            "quotes": self.quotes,
            "spacing": spacing(self.language),
            "kept_together": kept_together,
        }

    def template_globals(self) -> dict[str, object]:
        """The names templates call to place pictures and formulas."""
        return {
            "picture_src": self.src,
            "picture_ratio": self.ratio,
            "picture_width": self.width,
            "picture_size": self.size,
            "formula_block": self.formula_block,
        }


@cache  # LaTeX to SVG: pure, and the same formula recurs across slides, notes and handout
def _formula(
    latex: str, display: bool, in_words: bool, colour: str | None = None
) -> tuple[str, str]:
    if problem := formula_problem(latex, display):  # a lesson's were checked at load
        raise SecurityError(f"a template's formula: {problem}")
    drawn = parsed(latex, not display)
    svg = drawn.svg()
    if colour is not None:  # ziamath draws glyphs unfilled (black) and rules fill="black"
        fill = f'fill="{escape(colour)}"'
        svg = svg.replace("<svg ", f"<svg {fill} ", 1).replace('fill="black"', fill)
    alt = spoken(drawn.mathmlstr()) if in_words else latex
    box = _VIEW_BOX.search(svg)
    assert box is not None, "ziamath's SVG has a viewBox"
    _, top, _, height = (float(n) for n in box.group(1).split())
    depth = height + top  # below the baseline
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    style = f"height: {height / _SIZE:.3f}em; vertical-align: {-depth / _SIZE:.3f}em"
    tag = f'<img class="{FORMULA_CLASS}" src="{src}" alt="{escape(alt)}" style="{style}">'
    return (f'<span class="display-formula">{tag}</span>' if display else tag), alt


def _naming(source: Path, name: str) -> Location:
    """Where the lesson file `source` first names the picture `name` (its start when the
    file cannot be read again)."""
    try:
        lines = source.read_text("utf-8").splitlines()
    except (OSError, UnicodeError):
        lines = []
    return next(
        (
            Location(source, n, line.index(name) + 1)
            for n, line in enumerate(lines, 1)
            if name in line
        ),
        Location(source, 1, 1),
    )
