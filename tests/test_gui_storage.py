"""The window on a read-only project and on a full disk: said clearly, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.store import Project
from entry.cli import main
from tests.test_gui_session import TALK
from widgets import theme
from widgets.main_window import MainWindow


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    src = tmp_path / "talk.txt"
    src.write_text(TALK, "utf-8")
    out = tmp_path / "p" / "talk.tedit"
    out.parent.mkdir()
    assert main(["import", str(src), "-o", str(out)]) == 0
    return out


def window_on(qtbot, path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path.parent.parent / "config"))
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    win.show()
    assert win.open_file(str(path))
    return win


def test_a_read_only_project_is_shown_read_only_and_never_edited(
    qtbot, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = project_path.read_bytes()
    with Project.open(project_path, read_only=True):
        pass
    # Force read-only the way a read-only medium does (root ignores file modes).
    monkeypatch.setattr("editor.store.writable", lambda path: False)
    win = window_on(qtbot, project_path, monkeypatch)
    assert win.project is not None and win.project.read_only
    assert "read-only" in win.windowTitle()
    assert "Read-only" in win.status_saved.text()
    win.view.setCurrentIndex(win.model.index(0))
    qtbot.keyClick(win.view, Qt.Key.Key_X)  # typing on a passage would open its editor
    assert win.view.current_editor() is None
    qtbot.keyClick(win.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    panel = win.find_panel
    qtbot.keyClicks(panel.find_edit, "boat")
    qtbot.keyClicks(panel.replace_edit, "ship")
    qtbot.mouseClick(panel.replace_all_button, Qt.MouseButton.LeftButton)
    assert "read-only: changes cannot be saved" in panel.status.text()
    win.close()
    assert project_path.read_bytes() == before  # not a byte written
    assert not Path(f"{project_path}-wal").exists() and not Path(f"{project_path}-shm").exists()


def test_a_full_disk_keeps_the_typing_and_says_so(
    qtbot, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = window_on(qtbot, project_path, monkeypatch)
    project = win.project
    assert project is not None
    conn = project.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on
    index = win.model.index(1)
    win.view.setCurrentIndex(index)
    win.view.edit(index)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText(" " + "long words " * 3000)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # a big paste
    assert "disk full" in win.statusBar().currentMessage()
    assert editor.toPlainText().endswith("long words ")  # nothing typed is lost on screen
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    qtbot.keyClicks(editor, "!")
    win.commit_typing()
    assert project.passage(editor.passage_id).text.endswith("long words !")


def _refused(qtbot, path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A window on ``path`` (trying again every 0.1 s) with typing the full disk refused:
    (window, passage id, its text as typed)."""
    monkeypatch.setattr("widgets.main_window.RETRY_SAVE_MS", 100)
    win = window_on(qtbot, path, monkeypatch)
    return (win, *_type_while_full(qtbot, win))


def _type_while_full(qtbot, win: MainWindow) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Fill the disk, type into passage 2 with the keys and close its editor (Esc)."""
    assert win.project is not None
    conn = win.project.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    win.view.setCurrentIndex(win.model.index(1))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText(" pasted" * 5000)  # more than the free room in pages
    qtbot.keyClicks(editor, " TYPED WHILE FULL")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.view.current_editor() is None)
    return editor.passage_id, editor.toPlainText()


def test_typing_the_disk_refused_is_saved_once_there_is_room(
    qtbot, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The typing was kept only while its editor was open: closed, it was gone, and the
    # window said "saved" all along. Freeing the space saved nothing.
    win, pid, typed = _refused(qtbot, project_path, monkeypatch)
    assert win.project is not None and "pasted" not in win.project.passage(pid).text
    assert "not saved" in win.windowTitle() and win.status_saved.text().startswith("Not saved")
    assert "disk full" in win.statusBar().currentMessage()
    row = win.model.row_of(pid)
    assert row is not None
    shown = win.view.delegate.shown(win.model.index(row))
    assert shown is not None and shown.text == typed  # still shown in its row
    win.project.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    qtbot.waitUntil(lambda: "— saved —" in win.windowTitle(), timeout=3000)
    assert win.project.passage(pid).text == typed
    assert win.status_saved.text() == "All changes saved"
    win.close()
    with Project.open(project_path) as p:
        assert p.passage(pid).text == typed


def test_typing_after_the_disk_has_room_again_is_not_written_over(
    qtbot, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the disk refused was tried again later, over what had been typed since.
    win, pid, typed = _refused(qtbot, project_path, monkeypatch)
    assert win.project is not None
    win.project.conn.execute("PRAGMA max_page_count = 1073741823")  # room again
    win.view.setCurrentIndex(win.model.index(win.model.row_of(pid) or 0))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None and editor.toPlainText() == typed  # the kept text, to go on
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " and more")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(400)  # the retry's ticks come and go
    assert win.project.passage(pid).text == typed + " and more"


def test_closing_with_typing_the_disk_refused_asks_first(
    qtbot, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    win = window_on(qtbot, project_path, monkeypatch)
    pid, typed = _type_while_full(qtbot, win)
    asked: list[str] = []

    def answer(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(title)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    win.interactive = True  # a user's window asks; a script's closes
    win.close()
    assert asked == ["Changes not saved"] and win.isVisible() and win.project is not None
    win.project.conn.execute("PRAGMA max_page_count = 1073741823")
    win.close()  # room again: saved on closing, nothing asked
    assert asked == ["Changes not saved"] and not win.isVisible()
    with Project.open(project_path) as p:
        assert p.passage(pid).text == typed


def test_a_failed_import_never_costs_the_file_chosen_to_keep_it_in(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Keep the project as" an existing file deleted that file before the import was read;
    # when the import then failed, it was gone. Its own transcript's name was deleted too.
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    valuable = tmp_path / "valuable.tedit"
    valuable.write_bytes(b"my other project")
    asked: list[str] = []
    errors: list[str] = []
    chosen = {"path": str(valuable)}
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (asked.append("asked"), (chosen["path"], ""))[1],
    )
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: errors.append(text))
    win = MainWindow(theme.LIGHT, interactive=True)
    qtbot.addWidget(win)
    win.show()
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02 not a transcript")
    assert not win.open_file(str(broken))
    assert errors and not asked  # said at once, nothing asked
    assert valuable.read_bytes() == b"my other project"
    # A transcript kept as its own name: refused, the transcript kept.
    talk = tmp_path / "talk.txt"
    talk.write_text(TALK, "utf-8")
    chosen["path"] = str(talk)
    assert not win.open_file(str(talk))
    assert talk.read_text("utf-8") == TALK and "its transcript" in errors[-1]
    # Kept as the existing file: replaced, now that the project is made.
    chosen["path"] = str(valuable)
    assert win.open_file(str(talk)) and win.project is not None
    assert win.project.path == valuable and valuable.read_bytes().startswith(b"SQLite format 3")
