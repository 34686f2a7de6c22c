"""The real window, offscreen: open, type, undo/redo across restarts, split/merge, speakers,
find/replace, history restore, export, and a failing import's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from editor.store import Project
from widgets import theme
from widgets.main_window import MainWindow

SAMPLE = "speaker-blocks-excerpt.txt"


@pytest.fixture
def window(qtbot, tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    assert win.open_file(str(samples / SAMPLE), str(tmp_path / "p.tedit"))
    return win


def start_editing(qtbot, win: MainWindow, row: int = 0):
    index = win.model.index(row)
    win.view.setCurrentIndex(index)
    win.view.edit(index)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    return editor


def test_type_undo_redo_and_reopen(qtbot, window: MainWindow, tmp_path: Path) -> None:
    project = window.project
    assert project is not None
    first = project.doc.passages[0]
    before = first.text
    editor = start_editing(qtbot, window)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Great")
    # The pause in typing commits one history entry.
    qtbot.waitUntil(lambda: project.history_count() == 1, timeout=3000)
    assert project.passage(first.id).text == before + " Great"
    assert "saved" in window.windowTitle()

    window.undo()
    assert project.passage(first.id).text == before
    assert editor.toPlainText() == before  # the open editor follows the history
    window.redo()
    assert project.passage(first.id).text == before + " Great"
    window.undo()

    # Undo/redo survive closing the window and reopening the project.
    path = project.path
    window.close_project()
    # Nothing open: no "All changes saved", no history label over an empty preview.
    assert window.status_saved.text() == ""
    assert not window.history_panel.diff_label.isVisibleTo(window.history_panel)
    window.open_file(str(path))
    assert window.project is not None
    window.redo()
    assert window.project.passage(first.id).text == before + " Great"


def test_typing_is_durable_before_the_pause(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    editor = start_editing(qtbot, window, 2)
    pid = editor.passage_id
    qtbot.keyClicks(editor, "X")
    # Stored as a draft at once: a crash now loses nothing; reopening commits it.
    # The editor opens with the caret at the end: typing continues the passage.
    assert project.draft(pid) is not None and project.draft(pid).endswith("X")
    path = project.path
    reopened = Project.open(path)
    try:
        assert reopened.passage(pid).text.endswith("X")
    finally:
        reopened.close()


def test_split_and_merge(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    n = len(project.doc.passages)
    editor = start_editing(qtbot, window, 1)
    pid = editor.passage_id
    text = project.passage(pid).text
    cursor = editor.textCursor()
    cut = text.index(". ") + 2
    cursor.setPosition(cut)
    editor.setTextCursor(cursor)
    window.split_at_cursor()
    assert len(project.doc.passages) == n + 1
    assert project.passage(pid).text == text[:cut].strip()
    window.view.scroll_to_passage(pid)
    window.merge_with_next()
    assert len(project.doc.passages) == n
    assert project.passage(pid).text == text
    assert window.model.rowCount() == n


def test_assign_and_rename_speaker(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    window.view.setCurrentIndex(window.model.index(0))
    first = window.current_passage()
    assert first is not None
    window.assign_speaker(1)
    assert project.passage(first.id).speaker_id == project.doc.speakers[1].id
    window.undo()
    panel = window.speakers_panel
    item = panel.tree.topLevelItem(1)
    assert item is not None
    panel.tree.setCurrentItem(item)
    panel.rename("Dwarkesh")
    assert project.doc.speakers[0].name == "Dwarkesh"
    assert window.view.speaker_info[project.doc.speakers[0].id][0] == "Dwarkesh"
    window.undo()
    assert project.doc.speakers[0].name == "Dwarkesh Patel"


def test_speaker_filter_and_changed_filter(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    total = window.model.rowCount()
    andrej = project.doc.speakers[1].id
    window.speakers_panel.sig_filter_speaker.emit(andrej)
    assert 0 < window.model.rowCount() < total
    window.speakers_panel.sig_filter_speaker.emit(-1)
    assert window.model.rowCount() == total
    window.set_filter("changed")
    assert window.model.rowCount() == 0
    window.find_panel.find_edit.setText("decade")
    window.find_panel.replace_edit.setText("DECADE")
    window.find_panel.replace_all()
    assert window.model.rowCount() > 0
    window.set_filter("unchanged")
    assert 0 < window.model.rowCount() < total


def test_find_next_and_regex_replace_all(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    panel = window.find_panel
    panel.find_edit.setText(r"(\d+) years")
    panel.regex.setChecked(True)
    with qtbot.waitSignal(panel.sig_show_match) as blocker:
        panel.find_next()
    pid, start, end = blocker.args
    assert project.passage(pid).text[start:end].endswith("years")
    editor = window.view.current_editor()
    assert editor is not None and editor.textCursor().selectedText().endswith("years")
    window.commit_typing()
    panel.replace_edit.setText(r"\1 yrs")
    count = panel.replace_all()
    assert count > 0 and "Replaced" in panel.status.text()
    assert project.history()[-1].source == "find_replace"
    window.undo()
    assert all(" yrs" not in p.text for p in project.doc.passages)


def test_bad_regex_is_shown_inline(window: MainWindow) -> None:
    panel = window.find_panel
    panel.regex.setChecked(True)
    panel.find_edit.setText("(unclosed")
    panel.find_next()
    assert "regular expression" in panel.status.text()


def test_history_panel_restores_a_version(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    from editor.commands import EditText

    pid = project.doc.passages[0].id
    original = project.passage(pid).text
    project.execute(EditText(pid, "First rewrite."))
    project.execute(EditText(pid, "Second rewrite."))
    window.view.scroll_to_passage(pid)
    panel = window.history_panel
    assert panel.version_list.count() == 3
    panel.version_list.setCurrentRow(2)  # the newest: the current text, nothing to compare
    assert not panel.restore_button.isEnabled()
    assert panel.diff_label.text().startswith("The current text")
    panel.version_list.setCurrentRow(0)
    assert panel.restore_button.isEnabled()
    assert panel.diff_label.text().startswith("Difference")
    panel.restore_selected()
    assert project.passage(pid).text == original
    assert project.history()[-1].source == "restore"
    window.undo()
    assert project.passage(pid).text == "Second rewrite."


def test_jump_to_time_and_next_changed(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    assert window.jump_to_time("0:12:10")
    current = window.current_passage()
    assert current is not None and current.start is not None and current.start <= 730
    from editor.commands import EditText

    target = project.doc.passages[10]
    project.execute(EditText(target.id, target.text + " (edited)"))
    window.view.setCurrentIndex(window.model.index(0))
    window.goto_changed(1)
    assert window.current_passage() is not None
    assert window.current_passage().id == target.id  # type: ignore[union-attr]


def test_export_dialog_writes_the_file(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from widgets.export_dialog import ExportDialog

    assert window.project is not None
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    qtbot.waitUntil(lambda: dialog.preview.toPlainText().startswith("# "))
    out = tmp_path / "out.md"
    dialog.path.setText(str(out))
    dialog.show()
    assert not dialog.progress.isVisible()  # no bar at 0% before anything is exported
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.worker.sig_finished, timeout=10000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert "Saved" in dialog.status.text()
    assert not dialog.progress.isVisible()  # "Saved …" says it; no bar left at 100%


def test_failing_import_shows_a_message(qtbot, tmp_path: Path) -> None:
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with qtbot.waitSignal(win.sig_error) as blocker:
        assert not win.open_file(str(bad))
    assert "PNG" in blocker.args[0]
    assert win.project is None
    assert not (tmp_path / "image.tedit").exists()


def test_show_changes_marks_the_edited_column(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    from editor.commands import EditText

    p = project.doc.passages[0]
    project.execute(EditText(p.id, p.text.replace("Today", "Now")))
    window.toggle_changes(True)
    assert window.view.delegate.show_changes
    # The diff layout shows deleted and inserted words both.
    layout, _ = window.view.delegate._text_layout(project.passage(p.id), "edited", 400)
    assert "Today" in layout.text() and "Now" in layout.text()
    assert window.view.grab().width() > 0


def test_drafts_are_not_lost_when_the_window_closes(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    editor = start_editing(qtbot, window, 3)
    pid = editor.passage_id
    qtbot.keyClicks(editor, "Z")
    path = project.path
    window.close()
    reopened = Project.open(path)
    try:
        assert reopened.passage(pid).text.endswith("Z")
        assert reopened.history()[-1].source == "typed"
    finally:
        reopened.close()


def test_keyboard_shortcuts_dialog_lists_actions(qtbot, window: MainWindow) -> None:
    from widgets.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window.actions(), window)
    qtbot.addWidget(dialog)
    names = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}  # type: ignore[union-attr]
    assert {"Undo", "Split passage at cursor", "Jump to time…"} <= names
    keys = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}  # type: ignore[union-attr]
    assert "F8" in " ".join(keys)  # changed-passage navigation is listed with its key
    # Each says where it is in the menus: "All" alone did not say what it shows.
    table = dialog.table
    where = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}  # type: ignore[union-attr]
    assert where["All"] == "View ▸ Filter" and where["Undo"] == "Edit"
    qtbot.keyClicks(dialog.filter, "filter")  # the menu is searched too
    shown = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert shown and all(where[table.item(r, 0).text()] == "View ▸ Filter" for r in shown)  # type: ignore[union-attr]
    # Down goes from the search into the list, on the first row found (it stayed put).
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert table.selectionModel().isRowSelected(shown[0])


def test_qt_bindings_keep_none_alive(qtbot, window: MainWindow) -> None:
    # PySide6 6.12.0 dropped a reference to None on each void call, crashing Python 3.11
    # mid-paint; pyproject excludes it. This fails if such a build is installed.
    import sys

    before = sys.getrefcount(None)
    for _ in range(50):
        window.view.viewport().repaint()
    assert sys.getrefcount(None) >= before - 10


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            name = key.toString()
            assert name not in seen, f"{name}: {seen.get(name)} and {action.text()}"
            seen[name] = action.text()


def test_context_menu_offers_the_passage_actions(qtbot, window: MainWindow) -> None:
    window.view.setCurrentIndex(window.model.index(0))
    menu = window.context_menu()
    texts = [a.text() for a in menu.actions()]
    assert {"&Split passage at cursor", "&Merge with next passage", "Assign to speaker"} <= set(
        texts
    )
    assign = next(a.menu() for a in menu.actions() if a.text() == "Assign to speaker")
    names = [a.text().split("\t")[0] for a in assign.actions() if a.text()]
    assert names[:2] == ["Dwarkesh Patel", "Andrej Karpathy"]
    assign.actions()[1].trigger()
    assert window.project is not None
    assert window.current_passage().speaker_id == window.project.doc.speakers[1].id  # type: ignore[union-attr]


def test_dropping_a_file_opens_it(qtbot, tmp_path: Path, samples: Path, monkeypatch) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(samples / "podcast-index-excerpt.txt"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)
    assert win.project is not None and win.project.doc.format == "podcast-index"
    assert win.project.path.parent == tmp_path / "data" / "transcript-editor" / "imports"


def test_no_shortcut_takes_a_menu_mnemonic(window: MainWindow) -> None:
    mnemonics = set()
    for action in window.menuBar().actions():
        text = action.text()
        if "&" in text:
            mnemonics.add(f"Alt+{text[text.index('&') + 1].upper()}")
    used = {k.toString() for a in window.actions() for k in a.shortcuts()}
    assert mnemonics and not (mnemonics & used)
