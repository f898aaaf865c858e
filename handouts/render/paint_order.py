"""Pages painted in reading order: what a page draws comes in the order its tags read.

A reader that follows the page's drawing, not its tags (reflow, some screen readers, the
outside checkers' ORD-001), met a list's bullets after all of its items' text, because
WeasyPrint paints an outside marker with the positioned boxes, and a note-taking page's
slides after all of its "Slide n" headings, because they are placed once the page is
made. Both are self-contained drawings: a marker sits in its own `q ... Q`, a slide is a
form in one. Each such drawing is moved to just after what precedes it in the tags, with
the transformation and the graphics state it had where it was, so the page looks the
same pixel for pixel. A drawing is left where it is when moving it could change the
picture: under another clip, inside a text object or a marked sequence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from .structure import ObjGen, expect, is_element, kids, page_content
from .text_widths import FontWidths, shown_width

Matrix = tuple[float, float, float, float, float, float]
Instruction = tuple[list[Any], str]  # operands (PDF objects, numbers) and operator
_Written = tuple[list[Any], Operator]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# (page, form or None for the page's own stream, MCID): one piece of marked content.
_Key = tuple[ObjGen, ObjGen | None, int]

# The graphics state a drawing inherits, by the operators that set it, with what a page
# starts with (ISO 32000-1, 8.4 and 9.3). `gs` is cumulative and kept apart.
_DEFAULTS: dict[str, list[object]] = {
    "cs": [Name.DeviceGray, Operator("cs")],
    "sc": [0, Operator("g")],
    "CS": [Name.DeviceGray, Operator("CS")],
    "SC": [0, Operator("G")],
    "w": [1, Operator("w")],
    "J": [0, Operator("J")],
    "j": [0, Operator("j")],
    "M": [10, Operator("M")],
    "d": [Array(), 0, Operator("d")],
    "Tc": [0, Operator("Tc")],
    "Tw": [0, Operator("Tw")],
    "Tz": [100, Operator("Tz")],
    "TL": [0, Operator("TL")],
    "Ts": [0, Operator("Ts")],
    "Tr": [0, Operator("Tr")],
}
_SETTING = {
    **{name: "sc" for name in ("g", "rg", "k", "sc", "scn")},
    **{name: "SC" for name in ("G", "RG", "K", "SC", "SCN")},
    **{name: name for name in ("cs", "CS", "w", "J", "j", "M", "d", "Tc", "Tw", "Tz", "TL", "Ts")},
    **{name: name for name in ("Tr", "Tf")},
}
_IMPLIED_SPACE = {"g": "cs", "rg": "cs", "k": "cs", "G": "CS", "RG": "CS", "K": "CS"}
_PAINTED = re.compile(rb"/MCID\s+(\d+)|/([^\s/<>\[\]()]+)\s+Do\b")
_RESET = Name("/HandoutsReset")  # an ExtGState with every alpha and blend at its default


@dataclass(frozen=True)
class _State:
    """What applies at one point of a content stream."""

    ctm: Matrix = IDENTITY
    clips: tuple[int, ...] = ()  # the instructions that set the clips in force
    settings: tuple[tuple[str, tuple[object, ...]], ...] = ()  # last setter per key
    gs: tuple[str, ...] = ()
    in_text: bool = False
    marked: int = 0  # depth of marked-content sequences

    def set(self, operator: str, operands: list[object]) -> _State:
        """The state after `operands operator`, one of those that set it."""
        gone = {_SETTING[operator], _IMPLIED_SPACE.get(operator)}
        kept = tuple(item for item in self.settings if item[0] not in gone)
        return replace(
            self, settings=(*kept, (_SETTING[operator], (*operands, Operator(operator))))
        )


def _times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _states(instructions: list[Instruction]) -> list[_State]:
    """The state before each instruction (and after the last)."""
    state, saved, found = _State(), [], []
    for index, (operands, operator) in enumerate(instructions):
        found.append(state)
        if operator == "q":
            saved.append(state)
        elif operator == "Q" and saved:
            state = replace(saved.pop(), in_text=state.in_text, marked=state.marked)
        elif operator == "cm":
            matrix = tuple(float(value) for value in operands)
            state = replace(state, ctm=_times(matrix, state.ctm))  # type: ignore[arg-type]
        elif operator in ("W", "W*"):
            state = replace(state, clips=(*state.clips, index))
        elif operator == "gs":
            state = replace(state, gs=(*state.gs, str(operands[0])))
        elif operator in ("BT", "ET"):
            state = replace(state, in_text=operator == "BT")
        elif operator in ("BDC", "BMC"):
            state = replace(state, marked=state.marked + 1)
        elif operator == "EMC":
            state = replace(state, marked=state.marked - 1)
        elif operator in _SETTING:
            state = state.set(operator, operands)
    found.append(state)
    return found


@dataclass
class _Unit:
    """One piece of tagged drawing in a page's stream: instructions [start, end]."""

    start: int
    end: int
    rank: int
    movable: bool = False


