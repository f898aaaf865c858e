"""A QTI 1.2 package as Canvas imports it (Blackboard reads the same): a zip of
`imsmanifest.xml`, the assessment `<id>/<id>.xml` and the pictures it shows, under
`media/` (named `$IMS-CC-FILEBASE$/media/...` in the questions' HTML). Every identifier
is drawn from the lesson's content, and every zip entry has the same date: the same lesson
gives the same bytes."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from html import escape

from ..derive.quiz import quiz_questions
from ..lesson.figures import FigureFile
from ..lesson.model import FillIn, Matching, MultipleChoice, Question, ShortAnswer, TrueOrFalse
from ..outputs.kind import Prepared
from .grading import points
from .text import Text, flat_name, identifier

WORDS = ((True, "is_true"), (False, "is_false"))  # a true-or-false's choices, as the quiz says
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
MEDIA = "media"
FILEBASE = "$IMS-CC-FILEBASE$"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TYPES = {
    MultipleChoice: "multiple_choice_question",
    TrueOrFalse: "true_false_question",
    ShortAnswer: "short_answer_question",
    Matching: "matching_question",
    FillIn: "fill_in_multiple_blanks_question",
}


def _in_package(name: str, alt: str, figure: FigureFile) -> str:
    """A picture as a file of the package."""
    return f'<img src="{FILEBASE}/{MEDIA}/{escape(flat_name(name))}" alt="{escape(alt)}">'


def _material(parent: ET.Element, content: str, html: bool = True) -> None:
    """`<material><mattext>` holding `content` (HTML, or plain text)."""
    kind = {"texttype": "text/html" if html else "text/plain"}
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", kind).text = content


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    """`<qtimetadata>` of `fields`, each a `<qtimetadatafield>`."""
    found = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(found, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _choices(parent: ET.Element, ident: str, labels: dict[str, str], many: bool = False) -> None:
    """A `<response_lid>` offering `labels` (identifier to HTML)."""
    cardinality = "Multiple" if many else "Single"
    response = ET.SubElement(parent, "response_lid", {"ident": ident, "rcardinality": cardinality})
    render = ET.SubElement(response, "render_choice")
    for label, content in labels.items():
        _material(ET.SubElement(render, "response_label", {"ident": label}), content)


def _condition(processing: ET.Element, score: str, add: bool = False) -> ET.Element:
    """A `<respcondition>` setting (or adding to) the score; returns its `<conditionvar>`."""
    condition = ET.SubElement(processing, "respcondition", {"continue": "Yes" if add else "No"})
    variable = ET.SubElement(condition, "conditionvar")
    action = {"action": "Add" if add else "Set", "varname": "SCORE"}
    ET.SubElement(condition, "setvar", action).text = score
    return variable


def _equal(parent: ET.Element, response: str, value: str) -> None:
    """`<varequal>`: the answer to `response` is `value`."""
    ET.SubElement(parent, "varequal", {"respident": response}).text = value


def _lids(
    presentation: ET.Element,
    processing: ET.Element,
    prompts: list[tuple[str, str, dict[str, str], str]],
) -> None:
    """A response for each prompt (its identifier, its text, its labels, the right label),
    each right one adding its share of the score: a matching question, or blanks."""
    for ident, prompt, labels, right in prompts:
        lid = ET.SubElement(presentation, "response_lid", {"ident": ident})
        _material(lid, prompt, False)
        render = ET.SubElement(lid, "render_choice")
        for label, shown in labels.items():
            _material(ET.SubElement(render, "response_label", {"ident": label}), shown, False)
        _equal(_condition(processing, f"{100 / len(prompts):.4f}", True), ident, right)


def _respond(
    text: Text, question: Question, ident: str, presentation: ET.Element, processing: ET.Element
) -> str:
    """The ways to answer `question` and how each is scored; returns what it asks, HTML."""
    asked = text.asked(question)
    if isinstance(question, MultipleChoice | TrueOrFalse):
        if isinstance(question, MultipleChoice):
            shown = [(text.inline(choice.text), choice.right) for choice in question.choices]
        else:
            shown = [(text.prepared.words(w), question.answer == v) for v, w in WORDS]
        labels = {
            identifier(ident, "choice", str(n)): content for n, (content, _) in enumerate(shown)
        }
        right = [label for label, (_, ok) in zip(labels, shown, strict=True) if ok]
        several = isinstance(question, MultipleChoice) and question.several
        _choices(presentation, "response1", labels, several)
        condition = _condition(processing, "100")
        both = ET.SubElement(condition, "and") if several else condition
        for label in labels:
            if label in right:
                _equal(both, "response1", label)
            elif several:
                _equal(ET.SubElement(both, "not"), "response1", label)
    elif isinstance(question, ShortAnswer):
        response = ET.SubElement(
            presentation, "response_str", {"ident": "response1", "rcardinality": "Single"}
        )
        ET.SubElement(
            ET.SubElement(response, "render_fib"),
            "response_label",
            {"ident": "answer1", "rshuffle": "No"},
        )
        condition = _condition(processing, "100")
        for accepted in question.accepted:
            _equal(condition, "response1", text.plain(accepted))
    elif isinstance(question, Matching):
        answers = {identifier(ident, "answer", a): text.plain(a) for _, a in question.pairs}
        order = list(answers)
        prompts = [
            (f"response_{identifier(ident, 'prompt', str(n))}", text.plain(p), answers, order[n])
            for n, (p, _) in enumerate(question.pairs)
        ]
        _lids(presentation, processing, prompts)
    else:
        assert isinstance(question, FillIn)
        blanks = [f"blank{n}" for n in range(1, len(question.blanks) + 1)]
        asked += (
            "<p>"
            + "".join(
                f"[{blanks[place // 2]}]" if place % 2 else text.inline(piece)
                for place, piece in enumerate(question.pieces)
            )
            + "</p>"
        )
        prompts = [
            (
                f"response_{blank}",
                blank,
                {identifier(ident, blank): text.plain(words)},
                identifier(ident, blank),
            )
            for blank, words in zip(blanks, question.blanks, strict=True)
        ]
        _lids(presentation, processing, prompts)
    return asked


def _item(section: ET.Element, text: Text, question: Question, ident: str, number: int) -> None:
    """One question as an `<item>`."""
    item = ET.SubElement(section, "item", {"ident": ident, "title": text.name(question, number)})
    fields = {"question_type": TYPES[type(question)], "points_possible": points(question.points)}
    _metadata(ET.SubElement(item, "itemmetadata"), fields)
    presentation = ET.SubElement(item, "presentation")
    asked = ET.SubElement(ET.SubElement(presentation, "material"), "mattext")
    asked.set("texttype", "text/html")
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    score = {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"}
    ET.SubElement(outcomes, "decvar", score)
    if question.explain:  # shown whatever the answer, before the scoring stops at a match
        feedback = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(feedback, "conditionvar"), "other")
        shown = {"feedbacktype": "Response", "linkrefid": "general_fb"}
        ET.SubElement(feedback, "displayfeedback", shown)
    asked.text = _respond(text, question, ident, presentation, processing)
    if question.explain:
        general = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
        _material(ET.SubElement(general, "flow_mat"), text.blocks(question.explain))


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _assessment(text: Text, ident: str) -> bytes:
    """The assessment: every question of the lesson's quiz, in its order."""
    lesson = text.prepared.lesson
    root = ET.Element("questestinterop", {"xmlns": QTI})
    assessment = ET.SubElement(root, "assessment", {"ident": ident, "title": lesson.title})
    _metadata(assessment, {"cc_maxattempts": "1"})
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for number, question in enumerate(quiz_questions(lesson), start=1):
        _item(section, text, question, identifier(ident, str(number)), number)
    return _xml(root)


