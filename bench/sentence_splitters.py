"""Sentence splitters compared on tests/data/sentences.yaml: a paragraph per supported
language and its right sentences. Prints, per splitter, the languages it cuts right and the
median time a paragraph, from interleaved rounds.

Run: .venv/bin/python bench/sentence_splitters.py [rounds]
The project uses sentencex; to compare, install the others beside it in a scratch
environment (`pip install pysbd PyICU pyyaml sentencex`; PyICU compiles against the
system's ICU, libicu-dev) and run this file with that environment's Python. A splitter
that is not installed is skipped. "handouts" is sentencex with the project's own rules
(handouts/derive/sentences.py), when the project is importable.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = yaml.safe_load((ROOT / "tests" / "data" / "sentences.yaml").read_text("utf-8"))
Splitter = Callable[[str, str], list[str]]


def _sentencex() -> Splitter:
    import sentencex

    return lambda language, text: [s.strip() for s in sentencex.segment(language, text)]


def _pysbd() -> Splitter:
    import pysbd

    made: dict[str, pysbd.Segmenter] = {}

    def split(language: str, text: str) -> list[str]:
        if language not in made:
            try:
                made[language] = pysbd.Segmenter(language=language, clean=False)
            except ValueError:  # no rules for the language: English's
                made[language] = pysbd.Segmenter(language="en", clean=False)
        return [s.strip() for s in made[language].segment(text)]

    return split


def _icu() -> Splitter:
    import icu

    made: dict[str, icu.BreakIterator] = {}

    def split(language: str, text: str) -> list[str]:
        if language not in made:
            locale = icu.Locale(f"{language}@ss=standard")  # with CLDR's abbreviations
            made[language] = icu.BreakIterator.createSentenceInstance(locale)
        breaker = made[language]
        breaker.setText(text)
        ends = [0, *breaker]
        chars = icu.UnicodeString(text)
        return [str(chars[a:b]).strip() for a, b in pairwise(ends)]

    return split


def _handouts() -> Splitter:
    sys.path.insert(0, str(ROOT))
    from handouts.derive.sentences import sentences

    return lambda language, text: sentences(text, language)


CANDIDATES = {"handouts": _handouts, "sentencex": _sentencex, "pysbd": _pysbd, "icu": _icu}


def main(rounds: int) -> None:
    """Print each installed splitter's right languages and median microseconds a paragraph."""
    splitters = {}
    for name, make in CANDIDATES.items():
        try:
            splitters[name] = make()
        except ImportError:
            print(f"{name}: not installed, skipped")
    times: dict[str, list[float]] = {name: [] for name in splitters}
    for _ in range(rounds):
        for name, split in splitters.items():
            started = time.perf_counter()
            for language, sample in SAMPLES.items():
                split(language, sample["text"])
            times[name].append((time.perf_counter() - started) / len(SAMPLES))
    for name, split in splitters.items():
        wrong = [
            language
            for language, sample in SAMPLES.items()
            if split(language, sample["text"]) != sample["sentences"]
        ]
        right = len(SAMPLES) - len(wrong)
        median = statistics.median(times[name]) * 1e6
        print(
            f"{name:10} {right:2}/{len(SAMPLES)} languages right"
            f"{' (wrong: ' + ', '.join(wrong) + ')' if wrong else ''}, {median:.0f} µs a paragraph"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
