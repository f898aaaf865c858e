"""How fast regenerating is, as ratios to raw WeasyPrint measured side by side in one run.

Run: .venv/bin/python bench/regenerate.py [--rounds 3] [--course-rounds 1] [--lessons 50]

1. cold full build of the samples / raw WeasyPrint rendering the same HTML in one process
2. no-op rebuild / one cold raw WeasyPrint render (the sample handout)
3. watch mode, edit -> PDFs written / a warm raw render of the PDFs the edit touches
4. a generated course: sequential build / raw in one process; --jobs 2 speed-up over
   --jobs 1 (beside the machine's own speed-up for pure CPU work); peak memory of the
   whole process tree.
Rounds interleave the commands; medians are printed. The machine is shared: the load
average is printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

from make_course import make_course
from samples import ROOT, documents
from watcher import Watcher

from handouts.render.pdf import PDF_OPTIONS, start_rendering
from handouts.render.theme import BUILTIN_THEME

PYTHON = sys.executable
# The outputs raw WeasyPrint can make on its own, one HTML file each, compared like for like
# (the slides are fitted from several layouts, the notes compose two renders, the table and
# the worksheet may render more than once to fit their page).
COMPARED = ("handout", "worksheet", "answers")
ONLY = ["--only", ",".join(COMPARED)]
RAW = (  # what a script calling WeasyPrint directly would do, with the same PDF options
    "import sys\nfrom weasyprint import HTML\n"
    "for name in sys.argv[2:]:\n"
    "    HTML(filename=name, base_url=sys.argv[1])"
    f".write_pdf(name + '.pdf', **{dict(PDF_OPTIONS)})\n"
)


ONE_LINE = "from weasyprint import HTML; HTML(string='<p>Hello</p>').write_pdf()"


def dump_html(content: Path, folder: Path) -> list[str]:
    """The HTML of every output of every lesson, as files for raw WeasyPrint (which reads
    the stylesheets through <link> tags, once per document, as a direct script would)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for document in documents(content, COMPARED):
        path = folder / f"{document.name}.html"
        links = "".join(
            f'<link rel="stylesheet" href="css/{name}">' for name in document.stylesheets
        )
        path.write_text(document.html.replace("<head>", "<head>" + links, 1), "utf-8")
        names.append(str(path))
    return names


