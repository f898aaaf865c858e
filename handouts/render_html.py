"""Stage 2: a lesson and the templates make the HTML of one output."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import __version__
from .formats import TEMPLATES, TEMPLATES_DIR, Paper
from .markup import render_inline
from .model import ItemList, Lesson, Paragraph
from .slides import Slide, SlideKind, deck
from .worksheet import writing_lines

_JINJA = getattr(jinja2, "__version__", "3")


def _markdown(text: str) -> Markup:
    return Markup(render_inline(text))


@cache
def environment(templates: Path = TEMPLATES_DIR) -> Environment:
    """The Jinja2 environment: autoescape on for every template, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(templates),
        # Compiled templates are kept (per user, keyed by their source, this tool's and
        # Jinja2's versions) between runs: compiling took a quarter of a no-op build.
        bytecode_cache=FileSystemBytecodeCache(pattern=f"handouts-{__version__}-{_JINJA}-%s.cache"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _markdown
    env.filters["writing_lines"] = writing_lines
    env.tests["paragraph"] = lambda block: isinstance(block, Paragraph)
    env.tests["item_list"] = lambda block: isinstance(block, ItemList)
    return env


def render(lesson: Lesson, output: str, paper: Paper) -> str:
    """The HTML of one output of a lesson; for "notes", that of the slides it shows."""
    template = environment().get_template(TEMPLATES["slides" if output == "notes" else output])
    slides = deck(lesson) if output in ("slides", "notes") else ()
    return template.render(
        lesson=lesson,
        paper=paper,
        slides=slides,
        SlideKind=SlideKind,
        answers=output == "answers",
    )


def notes(lesson: Lesson, paper: Paper, per_page: int, pages: list[tuple[int, Slide, bool]]) -> str:
    """The HTML of the note-taking handout's pages: a frame per page of the deck, in order.

    `pages` gives, for each page of the deck, its number, the slide it shows and whether
    that slide began on an earlier page.
    """
    template = environment().get_template(TEMPLATES["notes"])
    return template.render(lesson=lesson, paper=paper, per_page=per_page, pages=pages)
