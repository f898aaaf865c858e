"""A paragraph cut into sentences, as its language writes them: slides show a paragraph's
first sentence, and the key takeaways each sentence of the conclusion.

Wikimedia's sentencex finds the candidate ends, with each language's abbreviations
("z. B.", "p. ex.") and marks ("؟", "।"). Two rules of Unicode's sentence-break algorithm
(UAX #29) that it lacks are added, and one of Markdown:
- a sentence never starts with a lower-case letter: "p. ex. des voitures" is one;
- a lone capital and its full stop is an initial ("M. Dupont", "J. S. Bach"), not an end;
- no sentence ends inside emphasis, code, a link or a formula.
"""

from __future__ import annotations

import re

import sentencex

from ..lesson.markdown import INLINE_SPAN
from ..lesson.model import Paragraph

_LEADING_MARKS = re.compile(r"^[\W_]+")  # quotation marks, brackets, emphasis before a word


def sentences(source: str, language: str) -> list[str]:
    """Inline Markdown in `language` cut into sentences."""
    text = " ".join(source.split())
    spans = [match.span() for match in INLINE_SPAN.finditer(text)]
    parts: list[str] = []
    start = 0
    for found in sentencex.get_sentence_boundaries(language, text)[:-1]:
        end = found["end_index"]
        inside = any(left < end - 1 < right for left, right in spans)
        if not inside and _ends(text[start:end].rstrip(), text[end:]):
            parts.append(text[start:end].rstrip())
            start = end
    parts.append(text[start:])
    return [part for part in parts if part]


def _ends(before: str, after: str) -> bool:
    """Whether a sentence really ends between `before` and `after`: the next one opens
    (after any quotation mark or bracket) with no lower-case letter, and `before` does not
    end in an initial."""
    first = next((c for c in after if c.isalnum()), "")
    if first.islower():
        return False
    last_word = before.rsplit(None, 1)[-1] if before.strip() else ""
    initial = _LEADING_MARKS.sub("", last_word)  # "(M." and "*M." are initials too
    return not (len(initial) == 2 and initial[0].isupper() and initial[1] == ".")


def key_sentence(paragraph: Paragraph, language: str) -> str:
    """The sentence that carries a paragraph on a slide: its first."""
    return sentences(paragraph.text, language)[0]
