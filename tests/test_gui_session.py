"""The window changes the project only through its session: Replace All while typing keeps
both; changes made by the command line in another process show within a second, undo in the
window then takes back the latest change whoever made it, and loops of both end consistent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from entry.cli import main
from tests.history_replay import replay
from tests.test_gui_assist import open_window
from tests.test_gui_main import start_editing
from widgets.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
TALK = """\
Nell Hartigan: Welcome back to the show. Today the boat comes first.

Tomas Brandvold: Thanks, Nell. The boat was built in a small yard near the sea.

Nell Hartigan: And who sailed the boat after that?

Tomas Brandvold: Nobody sailed it for decades, until we found it.
"""


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    src = tmp_path / "talk.txt"
    src.write_text(TALK, "utf-8")
    return open_window(qtbot, tmp_path, monkeypatch, src)


def type_into(qtbot, win: MainWindow, row: int, text: str) -> int:
    editor = start_editing(qtbot, win, row)
    qtbot.keyClicks(editor, text)
    return editor.passage_id


def test_replace_all_during_pending_typing_keeps_both(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    pid = type_into(qtbot, window, 1, " Truly.")
    assert window.session is not None and pid in window.session.pending  # no pause yet
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    panel = window.find_panel
    panel.find_edit.clear()
    qtbot.keyClicks(panel.find_edit, "boat")
    panel.replace_edit.clear()
    qtbot.keyClicks(panel.replace_edit, "ship")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    expected = "Thanks, Nell. The ship was built in a small yard near the sea. Truly."
    assert project.passage(pid).text == expected
    # The pause passes: nothing the typing left behind puts the old words back.
    qtbot.wait(900)
    assert project.passage(pid).text == expected
    assert project.draft(pid) is None
    # Two undo steps: the replacement, then the typing.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "The boat was built" in project.passage(pid).text
    assert project.passage(pid).text.endswith("Truly.")
    replay(project.path)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from entry.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_rename_from_the_command_line_shows_within_a_second(
    qtbot, window: MainWindow, capsys
) -> None:
    project = window.project
    assert project is not None
    done = cli("speakers", str(project.path), "--rename", "Tomas Brandvold=Tomas B.")
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: any(s.name == "Tomas B." for s in project.doc.speakers), timeout=1000)
    tree = window.speakers_panel.tree
    names = [tree.topLevelItem(r).text(0) for r in range(tree.topLevelItemCount())]
    assert "Tomas B." in names  # the panel shows it, not only the data
    # Undo in the window takes back the latest change: the command line's rename.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in project.doc.speakers] == ["Nell Hartigan", "Tomas Brandvold"]
    assert main(["speakers", str(project.path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["Nell Hartigan", "Tomas Brandvold"]
    replay(project.path)


@pytest.mark.parametrize(
    "args",
    [
        ("replace", "decades", "years"),  # another passage's text
        ("speakers", "--rename", "Tomas Brandvold=Tomas B."),
    ],
)
def test_a_change_from_another_process_leaves_the_editor_open_where_it_was(
    qtbot, window: MainWindow, args: tuple[str, ...]
) -> None:
    # Every change from elsewhere rebuilt the list, which closed the editor: the next keys
    # went to the end of the passage, not where the caret had been.
    project = window.project
    assert project is not None
    editor = start_editing(qtbot, window, 0)
    cursor = editor.textCursor()
    cursor.setPosition(len("Welcome"))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " back")
    command, *rest = args
    done = cli(command, str(project.path), *rest)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(
        lambda: (
            "years" in project.doc.passages[3].text
            or any(s.name == "Tomas B." for s in project.doc.speakers)
        ),
        timeout=3000,
    )
    assert window.view.current_editor() is editor  # still open, its caret where it was
    qtbot.keyClicks(editor, ",")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert project.passage(editor.passage_id).text.startswith("Welcome back, back to the show.")


LOOP = """
import sys
from entry.cli import main
path, n = sys.argv[1], int(sys.argv[2])
codes = []
for _ in range(n):
    codes.append(main(["replace", path, "^", "c", "--regex"]))
    codes.append(main(["undo", path]))
