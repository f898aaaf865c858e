"""The project: one object made once from the command line and handed to every stage.

As Sphinx hands its `app` to every builder and MkDocs its config, a build is given a
`Project`: the folder it stands on, the lessons asked for, the project's theme, the output
folder, what to make (`BuildOptions`) and the caches of one build (`BuildCache`). Nothing
below the command line reads the current directory, a module-level cache of project files,
or an environment variable: what a stage needs, it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import outputs
from .builtin import builtin_theme, is_builtin
from .lesson.files import MAX_BYTES, find_lessons
from .lesson.model import Lesson
from .outputs.kind import PAPERS, SLIDES_PER_PAGE, Paper, Settings
from .render.cache import BuildCache
from .render.theme import Theme, project_theme

CONTENT = "content"  # the folder of lessons, in the project folder
OUTPUT = "output"  # the folder the PDFs go to, in the project folder


@dataclass(frozen=True)
class BuildOptions:
    """What a build makes, and how."""

    outputs: tuple[str, ...] = field(default_factory=outputs.names)
    paper: Paper = PAPERS["a4"]
    max_bytes: int = MAX_BYTES
    force: bool = False
    jobs: int | None = None  # None: one worker per CPU when there is more than one PDF to make
    slides_per_page: int = SLIDES_PER_PAGE[0]  # of the note-taking handout
    speaker_notes: bool = False  # the deck carries the teacher's notes as PDF comments
    remove: bool = True  # False: PDFs whose lesson is gone are kept (and said so), for now
    start_method: str | None = None  # how worker processes start (None: the platform's way)
    cluster: str | None = None  # the Dask scheduler's address to render on (None: here)
    versions: int = 0  # of each quiz (0: as its lesson says, else one)
    duplex: bool = False  # the paper outputs padded to an even page count
    copies: int = 0  # of each padded PDF in its class set (0: no class set)
    theme: str | None = None  # a built-in theme for every lesson, over what course.yaml names
    booklet: bool = False  # the handout also as a folded booklet
    answer_sheet: bool = False  # each quiz version's answer sheet and its key too

    @property
    def settings(self) -> Settings:
        """What every output is asked for."""
        return Settings(
            self.paper,
            self.slides_per_page,
            self.speaker_notes,
            self.versions,
            duplex=self.duplex,
            booklet=self.booklet,
            answer_sheet=self.answer_sheet,
        )


@dataclass(frozen=True)
class Project:
    """A folder of lessons and what one build of it reads and makes."""

    root: Path  # absolute: every lesson, course.yaml and theme must be inside it
    output_dir: Path  # as the command line names it, from the folder it runs in
    sources: tuple[Path, ...]  # the lesson files and folders asked for, as output_dir
    theme: Path | None  # the project's own theme folder, for lessons whose course names none
    options: BuildOptions = field(default_factory=BuildOptions)
    cache: BuildCache = field(default_factory=BuildCache, compare=False, repr=False)

    @classmethod
    def at(
        cls,
        root: Path,
        sources: tuple[Path, ...] = (),
        output_dir: Path = Path(OUTPUT),
        options: BuildOptions | None = None,
    ) -> Project:
        """The project in folder `root`: `sources` (default: content/) and `output_dir`
        are taken relative to it, as `git -C` and `make -C` take theirs (messages name
        them so: relative to the current folder when `root` is, absolute when it is)."""
        return cls(
            root=root.resolve(),
            output_dir=root / output_dir,
            sources=tuple(root / path for path in sources) or (root / CONTENT,),
            theme=project_theme(root),
            options=options or BuildOptions(),
        )

    def renewed(self) -> Project:
        """The same project for a new build: nothing read by the last one is kept (watch
        mode builds each save with a renewed project)."""
        return replace(self, cache=BuildCache())

    def with_options(self, options: BuildOptions) -> Project:
        """The same project, built with other options."""
        return replace(self, options=options)

    def lesson_files(self) -> list[Path]:
        """The lesson files the sources name (folders searched), sorted."""
        return find_lessons(list(self.sources))

    def theme_of(self, lesson: Lesson) -> Theme:
        """The theme a lesson is printed with (its course.yaml names `lesson.theme`)."""
        return self.theme_named(lesson.theme)

    def theme_named(self, named: Path | None) -> Theme:
        """The theme of lessons whose course.yaml names the folder `named` (None: none):
        that folder, else the project's own theme folder; then the built-in theme the
        command line names, else the one course.yaml does; the default theme last."""
        builtin = builtin_theme(self.options.theme) if self.options.theme else None
        if named is not None and is_builtin(named):
            return Theme.over_builtin(self.theme, builtin or named)
        return Theme.over_builtin(named or self.theme, builtin)
