"""The samples the tests build are the samples content/ ships, byte for byte.

The tests build copies of the samples (tests/fixtures/samples), never content/ itself, which
teachers fill with their own lessons. While content/ holds the samples, this test keeps the
copies equal to them, so the samples the docs show and those the tests check never drift.
"""

from __future__ import annotations

from conftest import CONTENT, SAMPLE_FILES, SAMPLES


def test_the_fixture_holds_exactly_the_samples() -> None:
    held = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file())
    assert held == sorted(SAMPLE_FILES)


def test_the_fixture_samples_equal_those_in_content() -> None:
    shipped = [name for name in SAMPLE_FILES if (CONTENT / name).is_file()]
    drifted = [
        name for name in shipped if (CONTENT / name).read_bytes() != (SAMPLES / name).read_bytes()
    ]
    assert drifted == [], (
        f"content/ and tests/fixtures/samples/ differ in {drifted}: after editing a sample, "
        "copy it over, e.g. cp content/NAME tests/fixtures/samples/NAME"
    )
