"""A template of the theme and what an output gives it make the HTML of one document."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..derive.deck import is_statement
from ..errors import ContentError, Location
from ..lesson.markdown import render_inline
from ..lesson.model import (
    Figure,
    FillIn,
    Formula,
    ItemList,
    Matching,
    MultipleChoice,
    Paragraph,
    ShortAnswer,
    TrueOrFalse,
)
from ..provenance import tool_digest
from . import sandbox
from .kept import kept_path
from .layout import ELEMENT_IDS
from .pictures import Media
from .sandbox import ThemeSandbox, joined, rendering
from .strings import WordMisused, css_string
from .theme import Theme

PACKAGE = Path(__file__).resolve().parent.parent  # a frame here is our code, not a template's
SANDBOX_FILTERS = Path(sandbox.__file__).resolve()  # ...but for the filters run through ours
# Errors a template's own expressions make (`1/0`, `1 + "a"`, a template including itself):
# the template's mistake, unless our code raised them (see `_templates_fault`).
_TEMPLATE_FAULTS = (ArithmeticError, LookupError, RecursionError, TypeError, ValueError)


# The quiz's questions, as templates test them: `question is matching`.
QUESTION_KINDS: dict[str, type] = {
    "multiple_choice": MultipleChoice,
    "true_or_false": TrueOrFalse,
    "short_answer": ShortAnswer,
    "matching": Matching,
    "fill_in": FillIn,
}


def _is_a(kind: type) -> Callable[[object], bool]:
    """The template test of whether a value is a `kind`."""

    def test(value: object) -> bool:
        return isinstance(value, kind)

    return test


class TemplateProblem(ContentError):
    """A mistake in a template (ours, or one a project theme put in front of ours)."""


@pass_context
def _markdown(context: Context, text: str, ink: str | None = None) -> Markup:
    """Markdown as HTML, with the pictures, formulas and words of the document's lesson;
    `ink` names the theme colour the text is printed in (`md(ink="answer")`), which its
    formulas, being pictures, are then drawn in too."""
    if not isinstance(text, str):
        raise jinja2.TemplateRuntimeError(f"md takes a text, not {type(text).__name__}")
    media: Media = context["media"]
    if ink is not None and (not isinstance(ink, str) or ink not in media.colours):
        known = ", ".join(sorted(media.colours))
        raise jinja2.TemplateRuntimeError(f"md's ink is a colour of theme.css ({known})")
    return Markup(render_inline(text, media.markdown_env(ink)))


class ThemeLoader(jinja2.BaseLoader):
    """Templates from the theme's folders, the first that has one winning, read only as
    `theme_file` allows (no links out of the theme, no hidden files)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The template's source and file; Jinja2 reloads it when the file changes."""
        try:
            path = self.theme.find(template)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        modified = path.stat().st_mtime_ns

        def unchanged() -> bool:
            try:
                return path.stat().st_mtime_ns == modified
            except OSError:
                return False

        data = path.read_bytes()
        try:
            return data.decode("utf-8"), str(path), unchanged
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise TemplateProblem(
                Location(path, line, column),
                "template error: this template is not UTF-8 text",
                "save it as UTF-8",
            ) from None


def environment(theme: Theme) -> Environment:
    """The Jinja2 environment of a theme: its folders searched in order, in the sandbox
    (`render/sandbox.py`), autoescape on for every template, undefined names are errors
    (a build makes one per theme: `BuildCache.templates`)."""
    compiled = kept_path("templates")
    compiled.mkdir(exist_ok=True)
    env = ThemeSandbox(
        loader=ThemeLoader(theme),
        # Compiled templates are kept between runs (per user, keyed by their source and by
        # this tool's code and libraries): compiling took a quarter of a no-op build.
        bytecode_cache=FileSystemBytecodeCache(str(compiled), f"{tool_digest()[:16]}-%s.cache"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _markdown
    env.filters["css_string"] = lambda text: Markup(css_string(str(text)))
    env.tests["paragraph"] = lambda block: isinstance(block, Paragraph)
    env.tests["item_list"] = lambda block: isinstance(block, ItemList)
    env.tests["figure"] = lambda block: isinstance(block, Figure)
    env.tests["formula"] = lambda block: isinstance(block, Formula)
    env.tests["statement"] = is_statement
    env.tests.update({name: _is_a(kind) for name, kind in QUESTION_KINDS.items()})
    env.globals.update(ELEMENT_IDS)
    return env


def render(
    templates: Environment, theme: Theme, template: str, media: Media, **context: Any
) -> str:
    """The HTML that `template` of the theme makes from `context`, its pictures and formulas
    drawn by `media`.

    A mistake in a template raises `TemplateProblem`, located in the template's own file.
    """
    start = theme.folders[0]
    try:
        page = templates.get_template(template)
        start = Path(page.filename or start)
        with rendering():
            return joined(page.generate(**context, media=media, **media.template_globals()))
    except (jinja2.TemplateError, WordMisused) as error:
        raise _template_problem(error, start) from None
    except _TEMPLATE_FAULTS as error:
        if not _templates_fault(error):
            raise
        raise _template_problem(error, start) from None


def template_problems(theme: Theme) -> list[ContentError]:
    """The mistakes in the theme's templates found without filling them in: syntax errors
    and files that are not UTF-8 (`check` looks for them)."""
    templates = environment(theme)
    problems: list[ContentError] = []
    for name in theme.files():
        if name.endswith(".j2"):
            try:
                templates.get_template(name)
            except jinja2.TemplateError as error:
                problems.append(_template_problem(error, theme.folders[0]))
            except TemplateProblem as problem:
                problems.append(problem)
    return problems


def _templates_fault(error: BaseException) -> bool:
    """Whether the template's own expression made the error: no code of ours ran between
    the template's last frame and the error (Jinja2's filters or Python's operators may)."""
    if isinstance(error, RecursionError):
        return True  # a template including itself, however deep in our code it ran out
    frames = [frame.f_code.co_filename for frame, _ in traceback.walk_tb(error.__traceback__)]
    templates = [n for n, name in enumerate(frames) if name.endswith(".j2")]
    return bool(templates) and not any(
        Path(name).is_relative_to(PACKAGE) and Path(name) != SANDBOX_FILTERS
        for name in frames[templates[-1] :]
    )


def _template_problem(error: BaseException, start: Path) -> TemplateProblem:
    """Where in which template an error happened, from its traceback (else at the start
    of `start`: the template rendered, or the theme's folder)."""
    place = Location(start, 1, 1)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = Location(Path(error.filename), error.lineno, 1)
    else:
        for frame, line in traceback.walk_tb(error.__traceback__):
            if frame.f_code.co_filename.endswith(".j2"):
                place = Location(Path(frame.f_code.co_filename), line, 1)
    return TemplateProblem(
        place, f"template error: {_said(error)}", "fix the template, or undo the edit"
    )


def _said(error: BaseException) -> str:
    """What went wrong, in the words a theme's author knows."""
    if isinstance(error, RecursionError):
        return "it includes itself (or templates include each other) without end"
    return str(error) or type(error).__name__
