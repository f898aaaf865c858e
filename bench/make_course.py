"""Generate a course of N lessons from the samples, for benchmarks.

Run: .venv/bin/python bench/make_course.py N FOLDER
Each lesson is a sample lesson with its wording varied, so no two files are the same.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "content"


LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "tr", "ar", "he")


def make_course(count: int, folder: Path, languages: tuple[str, ...] = ("en",)) -> list[Path]:
    """Write `count` lesson files and the course file into `folder`; return the lessons,
    which take `languages` in turn (the words stay the samples' own)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTENT / "course.yaml", folder / "course.yaml")
    shutil.copytree(CONTENT / "images", folder / "images", dirs_exist_ok=True)
    samples = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "course.yaml")
    lessons = []
    for number in range(count):
        sample = samples[number % len(samples)]
        text = sample.read_text("utf-8").replace("\ntitle: ", f"\ntitle: Unit {number + 1}, ", 1)
        text += f"language: {languages[number % len(languages)]}\n"
        path = folder / f"unit-{number + 1:03d}-{sample.stem}.yaml"
        path.write_text(text, "utf-8")
        lessons.append(path)
    return lessons


if __name__ == "__main__":
    made = make_course(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(made)} lessons in {sys.argv[2]}")
