"""What another user of the machine, a shared theme folder or a forged file can do to a build:
nothing. Another user is played by folders and files others may write, links and forged
content, made before the command runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample, run, run_here

from handouts.errors import ContentError
from handouts.make.manifest import MANIFEST_NAME
from handouts.render import cache as build_cache
from handouts.render.fontconfig import use_theme_fonts_only
from handouts.render.glyphs import covered
from handouts.render.theme import Theme, theme_digest

EMOJI = "title: Smile 😀\nintroduction: Hi.\nsections:\n  - title: S\n    text: T.\n"
EVERY_CHARACTER = json.dumps(list(range(0x110000))).encode()  # a forged glyph cache
BOUND_S = 120  # a run that takes longer than this hangs
THEME_FILE_LIMIT = 50_000_000  # bytes, as docs/themes.md says


def _env(**changes: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "HANDOUTS_CACHE_DIR"}
    return env | changes


def _check(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "build.py"), "check"]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=BOUND_S
    )


def _glyph_cache_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name the built-in theme's glyph cache has (as another user could work out)."""
    own = tmp_path / "own-cache"
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(own))
    covered(Theme())
    monkeypatch.delenv("HANDOUTS_CACHE_DIR")
    (name,) = [path.name for path in own.glob("glyphs-*")]
    return name


@pytest.fixture
def emoji_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (copy_sample(project / "content").parent / "smile.yaml").write_text(EMOJI, "utf-8")
    return project


def _planted(folder: Path, name: str, mode: int) -> None:
    folder.mkdir(parents=True)
    (folder / name).write_bytes(EVERY_CHARACTER)
    folder.chmod(mode)


