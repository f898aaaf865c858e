"""Pictures and formulas in a lesson, read back from the PDFs every output makes of it."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pikepdf
import pytest
from accessibility import elements, problems
from conftest import run_here, runs_in_fresh_python
from pdf_reader import Pdf, drawn_images
from PIL import Image

from handouts.lesson.markdown import ENGLISH_QUOTES, parse_blocks, render_inline
from handouts.lesson.model import Figure, Formula, ItemList, Paragraph
from handouts.render.contrast import root_colours
from handouts.render.pictures import Media
from handouts.render.theme import Theme

PHOTO_ALT = "A grey square with a dark band across its middle"
DIAGRAM_ALT = "Three boxes joined by arrows: input, process, output"
LESSON = r"""title: Pictures and formulas
course: Test course
author: Test author
subjects:
  a: Alpha
  b: Beta
introduction: |
  A bakery's productivity is $\frac{600}{40} = 15$ loaves an hour; a loaf costs $5 and $10
  buys two, and \$3 is change.

  ![PHOTO_ALT](pictures/photo.png "The photograph")
sections:
  - title: Diagram
    text: |
      Every process turns inputs into outputs, and more output from the same input is
      productivity.

      $$
      P = \frac{\text{output}}{\text{input}}
      $$

      ![DIAGRAM_ALT](pictures/diagram.svg "How a process works")
  - title: Again
    text: The photograph once more, half as wide, as a teacher would show it twice.
    figure:
      file: pictures/photo.png
      alt: PHOTO_ALT
      credit: "Photo: the test, CC BY 4.0"
      width: 50%
  - title: Ornament
    text: A section with a picture that adds nothing.
    figure:
      file: pictures/diagram.svg
      decorative: true
      width: 30%
  - title: Parts
    a: Alpha grows as $x^2$.
    b: Beta does not.
comparison:
  rows:
    - label: Picture
      a: "![PHOTO_ALT](pictures/photo.png)"
      b: A word
    - label: Growth
      given: [a, b]
      a: "$x^2$"
      b: '$\sqrt{x}$'
conclusion: Done.
""".replace("PHOTO_ALT", PHOTO_ALT).replace("DIAGRAM_ALT", DIAGRAM_ALT)
DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">
<rect x="5" y="5" width="290" height="90" fill="none" stroke="black" stroke-width="4"/>
</svg>
"""
# The formulas' alt texts: said in words.
FORMULAS = {"600 over 40 equals 15", "P equals output over input", "x squared"}
ROOT_X = "the square root of x"


def _photo(path: Path) -> None:
    image = Image.new("RGB", (300, 200), (200, 200, 200))
    for x in range(300):
        for y in range(80, 120):
            image.putpixel((x, y), (40, 40, 40))
    image.save(path)


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pictures") / "content"
    (folder / "pictures").mkdir(parents=True)
    _photo(folder / "pictures" / "photo.png")
    (folder / "pictures" / "diagram.svg").write_text(DIAGRAM)
    path = folder / "pictures.yaml"
    path.write_text(LESSON, "utf-8")
    return path


@pytest.fixture(scope="module")
def output(lesson: Path) -> Path:
    folder = lesson.parent.parent / "output"
    ran = run_here(str(lesson), "-o", str(folder))
    assert ran.code == 0, ran.err
    return folder


def _structure(path: Path) -> list[tuple[str, str]]:
    """Every structure element's type and alt text, in the tree's order."""
    with pikepdf.open(path) as pdf:
        return [(str(node.S)[1:], str(node.get("/Alt", ""))) for node in elements(pdf)]


def _raster_images(path: Path) -> list[pikepdf.Object]:
    """The distinct raster images of a PDF, wherever they are drawn (pages, forms)."""
    with pikepdf.open(path) as pdf:
        found = {
            obj.objgen: obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream)
            and obj.get("/Subtype") == "/Image"
            and "/SMask" not in str(obj.get("/Type", ""))
        }
        return [(int(o.Width), int(o.Height)) for o in found.values()]


def test_a_picture_shown_four_times_is_embedded_once(output: Path) -> None:
    handout = output / "pictures-handout.pdf"
    assert _raster_images(handout) == [(300, 200)]
    drawn = [box for page in range(len(Pdf(handout))) for box in drawn_images(handout, page)]
    assert len(drawn) == 3  # in the introduction, in a section and in the table


def test_a_figure_takes_the_share_of_the_column_it_asks_for_or_its_own_size(
    output: Path,
) -> None:
    handout = output / "pictures-handout.pdf"
    column = (210 - 2 * 21) / 25.4 * 72  # A4 less the handout's margins, in points
    widths = sorted(
        round(right - left, 1)
        for page in range(len(Pdf(handout)))
        for left, _, right, _ in drawn_images(handout, page)
    )
    assert any(abs(width - column / 2) < 1 for width in widths), widths  # "width: 50%"
    # Without a width, the picture's own size: 300 px, a CSS px each (0.75 pt).
    assert any(abs(width - 300 * 0.75) < 1 for width in widths), widths


