"""What one build reads or makes once and shares.

A `BuildCache` belongs to one build of one project (`project.Project.cache`): the theme's
words, its files' hash, its templates, its font coverage and contrast, its renderers, the
decks fitted to their slides and those decks rendered, the worksheets' writing space as
grown. A new build makes a new one, so nothing read from a theme folder outlives the build
that read it (watch mode sees every edit) and nothing needs to be told to forget. Worker
processes make their own for the build they serve.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..builtin import BUILTIN_THEME
from .strings import Strings
from .theme import Theme, read_strings, theme_digest

if TYPE_CHECKING:
    from pathlib import Path

    from jinja2 import Environment

    from ..derive.deck import Slide
    from ..derive.worksheet import Writing
    from ..errors import ContentError
    from ..outputs.kind import Settings
    from .layout import RenderedDeck
    from .pdf import Renderer

Made = TypeVar("Made")


class BuildCache:
    """Everything one build computes once per theme (or per deck) and uses many times."""

    def __init__(self) -> None:
        self._made: dict[tuple[Callable[..., Any], Hashable], Any] = {}
        self.fitted: dict[tuple[str, Theme], tuple[Slide, ...]] = {}  # decks, by planned HTML
        # Fitted decks rendered, by planned HTML and the CSS added last: the notes and the
        # presenter's handout show the same pages.
        self.decks: dict[tuple[str, Theme, str], RenderedDeck] = {}
        # Worksheets' writing space as grown to fill their pages, by lesson: the answer key's
        # pages are the worksheet's, so it grows alike without measuring again.
        self.writing: dict[tuple[Path, str, Theme, Settings], Writing] = {}

    def forget_lessons(self) -> None:
        """Forget the decks and writing space kept for the lessons rendered so far: another
        lesson's outputs never share them, and a worker of a course of a thousand lessons
        would hold them all."""
        self.fitted.clear()
        self.decks.clear()
        self.writing.clear()

    def once(self, make: Callable[..., Made], *key: Hashable) -> Made:
        """`make(*key)`, computed the first time this build asks for it."""
        slot = (make, key)
        if slot not in self._made:
            self._made[slot] = make(*key)
        return cast("Made", self._made[slot])

    def strings(self, theme: Theme, language: str) -> Strings:
        """The theme's fixed words in `language`."""
        return self.once(read_strings, theme, language)

    def digest(self, theme: Theme) -> str:
        """A hash of every file of the theme."""
        return self.once(theme_digest, theme)

    def templates(self, theme: Theme) -> Environment:
        """The Jinja2 environment of the theme's templates."""
        from .html import environment  # Jinja2 loads only when something may be built

        return self.once(environment, theme)

    def template_problems(self, theme: Theme) -> list[ContentError]:
        """The syntax errors of the theme's templates, found once a build (a course of a
        thousand lessons asks a thousand times)."""
        return self.once(_template_problems, theme)

    def renderer(self, theme: Theme) -> Renderer:
        """The WeasyPrint renderer of the theme (its fonts and parsed stylesheets)."""
        from .pdf import Renderer  # WeasyPrint loads only when something is rendered

        return self.once(Renderer, theme)

    def covered(self, theme: Theme) -> frozenset[int]:
        """The code points the theme's fonts draw."""
        from .glyphs import covered  # with the user's cache folder, only when checking

        return self.once(covered, theme)


def _template_problems(theme: Theme) -> list[ContentError]:
    """The syntax errors of the theme's templates (each template compiled once). A theme
    with the built-in templates only has none (the tests compile them): Jinja2 then stays
    unloaded, and `check` fast."""
    files = theme.files().items()
    if all(path.is_relative_to(BUILTIN_THEME) for name, path in files if name.endswith(".j2")):
        return []
    from .html import template_problems

    return template_problems(theme)