def peak_tree_memory(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; return its wall time and the peak resident memory (MiB) of its tree."""

    def tree_rss(root: int) -> int:
        total, pending = 0, [root]
        while pending:
            pid = pending.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            total += next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
                0,
            )
            pending += [int(child) for child in children]
        return total

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, peak / 1024


def python_start() -> float:
    """The median wall time of the system's `python3 -c pass`: a floor under any command."""
    return median([timed([shutil.which("python3") or "python3", "-c", "pass"]) for _ in range(5)])


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a command."""
    return peak_tree_memory(command, env)[0]


def warm_raw(names: list[str]) -> Callable[[], float]:
    """A timer for rendering `names` with WeasyPrint in this process, after a warm-up."""
    from weasyprint import HTML

    def render_all() -> float:
        started = time.perf_counter()
        for name in names:
            HTML(filename=name, base_url=str(BUILTIN_THEME)).write_pdf(**dict(PDF_OPTIONS))
        return time.perf_counter() - started

    render_all()
    return render_all


def burn(_: int) -> float:
    """Pure-Python CPU work, to see how much two processes can run at once here."""
    started = time.perf_counter()
    total = 0
    for number in range(6_000_000):
        total += number * number
    return time.perf_counter() - started


def machine_parallelism() -> float:
    """Speed-up of two processes over one on pure CPU work: what --jobs 2 can hope for."""
    one = burn(0) + burn(0)
    started = time.perf_counter()
    with Pool(2) as pool:
        pool.map(burn, [0, 1])
    return one / (time.perf_counter() - started)


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def main() -> None:
    """Measure and print every ratio."""
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--course-rounds", type=int, default=1)
    options.add_argument("--lessons", type=int, default=50)
    args = options.parse_args()
    # Raw WeasyPrint, here and in the processes started, sees the fonts ours does: the
    # theme's only (the one-line render, which has no fonts of its own, sees the machine's).
    machine_fonts = dict(os.environ)
    start_rendering()
    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    try:
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        samples = dump_html(content, work / "html")
        handout = [
            name for name in samples if name.endswith("production-vs-operations-handout.html")
        ]
        build = [PYTHON, "build.py", str(content), *ONLY, "-q", "-j", "1", "-o", str(work / "out")]
        raw = [PYTHON, "-c", RAW, str(BUILTIN_THEME)]
        # The README's command: the system's python3, which finds .venv by itself.
        system_build = [shutil.which("python3") or "python3", *build[1:]]
        kinds = ("cold", "raw", "noop", "raw1", "noop3", "line")
        times: dict[str, list[float]] = {key: [] for key in kinds}
        for _ in range(args.rounds):
            times["cold"].append(timed([*build, "--force"]))
            times["raw"].append(timed([*raw, *samples]))
            times["noop"].append(timed(build))
            times["raw1"].append(timed([*raw, *handout]))
            times["noop3"].append(timed(system_build))
            times["line"].append(timed([PYTHON, "-c", ONE_LINE], machine_fonts))
        watch = Watcher(ROOT, content, work / "watched", ONLY)
        touched = [
            name
            for name in samples
            if "production-vs-operations-" in name and not name.endswith("table.html")
        ]
        raw_warm = warm_raw(touched)
        edits, warm = [], []
        for _ in range(args.rounds + 2):
            edits.append(watch.edit())
            warm.append(raw_warm())
        watch.close()

        course = work / "course"
        make_course(args.lessons, course)
        pages = dump_html(course, work / "course-html")
        course_build = [
            PYTHON,
            "build.py",
            str(course),
            *ONLY,
            "-q",
            "--force",
            "-o",
            str(work / "cout"),
        ]
        runs: dict[str, list[float]] = {"j1": [], "j2": [], "raw": []}
        memory: dict[str, float] = {"j1": 0.0, "j2": 0.0}
        for _ in range(args.course_rounds):
            for key, command in (
                ("j1", [*course_build, "-j", "1"]),
                ("raw", [*raw, *pages]),
                ("j2", [*course_build, "-j", "2"]),
            ):
                seconds, peak = peak_tree_memory(command)
                runs[key].append(seconds)
                memory[key] = max(memory.get(key, 0.0), peak)
        parallel = machine_parallelism()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def line(label: str, ratio: float, target: str, detail: str) -> None:
        print(f"{label:<58} {ratio:5.2f}  (target {target})  {detail}")

    cold, raw_all = median(times["cold"]), median(times["raw"])
    line(
        "1. cold full build / raw WeasyPrint, same HTML",
        cold / raw_all,
        "<= 1.10",
        f"{cold:.2f} s / {raw_all:.2f} s, {len(samples)} PDFs",
    )
    noop, raw_one = median(times["noop"]), median(times["raw1"])
    line(
        "2. no-op rebuild / one cold raw render",
        noop / raw_one,
        "<= 0.25",
        f"{noop:.2f} s / {raw_one:.2f} s",
    )
    noop3, line_raw = median(times["noop3"]), median(times["line"])
    line(
        "   `python3 build.py` no-op / cold raw render of one line",
        noop3 / line_raw,
        "<= 0.25",
        f"{noop3:.2f} s / {line_raw:.2f} s (python3 alone starts in {python_start():.2f} s)",
    )
    edit, warm_one = median(edits[2:]), median(warm[2:])
    line(
        "3. watch: edit -> PDFs written / warm raw render",
        edit / warm_one,
        "<= 1.3",
        f"{edit:.2f} s / {warm_one:.2f} s, {len(touched)} PDFs",
    )
    j1, j2, raw_course = median(runs["j1"]), median(runs["j2"]), median(runs["raw"])
    line(
        f"4. course of {args.lessons}: sequential build / raw",
        j1 / raw_course,
        "<= 1.10",
        f"{j1:.1f} s / {raw_course:.1f} s, {len(pages)} PDFs",
    )
    line(
        "   --jobs 2 speed-up over --jobs 1",
        j1 / j2,
        ">= 1.6",
        f"{j1:.1f} s / {j2:.1f} s; this machine runs pure CPU work {parallel:.2f}x "
        "faster on 2 processes",
    )
    print(
        f"   peak memory of the process tree: --jobs 1 {memory['j1']:.0f} MiB, "
        f"--jobs 2 {memory['j2']:.0f} MiB"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        f"rounds: {args.rounds} (samples, watch: {args.rounds} after 2 warm-up edits), "
        f"{args.course_rounds} (course)"
    )


if __name__ == "__main__":
    main()
