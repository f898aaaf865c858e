"""Slides cut paragraphs into sentences as each supported language writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handouts.derive.sentences import sentences

SAMPLES = yaml.safe_load((Path(__file__).parent / "data" / "sentences.yaml").read_text("utf-8"))


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_each_language_is_cut_where_its_sentences_end(language: str) -> None:
    sample = SAMPLES[language]
    assert sentences(sample["text"], language) == sample["sentences"]


def test_a_sentence_is_never_cut_inside_a_formula_and_money_still_ends_one() -> None:
    assert sentences(r"Output is $\text{units. Total}$ a day. Next.", "en") == [
        r"Output is $\text{units. Total}$ a day.",
        "Next.",
    ]
    assert sentences("It costs $5. And $10 later. Done.", "en") == [
        "It costs $5.",
        "And $10 later.",
        "Done.",
    ]


def test_emphasis_links_and_code_keep_their_full_stops() -> None:
    text = (
        "Read **the plan. All of it** first. See [ch. 2. Costs](https://example.org). "
        "Then `a. B` ok."
    )
    assert sentences(text, "en") == [
        "Read **the plan. All of it** first.",
        "See [ch. 2. Costs](https://example.org).",
        "Then `a. B` ok.",
    ]


def test_a_region_or_unsupported_language_still_cuts_sentences() -> None:
    assert sentences("Um processo. Outro processo.", "pt-BR") == ["Um processo.", "Outro processo."]
    assert sentences("Tōtahi. Tōrua.", "mi") == ["Tōtahi.", "Tōrua."]