def _tag_order(pdf: pikepdf.Pdf) -> dict[_Key, int]:
    """Every piece of marked content, by its place in the reading order."""
    order: dict[_Key, int] = {}
    stack: list[tuple[object, pikepdf.Object | None]] = [
        (kid, None) for kid in reversed(kids(pdf.Root.StructTreeRoot))
    ]
    while stack:
        node, page = stack.pop()
        if isinstance(node, int) and page is not None:
            order.setdefault((page.objgen, None, int(node)), len(order))
        elif isinstance(node, Dictionary) and node.get("/Type") == Name.MCR:
            where = node.get("/Pg", page)
            form = node.get("/Stm")
            if where is not None:
                key = (where.objgen, form.objgen if form is not None else None, int(node.MCID))
                order.setdefault(key, len(order))
        elif isinstance(node, pikepdf.Object) and is_element(node):
            here = node.get("/Pg", page)
            stack.extend((kid, here) for kid in reversed(kids(node)))
    return order


@dataclass(frozen=True)
class _Drawing:
    """A content stream with tagged content: a page's, or a form's that a page draws."""

    page: pikepdf.Object
    form: pikepdf.Stream | None

    @property
    def resources(self) -> Dictionary:
        holder = self.form if self.form is not None else self.page
        if "/Resources" not in holder:
            holder.Resources = Dictionary()
        return expect(Dictionary, holder.Resources)

    @property
    def xobjects(self) -> Dictionary:
        return expect(Dictionary, self.resources.get("/XObject", Dictionary()))

    def forms(self, order: dict[_Key, int]) -> dict[ObjGen, int]:
        """The tagged forms a page's stream draws, each by its first place in the tags."""
        found: dict[ObjGen, int] = {}
        for (where, form, _), rank in order.items():
            if self.form is None and where == self.page.objgen and form is not None:
                found[form] = min(rank, found.get(form, rank))
        return found

    def key(self, mcid: int) -> _Key:
        return (self.page.objgen, self.form.objgen if self.form is not None else None, mcid)


def _sorted(ranks: list[int]) -> bool:
    return all(a < b for a, b in pairwise(ranks))


def _in_order(drawing: _Drawing, order: dict[_Key, int]) -> bool:
    """Whether the stream paints its marked content and forms in tag order, as most do
    (read without parsing it)."""
    data = drawing.form.read_bytes() if drawing.form is not None else page_content(drawing.page)
    forms, xobjects = drawing.forms(order), drawing.xobjects
    ranks = []
    for mcid, name in _PAINTED.findall(data):
        if mcid:
            ranks.append(order.get(drawing.key(int(mcid)), -1))
        elif (form := xobjects.get("/" + name.decode("latin-1"))) is not None:
            ranks.append(forms.get(form.objgen, -1))
    return _sorted([rank for rank in ranks if rank >= 0])


