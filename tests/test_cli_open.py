"""``open FILE --screenshot OUT``: the window drawn to a PNG, or one line saying why not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_open(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A transcript opened with nobody to ask is kept in the user's data folder: here, ours.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return subprocess.run(
        [sys.executable, "-m", "entry.cli", "open", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_file_that_cannot_open_says_why_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    shot = tmp_path / "x.png"
    done = run_open(tmp_path, str(junk), "--screenshot", str(shot), "--size", "800x600")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, done.stderr
    # The reason, as ``import`` gives it: it said only "could not open junk.bin".
    assert "NUL bytes" in lines[0] and "junk.bin" in lines[0]
    assert "Traceback" not in done.stderr
    assert not shot.exists()


def test_a_transcript_opens_and_is_drawn(tmp_path: Path) -> None:
    src = tmp_path / "talk.txt"
    src.write_text("Ann: Hello there.\nBob: Hi, Ann.\n", encoding="utf-8")
    shot = tmp_path / "x.png"
    done = run_open(tmp_path, str(src), "--screenshot", str(shot), "--size", "800x600")
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list((tmp_path / "data").rglob("*.tedit"))  # the project, in our data folder


def test_a_project_without_passages_is_drawn_at_once(tmp_path: Path) -> None:
    # Its first paint with rows never came: 30 s, then exit 1 without a word.
    import sqlite3

    from entry.cli import main

    src = tmp_path / "talk.txt"
    src.write_text("Ann: Hello there.\n", encoding="utf-8")
    project = tmp_path / "talk.tedit"
    assert main(["import", str(src), "-o", str(project)]) == 0
    conn = sqlite3.connect(project)
    conn.execute("DELETE FROM passages")
    conn.commit()
    conn.close()
    shot = tmp_path / "x.png"
    done = run_open(tmp_path, str(project), "--screenshot", str(shot), "--size", "800x600")
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert float(done.stdout.split("first paint: ")[1].split()[0]) < 20
