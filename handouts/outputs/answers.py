"""The answer key: the worksheet's very page, every answer written on its lines."""

from __future__ import annotations

from . import register
from .worksheet import Worksheet


class AnswerKey(Worksheet):
    """`<lesson>-answers.pdf`."""

    name = "answers"
    order = 60
    with_answers = True


register(AnswerKey())