def _items(
    instructions: list[Instruction], drawing: _Drawing, order: dict[_Key, int]
) -> Iterator[tuple[int, int, int]]:
    """Each tagged thing the stream draws: (first instruction, last instruction, rank): its
    marked sequences and the tagged forms it paints."""
    forms = drawing.forms(order)
    xobjects = drawing.xobjects
    depth, start = 0, None
    for index, (operands, operator) in enumerate(instructions):
        if operator == "BDC" and depth == 0 and isinstance(operands[1], Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and drawing.key(int(mcid)) in order:
                start = (index, order[drawing.key(int(mcid))])
        if operator in ("BDC", "BMC"):
            depth += 1
        elif operator == "EMC":
            depth -= 1
            if depth == 0 and start is not None:
                yield start[0], index, start[1]
                start = None
        elif operator == "Do" and start is None:
            form = xobjects.get(str(operands[0]))
            if form is not None and form.objgen in forms:
                yield index, index, forms[form.objgen]


def _blocks(
    instructions: list[Instruction],
) -> tuple[list[int | None], dict[int, int]]:
    """For each instruction, the innermost `q` open before it (or None); each `q`'s `Q`."""
    opened: list[int] = []
    inner: list[int | None] = []
    closing: dict[int, int] = {}
    for index, (_, operator) in enumerate(instructions):
        inner.append(opened[-1] if opened else None)
        if operator == "q":
            opened.append(index)
        elif operator == "Q" and opened:
            closing[opened.pop()] = index
    return inner, closing


def _units(
    instructions: list[Instruction], states: list[_State], found: list[_Unit]
) -> list[_Unit]:
    """The stream's tagged drawings (`found`), each widened to its own `q ... Q` where it
    has one to itself (those can move)."""
    inner, closing = _blocks(instructions)
    for unit, before, after in zip(found, [None, *found[:-1]], [*found[1:], None], strict=True):
        begin = inner[unit.start]
        close = closing.get(begin, -1) if begin is not None else -1
        if begin is None or close < unit.end or states[begin].marked != states[close + 1].marked:
            continue
        alone = (before is None or before.end < begin) and (after is None or after.start > close)
        if alone:
            unit.start, unit.end, unit.movable = begin, close, True
    return found


Box = tuple[float, float, float, float]  # on the page: left, bottom, right, top
_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}
_SHOWING = {"Tj", "TJ", "'", '"'}
_INVISIBLE = (3, Operator("Tr"))  # text with no ink: the formulas' LaTeX (text_layer.py)
_PATH = {"m", "l", "c", "v", "y", "re", "h"}
_EVERYWHERE: Box = (-math.inf, -math.inf, math.inf, math.inf)
# How far past its advance a glyph's ink may reach, in its size: an italic f's overhang.
OVERHANG = 0.3


def _box(points: list[tuple[float, float]], m: Matrix, margin: float = 0.0) -> Box:
    """The box around `points` drawn with matrix `m`, widened by `margin` on the page."""
    xs = [x * m[0] + y * m[2] + m[4] for x, y in points]
    ys = [x * m[1] + y * m[3] + m[5] for x, y in points]
    return min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _ink(
    instructions: list[Instruction], states: list[_State], resources: Dictionary
) -> list[Box | None]:
    """Where each instruction can put ink on the page (None: nowhere), on the safe side:
    a path's points, text from where it starts to where its glyphs' widths end it (an
    overhang more each way; the page's width when its font's widths are unknown), an image's
    or form's box."""
    found: list[Box | None] = []
    path: list[tuple[float, float]] = []
    line: Matrix = IDENTITY
    ahead = 0.0  # how far the text shown since the line's start moved the pen
    fonts = _Fonts(expect(Dictionary, resources.get("/Font", Dictionary())))
    xobjects = expect(Dictionary, resources.get("/XObject", Dictionary()))
    for index, (operands, operator) in enumerate(instructions):
        state, numbers = (
            states[index],
            [float(n) for n in operands if isinstance(n, (int, Decimal))],
        )
        box: Box | None = None
        if operator in _PATH and operator != "h":
            pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
            if operator == "re":
                x, y, w, h = numbers
                pairs = [(x, y), (x + w, y + h)]
            path.extend(
                (
                    x * state.ctm[0] + y * state.ctm[2] + state.ctm[4],
                    x * state.ctm[1] + y * state.ctm[3] + state.ctm[5],
                )
                for x, y in pairs
            )
        elif operator in _FILLS and path:
            width = float(dict(state.settings).get("w", (1,))[0])  # type: ignore[arg-type]
            box = _box(path, IDENTITY, width * math.hypot(state.ctm[0], state.ctm[1]))
        elif operator in ("Tm", "Td", "TD", "T*", "'", '"'):
            ahead = 0.0
            if operator == "Tm":
                line = tuple(numbers)  # type: ignore[assignment]
            elif operator in ("Td", "TD"):
                line = _times((1, 0, 0, 1, numbers[0], numbers[1]), line)
            else:  # the next line, TL below
                leading = float(dict(state.settings).get("TL", (0,))[0])  # type: ignore[arg-type]
                line = _times((1, 0, 0, 1, 0, -leading), line)
        if operator in _SHOWING and dict(state.settings).get("Tr") != _INVISIBLE:
            box, moved = _text_ink(operands[-1:], state, line, ahead, fonts)
            ahead += moved
        if operator in ("Do", "EI", "sh"):
            box = _drawn(operands, state.ctm, xobjects) if operator == "Do" else _EVERYWHERE
        if operator in _FILLS or operator == "n":
            path = []
        found.append(box)
    return found


