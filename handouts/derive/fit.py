"""The deck fitted to its slides from the measured layout, never from character counts.

Each slide's body type is the largest step of `SIZES_PT` at which the slide fits, never below
`FLOOR_PT`. A section's subjects go side by side on one slide when that fits at `TOGETHER_PT`
or larger, else one slide each. A slide allowed to continue, and a comparison table, that
do not fit even at the floor are spread over the fewest slides holding equal shares (7 rows:
4 + 3), each titled like the first and marked as continued, all at one size; subjects kept
side by side (`slides: together`) are spread so, each column in its own equal shares.

The sizes are found by laying slides out on pages too tall to break (`Measure`) and reading
each slide's height and its body's. Between two type sizes a body's lines can only get
fewer, so its height shrinks at least in proportion to the type: that gives the largest
size surely fitting; at most it shrinks with the square of the type, which gives the
largest size that can fit. Only the largest step between the two is measured next (one
that surely fits is taken as it is), every slide still open in one layout, so a deck takes
a few layouts of a few slides each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..lesson.model import Block, ItemList
from .deck import LEAST_PT, Slide, SlideKind

# A slide body's type sizes, largest first: those above 40 for a statement only.
SIZES_PT = (54.0, 48.0, 44.0, 40.0, 36.0, 32.0, 28.0, 24.0, LEAST_PT)
FLOOR_PT = SIZES_PT[-1]  # no slide's body is set smaller
TOGETHER_PT = 24.0  # subjects side by side only when they fit at the deck's body size
# The largest size by what a slide shows: one statement (a point per subject), points, or
# the table.
LARGEST_PT = {"statement": 54.0, "points": 32.0, "table": 28.0}


@dataclass(frozen=True)
class Measured:
    """A slide as laid out on a page too tall to break: its height, its body's (the part
    whose type size is chosen), and the height a slide may take, in CSS px."""

    height: float
    body: float
    room: float


# Lays the slides out (each at its size_pt) and returns each one's measures, in order.
Measure = Callable[[Sequence[Slide]], list[Measured]]


def largest_pt(slide: Slide) -> float:
    """The size a slide's body starts from."""
    if slide.kind is SlideKind.TABLE:
        return LARGEST_PT["table"]
    return LARGEST_PT["statement" if slide.statement else "points"]


@dataclass
class _Search:
    """The search for one slide's size: what is known of each step measured so far."""

    slide: Slide
    floor: float
    fits: dict[float, bool] = field(default_factory=dict)
    surely_fits: float = 0.0  # sizes at or below this fit, by the measures so far
    may_fit: float = math.inf  # sizes above this cannot fit, by the measures so far

    def best(self) -> float | None:
        """The largest size measured to fit, if any."""
        return max((size for size, ok in self.fits.items() if ok), default=None)

    def to_measure(self) -> list[float]:
        """The step worth measuring next, the largest that may fit; none once the best size
        is known. A step that surely fits is taken without measuring (the deck's final
        render checks it)."""
        top = largest_pt(self.slide)
        if not self.fits:
            return [top]
        best = self.best() or 0.0
        steps = [
            size
            for size in SIZES_PT
            if max(self.floor, best) <= size <= min(top, self.may_fit) and size not in self.fits
        ]
        if steps and steps[0] <= self.surely_fits:
            self.fits[steps[0]] = True
            return []
        return steps[:1]

    def learn(self, size: float, measured: Measured) -> None:
        """Take in the layout at `size`."""
        self.fits[size] = measured.height <= measured.room
        if self.fits[size]:
            return
        spare = measured.room - (measured.height - measured.body)
        ratio = max(spare, 0.0) / measured.body if measured.body else 0.0
        self.surely_fits = max(self.surely_fits, size * ratio)
        self.may_fit = min(self.may_fit, size * math.sqrt(ratio))


def _sizes(slides: Sequence[Slide], measure: Measure) -> list[float | None]:
    """Each slide's largest fitting size (subjects side by side that could go apart: down to
    TOGETHER_PT only); None for a slide that fits at none."""
    searches = [_Search(slide, TOGETHER_PT if slide.apart else FLOOR_PT) for slide in slides]
    while asks := [(s, size) for s in searches for size in s.to_measure()]:
        laid_out = measure([replace(search.slide, size_pt=size) for search, size in asks])
        for (search, size), measured in zip(asks, laid_out, strict=True):
            search.learn(size, measured)
    return [search.best() for search in searches]


@dataclass
class _Fitting:
    """A slide of the deck being fitted, and what shows it once it is: itself at a size,
    or the slides that replace it (its subjects apart, or its continuations)."""

    slide: Slide
    size: float | None = None
    parts: list[_Fitting] = field(default_factory=list)
    shares: int = 1  # the slides its units are spread over
    settled: bool = False  # nothing more can be tried

    def shown(self) -> list[Slide]:
        """The slides that show it, sized; a slide that fits at no size is at the floor (the
        deck's check reports it)."""
        if self.slide.kind is SlideKind.TITLE:
            return [self.slide]
        if not self.parts:
            return [replace(self.slide, size_pt=self.size or FLOOR_PT)]
        slides = [slide for part in self.parts for slide in part.shown()]
        if self.shares > 1:  # continuations at one size: the smallest any needs
            size = min(part.size or FLOOR_PT for part in self.parts)
            slides = [replace(slide, size_pt=size) for slide in slides]
        return slides

    def unfitted(self) -> list[_Fitting]:
        """What is left to try under it: slides (or continued slides) that fit at no size."""
        if not self.parts:
            return [] if self.settled or self.size is not None else [self]
        if self.shares > 1 and not self.settled:
            return [self] if any(part.size is None for part in self.parts) else []
        return [found for part in self.parts for found in part.unfitted()]


