"""Writing PDFs: whole files or nothing, only when changed, with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLE, SAMPLES

from handouts.atomic_write import write
from handouts.cli import EXIT_WRITE, main


def test_write_replaces_atomically_and_skips_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.pdf"
    assert write(target, b"one") is True
    assert write(target, b"one") is False
    assert write(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"], "no temporary file left"


def test_a_write_interrupted_half_way_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    write(target, b"the last good PDF")

    def crash(descriptor: int) -> None:
        raise KeyboardInterrupt  # as if the build were stopped between write and rename

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write(target, b"a new PDF, half written")
    assert target.read_bytes() == b"the last good PDF"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write(tmp_path / "a.pdf", b"x")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_unwritable_output_is_reported_with_its_own_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("a file where the output folder should be")
    args = [str(SAMPLES / f"{SAMPLE}.yaml"), "--only", "table", "-o", str(blocker)]
    assert main(args) == EXIT_WRITE
    assert "handouts: error: cannot write" in capsys.readouterr().err