class _Fonts:
    """A stream's fonts' widths, each read once; None for a font whose widths are unknown."""

    def __init__(self, fonts: Dictionary) -> None:
        self.fonts = fonts
        self.read: dict[str, FontWidths | None] = {}

    def __getitem__(self, name: str) -> FontWidths | None:
        if name not in self.read:
            font = self.fonts.get(name)
            try:
                self.read[name] = FontWidths(expect(Dictionary, font))
            except (ValueError, TypeError, AttributeError):
                self.read[name] = None
        return self.read[name]


def _text_ink(
    shown: list[object], state: _State, line: Matrix, ahead: float, fonts: _Fonts
) -> tuple[Box, float]:
    """Where a string shown `ahead` along its line can put ink, and how far it moves the
    pen: any glyph stays within its size or so above and below the baseline, and within
    `OVERHANG` of where its widths start and end it."""
    settings = dict(state.settings)
    name, size = settings.get("Tf", (None, 12))[:2]
    size = float(size)  # type: ignore[arg-type]
    height = [(0.0, -0.6 * size), (0.0, 1.3 * size)]
    font = fonts[str(name)] if name is not None else None
    if font is None:
        _, low, _, high = _box(height, _times(line, state.ctm))
        return (-math.inf, low, math.inf, high), 0.0
    spacing, words = (float(settings.get(key, (0,))[0]) for key in ("Tc", "Tw"))  # type: ignore[arg-type]
    scale = float(settings.get("Tz", (100,))[0]) / 100  # type: ignore[arg-type]
    moved = shown_width(shown, font, size, spacing, words) * scale
    start, end = sorted((ahead, ahead + moved))
    reach = OVERHANG * size
    corners = [(start - reach, y) for _, y in height] + [(end + reach, y) for _, y in height]
    return _box(corners, _times(line, state.ctm)), moved


def _drawn(operands: list[object], ctm: Matrix, xobjects: Dictionary) -> Box:
    """Where an XObject puts its ink: an image its unit square, a form its box."""
    drawn = xobjects.get(str(operands[0]))
    if drawn is None or drawn.get("/Subtype") != Name.Form:
        return _box([(0, 0), (1, 1)], ctm)
    x0, y0, x1, y1 = (float(v) for v in drawn.BBox)
    matrix = tuple(float(v) for v in drawn.get("/Matrix", IDENTITY))
    return _box([(x0, y0), (x1, y1), (x0, y1), (x1, y0)], _times(matrix, ctm))  # type: ignore[arg-type]


def _covered(unit: _Unit, passed: range, ink: list[Box | None], tagged: set[int]) -> bool:
    """Whether moving `unit` back over the instructions `passed` would put untagged ink
    (a rule, a background, a page number) over it."""
    own = [box for box in ink[unit.start : unit.end + 1] if box is not None]
    return any(
        box is not None and index not in tagged and any(_meets(box, mine) for mine in own)
        for index, box in zip(passed, ink[passed.start : passed.stop], strict=True)
    )


def _restored(at: _State, to: _State, resources: Dictionary, pdf: pikepdf.Pdf) -> list[_Written]:
    """Instructions that, where the state is `at`, bring back the state `to`."""
    out: list[_Written] = []
    if at.ctm != to.ctm:
        matrix = _times(to.ctm, _inverse(at.ctm))
        out.append(([Decimal(f"{value:.9f}") for value in matrix], Operator("cm")))
    if at.gs != to.gs:
        if "/ExtGState" not in resources:
            resources.ExtGState = Dictionary()
        if _RESET not in resources.ExtGState:
            resources.ExtGState[_RESET] = pdf.make_indirect(
                Dictionary(Type=Name.ExtGState, CA=1, ca=1, BM=Name.Normal, SMask=Name("/None"))
            )
        out.extend(([Name(str(name))], Operator("gs")) for name in (_RESET, *to.gs))
    wanted, present = dict(to.settings), dict(at.settings)
    for key in [*_DEFAULTS, "Tf"]:
        if wanted.get(key) != present.get(key):
            setting = wanted.get(key) or tuple(_DEFAULTS.get(key, ()))
            if setting:
                out.append((list(setting[:-1]), setting[-1]))  # type: ignore[arg-type]
    return out


