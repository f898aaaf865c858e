"""The lesson format, defined once: lessons are checked by it, the JSON Schema is made from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import yaml  # the loader's, imported anyway to read lessons

from ..builtin import ENGLISH_CATALOG
from ..render.pairs import PAIRED_COLOURS
from .languages import language_hint
from .model import MOST_VERSIONS

COURSE_FILE = "course.yaml"  # beside lessons: defaults for every lesson of its folder
SUBJECT_KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


@dataclass(frozen=True)
class Text:
    """A piece of text: plain, `inline` Markdown, or `markdown` with paragraphs and lists."""

    description: str
    markdown: bool = False
    inline: bool = False
    pattern: str | None = None
    pattern_hint: str = ""
    pictures: bool = False  # inline text in which a picture may stand (a table cell)
    suggest: Callable[[str], str] | None = None  # the hint for a value off the pattern
    formulas: bool = True  # plain text whose formulas are checked: not a file's name


@dataclass(frozen=True)
class Flag:
    """A yes/no value: `true` or `false`."""

    description: str


@dataclass(frozen=True)
class Lines:
    """A list of short lines of inline Markdown."""

    description: str


@dataclass(frozen=True)
class Field:
    """A key of a record."""

    name: str
    shape: Shape
    required: bool = False
    # What a lesson that leaves a required field out is told, and the hint, when the
    # general "missing required field" says too little.
    when_missing: tuple[str, str] | None = None


@dataclass(frozen=True)
class Record:
    """`key: value` lines with known keys; `per_subject`, if set, also allows subject keys."""

    description: str
    fields: tuple[Field, ...] = ()
    per_subject: Shape | None = None

    def names(self) -> list[str]:
        """The known keys, in the order a lesson shows them."""
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class ListOf:
    """A list of items of one shape."""

    description: str
    item: Shape


@dataclass(frozen=True)
class Subjects:
    """The subjects a lesson compares: free keys (the subject keys) with their names."""

    description: str
    name: Text = field(default_factory=lambda: Text("The subject's name, as shown."))


@dataclass(frozen=True)
class ListOrPerSubject:
    """A list, or (in a section that compares) one list per subject key."""

    description: str
    lines: Lines


@dataclass(frozen=True)
class TextOrLines:
    """Text (`markdown` or not, as `text` says), or a list of short lines."""

    description: str
    text: Text
    lines: Lines


@dataclass(frozen=True)
class Number:
    """A positive number: a whole one if `whole`, at most `most` if set."""

    description: str
    whole: bool = False
    most: int | None = None


@dataclass(frozen=True)
class OneOf:
    """One of several records, told apart by the key each begins with (its first field,
    required)."""

    description: str
    records: tuple[Record, ...]
    called: str = "item"  # what one is called in a message

    def kinds(self) -> list[str]:
        """The first key of each record, which says which one an item is."""
        return [record.fields[0].name for record in self.records]


Shape = (
    Text
    | Flag
    | Lines
    | Number
    | Record
    | ListOf
    | OneOf
    | Subjects
    | ListOrPerSubject
    | TextOrLines
)

MARKDOWN_HELP = (
    "Markdown: paragraphs, lists, *emphasis*, **strong**, `code`, [links](https://...), "
    '$formulas$ in LaTeX, and pictures on a line of their own: ![alt text](file.svg "Caption").'
)
WIDTH_PATTERN = r"^([2-9][0-9]|100)%$"


def _picture_file(description: str) -> Field:
    """The `file:` of a picture: its name, where `description` says."""
    return Field("file", Text(description, formulas=False), required=True)


FIGURE = Record(
    "A picture shown after the section's text, with what Markdown cannot say.",
    (
        _picture_file("The picture (PNG, JPEG, WebP or SVG), relative to the lesson file."),
        Field("alt", Text("What the picture shows, for readers who cannot see it.")),
        Field("caption", Text("Printed under it, numbered: Figure 1.", inline=True)),
        Field("credit", Text("Its source or licence, e.g. 'Photo: A. Smith, CC BY 4.0'.")),
        Field(
            "width",
            Text(
                "The share of the column it takes, 20% to 100% (default: 100%).",
                pattern=WIDTH_PATTERN,
                pattern_hint="write a share of the column from 20% to 100%, e.g. 'width: 60%'",
            ),
        ),
        Field("decorative", Flag("true: it adds nothing to the text; it needs no alt text.")),
    ),
)
ARRANGEMENT_PATTERN = r"^(together|apart)$"
MOST_SIDE_BY_SIDE = 4  # subjects one slide can show side by side
NOTES = Field(
    "notes",
    Text(
        "Your own words for presenting this part: printed under its slide in "
        "<lesson>-presenter.pdf only, never on the slides or the students' handouts. "
        + MARKDOWN_HELP,
        markdown=True,
    ),
)

ROW = Record(
    "A row of the comparison table: one cell per subject key, and an optional label.",
    (
        Field("label", Text("The row's label (rows without labels are numbered).")),
        Field(
            "given",
            Lines("Subject keys whose cells the worksheet prints (the others are left blank)."),
        ),
    ),
    per_subject=Text(
        "The cell for this subject (inline Markdown; a picture may stand in it).",
        inline=True,
        pictures=True,
    ),
)

ROWS = Field("rows", ListOf("The rows.", ROW), required=True)
COMPARISON = Record(
    "The comparison table: a column per subject, a row per point of comparison.",
    (Field("title", Text("The table's heading (default: At a glance).")), ROWS, NOTES),
)
SECTION_TABLE = Record(
    "A comparison table of this section, shown after its text: a column per subject, a row "
    "per point (a lesson of several tables numbers them).",
    (Field("title", Text("The table's heading."), required=True), ROWS, NOTES),
)

SECTION = Record(
    "A section: a heading, shared text and one part per compared subject.",
    (
        Field("title", Text("The section's heading."), required=True),
        Field("text", Text(f"Text shared by all subjects. {MARKDOWN_HELP}", markdown=True)),
        Field(
            "summary",
            ListOrPerSubject(
                "Your own slide bullets, replacing those derived from the text.",
                Lines("Slide bullets."),
            ),
        ),
        Field(
            "continue",
            Flag(
                "true: a slide of this section too long for one slide continues on the next "
                "(default: false, too long is an error)."
            ),
        ),
        Field(
            "slides",
            Text(
                "together: one slide with the subjects side by side; apart: one slide per "
                "subject (default: together when they fit at a readable size).",
                pattern=ARRANGEMENT_PATTERN,
                pattern_hint="write 'slides: together' or 'slides: apart'",
            ),
        ),
        Field("figure", FIGURE),
        Field("table", SECTION_TABLE),
        NOTES,
    ),
    per_subject=Text(f"What this section says about the subject. {MARKDOWN_HELP}", markdown=True),
)

# Every fixed word of the outputs, in English: a course or lesson may reword each.
ENGLISH_WORDS: dict[str, str] = yaml.safe_load(ENGLISH_CATALOG.read_text("utf-8"))
LABELS = Record(
    "Your own words for the outputs' fixed words (`answer_key: Corrigé`), over the "
    "language's catalog.",
    tuple(Field(name, Text(f"In English: {text}")) for name, text in ENGLISH_WORDS.items()),
)

COURSE_FIELDS = (
    Field("course", Text("The course name, shown in the running header.")),
    Field("author", Text("Shown under the title and stored in the PDF.")),
    Field(
        "language",
        Text(
            "Language code such as en, fr, pt-BR (default: en).",
            pattern=LANGUAGE_PATTERN,
            suggest=language_hint,
        ),
    ),
    Field("labels", LABELS),
)

LOGO = Record(
    "The school's logo, printed small on the handout's title block, the title slide and "
    "the headers of the table and worksheet.",
    (
        _picture_file("The picture (SVG or PNG), relative to course.yaml, inside the project."),
        Field("alt", Text("What the logo shows, e.g. 'Riverside High School crest'.")),
        Field("decorative", Flag("true: it adds nothing to the text; it needs no alt text.")),
    ),
)
COLOUR_KEYS = tuple(name.replace("-", "_") for name in PAIRED_COLOURS)
COLORS = Record(
    "The school's colours over the theme's (`accent: '#1f4e79'`, in quotes: YAML reads # "
    "as a comment), each checked for contrast as the theme's are.",
    tuple(
        Field(key, Text(f"The theme's --{name}: a CSS colour, #rrggbb.", formulas=False))
        for key, name in zip(COLOUR_KEYS, PAIRED_COLOURS, strict=True)
    ),
)
BRANDING_FIELDS = (
    Field("institution", Text("The school's name, on the title block and the title slide.")),
    Field("logo", LOGO),
    Field("colors", COLORS),
    Field(
        "licence",
        Text(
            "The licence the outputs are shared under, e.g. 'CC BY-SA 4.0': printed on "
            "every output and stored in each PDF as its copyright."
        ),
    ),
)

COURSE = Record(
    "Defaults for every lesson in this folder, and the course they make (course.yaml).",
    (
        *COURSE_FIELDS,
        Field("title", Text("The course's title, on the course pack's cover (default: course).")),
        Field(
            "term",
            Text(
                "The term or year, on the course pack's cover, the handout's title block "
                "and the title slide, e.g. 'Autumn 2026'."
            ),
        ),
        Field(
            "teacher",
            Text(
                "Who teaches it, on the course pack's cover, the handout's title block and "
                "the title slide."
            ),
        ),
        *BRANDING_FIELDS,
        Field(
            "lessons",
            ListOf(
                "The course's lessons in teaching order, for the course pack: file names "
                "relative to course.yaml, or patterns such as 'week-*.yaml' (default: every "
                "lesson file beside course.yaml, by name).",
                Text("A lesson file, or a pattern of them.", formulas=False),
            ),
        ),
        Field(
            "theme",
            Text(
                "A folder (relative to course.yaml) of templates, css/, fonts/ and strings/ "
                "that replace the built-in ones of the same name (default: theme/ in the "
                "project folder, if there is one), or a built-in theme: 'print-saver' for "
                "black-and-white copiers (no filled areas; the project's theme/ comes "
                "before it).",
                formulas=False,
            ),
        ),
    ),
)

POINTS = Field("points", Number("What the question is worth: a positive number (default: 1)."))
EXPLAIN = Field(
    "explain",
    Text(
        f"Why the answer is right, printed in the quiz's answer key only. {MARKDOWN_HELP}",
        markdown=True,
    ),
)


def _asked(key: str, kind: str, asks: str, *answered: Field) -> Record:
    """A question (`kind` says what it is) whose first key, `key`, holds what it asks
    (`asks`), then its answers (`answered`), its points and its explanation."""
    stem = Field(key, Text(f"{asks} {MARKDOWN_HELP}", markdown=True), required=True)
    return Record(kind, (stem, *answered, POINTS, EXPLAIN))


PAIR = Record(
    "One pair of a matching question: the quiz prints the prompts in order and their "
    "answers shuffled, lettered.",
    (
        Field("prompt", Text("What is matched (inline Markdown).", inline=True), required=True),
        Field("answer", Text("What it matches (inline Markdown).", inline=True), required=True),
    ),
)
QUESTION = OneOf(
    "A question; its first key says its kind: `choose`, `true_or_false`, `short`, `match` "
    "or `fill_in`.",
    called="question",
    records=(
        _asked(
            "choose",
            "A multiple-choice question: one right choice or several.",
            "The question, as printed.",
            Field(
                "choices",
                Lines("The choices, as printed (versions shuffle them); no two alike."),
                required=True,
            ),
            Field(
                "correct",
                Lines("The right choices, one or several, each written as in `choices`."),
                required=True,
                when_missing=(
                    "a multiple-choice question without its right answer",
                    "add 'correct: [...]' naming the right choice, or choices, as written in "
                    "'choices'",
                ),
            ),
        ),
        _asked(
            "true_or_false",
            "A statement the pupil marks true or false.",
            "The statement, as printed.",
            Field("answer", Flag("true: the statement is true."), required=True),
        ),
        _asked(
            "short",
            "A question answered in a few words, on ruled lines sized to the answer.",
            "The question, as printed.",
            Field(
                "accept",
                Lines("The answers accepted; the key prints them all, the first as the answer."),
                required=True,
            ),
        ),
        _asked(
            "match",
            "A matching question: prompts, each matched to one of the answers.",
            "What to match, as the pupil is told it.",
            Field("pairs", ListOf("The pairs, two or more.", PAIR), required=True),
        ),
        Record(
            "A sentence, often one of the lesson's, with words left blank to fill in.",
            (
                Field(
                    "fill_in",
                    Text(
                        "The sentence, as the key prints it (inline Markdown); the quiz prints "
                        "a line in place of each of its `blanks`.",
                        inline=True,
                    ),
                    required=True,
                ),
                Field(
                    "blanks",
                    Lines("The words left blank, each written as in the sentence."),
                    required=True,
                ),
                POINTS,
                EXPLAIN,
            ),
        ),
    ),
)
QUIZ = Record(
    "How the quiz (`<lesson>-quiz.pdf` and its key) is made.",
    (
        Field(
            "from_table",
            Number(
                "Questions made from the comparison tables, added to `questions`: which "
                "subject a cell describes, and matching row labels to cells. Cells that are "
                "`given` or that two subjects share are never used.",
                whole=True,
                most=100,
            ),
        ),
        Field(
            "versions",
            Number(
                f"Versions of the quiz, A, B, ... (at most {MOST_VERSIONS}), each with its "
                "questions and choices in another order and its own key (default: 1; "
                "`--versions` overrides it).",
                whole=True,
                most=MOST_VERSIONS,
            ),
        ),
    ),
)

LESSON = Record(
    "A lesson: one source for the handout, the slide deck and the comparison table.",
    (
        COURSE_FIELDS[0],
        Field("title", Text("The lesson's title."), required=True),
        Field("subtitle", Text("One line under the title.")),
        *COURSE_FIELDS[1:],
        Field("subjects", Subjects("What the lesson compares: `key: Name` lines.")),
        Field("introduction", Text(MARKDOWN_HELP, markdown=True), required=True),
        Field(
            "overview",
            TextOrLines(
                "What the Overview slide says above the sections' titles (default: the "
                "introduction's first sentence): text, or a list of points.",
                Text(MARKDOWN_HELP, markdown=True),
                Lines("Points for the Overview slide."),
            ),
        ),
        Field("sections", ListOf("The lesson's sections, in order.", SECTION), required=True),
        Field("comparison", COMPARISON),
        Field("conclusion", Text(MARKDOWN_HELP, markdown=True)),
        Field("takeaways", Lines("Lines for the Key takeaways slide (default: the conclusion).")),
        Field(
            "questions",
            ListOf(
                "Questions for the quiz, in the order printed: `<lesson>-quiz.pdf` and its "
                "answer key are made from them (see `quiz`).",
                QUESTION,
            ),
        ),
        Field("quiz", QUIZ),
    ),
)
