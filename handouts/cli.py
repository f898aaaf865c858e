"""The command line: the only part that talks to the user, prints and picks exit codes."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from .errors import ContentError
from .formats import OUTPUTS, PAPERS, SLIDES_PER_PAGE, TEMPLATES_DIR
from .model import Lesson
from .pipeline import (
    BuildOptions,
    Failed,
    Refused,
    TemplateProblem,
    UpToDate,
    Written,
    build,
    forget_templates,
    load,
)
from .schema import lesson_schema
from .yaml_source import MAX_BYTES

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_WRITE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

MAX_SHOWN = 25
EXAMPLES = """\
examples:
  python3 build.py                              build every lesson in content/
  python3 build.py content/production-vs-operations.yaml
  python3 build.py --only handout,table         only handouts and comparison tables
  python3 build.py --only notes --slides-per-page 6
  python3 build.py --paper letter               US Letter instead of A4
  python3 build.py --check                      look for mistakes only (fast)
  python3 build.py --watch                      rebuild as you save, until Ctrl-C
  python3 build.py --schema > content/lesson.schema.json
"""


def _outputs(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in OUTPUTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown output {', '.join(map(repr, unknown)) or repr(value)}; "
            f"choose from {', '.join(OUTPUTS)}"
        )
    return chosen


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with examples in its help."""
    cli = argparse.ArgumentParser(
        prog="build.py",
        description="Turn lessons written in YAML into print-ready PDFs: a handout, a slide "
        "deck, the slides with space for notes, a comparison table, a worksheet and its "
        "answer key per lesson.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cli.add_argument(
        "paths", nargs="*", type=Path, help="lesson files or folders (default: content/)"
    )
    cli.add_argument(
        "--only",
        type=_outputs,
        default=OUTPUTS,
        metavar="LIST",
        help=f"outputs to build, comma-separated from: {', '.join(OUTPUTS)} (default: all)",
    )
    cli.add_argument(
        "--paper",
        type=str.lower,
        choices=sorted(PAPERS),
        default="a4",
        help="paper size of the handout and the table (default: a4)",
    )
    cli.add_argument(
        "--slides-per-page",
        type=int,
        choices=SLIDES_PER_PAGE,
        default=SLIDES_PER_PAGE[0],
        help="slides on each page of the notes handout: 3 with lines for notes, or 6 (default: 3)",
    )
    cli.add_argument(
        "-o", "--output-dir", type=Path, default=Path("output"), help="default: output/"
    )
    cli.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        metavar="N",
        help=f"largest lesson file accepted (default: {MAX_BYTES:,})",
    )
    cli.add_argument(
        "--check", action="store_true", help="only check the lessons for mistakes; build nothing"
    )
    cli.add_argument(
        "--watch", action="store_true", help="rebuild what each saved change affects, until Ctrl-C"
    )
    cli.add_argument(
        "--force", action="store_true", help="rebuild every PDF, even those up to date"
    )
    cli.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="PDFs to render at once (default: one per CPU when there are several)",
    )
    cli.add_argument(
        "--schema",
        action="store_true",
        help="print the JSON Schema of a lesson file (for editors) and exit",
    )
    volume = cli.add_mutually_exclusive_group()
    volume.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    volume.add_argument("-v", "--verbose", action="store_true", help="print warnings too")
    return cli


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def report(errors: list[ContentError], stream: TextIO) -> None:
    """Print the content errors, each with its line and a caret, in file order.

    At most MAX_SHOWN per file: past that, more would bury the first ones.
    """
    by_file: dict[Path, list[ContentError]] = {}
    for error in errors:
        by_file.setdefault(error.where.path, []).append(error)
    for path, found in by_file.items():
        lines = _lines(path)
        found.sort(key=lambda error: (error.where.line, error.where.column))
        for error in found[:MAX_SHOWN]:
            line = error.where.line
            print(error.report(lines[line - 1] if 0 < line <= len(lines) else None), file=stream)
        if len(found) > MAX_SHOWN:
            print(f"{path}: {len(found) - MAX_SHOWN} more error(s) not shown", file=stream)
    files = len(by_file)
    print(
        f"{len(errors)} error(s) in {files} file(s): not built, "
        "their earlier PDFs are left as they were",
        file=stream,
    )