def _emoji_refused(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stderr
    assert "smile.yaml:1:14: error: no font of the theme has U+1F600" in result.stderr


def test_a_cache_folder_others_may_write_is_not_read(
    emoji_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared-cache"
    _planted(shared, _glyph_cache_name(tmp_path, monkeypatch), 0o777)
    _emoji_refused(_check(emoji_project, _env(HANDOUTS_CACHE_DIR=str(shared))))


def test_a_temporary_folder_of_our_name_others_may_write_is_not_read(
    emoji_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The user's cache folder cannot be made (a file is in the way): the fall-back folder in
    # the temporary folder, /tmp/handouts-<uid>, was made by someone else first.
    name = _glyph_cache_name(tmp_path, monkeypatch)
    temporary = tmp_path / "tmp"
    _planted(temporary / f"handouts-{os.getuid()}", name, 0o777)
    (tmp_path / "not-a-folder").write_text("")
    env = _env(XDG_CACHE_HOME=str(tmp_path / "not-a-folder"), TMPDIR=str(temporary))
    _emoji_refused(_check(emoji_project, env))


def test_a_cache_file_we_did_not_write_is_made_again(
    emoji_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "cache"
    _planted(own, _glyph_cache_name(tmp_path, monkeypatch), 0o700)  # private, content forged
    _emoji_refused(_check(emoji_project, _env(HANDOUTS_CACHE_DIR=str(own))))


def test_fontconfig_file_is_written_in_a_private_folder_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "own"))
    monkeypatch.setenv("FONTCONFIG_FILE", "")  # put back as it was after the test
    name = use_theme_fonts_only().parent.name
    # Someone else made /tmp/handouts-<uid>, and in it the folder of our configuration,
    # where no one may write (every build would fail) or they may (they pick our fonts).
    shared = tmp_path / "tmp" / f"handouts-{os.getuid()}"
    (shared / name).mkdir(parents=True)
    (shared / name).chmod(0o555)
    shared.chmod(0o777)
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.delenv("HANDOUTS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    config = use_theme_fonts_only()
    assert not config.is_relative_to(shared)
    assert os.stat(config.parent.parent).st_mode & 0o077 == 0
    assert "<dir" not in config.read_text()  # no font folder of the machine


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy_sample(tmp_path / "project" / "content")
    return tmp_path / "project"


def test_a_theme_folder_linking_out_of_the_project_is_a_located_error(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "css").mkdir(parents=True)
    (project / "theme").symlink_to(outside)
    result = run("check", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "theme:1:1: error: the theme folder is a link to a folder outside the project" in (
        result.stderr
    )


def test_a_huge_theme_file_is_a_located_error_not_read_whole(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "fonts").mkdir(parents=True)
    with (theme / "fonts" / "huge.ttf").open("wb") as file:
        file.truncate(THEME_FILE_LIMIT + 1)  # sparse: takes no room on the disk
    with pytest.raises(ContentError) as raised:
        theme_digest(Theme.over_builtin(theme))
    assert raised.value.where.path == theme / "fonts" / "huge.ttf"
    assert f"over the limit of {THEME_FILE_LIMIT:,} bytes" in raised.value.message


def test_the_manifests_theme_list_is_never_followed_out_of_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_here("-C", str(project), "build", "-q", "--only", "table").code == 0
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    manifest = project / "output" / MANIFEST_NAME
    records = json.loads(manifest.read_text())
    for record in records.values():
        record["theme"] = [os.path.relpath(outside, project / "output")]
    manifest.write_text(json.dumps(records))
    hashed: list[tuple[Path, ...]] = []
    real = build_cache.theme_digest

    def noting(theme: Theme) -> str:
        hashed.append(theme.folders)
        return real(theme)

    monkeypatch.setattr(build_cache, "theme_digest", noting)
    assert run_here("-C", str(project), "build", "-q", "--only", "table").code == 0
    assert all(outside not in folders for folders in hashed)


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "-j", "1", "--only", "table"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=BOUND_S)


def test_a_manifest_that_is_a_pipe_is_ignored_not_waited_for(project: Path) -> None:
    (project / "output").mkdir()
    os.mkfifo(project / "output" / MANIFEST_NAME)
    result = _build(project)  # reading the pipe would wait for ever
    assert result.returncode == 0, result.stderr
    assert f"note: output/{MANIFEST_NAME} is a special file, not a manifest: it is ignored" in (
        result.stdout
    )
    assert (project / "output" / "production-systems-table.pdf").is_file()


def test_a_forged_manifest_record_removes_no_pdf_the_build_did_not_make(project: Path) -> None:
    (project / "output").mkdir()
    mine = project / "output" / "my-own.pdf"
    mine.write_bytes(b"%PDF-1.7 a teacher's own file")
    forged = {"key": "k", "digest": "0" * 64, "source": "../content/gone.yaml", "pages": 1}
    (project / "output" / MANIFEST_NAME).write_text(json.dumps({"my-own.pdf": forged}))
    result = _build(project)
    assert result.returncode == 0, result.stderr
    assert mine.read_bytes() == b"%PDF-1.7 a teacher's own file"
    assert "removed" not in result.stdout


def test_temporary_files_a_killed_build_left_are_removed_by_the_next(project: Path) -> None:
    output = project / "output"
    output.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    left = output / f".production-systems-table.pdf.{dead.stdout.strip()}.0123abcd.tmp"
    running = output / f".production-systems-table.pdf.{os.getpid()}.0123abcd.tmp"
    other = output / ".notes.pdf.tmp"  # not a name ours has
    for path in (left, running, other):
        path.write_bytes(b"part of a PDF")
    assert _build(project).returncode == 0
    assert not left.exists()
    assert running.exists() and other.exists()


def test_a_crash_report_goes_to_the_users_state_folder_never_through_a_link(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("simulated bug")

    from handouts import cli

    monkeypatch.setattr(cli, "_check", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (project / "handouts-crash-report.txt").symlink_to(victim)
    (project / "output").mkdir()
    (project / "output" / "handouts-crash-report.txt").symlink_to(victim)
    ran = run_here("-C", str(project), "check")
    assert ran.code == 4
    report = tmp_path / "state" / "handouts" / "crash-report.txt"
    assert f"the details are in {report}" in ran.err
    assert "simulated bug" in report.read_text() and str(project) not in report.read_text()
    assert victim.read_text() == "keep me"
    assert oct(report.stat().st_mode & 0o777) == oct(0o600)


def test_new_writes_through_no_link(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    (content / "lesson.schema.json").symlink_to(elsewhere)  # a link to nothing yet
    ran = run_here("-C", str(tmp_path), "new", "Photosynthesis")
    assert ran.code == 2
    assert "lesson.schema.json is a link: nothing is written through one" in ran.err
    assert not elsewhere.exists()
    assert not (content / "photosynthesis.yaml").exists()


@pytest.mark.parametrize(
    "option", [["--max-bytes", "99999999999999999999999"], ["--max-bytes", "0"], ["-j", "100000"]]
)
def test_numbers_out_of_range_are_usage_errors(project: Path, option: list[str]) -> None:
    verb = "build" if option[0] == "-j" else "check"
    ran = run_here("-C", str(project), verb, *option)
    assert ran.code == 2
    assert f"argument {option[0]}" in ran.err and "expected a whole number from 1 to" in ran.err
    assert len(ran.err) < 1_000


def test_sigterm_stops_like_ctrl_c_with_a_message(project: Path) -> None:
    command = [sys.executable, str(ROOT / "build.py"), "watch", "--only", "table"]
    with subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as watching:
        assert watching.stdout is not None
        for line in watching.stdout:
            if line.startswith("watching"):
                break
        watching.send_signal(signal.SIGTERM)
        _, err = watching.communicate(timeout=BOUND_S)
    assert watching.returncode == 143
    assert "terminated" in err
