"""A formula said in English words, for its alt text: what a screen reader speaks.

"\\frac{output}{input}" is read "output over input", "x^2" "x squared". The formula's
MathML (latex2mathml's, which ziamath draws from) is walked; anything without a reading
of its own is said by its parts.
"""

from __future__ import annotations

import unicodedata
from xml.etree import ElementTree

_OPERATORS = {
    "=": "equals",
    "+": "plus",
    "-": "minus",
    "\u2212": "minus",
    "\u00b1": "plus or minus",
    "\u00d7": "times",
    "\u22c5": "times",
    "\u00b7": "times",
    "*": "times",
    "\u00f7": "divided by",
    "/": "divided by",
    "<": "is less than",
    ">": "is greater than",
    "\u2264": "is at most",
    "\u2265": "is at least",
    "\u2260": "is not equal to",
    "\u2248": "is approximately",
    "\u2192": "to",
    "(": "(",
    ")": ")",
    ",": ",",
    "%": "percent",
    "\u2211": "the sum",
    "\u220f": "the product",
    "\u222b": "the integral",
}
_POWERS = {"2": "squared", "3": "cubed"}
_LIMITED = ("the sum", "the product", "the integral")  # said "from ... to ... of"


def _symbol(text: str) -> str:
    """A letter, number or sign as it is said."""
    if text in _OPERATORS:
        return _OPERATORS[text]
    if len(text) == 1 and not text.isascii():
        name = unicodedata.name(text, text).lower()
        return name.removeprefix("greek small letter ").removeprefix("greek capital letter ")
    return text


def _said(node: ElementTree.Element) -> str:
    """The words for one MathML element."""
    tag = node.tag.rsplit("}", 1)[-1]
    parts = [_said(child) for child in node]
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        return _symbol((node.text or "").strip())
    if tag == "mfrac" and len(parts) == 2:
        return f"{parts[0]} over {parts[1]}"
    if tag == "msup" and len(parts) == 2:
        power = _POWERS.get(parts[1], f"to the power {parts[1]}")
        return f"{parts[0]} {power}"
    if tag == "msub" and len(parts) == 2:
        return f"{parts[0]} sub {parts[1]}"
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        if parts[0] in _LIMITED:
            return f"{parts[0]} from {parts[1]} to {parts[2]} of"
        power = _POWERS.get(parts[2], f"to the power {parts[2]}")
        return f"{parts[0]} sub {parts[1]} {power}"
    if tag == "msqrt":
        return f"the square root of {' '.join(parts)}"
    if tag == "mroot" and len(parts) == 2:
        return f"root {parts[1]} of {parts[0]}"
    if tag in ("munder", "mover") and len(parts) == 2:
        return f"{parts[0]} {'under' if tag == 'munder' else 'over'} {parts[1]}"
    return " ".join(part for part in parts if part)


def spoken(mathml: str) -> str:
    """The English words for a formula given as MathML."""
    words = _said(ElementTree.fromstring(mathml)).split()
    text = " ".join(words).replace("( ", "(").replace(" )", ")").replace(" ,", ",")
    return text
