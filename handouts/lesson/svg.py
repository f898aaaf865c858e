"""An SVG drawing read as a lesson's picture: its size, and nothing it may not do.

expat reads it with DOCTYPEs and entities refused (no entity is ever expanded). Refused too:
any reference out of the drawing (an `href` that is not `#id` or a `data:` URI, a `url()` to
anything but `#id`, `@import`, `xml:base`, an `xml-stylesheet`), its CSS read as WeasyPrint
reads it (tinycss2 resolves escapes such as `@\\69mport`), and a `<use>` of something that
holds a `<use>`: such copies of copies multiply without end (a 1 kB file took WeasyPrint
minutes). What it draws by reference (copies, markers at each vertex, masks, clip paths,
patterns, filters) is counted: a drawing that draws itself, or more than `MOST_DRAWN`
elements, is refused. A picture inside it (a `data:` URI) is handed to the caller to check.
The renderer's fetcher checks every picture again at render time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

import cssselect2
import tinycss2
from tinycss2.ast import Node

from ..errors import FigureProblem

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XML_BASE = "http://www.w3.org/XML/1998/namespace base"
MOST_PX = 100_000.0  # the largest side an SVG may give itself; its proportions at most 1000:1
MOST_DRAWN = 200_000  # elements a drawing may draw, every copy, marker and mask counted
MOST_DEPTH = 100  # elements inside elements: WeasyPrint draws them by recursion
_INHERITED = {"fill", "stroke", "marker", "marker-start", "marker-mid", "marker-end"}
_WITH_VERTICES = {"path", "line", "polyline", "polygon"}
_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")
_COMMAND = re.compile(r"[A-Za-z]")  # of a path: with the numbers, more than its vertices
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|pc)?\s*")
_PX_PER = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}

# Checks a picture inside the drawing (its `data:` URI, and what to call it); returns how
# many elements drawing it draws.
Inside = Callable[[str, str], int]


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace."""
    return name.rsplit(" ", 1)[-1]


def _tokens(nodes: list[Node] | None) -> Iterator[Node]:
    """Every CSS token of `nodes`, those inside blocks, functions and rules too (however
    deep: no recursion)."""
    waiting = [iter(nodes or ())]
    while waiting:
        node = next(waiting[-1], None)
        if node is None:
            waiting.pop()
            continue
        yield node
        for part in ("prelude", "content", "arguments", "value"):
            if isinstance(inner := getattr(node, part, None), list):
                waiting.append(iter(inner))


def _url(token: Node) -> str | None:
    """The address a CSS token names, if it is a url() (escapes resolved)."""
    if token.type == "url":
        return str(token.value)
    if token.type == "function" and token.lower_name == "url":
        return "".join(str(getattr(t, "value", "")) for t in token.arguments).strip()
    return None


def _declared(
    targets: Callable[[list[Node]], Iterator[str]], content: str | list[Node]
) -> Iterator[tuple[str, str]]:
    """The `#id`s CSS declarations refer to (found by `targets`), with their property."""
    for declaration in tinycss2.parse_blocks_contents(content):
        if declaration.type == "declaration":
            yield from ((target, declaration.lower_name) for target in targets(declaration.value))


@dataclass
class _Element:
    """An element as drawing counts it: what it refers to, and what is below it."""

    name: str
    id: str | None
    line: int
    parent: int | None
    children: list[int] = field(default_factory=list)
    refers: list[tuple[str, str]] = field(default_factory=list)  # (#id, property)
    inside: int = 0  # elements a picture inside it draws
    vertices: int = 0  # at most: of its path or line, where a marker is drawn