def _moves(
    units: list[_Unit],
    states: list[_State],
    ink: list[Box | None],
) -> dict[int, list[_Unit]]:
    """The units to move, by the instruction they go just before: after the last unit
    that stays and comes before them in the tags, or before the first that stays."""
    placed: list[_Unit] = []  # every unit, in its new order
    anchors: list[_Unit] = []  # those that stay
    moves: dict[int, list[_Unit]] = {}
    tagged = {index for unit in units for index in range(unit.start, unit.end + 1)}
    for unit in units:
        if unit.movable and any(other.rank > unit.rank for other in placed):
            host = next((a for a in reversed(anchors) if a.rank < unit.rank), None)
            to = host.end + 1 if host is not None else anchors[0].start
            at, was = states[to], states[unit.start]
            if (
                host is not anchors[-1]
                and at.clips == was.clips
                and not at.in_text
                and at.marked == 0
                and not _covered(unit, range(to, unit.start), ink, tagged)
            ):
                moves.setdefault(to, []).append(unit)
                placed.insert(sum(other.rank < unit.rank for other in placed), unit)
                continue
        anchors.append(unit)
        placed.append(unit)
    return moves


def _reordered(pdf: pikepdf.Pdf, drawing: _Drawing, order: dict[_Key, int]) -> None:
    """Move the stream's movable drawings to where its tags read them (see the module)."""
    holder = drawing.form if drawing.form is not None else pikepdf.Page(drawing.page)
    if _in_order(drawing, order):
        return
    instructions = [
        (list(i.operands), str(i.operator)) for i in pikepdf.parse_content_stream(holder)
    ]
    found = [_Unit(start, end, rank) for start, end, rank in _items(instructions, drawing, order)]
    if _sorted([unit.rank for unit in found]):
        return
    states = _states(instructions)
    units = _units(instructions, states, found)
    ink = _ink(instructions, states, drawing.resources)
    moves = _moves(units, states, ink)
    if not moves:
        return
    gone = {i for moved in moves.values() for u in moved for i in range(u.start, u.end + 1)}
    out: list[_Written] = []
    for index, (operands, operator) in enumerate(instructions):
        for unit in sorted(moves.get(index, ()), key=lambda u: u.rank):
            out.append(([], Operator("q")))
            out.extend(_restored(states[index], states[unit.start], drawing.resources, pdf))
            out.extend((o, Operator(op)) for o, op in instructions[unit.start : unit.end + 1])
            out.append(([], Operator("Q")))
        if index not in gone:
            out.append((operands, Operator(operator)))
    data = pikepdf.unparse_content_stream(out)
    if drawing.form is not None:
        drawing.form.write(data)
    else:
        drawing.page.Contents = pdf.make_stream(data)


def marked_content_ends(instructions: list[Instruction]) -> dict[int, int]:
    """Each numbered marked content of a stream (by MCID): the instruction that ends it."""
    ends: dict[int, int] = {}
    opened: list[int | None] = []
    for index, (operands, operator) in enumerate(instructions):
        if operator in ("BDC", "BMC"):
            properties = operands[1] if operator == "BDC" else None
            mcid = properties.get("/MCID") if isinstance(properties, Dictionary) else None
            opened.append(int(mcid) if mcid is not None else None)
        elif operator == "EMC" and opened and (number := opened.pop()) is not None:
            ends[number] = index
    return ends


def back_to_start(
    instructions: list[Instruction], indexes: list[int], resources: Dictionary, pdf: pikepdf.Pdf
) -> dict[int, bytes]:
    """For each of `indexes`, what written before that instruction of a stream brings back
    the state the stream starts with: its transformation, graphics and text state."""
    states = _states(instructions)
    return {
        index: pikepdf.unparse_content_stream(_restored(states[index], _State(), resources, pdf))
        for index in indexes
    }


def paint_in_tag_order(pdf: pikepdf.Pdf) -> None:
    """Every page of the tagged `pdf`, and every tagged form a page draws, painted in its
    reading order where that can be done without changing how it looks (see the module)."""
    order = _tag_order(pdf)
    forms = {(where, form) for where, form, _ in order if form is not None}
    for page in pdf.pages:
        for drawn in _Drawing(page.obj, None).xobjects.values():
            if isinstance(drawn, pikepdf.Stream) and (page.obj.objgen, drawn.objgen) in forms:
                _reordered(pdf, _Drawing(page.obj, drawn), order)
        _reordered(pdf, _Drawing(page.obj, None), order)
