"""A build killed while it renders (SIGKILL) leaves only whole PDFs under their names.

A kill rarely lands inside the few milliseconds a write takes; test_output.py interrupts a
write on purpose to show what happens then.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
from conftest import PIPED_ENV, ROOT, SAMPLES, processes_mentioning


def _all_pdfs_whole(output: Path) -> int:
    pdfs = sorted(output.glob("*.pdf"))
    for path in pdfs:
        document = pdfium.PdfDocument(path)  # raises on a truncated or corrupt file
        assert len(document) >= 1, path.name
        document.close()
    return len(pdfs)


# The outputs that do not wait for a deck to be fitted: the first PDF comes within a second
# or two of the start, with as long again of rendering after it for a kill to land in.
ONLY = ("--only", "handout,worksheet,answers,table,pack")


def test_killed_builds_never_leave_a_broken_pdf(tmp_path: Path) -> None:
    output = tmp_path / "output"
    chances = random.Random(20261125)
    killed_mid_render = 0
    rounds = 4
    for round_number in range(rounds):
        # Every round changes the text, so each build rewrites every PDF.
        content = tmp_path / f"content-{round_number}"
        content.mkdir()
        shutil.copytree(SAMPLES / "images", content / "images")
        for source in SAMPLES.glob("*.yaml"):
            text = source.read_text("utf-8").replace("Management", f"Management {round_number}")
            (content / source.name).write_text(text, "utf-8")
        build = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), str(content), "-o", str(output), *ONLY],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=PIPED_ENV,
        )
        assert build.stdout is not None
        first = build.stdout.readline()  # a PDF is written: rendering is under way
        time.sleep(chances.uniform(0, 0.6))
        build.send_signal(signal.SIGKILL)
        printed = first + build.stdout.read()
        build.wait()
        build.stdout.close()
        if build.returncode == -signal.SIGKILL and " page" in first:
            killed_mid_render += " up to date, in " not in printed
        _all_pdfs_whole(output)
    assert killed_mid_render >= rounds / 2, f"only {killed_mid_render} of {rounds} mid-render"
    assert _all_pdfs_whole(output) >= 1, "no kill came late enough to see a PDF written"
    time.sleep(0.5)
    assert processes_mentioning(str(output)) == [], "worker processes outlived their build"