def test_figures_and_formulas_are_tagged_with_their_alt_text(output: Path) -> None:
    tags = _structure(output / "pictures-handout.pdf")
    figures = [alt for kind, alt in tags if kind == "Figure"]
    formulas = {alt for kind, alt in tags if kind == "Formula"}
    # The photo twice, the diagram (its decorative copy is a background: an artifact), the
    # photo in the table cell.
    assert sorted(figures) == sorted([PHOTO_ALT, PHOTO_ALT, DIAGRAM_ALT, PHOTO_ALT])
    assert FORMULAS | {ROOT_X} <= formulas
    assert sum(kind == "Caption" for kind, _ in tags) == 3  # two captions and a credit


def _words(path: Path) -> str:
    pdf = Pdf(path)
    return " ".join(" ".join(pdf.page_text(n) for n in range(len(pdf))).split())


def test_every_output_passes_the_accessibility_checks(output: Path) -> None:
    pdfs = sorted(output.glob("*.pdf"))
    assert len(pdfs) == 6
    assert {pdf.name: problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_captions_are_numbered_and_credited(output: Path) -> None:
    text = _words(output / "pictures-handout.pdf")
    assert "Figure 1. The photograph" in text
    assert "Figure 2. How a process works" in text
    assert "Photo: the test, CC BY 4.0" in text
    assert "Figure 3" not in text


def test_dollar_amounts_stay_text(output: Path) -> None:
    text = _words(output / "pictures-handout.pdf")
    assert "a loaf costs $5 and $10 buys two, and $3 is change." in text


def test_formulas_reach_every_output(output: Path) -> None:
    for kind, shown in {
        "slides": FORMULAS,
        "table": {"x squared", ROOT_X},
        "worksheet": {"x squared", ROOT_X},  # a given row
        "answers": {"x squared", ROOT_X},
    }.items():
        formulas = {
            alt for tag, alt in _structure(output / f"pictures-{kind}.pdf") if tag == "Formula"
        }
        assert shown <= formulas, kind


def test_slides_show_each_figure_beside_its_points_or_on_its_own(output: Path) -> None:
    slides = output / "pictures-slides.pdf"
    deck = Pdf(slides)
    texts = [deck.page_text(n) for n in range(len(deck))]
    pictured = [n for n in range(len(deck)) if drawn_images(slides, n)]
    overview = next(n for n, text in enumerate(texts) if "Overview" in text)
    assert overview in pictured, "the introduction's photograph sits beside the overview"
    # Half as wide, the photograph would be too small beside its points: a slide of its own.
    alone = [n for n in pictured if "Photo: the test" in texts[n]]
    assert len(alone) == 1 and "once more" not in texts[alone[0]], texts
    assert "once more" in texts[alone[0] - 1]
    tags = _structure(slides)
    assert DIAGRAM_ALT in {alt for kind, alt in tags if kind == "Figure"}


@pytest.mark.parametrize(
    ("latex", "words"),
    [
        (
            r"\text{productivity} = \frac{\text{output}}{\text{input}}",
            "productivity equals output over input",
        ),
        (r"600 \div 40 = 15", "600 divided by 40 equals 15"),
        (r"a^2 + b^3 = c^n", "a squared plus b cubed equals c to the power n"),
        (r"\sum_{i=1}^{n} x_i", "the sum from i equals 1 to n of x sub i"),
        (r"\alpha \leq \sqrt{\beta}", "alpha is at most the square root of beta"),
    ],
)
def test_a_formula_is_said_in_words_in_english_and_by_its_latex_otherwise(
    latex: str, words: str
) -> None:
    for language, alt in (("en-GB", words), ("fr", latex)):
        assert f'alt="{alt}"' in Media({}, language, ENGLISH_QUOTES).formula(latex, False)


def _drawn_svg(html: str) -> str:
    """The SVG of the first formula in `html`."""
    encoded = html.split("data:image/svg+xml;base64,", 1)[1].split('"', 1)[0]
    return base64.b64decode(encoded).decode()


def test_an_answers_formula_is_drawn_in_the_answer_colour() -> None:
    """A formula is a picture: it does not take the text's colour, so the answer key's are
    drawn in the theme's answer colour (the worksheet template's `md(ink="answer")`), glyphs
    and fraction bars alike; the same formula elsewhere stays black."""
    media = Media({}, "en", ENGLISH_QUOTES, root_colours(Theme()))
    latex = r"\frac{1}{2} \pi r^2"
    answer = _drawn_svg(render_inline(f"${latex}$", media.markdown_env("answer")))
    assert answer.startswith('<svg fill="#a4262c" ') and 'fill="black"' not in answer
    plain = _drawn_svg(render_inline(f"${latex}$", media.markdown_env()))
    assert "#a4262c" not in plain and 'fill="black"' in plain  # the fraction's bar


def test_markdown_reads_dollars_by_pandoc_rule() -> None:
    assert parse_blocks("costs $5 and $10 today") == (Paragraph("costs $5 and $10 today"),)
    html = render_inline(r"costs $5 and $10, \$3, and $x$", {"formula": lambda t, d: f"<{t}>"})
    assert html == "costs $5 and $10, $3, and <x>"
    blocks = parse_blocks('Text.\n\n![A box](box.svg "Its caption")\n\n$$\nx^2\n$$\n', str)
    assert blocks == (Paragraph("Text."), Figure("box.svg", "A box", "Its caption"), Formula("x^2"))
    assert parse_blocks("- one\n- two\n") == (ItemList(("one", "two")),)


def test_a_picture_change_rebuilds_what_shows_it_and_a_removed_one_is_an_error(
    lesson: Path, output: Path, tmp_path: Path
) -> None:
    shutil.copytree(lesson.parent, tmp_path / "content")
    shutil.copytree(output, tmp_path / "output")
    lesson, output = tmp_path / "content" / lesson.name, tmp_path / "output"
    # Every picture and formula checked, and nothing to rebuild, without WeasyPrint.
    checked = ["check", str(lesson)]
    assert runs_in_fresh_python(checked, [str(lesson), "-q", "-o", str(output)]) == ([0, 0], False)

    photo = lesson.parent / "pictures" / "photo.png"
    before = {path.name: path.read_bytes() for path in output.glob("*.pdf")}
    Image.new("RGB", (300, 200), (90, 140, 200)).save(photo)
    ran = run_here(str(lesson), "-o", str(output))
    assert ran.code == 0, ran.err
    rebuilt = {p.name for p in output.glob("*.pdf") if p.read_bytes() != before[p.name]}
    # The table and the slides show it in a cell; the worksheet leaves that cell blank.
    assert {"pictures-handout.pdf", "pictures-table.pdf", "pictures-slides.pdf"} <= rebuilt
    assert "pictures-worksheet.pdf" not in rebuilt

    kept = {path.name: path.read_bytes() for path in output.glob("*.pdf")}
    photo.unlink()
    ran = run_here(str(lesson), "-o", str(output))
    assert ran.code == 1
    assert f"{lesson}:11:3: error: picture 'pictures/photo.png' does not exist" in ran.err
    assert f"{lesson}:26:13: error: picture 'pictures/photo.png' does not exist" in ran.err
    assert {path.name: path.read_bytes() for path in output.glob("*.pdf")} == kept


def test_a_picture_answer_gets_the_room_it_takes_in_the_answer_key(
    lesson: Path, tmp_path: Path
) -> None:
    # Long answers fill the page, so that growing the lines cannot make room by chance.
    answer = "An answer long enough to need several ruled lines of handwriting. " * 2
    rows = "".join(
        f"    - label: Row {n}\n      a: {answer}\n      b: {answer}\n" for n in range(3)
    )
    rows += f"    - label: Look\n      a: '![{PHOTO_ALT}](pictures/photo.png)'\n      b: Grey\n"
    text = (
        "title: Answers\ncourse: C\nauthor: A\nsubjects:\n  a: Alpha\n  b: Beta\n"
        "introduction: Hi.\nsections:\n  - title: S\n    text: T.\n"
        f"comparison:\n  rows:\n{rows}    - label: Last\n      a: One\n      b: Two\n"
    )
    path = lesson.parent / "answers.yaml"
    path.write_text(text, "utf-8")
    ran = run_here(str(path), "--only", "answers", "-o", str(tmp_path))
    assert ran.code == 0, ran.err
    answers = tmp_path / "answers-answers.pdf"
    pdf = Pdf(answers)  # lines 8 mm apart: the long rows may push the picture's to page 2
    page = next(n for n in range(len(pdf)) if drawn_images(answers, n))
    (picture,) = drawn_images(answers, page)
    boxes = pdf.char_boxes(page)
    text = "".join(char for char, _ in boxes)
    assert "Last" in text  # the next row is on the picture's page, below it
    next_row = boxes[text.index("Last")][1]
    assert picture[1] > next_row[3], "the picture runs into the next row"


def test_a_picture_is_drawn_by_the_name_it_was_checked_by() -> None:
    seen = render_inline("![A](<images/café one.png>)", {"picture": lambda name, alt: name})
    assert seen == "images/café one.png"  # as written, not percent-encoded
