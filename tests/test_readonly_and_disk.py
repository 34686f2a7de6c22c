"""Opening never writes unless it must; a full disk says so and loses nothing; reading is
bounded whatever the file is (issue 10, points 3 and 5)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor import store, textio
from editor.commands import ReplaceAll
from editor.errors import ImportFailed, StorageError
from editor.store import Project
from entry.cli import main
from tests.history_replay import replay

TEXT = "Alice 00:00:01\n\nHello there, this is a test.\n\nBob 00:00:05\n\nHi Alice.\n"


def _project(folder: Path) -> Path:
    source = folder / "talk.txt"
    source.write_text(TEXT, encoding="utf-8")
    project = folder / "talk.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    assert main(["replace", str(project), "Hello", "Howdy"]) == 0
    return project


def _side_files(project: Path) -> list[str]:
    return sorted(p.name for p in project.parent.iterdir() if p.name != project.name
                  and p.name.startswith(project.name))  # fmt: skip


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _deny_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user without write permission sees it (tests run as root, where chmod is moot)."""
    monkeypatch.setattr(store, "writable", lambda path: False)


def test_info_and_export_never_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path)
    before = (project.read_bytes(), project.stat().st_mtime_ns)
    assert _cli(capsys, "info", str(project))[0] == 0
    assert _cli(capsys, "export", str(project), "-f", "md", "-o", str(tmp_path / "x.md"))[0] == 0
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
    assert _side_files(project) == []


def test_read_only_project_can_be_viewed_and_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    _deny_writes(monkeypatch)
    before = project.read_bytes()
    code, out, err = _cli(capsys, "info", str(project), "--json")
    assert code == 0, err
    code, out, err = _cli(capsys, "history", str(project))
    assert code == 0 and "Howdy" in out, err
    code, out, err = _cli(capsys, "export", str(project), "-f", "txt", "-o", "-")
    assert code == 0 and "Howdy there" in out, err
    with Project.open(project) as p:
        assert p.read_only and p.doc.passages[0].text.startswith("Howdy")
    # A change is refused with one line, exit 1 (the disk, not the input, is the problem).
    code, _, err = _cli(capsys, "replace", str(project), "Howdy", "Hey")
    assert code == 1
    assert err.count("\n") == 1 and "read-only" in err and "attempt to write" not in err
    assert project.read_bytes() == before
    assert _side_files(project) == []


def test_read_only_open_shows_drafts_without_committing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    with Project.open(project, read_only=False) as p:
        p.save_draft(p.doc.passages[0].id, "Typed before the crash.")
    _deny_writes(monkeypatch)
    before = project.read_bytes()
    with Project.open(project) as p:
        assert p.doc.passages[0].text == "Typed before the crash."
        assert p.history_count() == 1  # shown, not committed
    assert project.read_bytes() == before


def test_migration_only_when_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    with Project.open(project) as p:  # make it an older project: one migration pending
        p.conn.execute(
            "DELETE FROM migrations WHERE name IN ('m002_suggestions', 'm008_accepted_hunks')"
        )
        p.conn.execute("DROP TABLE suggestions")
        p.conn.execute("DROP TABLE assist_cache")
        p.conn.execute("PRAGMA user_version = 1")
    monkeypatch.setattr(store, "writable", lambda path: False)
    before = project.read_bytes()
    # Read-only, it opens upgraded in memory (it was refused: every export of an old
    # project failed), and the file is left exactly as it was.
    with Project.open(project) as p:
        assert p.read_only
        assert p.suggestion_counts()["pending"] == 0
        assert len(p.doc.passages) > 0
    assert project.read_bytes() == before and _side_files(project) == []
    monkeypatch.undo()
    with Project.open(project) as p:
        assert p.suggestion_counts()["pending"] == 0
    with Project.open(project) as p:
        from editor import schema

        assert schema.pending(p.conn) == []


