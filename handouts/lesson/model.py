"""The lesson as the rest of the pipeline sees it: validated, typed, immutable."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import ascii_uppercase
from typing import TYPE_CHECKING

from ..errors import ContentError, Crash, Location

if TYPE_CHECKING:  # the picture checks load only with a lesson that has pictures
    from .figures import FigureFile
from .languages import is_right_to_left


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of inline Markdown."""

    text: str


@dataclass(frozen=True)
class ItemList:
    """A bulleted or numbered list; each item is inline Markdown."""

    items: tuple[str, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Figure:
    """A picture standing on its own: `file` as the lesson names it (see Lesson.figures).

    `alt` says what it shows (empty only when `decorative`); `caption` is printed under it,
    numbered (`number`, from 1 in a lesson; 0 without a caption); `credit` says where it is
    from; `width` is the share of the column it takes (0: its own size, at most the column).
    """

    file: str
    alt: str
    caption: str = ""
    credit: str = ""
    width: float = 0.0
    decorative: bool = False
    number: int = 0

    @property
    def share(self) -> float:
        """The share of the room it may take on a slide: as asked, else all of it."""
        return self.width or 1.0


@dataclass(frozen=True)
class Formula:
    """A display formula (`$$...$$`): LaTeX on a line of its own."""

    latex: str


Block = Paragraph | ItemList | Figure | Formula


@dataclass(frozen=True)
class Subject:
    """One of the things a lesson compares, e.g. production management."""

    key: str
    name: str


@dataclass(frozen=True)
class Part:
    """What a section says about one subject."""

    subject: Subject
    blocks: tuple[Block, ...]
    summary: tuple[str, ...]
    where: Location


@dataclass(frozen=True)
class Section:
    """A titled section: shared text, then one part per compared subject."""

    title: str
    blocks: tuple[Block, ...]
    parts: tuple[Part, ...]
    summary: tuple[str, ...]
    where: Location
    may_continue: bool = False  # a slide too long for one goes on to the next
    arrangement: str = ""  # "together", "apart", or "" to let the layout decide
    notes: tuple[Block, ...] = ()  # the teacher's own words, for the presenter handout
    table: Comparison | None = None  # its `table:`, shown after its text


@dataclass(frozen=True)
class Row:
    """A row of the comparison table: one cell per subject, in subject order."""

    label: str | None
    cells: tuple[str, ...]
    where: Location
    given: tuple[bool, ...] = ()  # per cell: printed on the worksheet (else left to fill in)

    def is_given(self, column: int) -> bool:
        """Whether the worksheet prints this row's cell in `column`."""
        return column < len(self.given) and self.given[column]


@dataclass(frozen=True)
class Comparison:
    """A comparison table (the lesson's `comparison:` or a section's `table:`): a column
    per subject, a row per point of comparison.

    `number` is its place among the lesson's tables, from 1, printed ("Table 2"); 0 in a
    lesson of one table. `first_row` counts the rows of the lesson's tables before it: the
    documents number rows through all of them (`Lesson.table_row`)."""

    title: str  # "" for the theme's default title
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    where: Location | None = None  # its `comparison:` or `table:` key
    notes: tuple[Block, ...] = ()  # the teacher's own words, for the presenter handout
    number: int = 0
    first_row: int = 0

    @property
    def labelled(self) -> bool:
        """True when every row has a label (otherwise rows are numbered)."""
        return all(row.label for row in self.rows)

    @property
    def called(self) -> str:
        """How a message names it."""
        return f"table {self.number}" if self.number else "the comparison table"


LETTERS = ascii_uppercase  # of a quiz's versions, and of a matching question's answers
MOST_VERSIONS = len(LETTERS)


@dataclass(frozen=True)
class Asked:
    """What every quiz question has: what it asks (`stem`, blocks of Markdown; `lead`, a
    word of the catalogs printed before it, its `{subject}` being `about`, for a question
    made from a table), what it is worth, the key's explanation and where the lesson
    writes it (or the row it is made from)."""

    stem: tuple[Block, ...]
    points: float
    explain: tuple[Block, ...]
    where: Location
    lead: str = ""
    about: str = ""


@dataclass(frozen=True)
class Choice:
    """One choice of a multiple-choice question, right or not."""

    text: str
    right: bool


@dataclass(frozen=True)
class MultipleChoice(Asked):
    """Choose one right choice, or several."""

    choices: tuple[Choice, ...] = ()

    @property
    def several(self) -> bool:
        """Whether more than one choice is right (the quiz says to mark every one)."""
        return sum(choice.right for choice in self.choices) > 1


@dataclass(frozen=True)
class TrueOrFalse(Asked):
    """A statement, true or false."""

    answer: bool = True


@dataclass(frozen=True)
class ShortAnswer(Asked):
    """A few words, any of `accepted` (the first is the key's answer)."""

    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matching(Asked):
    """Prompts matched to answers: `pairs` as the lesson gives them, and `shown`, the
    order the quiz prints the answers in (indexes into `pairs`), lettered A, B, ..."""

    pairs: tuple[tuple[str, str], ...] = ()
    shown: tuple[int, ...] = ()

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers, in the order printed."""
        return tuple(self.pairs[pair][1] for pair in self.shown)

    @property
    def letters(self) -> tuple[str, ...]:
        """For each prompt, in order, the letter of its answer as printed."""
        return tuple(LETTERS[self.shown.index(pair)] for pair in range(len(self.pairs)))


@dataclass(frozen=True)
class FillIn(Asked):
    """A sentence with words left blank: `pieces` alternate its text and the blanks."""

    pieces: tuple[str, ...] = ()

    @property
    def blanks(self) -> tuple[str, ...]:
        """The words left blank, in the sentence's order."""
        return self.pieces[1::2]


Question = MultipleChoice | TrueOrFalse | ShortAnswer | Matching | FillIn


@dataclass(frozen=True)
class Quiz:
    """The lesson's `quiz:`: how many questions the tables give, how many versions."""

    from_table: int = 0
    versions: int = 0  # 0: not said (one, unless the command line asks for more)


@dataclass(frozen=True)
class Logo:
    """A school's logo: `file` as course.yaml names it (a key of `Lesson.figures`), the
    checked picture, and what it shows (empty only when `decorative`)."""

    file: str
    picture: FigureFile
    alt: str = ""
    decorative: bool = False


@dataclass(frozen=True)
class BrandColour:
    """A theme colour a course.yaml sets: its key as written (`accent_soft`), its value
    (a CSS colour, as written), where it is written, and the colour as #rrggbb (what the
    documents' style sets)."""

    key: str
    value: str
    where: Location
    css: str

    @property
    def name(self) -> str:
        """The custom property it sets, without its dashes: `accent-soft`."""
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class Branding:
    """What a course.yaml says of the school: its name, the term and teacher, the licence
    every output carries, its logo and its colours over the theme's."""

    institution: str = ""
    term: str = ""
    teacher: str = ""
    licence: str = ""
    logo: Logo | None = None
    colours: tuple[BrandColour, ...] = ()


@dataclass(frozen=True)
class Lesson:
    """A whole lesson, the single source of every output."""

    slug: str
    source: Path
    course: str
    title: str
    subtitle: str | None
    author: str
    language: str
    subjects: tuple[Subject, ...]
    introduction: tuple[Block, ...]
    sections: tuple[Section, ...]
    conclusion: tuple[Block, ...]
    comparison: Comparison | None
    takeaways: tuple[str, ...] = field(default=())
    overview: tuple[Block, ...] = field(default=())  # for the Overview slide (none: default)
    theme: Path | None = None  # the folder its course.yaml names as its theme
    digest: str = ""  # the hash of the file's bytes, as read
    course_digest: str = ""  # the same of its folder's course.yaml
    figures: Mapping[str, FigureFile] = field(default_factory=dict)  # by the name written
    labels: Mapping[str, str] = field(default_factory=dict)  # words its course.yaml or it rewords
    questions: tuple[Question, ...] = ()  # its own, for the quiz
    quiz: Quiz = Quiz()
    branding: Branding = Branding()  # its folder's course.yaml's

    @property
    def has_quiz(self) -> bool:
        """Whether the lesson gives a quiz: it has questions, or the tables give some."""
        return bool(self.questions) or bool(self.quiz.from_table and self.tables)

    @property
    def right_to_left(self) -> bool:
        """Whether the lesson's language is written right to left (Arabic, Hebrew...)."""
        return is_right_to_left(self.language)

    @property
    def tables(self) -> tuple[Comparison, ...]:
        """Every comparison table, in the order the handout shows them: the sections'
        tables, then the lesson's `comparison:`."""
        found = [section.table for section in self.sections if section.table]
        return (*found, *([self.comparison] if self.comparison else []))

    def table_row(self, number: int) -> tuple[Comparison, int]:
        """The table holding row `number` (from 1, counted through every table), and the
        row's number in it."""
        table = next(t for t in reversed(self.tables) if t.first_row < number)
        return table, number - table.first_row

    @property
    def figures_digest(self) -> str:
        """The hash of every picture's bytes, with the names the lesson gives them."""
        return figures_digest((name, f.digest) for name, f in sorted(self.figures.items()))


def figures_digest(named: Iterable[tuple[str, str]]) -> str:
    """One hash of pictures given as (name, hash of bytes) pairs, in order."""
    return hashlib.sha256("\0".join(f"{n}\0{d}" for n, d in named).encode()).hexdigest()


def texts_of(lesson: Lesson) -> list[str]:
    """Every piece of text the lesson's outputs print (Markdown as written): the teacher's
    notes (the presenter's handout prints them) and the words its labels reword too."""
    found = [lesson.course, lesson.title, lesson.subtitle or "", lesson.author]
    brand = lesson.branding
    found += [brand.institution, brand.term, brand.teacher, brand.licence]
    found += [subject.name for subject in lesson.subjects] + list(lesson.takeaways)
    found += lesson.labels.values()
    blocks = [*lesson.introduction, *lesson.overview, *lesson.conclusion]
    for section in lesson.sections:
        found += [section.title, *section.summary]
        blocks += [*section.blocks, *section.notes]
        for part in section.parts:
            blocks += part.blocks
            found += part.summary
    for table in lesson.tables:
        found += [table.title, *table.columns]
        blocks += table.notes
        for row in table.rows:
            found += [row.label or "", *row.cells]
    for question in lesson.questions:
        blocks += [*question.stem, *question.explain]
        found += _question_texts(question)
    for block in blocks:
        if isinstance(block, Paragraph):
            found.append(block.text)
        elif isinstance(block, ItemList):
            found += block.items
        elif isinstance(block, Figure):
            found += [block.caption, block.credit]
    return found


def _question_texts(question: Question) -> list[str]:
    """The texts a question prints besides its stem and explanation."""
    if isinstance(question, MultipleChoice):
        return [choice.text for choice in question.choices]
    if isinstance(question, ShortAnswer):
        return list(question.accepted)
    if isinstance(question, Matching):
        return [text for pair in question.pairs for text in pair]
    if isinstance(question, FillIn):
        return list(question.pieces)
    return []


@dataclass(frozen=True)
class Course:
    """A folder's course.yaml as a course: its lessons in teaching order and its cover."""

    file: Path  # the course.yaml
    name: str  # `course:`, as the running headers show it ("" when it gives none)
    title: str  # on the course pack's cover: `title:`, else the name
    language: str
    lessons: tuple[Path, ...]  # in teaching order
    theme: Path | None = None  # the theme folder it names
    labels: Mapping[str, str] = field(default_factory=dict)  # the words it rewords
    branding: Branding = Branding()

    @property
    def term(self) -> str:
        """The term or year, on the cover."""
        return self.branding.term

    @property
    def teacher(self) -> str:
        """Who teaches it, on the cover."""
        return self.branding.teacher

    @property
    def right_to_left(self) -> bool:
        """Whether the course's language is written right to left."""
        return is_right_to_left(self.language)

    @property
    def slug(self) -> str:
        """The name its files take: its title in lower case, words joined by '-' (its
        folder's name when the title has no letters or digits)."""
        words = re.findall(r"\w+", self.title.casefold())
        return "-".join(words) or self.file.parent.name


@dataclass
class Loaded:
    """The lessons that loaded, every error of those that did not, and the bugs of ours
    met loading one (with the file it was)."""

    lessons: list[Lesson] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    crashes: list[tuple[Path, Crash]] = field(default_factory=list)
    checked: int = 0  # lesson files read
    courses: list[Course] = field(default_factory=list)  # the course.yaml files read, valid
