"""The command line: the only part that talks to the user, prints and picks exit codes.

Verbs, as MkDocs and Typst have them: `build` (the default), `check`, `watch`, `serve`,
`reprint`, `merge`, `grade`, `schema` and `new`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from . import __version__, atomic_write, outputs
from .builtin import builtin_theme_names
from .errors import ContentError, Crash
from .lesson.files import MAX_BYTES, is_readable_lesson_file
from .lesson.model import MOST_VERSIONS, Loaded
from .make.cluster import Unreachable, scheduler_address
from .make.events import Failed, Indexed, Kept, Note, Refused, UpToDate, Written
from .make.manifest import MANIFEST_NAME, unusable
from .make.pipeline import ToBuild, build, load, load_changed
from .make.printed_record import PRINTED_NAME
from .make.reprint import REPRINT_NAME
from .make.shards import Shard
from .outputs.kind import PAPERS, SLIDES_PER_PAGE
from .project import CONTENT, OUTPUT, BuildOptions, Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_WRITE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_TERMINATED = 143  # stopped by SIGTERM (128 + 15, as a shell counts it)
VERBS = ("build", "check", "watch", "serve", "reprint", "merge", "grade", "schema", "new")
HELP = ("-h", "--help", "help", "--version")
CRASH_REPORT = "crash-report.txt"  # in the user's state folder, when a bug of ours shows
MOST_BYTES = 1_000_000_000  # the largest --max-bytes: a lesson of a gigabyte is no lesson
MOST_JOBS = 256  # the most PDFs rendered at once
MOST_COPIES = 1000  # the most copies in a class set
DEFAULT_PORT = 8765  # of `serve`: one a bookmark can keep, and few other programs use
REMOVE_AFTER_S = 5.0  # watch mode removes the PDFs of a lesson gone for this long
START_METHODS = ("fork", "spawn", "forkserver")
LOCAL = "local"  # --executor: worker processes of this machine
REMOVE_AFTER_ENV = "HANDOUTS_REMOVE_AFTER_S"  # another wait, in seconds (the tests shorten it)


def _remove_after() -> float:
    """How long watch mode keeps the PDFs of a lesson gone: REMOVE_AFTER_S, unless the
    environment variable REMOVE_AFTER_ENV gives another number of seconds."""
    try:
        return float(os.environ[REMOVE_AFTER_ENV])
    except (KeyError, ValueError):
        return REMOVE_AFTER_S


MAX_SHOWN = 25
EXAMPLES = """\
examples:
  {prog}                                   build every lesson in content/
  {prog} build content/production-vs-operations.yaml
  {prog} build --only handout,table        only handouts and comparison tables
  {prog} build --only notes --slides-per-page 6
  {prog} build --paper letter              US Letter instead of A4
  {prog} build --duplex --copies 30        class sets of 30, to print on both sides
  {prog} check                             look for mistakes only (fast)
  {prog} watch                             rebuild as you save, until Ctrl-C
  {prog} serve                             the same, shown in a browser that reloads
  {prog} reprint --mark                    after printing: record the PDFs as printed
  {prog} reprint                           after a correction: the pages to print again
  {prog} build --shard 2/4 -o shard-2       one machine's share of four
  {prog} merge shard-* -o output           the shards' folders made into one
  {prog} grade scans.pdf --lesson content/x.yaml   grade answer sheets (--answer-sheet)
  {prog} new "Photosynthesis"              start content/photosynthesis.yaml
  {prog} schema > content/lesson.schema.json
  {prog} -C ~/courses/biology build       build the project in that folder, from anywhere
"""


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit code 2)."""


def _outputs(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in outputs.names()]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown output {', '.join(map(repr, unknown)) or repr(value)}; "
            f"choose from {', '.join(outputs.names())}"
        )
    return chosen


def _folder(value: str) -> Path:
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty name is no folder: give one, e.g. -o output")
    return Path(value)


def _whole_number(most: int, least: int = 1) -> Callable[[str], int]:
    """An option's type: a whole number from `least` to `most`."""

    def whole_number(value: str) -> int:
        digits = value.isascii() and value.isdigit() and len(value) <= len(str(most))
        if not digits or not least <= int(value) <= most:
            shown = value if len(value) <= 30 else f"{value[:27]}..."
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {least} to {most:,}, not {shown!r}"
            )
        return int(value)

    return whole_number


def _shard(value: str) -> Shard:
    """--shard's type: `i/n`."""
    try:
        return Shard.parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _project_option(command: argparse.ArgumentParser, default: object) -> None:
    """-C DIR: the project folder, as `git -C` and `make -C` take theirs."""
    command.add_argument(
        "-C",
        "--project",
        type=_folder,
        default=default,
        metavar="DIR",
        help="the project folder: lessons, theme/ and output/ are taken relative to it "
        "(default: the current folder)",
    )


def _lessons_options(command: argparse.ArgumentParser) -> None:
    """What every verb that reads lessons takes: the project, the lessons, their size
    limit, the volume."""
    _project_option(command, argparse.SUPPRESS)
    command.add_argument(
        "paths", nargs="*", type=Path, help="lesson files or folders (default: content/)"
    )
    command.add_argument(
        "--max-bytes",
        type=_whole_number(MOST_BYTES),
        default=MAX_BYTES,
        metavar="N",
        help=f"largest lesson file accepted (default: {MAX_BYTES:,})",
    )
    volume = command.add_mutually_exclusive_group()
    volume.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    volume.add_argument(
        "-v", "--verbose", action="store_true", help="print WeasyPrint's warnings too"
    )


