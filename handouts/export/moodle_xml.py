"""Moodle XML: every question with its points, its general feedback and its pictures (each
a base64 `<file>` beside the text that shows it, named `@@PLUGINFILE@@/name` there). A
fill-in sentence is a `cloze` question, each blank a SHORTANSWER of weight 1."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html import escape

from ..derive.quiz import quiz_questions
from ..lesson.figures import FigureFile
from ..lesson.model import FillIn, Matching, MultipleChoice, Question, ShortAnswer, TrueOrFalse
from ..outputs.kind import Prepared
from .grading import choice_fractions, percent, points
from .text import Text, flat_name

CLOZE_SPECIAL = re.compile(r'([\\}#~/"])')  # written after a backslash in a cloze answer
TYPES = {
    MultipleChoice: "multichoice",
    TrueOrFalse: "truefalse",
    ShortAnswer: "shortanswer",
    Matching: "matching",
    FillIn: "cloze",
}


def _plugin_file(name: str, alt: str, figure: FigureFile) -> str:
    """A picture as Moodle shows a file of the question."""
    return f'<img src="@@PLUGINFILE@@/{escape(flat_name(name))}" alt="{escape(alt)}">'


def _text(parent: ET.Element, tag: str, content: str, form: str = "html") -> ET.Element:
    """`<tag format="form"><text>content</text></tag>` in `parent`."""
    element = ET.SubElement(parent, tag, {"format": form} if form else {})
    ET.SubElement(element, "text").text = content
    return element


def _files(element: ET.Element, text: Text) -> None:
    """The pictures written since the last call, as `<file>` elements of `element`."""
    for name, figure in sorted(text.used.items()):
        attributes = {"name": flat_name(name), "path": "/", "encoding": "base64"}
        ET.SubElement(element, "file", attributes).text = base64.b64encode(figure.data).decode()
    text.used.clear()


def _blank(words: str) -> str:
    """A cloze blank of weight 1 whose answer is `words`."""
    return "{1:SHORTANSWER:=" + CLOZE_SPECIAL.sub(r"\\\1", words) + "}"


def _cloze(text: Text, question: FillIn) -> str:
    """A fill-in sentence as cloze text: each blank `{1:SHORTANSWER:=words}`."""
    return "".join(
        _blank(text.plain(piece)) if place % 2 else text.inline(piece)
        for place, piece in enumerate(question.pieces)
    )


def _answers(element: ET.Element, text: Text, question: Question) -> None:
    """The answers of a question and what its type needs besides."""
    if isinstance(question, MultipleChoice):
        ET.SubElement(element, "single").text = "false" if question.several else "true"
        ET.SubElement(element, "shuffleanswers").text = "true"
        ET.SubElement(element, "answernumbering").text = "abc"
        for choice, weight in zip(question.choices, choice_fractions(question), strict=True):
            answer = _text(element, "answer", text.inline(choice.text))
            answer.set("fraction", percent(weight))
            _files(answer, text)
    elif isinstance(question, TrueOrFalse):
        for value in (True, False):
            answer = _text(element, "answer", str(value).lower(), "moodle_auto_format")
            answer.set("fraction", "100" if value == question.answer else "0")
    elif isinstance(question, ShortAnswer):
        ET.SubElement(element, "usecase").text = "0"
        for accepted in question.accepted:
            answer = _text(element, "answer", text.plain(accepted), "moodle_auto_format")
            answer.set("fraction", "100")
    elif isinstance(question, Matching):
        ET.SubElement(element, "shuffleanswers").text = "true"
        for prompt, matched in question.pairs:
            pair = _text(element, "subquestion", text.inline(prompt))
            _files(pair, text)
            ET.SubElement(ET.SubElement(pair, "answer"), "text").text = text.plain(matched)


def _question(quiz: ET.Element, text: Text, question: Question, number: int) -> None:
    element = ET.SubElement(quiz, "question", {"type": TYPES[type(question)]})
    _text(element, "name", text.name(question, number), "")
    asked = _cloze(text, question) if isinstance(question, FillIn) else text.asked(question)
    _files(_text(element, "questiontext", asked), text)
    _files(_text(element, "generalfeedback", text.blocks(question.explain)), text)
    ET.SubElement(element, "defaultgrade").text = points(question.points)
    ET.SubElement(element, "hidden").text = "0"
    _answers(element, text, question)


def moodle_xml(prepared: Prepared) -> bytes:
    """The lesson's quiz questions as a Moodle XML file, in a category of the lesson's
    title."""
    text = Text(prepared, _plugin_file)
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    title = " ".join(prepared.lesson.title.split()).replace("/", "-")
    _text(category, "category", f"$course$/top/{title}", "")
    for number, question in enumerate(quiz_questions(prepared.lesson), start=1):
        _question(quiz, text, question, number)
    ET.indent(quiz)
    data: bytes = ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