class _Reader:
    """Reads an SVG with expat, refusing what could reach outside it or blow up."""

    def __init__(self, written: str, inside: Inside) -> None:
        self.written, self.inside = written, inside
        self.root: tuple[str, dict[str, str]] | None = None
        self.elements: list[_Element] = []
        self.ids: dict[str, int] = {}
        self.open: list[int] = []  # the elements open now, outermost first
        self.holding_use: set[str] = set()  # ids of elements that hold a <use>
        self.used: list[str] = []  # the ids <use> elements copy
        self.style: list[str] | None = None  # the text of the <style> being read
        self.style_depth = 0
        self.sheets: list[str] = []
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True  # a text arrives whole, not in pieces
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text

    def _doctype(self, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' has a DOCTYPE (line {self.parser.CurrentLineNumber}), "
            "which can define entities: it is not read",
            "delete the <!DOCTYPE ...> part: SVG needs none",
        )

    def _entity(self, name: str, *_: object) -> None:
        raise FigureProblem(
            f"SVG '{self.written}' defines the entity '{name}': it is not read",
            "delete the entity definitions and write their text out",
        )

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise self._refused(f"<?xml-stylesheet {data}?>")

    def _refused(self, target: str) -> FigureProblem:
        shown = target if len(target) <= 60 else target[:57] + "..."
        return FigureProblem(
            f"SVG '{self.written}' refers to '{shown}' (line "
            f"{self.parser.CurrentLineNumber}): a figure may use nothing outside itself",
            "embed what it shows in the SVG, or export the drawing again as plain SVG",
        )

    def _css_targets(self, tokens: list[Node]) -> Iterator[str]:
        """The `#id`s CSS refers to; raise FigureProblem for any other reference."""
        for token in _tokens(tokens):
            if token.type in ("at-keyword", "at-rule") and token.lower_at_keyword == "import":
                raise self._refused("@import")
            if (target := _url(token)) is not None:
                if not target.startswith("#"):
                    raise self._refused(target)
                yield target[1:]

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = (name, attributes)
        here = len(self.elements)
        parent = self.open[-1] if self.open else None
        line = self.parser.CurrentLineNumber
        element = _Element(_local(name), attributes.get("id"), line, parent)
        self.elements.append(element)
        if parent is not None:
            self.elements[parent].children.append(here)
        self.open.append(here)
        if len(self.open) > MOST_DEPTH:
            raise FigureProblem(
                f"SVG '{self.written}' nests elements more than {MOST_DEPTH} deep (line {line})",
                "ungroup the drawing's groups in the drawing program and save it again",
            )
        if element.id is not None:
            self.ids.setdefault(element.id, here)
        if element.name in _WITH_VERTICES:
            shape = attributes.get("d", attributes.get("points", ""))
            element.vertices = max(2, len(_NUMBER.findall(shape)) + len(_COMMAND.findall(shape)))
        if self.style is not None:
            self.style_depth += 1
        elif element.name == "style":
            self.style, self.style_depth = [], 1
        for key, value in attributes.items():
            if key == XML_BASE:
                raise self._refused("xml:base")
            if _local(key) == "href":
                self._href(element, value.strip())
            elif "(" in value or "@" in value:  # else it holds no url() and no at-rule
                self._css(element, _local(key), value)
        if element.name == "use":
            self.holding_use.update(
                i for i in (self.elements[j].id for j in self.open[:-1]) if i is not None
            )

    def _css(self, element: _Element, key: str, value: str) -> None:
        """Note the `#id`s an attribute refers to, by the property that uses them."""
        targets = list(self._css_targets(tinycss2.parse_component_value_list(value)))
        if key != "style":
            element.refers.extend((target, key) for target in targets)
            return
        element.refers.extend(_declared(self._css_targets, value))

    def _href(self, element: _Element, target: str) -> None:
        """Note what an `href` refers to, or check the picture it holds."""
        if target.startswith("#"):
            element.refers.append((target[1:], "href"))
            if element.name == "use":
                self.used.append(target[1:])
        elif target.lower().startswith("data:"):
            try:
                element.inside += self.inside(target, target[: target.find(",") + 7] + "...")
            except FigureProblem as problem:
                raise FigureProblem(
                    f"SVG '{self.written}', line {element.line}: {problem}", problem.hint
                ) from None
        else:
            raise self._refused(target)

    def _end(self, _: str) -> None:
        self.open.pop()
        if self.style is not None:
            self.style_depth -= 1
            if self.style_depth == 0:
                text = "".join(self.style)
                list(self._css_targets(tinycss2.parse_stylesheet(text)))
                self.sheets.append(text)
                self.style = None

    def _text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def read(self, data: bytes) -> tuple[dict[str, str], int]:
        """Read the drawing whole; return its root's attributes and how many elements
        drawing it draws."""
        try:
            self.parser.Parse(data, True)
        except FigureProblem:
            raise
        except (expat.ExpatError, LookupError, ValueError) as error:  # an unknown encoding too
            raise FigureProblem(
                f"SVG '{self.written}' is not well-formed XML ({error})",
                "export it again from the drawing program",
            ) from None
        if self.root is None or self.root[0] != f"{SVG_NAMESPACE} svg":
            raise FigureProblem(
                f"'{self.written}' is not an SVG drawing (its first element is not <svg>)",
                'start it with <svg xmlns="http://www.w3.org/2000/svg" ...>',
            )
        if copied := next((i for i in self.used if i in self.holding_use), None):
            raise FigureProblem(
                f"SVG '{self.written}' copies '#{copied}', which holds copies itself: such "
                "copies of copies can multiply without end, so it is not read",
                "unlink the clones in the drawing program and save it again; in Inkscape: "
                "Edit > Clone > Unlink Clone",
            )
        if self.sheets:
            self._styled(data)
        return self.root[1], self._drawn()

    def _styled(self, data: bytes) -> None:
        """Note what the <style> sheets make each element refer to, matched as WeasyPrint
        matches them (cssselect2)."""
        matcher = cssselect2.Matcher()
        for text in self.sheets:
            for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
                if rule.type != "qualified-rule":
                    continue
                refers = list(_declared(self._css_targets, rule.content))
                try:
                    selectors = cssselect2.compile_selector_list(rule.prelude)
                except cssselect2.SelectorError:
                    continue
                for selector in selectors:
                    if refers and not selector.never_matches:
                        matcher.add_selector(selector, refers)
        tree = cssselect2.ElementWrapper.from_xml_root(ElementTree.fromstring(data))
        for element, wrapper in zip(self.elements, tree.iter_subtree(), strict=True):
            for *_, refers in matcher.match(wrapper):
                element.refers.extend(refers)

    def _drawn(self) -> int:
        """How many elements drawing the whole drawing draws (at most MOST_DRAWN + 1);
        raise FigureProblem for a drawing that draws itself.

        Each element's count is 1, its children's, the picture inside it and what it refers
        to: a marker at each vertex it and what is below it or copied into it draw (inherited,
        as a fill or stroke is by each shape), anything else once."""
        most = MOST_DRAWN + 1
        drawn: list[int | None] = [None] * len(self.elements)
        shapes, vertices = [0] * len(self.elements), [0] * len(self.elements)
        entered = [False] * len(self.elements)
        stack: list[tuple[int, bool]] = [(0, False)]
        while stack:
            index, finished = stack.pop()
            element = self.elements[index]
            targets = [(self.ids[n], used_by) for n, used_by in element.refers if n in self.ids]
            if finished:
                below = [*element.children, *(t for t, used_by in targets if used_by == "href")]
                shapes[index] = min(1 + sum(shapes[i] for i in below), most)
                vertices[index] = min(element.vertices + sum(vertices[i] for i in below), most)
                total = 1 + element.inside + sum(drawn[c] or 0 for c in element.children)
                for target, used_by in targets:
                    times = 1
                    if used_by.startswith("marker"):
                        times = vertices[index]
                    elif used_by in _INHERITED:
                        times = shapes[index]
                    total += times * (drawn[target] or 0)
                drawn[index] = min(total, most)
                continue
            if drawn[index] is not None:
                continue
            if entered[index]:
                raise self._cycle(index)
            entered[index] = True
            stack.append((index, True))
            stack.extend((child, False) for child in reversed(element.children))
            stack.extend((target, False) for target, _ in targets)
        total = drawn[0] or 0
        if total > MOST_DRAWN:
            raise FigureProblem(
                f"SVG '{self.written}' would draw more than {MOST_DRAWN:,} shapes, every copy, "
                "marker and mask counted: drawing it could take minutes",
                "simplify the drawing, or export it as a PNG picture",
            )
        return total

    def _cycle(self, index: int) -> FigureProblem:
        name = self.elements[index].id or self.elements[index].name
        return FigureProblem(
            f"SVG '{self.written}' draws '#{name}' inside itself (line "
            f"{self.elements[index].line}): it would be drawn without end",
            "remove the marker, mask, clip path, pattern or filter that uses its own element",
        )


def _length(value: str | None) -> float:
    """An SVG length in CSS px (0 when absent or relative)."""
    match = _LENGTH.fullmatch(value or "")
    return float(match.group(1)) * _PX_PER[match.group(2) or "px"] if match else 0.0


def svg_drawing(data: bytes, written: str, inside: Inside) -> tuple[float, float, int]:
    """The size an SVG lesson picture gives itself, in CSS px, from its width and height or
    its viewBox, and how many elements drawing it draws; raise FigureProblem for one that
    may not be shown. `inside` checks each picture it holds."""
    attributes, drawn = _Reader(written, inside).read(data)
    box = [float(n) for n in _NUMBER.findall(attributes.get("viewBox", ""))]
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        width = width or (height * box[2] / box[3] if height else box[2])
        height = height or width * box[3] / box[2]
    sane = all(math.isfinite(side) and 0 < side <= MOST_PX for side in (width, height))
    if not sane or not 1e-3 <= height / width <= 1e3:
        raise FigureProblem(
            f"SVG '{written}' has no size a page can show ({width:g} x {height:g} px)",
            'give its <svg> a viewBox of its drawing, e.g. viewBox="0 0 400 200"',
        )
    return width, height, drawn