def _output_option(command: argparse.ArgumentParser, what: str) -> None:
    """-o FOLDER: where the PDFs are (`what`: the folder the PDFs go to, or are in)."""
    command.add_argument(
        "-o",
        "--output-dir",
        type=_folder,
        default=Path(OUTPUT),
        metavar="FOLDER",
        help=f"{what} (default: output/)",
    )


def _reprint_options(command: argparse.ArgumentParser) -> None:
    """What `reprint` takes: which PDFs, compared with what, where."""
    _project_option(command, argparse.SUPPRESS)
    command.add_argument(
        "pdfs",
        nargs="*",
        type=Path,
        metavar="PDF",
        help="PDFs of the output folder (default: those marked as printed; with --mark: "
        "those marked already, or every PDF of the last build when none is)",
    )
    record = command.add_mutually_exclusive_group()
    record.add_argument(
        "--mark",
        action="store_true",
        help=f"record the PDFs as printed, as they are now (in output/{PRINTED_NAME}); "
        f"write no {REPRINT_NAME}",
    )
    record.add_argument(
        "--since",
        type=Path,
        metavar="MANIFEST",
        help=f"compare with the PDFs as an earlier build's manifest recorded them (a copy "
        f"of output/{MANIFEST_NAME} kept when they were printed), not with those marked",
    )
    _output_option(command, "the folder the PDFs are in")
    command.add_argument("-q", "--quiet", action="store_true", help="print errors only")


def _build_options(command: argparse.ArgumentParser) -> None:
    """What `build` and `watch` take: which outputs, on what paper, where."""
    names = outputs.names()
    command.add_argument(
        "--only",
        type=_outputs,
        default=names,
        metavar="LIST",
        help=f"outputs to build, comma-separated from: {', '.join(names)} (default: all)",
    )
    command.add_argument(
        "--paper",
        type=str.lower,
        choices=sorted(PAPERS),
        default="a4",
        help="paper size of everything but the slides (default: a4)",
    )
    command.add_argument(
        "--slides-per-page",
        type=int,
        choices=sorted(SLIDES_PER_PAGE),
        help=f"slides on each page of the notes (default: {SLIDES_PER_PAGE[0]}), with ruled "
        "lines for notes beside them at 3, below them at 1, 4 and 6",
    )
    command.add_argument(
        "--theme",
        choices=builtin_theme_names(),
        help="print every lesson in this built-in theme, whatever course.yaml names "
        "(the project's theme/ folder still comes first); 'print-saver' puts down little "
        "toner on black-and-white copiers",
    )
    command.add_argument(
        "--speaker-notes",
        action="store_true",
        help="put each slide's 'notes:' into the slide deck as PDF comments (not printed)",
    )
    command.add_argument(
        "--versions",
        type=_whole_number(MOST_VERSIONS),
        default=0,
        metavar="N",
        help="versions of each quiz, A, B, ..., each with its questions and choices in an "
        "order of its own and its own key (default: the lesson's 'quiz: versions:', else 1)",
    )
    command.add_argument(
        "--answer-sheet",
        action="store_true",
        help="also an answer sheet for each quiz version, <lesson>-answer-sheet[-A].pdf, and "
        "its key: the sheets filled in are graded from a scan ('grade')",
    )
    command.add_argument(
        "--duplex",
        action="store_true",
        help="for printing on both sides: pad every paper output with a blank page to an even "
        "page count, so each copy starts on a sheet of its own (not the slides: they are shown "
        "on a screen)",
    )
    command.add_argument(
        "--copies",
        type=_whole_number(MOST_COPIES),
        default=0,
        metavar="N",
        help="with --duplex: also a class set of each paper output, N copies of it one after "
        "the other in one PDF to print, <lesson>-<output>-class-set.pdf",
    )
    command.add_argument(
        "--booklet",
        action="store_true",
        help="also the handout as a booklet to fold, <lesson>-handout-booklet.pdf: A5 pages "
        "two a side on A4 landscape (half-letter on Letter), printed on both sides, flipped "
        "on the short edge",
    )
    _output_option(command, "the folder the PDFs go to")
    command.add_argument(
        "--force", action="store_true", help="rebuild every PDF, even those up to date"
    )
    command.add_argument(
        "--start-method",
        choices=START_METHODS,  # those this platform lacks are refused in _options
        help="how worker processes start (default: the platform's own way)",
    )


