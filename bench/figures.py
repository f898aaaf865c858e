"""What pictures and formulas cost: a lesson with 10 figures and 20 formulas against the same
lesson without them, both cold-built side by side, and a no-op rebuild of the first.

Run: ../.venv/bin/python figures.py [--rounds N]
Rounds alternate the two lessons (the machine is shared: each figure is a median). The
no-op rebuild must not import WeasyPrint: it says whether it did.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = 10
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 240">
<rect x="10" y="10" width="380" height="220" rx="12" fill="#eef3f8" stroke="#1f4e79"/>
<circle cx="200" cy="120" r="{r}" fill="#1f4e79"/></svg>
"""


def _section(number: int, pictures: bool) -> str:
    """A section of text; with `pictures`, a figure and two formulas in it."""
    formula = f"$x_{number}^2 + y^2 = r^2$" if pictures else "x squared plus y squared"
    lines = [
        f"  - title: Section {number}",
        "    text: |",
        f"      Each section says one thing, with {formula} in its first sentence. "
        "A second sentence explains it in a few more words.",
        "",
    ]
    if pictures:
        kind = "svg" if number % 2 else "png"
        lines += [
            "      $$",
            f"      \\frac{{a_{number}}}{{b}} = \\sqrt{{c}}",
            "      $$",
            "",
            f'      ![A circle in a box, number {number}](pictures/p{number}.{kind} "Picture")',
        ]
    return "\n".join(lines) + "\n"


def _lesson(folder: Path, pictures: bool) -> Path:
    """A lesson of SECTIONS sections, with or without its pictures and formulas."""
    folder.mkdir(parents=True)
    (folder / "pictures").mkdir()
    for number in range(SECTIONS):
        if number % 2:
            (folder / "pictures" / f"p{number}.svg").write_text(SVG.format(r=20 + 8 * number))
        else:
            image = Image.new("RGB", (800, 480), (230, 236, 244))
            image.paste((31, 78, 121), (300, 140, 500, 340))
            image.save(folder / "pictures" / f"p{number}.png")
    body = "".join(_section(number, pictures) for number in range(SECTIONS))
    text = (
        "title: Pictures bench\ncourse: Bench\nauthor: Bench\n"
        "introduction: |\n  A lesson to time.\n"
        f"sections:\n{body}conclusion: Done.\n"
    )
    path = folder / "bench.yaml"
    path.write_text(text, "utf-8")
    return path


def _seconds(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "-q"], check=True, cwd=ROOT)
    return time.perf_counter() - started


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        lessons = {name: _lesson(folder / name, name == "with") for name in ("with", "without")}
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(rounds):
            for name, lesson in lessons.items():
                output = folder / f"out-{name}"
                shutil.rmtree(output, ignore_errors=True)
                times[name].append(_seconds(str(lesson), "-o", str(output), "--force"))
        probe = (
            "import sys; from handouts.cli import main; "
            f"code = main([{str(lessons['with'])!r}, '-q', '-o', {str(folder / 'out-with')!r}]);"
            " print(code, 'weasyprint' in sys.modules)"
        )
        started = time.perf_counter()
        ran = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        )
        no_op = time.perf_counter() - started
    with_, without = (statistics.median(times[name]) for name in ("with", "without"))
    print(f"cold build, {SECTIONS} figures and {2 * SECTIONS} formulas: {with_:.2f} s")
    print(f"cold build, the same lesson without them: {without:.2f} s")
    print(f"ratio (median of {rounds} interleaved rounds): {with_ / without:.2f}")
    imported = ran.stdout.split()[-1] == "True"
    print(f"no-op rebuild: {no_op:.2f} s, WeasyPrint imported: {'yes' if imported else 'no'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    main(parser.parse_args().rounds)
