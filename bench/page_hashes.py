"""What hashing each page costs a build: the time to hash every page of every PDF of the
lessons in content/, beside the time to build them.

Run: .venv/bin/python bench/page_hashes.py [rounds]
Builds a copy of content/ (every output, one worker) into a temporary folder, then hashes
each PDF's pages `rounds` times (default 5) and prints the fastest, in a Markdown table.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts.cli import main  # noqa: E402
from handouts.render.page_hashes import page_hashes  # noqa: E402


def fastest(data: bytes, rounds: int) -> tuple[int, float]:
    """The pages of the PDF `data`, and the fastest of `rounds` hashings of them, in s."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        pages = len(page_hashes(data))
        times.append(time.perf_counter() - started)
    return pages, min(times)


def run(rounds: int) -> None:
    """Build, hash, and print the table."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(ROOT / "content", project / "content")
        started = time.perf_counter()
        assert main(["-C", str(project), "build", "-q", "-j", "1", "--force"]) == 0
        built = time.perf_counter() - started
        print("| PDF | pages | hashing |\n|---|---|---|")
        total_pages, total = 0, 0.0
        for pdf in sorted((project / "output").glob("*.pdf")):
            pages, seconds = fastest(pdf.read_bytes(), rounds)
            total_pages, total = total_pages + pages, total + seconds
            print(f"| {pdf.stem} | {pages} | {seconds * 1000:.1f} ms |")
        print(f"| all | {total_pages} | {total * 1000:.0f} ms (the build: {built:.1f} s) |")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
