"""What turning a PDF gray costs (render/grayscale.py): every PDF output of a sample lesson
planned and rendered in the print-saver theme, then repaired without and with the gray
pass, and the pass run alone on the rendered PDF; both are printed against the render's
time (in the repair, the toner pass after it then finds nothing left to rewrite).

Run: .venv/bin/python bench/grayscale_cost.py [LESSON] [rounds]
     (default: production-vs-operations, 5 rounds; production-systems has a picture and
     formulas). Rounds interleave the variants so machine noise hits them alike; medians.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import pikepdf
from samples import ROOT, documents

from handouts.builtin import BUILTIN_THEMES
from handouts.render.cache import BuildCache
from handouts.render.grayscale import grayscale
from handouts.render.tagging import repaired
from handouts.render.theme import Theme

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
VARIANTS = ("render", "repair", "repair + gray", "gray pass alone")


def _planned(lesson: str) -> list:  # type: ignore[type-arg]
    """The lesson's documents, planned in print-saver."""
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        shutil.copytree(SAMPLES / "images", content / "images")
        shutil.copy(SAMPLES / f"{lesson}.yaml", content)
        course = (SAMPLES / "course.yaml").read_text()
        (content / "course.yaml").write_text(course + "theme: print-saver\n")
        return [found for found in documents(content) if found.html.startswith("<")]


def main(lesson: str, rounds: int) -> None:
    """Print the median time of the render, the repair and the repair with the gray pass."""
    planned = _planned(lesson)
    render = BuildCache().renderer(Theme.over_builtin(BUILTIN_THEMES / "print-saver")).render
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(rounds + 1):  # the first round warms fonts and caches; it is dropped
        spent = dict.fromkeys(VARIANTS, 0.0)
        for document in planned:
            started = time.perf_counter()
            data = render(document.html, document.stylesheets).data
            spent["render"] += time.perf_counter() - started
            for gray in (False, True):
                started = time.perf_counter()
                repaired(data, document.html, dict.fromkeys(document.formulas, ""), gray)
                spent[VARIANTS[1 + gray]] += time.perf_counter() - started
            with pikepdf.open(BytesIO(data)) as pdf:
                started = time.perf_counter()
                grayscale(pdf)
                spent["gray pass alone"] += time.perf_counter() - started
        for name in VARIANTS:
            times[name].append(spent[name])
    medians = {name: statistics.median(found[1:]) for name, found in times.items()}
    medians["repair's growth"] = medians["repair + gray"] - medians["repair"]
    print(f"{lesson}: {len(planned)} PDFs, {rounds} interleaved rounds, medians")
    for name, median in medians.items():
        print(f"{name:>16}: {median:6.3f} s  {median / medians['render']:6.1%} of the render")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        arguments[0] if arguments else "production-vs-operations",
        int(arguments[1]) if len(arguments) > 1 else 5,
    )
