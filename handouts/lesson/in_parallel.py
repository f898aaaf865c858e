"""A large course loaded by several processes: each loads a share of the lesson files, and
their findings are joined in the files' order: the same lessons, errors and courses one
process finds (loader.PARALLEL_FROM says from how many lessons it is worth it).
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from ..worker_process import serve_the_main_process
from .definition import COURSE_FILE
from .files import Bounds
from .model import Loaded


def loaded_in_parallel(
    load: Callable[[list[Path], Bounds], Loaded], paths: list[Path], bounds: Bounds, workers: int
) -> Loaded:
    """`load(paths, bounds)`, the paths shared out to `workers` processes in runs of
    neighbours (a folder's lessons mostly in one); a course.yaml read by two is reported
    once."""
    size = math.ceil(len(paths) / workers)
    shares = [(paths[start : start + size], bounds) for start in range(0, len(paths), size)]
    with multiprocessing.get_context().Pool(len(shares), serve_the_main_process) as pool:
        parts = pool.starmap(load, shares)
    joined = Loaded(checked=sum(part.checked for part in parts))
    said: set[tuple[str, str]] = set()
    for part in parts:
        joined.lessons += part.lessons
        joined.crashes += [crash for crash in part.crashes if crash not in joined.crashes]
        for error in part.errors:
            if (place := (str(error.where), error.message)) not in said:
                said.add(place)
                joined.errors.append(error)
        known = {course.file for course in joined.courses}
        joined.courses += [course for course in part.courses if course.file not in known]
    joined.errors.sort(key=lambda error: error.where.path.name != COURSE_FILE)  # theirs first
    return joined