def test_opening_a_current_project_writes_no_migration(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with Project.open(project) as p:
        changes = p.conn.total_changes
    assert changes == 0


@contextlib.contextmanager
def _mount(args: list[str], target: Path) -> Iterator[None]:
    target.mkdir(exist_ok=True)
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here (needs root in a privileged container): {done.stderr}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_read_only_mount(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rw = tmp_path / "rw"
    rw.mkdir()
    _project(rw)
    ro = tmp_path / "ro"
    with _mount(["--bind", str(rw)], ro):
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)]).returncode != 0:
            pytest.skip("cannot remount read-only")
        project = ro / "talk.tedit"
        for args in (
            ["info", str(project)],
            ["history", str(project)],
            ["export", str(project), "-f", "md", "-o", str(tmp_path / "out.md")],
        ):
            code, _, err = _cli(capsys, *args)
            assert code == 0, (args, err)
        code, _, err = _cli(capsys, "undo", str(project))
        assert code == 1 and err.count("\n") == 1 and "read-only" in err
        assert _side_files(rw / "talk.tedit") == []


def test_full_disk_is_reported_and_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Always runs: SQLite's max_page_count makes the file unable to grow, as a full disk."""
    project = _project(tmp_path)
    with Project.open(project) as p:
        before = [q.text for q in p.doc.passages]
        entries = p.history_count()
        pages = p.conn.execute("PRAGMA page_count").fetchone()[0]
        p.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageError) as info:
            p.execute(ReplaceAll("Alice", "A" * 200_000))
        assert str(info.value).startswith("disk full")
        assert [q.text for q in p.doc.passages] == before
        assert not p.can_redo() and p.history_count() == entries
    with Project.open(project) as p:
        assert [q.text for q in p.doc.passages] == before
        assert p.history_count() == entries
        assert p.execute(ReplaceAll("Alice", "Alicia")) is not None  # and it still works
    replay(project)  # the whole history log still replays


def test_typing_the_disk_refuses_to_commit_stays_pending(tmp_path: Path) -> None:
    # The session took every refusal for a passage merged away and dropped the typing.
    from editor.session import Session

    project = _project(tmp_path)
    with Project.open(project) as p:
        session = Session(p)
        pid = p.doc.passages[0].id
        session.type_text(pid, "Typed before the disk filled." + " and more" * 3000)
        pages = p.conn.execute("PRAGMA page_count").fetchone()[0]
        p.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for its undo step
        with pytest.raises(StorageError):
            session.commit_typing()
        assert session.pending == {pid} and session.can_undo()
        p.conn.execute("PRAGMA max_page_count = 1073741823")  # room again
        session.commit_typing()
        assert session.pending == set() and p.passage(pid).text.endswith(" and more")


def _assist_project(tmp_path: Path) -> Path:
    """30 passages the offline engine edits, asked in more than two requests."""
    long = "It was cold and the boats were small and the sea was grey all day. " * 12
    source = tmp_path / "talk.txt"
    source.write_text(
        "".join(f"Ann: So, um, we met at the harbour {i}. {long}\n\n" for i in range(30)), "utf-8"
    )
    project = tmp_path / "a.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    return project


