"""Pictures and formulas as HTML: each embedded as a `data:` URI, so the PDF shows the bytes
that were checked, the HTML (the fingerprint) changes with them, and WeasyPrint reads no
lesson file. A picture used twice is the same URI, which WeasyPrint embeds once.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from html import escape
from types import MappingProxyType

from markupsafe import Markup

from ..lesson.figures import FigureFile
from ..lesson.formulas import parsed
from .spoken import spoken
from .theme import when_forgotten
from .typography import spacing

FORMULA_CLASS = "formula"  # of every formula's <img>: the PDF's tags call them Formula
_SIZE = 10.0  # ziamath's type size for a formula: its SVG units per em
_VIEW_BOX = re.compile(r'viewBox="([-0-9. ]+)"')
_FIGURES: ContextVar[Mapping[str, FigureFile]] = ContextVar("figures", default=MappingProxyType({}))
_ENGLISH: ContextVar[bool] = ContextVar("english", default=True)
_WORDS: ContextVar[Mapping[str, object]] = ContextVar("words", default=MappingProxyType({}))


@contextmanager
def for_lesson(figures: Mapping[str, FigureFile], language: str, quotes: str) -> Iterator[None]:
    """Within it, pictures are looked up among `figures` (a lesson's, by name), formulas
    are said in words when the lesson is in English (else by their LaTeX), and text takes
    the language's `quotes` and spacing."""
    words = {"quotes": quotes, "spacing": spacing(language)}
    tokens = (
        _FIGURES.set(figures),
        _ENGLISH.set(language.split("-")[0].lower() == "en"),
        _WORDS.set(words),
    )
    try:
        yield
    finally:
        _FIGURES.reset(tokens[0])
        _ENGLISH.reset(tokens[1])
        _WORDS.reset(tokens[2])


@cache
def _data_uri(figure: FigureFile) -> str:
    return f"data:{figure.media_type};base64,{base64.b64encode(figure.data).decode()}"


when_forgotten(_data_uri.cache_clear)  # each build anew: watch keeps no picture it replaced


def picture_src(name: str) -> str:
    """The `src` of the picture a lesson names `name` (checked when the lesson loaded)."""
    return _data_uri(_FIGURES.get()[name])


def picture_width(name: str) -> float:
    """The width the picture a lesson names `name` gives itself, in CSS px (a pixel of a
    photograph is one)."""
    return _FIGURES.get()[name].width


def picture_ratio(name: str) -> float:
    """The height over the width of the picture a lesson names `name`."""
    return _FIGURES.get()[name].ratio


def inline_picture(name: str, alt: str) -> str:
    """A picture standing in a table cell."""
    return f'<img class="cell-picture" src="{picture_src(name)}" alt="{escape(alt)}">'


def formula(latex: str, display: bool) -> str:
    """A formula as an <img> of its SVG, sized in em so that it scales with the text and
    sitting on the baseline; its alt text says it in words (in English), else is its LaTeX."""
    return _formula(latex, display, _ENGLISH.get())


@cache
def _formula(latex: str, display: bool, in_words: bool) -> str:
    drawn = parsed(latex, not display)
    svg = drawn.svg()
    alt = spoken(drawn.mathmlstr()) if in_words else latex
    box = _VIEW_BOX.search(svg)
    assert box is not None, "ziamath's SVG has a viewBox"
    _, top, _, height = (float(n) for n in box.group(1).split())
    depth = height + top  # below the baseline
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    style = f"height: {height / _SIZE:.3f}em; vertical-align: {-depth / _SIZE:.3f}em"
    tag = f'<img class="{FORMULA_CLASS}" src="{src}" alt="{escape(alt)}" style="{style}">'
    return f'<span class="display-formula">{tag}</span>' if display else tag


def picture_size(name: str, most_width_in: float, most_height_in: float) -> str:
    """A CSS width and height for the picture named `name`: as large as fits in the box
    given (in inches), its proportions kept."""
    ratio = picture_ratio(name)
    width = min(most_width_in, most_height_in / ratio)
    return f"width: {width:.3f}in; height: {width * ratio:.3f}in"


def markdown_env() -> dict[str, object]:
    """What Markdown rendering needs to show formulas and pictures, and to set the words
    as the lesson's language does."""
    return {"formula": formula, "picture": inline_picture, **_WORDS.get()}


def formula_block(latex: str) -> Markup:
    """A `$$...$$` formula standing on its own."""
    return Markup(formula(latex, True))
