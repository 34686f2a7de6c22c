"""Exports never harm (issue 10, point 4): never onto a project, devices and symlinks handled,
``-o -`` is stdout, an existing file is replaced atomically and the CLI says so."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from editor.exporters import output
from entry.cli import main
from tests.conftest import ROOT

TEXT = "Alice 00:00:01\n\nHello there.\n\nBob 00:00:05\n\nHi Alice.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    source = tmp_path / "talk.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "talk.tedit"
    assert main(["import", str(source), "-o", str(path)]) == 0
    return path


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _export(capsys: pytest.CaptureFixture[str], project: Path, out: str, fmt: str = "md"):  # type: ignore[no-untyped-def]
    return _cli(capsys, "export", str(project), "-f", fmt, "-o", out)


def test_export_onto_the_project_itself_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.read_bytes()
    code, _, err = _export(capsys, project, str(project))
    assert code == 2 and err.count("\n") == 1 and "refusing" in err
    assert project.read_bytes() == before
    assert main(["info", str(project)]) == 0


def test_export_onto_another_project_or_its_side_files_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.tedit"
    assert main(["import", str(tmp_path / "talk.txt"), "-o", str(other)]) == 0
    before = other.read_bytes()
    assert _export(capsys, project, str(other))[0] == 2
    assert other.read_bytes() == before
    (tmp_path / "other.tedit-wal").write_bytes(b"")
    assert _export(capsys, project, str(tmp_path / "other.tedit-wal"))[0] == 2
    link = tmp_path / "link.md"
    link.symlink_to(other)
    assert _export(capsys, project, str(link))[0] == 2
    assert other.read_bytes() == before


def test_symlink_is_written_through(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    code, out, _ = _export(capsys, project, str(link))
    assert code == 0 and out.startswith("replaced")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Hello there." in target.read_text()


def test_dev_null_stays_a_device(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _export(capsys, project, "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_fifo_without_reader_is_refused_without_hanging(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "entry.cli", "export", str(project), "-f", "md", "-o", str(fifo)],
        capture_output=True, text=True, timeout=20,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert done.returncode == 2 and "nobody reading" in done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_folder_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _export(capsys, project, str(tmp_path))
    assert code == 2 and "folder" in err


def test_dash_writes_to_stdout(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "entry.cli", "export", str(project), "-f", "txt", "-o", "-"],
        capture_output=True, text=True, timeout=20,
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Alice 00:00:01") and "wrote" not in done.stdout
    assert not (tmp_path / "-").exists()


def test_existing_output_is_replaced_atomically_and_said(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.md"
    code, said, _ = _export(capsys, project, str(out))
    assert code == 0 and said.startswith("wrote")
    os.chmod(out, 0o640)
    code, said, _ = _export(capsys, project, str(out))
    assert code == 0 and said.startswith("replaced")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the replaced file keeps its mode
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_full_disk_during_export_keeps_the_old_file(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.md"
    out.write_text("the old export")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    code, _, err = _export(capsys, project, str(out))
    assert code == 1 and err.startswith("error: disk full") and err.count("\n") == 1
    assert out.read_text() == "the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md", "talk.tedit", "talk.txt"]


def test_dev_stdout_into_a_pipe_is_written_into(project: Path) -> None:
    # /dev/stdout leads to /proc/…/fd/pipe:[N], which cannot be opened by that name: "could
    # not write /dev/stdout: No such file or directory", and nothing went down the pipe.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "entry.cli",
            "export",
            str(project),
            "-f",
            "txt",
            "-o",
            "/dev/stdout",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0 and done.stderr == "wrote /dev/stdout\n"
    assert done.stdout.split() == TEXT.split()  # the export alone


def test_a_loop_of_links_or_a_link_into_no_folder_is_one_clear_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    code, out, err = _export(capsys, project, str(tmp_path / "loop1"), "txt")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: could not write {tmp_path / 'loop1'}: ")  # not "unexpected"
    link = tmp_path / "dangling.srt"
    link.symlink_to(tmp_path / "missing" / "nowhere.srt")
    code, out, err = _export(capsys, project, str(link))
    assert code == 2 and "missing" in err and "error: .: no such folder" not in err
