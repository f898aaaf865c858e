"""LaTeX formulas in lesson text, checked at load time and said in a teacher's words.

ziamath (through latex2mathml) reads the LaTeX; it is imported only for a lesson that has
a formula. Its errors are exception classes with no message, so each is given one here.
The check reads the formula into MathML and checks what ziamath's drawing asserts (each
fraction has two parts...), without drawing it: drawing takes time that grows with the
square of a row's length and doubles with each level of nesting, so a formula is also
limited in length (MAX_FORMULA) and in nesting (MAX_NESTING).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from ziamath.zmath import Latex

MAX_FORMULA = 2000  # characters between the dollars
MAX_NESTING = 8  # groups inside groups: { }, \left ... \right

_UNKNOWN_COMMAND = re.compile(r"<m[io]>(\\[A-Za-z]+)</m[io]>")
_REASONS = {
    "NoAvailableTokensError": "it ends too early: a command or '{' is missing what follows it",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "ExtraLeftOrMissingRightError": r"a \left has no \right to close it",
    "MissingEndError": r"a \begin{...} has no \end{...}",
    "DoubleSubscriptsError": "it has two subscripts in a row: write x_{ab}, not x_a_b",
    "DoubleSuperscriptsError": "it has two powers in a row: write x^{ab}, not x^a^b",
    "DenominatorNotFoundError": r"\frac needs two groups: \frac{top}{bottom}",
    "NumeratorNotFoundError": r"\frac needs two groups: \frac{top}{bottom}",
    "AssertionError": r"a command is missing a group: \frac{top}{bottom}, \sqrt{x}",
    "LimitsMustFollowMathOperatorError": r"\limits must follow an operator such as \sum",
    "InvalidAlignmentError": "a column alignment of the array is not l, c or r",
    "InvalidWidthError": "a width in it is not a length such as 2em",
    "InvalidStyleForGenfracError": r"the style of \genfrac is not 0, 1, 2 or 3",
}
FORMULA_HINT = r"write LaTeX math between dollars, e.g. $\frac{a}{b}$; write \$ for a dollar sign"


# How many parts each MathML element ziamath draws must have (it asserts it).
_PARTS = {
    "mfrac": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "munder": 2,
    "mover": 2,
    "munderover": 3,
    "mroot": 2,
}
_OPENING = {"{": 1, "}": -1, "\\left": 1, "\\right": -1}


def _braces(latex: str) -> str | None:
    """What is wrong with the formula's braces and nesting, if anything."""
    depth = 0
    for match in re.finditer(r"\\left\b|\\right\b|\\.|[{}]", latex):
        depth += _OPENING.get(match.group(), 0)
        if depth < 0:
            return "a '}' closes nothing" if match.group() == "}" else r"a \right closes nothing"
        if depth > MAX_NESTING:
            return f"it nests groups more than {MAX_NESTING} deep"
    return "a '{' is never closed" if depth else None


@cache
def _latex() -> type[Latex]:
    """ziamath's LaTeX formula class, imported and set up once."""
    # ziafont logs through the root logger's functions, which give the root a handler
    # printing to stderr when it has none: every library's warnings would then be printed.
    if not logging.getLogger().handlers:
        logging.getLogger().addHandler(logging.NullHandler())
    with warnings.catch_warnings():  # ziamath finds its font by a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath.config import config
        from ziamath.zmath import Latex as latex_class
    # Glyphs as plain paths, not SVG 2 symbols: WeasyPrint draws them a third faster.
    config.svg2 = False
    return latex_class


@cache
def _mathml() -> Callable[..., str]:
    """ziamath's LaTeX-to-MathML conversion, as its formulas read LaTeX."""
    _latex()  # set up as for drawing
    from ziamath.tex import tex2mml

    return tex2mml


def _part_missing(mathml: str) -> str | None:
    """What part an element of `mathml` lacks, in a teacher's words, if any."""
    for element in ElementTree.fromstring(mathml).iter():
        tag = element.tag.rsplit("}", 1)[-1]  # without the namespace
        if tag == "mtable" and not len(element):
            return "a matrix or array has nothing in it"
        if len(element) != _PARTS.get(tag, len(element)):
            return _REASONS["AssertionError"]
    return None


@cache
def parsed(latex: str, inline: bool) -> Latex:
    """ziamath's formula for `latex`, checked by `formula_problem` (raises what
    latex2mathml raises)."""
    # No margin of its own: it would open a gap before a comma after the formula.
    return _latex()(latex, size=10, inline=inline, color="black", margin=0)


def formula_problem(latex: str, display: bool = False) -> str | None:
    """Why `latex` cannot be printed as a formula (`display`: on a line of its own), in a
    teacher's words; None when it can. It is read as it will be drawn, once."""
    if not latex.strip():
        return "the formula between the dollars is empty"
    if len(latex) > MAX_FORMULA:
        return (
            f"the formula starting '{latex[:40]}...' is {len(latex):,} characters long; "
            f"a formula may have at most {MAX_FORMULA:,}"
        )
    if reason := _braces(latex):
        return f"the formula '{latex}' cannot be read: {reason}"
    if len(re.findall(r"\\tag\{", latex)) > 1:
        return f"the formula '{latex}' cannot be read: it has more than one \\tag"
    try:
        mathml = _mathml()(latex, inline=not display)
        missing = _part_missing(mathml)
    except Exception as error:  # latex2mathml raises its own classes, and AssertionError
        reason = _REASONS.get(type(error).__name__, f"{type(error).__name__} {error}".strip())
        return f"the formula '{latex}' cannot be read: {reason}"
    if missing:
        return f"the formula '{latex}' cannot be read: {missing}"
    if unknown := _UNKNOWN_COMMAND.search(mathml):
        return f"the formula '{latex}' uses {unknown.group(1)}, which is not a LaTeX command"
    return None
