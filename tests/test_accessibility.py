"""The accessibility checks of tests/accessibility.py on every output, and each shown to fail
on a PDF that breaks what it checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from accessibility import (
    elements,
    figures_have_alt_text,
    header_cells_have_scope,
    ids_resolve,
    problems,
)

SAMPLE_PDFS = 13


def test_every_output_of_the_samples_passes(built: Path) -> None:
    pdfs = sorted(built.glob("*.pdf"))
    assert len(pdfs) == SAMPLE_PDFS
    assert {pdf.name: problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


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
    first.A.Scope = pikepdf.Name.Row
    first.K = pikepdf.Array()
    assert header_cells_have_scope(table) == ["a TH is empty"]


def test_a_figure_without_alt_text_is_found(built: Path) -> None:
    with pikepdf.open(built / "production-systems-handout.pdf") as pdf:
        assert figures_have_alt_text(pdf) == []
        figure = next(e for e in elements(pdf) if e.S == "/Formula")
        del figure["/Alt"]
        assert figures_have_alt_text(pdf) == ["a Formula has no alt text"]