def parser(prog: str = "handouts") -> argparse.ArgumentParser:
    """The argument parser, its verbs and their options, with examples in its help."""
    cli = argparse.ArgumentParser(
        prog=prog,
        usage="%(prog)s [VERB] [lesson.yaml or folder ...] [options]",
        description="Turn lessons written in YAML into print-ready PDFs: a handout, a slide\n"
        "deck, the slides with space for notes, a comparison table, a worksheet and its\n"
        "answer key per lesson. Without a verb, it builds; '%(prog)s VERB --help' shows\n"
        "the options of a verb.",
        epilog=EXAMPLES.format(prog=f"{prog:<7}"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cli.add_argument("--version", action="version", version=f"handouts {__version__}")
    _project_option(cli, Path())
    verbs = cli.add_subparsers(title="verbs", dest="verb", metavar="VERB")
    make = verbs.add_parser("build", help="bring the PDFs of the lessons up to date (default)")
    _lessons_options(make)
    _build_options(make)
    make.add_argument(
        "-j",
        "--jobs",
        type=_whole_number(MOST_JOBS),
        metavar="N",
        help="PDFs to render at once (default: as many as the machine has CPUs)",
    )
    make.add_argument(
        "--executor",
        default=LOCAL,
        metavar="WHERE",
        help="where the PDFs are rendered: 'local' (default: worker processes of this "
        "machine) or dask://HOST:PORT, the scheduler of a Dask cluster (needs "
        "pip install 'handouts[dask]')",
    )
    make.add_argument(
        "--shard",
        type=_shard,
        metavar="I/N",
        help="build only shard I of N, one machine's share (a CI matrix's), into the output "
        "folder; then 'merge' the N folders (no index.html is written here)",
    )
    check = verbs.add_parser("check", help="look for mistakes in the lessons; build nothing")
    _lessons_options(check)
    watch = verbs.add_parser("watch", help="build, then rebuild what each save affects")
    _lessons_options(watch)
    _build_options(watch)
    watch.add_argument(
        "-j", "--jobs", type=_whole_number(MOST_JOBS), metavar="N", help=argparse.SUPPRESS
    )
    serve = verbs.add_parser(
        "serve", help="watch, and show the PDFs in a browser that reloads them as you save"
    )
    _lessons_options(serve)
    _build_options(serve)
    serve.add_argument(
        "--port",
        type=_whole_number(65535, least=0),
        default=DEFAULT_PORT,
        help=f"the port on 127.0.0.1 to serve on (default: {DEFAULT_PORT}; 0: any free one)",
    )
    serve.add_argument(
        "-j", "--jobs", type=_whole_number(MOST_JOBS), metavar="N", help=argparse.SUPPRESS
    )
    reprint = verbs.add_parser(
        "reprint",
        help=f"put the pages changed since the PDFs were printed into output/{REPRINT_NAME}",
    )
    _reprint_options(reprint)
    merge = verbs.add_parser(
        "merge", help="make the output folders of a build's shards (--shard) into one"
    )
    _project_option(merge, argparse.SUPPRESS)
    merge.add_argument(
        "shards",
        nargs="+",
        type=_folder,
        metavar="SHARD_DIR",
        help="the output folder of every shard of the build",
    )
    _output_option(merge, "the folder the merged PDFs and index page go to")
    merge.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    grade = verbs.add_parser(
        "grade", help="grade a PDF of scanned answer sheets: grades.csv and graded.pdf"
    )
    _project_option(grade, argparse.SUPPRESS)
    grade.add_argument("scans", type=Path, help="the PDF of the scanned sheets, in any order")
    grade.add_argument(
        "--lesson",
        type=Path,
        required=True,
        help="the lesson whose quiz the sheets answer (every version of it)",
    )
    _output_option(grade, "the folder grades.csv and graded.pdf go to")
    grade.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbs.add_parser("schema", help="print the JSON Schema of a lesson file (for editors)")
    new = verbs.add_parser("new", help="start a new lesson file, with comments to guide you")
    new.add_argument("title", help="the lesson's title")
    _project_option(new, argparse.SUPPRESS)
    new.add_argument(
        "--folder",
        type=Path,
        default=Path(CONTENT),
        help="the folder the new lesson goes in (default: content/)",
    )
    new.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return cli


def _with_verb(argv: list[str]) -> list[str]:
    """`build.py [options]` with no verb builds, as it always has (a leading `-C DIR`
    stays in front)."""
    if len(argv) >= 2 and argv[0] in ("-C", "--project"):
        return [*argv[:2], *_with_verb(argv[2:])]
    if argv and argv[0].startswith(("-C", "--project=")):  # -CDIR, --project=DIR
        return [argv[0], *_with_verb(argv[1:])]
    if argv and argv[0] == "help":
        return ["--help", *argv[1:]]
    if argv and (argv[0] in VERBS or argv[0] in HELP):
        return argv
    return ["build", *argv]


def _lines(path: Path, root: Path) -> list[str]:
    """The lines of a file a message is about, to quote (none of a file not to be read)."""
    if not is_readable_lesson_file(path, root):
        return []
    try:
        return path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def report(errors: list[ContentError], stream: TextIO, root: Path, building: bool = True) -> None:
    """Print the content errors, each with its line and a caret, in file order, then what
    became of them (when `building`: not built, earlier PDFs kept).

    At most MAX_SHOWN per file: past that, more would bury the first ones.
    """
    by_file: dict[Path, list[ContentError]] = {}
    for error in errors:
        by_file.setdefault(error.where.path, []).append(error)
    for path, found in by_file.items():
        lines = _lines(path, root)
        found.sort(key=lambda error: (error.where.line, error.where.column))
        for error in found[:MAX_SHOWN]:
            line = error.where.line
            print(error.report(lines[line - 1] if 0 < line <= len(lines) else None), file=stream)
        if len(found) > MAX_SHOWN:
            print(f"{path}: {len(found) - MAX_SHOWN} more error(s) not shown", file=stream)
    outcome = ": not built, their earlier PDFs are left as they were" if building else ""
    print(f"{len(errors)} error(s) in {len(by_file)} file(s){outcome}", file=stream)


class Session:
    """One run of the command: its options, where it prints, and its name in messages."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO, prog: str) -> None:
        self.args, self.out, self.err, self.prog = args, out, err, prog
        self.root: Path = args.project.resolve()  # the project folder
        self.crashes: list[str] = []
        self.kept = 0  # PDFs of lessons gone that the last build kept for now (watch mode)

    def say(self, text: str) -> None:
        """Print progress, unless --quiet."""
        if not getattr(self.args, "quiet", False):
            print(text, file=self.out, flush=True)  # seen as it happens, through a pipe too

    def error(self, text: str) -> None:
        """Print an error about the command itself."""
        print(f"{self.prog}: error: {text}", file=self.err)

    def crashed(self, source: Path | None, what: str, crash: Crash) -> None:
        """Tell of a bug of ours met making `what` of the file `source`; keep its traceback
        (with no path outside the project) for the crash report."""
        if source is not None:
            print(f"{source}: error: could not make {what}: {crash.reason}", file=self.err)
            crash = replace(crash, traceback=f"{source}:\n{crash.traceback}")
        self.crashes.append(crash.told(self.root))

    def crash_report(self) -> Path | None:
        """Write the tracebacks of our bugs into the user's state folder (never the
        project's, which is shared, nor the output folder, which is published), never
        through a link; returns where."""
        if not self.crashes:
            return None
        from platformdirs import user_state_path  # only when a bug showed

        from .render.kept import private_folder

        folder = user_state_path("handouts", appauthor=False)
        path = folder / CRASH_REPORT
        body = f"handouts {__version__}, Python {sys.version.split()[0]}\n\n"
        text = body + "\n".join(self.crashes) + "\n"
        try:
            if not private_folder(folder):
                raise PermissionError(f"{folder} is not a private folder of this user's")
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(path, flags, 0o600), "w", encoding="utf-8") as file:
                file.write(text)
        except OSError:
            print("\n".join(self.crashes), file=self.err)
            return None
        return path


def _say_written(session: Session, written: Written) -> None:
    job, pdf = written.job, written.pdf
    state = "" if written.changed else "  (unchanged)"
    if written.changed and written.pages is not None:
        state = f"  {written.pages.said()}"
    pages = f"{pdf.pages} page{'s' * (pdf.pages != 1)}" if pdf.pages else f"{len(pdf.data)} bytes"
    remark = f"  ({pdf.remark})" if pdf.remark else ""
    session.say(f"{job.path}  {pages}  {pdf.seconds:.2f} s{state}{remark}")
    if session.args.verbose:
        for warning in pdf.warnings:
            print(f"{job.path}: warning: {warning}", file=session.out)


def _build(session: Session, todo: ToBuild, project: Project) -> int:
    """Bring the PDFs of the lessons and courses to build up to date; returns the exit code."""
    started = time.perf_counter()
    written = others = up_to_date = session.kept = 0  # PDFs written, and other files
    refused: list[ContentError] = []
    try:
        lessons, courses = todo.loaded.lessons, todo.courses()
        for event in build(lessons, project, todo.unchanged_pdfs, courses, todo.share):
            if isinstance(event, Written):
                is_pdf = event.job.path.suffix == ".pdf"
                written, others = written + is_pdf, others + (not is_pdf)
                _say_written(session, event)
            elif isinstance(event, UpToDate):
                up_to_date = event.count
            elif isinstance(event, Refused):
                refused.extend(event.problems)
            elif isinstance(event, Failed):
                session.crashed(event.source, event.what, event.crash)
            elif isinstance(event, Kept):
                session.kept += 1
            elif isinstance(event, Note):
                session.say(f"{event.source}: note: {event.text}")
            elif isinstance(event, Indexed):
                if event.changed:  # an index page as it was is no news
                    session.say(f"{event.path}  {event.pdfs} PDF(s) listed")
            else:
                session.say(f"removed {event.path}: {event.reason}")
    except OSError as error:
        where = error.filename or project.output_dir
        session.error(f"cannot write {where}: {error.strerror}")
        return EXIT_WRITE
    except ContentError as problem:  # a mistake in a template of the theme
        report([problem], session.err, session.root)
        return EXIT_BUG if session.crashes else EXIT_CONTENT
    if session.kept:
        session.say(
            f"{session.kept} PDF(s) of lessons gone are kept for now: they are removed if "
            f"the lessons stay so for {_remove_after():g} s"
        )
    if written or others or up_to_date:
        elapsed = time.perf_counter() - started
        also = f" and {others} other file(s)" if others else ""  # the exports for platforms
        done = f"{written} PDF(s){also} written, " if written or others else ""
        session.say(f"{done}{up_to_date} up to date, in {elapsed:.1f} s")
    if refused:
        report(refused, session.err, session.root)
    if session.crashes:
        return EXIT_BUG
    return EXIT_CONTENT if refused else EXIT_OK


def _options(args: argparse.Namespace) -> BuildOptions:
    """The build options the command line asks for (`check`: only the size limit)."""
    if args.verb == "check":
        return BuildOptions(max_bytes=args.max_bytes)
    if args.slides_per_page and "notes" not in args.only:
        raise UsageError("--slides-per-page is for the notes, which --only leaves out")
    if args.speaker_notes and "slides" not in args.only:
        raise UsageError("--speaker-notes is for the slides, which --only leaves out")
    if args.versions and not {"quiz", "quiz-key", "answer-sheet", "answer-sheet-key"} & set(
        args.only
    ):
        raise UsageError("--versions is for the quiz, which --only leaves out")
    if args.answer_sheet and not {"answer-sheet", "answer-sheet-key"} & set(args.only):
        raise UsageError("--answer-sheet is for the answer sheets, which --only leaves out")
    if args.copies and not args.duplex:
        raise UsageError(
            f"--copies {args.copies} makes class sets to print on both sides: add --duplex"
        )
    if args.duplex and not any(outputs.get(name).on_paper for name in args.only):
        raise UsageError("--duplex is for the paper outputs, which --only leaves out")
    chosen = args.only
    if args.booklet and not {"handout", "booklet"} & set(chosen):
        raise UsageError("--booklet is for the handout, which --only leaves out")
    if "booklet" in chosen and not args.booklet and "handout" not in chosen:
        raise UsageError("the booklet is made with --booklet: add it")
    if args.booklet and "booklet" not in chosen:
        chosen = (*chosen, "booklet")
    if args.start_method:
        import multiprocessing  # only when asked: it takes a tenth of a no-op build

        if args.start_method not in multiprocessing.get_all_start_methods():
            raise UsageError(f"this system cannot start workers by {args.start_method}")
    return BuildOptions(
        cluster=_cluster(args),
        outputs=chosen,
        paper=PAPERS[args.paper],
        max_bytes=args.max_bytes,
        force=args.force,
        jobs=getattr(args, "jobs", None),
        slides_per_page=args.slides_per_page or SLIDES_PER_PAGE[0],
        speaker_notes=args.speaker_notes,
        start_method=args.start_method,
        versions=args.versions,
        duplex=args.duplex,
        copies=args.copies,
        theme=args.theme,
        booklet=args.booklet,
        answer_sheet=args.answer_sheet,
    )


def _cluster(args: argparse.Namespace) -> str | None:
    """The address of the Dask scheduler `--executor` names, None for this machine."""
    executor = getattr(args, "executor", LOCAL)
    if executor == LOCAL:
        return None
    import importlib.util

    try:
        address = scheduler_address(executor)
    except ValueError as error:
        raise UsageError(f"--executor: {error}, or {LOCAL}") from None
    if args.jobs is not None or args.start_method:
        raise UsageError("-j and --start-method are for local workers: a cluster has its own")
    if importlib.util.find_spec("distributed") is None:
        raise UsageError(
            "--executor dask:// needs Dask's distributed: install it with "
            "pip install 'handouts[dask]'"
        )
    return address


def _project(args: argparse.Namespace) -> Project:
    """The project the command line names: its folder, lessons, output folder, options."""
    root = args.project
    if not root.is_dir():
        raise UsageError(f"no such project folder: {root}")
    output_dir = getattr(args, "output_dir", Path(OUTPUT))
    project = Project.at(root, tuple(args.paths), output_dir, _options(args))
    missing = [path for path in project.sources if not path.exists()]
    if missing:
        shown = args.paths[project.sources.index(missing[0])] if args.paths else missing[0]
        raise UsageError(f"no such file or folder: {shown}")
    return project


def _no_lessons(session: Session) -> UsageError:
    shown = ", ".join(str(path) for path in session.args.paths) or CONTENT
    return UsageError(f"no lessons (*.yaml) in {shown}")


def _tell_crashes(session: Session, loaded: Loaded) -> None:
    """Tell of the bugs of ours met loading lessons (each that lesson's alone)."""
    for source, crash in loaded.crashes:
        session.crashed(source, "it", crash)


def _check(session: Session, project: Project) -> int:
    """Look for mistakes in every lesson; returns the exit code."""
    loaded = load(project)
    _tell_crashes(session, loaded)
    if loaded.errors:
        report(loaded.errors, session.err, session.root, building=False)
    elif not loaded.lessons and not loaded.crashes:
        raise _no_lessons(session)
    session.say(f"{loaded.checked} lesson(s) checked, {len(loaded.errors)} error(s)")
    if session.crashes:
        return EXIT_BUG
    return EXIT_CONTENT if loaded.errors else EXIT_OK


def _load_and_build(session: Session, project: Project) -> int:
    """Load what changed, report mistakes, then build; returns the exit code."""
    atomic_write.remove_stale(project.output_dir)  # what a killed build left
    if (why := unusable(project.output_dir)) is not None:
        session.say(f"note: {why}")
    shard = getattr(session.args, "shard", None)
    todo = load_changed(project, shard)
    _tell_crashes(session, todo.loaded)
    errors = todo.loaded.errors
    shared = todo.share is not None and bool(todo.share.assigned)  # a share may hold nothing
    if errors:
        report(errors, session.err, session.root)
    elif not (todo.loaded.lessons or todo.unchanged_lessons or todo.loaded.crashes or shared):
        raise _no_lessons(session)
    if todo.share:
        owned, every = len(todo.share.owned), len(todo.share.assigned)
        session.say(f"shard {todo.share.shard}: {owned} of {every} lesson and course file(s)")
    code = _build(session, todo, project)
    return code or (EXIT_CONTENT if errors else EXIT_OK)


def _rebuild(session: Session, project: Project) -> None:
    """One build of watch mode: whatever it finds is reported, and the watch goes on."""
    try:
        _load_and_build(session, project)
    except UsageError as error:
        session.error(str(error))
    _report_bugs(session)
    session.crashes.clear()


def _report_bugs(session: Session) -> None:
    """Tell about the bugs of ours this run met, with their tracebacks in a file."""
    if not session.crashes:
        return
    where = session.crash_report()
    details = f"the details are in {where}" if where else "the details are above"
    print(
        f"{session.prog}: this is a bug in handouts, not in your lessons: {details}",
        file=session.err,
    )
    print("please report it, with that file", file=session.err)


def _serve(session: Session, project: Project) -> int:
    """Watch, and serve the output folder to a browser on this machine, until Ctrl-C."""
    from .serve import Server

    try:
        server = Server(project.output_dir, session.args.port, session.err)
    except OSError as error:
        port = session.args.port
        raise UsageError(
            f"cannot serve on port {port}: {error.strerror}; choose another with --port, "
            "or --port 0 for any free one"
        ) from None
    session.err = server.said
    with server.running():
        print(f"serving {server.url} (open it in a browser)", file=session.out, flush=True)
        return _watch(session, project, server.built)


def _watch(session: Session, project: Project, built: Callable[[], None] = lambda: None) -> int:
    """Build, then rebuild what each save affects, until Ctrl-C; `built` is called after
    each build.

    PDFs whose lesson is gone, or gives them no more, are kept until the lessons have been
    quiet for REMOVE_AFTER_S: a folder removed and restored by a checkout, or a save written
    in pieces, never costs a PDF.
    """
    from .builtin import BUILTIN_THEME
    from .make.watch import Changed, Missing, Quiet, Watching, events, themes_in_use
    from .render.pdf import start_rendering

    start_rendering()  # WeasyPrint loaded once, so the first rebuild is fast too
    remove_after = _remove_after()
    # Rendered in this process, where WeasyPrint stays loaded; each build a renewed project.
    keeping = project.with_options(replace(project.options, jobs=1, remove=False))
    lesson_folders = {p if p.is_dir() else p.parent for p in project.sources}
    try:
        _rebuild(session, keeping.renewed())
        built()
        # The themes the lessons use, as the build recorded them (those course.yaml names too).
        themes = {BUILTIN_THEME, *themes_in_use(project.output_dir, project.root)}
        folders = sorted(lesson_folders | themes)
        last_change = time.monotonic()
        for event in events(folders, themes):
            if _STOPPED.is_set():  # a Ctrl-C that a finalizer swallowed
                raise KeyboardInterrupt
            if isinstance(event, Changed):
                changed = ", ".join(map(str, event.paths))
                print(f"changed: {changed}", file=session.out, flush=True)
                _rebuild(session, keeping.renewed())
                built()
                # Quiet counts from the build's end: a rebuild slower than remove_after
                # must not make the next tick remove what a save still in progress gives.
                last_change = time.monotonic()
            elif isinstance(event, Quiet):
                if session.kept and time.monotonic() - last_change >= remove_after:
                    removing = replace(keeping.options, remove=True)
                    _rebuild(session, keeping.with_options(removing).renewed())
                    built()
            elif isinstance(event, Missing):
                gone = ", ".join(map(str, event.folders))
                print(
                    f"{gone} is gone: waiting for it to come back; every PDF stays",
                    file=session.out,
                )
            elif isinstance(event, Watching):
                watched = ", ".join(map(str, folders))
                again = " again" if event.again else ""
                print(f"watching {watched}{again} for changes (Ctrl-C to stop)", file=session.out)
            session.out.flush()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
    _STOPPED.clear()  # answered here (watchfiles ends its events at Ctrl-C without raising)
    if _TERMINATED.is_set():
        raise Terminated  # not the user's Ctrl-C: told as a stop, with its exit code
    print("stopped watching", file=session.out)
    return EXIT_OK


def _new(session: Session) -> int:
    """Write a starter lesson; never over an existing file."""
    from .lesson import starter

    try:
        folder = session.args.project / session.args.folder
        path = starter.write_starter(folder, session.args.title)
    except starter.LinkInTheWay as error:
        session.error(f"{error.filename} is {error.strerror}: remove it, then run this again")
        return EXIT_USAGE
    except FileExistsError as error:
        session.error(f"{error.filename} exists already: choose another title, or edit it")
        return EXIT_USAGE
    except OSError as error:
        session.error(f"cannot write {error.filename}: {error.strerror}")
        return EXIT_WRITE
    project = session.args.project
    build = f"build {path}"
    if project != Path():  # a command that works from where it is typed
        build = f"-C {project} build {path.relative_to(project)}"
    session.say(f"wrote {path}: fill it in, then run: {session.prog} {build}")
    return EXIT_OK


def _reprint(session: Session) -> int:
    """Mark PDFs as printed, or put the pages changed since into reprint.pdf; returns the
    exit code."""
    from .make import printed_record
    from .make.reprint import reprint

    args = session.args
    if not args.project.is_dir():
        raise UsageError(f"no such project folder: {args.project}")
    folder = args.project / args.output_dir
    names = [_pdf_name(given, args.project, folder) for given in args.pdfs]
    try:
        if args.mark:
            return _mark(session, folder, names)
        since = args.since and args.project / args.since
        printed = printed_record.pages_in(since) if since else printed_record.printed(folder)
        unknown = [name for name in names if name not in printed]
        if unknown:
            why = f"not in {since}" if since else "not marked as printed"
            raise UsageError(f"{folder / unknown[0]} is {why}")
        found = reprint(folder, {name: printed[name] for name in names or printed})
    except printed_record.Unreadable as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        where = error.filename2 or error.filename or folder  # a rename: where it goes
        session.error(f"cannot write {where}: {error.strerror}")
        return EXIT_WRITE
    for name, changes in found.changed:
        session.say(f"{folder / name}: {changes.said()}")
    for name in found.same:
        session.say(f"{folder / name}: as printed")
    for name in found.gone:
        session.say(f"{folder / name}: gone, so nothing of it to print")
    if found.path is None:
        session.say(f"nothing to print again: no page changed; no {REPRINT_NAME} written")
        return EXIT_OK
    pages = f"{found.pages} page{'s' * (found.pages != 1)}"
    saved = f"{found.whole - found.pages} fewer a copy than printing those PDFs whole"
    session.say(f"wrote {found.path}: {pages} to print, {saved}")
    if not since:
        session.say(f"once it is printed, '{session.prog} reprint --mark' records the PDFs as now")
    return EXIT_OK


def _merge(session: Session) -> int:
    """Make the shards' output folders into one; returns the exit code."""
    from .make.merge import MergeRefused, merge

    args = session.args
    if not args.project.is_dir():
        raise UsageError(f"no such project folder: {args.project}")
    project = Project.at(args.project, (), args.output_dir)
    folders = [args.project / folder for folder in args.shards]
    try:
        events = list(merge(folders, project))
    except MergeRefused as error:
        session.error(f"cannot merge: {error}; nothing was written")
        return EXIT_CONTENT
    except OSError as error:
        session.error(f"cannot merge into {project.output_dir}: {error.filename}: {error.strerror}")
        return EXIT_WRITE
    for event in events:
        if isinstance(event, Refused):
            report(list(event.problems), session.err, session.root, building=False)
        elif isinstance(event, Failed):
            session.crashed(event.source, event.what, event.crash)
        elif isinstance(event, Indexed):
            session.say(f"{event.path}  {event.pdfs} PDF(s) listed")
    session.say(f"merged {len(folders)} shard folder(s) into {project.output_dir}")
    if session.crashes:
        return EXIT_BUG
    return EXIT_CONTENT if any(isinstance(event, Refused) for event in events) else EXIT_OK


def _grade(session: Session) -> int:
    """Grade the scanned answer sheets; returns the exit code (EXIT_CONTENT when a sheet
    could not be read)."""
    from .grading.grades import grade, graded_places, write_results
    from .lesson.files import Bounds
    from .lesson.loader import load_lessons

    args = session.args
    scans, lesson_path = args.project / args.scans, args.project / args.lesson
    for path in (scans, lesson_path):
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
    loaded = load_lessons([lesson_path], Bounds(args.project.resolve(), MAX_BYTES))
    if not loaded.lessons:
        report(loaded.errors, session.err, session.root, building=False)
        return EXIT_CONTENT
    (lesson,) = loaded.lessons
    if not graded_places(lesson):
        raise UsageError(f"{lesson_path} has no question an answer sheet holds")
    try:
        graded, refused = grade(scans.read_bytes(), lesson)
    except ValueError as error:
        raise UsageError(f"cannot read {scans}: {error}") from None
    if not graded and not refused:
        raise UsageError(f"{scans} has no pages")
    folder = args.project / args.output_dir
    try:
        write_results(graded, refused, lesson, folder)
    except OSError as error:
        session.error(f"cannot write {error.filename or folder}: {error.strerror}")
        return EXIT_WRITE
    session.say(
        f"graded {len(graded)} sheet(s) of {len(graded) + len(refused)} page(s) into "
        f"{folder / 'grades.csv'} and {folder / 'graded.pdf'}"
    )
    pages: dict[str, list[str]] = {}
    for sheet in graded:
        pages.setdefault(sheet.student, []).append(str(sheet.page))
    for student, seen in pages.items():
        if len(seen) > 1:
            session.say(f"student {student} is on pages {', '.join(seen)}: check the numbers")
    for sheet in graded:
        unread = [f"Q{answer.place + 1}" for answer in sheet.answers if answer.read is None]
        if unread:
            session.say(
                f"page {sheet.page}, student {sheet.student}: {', '.join(unread)} unreadable "
                "(orange on graded.pdf): grade them by hand"
            )
    for page in refused:
        session.error(f"page {page.page} not read: {page.why}; grade it by hand")
    return EXIT_CONTENT if refused else EXIT_OK


def _pdf_name(given: Path, root: Path, folder: Path) -> str:
    """The name of a PDF in the output folder `folder`, given by its path (from the project
    folder `root`) or its name alone."""
    path = folder / given if given.parent == Path() else root / given
    if path.suffix != ".pdf" or path.parent.resolve() != folder.resolve():
        raise UsageError(f"{given} is not a PDF of the output folder {folder}")
    return path.name


def _mark(session: Session, folder: Path, names: list[str]) -> int:
    """Record the PDFs `names` (default: those marked already, or every PDF of the last
    build) as printed, as they are now."""
    from .make import printed_record

    built = printed_record.built(folder)
    if not names:
        with contextlib.suppress(printed_record.Unreadable):
            names = [name for name in printed_record.printed(folder) if name in built]
    for name in names:
        if name not in built:
            raise UsageError(f"{folder / name} is not a PDF of the last build")
    chosen = names or built
    if not chosen:
        raise UsageError(f"no PDF built in {folder} yet: build, print, then mark them")
    printed_record.mark(folder, chosen)
    for name in chosen:
        session.say(f"{folder / name}: marked as printed")
    return EXIT_OK


def _run(session: Session) -> int:
    args = session.args
    if args.verb == "schema":
        from .lesson.schema import lesson_schema

        print(json.dumps(lesson_schema(), indent=2), file=session.out)
        return EXIT_OK
    if args.verb == "new":
        return _new(session)
    if args.verb == "reprint":
        return _reprint(session)
    if args.verb == "merge":
        return _merge(session)
    if args.verb == "grade":
        return _grade(session)
    if args.verb in ("watch", "serve") and args.jobs is not None:
        raise UsageError(f"{args.verb} renders one PDF at a time, as you save: leave out -j")
    project = _project(args)
    if args.verb == "check":
        return _check(session, project)
    if args.verb == "watch":
        return _watch(session, project)
    if args.verb == "serve":
        return _serve(session, project)
    return _load_and_build(session, project)


class Terminated(KeyboardInterrupt):
    """SIGTERM: the run stops as at Ctrl-C, with the same clean-up."""


# Set by SIGTERM: a library that stops on KeyboardInterrupt (watchfiles) may swallow it.
_TERMINATED = threading.Event()
# Set by any stop until it is answered: the KeyboardInterrupt may be raised where Python
# only prints it (an object's __del__ during garbage collection), so the watch and `main`
# look here too.
_STOPPED = threading.Event()


def _ctrl_c(signum: int, frame: object) -> None:
    """The first Ctrl-C (or SIGTERM) stops the run; the next ones are ignored, so that
    nothing interrupts the clean-up (workers ending, generators closing) wherever it runs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STOPPED.set()
    if signum == signal.SIGTERM:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _TERMINATED.set()
        raise Terminated
    raise KeyboardInterrupt


def _default_sigterm_in_child() -> None:
    """A process forked from the command (a worker) ends at SIGTERM at once, as by
    default: a Python handler would wait for it to run Python again, and a worker waiting
    in C for a task would never end."""
    if signal.getsignal(signal.SIGTERM) is _ctrl_c:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_default_sigterm_in_child)


def _stop_at_first_ctrl_c() -> bool:
    """Install `_ctrl_c` for SIGINT (and SIGTERM) where Python's own handlers are in
    place (the main thread of a program that did not set its own); True when it did. `main`
    puts Python's back when it ends, unless it was interrupted."""
    main_thread = threading.current_thread() is threading.main_thread()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler and main_thread:
        signal.signal(signal.SIGINT, _ctrl_c)
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _ctrl_c)
        return True
    return False


def main(
    argv: list[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    prog: str = "handouts",
) -> int:
    """Run the command; returns the exit code."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    words = _with_verb(sys.argv[1:] if argv is None else list(argv))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser(prog).parse_args(words)
    except SystemExit as done:  # --help, --version, or a usage error argparse reported
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    session = Session(args, out, err, prog)
    for problem in outputs.plugin_problems():  # an installed plug-in that would not load
        print(f"{prog}: note: {problem}", file=err)
    _TERMINATED.clear()
    _STOPPED.clear()
    installed = _stop_at_first_ctrl_c()
    try:
        code = _run(session)
        if _STOPPED.is_set():  # a Ctrl-C that a finalizer swallowed still stops the run
            raise KeyboardInterrupt
    except (UsageError, Unreachable) as error:
        session.error(str(error))
        return EXIT_USAGE
    except ContentError as problem:  # the project's theme/ folder
        report([problem], session.err, session.root, building=False)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
        how = "terminated" if _TERMINATED.is_set() else "interrupted"
        session.error(f"{how}; every PDF in the output folder is whole")
        return EXIT_TERMINATED if _TERMINATED.is_set() else EXIT_INTERRUPTED
    except Exception as error:  # a bug of ours: its traceback to a file, a sentence to the user
        session.crashed(None, "", Crash.of(error))
        code = EXIT_BUG
    finally:
        # As it was, unless interrupted: then Ctrl-C stays ignored, as the process's own
        # clean-up (its exit handlers, the workers' finalizers) still runs after `main`.
        if installed and signal.getsignal(signal.SIGINT) is _ctrl_c:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            if signal.getsignal(signal.SIGTERM) is _ctrl_c:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _report_bugs(session)
    return code