def _units(slide: Slide) -> int:
    """How many pieces a slide can be divided into: table rows, or paragraphs and items
    (side by side: those of its longest column)."""
    if slide.kind is SlideKind.TABLE:
        return len(slide.rows)
    if slide.columns:
        return max(_block_units(column.blocks) for column in slide.columns)
    return _block_units(slide.blocks)


def _block_units(blocks: tuple[Block, ...]) -> int:
    """The paragraphs and list items of `blocks`."""
    return sum(len(b.items) if isinstance(b, ItemList) else 1 for b in blocks)


def equal_shares(count: int, slides: int) -> list[range]:
    """`count` units over `slides` slides (or pages), as equal as can be, the larger shares
    first."""
    size, extra = divmod(count, slides)
    starts = [k * size + min(k, extra) for k in range(slides + 1)]
    return [range(a, b) for a, b in pairwise(starts)]


def _blocks_in(blocks: tuple[Block, ...], share: range) -> tuple[Block, ...]:
    """The blocks holding units `share` of `blocks` (a list cut keeps its numbering)."""
    kept: list[Block] = []
    unit = 0
    for block in blocks:
        if not isinstance(block, ItemList):  # a paragraph, figure or formula: one unit
            if unit in share:
                kept.append(block)
            unit += 1
            continue
        first = max(share.start - unit, 0)
        items = block.items[first : max(share.stop - unit, 0)]
        if items:
            kept.append(replace(block, items=items, start=block.start + first))
        unit += len(block.items)
    return tuple(kept)


def _continued(slide: Slide, shares: int) -> list[Slide]:
    """The slide spread over `shares` slides, all but the first marked continued."""
    pieces = []
    for number, share in enumerate(equal_shares(_units(slide), shares)):
        if slide.kind is SlideKind.TABLE:
            shown = replace(slide, rows=slide.rows[share.start : share.stop])
        elif slide.columns:  # each subject's points shared over the slides in equal steps
            columns = (
                replace(c, blocks=_blocks_in(c.blocks, _share(c.blocks, shares, number)))
                for c in slide.columns
            )
            shown = replace(slide, columns=tuple(columns))
        else:
            shown = replace(slide, blocks=_blocks_in(slide.blocks, share))
        notes = () if number else slide.notes
        pieces.append(replace(shown, continued=number > 0, may_continue=False, notes=notes))
    return pieces


def _share(blocks: tuple[Block, ...], shares: int, number: int) -> range:
    """The units of `blocks` its slide `number` of `shares` shows."""
    return equal_shares(_block_units(blocks), shares)[number]


def _spread(fitting: _Fitting, shares: int) -> list[_Fitting]:
    """Spread the slide over `shares` slides (no more than it has units)."""
    fitting.shares = min(shares, _units(fitting.slide))
    fitting.parts = [_Fitting(piece) for piece in _continued(fitting.slide, fitting.shares)]
    return fitting.parts


def _instead(fittings: list[_Fitting], measure: Measure) -> list[_Fitting]:
    """The slides to try instead of those that fit at no size: a section's subjects apart,
    a slide spread over more slides; the rest stay as they are (and are reported)."""
    todo: list[_Fitting] = []
    first_spread = []
    for fitting in fittings:
        slide = fitting.slide
        if fitting.parts:  # spread already: one slide more
            if fitting.shares < _units(slide):
                todo += _spread(fitting, fitting.shares + 1)
            else:
                fitting.settled = True
        elif slide.apart:
            fitting.parts = [_Fitting(apart) for apart in slide.apart]
            todo += fitting.parts
        elif slide.may_continue and _units(slide) > 1:
            first_spread.append(fitting)
        else:
            fitting.settled = True
    # As few slides as the body's height at the floor needs, each with the slide's heading.
    at_floor = measure([replace(f.slide, size_pt=FLOOR_PT) for f in first_spread])
    for fitting, measured in zip(first_spread, at_floor, strict=True):
        room_for_body = max(measured.room - (measured.height - measured.body), 1.0)
        todo += _spread(fitting, max(2, math.ceil(measured.body / room_for_body)))
    return todo


def _remembering(measure: Measure) -> Measure:
    """`measure`, laying out only slides it has not measured before."""
    known: dict[Slide, Measured] = {}

    def remembered(slides: Sequence[Slide]) -> list[Measured]:
        new = list(dict.fromkeys(slide for slide in slides if slide not in known))
        known.update(zip(new, measure(new), strict=True))
        return [known[slide] for slide in slides]

    return remembered


def fit_deck(deck: Sequence[Slide], measure: Measure) -> tuple[Slide, ...]:
    """The deck as shown: every slide sized, subjects together or apart, long slides
    continued."""
    measure = _remembering(measure)
    fittings = [_Fitting(slide) for slide in deck]
    todo = [f for f in fittings if f.slide.kind is not SlideKind.TITLE]
    while todo:
        for fitting, size in zip(todo, _sizes([f.slide for f in todo], measure), strict=True):
            fitting.size = size
        unfitted = [found for fitting in fittings for found in fitting.unfitted()]
        todo = _instead(unfitted, measure)
    return tuple(slide for fitting in fittings for slide in fitting.shown())
