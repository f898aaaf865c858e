"""Which pages of a PDF differ from an earlier version of it, told by their hashes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PageChanges:
    """The pages of a PDF that changed: their numbers (from 1), of how many now and before."""

    changed: tuple[int, ...]
    pages: int
    before: int

    @classmethod
    def between(cls, before: Sequence[str], now: Sequence[str]) -> PageChanges:
        """The changes from the page hashes `before` to `now`: a page changed when its hash
        differs from the page of the same number before, or it is new."""
        changed = tuple(
            number
            for number, page in enumerate(now, start=1)
            if number > len(before) or before[number - 1] != page
        )
        return cls(changed, len(now), len(before))

    @property
    def unchanged(self) -> tuple[int, ...]:
        """The pages as they were."""
        return tuple(n for n in range(1, self.pages + 1) if n not in self.changed)

    def said(self) -> str:
        """The changes in words: 'page 2 of 3 changed; pages 1, 3 as before'."""
        was = f"was {_count(self.before)}, " if self.before != self.pages else ""
        if not self.changed:
            return f"{was}no page changed"
        if not self.unchanged:
            every = "the page" if self.pages == 1 else f"all {self.pages} pages"
            return f"{was}{every} changed"
        kept = f"; {_numbers(self.unchanged)} as before"
        return f"{was}{_numbers(self.changed)} of {self.pages} changed{kept}"


def _count(pages: int) -> str:
    return f"{pages} page{'s' * (pages != 1)}"


def _numbers(pages: tuple[int, ...]) -> str:
    """Page numbers in words, runs of three or more as ranges: 'pages 1, 4-9'."""
    runs: list[list[int]] = []
    for number in pages:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = [f"{run[0]}-{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return f"page{'s' * (len(pages) != 1)} {', '.join(shown)}"
