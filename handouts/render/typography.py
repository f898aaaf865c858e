"""How a lesson's language sets its words: the spaces French puts before ; : ! ? and
inside « », as the Imprimerie nationale's rules have them. The quotation marks themselves
are a word of each language's catalog (`quotes`), so a school may change them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..lesson.model import Comparison, Lesson

NARROW_NO_BREAK = "\u202f"  # before ; ! ? and inside « »
NO_BREAK = "\u00a0"  # before :
# A mark after a word (not after another mark), ending the word: not "10:30" or "http://".
_FRENCH_MARK = re.compile(r"(?<=[^\s;:!?])[ \u00a0\u202f]?([;:!?])(?=\s|$|[;:!?\u202f»)\]])")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
# A number (not already isolated, not inside a word) and the Latin words after it.
_NUMBER_AND_WORDS = re.compile(
    r"(?<![\w\u2066])(\d[\d.,:/%]*(?:[ \u00a0]+[A-Za-z][A-Za-z0-9/.^%°²³-]*)+)"
)


# A unit: up to four letters (with ², ³, °, µ), or such units joined by "/": "m", "km/h",
# "m/s²", "%". A number and its unit, or a unit of several parts, is never broken over
# two lines: "110 km/h", "2,5 m/s", "10 %", and "km/h" alone.
_UNIT = r"(?:%|°[CF]?|[^\W\d_]{1,4}[²³]?(?:/[^\W\d_]{1,4}[²³]?)*)(?![\w/])"
_KEPT_TOGETHER = re.compile(
    rf"(?<![\w.,])\d+(?:[.,]\d+)*(?:[ \u00a0\u202f]?{_UNIT})"
    r"|(?<![\w/])[^\W\d_]{1,4}[²³]?(?:/[^\W\d_]{1,4}[²³]?)+(?![\w/])"
)
KEPT_TOGETHER_CLASS = "nowrap"  # the stylesheets keep its text on one line


# A left-to-right run isolated in right-to-left text (see `isolated`): kept whole, marks
# and all, since a span inside it would cut the isolate in two.
_ISOLATE = re.compile("\u2066[^\u2069]*\u2069")


def kept_together(escaped: str) -> str:
    """HTML text (escaped) with each number and its unit, and each unit of several parts,
    in a span kept on one line. Only the markup changes: the words, spaces and marks are
    those typed, so the PDF's text is what the teacher wrote."""

    def keep(found: re.Match[str]) -> str:
        return f'<span class="{KEPT_TOGETHER_CLASS}">{found[0]}</span>'

    pieces = []
    start = 0
    for run in _ISOLATE.finditer(escaped):
        pieces.append(_KEPT_TOGETHER.sub(keep, escaped[start : run.start()]))
        pieces.append(keep(run) if _KEPT_TOGETHER.search(run[0]) else run[0])
        start = run.end()
    pieces.append(_KEPT_TOGETHER.sub(keep, escaped[start:]))
    return "".join(pieces)


def french_spacing(text: str) -> str:
    """French text with its no-break spaces before ; : ! ? and inside guillemets."""
    text = _FRENCH_MARK.sub(
        lambda mark: (NO_BREAK if mark[1] == ":" else NARROW_NO_BREAK) + mark[1], text
    )
    text = _OPENING_GUILLEMET.sub("«" + NARROW_NO_BREAK, text)
    return _CLOSING_GUILLEMET.sub(NARROW_NO_BREAK + "»", text)


def isolated(text: str) -> str:
    """Right-to-left text with each number followed by Latin words ("30 years", "5 m/s")
    set apart as one left-to-right run (U+2066 LEFT-TO-RIGHT ISOLATE ... U+2069), as the
    Unicode bidi algorithm intends (UAX 9, 2.7). Without it the number, after Arabic
    letters, is a run of its own, and "(30 years)" prints as "(years 30)"."""
    return _NUMBER_AND_WORDS.sub("\u2066\\1\u2069", text)


def spacing(language: str) -> Callable[[str], str] | None:
    """The spacing rule of a language, if it has one of its own: French's spaces, or a
    right-to-left language's isolated numbers and Latin words."""
    if language.split("-")[0].lower() == "fr":
        return french_spacing
    from ..lesson.languages import is_right_to_left

    return isolated if is_right_to_left(language) else None


def typesetter(language: str, quotes: str) -> Callable[[str], str]:
    """A plain text (no Markdown) set in `language`: quotation marks curled into `quotes`,
    and its spacing, as its Markdown text is set."""
    from ..lesson.markdown import typeset_plain  # Markdown loads only when something is built

    rule = spacing(language)

    def plain(text: str) -> str:
        return typeset_plain(text, quotes, rule) if text else text

    return plain


def typeset_lesson(lesson: Lesson, quotes: str) -> Lesson:
    """The lesson with its plain-text fields (course, title, subtitle, subjects' names,
    section titles, the tables' titles, columns and row labels, the words its labels
    give) set in its language:
    quotation marks curled into `quotes`, and its spacing, as its Markdown text is set. The
    slides' titles and bookmarks, the PDF's title and subject are made from these."""
    plain = typesetter(lesson.language, quotes)

    subjects = {
        subject.key: replace(subject, name=plain(subject.name)) for subject in lesson.subjects
    }

    def table(found: Comparison | None) -> Comparison | None:
        return found and replace(
            found,
            title=plain(found.title),
            columns=tuple(map(plain, found.columns)),
            rows=tuple(replace(row, label=row.label and plain(row.label)) for row in found.rows),
        )

    sections = tuple(
        replace(
            section,
            title=plain(section.title),
            parts=tuple(
                replace(part, subject=subjects[part.subject.key]) for part in section.parts
            ),
            table=table(section.table),
        )
        for section in lesson.sections
    )
    return replace(
        lesson,
        course=plain(lesson.course),
        title=plain(lesson.title),
        subtitle=lesson.subtitle and plain(lesson.subtitle),
        subjects=tuple(subjects.values()),
        sections=sections,
        comparison=table(lesson.comparison),
        labels={
            key: text if key == "quotes" else plain(text) for key, text in lesson.labels.items()
        },
    )
