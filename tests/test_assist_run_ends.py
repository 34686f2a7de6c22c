"""Issue 13, both ends of a 64-way run: the requests leave before the run's warm-up work, the
cache's text is what json would write, and the installed command ends without the
interpreter's teardown only once everything is stored, flushed and handed over."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assist import service
from assist.replies import Checked, cache_text
from assist.service import execute, plan
from editor.model import Passage, Speaker, Transcript
from editor.store import Project

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "So, um, we met Andrei at the the conference and and he said it was, like, great."


def _project(path: Path, passages: int = 40, repeat: int = 1) -> Path:
    text = " ".join([SENTENCE] * repeat)
    doc = Transcript(
        title="ends",
        speakers=[Speaker("A", "Ann")],
        passages=[
            Passage(0, f"{text} ({i})", f"{text} ({i})", start=i * 5.0) for i in range(passages)
        ],
    )
    Project.create(path, doc).close()
    return path


class _Recorder:
    """A remote model's stand-in that notes when each request is sent."""

    model_id = "transcript-editor-offline"
    needs_key = None
    supports_schema = False
    local = False

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def prompt(self, prompt: str, **_options: Any) -> Any:
        self.events.append("sent")
        return _Recorder._Reply(prompt)

    class _Reply:
        def __init__(self, prompt: str) -> None:
            self.prompt = prompt

        async def text(self) -> str:
            await asyncio.sleep(0.01)
            return json.dumps({"passages": []})

        async def usage(self) -> Any:
            class Usage:
                input, output = 1, 1

            return Usage()


def test_every_request_in_flight_leaves_before_the_warm_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up (loading the checks, the passages' side of them) overlaps the wait for
    the replies; it used to run first, because each request was sent from a task of its own
    queued behind it."""
    path = _project(tmp_path / "p.tedit", 300, repeat=6)  # ~20 requests
    events: list[str] = []
    real_warm = service._warm

    def warm(jobs: Any) -> None:
        events.append("warm")
        real_warm(jobs)

    monkeypatch.setattr(service, "_warm", warm)
    with Project.open(path) as project:
        work = plan(project, model_id="offline")
        work.handle.model = _Recorder(events)
        summary = asyncio.run(execute(work, project, concurrency=64))
    assert summary.requests >= 16
    assert events.index("warm") == summary.requests, events  # after all of them


@pytest.mark.parametrize("seed", range(5))
def test_a_cached_reply_is_the_text_json_would_write(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        text = "".join(
            chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0, 0x2FFF)]))
            for _ in range(rng.randint(0, 30))
        )
        flags = [text[:5], "markup: <b>"] if rng.random() < 0.3 else []
        checked = Checked(text + ' "quoted" \\ \U0001f600', flags)
        assert cache_text(checked) == json.dumps(checked.__dict__)
        assert json.loads(cache_text(checked)) == {"text": checked.text, "flags": flags}


# -- the installed command's end ------------------------------------------------------------

# Runs the command as the installed script does, with an exit handler, an object whose
# finaliser only the interpreter's teardown would call, and optionally a thread still working.
_SCRIPT = """
import atexit, sys, threading, time
out = sys.argv.pop(1)
thread = sys.argv.pop(1) == "thread"
atexit.register(lambda: open(out + ".atexit", "w").close())
class Finalised:
    def __init__(self):
        self.open = open  # builtins are gone by the time teardown calls __del__
    def __del__(self):
        self.open(out + ".teardown", "w").close()
kept = Finalised()
if thread:
    def late():  # still running when the command is done, even on a busy machine
        time.sleep(3.0)
        open(out + ".thread", "w").close()
    threading.Thread(target=late).start()
sys.argv = ["transcript-editor", *sys.argv[1:]]
from entry.cli import main
sys.exit(main())
"""


def _run(
    tmp_path: Path, project: Path, thread: bool, *args: str
) -> subprocess.CompletedProcess[str]:
    marks = tmp_path / "mark"
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(marks), "thread" if thread else "-", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _suggestions(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM suggestions").fetchone()[0])
    finally:
        conn.close()


def test_the_assist_command_ends_without_teardown_once_all_is_stored(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.tedit")
    done = _run(tmp_path, path, False, "assist", str(path), "--model", "offline")
    assert done.returncode == 0, done.stderr
    assert "asked 40, cached 0, suggested 40" in done.stdout  # flushed before the end
    assert (tmp_path / "mark.atexit").exists()  # exit handlers ran
    assert not (tmp_path / "mark.teardown").exists()  # the teardown was skipped
    assert not Path(f"{path}-wal").exists()  # the project was closed and checkpointed
    assert _suggestions(path) == 40


def test_with_another_thread_running_the_command_ends_the_ordinary_way(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.tedit")
    done = _run(tmp_path, path, True, "assist", str(path), "--model", "offline")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mark.thread").exists()  # waited for, as the interpreter does
    assert (tmp_path / "mark.teardown").exists()
    assert _suggestions(path) == 40


def test_other_commands_and_failures_end_the_ordinary_way(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.tedit")
    done = _run(tmp_path, path, False, "info", str(path))
    assert done.returncode == 0 and "passages:   40" in done.stdout
    assert (tmp_path / "mark.teardown").exists()
    (tmp_path / "mark.teardown").unlink()
    done = _run(tmp_path, path, False, "assist", str(tmp_path / "missing.tedit"))
    assert done.returncode == 2 and done.stderr.startswith("error: ")
    assert (tmp_path / "mark.teardown").exists()


def test_the_assist_command_notes_its_run_for_the_windows_review_progress(
    tmp_path: Path,
) -> None:
    """A run from the command line is noted as the window's runs are, once it has ended (no
    write before its first request): the window then says "0 of 40 reviewed in the last run",
    not a count over every suggestion the project ever had."""
    from assist.review_state import review_progress
    from entry.cli import main

    path = _project(tmp_path / "p.tedit")
    assert main(["assist", str(path), "--model", "offline"]) == 0
    with Project.open(path) as project:
        run = project.last_run()
        assert run is not None and run["finished"] is True
        created = [row["created"] for row in project.suggestions.values()]
        assert created and run["started"] <= min(created)
        assert review_progress(project) == f"0 of {len(created)} reviewed in the last run"
