"""`handouts new "Title"`: a starter lesson whose comments say what goes where."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import unicodedata
from pathlib import Path

from .definition import COURSE_FILE
from .schema import SCHEMA_FILE, lesson_schema

STARTER = """\
# yaml-language-server: $schema={schema}
# A lesson: one file gives the handout, the slides, the notes, the comparison table, the
# worksheet and its answer key, and a quiz with its key. Lines starting with # are
# comments: delete them when done.
title: {title}
subtitle: One line under the title (or delete this line)
{course}
# What the lesson compares: a short key and the name shown. Delete this block (and every
# part and the comparison below) for a lesson that compares nothing.
subjects:
  first: The first subject
  second: The second subject

introduction: |
  A paragraph or two that open the lesson. Write *emphasis*, **strong** and
  [links](https://example.org) as in Markdown; leave a blank line between paragraphs.

sections:
  - title: The first point
    # One part per subject, under the subject's key. Lists start with "- ".
    first: |
      What this point says about the first subject.
    second: |
      What it says about the second subject:

      - one thing
      - another thing

  - title: A point shared by both
    text: |
      Text that is not about one subject goes under "text:".
    # A section may hold a table of its own, shown after its text: "table:" with a
    # "title:" and "rows:" as the comparison below. Several tables are numbered.

# The comparison table: a row per point, a cell per subject. It also makes the worksheet
# and the answer key.
comparison:
  rows:
    - label: First point
      first: A short cell
      second: Another short cell

conclusion: |
  The sentences that close the lesson; each one becomes a line of the key takeaways slide.

# Questions for the quiz (<lesson>-quiz.pdf and its answer key); delete them for none.
# Each question's first key says its kind: choose, true_or_false, short, match or fill_in.
questions:
  - choose: Which subject does this lesson compare first?
    choices: [The first subject, The second subject]
    correct: [The first subject]
    points: 1
    explain: Printed in the answer key only.
  - fill_in: The first point is what the first subject is about.
    blanks: [first subject]

# Add questions made from the comparison table, and versions A, B, ... in other orders.
quiz:
  from_table: 2
"""
COURSE_LINES = """\
# Shown in the running header and stored in the PDF. A course.yaml beside the lessons can
# give them to every lesson of the folder instead.
course: Your course
author: Your name"""


RESERVED_NAMES = (Path(COURSE_FILE).stem, Path(SCHEMA_FILE).stem.split(".")[0])


def file_name(title: str) -> str:
    """The lesson's file name, from its title: lower case, hyphens, accents dropped from
    Latin letters and other scripts kept ("Été" gives "ete", "Вулканы" "вулканы")."""
    decomposed = unicodedata.normalize("NFKD", title.lower())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", letters)).strip("-")[:60]
    slug = slug.strip("-") or "lesson"
    return f"{slug}-lesson.yaml" if slug in RESERVED_NAMES else f"{slug}.yaml"


def _quoted(title: str) -> str:
    """The title as a YAML scalar: as typed when YAML reads it back as that very text, else
    quoted (a JSON string is valid YAML): `No`, `2024` or `a: b` would not be text."""
    import yaml

    try:
        plain = yaml.safe_load(title) == title and "\n" not in title
    except yaml.YAMLError:
        plain = False
    return title if plain else json.dumps(title, ensure_ascii=False)


def write_starter(folder: Path, title: str) -> Path:
    """Write a starter lesson titled `title` into `folder`; never over an existing file.

    The folder gets the lesson's JSON Schema too, when it has none, for editors.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(title)
    schema = folder / SCHEMA_FILE
    for written in (path, schema):
        if written.is_symlink():  # even a link to nothing: it would write elsewhere
            raise LinkInTheWay(errno.EEXIST, "a link: nothing is written through one", written)
    course = "" if (folder / COURSE_FILE).is_file() else COURSE_LINES
    _write_new(path, STARTER.format(schema=SCHEMA_FILE, title=_quoted(title), course=course))
    with contextlib.suppress(FileExistsError):  # a schema there already is kept
        _write_new(schema, json.dumps(lesson_schema(), indent=2) + "\n")
    return path


def _write_new(path: Path, text: str) -> None:
    """Write a new file: never over an existing file, nor through a link."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


class LinkInTheWay(OSError):
    """A file `new` would write is a link (to something or to nothing)."""