sys.exit(max(codes))
"""


def test_window_and_command_line_in_loops_end_consistent(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    originals = [p.original for p in project.doc.passages]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loop = subprocess.Popen(
        [sys.executable, "-c", LOOP, str(project.path), "10"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    for i in range(10):
        type_into(qtbot, window, i % 4, " w")
        window.commit_typing()
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        window.session.refresh()  # type: ignore[union-attr]
    _, err = loop.communicate(timeout=240)
    assert loop.returncode == 0, err
    window.session.refresh()  # type: ignore[union-attr]
    replay(project.path)
    # Whatever the interleaving (a burst of typing caught by a reload may make two steps),
    # the history is one: undoing what is still in effect, from the window, gives the import.
    while window.session.undo() is not None:  # type: ignore[union-attr]
        pass
    assert [p.text for p in project.doc.passages] == originals
    replay(project.path)
    assert "error" not in window.statusBar().currentMessage().lower()


@pytest.mark.parametrize(
    "commands",
    [
        [("speakers", "--rename", "Tomas Brandvold=Tomas B.")],
        [("replace", "boat", "ship")],  # the passage being typed into, changed there too
    ],
)
def test_typing_that_another_process_committed_is_not_doubled(
    qtbot, window: MainWindow, commands: list[tuple[str, ...]]
) -> None:
    """The command line commits the drafts it finds (a crashed window's, it takes them
    for); the window then merged its typing from where it began onto text that already held
    it: "… one two three. one two" on disk, and later keys landed in the middle."""
    project = window.project
    assert project is not None
    editor = start_editing(qtbot, window, 0)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " One two")
    assert window.session is not None and editor.passage_id in window.session.pending
    for command, *rest in commands:
        done = cli(command, str(project.path), *rest)
        assert done.returncode == 0, done.stderr
    qtbot.keyClicks(editor, " three.")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    text = project.passage(editor.passage_id).text
    first = "Welcome back to the show. Today the boat comes first."
    if ("replace", "boat", "ship") in commands:
        first = first.replace("boat", "ship")
    assert text == first + " One two three."
    assert window.view.current_editor() is None
    on_disk = subprocess.run(
        [sys.executable, "-m", "entry.cli", "export", str(project.path), "-f", "txt", "-o", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert on_disk.count("One two") == 1 and first + " One two three." in on_disk
    replay(project.path)


def test_a_change_from_another_process_shows_in_the_editor_after_the_pause(
    qtbot, window: MainWindow
) -> None:
    # The command line committed this window's draft and replaced a word in it; the window's
    # own commit then changed nothing, so the editor kept the old word, and the next key
    # wrote it back: the other process's change was undone without a word.
    project = window.project
    assert project is not None and window.session is not None
    editor = start_editing(qtbot, window, 0)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Zed")
    done = cli("replace", str(project.path), "boat", "ship")
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: not window.session.pending and "ship" in editor.toPlainText())
    assert editor.textCursor().position() == len(editor.toPlainText())  # still at the end
    qtbot.keyClicks(editor, "!")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert project.passage(editor.passage_id).text == (
        "Welcome back to the show. Today the ship comes first. Zed!"
    )


def test_undo_in_the_editor_puts_the_caret_where_the_change_was(qtbot, window: MainWindow) -> None:
    # It stayed where it was (the end), and the next letter landed there.
    editor = start_editing(qtbot, window, 0)
    cursor = editor.textCursor()
    cursor.setPosition(len("Welcome "))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "really ")
    window.commit_typing()  # the pause
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Yes.")
    window.commit_typing()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(editor, Qt.Key.Key_Z, ctrl)
    qtbot.keyClick(editor, Qt.Key.Key_Z, ctrl)
    assert editor.toPlainText().startswith("Welcome back to the show.")
    assert editor.textCursor().position() == len("Welcome ")
    qtbot.keyClicks(editor, "truly ")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert window.project is not None
    assert window.project.passage(editor.passage_id).text.startswith("Welcome truly back to")


def save_a_copy(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, copy: Path) -> None:
    """File → Save a copy… (Ctrl+Shift+S), the file dialog answered with ``copy``."""
    from PySide6.QtWidgets import QApplication, QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    window.activateWindow()  # back from the warning (offscreen does not do it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )


def test_a_backup_copied_over_the_project_under_the_window_loses_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written over in place (``cp``: the same file), the window wrote on into it and the
    backup's pages and ours mixed; closing copied our log into it."""
    import shutil
    import sqlite3

    project = window.project
    assert project is not None
    path = project.path
    shutil.copyfile(path, tmp_path / "backup.tedit")
    editor = start_editing(qtbot, window, 0)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Kept")
    qtbot.wait(800)  # committed
    errors: list[str] = []
    window.sig_error.connect(errors.append)
    shutil.copyfile(tmp_path / "backup.tedit", path)
    qtbot.keyClicks(editor, " and this.")
    assert errors and "moved, deleted or replaced" in errors[0]
    assert "not saved" in window.windowTitle()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        first = conn.execute("SELECT text FROM passages ORDER BY seq").fetchone()[0]
    finally:
        conn.close()
    assert first.endswith("Today the boat comes first.")  # the backup as it was
    copy = tmp_path / "rescued.tedit"
    save_a_copy(qtbot, window, monkeypatch, copy)
    assert window.project is not None and window.project.path == copy
    assert window.project.doc.passages[0].text.endswith("first. Kept and this.")
    window.close()
    from editor.store import Project

    with Project.open(path) as restored:  # the backup, untouched by the window's closing
        assert restored.doc.passages[0].text.endswith("Today the boat comes first.")


@pytest.mark.parametrize("how", ["replaced", "deleted"])
def test_a_project_file_replaced_or_deleted_under_the_window_loses_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The window wrote on into a file nobody would see, said "saved", and SQLite's log
    beside the path made the file now there unreadable ("malformed") for good."""
    import sqlite3

    project = window.project
    assert project is not None
    path = project.path
    editor = start_editing(qtbot, window, 0)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Kept")
    qtbot.wait(800)  # committed: an undo step in the file, and in its log
    errors: list[str] = []
    window.sig_error.connect(errors.append)
    other = tmp_path / "other.txt"
    other.write_text("Ann: A different project.\nBob: Yes.\n", "utf-8")
    if how == "replaced":  # a backup restored over it, a sync tool's download
        assert main(["import", str(other), "-o", str(tmp_path / "new.tedit")]) == 0
        os.replace(tmp_path / "new.tedit", path)
    else:
        path.unlink()
    qtbot.keyClicks(editor, " and this.")
    assert errors and "moved, deleted or replaced" in errors[0]
    assert "not saved" in window.windowTitle()
    if how == "replaced":  # the file there is whole, for the command line too
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        done = cli("info", str(path), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["passages"] == 2
    # File → Save a copy…: the history and what was typed, and work goes on there.
    copy = tmp_path / "rescued.tedit"
    save_a_copy(qtbot, window, monkeypatch, copy)
    assert window.project is not None and window.project.path == copy
    first = window.project.doc.passages[0].text
    assert first.endswith("Today the boat comes first. Kept and this.")
    assert "not saved" not in window.windowTitle()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.doc.passages[0].text.endswith("first. Kept")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.doc.passages[0].text.endswith("first.")
    replay(copy)
