"""The accessibility checks of tests/accessibility.py on every output, and each shown to fail
on a PDF that breaks what it checks; three outside PDF/UA checkers from PyPI (`pdfua`, `page`
and `outloud`) on every output and on the test lessons in six languages, each shown to fail
on a broken PDF too."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from accessibility import (
    added_hyphens,
    content_is_tagged_or_artifact,
    elements,
    figure_boxes_inside_pages,
    figure_boxes_where_painted,
    figures_have_alt_text,
    font_names_are_distinct,
    header_cells_have_scope,
    headings_nest,
    ids_resolve,
    language_is_set,
    links_are_tagged,
    no_empty_elements,
    one_heading_per_title,
    problems,
)
from conftest import ROOT, SAMPLE, build, copy_sample, run_here
from page import ValidationProfile, validate_pdf

from handouts.outputs import get
from handouts.render.cache import BuildCache
from handouts.render.tagging import repaired
from handouts.render.theme import Theme

SAMPLE_PDFS = 16  # 9 of the lesson with speaker notes and a quiz, 6 of the other, the pack
# Lessons in Arabic, German, Persian, French, Hebrew and Urdu: text in both directions.
LINK = "https://example.org/a-long-address/on-production-systems"
# A paragraph whose link wraps onto a second line in the handout's column and on the slide.
LINKED = (
    "      Read more in the [guide to production systems, planning, scheduling, quality control"
    f" and the everyday running of a factory floor in a small manufacturing business]({LINK}).\n\n"
)


def test_every_output_of_the_samples_passes(built: Path) -> None:
    pdfs = sorted(built.glob("*.pdf"))
    assert len(pdfs) == SAMPLE_PDFS
    assert {pdf.name: problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of the sample with pictures and formulas, plus a link that wraps."""
    folder = tmp_path_factory.mktemp("linked")
    lesson = copy_sample(folder / "content")
    text = lesson.read_text("utf-8")
    anchor = "      A system's **productivity**"
    lesson.write_text(text.replace(anchor, LINKED + anchor, 1), "utf-8")
    build(folder / "output", str(lesson), "--speaker-notes")
    return folder / "output"


def test_a_lesson_with_links_figures_and_formulas_passes(linked: Path) -> None:
    pdfs = sorted(linked.glob("*.pdf"))
    assert {pdf.name for pdf in pdfs} >= {
        f"production-systems-{kind}.pdf" for kind in ("handout", "slides", "notes")
    }
    assert {pdf.name: problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}
    for kind in ("handout", "slides", "notes"):
        with pikepdf.open(linked / f"production-systems-{kind}.pdf") as pdf:
            links = [e for e in elements(pdf) if e.S == "/Link"]
            annotations = [
                kid.Obj
                for link in links
                for kid in link.K
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
            ]
            assert len(links) == 1, kind  # one element for the link, on however many lines
            assert {str(a.A.URI) for a in annotations} == {LINK}
            assert all(int(a.get("/F", 0)) & 4 for a in annotations), kind  # 4: Print
            if kind == "handout":
                assert len(annotations) == 2  # it wraps: an annotation per line
            assert {str(e.S) for e in elements(pdf)} >= {"/Formula", "/Figure"}


@pytest.fixture(scope="module")
def languages(languages_built: Path) -> list[Path]:
    """The handout, slides (with speaker notes) and table of the test lessons in six languages:
    the pages every other output shows again (the notes and the presenter's handout place the
    slides, the worksheet and answer key the table), checked in English on the samples; all
    seven kinds would take the checkers three times as long."""
    kinds = ("handout", "slides", "table")
    return sorted(pdf for pdf in languages_built.glob("*.pdf") if pdf.stem.split("-")[1] in kinds)


@pytest.fixture(scope="module")
def outputs(built: Path, linked: Path, languages: list[Path]) -> list[Path]:
    """Every PDF the outside checkers read: the samples', the linked lesson's, the languages'."""
    return [*sorted(built.glob("*.pdf")), *sorted(linked.glob("*.pdf")), *languages]


def _without_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]