def test_assist_stopped_by_a_full_disk_says_what_it_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "disk full: the project was not changed" with suggestions already stored.
    from editor.errors import sqlite_failure
    from editor.store_suggestions import SuggestionsMixin

    project = _assist_project(tmp_path)
    store = SuggestionsMixin.store_results
    calls: list[int] = []

    def fills_up(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 2:  # the disk is full from the third store on
            import sqlite3

            raise sqlite_failure(sqlite3.OperationalError("database or disk is full"), "a.tedit")
        return store(self, *args, **kwargs)

    monkeypatch.setattr(SuggestionsMixin, "store_results", fills_up)
    monkeypatch.setattr("assist.service.LOCAL_FLUSH_SECONDS", 0.0)  # a store per reply
    capsys.readouterr()
    code, _, err = _cli(capsys, "assist", str(project), "--model", "offline")
    assert code == 1 and err.count("\n") == 1
    with Project.open(project) as p:
        stored = len(p.suggestions)
    assert 0 < stored < 30
    assert err.startswith(f"error: disk full: {stored} suggestion") and "the rest were not" in err


def test_assist_whose_run_record_cannot_be_written_says_its_suggestions_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor.store_suggestions import SuggestionsMixin

    project = _assist_project(tmp_path)

    def full(self, started):  # type: ignore[no-untyped-def]
        raise StorageError(f"disk full: {project} was not changed; free some space and try again")

    monkeypatch.setattr(SuggestionsMixin, "run_finished", full)
    capsys.readouterr()
    code, out, err = _cli(capsys, "assist", str(project), "--model", "offline")
    assert code == 1 and out.startswith("asked 30") and err.count("\n") == 1
    assert err.startswith("error: disk full: the suggestions are stored, but not the run's record")
    with Project.open(project) as p:
        assert len(p.suggestions) == 30


def test_assist_interrupted_says_what_it_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl+C said only "error: interrupted".
    import assist.service

    project = _assist_project(tmp_path)
    run = assist.service.run_assist_blocking

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        run(*args, **kwargs)  # what was stored before the key was pressed
        raise KeyboardInterrupt

    monkeypatch.setattr(assist.service, "run_assist_blocking", interrupted)
    capsys.readouterr()
    code, _, err = _cli(capsys, "assist", str(project), "--model", "offline")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("error: interrupted: 30 suggestions from this run are stored")


def test_full_tmpfs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    disk = tmp_path / "disk"
    with _mount(["-t", "tmpfs", "-o", "size=300k", "tmpfs"], disk):
        project = _project(disk)
        big = tmp_path / "big.txt"
        big.write_text("Alice 00:00:01\n\n" + "word " * 60_000 + "\n")
        code, _, err = _cli(capsys, "import", str(big), "-o", str(disk / "big.tedit"))
        assert code == 1 and err.startswith("error: disk full"), err
        assert "big.tedit was not created" in err  # it said "was not changed" of a new file
        assert not (disk / "big.tedit").exists()
        with open(disk / "fill", "wb", buffering=0) as fh:  # fill what is left
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        code, _, err = _cli(capsys, "replace", str(project), "Howdy", "x" * 50_000)
        assert code == 1 and err.startswith("error: disk full"), err
        assert "damaged" not in err and "rollback" not in err
        code, out, err = _cli(capsys, "export", str(project), "-f", "txt", "-o", "-")
        assert code == 0 and "Howdy there" in out, err
        # Commands that only show something read on a full disk too (they said "disk full"
        # and left -wal and -shm files behind).
        left = _side_files(project)  # by the failed replace
        for args in (["history"], ["speakers"], ["media"], ["info"]):
            code, out, err = _cli(capsys, args[0], str(project), *args[1:])
            assert code == 0, (args, err)
        code, out, err = _cli(capsys, "compare", str(project), str(big))
        assert "disk full" not in err, err
        assert _side_files(project) == left
        (disk / "fill").unlink()
        with Project.open(project) as p:
            assert p.doc.passages[0].text.startswith("Howdy there")
            assert p.history_count() == 1
        replay(project)


# -- bounded reading --------------------------------------------------------------------------


def _run_cli(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "entry.cli", *args], capture_output=True, text=True,
        timeout=timeout, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip


def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    done = _run_cli("import", "/dev/zero", "-o", str(tmp_path / "z.tedit"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "not a regular file" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["import", "info"])
def test_fifo_without_writer_does_not_hang(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["-o", str(tmp_path / "p.tedit")] if command == "import" else [])
    done = _run_cli(*args)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert not (tmp_path / "p.tedit").exists()


def test_fifo_with_a_writer_that_never_closes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer holding it open, forever
    try:
        os.write(fd, b"Alice 00:00:01\n\nHello.\n")
        done = _run_cli("import", str(fifo), "-o", str(tmp_path / "p.tedit"))
    finally:
        os.close(fd)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    assert not (tmp_path / "p.tedit").exists()


def test_reading_stops_at_the_limit_whatever_stat_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grows.txt"
    path.write_text("Alice 00:00:01\n\n" + "word " * 1000)
    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 1000)
    reads: list[int] = []
    real_open, real_fstat = textio.open_regular, os.fstat

    class Lying:  # stat says the file is empty, as /proc files and devices do
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 0

    def spy(p: str | Path):  # type: ignore[no-untyped-def]
        fh = real_open(p)
        original = fh.read

        def read(n: int = -1) -> bytes:
            reads.append(n)
            return original(n)

        fh.read = read  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(textio, "open_regular", spy)
    monkeypatch.setattr(textio.os, "fstat", lambda fd: Lying(real_fstat(fd)))
    with pytest.raises(ImportFailed, match="limit"):
        textio.read_text_file(path)
    assert all(0 < n <= 1 << 20 for n in reads)  # never an unbounded read()
    assert sum(reads) <= 1001 + (1 << 20)


def test_large_file_memory_is_bounded(tmp_path: Path) -> None:
    """Peak memory of reading and decoding a 20 MB file: under 10x its size."""
    import tracemalloc

    path = tmp_path / "big.txt"
    para = "the quick brown fox jumps over the lazy dog. " * 20
    with path.open("w") as fh:
        for i in range(20 * 1024 * 1024 // (len(para) + 40)):
            fh.write(f"{'Alice' if i % 2 else 'Bob'} {i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
                     f"\n\n{para}\n\n")  # fmt: skip
    size = path.stat().st_size
    tracemalloc.start()
    try:
        text = textio.read_text_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(text) > size * 0.9
    assert peak < 10 * size, f"peak {peak / 1e6:.0f} MB for {size / 1e6:.0f} MB"


def test_thread_safety_of_readonly_flag(tmp_path: Path) -> None:
    # A read-only project opened twice at once (two panels, two processes) both read.
    project = _project(tmp_path)
    results: list[int] = []

    def read() -> None:
        with Project.open(project, read_only=True) as p:
            results.append(len(p.doc.passages))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2, 2, 2, 2]
    assert _side_files(project) == []


def test_a_backup_copied_over_the_open_project_is_noticed_and_left_whole(tmp_path: Path) -> None:
    # Written over in place (the same file: `cp backup.tedit talk.tedit`, a sync tool), the
    # open project wrote on into it, its pages mixed with the backup's, and on closing
    # copied its log in: the backup restored was damaged.
    import shutil
    import sqlite3

    from editor.commands import EditText

    path = _project(tmp_path)
    backup = tmp_path / "backup.tedit"
    shutil.copyfile(path, backup)
    project = Project.open(path)
    first = project.doc.passages[0].id
    for n in range(30):  # enough for pages in the log the backup does not have
        project.execute(EditText(first, f"Edited {n} times. " * 40))
    inode = os.stat(path).st_ino
    shutil.copyfile(backup, path)
    assert os.stat(path).st_ino == inode  # the same file, written over
    assert project.moved_away()
    with pytest.raises(StorageError, match="moved, deleted or replaced"):
        project.execute(EditText(first, "One more."))
    project.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [t for (t,) in conn.execute("SELECT text FROM passages ORDER BY seq")]
    finally:
        conn.close()
    assert texts == ["Howdy there, this is a test.", "Hi Alice."]  # the backup, whole
    replay(path)


def test_another_process_writing_and_checkpointing_is_not_taken_for_a_copy_over(
    tmp_path: Path,
) -> None:
    from editor.commands import EditText

    path = _project(tmp_path)
    with Project.open(path) as ours:
        first = ours.doc.passages[0].id
        for n in range(20):
            with Project.open(path) as other:  # closing checkpoints (not the last one open)
                other.conn.execute("PRAGMA wal_autocheckpoint = 1")  # at every commit
                other.execute(EditText(first, f"Their edit {n}. " * 40))
                other.execute(EditText(first, f"Their edit {n} again. " * 40))
            assert Path(f"{path}-wal").exists()  # its closing left our log alone
            assert not ours.moved_away()
        ours.execute(EditText(first, "Ours at last."))
    with Project.open(path) as again:
        assert again.doc.passages[0].text == "Ours at last."


def test_a_project_moved_while_open_leaves_no_log_files_behind(tmp_path: Path) -> None:
    # Closed after its file was moved (or deleted), it left an empty -wal and -shm at the
    # old path, which a file put there later would take for its own.
    from editor.commands import EditText

    path = _project(tmp_path)
    project = Project.open(path)
    first = project.doc.passages[0].id
    moved = tmp_path / "moved.tedit"
    os.rename(path, moved)
    with pytest.raises(StorageError, match="moved, deleted or replaced"):
        project.execute(EditText(first, "After the move."))
    project.close()
    assert _side_files(path) == [] and not path.exists()
    with Project.open(moved) as again:
        assert again.passage(first).text == "Howdy there, this is a test."
    # Replaced by a new file while open, with commits in its log: the log goes, and the
    # file now at the path opens whole (it would take that log for its own).
    project = Project.open(moved)
    project.execute(EditText(first, "In the log only."))
    (tmp_path / "other").mkdir()
    os.replace(_project(tmp_path / "other"), moved)
    project.close()
    assert _side_files(moved) == []
    with Project.open(moved) as again:
        assert again.passage(first).text == "Howdy there, this is a test."


def test_a_crashed_project_without_its_log_index_on_read_only_media_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Copied without its -shm (as some backup tools do), its changes still in the -wal, on
    # read-only media: "cannot open the file (missing folder or no permission)", which sent
    # the user looking for a folder that was there.
    code = (
        "import os, sys; from editor.store import Project; from editor.commands import "
        "ReplaceAll; p = Project.open(sys.argv[1]); p.execute(ReplaceAll('Howdy', 'Hey')); "
        "os._exit(0)"
    )
    rw = tmp_path / "rw"
    rw.mkdir()
    path = _project(rw)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env, cwd=root)
    Path(f"{path}-shm").unlink()
    ro = tmp_path / "ro"
    with _mount(["--bind", str(rw)], ro):
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)]).returncode != 0:
            pytest.skip("cannot remount read-only")
        code_, _out, err = _cli(capsys, "info", str(ro / "talk.tedit"))
    assert code_ == 2
    assert "without the log's index" in err and "copy the project" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["replace", "undo", "info"])
