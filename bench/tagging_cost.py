"""What accessible output costs: untagged vs tagged vs PDF/UA-1, on the sample lessons.

Run: .venv/bin/python bench/tagging_cost.py [rounds]
Rounds interleave the variants so machine noise hits them alike; medians are printed.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts import render_html, render_pdf
from handouts.content import find_lessons, load_lessons
from handouts.formats import OUTPUTS, PAPERS, STYLESHEETS, TEMPLATES_DIR
from handouts.pipeline import planned

VARIANTS = {
    "untagged": {},
    "tagged": {"pdf_tags": True},
    "pdf/ua-1": render_pdf.PDF_OPTIONS,
}


def main(rounds: int) -> None:
    """Print median render time and size of every variant, relative to untagged."""
    root = Path(__file__).resolve().parent.parent
    lessons = load_lessons(find_lessons([root / "content"])).lessons
    documents = [
        (render_html.render(lesson, kind, PAPERS["a4"]), STYLESHEETS[kind])
        for lesson in lessons
        for kind in planned(lesson, OUTPUTS)
    ]
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    sizes: dict[str, int] = {}
    for _ in range(rounds + 1):  # the first round warms fonts and caches; it is dropped
        for name, options in VARIANTS.items():
            started = time.perf_counter()
            size = 0
            for html, sheets in documents:
                size += len(render_pdf.render(html, TEMPLATES_DIR, sheets, options).data)
            times[name].append(time.perf_counter() - started)
            sizes[name] = size
    for name in times:
        times[name] = times[name][1:]
    base_time = statistics.median(times["untagged"])
    print(f"{len(documents)} documents, {rounds} interleaved rounds, medians")
    for name in VARIANTS:
        median = statistics.median(times[name])
        print(
            f"{name:>9}: {median:6.3f} s  time x{median / base_time:.2f}"
            f"  {sizes[name] / 1024:7.1f} KiB  size x{sizes[name] / sizes['untagged']:.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
