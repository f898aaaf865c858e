"""`serve`, save -> the open page told and the new PDF fetched, beside `watch`, save -> PDFs
written, in this checkout, side by side.

Run: .venv/bin/python bench/serve_latency.py [--rounds 7]
Each runs on its own copy of the samples (handout, slides and notes); the edits alternate
between them; medians, and the ratio pair by pair, are printed. The issue asks for the page
to see a save within 2 s.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from watcher import Watcher

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
ONLY = ["--only", "handout,slides,notes"]
PDF = "production-vs-operations-handout.pdf"


class Page:
    """An open page of `serve`: its event stream, read as a browser does."""

    def __init__(self, server: Watcher) -> None:
        url = next(found[0] for line in server.said if (found := re.search(r"http://\S+/", line)))
        self.url = url
        self.events = urllib.request.urlopen(url + "_events", timeout=120)

    def told(self) -> None:
        """Wait for the next build's news that names the handout, then fetch it."""
        for line in self.events:
            if line.startswith(b"data: ") and PDF in json.loads(line[6:])["changed"]:
                break
        with urllib.request.urlopen(self.url + PDF, timeout=120) as answer:
            answer.read()


def main() -> None:
    """Alternate edits between `serve` and `watch`; print medians and the ratio."""
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=7)
    args = options.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-serve-"))
    try:
        copies = [shutil.copytree(SAMPLES, work / name / "content") for name in ("s", "w")]
        serving = Watcher(ROOT, copies[0], work / "s" / "output", ONLY, ("serve", "--port", "0"))
        watching = Watcher(ROOT, copies[1], work / "w" / "output", ONLY)
        page = Page(serving)
        served, watched = [], []
        for round_number in range(args.rounds + 1):  # the first rebuild of each warms up
            started = time.perf_counter()
            serving.save()
            page.told()
            seconds = time.perf_counter() - started
            if round_number:
                served.append(seconds)
                watched.append(watching.edit())
            else:
                watching.edit()
        serving.close(), watching.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a / b for a, b in zip(served, watched, strict=True)]
    print(f"{args.rounds} interleaved edits each, medians:")
    print(f"  serve, save -> page told and PDF fetched: {statistics.median(served):.3f} s")
    print(f"  watch, save -> PDFs written:              {statistics.median(watched):.3f} s")
    print(f"  ratio serve/watch, pair by pair: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
