"""The affine map from a sheet's millimetres to a scan's pixels, fitted to its corner marks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]


def _solve(rows: list[list[float]]) -> list[float]:
    """The solution of the 3 x 3 system whose augmented rows are `rows` (Gauss-Jordan)."""
    for col in range(3):
        pivot = max(range(col, 3), key=lambda row: abs(rows[row][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for row in range(3):
            if row != col:
                factor = rows[row][col] / rows[col][col]
                rows[row] = [a - factor * b for a, b in zip(rows[row], rows[col], strict=True)]
    return [rows[n][3] / rows[n][n] for n in range(3)]


@dataclass(frozen=True)
class Affine:
    """x = a X + b Y + c, y = d X + e Y + f: a sheet's point (X, Y) in millimetres to the
    pixel (x, y) of its scan."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    @classmethod
    def fit(cls, sheet: Sequence[Point], scan: Sequence[Point]) -> Affine:
        """The least-squares map of the points `sheet` onto `scan` (three or more)."""
        sums = [[0.0] * 3 for _ in range(3)]
        for x, y in sheet:
            for i, u in enumerate((x, y, 1.0)):
                for j, v in enumerate((x, y, 1.0)):
                    sums[i][j] += u * v
        found = []
        for axis in (0, 1):
            right = [0.0, 0.0, 0.0]
            for (x, y), target in zip(sheet, scan, strict=True):
                for i, u in enumerate((x, y, 1.0)):
                    right[i] += u * target[axis]
            found += _solve([[*sums[i], right[i]] for i in range(3)])
        return cls(*found)

    def __call__(self, point: Point) -> Point:
        """Where `point` of the sheet is on the scan."""
        x, y = point
        return self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f

    @property
    def scale(self) -> float:
        """Pixels per millimetre (the mean of both axes')."""
        return math.sqrt(abs(self.a * self.e - self.b * self.d))