def _manifest(ident: str, assessment: str, media: list[str]) -> bytes:
    """`imsmanifest.xml`: the assessment, depending on each picture, each a resource."""
    root = ET.Element("manifest", {"identifier": identifier(ident, "manifest"), "xmlns": MANIFEST})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    test = ET.SubElement(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
    ET.SubElement(test, "file", {"href": assessment})
    for path in media:
        ET.SubElement(test, "dependency", {"identifierref": identifier(ident, path)})
    for path in media:
        shown = {"identifier": identifier(ident, path), "type": "webcontent", "href": path}
        ET.SubElement(ET.SubElement(resources, "resource", shown), "file", {"href": path})
    return _xml(root)


def qti_package(prepared: Prepared) -> bytes:
    """The lesson's quiz questions as a QTI 1.2 zip."""
    lesson = prepared.lesson
    text = Text(prepared, _in_package)
    ident = identifier(lesson.slug, lesson.title, "assessment")
    files = {f"{ident}/{ident}.xml": _assessment(text, ident)}
    media = {f"{MEDIA}/{flat_name(name)}": figure.data for name, figure in text.used.items()}
    files["imsmanifest.xml"] = _manifest(ident, f"{ident}/{ident}.xml", sorted(media))
    files.update(media)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as package:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(entry, files[name])
    return packed.getvalue()
