"""Our own work over WeasyPrint's: a cold build against raw WeasyPrint rendering, once each,
the documents the build writes (each output's final HTML: the deck as fitted, the handout
as set, the worksheet as grown), side by side in one run, rounds interleaved, medians.

Run: .venv/bin/python bench/overhead.py [--rounds 5]

1. the seed lesson (production-vs-operations): handout, slides and table
2. every output of the samples (content/)

What the build does beyond the raw renders (loading, deriving, the layouts it measures and
does not keep, the repair pass, composing the notes, the index page) is the overhead. Both
sides start a fresh Python, import WeasyPrint and see the theme's fonts only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regenerate import PYTHON, RAW, median, timed
from samples import ROOT

from handouts import outputs
from handouts.cli import main as build_main
from handouts.make import index
from handouts.render import tagging
from handouts.render.layout import RenderedPdf
from handouts.render.pdf import Laid, Renderer, start_rendering
from handouts.render.theme import BUILTIN_THEME

SEED = "production-vs-operations.yaml"
THREE = ("handout", "slides", "table")
Written = tuple[str, tuple[str, ...], str]  # a document written: its HTML, sheets, extra CSS


@dataclass
class Tally:
    """What a build in this process wrote (each document once, in order) and where its
    time went, in seconds."""

    written: list[Written] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    measuring: int = 0  # layouts made and not kept


PARTS = ("layouts kept", "writing them", "layouts not kept", "repair pass", "index page")


@contextmanager
def tallied() -> Iterator[Tally]:
    """In the block, a tally of what the builds in this process do (see `Tally`)."""
    tally = Tally()
    laid_out: dict[int, tuple[Written, Laid]] = {}  # the layout kept alive: its id stays its own
    lay_out, write = Renderer.lay_out, Renderer.write
    repaired, refresh = tagging.repaired, index.refresh

    def noted_lay_out(self: Renderer, html: str, sheets: tuple[str, ...], css: str = "") -> Laid:
        laid = lay_out(self, html, sheets, css)
        laid_out[id(laid)] = ((html, sheets, css), laid)
        tally.seconds["layouts not kept"] += laid.seconds
        tally.measuring += 1
        return laid

    def noted_write(laid: Laid, seconds: float | None = None) -> RenderedPdf:
        tally.written.append(laid_out[id(laid)][0])
        tally.seconds["layouts not kept"] -= laid.seconds
        tally.seconds["layouts kept"] += laid.seconds
        tally.measuring -= 1
        with _timed(tally, "writing them"):
            return write(laid, seconds)

    def noted_repaired(*args: Any, **kwargs: Any) -> bytes:
        with _timed(tally, "repair pass"):
            return repaired(*args, **kwargs)

    def noted_refresh(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with _timed(tally, "index page"):
            yield from refresh(*args, **kwargs)

    patches = {
        (Renderer, "lay_out"): noted_lay_out,
        (Renderer, "write"): staticmethod(noted_write),
        (tagging, "repaired"): noted_repaired,
        (index, "refresh"): noted_refresh,
    }
    kept = {where: getattr(*where) for where in patches}
    for (owner, name), patch in patches.items():
        setattr(owner, name, patch)
    try:
        yield tally
    finally:
        for (owner, name), original in kept.items():
            setattr(owner, name, original)


@contextmanager
def _timed(tally: Tally, part: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        tally.seconds[part] += time.perf_counter() - started


def final_html(paths: list[str], kinds: tuple[str, ...], folder: Path) -> tuple[list[str], str]:
    """Build `paths` once in this process and write each document it wrote as an HTML
    file for raw WeasyPrint (its stylesheets linked, its extra CSS last); their names, and
    where the build's time went."""
    started = time.perf_counter()
    with tallied() as tally:
        argv = [*paths, "--only", ",".join(kinds), "-q", "-j", "1", "--force"]
        assert build_main([*argv, "-o", str(folder / "out")]) == 0
    total = time.perf_counter() - started
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number, (html, sheets, css) in enumerate(tally.written, start=1):
        links = "".join(f'<link rel="stylesheet" href="css/{name}">' for name in sheets)
        style = f"<style>{css}</style>" if css else ""
        path = folder / f"{number:03d}.html"
        path.write_text(html.replace("<head>", f"<head>{links}{style}", 1), "utf-8")
        names.append(str(path))
    parts = [f"{part} {seconds:.2f}" for part, seconds in tally.seconds.items()]
    rest = total - sum(tally.seconds.values())
    where = (
        f"in one process, WeasyPrint and the package loaded: {total:.2f} s = "
        f"{', '.join(parts)} ({tally.measuring} layouts), the rest (load, derive, HTML, "
        f"manifest) {rest:.2f}"
    )
    return names, where


def main() -> None:
    """Measure and print both ratios."""
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=5)
    rounds = options.parse_args().rounds
    start_rendering()  # the theme's fonts only, here and in the processes started
    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
    work = Path(tempfile.mkdtemp(prefix="handouts-overhead-"))
    try:
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        cases = {
            "seed lesson: handout, slides, table": ([str(content / SEED)], THREE),
            "samples: every output": ([str(content)], outputs.names()),
        }
        commands = {}
        for number, (label, (paths, kinds)) in enumerate(cases.items()):
            html, where = final_html(paths, kinds, work / f"html-{number}")
            print(f"{label}: {where}")
            ours = [PYTHON, "build.py", *paths, "--only", ",".join(kinds), "-q", "-j", "1"]
            ours += ["--force", "-o", str(work / f"out-{number}")]
            raw = [PYTHON, "-W", "ignore", "-c", RAW, str(BUILTIN_THEME), *html]
            commands[label] = (ours, raw, len(html))
        times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in commands}
        for _ in range(rounds):
            for label, (ours, raw, _) in commands.items():
                times[label][0].append(timed(ours))
                times[label][1].append(timed(raw))
        for label, (ours_times, raw_times) in times.items():
            ours_s, raw_s = median(ours_times), median(raw_times)
            documents = commands[label][2]
            print(
                f"{label} ({documents} documents written): cold build / raw WeasyPrint "
                f"{ours_s / raw_s:.2f} ({ours_s:.2f} s / {raw_s:.2f} s)"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}; medians of {rounds} rounds")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
