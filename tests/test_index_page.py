"""The index page, output/index.html: what it lists and in what order, its thumbnails, its
HTML, and the page itself in a real browser (the system's Chromium, driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree

import pytest
from conftest import LANGUAGE_LESSONS, copy_samples, run_here
from PIL import Image
from tinyhtml5.parser import HTMLParser

from handouts.make.manifest import MANIFEST_NAME, Manifest
from handouts.render.thumbnail import THUMBNAIL_WIDTH, thumbnail

if TYPE_CHECKING:
    from playwright.sync_api import Browser

COURSE = """\
course: Business Management
author: Business Management teaching team
language: en
title: Business Management, Year 10
lessons:
  - production-systems.yaml
  - production-vs-operations.yaml
"""
OUTPUTS = "handout,slides,table,pack"
PACK = "business-management-year-10-pack.pdf"
# In the page's order: the course's pack, its lessons in teaching order, then the lesson
# course.yaml does not name.
LINKS = [
    PACK,
    *(f"production-systems-{kind}.pdf" for kind in ("handout", "slides", "table")),
    *(f"production-vs-operations-{kind}.pdf" for kind in ("handout", "slides", "table")),
    *(f"operations-fr-{kind}.pdf" for kind in ("handout", "slides", "table")),
]
HTML = "{http://www.w3.org/1999/xhtml}"


def _project(folder: Path) -> Path:
    content = copy_samples(folder / "content")
    shutil.copy(LANGUAGE_LESSONS / "fr.yaml", content / "operations-fr.yaml")
    (content / "course.yaml").write_text(COURSE, "utf-8")
    return folder


def _build(folder: Path, *args: str) -> str:
    ran = run_here("-C", str(folder), "--only", OUTPUTS, *args)
    assert ran.code == 0, ran.err
    return ran.out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _project(tmp_path_factory.mktemp("index"))
    _build(folder)
    return folder


def _parsed(page: Path) -> ElementTree.Element:
    """The page as an HTML5 parser builds it; any parse error fails."""
    parser = HTMLParser()
    tree = parser.parse(page.read_bytes())
    assert not parser.errors, parser.errors
    return tree


def _links(tree: ElementTree.Element) -> list[str]:
    return [a.get("href", "") for a in tree.iter(f"{HTML}a")]


def test_every_pdf_is_listed_in_course_order_with_its_facts(project: Path) -> None:
    tree = _parsed(project / "output" / "index.html")
    assert _links(tree) == LINKS
    assert tree.get("lang") == "en"
    headings = [h.text for h in tree.iter() if h.tag in (f"{HTML}h2", f"{HTML}h3")]
    assert headings == [
        "Business Management, Year 10",
        "Job, Batch and Mass Production",
        "Difference between Production and Operations Management",
        "Other lessons",
        "Production et opérations",
    ]
    french = next(h for h in tree.iter(f"{HTML}h3") if h.text == "Production et opérations")
    assert french.get("lang") == "fr"
    facts = {
        a.get("href"): [dd.text for dd in li.iter(f"{HTML}dd")]
        for li in tree.iter(f"{HTML}li")
        for a in li.iter(f"{HTML}a")
    }
    manifest = Manifest(project / "output")
    for name, (pages, size, paper) in facts.items():
        assert pages == str(manifest.records[name].pages)
        kilobytes = round((project / "output" / name).stat().st_size / 1000)
        assert size == f"{kilobytes} kB"
        expected = {"slides": "16:9 screen", "table": "A4 landscape"}
        assert paper == expected.get(name.removesuffix(".pdf").rsplit("-")[-1], "A4 portrait")


def test_the_html_is_valid_and_asks_for_nothing_outside_the_folder(project: Path) -> None:
    text = (project / "output" / "index.html").read_text("utf-8")
    tree = _parsed(project / "output" / "index.html")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text and "@import" not in text and "url(" not in text
    assert len(list(tree.iter(f"{HTML}h1"))) == 1
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for image in tree.iter(f"{HTML}img"):
        assert image.get("alt", "").startswith("First page of ")
        assert image.get("width") == str(THUMBNAIL_WIDTH)
    for address in [*_links(tree), *(i.get("src", "") for i in tree.iter(f"{HTML}img"))]:
        assert not urlparse(address).scheme and not address.startswith(("/", "//")), address
        assert (project / "output" / unquote(address)).is_file(), address


def test_thumbnails_are_small_deterministic_and_without_metadata(project: Path) -> None:
    output = project / "output"
    for name in LINKS:
        picture = output / "thumbs" / name.replace(".pdf", ".png")
        with Image.open(picture) as image:
            assert image.width == THUMBNAIL_WIDTH
            assert not image.info.keys() - {"dpi"}, image.info  # no text, no time
        data = picture.read_bytes()
        assert b"tIME" not in data and b"tEXt" not in data and b"iTXt" not in data
        assert thumbnail((output / name).read_bytes()).png == data


def test_a_build_with_nothing_to_do_leaves_the_page_and_a_changed_pdf_redraws_its_own(
    tmp_path: Path,
) -> None:
    folder = _project(tmp_path)
    _build(folder, "--only", "handout")
    output = folder / "output"
    pictures = output / "thumbs"
    before = {p.name: p.stat().st_mtime_ns for p in [output / "index.html", *pictures.iterdir()]}
    assert "index.html" not in _build(folder, "--only", "handout")
    lesson = folder / "content" / "production-systems.yaml"
    lesson.write_text(lesson.read_text("utf-8").replace("Job, Batch", "Job, Lot"), "utf-8")
    said = _build(folder, "--only", "handout")
    assert f"{output / 'index.html'}  3 PDF(s) listed" in said
    after = {p.name: p.stat().st_mtime_ns for p in [output / "index.html", *pictures.iterdir()]}
    redrawn = sorted(name for name in before if before[name] != after[name])
    assert redrawn == ["index.html", "production-systems-handout.png"]
    assert "Job, Lot and Mass Production" in (output / "index.html").read_text("utf-8")


def test_a_lesson_removed_takes_its_thumbnails_and_the_page_is_never_removed(
    tmp_path: Path,
) -> None:
    folder = _project(tmp_path)
    _build(folder, "--only", "handout")
    (folder / "content" / "operations-fr.yaml").unlink()
    said = _build(folder, "--only", "handout")
    output = folder / "output"
    assert "removed" in said and "index.html" in said
    assert sorted(p.name for p in (output / "thumbs").iterdir()) == [
        "production-systems-handout.png",
        "production-vs-operations-handout.png",
    ]
    assert "operations-fr" not in (output / "index.html").read_text("utf-8")
    (output / "index.html").unlink()  # a page removed by hand is made again
    assert "index.html" in _build(folder, "--only", "handout")


def test_a_french_course_gives_a_french_page_wherever_its_folder_is(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(LANGUAGE_LESSONS / "fr.yaml", content / "operations.yaml")
    (content / "course.yaml").write_text("course: Gestion\nauthor: Équipe\nlanguage: fr\n", "utf-8")
    # The lessons named by their path, outside the project (the current folder): the page
    # still groups them under their course, as the build does.
    output = tmp_path / "output"
    ran = run_here(str(content), "-o", str(output), "--only", "handout", "--paper", "letter")
    assert ran.code == 0, ran.err
    tree = _parsed(output / "index.html")
    assert [h.text for h in tree.iter(f"{HTML}h2")] == ["Gestion"]
    assert tree.get("lang") == "fr"
    text = ElementTree.tostring(tree, encoding="unicode")
    for words in ("Documents de cours", "Polycopié", "Taille", "Letter portrait", "Langue"):
        assert words in text


def test_a_manifest_from_before_the_index_still_loads(tmp_path: Path) -> None:
    record = {"key": "k", "digest": "d", "source": "../content/a.yaml", "pages": 2, "stamp": "s"}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"a-handout.pdf": record}), "utf-8")
    loaded = Manifest(tmp_path).records["a-handout.pdf"]
    assert (loaded.pages, loaded.title, loaded.thumbnail) == (2, "", "")


# In a real browser. Chromium is Debian's `chromium` (CI installs it, see .ci/run), driven by
# Playwright's Python package with that executable: `playwright install` (a browser
# download) is never needed. axe-core comes inside the axe-playwright-python package.

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no `chromium` on PATH (apt-get install chromium) to open the page in"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Nothing: the test says what went wrong."""


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    """The output folder served over HTTP on this machine, as a static host would."""
    handler = functools.partial(_Quiet, directory=str(project / "output"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _visit(browser: Browser, base: str, width: int, shot: Path) -> None:
    """Open the index page at `base` in a window `width` pixels wide, check it, and keep
    a picture of it as `shot`."""
    from axe_playwright_python.base import AXE_SCRIPT

    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requested: list[str] = []
    page.on("console", lambda message: errors.extend([message.text][: message.type == "error"]))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert [href.removeprefix(base) for href in hrefs] == LINKS
    pictures = page.eval_on_selector_all(
        "img", "images => images.map(i => [i.complete, i.naturalWidth, i.alt])"
    )
    assert len(pictures) == len(LINKS)
    assert all(done and wide > 0 and alt for done, wide, alt in pictures)
    assert all(url.startswith(base) for url in requested), requested
    if base.startswith("file:"):
        assert all(Path(unquote(urlparse(href).path)).is_file() for href in hrefs)
    else:
        statuses = page.evaluate(
            "hrefs => Promise.all(hrefs.map(h => fetch(h, {method: 'HEAD'}).then(r => r.status)))",
            hrefs,
        )
        assert statuses == [200] * len(hrefs)
    overflow = "document.documentElement.scrollWidth - window.innerWidth"
    assert page.evaluate(overflow) <= 0, "the page scrolls sideways"
    page.evaluate(AXE_SCRIPT)
    found = page.evaluate("axe.run({resultTypes: ['violations']})")
    assert [(v["id"], v["help"], len(v["nodes"])) for v in found["violations"]] == []
    assert errors == []
    page.screenshot(path=shot, full_page=True)
    page.close()


@needs_chromium
@pytest.mark.parametrize("width", [1280, 375])
def test_in_a_browser_every_link_and_picture_works_and_axe_finds_nothing(
    project: Path, served: str, tmp_path: Path, width: int
) -> None:
    """From file:// and from a static host, on a desktop's width and a phone's; the
    screenshots are left in the test's folder to look at."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # As a reader's browser starts: not with the fonts this process's build set up.
        env = {name: value for name, value in os.environ.items() if name != "FONTCONFIG_FILE"}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, env=env)
        try:
            _visit(browser, (project / "output").as_uri() + "/", width, tmp_path / "file.png")
            _visit(browser, served, width, tmp_path / f"index-{width}.png")
        finally:
            browser.close()
