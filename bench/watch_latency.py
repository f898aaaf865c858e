"""Watch mode, save -> PDFs written: this checkout against another, side by side.

Run: .venv/bin/python bench/watch_latency.py OTHER_CHECKOUT [--rounds 7]
(OTHER_CHECKOUT: e.g. `git worktree add /tmp/before <commit>`). Both watchers run with this
.venv's Python, each on its own copy of the samples; the edits alternate between them
(one sentence of the conclusion, which the handout, slides and notes show), medians and
the ratio pair by pair are printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from watcher import Watcher

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
ONLY = ["--only", "handout,slides,notes"]


def watching(checkout: Path, work: Path) -> Watcher:
    """A watcher of `checkout` on its own copy of the samples, under `work`."""
    content = shutil.copytree(SAMPLES, work / "content")
    return Watcher(checkout, content, work / "output", ONLY)


def main() -> None:
    """Alternate edits between the two watchers; print medians and the ratio."""
    options = argparse.ArgumentParser()
    options.add_argument("other", type=Path, help="the checkout to compare with")
    options.add_argument("--rounds", type=int, default=7)
    args = options.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-watch-"))
    try:
        this = watching(ROOT, work / "this")
        other = watching(args.other.resolve(), work / "other")
        this.edit(), other.edit()  # the first rebuild of each warms what it keeps
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(this.edit())
            theirs.append(other.edit())
        this.close(), other.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    print(f"{args.rounds} interleaved edits each, medians (save -> PDFs written):")
    print(f"  this checkout:  {statistics.median(ours):.3f} s")
    print(f"  {args.other}:  {statistics.median(theirs):.3f} s")
    print(f"  ratio this/other, pair by pair: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
