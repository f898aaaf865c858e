"""MkDocs hooks: the pages made when the site is built, so that none of them is a copy.

The files at the repository's top (ARCHITECTURE.md, CONTRIBUTING.md, SECURITY.md,
CHANGELOG.md) become pages of their own, their links turned into the site's; a line
`<!-- generated: NAME -->` in a page becomes that part of `handouts.reference`; a link out
of docs/ (`../content/...`) goes to the file in the repository.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's package, whatever else is installed
from handouts import reference  # noqa: E402

INCLUDED = {
    "ARCHITECTURE.md": "architecture.md",
    "CONTRIBUTING.md": "contributing.md",
    "SECURITY.md": "security.md",
    "CHANGELOG.md": "changelog.md",
}
GENERATED: dict[str, Callable[[], str]] = {
    "lesson-format": reference.lesson_format,
    "command-line": reference.command_line,
}
MARKER = re.compile(r"^<!-- generated: ([a-z-]+) -->$", re.MULTILINE)
LINK = re.compile(r"\]\(([^)#\s]*)")  # an inline link's target, up to its anchor


def _site_link(match: re.Match[str]) -> str:
    """A link of a top-level file as its page has it: to another page, or out of docs/."""
    target = match[1]
    if target in INCLUDED:
        target = INCLUDED[target]
    elif target.startswith("docs/"):
        target = target.removeprefix("docs/")
    elif target and not re.match(r"[a-z]+:", target):
        target = "../" + target
    return f"]({target}"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add a page for each top-level file the site shows."""
    for name, page in INCLUDED.items():
        content = LINK.sub(_site_link, (ROOT / name).read_text("utf-8"))
        files.append(File.generated(config, page, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill in the generated parts; send links out of docs/ to the repository."""
    markdown = MARKER.sub(lambda match: GENERATED[match[1]](), markdown)
    repository = (config.repo_url or "").rstrip("/") + "/blob/main/"
    return markdown.replace("](../", f"]({repository}")