def _say_written(written: Written, args: argparse.Namespace, out: TextIO) -> None:
    job, pdf = written.job, written.pdf
    if not args.quiet:
        state = "" if written.changed else "  (unchanged)"
        pages = f"{pdf.pages} page{'s' * (pdf.pages != 1)}"
        print(f"{job.path}  {pages}  {pdf.seconds:.2f} s{state}", file=out)
    if args.verbose:
        for warning in pdf.warnings:
            print(f"{job.path}: warning: {warning}", file=out)


def _build(
    lessons: list[Lesson], options: BuildOptions, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """Bring the PDFs of the lessons up to date; returns the exit code."""
    started = time.perf_counter()
    written = up_to_date = failed = 0
    refused: list[ContentError] = []
    try:
        for event in build(lessons, options):
            if isinstance(event, Written):
                written += 1
                _say_written(event, args, out)
            elif isinstance(event, UpToDate):
                up_to_date = event.count
            elif isinstance(event, Refused):
                refused.extend(event.problems)
            elif isinstance(event, Failed):
                failed += 1
                print(
                    f"{event.job.lesson.source}: error: could not make {event.job.path}: "
                    f"{event.reason} (a bug in handouts: please report it)",
                    file=err,
                )
            elif not args.quiet:
                print(f"removed {event.path}: {event.reason}", file=out)
    except OSError as error:
        print(f"build.py: error: cannot write {error.filename}: {error.strerror}", file=err)
        return EXIT_WRITE
    except TemplateProblem as problem:
        report([problem], err)
        return EXIT_CONTENT
    if not args.quiet and (written or up_to_date):
        elapsed = time.perf_counter() - started
        done = f"{written} PDF(s) written, " if written else ""
        print(f"{done}{up_to_date} up to date, in {elapsed:.1f} s", file=out)
    if refused:
        report(refused, err)
    return EXIT_CONTENT if failed or refused else EXIT_OK


def _build_once(
    paths: list[Path], options: BuildOptions, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """Load, report mistakes, then check or build; returns the exit code."""
    loaded = load(paths, options)
    if loaded.errors:
        report(loaded.errors, err)
    elif not loaded.lessons:
        print(f"build.py: error: no lessons (*.yaml) in {', '.join(map(str, paths))}", file=err)
        return EXIT_USAGE
    if args.check:
        if not args.quiet:
            print(f"{loaded.checked} lesson(s) checked, {len(loaded.errors)} error(s)", file=out)
        return EXIT_CONTENT if loaded.errors else EXIT_OK
    code = _build(loaded.lessons, options, args, out, err)
    return code or (EXIT_CONTENT if loaded.errors else EXIT_OK)


def _watch(
    paths: list[Path], options: BuildOptions, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """Build, then rebuild what each save affects, until Ctrl-C."""
    from . import render_pdf  # noqa: F401  (imported once, so the first rebuild is fast too)
    from .watch import changes

    options = replace(options, jobs=1)  # WeasyPrint stays loaded in this process
    _build_once(paths, options, args, out, err)
    folders = sorted({p if p.is_dir() else p.parent for p in paths} | {TEMPLATES_DIR})
    for changed in changes(folders):
        if changed:
            print(f"changed: {', '.join(map(str, changed))}", file=out)
            if any(path.resolve().is_relative_to(TEMPLATES_DIR) for path in changed):
                forget_templates()
            _build_once(paths, options, args, out, err)
        else:
            watched = ", ".join(map(str, folders))
            print(f"watching {watched} for changes (Ctrl-C to stop)", file=out)
        out.flush()
    print("stopped watching", file=out)
    return EXIT_OK


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command; returns the exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    if args.schema:
        print(json.dumps(lesson_schema(), indent=2), file=out)
        return EXIT_OK
    paths = args.paths or [Path("content")]
    missing = [path for path in paths if not path.exists()]
    if missing:
        print(f"build.py: error: no such file or folder: {missing[0]}", file=err)
        return EXIT_USAGE
    options = BuildOptions(
        args.only,
        PAPERS[args.paper],
        args.output_dir,
        args.max_bytes,
        args.force,
        args.jobs,
        args.slides_per_page,
    )
    try:
        if args.watch:
            return _watch(paths, options, args, out, err)
        return _build_once(paths, options, args, out, err)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
        print("build.py: interrupted; every PDF in the output folder is whole", file=err)
        return EXIT_INTERRUPTED
