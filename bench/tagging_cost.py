"""What accessible output costs: untagged vs tagged vs PDF/UA-1 vs PDF/UA-1 with the repair
pass every build runs (render/tagging.py), on the sample lessons.

Run: .venv/bin/python bench/tagging_cost.py [rounds]
Rounds interleave the variants so machine noise hits them alike; medians are printed.
"""

from __future__ import annotations

import statistics
import sys
import time

from samples import ROOT, documents

from handouts.render.cache import BuildCache
from handouts.render.pdf import PDF_OPTIONS
from handouts.render.tagging import repaired
from handouts.render.theme import Theme

REPAIRED = "+ repair"
VARIANTS = {
    "untagged": {},
    "tagged": {"pdf_tags": True},
    "pdf/ua-1": PDF_OPTIONS,
    REPAIRED: PDF_OPTIONS,
}


def main(rounds: int) -> None:
    """Print median render time and size of every variant, relative to untagged."""
    planned = documents(ROOT / "content")
    render = BuildCache().renderer(Theme()).render
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    sizes: dict[str, int] = {}
    for _ in range(rounds + 1):  # the first round warms fonts and caches; it is dropped
        for name, options in VARIANTS.items():
            started = time.perf_counter()
            size = 0
            for document in planned:
                data = render(document.html, document.stylesheets, options=options).data
                if name == REPAIRED:
                    data = repaired(data, document.html, document.formulas)
                size += len(data)
            times[name].append(time.perf_counter() - started)
            sizes[name] = size
    for name in times:
        times[name] = times[name][1:]
    base_time = statistics.median(times["untagged"])
    print(f"{len(planned)} documents, {rounds} interleaved rounds, medians")
    for name in VARIANTS:
        median = statistics.median(times[name])
        print(
            f"{name:>9}: {median:6.3f} s  time x{median / base_time:.2f}"
            f"  {sizes[name] / 1024:7.1f} KiB  size x{sizes[name] / sizes['untagged']:.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