def test_a_folder_or_a_pipe_named_like_a_project_is_said_to_be_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # `replace` and `undo` said "no such project file" of a folder that was there.
    folder = tmp_path / "dir.tedit"
    folder.mkdir()
    pipe = tmp_path / "pipe.tedit"
    os.mkfifo(pipe)
    args = ["a", "b"] if command == "replace" else []
    code, _, err = _cli(capsys, command, str(folder), *args)
    assert code == 2 and "is a folder" in err and err.count("\n") == 1
    code, _, err = _cli(capsys, command, str(pipe), *args)
    assert code == 2 and err.count("\n") == 1 and "no such" not in err


def test_a_closing_checkpoint_of_our_own_writing_is_not_taken_for_a_copy(tmp_path: Path) -> None:
    # Our writing outside a command (a draft, a setting) then another connection that
    # committed nothing closing: its checkpoint wrote our frames into the file and emptied
    # the log back to the size noted, and the file looked written over.
    path = _project(tmp_path)
    with Project.open(path) as project:
        first = project.doc.passages[0].id
        with Project.open(path):
            pass  # a command that changes nothing: its closing empties the log
        project.note_file()  # the log empty, as noted
        project.set_meta("language", "en")  # a setting: written at once, no command
        with Project.open(path):
            pass
        assert not project.moved_away()
        project.save_draft(first, "Typed, not yet a step.")
        project.commit_draft(first)
    with Project.open(path) as again:
        assert again.passage(first).text == "Typed, not yet a step."
        assert again.get_meta("language") == "en"