def _untagged(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/StructTreeRoot"]
    del pdf.Root["/MarkInfo"]


def _figures_without_alt_text(pdf: pikepdf.Pdf) -> None:
    for element in elements(pdf):
        if element.S in ("/Figure", "/Formula"):
            del element["/Alt"]


def _read_backwards(pdf: pikepdf.Pdf) -> None:
    """Every element's parts read last to first: each page paints them in another order."""
    for element in elements(pdf):
        if isinstance(element.get("/K"), pikepdf.Array):
            element.K = pikepdf.Array(reversed(list(element.K)))


BREAKS = {
    "no-language": _without_language,
    "untagged": _untagged,
    "no-alt-text": _figures_without_alt_text,
    "read-backwards": _read_backwards,
}
# The rules each outside checker must report on each broken PDF (it may report more).
FOUND_BROKEN = {
    "pdfua": {
        "no-language": {"UA-06-001"},
        "untagged": {"UA-01-005"},
        "no-alt-text": {"UA-13-004"},
    },
    "page": {
        "no-language": {"PDFUA1-TEXT-LANGUAGE-001"},
        "untagged": {"PDFUA1-STRUCT-TREE-ROOT-001", "PDFUA1-TAGGED-DOCUMENT-001"},
        "no-alt-text": {
            "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001",
            "PDFUA1-FORMULA-ALTERNATIVE-TEXT-001",
        },
    },
    "outloud": {
        "no-language": {"DOC-013"},
        "untagged": {"DOC-001", "DOC-002"},
        "no-alt-text": {"FIG-001", "MATH-001"},
        "read-backwards": {"ORD-001"},
    },
}


@pytest.fixture(scope="module")
def broken(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's slides (figures, formulas, a table) broken each way of BREAKS."""
    folder = tmp_path_factory.mktemp("broken")
    for name, breaking in BREAKS.items():
        with pikepdf.open(built / "production-systems-slides.pdf") as pdf:
            breaking(pdf)
            pdf.save(folder / f"{name}.pdf")
    return {name: folder / f"{name}.pdf" for name in BREAKS}


def _named(path: Path) -> str:
    """A checked PDF's folder and name: the samples and the linked lesson share names."""
    return f"{path.parent.name}/{path.name}"


def _rules(messages: list[str]) -> set[str]:
    """The rule ids that start a checker's messages."""
    return {message.split()[0].rstrip(":") for message in messages}


# pdfua 0.1.3's rule for empty headings never runs on our PDFs: it asks a heading's /K array
# for `is_integer` with getattr, pikepdf 10 raises ValueError instead of AttributeError, and
# pdfua skips the rule. `page` and outloud check empty headings instead. Any other rule
# pdfua skips is a message of its own.
PDFUA_CRASHING = {"UA-14-001"}


@pytest.fixture(scope="module")
def pdfua_found(outputs: list[Path], broken: dict[str, Path]) -> dict[Path, list[str]]:
    """What pdfua says of every output and broken PDF, run once over all of them."""
    pdfs = [*outputs, *broken.values()]
    checker = [sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, pdfs)]
    result = subprocess.run(checker, capture_output=True, text=True, timeout=300, check=False)
    reports, text, at = [], result.stdout.strip(), 0
    while at < len(text):  # one JSON object a file, one after the other
        report, at = json.JSONDecoder().raw_decode(text, at)
        reports.append(report)
        at += len(text[at:]) - len(text[at:].lstrip())
    found = {
        Path(report["file"]): [
            *(f"{f['rule_id']}: {f['message']}" for f in report["findings"]),
            *(
                f"{skipped['rule_id']} did not run: {skipped['reason']}"
                for skipped in report["skipped"]
                if skipped["rule_id"] not in PDFUA_CRASHING
            ),
        ]
        for report in reports
    }
    assert set(found) == set(pdfs), result.stderr
    return found


def test_the_pdfua_checker_finds_nothing(
    outputs: list[Path], pdfua_found: dict[Path, list[str]]
) -> None:
    found = {_named(pdf): pdfua_found[pdf] for pdf in outputs}
    assert found == {name: [] for name in found}


@pytest.fixture(scope="module")
def page_found(outputs: list[Path], broken: dict[str, Path]) -> dict[Path, list[str]]:
    """The failures the `page` validator finds in every output and broken PDF, PDF/UA-1
    profile (its Python bindings: no command comes with them, and each PDF takes it 5 ms)."""
    found = {}
    for pdf in [*outputs, *broken.values()]:
        report = validate_pdf(pdf, profile=ValidationProfile.PDF_UA_1)
        found[pdf] = [f"{failure.rule_id}: {failure.message}" for failure in report.failures]
        if not report.is_compliant and not found[pdf]:
            found[pdf].append("non-conformant: no failure named")
    return found


def test_the_page_validator_finds_nothing(
    outputs: list[Path], page_found: dict[Path, list[str]]
) -> None:
    found = {_named(pdf): page_found[pdf] for pdf in outputs}
    assert found == {name: [] for name in found}


# outloud's rules that do not apply to some outputs: the rule's id, the ends of the names of
# the outputs it does not apply to, and why.
OUTLOUD_NOT_APPLICABLE = {
    # "Running header or footer tagged as content": the "Slide n" heading over each slide of
    # the notes and the presenter's handout recurs near the top of every page, but it is a
    # heading on purpose: the slide's own headings, lists and tables follow it in the tree.
    "PAG-001": ("-notes.pdf", "-presenter.pdf"),
    # "Table is mostly empty cells": a worksheet's blank cells are the pupils' to fill in.
    "TBL-012": ("-worksheet.pdf",),
    # "Annotation lacks the Print flag": the speaker notes in a deck are PDF comments that
    # must never print (the links print: test_a_lesson_with_links_figures_and_formulas_passes).
    "LNK-004": ("-slides.pdf",),
}


@pytest.fixture(scope="module")
def outloud_found(
    outputs: list[Path], broken: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, list[str]]:
    """What outloud says of every output and broken PDF (errors, warnings and notes, each
    named by its rule), run once over all of them."""
    pdfs = [*outputs, *broken.values()]
    report = tmp_path_factory.mktemp("outloud") / "report.json"
    checker = [
        *(sys.executable, "-c", "from outloud.cli import main; main()"),
        *("--json", str(report), "--quiet", "--fail-on", "never", *map(str, pdfs)),
    ]
    result = subprocess.run(checker, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    found = {}
    for checked in json.loads(report.read_text("utf-8"))["results"]:
        found[Path(checked["path"])] = [
            *(
                f"{f['rule']} ({f['severity']}, page {f.get('page')}): {f['message']}"
                + (f" [{f['evidence']}]" if f.get("evidence") else "")
                for f in checked["findings"]
            ),
            *(
                f"{run['rule']} crashed: {run['reason']}"
                for run in checked["rules"]
                if run["status"] == "crashed"
            ),
            *([f"unreadable: {checked['error']}"] if checked["error"] else []),
        ]
    assert set(found) == set(pdfs)
    return found


def _outloud_applies(pdf: Path, message: str) -> bool:
    rule = message.split()[0]
    return not pdf.name.endswith(OUTLOUD_NOT_APPLICABLE.get(rule, ()))


def test_the_outloud_checker_finds_nothing(
    outputs: list[Path], outloud_found: dict[Path, list[str]]
) -> None:
    found = {
        _named(pdf): [message for message in outloud_found[pdf] if _outloud_applies(pdf, message)]
        for pdf in outputs
    }
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("checker", sorted(FOUND_BROKEN))
def test_each_outside_checker_fails_on_a_broken_pdf(
    checker: str, broken: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    found: dict[Path, list[str]] = request.getfixturevalue(f"{checker}_found")
    for name, rules in FOUND_BROKEN[checker].items():
        assert rules <= _rules(found[broken[name]]), (name, found[broken[name]])


def test_notes_carry_each_slides_structure(built: Path) -> None:
    with pikepdf.open(built / "production-systems-notes.pdf") as notes:
        kinds = [str(e.S) for e in elements(notes)]
    with pikepdf.open(built / "production-systems-slides.pdf") as slides:
        deck = [str(e.S) for e in elements(slides)]
    assert kinds.count("/H1") == 8 + 1  # "Slide n" for each of the 8, and the title slide's
    for kind in ("/H2", "/H3", "/L", "/LI", "/Table", "/TH", "/Figure", "/Formula"):
        assert kinds.count(kind) == deck.count(kind), kind


@pytest.fixture
def table(built: Path) -> Iterator[pikepdf.Pdf]:
    """The sample's comparison table, opened for breaking."""
    with pikepdf.open(built / "production-systems-table.pdf") as pdf:
        yield pdf


def test_ids_without_an_id_tree_are_found(table: pikepdf.Pdf) -> None:
    assert ids_resolve(table) == []
    del table.Root.StructTreeRoot["/IDTree"]
    found = ids_resolve(table)
    assert found and all("no /IDTree maps" in p or "not mapped" in p for p in found)


def test_a_header_cell_without_scope_or_content_is_found(table: pikepdf.Pdf) -> None:
    assert header_cells_have_scope(table) == []
    first = next(e for e in elements(table) if e.S == "/TH")
    del first.A["/Scope"]
    assert header_cells_have_scope(table) == ["a TH has no /Scope (None)"]
    first.A.Scope = pikepdf.Name.Column  # a column header's scope
    first.K = pikepdf.Array()
    assert header_cells_have_scope(table) == ["a TH is empty"]


def test_header_cells_of_the_wrong_scope_are_found(table: pikepdf.Pdf) -> None:
    headers = [e for e in elements(table) if e.S == "/TH"]
    for cell in headers:  # swapped: the column headers say /Row, the row labels /Column
        cell.A.Scope = pikepdf.Name.Row if cell.A.Scope == "/Column" else pikepdf.Name.Column
    found = header_cells_have_scope(table)
    assert "the TH of the header row at row 1, column 2 has /Scope /Row" in found
    assert "the TH of the row-label column at row 2, column 1 has /Scope /Column" in found
    assert len(found) == len(headers)


def test_a_figure_without_alt_text_is_found(built: Path) -> None:
    with pikepdf.open(built / "production-systems-handout.pdf") as pdf:
        assert figures_have_alt_text(pdf) == []
        figure = next(e for e in elements(pdf) if e.S == "/Formula")
        del figure["/Alt"]
        assert figures_have_alt_text(pdf) == ["a Formula has no alt text"]


@pytest.fixture
def slides(built: Path) -> Iterator[pikepdf.Pdf]:
    """The sample's slides (figures, formulas, a table, speaker-note-free), opened for breaking."""
    with pikepdf.open(built / "production-systems-slides.pdf") as pdf:
        yield pdf


def test_untagged_or_unreachable_content_is_found(slides: pikepdf.Pdf) -> None:
    assert content_is_tagged_or_artifact(slides) == []
    slides.pages[0].contents_add(b"BT ET 0 0 1 1 re f\n")
    assert content_is_tagged_or_artifact(slides) == ["page 1: f outside any marked content"]
    page = slides.pages[1]
    parents = dict(zip(*[iter(slides.Root.StructTreeRoot.ParentTree.Nums)] * 2, strict=True))
    parents[int(page.obj.StructParents)][0] = None
    assert "page 2: marked content 0 is in no element of the tree" in content_is_tagged_or_artifact(
        slides
    )


def test_a_figure_box_off_its_page_is_found(slides: pikepdf.Pdf) -> None:
    assert figure_boxes_inside_pages(slides) == []
    figure = next(e for e in elements(slides) if e.S == "/Figure")
    figure.A.BBox = pikepdf.Array([100, 600, 900, 1200])  # CSS px from the top
    assert figure_boxes_inside_pages(slides) == [
        "a Figure's /BBox [100.0, 600.0, 900.0, 1200.0] is off its page"
    ]


@pytest.mark.parametrize("kind", ["handout", "notes"])  # notes: slides drawn as forms
def test_a_figure_box_not_where_its_picture_is_painted_is_found(built: Path, kind: str) -> None:
    with pikepdf.open(built / f"production-systems-{kind}.pdf") as pdf:
        assert figure_boxes_where_painted(pdf) == []
        figure = next(e for e in elements(pdf) if e.S == "/Figure")
        x1, y1, x2, y2 = (float(value) for value in figure.A.BBox)
        height = float(figure.Pg.MediaBox[3])
        figure.A.BBox = pikepdf.Array([x1, height - y2, x2, height - y1])  # left unflipped
        assert figure_boxes_inside_pages(pdf) == []  # still on the page
        (found,) = figure_boxes_where_painted(pdf)
        assert found.startswith("a Figure's /BBox ") and "is not where it is painted" in found


def test_untagged_and_split_links_are_found(linked: Path) -> None:
    with pikepdf.open(linked / "production-systems-handout.pdf") as pdf:
        assert links_are_tagged(pdf) == []
        link = next(e for e in elements(pdf) if e.S == "/Link")
        parent = link.P
        at = next(i for i, kid in enumerate(parent.K) if kid.objgen == link.objgen)
        twin = pdf.make_indirect(pikepdf.Dictionary({key: link[key] for key in link.keys()}))  # noqa: SIM118
        parent.K.insert(at + 1, twin)
        assert links_are_tagged(pdf) == [f"one link to {LINK} is two Link elements"]
        del parent.K[at + 1]
        annotation = next(k.Obj for k in link.K if isinstance(k, pikepdf.Dictionary))
        del annotation["/StructParent"]
        assert links_are_tagged(pdf) == ["page 1: a /Link annotation has no /StructParent"]


def test_a_skipped_heading_level_is_found(slides: pikepdf.Pdf) -> None:
    assert headings_nest(slides) == []
    next(e for e in elements(slides) if e.S == "/H2").S = pikepdf.Name.H4
    assert headings_nest(slides) == ["H4 follows H1"]


def test_a_heading_inside_a_heading_is_found(slides: pikepdf.Pdf) -> None:
    assert one_heading_per_title(slides) == []
    # A slide's title under its section label: WeasyPrint's inner H2, as it was before repair.
    title = next(
        e
        for e in elements(slides)
        if e.S == "/H2" and isinstance(e.K, pikepdf.Array) and len(e.K) > 1
    )
    inner = [kid for kid in title.K if isinstance(kid, pikepdf.Dictionary)][-1]
    inner.S = pikepdf.Name.H2
    assert one_heading_per_title(slides) == ["a H2 inside a H2"]


def test_a_missing_language_is_found(slides: pikepdf.Pdf) -> None:
    assert language_is_set(slides) == []
    del slides.Root["/Lang"]
    assert language_is_set(slides) == ["the document has no /Lang"]


def test_an_empty_element_is_found(slides: pikepdf.Pdf) -> None:
    assert no_empty_elements(slides) == []
    document = slides.Root.StructTreeRoot.K[0]
    document.K.append(
        slides.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Div, P=document)
        )
    )
    assert no_empty_elements(slides) == ["an empty Div"]


def test_two_fonts_of_one_name_are_found(slides: pikepdf.Pdf) -> None:
    assert font_names_are_distinct(slides) == []
    first, second = [
        o for o in slides.objects if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o
    ][:2]
    second.FontName = first.FontName
    assert font_names_are_distinct(slides) == [f"two different fonts are named {first.FontName}"]


def test_added_hyphens_are_found_until_repaired(tmp_path: Path) -> None:
    """WeasyPrint's own PDF breaks words with U+2010; the repair pass makes them copy whole."""
    html = (
        '<html lang="en"><body><p>Organisations internationally standardise manufacturing '
        "responsibilities extraordinarily.</p></body></html>"
    )
    narrow = "body { width: 4cm; }"
    stylesheets = get("handout").all_stylesheets()
    raw = BuildCache().renderer(Theme()).render(html, stylesheets, extra_css=narrow).data
    (tmp_path / "raw.pdf").write_bytes(raw)
    assert added_hyphens(tmp_path / "raw.pdf")
    (tmp_path / "repaired.pdf").write_bytes(repaired(raw, html, {}))
    assert added_hyphens(tmp_path / "repaired.pdf") == []


def test_a_theme_too_faint_is_a_located_error_and_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_sample(tmp_path / "content")
    theme = tmp_path / "theme" / "css" / "theme.css"
    theme.parent.mkdir(parents=True)
    ours = (ROOT / "templates" / "css" / "theme.css").read_text("utf-8")
    theme.write_text(ours.replace("--rule: #666666", "--rule: #dddddd"), "utf-8")
    line = next(n for n, text in enumerate(ours.splitlines(), 1) if "--rule:" in text)
    monkeypatch.chdir(tmp_path)
    result = run_here("content", "-o", "output")
    assert result.code != 0
    assert (
        f"theme/css/theme.css:{line}:3: error: --rule #dddddd on the white paper #ffffff is "
        "1.36:1, below the 3:1 needed for table rules, frames and writing lines"
    ) in result.out + result.err
    assert not list((tmp_path / "output").glob("*.pdf"))


def test_body_text_is_pure_black(built: Path) -> None:
    """Every glyph of the body face (Source Serif 4) is filled `0 g`, black in DeviceGray:
    black toner only (RGB black becomes four-colour black at a print shop)."""
    with pikepdf.open(built / f"{SAMPLE}-handout.pdf") as pdf:
        fills = set()
        for page in pdf.pages:
            fonts = page.obj.Resources.Font
            fill, body = (), False
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("rg", "g"):
                    fill = tuple(float(value) for value in operands)
                elif name == "Tf":
                    body = str(fonts[operands[0]].BaseFont).endswith("+Source-Serif-4")
                elif name in ("Tj", "TJ") and body:
                    fills.add(fill)
    assert fills == {(0.0,)}
