"""The quiz's questions exported for learning platforms (GIFT, Moodle XML, QTI): each
file read back question by question and compared with the lesson, French accents kept,
the same bytes on every build, and an unchanged lesson's files left alone."""

from __future__ import annotations

import base64
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, build

from handouts.derive.quiz import quiz_questions
from handouts.lesson.files import Bounds
from handouts.lesson.loader import load_lessons
from handouts.lesson.markdown import inline_plain
from handouts.lesson.model import (
    FillIn,
    Matching,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueOrFalse,
)

QUIZ = ROOT / "tests" / "lessons" / "quiz" / "quiz.yaml"
PICTURE = "images/input-process-output.svg"
MORE = f"""\
  - choose: |
      What does $E = mc^2$ relate?

      ![Three boxes joined by arrows]({PICTURE})
    choices: [Energy and mass, Speed and time]
    correct: [Energy and mass]
    explain: Einstein's {{famous}} formula.
"""
FRENCH = """\
title: Gestion de la production
course: Économie
author: Élève
language: fr
subjects:
  production: Production
  operations: Opérations
introduction: La gestion de la production fait partie des opérations.
sections:
  - title: Portée
    production: Fabriquer des biens.
    operations: Gérer l\u2019entreprise entière.
questions:
  - choose: Quelle matière étudie les coûts ?
    choices: [Économie, Géographie]
    correct: [Économie]
    explain: L\u2019économie étudie les coûts.
  - short: Où fabrique-t-on les biens ?
    accept: [À l\u2019usine]
"""
KINDS = "gift,moodle,qti"
EXPORTS = ("{}.gift.txt", "{}.moodle.xml", "{}-qti.zip")
MOODLE_TYPES = {
    MultipleChoice: "multichoice",
    TrueOrFalse: "truefalse",
    ShortAnswer: "shortanswer",
    Matching: "matching",
    FillIn: "cloze",
}
QTI_TYPES = {
    MultipleChoice: "multiple_choice_question",
    TrueOrFalse: "true_false_question",
    ShortAnswer: "short_answer_question",
    Matching: "matching_question",
    FillIn: "fill_in_multiple_blanks_question",
}
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quiz test lesson with a question showing a formula and a picture, and a French
    lesson, built as the three exports."""
    folder = tmp_path_factory.mktemp("export")
    content = folder / "content"
    (content / "images").mkdir(parents=True)
    shutil.copy(SAMPLES / "course.yaml", content / "course.yaml")
    shutil.copy(SAMPLES / PICTURE, content / PICTURE)
    text = QUIZ.read_text("utf-8").replace("quiz:\n", f"{MORE}quiz:\n")
    (content / "quiz.yaml").write_text(text, "utf-8")
    (content / "francais.yaml").write_text(FRENCH, "utf-8")
    build(folder / "output", str(content), "--only", KINDS)
    return folder


def _questions(project: Path, name: str) -> tuple[Question, ...]:
    path = project / "content" / f"{name}.yaml"
    (lesson,) = load_lessons([path], Bounds(project)).lessons
    return quiz_questions(lesson)


def _plain(text: str) -> str:
    return inline_plain(text)


# GIFT, read back as Moodle reads it: an escaped character (after a backslash) is put aside
# first, then the question is cut at its unescaped `::`, `{`, `}`, `####`, `=`, `~`, `->`.
_ESCAPED = re.compile(r"\\([\\:#={}~])")
_HIDDEN = {char: chr(0xE000 + ord(char)) for char in "\\:#={}~"}
_QUESTION = re.compile(
    r"::(?P<name>.*?)::(?:\[html\])?(?P<before>[^{]*)\{(?P<body>.*)\}(?P<after>.*)", re.S
)


def _hide(text: str) -> str:
    return _ESCAPED.sub(lambda found: _HIDDEN[found.group(1)], text)


def _shown(text: str) -> str:
    for char, hidden in _HIDDEN.items():
        text = text.replace(hidden, char)
    return text.strip()


def _gift(data: str) -> list[dict[str, object]]:
    """Each question of a GIFT file: its name, text, kind, answers and feedback."""
    found = []
    for chunk in data.split("\n\n"):
        lines = "\n".join(line for line in chunk.splitlines() if not line.startswith("//"))
        if not lines.strip():
            continue
        parsed = _QUESTION.fullmatch(_hide(lines.strip()))
        assert parsed, lines
        body, _, feedback = parsed["body"].partition("####")
        answers = re.findall(r"([=~])(%-?[\d.]+%)?([^=~]*)", body)
        if body.strip() in ("TRUE", "FALSE"):
            kind, given = "truefalse", [body.strip()]
        elif any("->" in text for _, _, text in answers):
            kind = "matching"
            given = [tuple(_shown(side) for side in text.split("->")) for _, _, text in answers]
        elif any(mark == "~" for mark, _, _ in answers):
            kind = "multichoice"
            given = [
                (
                    _shown(text),
                    float(weight.strip("%")) if weight else (100.0 if mark == "=" else 0.0),
                )
                for mark, weight, text in answers
            ]
        else:
            kind = "missingword" if parsed["after"].strip() else "shortanswer"
            given = [_shown(text) for _, _, text in answers]
        found.append(
            {
                "name": _shown(parsed["name"]),
                "text": _shown(parsed["before"]) + " _ " + _shown(parsed["after"]),
                "kind": kind,
                "answers": given,
                "feedback": _shown(feedback),
            }
        )
    return found


def _untagged(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def test_gift_asks_every_question_with_its_answers(project: Path) -> None:
    read = _gift((project / "output" / "quiz.gift.txt").read_text("utf-8"))
    questions = _questions(project, "quiz")
    fill_in = next(q for q in questions if isinstance(q, FillIn))
    assert len(read) == len(questions) + len(fill_in.blanks) - 1  # a question a blank
    found = iter(read)
    for question in questions:
        asked = next(found)
        if isinstance(question, MultipleChoice):
            assert asked["kind"] == "multichoice"
            weights = dict(asked["answers"])  # type: ignore[arg-type]
            assert list(weights) == [_plain(choice.text) for choice in question.choices]
            assert sum(w for w in weights.values() if w > 0) == pytest.approx(100, abs=0.01)
            for choice in question.choices:
                assert (weights[_plain(choice.text)] > 0) == choice.right
        elif isinstance(question, TrueOrFalse):
            assert asked["answers"] == ["TRUE" if question.answer else "FALSE"]
        elif isinstance(question, ShortAnswer):
            assert asked["kind"] == "shortanswer"
            assert asked["answers"] == list(question.accepted)
        elif isinstance(question, Matching):
            answers = [(prompt, answer) for prompt, answer in asked["answers"]]  # type: ignore[attr-defined]
            assert [a for _, a in answers] == [a for _, a in question.pairs]
            if not question.lead:  # the lesson's own: a formula in its first prompt
                assert answers[0][0] == "Yield \\(y = \\frac{good}{all}\\)"
        else:
            assert isinstance(question, FillIn)
            for blank in question.blanks:
                assert asked["kind"] == "missingword" and asked["answers"] == [blank]
                asked = next(found) if blank != question.blanks[-1] else asked
        if question.explain:
            assert _untagged(str(asked["feedback"])) == _plain(question.explain[0].text)  # type: ignore[union-attr]
    pictured = next(asked for asked in read if "What does" in str(asked["name"]))
    assert "[Three boxes joined by arrows]" in str(pictured["text"])  # its alt text: no picture
    assert "\\(E = mc^2\\)" in str(pictured["text"])
    assert pictured["feedback"] == "<p>Einstein\u2019s {famous} formula.</p>"


def _moodle(project: Path, name: str) -> list[ET.Element]:
    root = ET.parse(project / "output" / f"{name}.moodle.xml").getroot()
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    return questions


def test_moodle_xml_keeps_types_points_fractions_feedback_and_pictures(project: Path) -> None:
    read = _moodle(project, "quiz")
    questions = _questions(project, "quiz")
    assert len(read) == len(questions)
    for element, question in zip(read, questions, strict=True):
        assert element.get("type") == MOODLE_TYPES[type(question)]
        assert float(element.findtext("defaultgrade", "")) == question.points
        feedback = element.findtext("generalfeedback/text", "")
        if question.explain:
            assert _untagged(feedback) == _plain(question.explain[0].text)  # type: ignore[union-attr]
        answers = element.findall("answer")
        if isinstance(question, MultipleChoice):
            fractions = [float(answer.get("fraction", "")) for answer in answers]
            assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=0.01)
            assert [f > 0 for f in fractions] == [choice.right for choice in question.choices]
            assert element.findtext("single") == ("false" if question.several else "true")
        elif isinstance(question, TrueOrFalse):
            right = [a.findtext("text") for a in answers if a.get("fraction") == "100"]
            assert right == [str(question.answer).lower()]
        elif isinstance(question, ShortAnswer):
            assert [a.findtext("text") for a in answers] == list(question.accepted)
        elif isinstance(question, Matching):
            pairs = [
                (_untagged(s.findtext("text", "")), s.findtext("answer/text"))
                for s in element.findall("subquestion")
            ]
            assert [a for _, a in pairs] == [a for _, a in question.pairs]
        else:
            assert isinstance(question, FillIn)
            text = element.findtext("questiontext/text", "")
            blanks = re.findall(r"\{1:SHORTANSWER:=([^}]*)\}", text)
            assert blanks == list(question.blanks)
    (pictured,) = [
        q.find("questiontext") for q in read if "What does" in q.findtext("name/text", "")
    ]
    assert pictured is not None
    (file,) = pictured.findall("file")
    name = PICTURE.replace("/", "-")
    assert file.get("name") == name and file.get("encoding") == "base64"
    assert base64.b64decode(file.text or "") == (SAMPLES / PICTURE).read_bytes()
    text = pictured.findtext("text", "")
    assert f'src="@@PLUGINFILE@@/{name}"' in text and "\\(E = mc^2\\)" in text


def _qti(project: Path, name: str) -> tuple[zipfile.ZipFile, list[ET.Element]]:
    package = zipfile.ZipFile(project / "output" / f"{name}-qti.zip")
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    named = {f.get("href") for f in manifest.iter(f"{CP}file")}
    assert named == set(package.namelist()) - {"imsmanifest.xml"}  # every file, no other
    (test,) = [r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2"]
    (assessment,) = test.findall(f"{CP}file")
    root = ET.fromstring(package.read(assessment.get("href", "")))
    return package, root.findall(f".//{QTI}item")


def _field(item: ET.Element, label: str) -> str:
    for field in item.iter(f"{QTI}qtimetadatafield"):
        if field.findtext(f"{QTI}fieldlabel") == label:
            return field.findtext(f"{QTI}fieldentry", "")
    raise AssertionError(f"no {label}")


def test_the_qti_package_holds_every_question_and_its_picture(project: Path) -> None:
    package, items = _qti(project, "quiz")
    questions = _questions(project, "quiz")
    assert len(items) == len(questions)
    for item, question in zip(items, questions, strict=True):
        assert _field(item, "question_type") == QTI_TYPES[type(question)]
        assert float(_field(item, "points_possible")) == question.points
        wrong = {v.text for n in item.iter(f"{QTI}not") for v in n.iter(f"{QTI}varequal")}
        right = [v.text for v in item.iter(f"{QTI}varequal") if v.text not in wrong]
        labels = {
            label.get("ident"): label.findtext(f".//{QTI}mattext")
            for label in item.iter(f"{QTI}response_label")
        }
        if isinstance(question, MultipleChoice):
            assert [labels[v] for v in right] == [
                _plain(c.text) for c in question.choices if c.right
            ]
        elif isinstance(question, ShortAnswer):
            assert right == list(question.accepted)
        elif isinstance(question, Matching):
            assert [labels[v] for v in right] == [a for _, a in question.pairs]
        elif isinstance(question, FillIn):
            assert [labels[v] for v in right] == list(question.blanks)
            text = item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext", "")
            assert "[blank1]" in text and "[blank2]" in text
        if question.explain:
            said = item.findtext(f"{QTI}itemfeedback//{QTI}mattext", "")
            assert _untagged(said) == _plain(question.explain[0].text)  # type: ignore[union-attr]
    name = f"media/{PICTURE.replace('/', '-')}"
    assert package.read(name) == (SAMPLES / PICTURE).read_bytes()
    (pictured,) = [item for item in items if "What does" in item.get("title", "")]
    text = pictured.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext", "")
    assert f"$IMS-CC-FILEBASE$/{name}" in text


def test_french_accents_survive_in_every_format(project: Path) -> None:
    output = project / "output"
    gift = _gift((output / "francais.gift.txt").read_text("utf-8"))
    assert [q["answers"] for q in gift] == [
        [("Économie", 100.0), ("Géographie", 0.0)],
        ["À l\u2019usine"],
    ]
    assert "coûts" in str(gift[0]["text"]) and "L\u2019économie" in str(gift[0]["feedback"])
    moodle = _moodle(project, "francais")
    assert moodle[1].findtext("answer/text") == "À l\u2019usine"
    assert "coûts" in moodle[0].findtext("questiontext/text", "")
    _, items = _qti(project, "francais")
    assert items[1].findtext(f".//{QTI}varequal") == "À l\u2019usine"
    assert "Économie" in ET.tostring(items[0], encoding="unicode")


def test_two_builds_give_the_same_bytes_and_an_unchanged_lesson_is_not_rewritten(
    project: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build(again, str(project / "content"), "--only", KINDS)
    names = [pattern.format(lesson) for lesson in ("quiz", "francais") for pattern in EXPORTS]
    for name in names:
        assert (again / name).read_bytes() == (project / "output" / name).read_bytes()
    written = {name: (again / name).stat().st_mtime_ns for name in names}
    build(again, str(project / "content"), "--only", KINDS)
    assert {name: (again / name).stat().st_mtime_ns for name in names} == written


def test_a_removed_lesson_s_exports_are_removed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SAMPLES / "course.yaml", content / "course.yaml")
    (content / "francais.yaml").write_text(FRENCH, "utf-8")
    build(tmp_path / "out", str(content), "--only", KINDS)
    assert (tmp_path / "out" / "francais.gift.txt").is_file()
    (content / "francais.yaml").unlink()
    (content / "other.yaml").write_text(FRENCH.replace("Gestion", "Autre"), "utf-8")
    build(tmp_path / "out", str(content), "--only", KINDS)
    assert not any((tmp_path / "out").glob("francais*"))
    assert (tmp_path / "out" / "other.gift.txt").is_file()


def test_build_help_lists_the_exports() -> None:
    from conftest import run_here

    ran = run_here("build", "--help")
    assert all(name in ran.out for name in KINDS.split(","))
