"""The window as a new user meets it (issue 11): buttons clicked, keys pressed, pixels read.

Everything here runs on the bundled demo transcript or on small fixtures written by the
tests themselves, so a fresh clone with nothing beside it runs it all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QInputDialog,
    QTabWidget,
    QTreeWidgetItem,
)

from widgets import theme
from widgets.main_window import MainWindow

TWO_SPEAKERS = """Alice 00:00:01

Hello and welcome to the show. Today we talk about boats and the people who mend them.

Bob 00:00:09

Thanks for having me. I have mended boats for twenty years, mostly wooden ones.

Alice 00:00:20

What got you started? Was it a family thing or did you find it on your own?

Bob 00:00:31

My grandfather had a small rowing boat. It was falling apart and he said I could keep it.
"""


@pytest.fixture
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, recent projects and the demo's data folder all under tmp_path."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return folder


@pytest.fixture
def themed():
    """Apply a theme to the application as the app does; the light one again afterwards."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield lambda th: theme.apply(app, th)
    theme.apply(app, theme.LIGHT)
    app.setStyleSheet("")


def make_window(qtbot, size: tuple[int, int] = (1300, 850), th: theme.Theme = theme.LIGHT):
    win = MainWindow(th, interactive=False)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def demo(qtbot, settings_dir: Path) -> MainWindow:
    win = make_window(qtbot)
    assert win.open_demo()
    return win


@pytest.fixture
def small(qtbot, settings_dir: Path, tmp_path: Path) -> MainWindow:
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    win = make_window(qtbot)
    assert win.open_file(str(source), str(tmp_path / "two.tedit"))
    return win


def drawn(widget: Any) -> Any:
    """What ``widget`` draws of itself on white, without its background: two widgets of one
    size and font compare equal when they show the same thing."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    widget.render(image, renderFlags=QWidget.RenderFlag.DrawChildren)
    return image


def undo_redo(win: MainWindow) -> tuple[bool, bool]:
    return win.undo_action.isEnabled(), win.redo_action.isEnabled()


ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def key(qtbot, win: MainWindow, k: Qt.Key, mod=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(win.view, k, mod)


def open_editor(qtbot, win: MainWindow, row: int, at: int | None = None) -> Any:
    """Select ``row`` with a click, open its editor with F2, and put the cursor at ``at``."""
    select_row(qtbot, win, row)
    key(qtbot, win, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: win.view.current_editor() is not None)
    editor = win.view.current_editor()
    assert editor is not None
    if at is not None:
        cursor = editor.textCursor()
        cursor.setPosition(at)
        editor.setTextCursor(cursor)
    return editor


def select_row(qtbot, win: MainWindow, row: int) -> None:
    win.view.scrollTo(win.model.index(row))
    rect = win.view.visualRect(win.model.index(row))
    # Click on the speaker column: selects without opening the editor.
    qtbot.mouseClick(
        win.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.left() + 40, rect.top() + 20),
    )
    assert win.view.currentIndex().row() == row


def click_speaker(qtbot, win: MainWindow, name: str) -> QTreeWidgetItem:
    tree = win.speakers_panel.tree
    items = tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    assert items, f"no row {name!r} in the speakers panel"
    rect = tree.visualItemRect(items[0])
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return items[0]


def speaker_counts(win: MainWindow) -> dict[str, tuple[str, str]]:
    tree = win.speakers_panel.tree
    out = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        out[item.text(0)] = (item.text(1), item.text(2))
    return out


# -- item 3: Undo/Redo follow every kind of change at once -------------------------------


def test_undo_redo_enabled_after_typing_undo_and_redo(qtbot, small: MainWindow) -> None:
    project = small.project
    assert project is not None
    assert undo_redo(small) == (False, False)
    select_row(qtbot, small, 0)
    qtbot.keyClick(small.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: small.view.current_editor() is not None)
    editor = small.view.current_editor()
    assert editor is not None
    qtbot.keyClicks(editor, " Yes")
    assert undo_redo(small) == (True, False)  # while typing
    qtbot.waitUntil(lambda: project.history_count() == 1, timeout=3000)
    assert undo_redo(small) == (True, False)  # after the pause committed it
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.doc.passages[0].text.endswith("them.")
    assert undo_redo(small) == (False, True)
    qtbot.keyClick(
        small.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert project.doc.passages[0].text.endswith("Yes")
    assert undo_redo(small) == (True, False)


def test_undo_enabled_after_a_panel_changes_the_project(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    click_speaker(qtbot, small, "Alice")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Alicia", True))
    qtbot.mouseClick(small.speakers_panel.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: small.undo_action.isEnabled())
    qtbot.keyClick(small.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert small.project is not None and small.project.doc.speakers[0].name == "Alice"
    qtbot.waitUntil(lambda: small.redo_action.isEnabled() and not small.undo_action.isEnabled())


# -- item 4: the speakers panel's buttons, clicked ----------------------------------------


def test_rename_colour_and_merge_buttons(qtbot, small: MainWindow, monkeypatch) -> None:
    project = small.project
    assert project is not None
    panel = small.speakers_panel
    assert not panel.rename_button.isEnabled()  # nothing selected yet
    click_speaker(qtbot, small, "Bob")
    bob = project.doc.speakers[1].id
    assert small.model.rowCount() == 2  # clicking a speaker filters the list

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Robert", True))
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    assert project.doc.speaker_by_id(bob).name == "Robert"
    assert "Robert" in speaker_counts(small)

    from PySide6.QtGui import QColor

    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    qtbot.mouseClick(panel.color_button, Qt.MouseButton.LeftButton)
    assert project.doc.speaker_by_id(bob).color == "#123456"
    assert small.view.speaker_info[bob][1].name() == "#123456"

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Alice", True))
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in project.doc.speakers] == ["Alice"]
    assert all(p.speaker_id == project.doc.speakers[0].id for p in project.doc.passages)
    assert set(speaker_counts(small)) == {"All speakers", "Alice"}
    assert small.model.rowCount() == 4  # the filter on the merged speaker is gone

    # Each button was one undo step.
    qtbot.waitUntil(small.undo_action.isEnabled)  # the event loop runs between key presses
    for _ in range(3):
        qtbot.keyClick(small.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.doc.speaker_by_id(bob).name == "Bob"
    assert project.doc.speaker_by_id(bob).color is None


def test_renaming_to_another_speakers_name_offers_the_merge(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    # It made two speakers called "Alice" that the list, its filter and exports could not
    # tell apart.
    from PySide6.QtWidgets import QMessageBox

    project = small.project
    assert project is not None
    panel = small.speakers_panel
    click_speaker(qtbot, small, "Bob")
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def ask(_parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
            asked.append(text)
            return button

        return ask

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("alice", True))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in project.doc.speakers] == ["Alice", "Bob"]  # cancelled: as it was
    assert "Alice" in asked[0] and "Bob" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in project.doc.speakers] == ["Alice"]
    assert {p.speaker_id for p in project.doc.passages} == {project.doc.speakers[0].id}


def test_cancelled_dialogs_change_nothing(qtbot, small: MainWindow, monkeypatch) -> None:
    project = small.project
    assert project is not None
    click_speaker(qtbot, small, "Alice")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    from PySide6.QtGui import QColor

    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor())
    for button in (
        small.speakers_panel.rename_button,
        small.speakers_panel.merge_button,
        small.speakers_panel.color_button,
    ):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert project.history_count() == 0


# -- item 7: counts follow split, new speaker and assign -----------------------------------


def test_speaker_counts_follow_split_new_speaker_and_assign(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    project = small.project
    assert project is not None
    assert speaker_counts(small)["Alice"][0] == "2"
    # Assign passage 2 (Bob's) to Alice with Ctrl+1.
    select_row(qtbot, small, 1)
    qtbot.keyClick(small.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert speaker_counts(small)["Alice"][0] == "3"
    assert speaker_counts(small)["Bob"][0] == "1"
    # Split passage 1 at the cursor with Ctrl+Return.
    editor = open_editor(qtbot, small, 0, at=project.doc.passages[0].text.index("Today"))
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(project.doc.passages) == 5
    assert speaker_counts(small)["Alice"][0] == "4"
    # A new speaker for the current passage (Ctrl+Shift+N): counted, and one undo step.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Carol", True))
    before = project.history_count()
    qtbot.keyClick(
        small.view,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert project.history_count() == before + 1
    assert speaker_counts(small)["Carol"][0] == "1"
    assert speaker_counts(small)["Alice"][0] == "3"
    qtbot.keyClick(small.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in project.doc.speakers] == ["Alice", "Bob"]
    assert speaker_counts(small)["Alice"][0] == "4"


# -- item 11: review keys ---------------------------------------------------------------


def run_offline(qtbot, win: MainWindow, level: str = "light") -> None:
    panel = win.assist_panel
    panel.model.setCurrentIndex(panel.model.findData("transcript-editor-offline"))
    panel.level.setCurrentIndex(panel.level.findData(level))
    with qtbot.waitSignal(panel.sig_finished, timeout=30000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)


def first_reviewed(qtbot, win: MainWindow) -> tuple[Any, Any, Any]:
    """The offline engine run from the panel; (project, first passage, its review)."""
    project = win.project
    assert project is not None
    run_offline(qtbot, win)
    first = project.doc.passages[0]
    return project, first, win.review_for(first)


def test_f7_then_alt_a_accepts_the_change_shown_and_skips_none(qtbot, demo: MainWindow) -> None:
    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.speakers and len(review.hunks) >= 2
    name = project.doc.speaker_by_id(first.speaker_id).name
    text = first.text
    select_row(qtbot, demo, 0)
    key(qtbot, demo, Qt.Key.Key_F7)  # the speaker name suggestion first
    assert demo.view.focus_hunk(first.id) < 0
    assert demo.statusBar().currentMessage().startswith("Speaker suggestion")
    key(qtbot, demo, Qt.Key.Key_F7)  # then the first text change
    assert demo.view.focus_hunk(first.id) == 0
    # The status line says so (the speaker's line stayed up while a text change was shown).
    assert (
        demo.statusBar()
        .currentMessage()
        .startswith(f"Change 1 of {len(review.hunks)} in this passage: Alt+A accepts")
    )
    key(qtbot, demo, Qt.Key.Key_A, ALT)
    assert project.doc.speaker_by_id(first.speaker_id).name == name  # not the speaker
    # What is left of the passage is said: the pending count alone did not move.
    left = len(review.hunks) - 1 + len(review.speakers)
    assert f"({left} more in this passage, " in demo.statusBar().currentMessage()
    accepted = project.passage(first.id).text
    assert accepted != text
    # The decision does not move the highlight; F7 then Alt+A decides each change once.
    assert demo.view.focus_hunk(first.id) < 0
    hunks = len(demo.review_for(project.passage(first.id)).hunks)  # type: ignore[union-attr]
    for _ in range(hunks):
        key(qtbot, demo, Qt.Key.Key_F7)
        assert demo.current_passage().id == first.id  # type: ignore[union-attr]
        key(qtbot, demo, Qt.Key.Key_R, ALT)
    after = demo.review_for(project.passage(first.id))
    assert after is not None and not after.hunks and after.speakers
    assert project.passage(first.id).text == accepted  # the rest were rejected, each once
    # Alt+A with nothing highlighted decides the speaker name that is left.
    key(qtbot, demo, Qt.Key.Key_A, ALT)
    assert project.doc.speaker_by_id(first.speaker_id).name != name
    assert demo.current_passage().id == first.id  # type: ignore[union-attr]


def test_f7_in_an_open_editor_keeps_the_typing_and_shows_the_change(
    qtbot, demo: MainWindow
) -> None:
    """F7 picked a change the open editor did not draw, and Alt+A then applied it unseen."""
    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.hunks
    demo.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    editor = open_editor(qtbot, demo, 0, at=0)
    qtbot.keyClick(editor, Qt.Key.Key_Q)
    qtbot.keyClick(editor, Qt.Key.Key_F7)
    assert demo.view.current_editor() is None  # the change is drawn on the row
    assert demo.view.hasFocus()
    assert project.passage(first.id).text.startswith("q")  # the typing is kept
    assert demo.view.focus_hunk(first.id) >= 0 or demo.view.decision_focus == first.id
    assert demo.statusBar().currentMessage().startswith(("Change 1 of", "Speaker suggestion"))


def test_f7_past_the_last_suggestion_goes_round_to_the_first(qtbot, demo: MainWindow) -> None:
    """It said "No more suggestions" with suggestions pending above."""
    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None
    last = demo.model.rowCount() - 1
    select_row(qtbot, demo, last)
    own = demo._units(demo.review_for(demo.current_passage()))  # type: ignore[arg-type]
    for _ in range(len(own) + 1):
        key(qtbot, demo, Qt.Key.Key_F7)
    assert demo.statusBar().currentMessage().startswith("Back to the first suggestion.")
    firsts = [p for p in project.doc.passages if demo._units(demo.review_for(p))]
    assert demo.current_passage().id == firsts[0].id  # type: ignore[union-attr]
    key(qtbot, demo, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert demo.statusBar().currentMessage().startswith("Back to the last suggestion.")


def test_the_change_f7_shows_is_tinted_not_only_underlined(qtbot, demo: MainWindow) -> None:
    """The text change under review had a thin accent underline only, and the speaker
    suggestion F7 stops at first had no mark at all; each now has the accent's tint."""
    from PySide6.QtGui import QImage

    def shot() -> QImage:
        demo.view.viewport().repaint()
        image = demo.view.viewport().grab().toImage()
        return image.convertToFormat(QImage.Format.Format_RGB32)

    def changed(before: QImage, after: QImage) -> int:
        return sum(
            before.pixel(x, y) != after.pixel(x, y)
            for y in range(after.height())
            for x in range(0, after.width(), 2)
        )

    project, first, review = first_reviewed(qtbot, demo)
    assert review is not None and review.speakers and review.hunks
    select_row(qtbot, demo, 0)
    nothing = shot()
    key(qtbot, demo, Qt.Key.Key_F7)  # the speaker suggestion
    assert demo.statusBar().currentMessage().startswith("Speaker suggestion")
    decision = shot()
    key(qtbot, demo, Qt.Key.Key_F7)  # the first text change
    assert demo.view.focus_hunk(first.id) == 0
    change = shot()
    # An underline alone changes a line a pixel or two high (~65 pixels counted here); a
    # tint fills the words, a line of text high.
    assert changed(nothing, decision) > 400
    assert changed(decision, change) > 400


def test_assist_level_is_kept_across_sessions(qtbot, settings_dir: Path) -> None:
    win = make_window(qtbot)
    level = win.assist_panel.level
    assert level.currentData() == "standard"
    level.setCurrentIndex(level.findData("print"))
    win.close()
    again = make_window(qtbot)
    assert again.assist_panel.level.currentData() == "print"


def test_typing_on_a_selected_passage_appends(qtbot, small: MainWindow) -> None:
    project = small.project
    assert project is not None
    select_row(qtbot, small, 2)
    qtbot.keyClicks(small.view, "Q")  # any key opens the editor with the caret at the end
    qtbot.waitUntil(lambda: project.history_count() == 1, timeout=3000)
    assert project.doc.passages[2].text.endswith("own?Q")


# -- item 9: a speaker filter is shown, and cleared with a click ---------------------------


def test_speaker_filter_bar(qtbot, small: MainWindow) -> None:
    assert not small.filter_bar.isVisible()
    click_speaker(qtbot, small, "Bob")
    assert small.model.rowCount() == 2
    assert small.filter_bar.isVisible()
    assert small.filter_label.text() == "Showing only Bob — 2 passages"
    qtbot.mouseClick(small.filter_clear, Qt.MouseButton.LeftButton)
    assert small.model.rowCount() == 4
    assert not small.filter_bar.isVisible()
    assert small.speakers_panel.selected_id() is None


# -- item 8: importing over an open project ------------------------------------------------


def test_import_while_a_project_is_open(
    qtbot, demo: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    # Scrolled down and filtered to one speaker in the demo...
    last = demo.model.rowCount() - 1
    select_row(qtbot, demo, last)
    click_speaker(qtbot, demo, demo.project.doc.speakers[1].name)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: demo.view.verticalScrollBar().value() > 0 or demo.model.rowCount() < 5)
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    # ...Ctrl+I imports another transcript: no error from any panel (pytest-qt fails the
    # test on an exception in a slot), and the new one shows whole, from its top.
    qtbot.keyClick(demo.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert demo.project is not None and demo.project.doc.title == "two"
    assert demo.model.rowCount() == 4
    assert demo.view.currentIndex().row() == 0
    assert demo.view.verticalScrollBar().value() == 0
    assert not demo.filter_bar.isVisible()
    assert set(speaker_counts(demo)) == {"All speakers", "Alice", "Bob"}
    demo.history_panel.refresh()  # reads the open project, not the closed one


def test_a_list_filtered_to_nothing_during_a_run_says_so(qtbot, demo: MainWindow) -> None:
    """Item 8, "the whole list went blank during an assist run": with Needs review chosen
    (or kept from the last session) the list is empty before the run's suggestions arrive and
    again after the last decision. It must say so and offer the way back, not look blank."""
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(demo.view, Qt.Key.Key_5, ctrl_alt)  # Show: Needs review
    assert demo.model.filter == "review" and demo.model.rowCount() == 0
    assert demo.filter_bar.isVisible()
    assert demo.filter_label.text().startswith("Showing only needs review — no passages")
    run_offline(qtbot, demo)
    shown = demo.model.rowCount()
    assert shown > 0 and demo.filter_label.text().endswith(
        f"{shown} passage{'s' if shown != 1 else ''}"
    )
    # Accept all shown: nothing needs review any more, and the bar says so.
    shift = ctrl_alt | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(demo.view, Qt.Key.Key_A, shift)
    qtbot.waitUntil(lambda: demo.model.rowCount() == 0)
    assert demo.filter_bar.isVisible() and "no passages" in demo.filter_label.text()
    qtbot.mouseClick(demo.filter_clear, Qt.MouseButton.LeftButton)
    assert demo.model.filter == "all" and demo.filter_combo.currentData() == "all"
    assert demo.model.rowCount() == 17 and not demo.filter_bar.isVisible()


# -- item 14: words, and where the demo exports to ---------------------------------------


def test_one_passage_is_singular(qtbot, settings_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "one.txt"
    source.write_text("Alice 00:00:01\n\nJust one sentence here.\n", encoding="utf-8")
    win = make_window(qtbot)
    assert win.open_file(str(source), str(tmp_path / "one.tedit"))
    qtbot.waitUntil(lambda: win.status_counts.text() != "")
    assert win.status_counts.text().startswith("1 passage · 4 words")


def test_demo_exports_to_documents_not_the_data_folder(qtbot, demo: MainWindow) -> None:
    from widgets.demo import data_dir
    from widgets.export_dialog import ExportDialog

    assert demo.project is not None
    dialog = ExportDialog(demo.project, demo)
    qtbot.addWidget(dialog)
    target = Path(dialog.path.text())
    assert not target.resolve().is_relative_to(data_dir().resolve())
    assert target.parent.is_dir()


def test_projects_export_beside_themselves(qtbot, small: MainWindow) -> None:
    from widgets.export_dialog import ExportDialog

    assert small.project is not None
    dialog = ExportDialog(small.project, small)
    qtbot.addWidget(dialog)
    assert Path(dialog.path.text()).parent == small.project.path.parent


# -- item 13: a DOCX export has a preview ------------------------------------------------


def test_docx_preview_shows_the_text(qtbot, small: MainWindow) -> None:
    from widgets.export_dialog import ExportDialog

    assert small.project is not None
    dialog = ExportDialog(small.project, small)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    qtbot.waitUntil(lambda: dialog.preview.toPlainText().startswith("# "), timeout=5000)
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    # The document's own paragraphs, read back: no Markdown heading mark.
    qtbot.waitUntil(
        lambda: (
            "welcome to the show" in dialog.preview.toPlainText()
            and not dialog.preview.toPlainText().startswith("# ")
        ),
        timeout=5000,
    )
    assert "Bob" in dialog.preview.toPlainText()


def test_the_export_path_keeps_its_name_and_the_format_follows_it(
    qtbot, small: MainWindow, tmp_path: Path
) -> None:
    """Ticking an option put the default path back over a name the user had typed, and
    another format threw away the folder and the name; a name typed with another format's
    extension wrote, say, Markdown into talk.srt."""
    from PySide6.QtWidgets import QDialogButtonBox

    from widgets.export_dialog import ExportDialog

    assert small.project is not None
    dialog = ExportDialog(small.project, small)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    dialog.path.setFocus()
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(tmp_path / "final.md"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Tab)  # leaving the field (Return would export)
    ticked = dialog.timestamps.isChecked()
    box = dialog.timestamps
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.timestamps.isChecked() != ticked  # an option changed: the name is kept
    assert dialog.path.text() == str(tmp_path / "final.md")
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))  # another format
    assert dialog.path.text() == str(tmp_path / "final.docx")
    assert dialog.timestamps.isEnabled()
    # A name with a subtitle extension chooses that format.
    dialog.path.setFocus()
    dialog.path.selectAll()
    qtbot.keyClicks(dialog.path, str(tmp_path / "talk.srt"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Tab)
    assert dialog.fmt() == "srt" and dialog.path.text() == str(tmp_path / "talk.srt")
    assert not dialog.timestamps.isEnabled()  # a cue is its times
    export = dialog.buttons.button(QDialogButtonBox.StandardButton.Save) or next(
        b for b in dialog.buttons.buttons() if "Export" in b.text()
    )
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "talk.srt").exists(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=5000)
    assert (tmp_path / "talk.srt").read_text(encoding="utf-8").startswith("1\n00:00:01,000")


def test_export_names_and_an_existing_file_are_checked_before_writing(
    qtbot, small: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Markdown went into "out.pdf", an existing file was replaced without a word, a bare
    name landed wherever the app was started, and an empty name said ". is a folder"."""
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from widgets.export_dialog import ExportDialog, export_folder

    assert small.project is not None
    dialog = ExportDialog(small.project, small)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    export = next(
        b
        for b in dialog.buttons.buttons()
        if dialog.buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )

    def export_as(name: str) -> None:
        dialog.path.setFocus()
        dialog.path.selectAll()
        if name:
            qtbot.keyClicks(dialog.path, name)
        else:
            qtbot.keyClick(dialog.path, Qt.Key.Key_Delete)
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)

    export_as("")
    assert dialog.status.text() == "Name the file to export to"
    export_as(str(tmp_path / "out.pdf"))
    assert "end it with .md" in dialog.status.text() and not (tmp_path / "out.pdf").exists()
    # A bare name: the export folder, with the format's extension, shown whole.
    export_as("final")
    target = export_folder(small.project.path) / "final.md"
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=5000)
    assert dialog.path.text() == str(target) and target.read_text("utf-8").startswith("#")
    # Again: the file is there now; cancelled, it is kept as it was.
    target.write_text("mine", "utf-8")
    asked: list[str] = []

    def ask(button):  # type: ignore[no-untyped-def]
        return lambda _p, _t, text, *a, **k: asked.append(text) or button

    monkeypatch.setattr(QMessageBox, "question", ask(QMessageBox.StandardButton.Cancel))
    export_as(str(target))
    assert "final.md already exists" in asked[0] and target.read_text("utf-8") == "mine"
    assert "kept" in dialog.status.text()
    monkeypatch.setattr(QMessageBox, "question", ask(QMessageBox.StandardButton.Yes))
    export_as(str(target))
    qtbot.waitUntil(lambda: target.read_text("utf-8") != "mine", timeout=5000)


# -- item 5: no passage's last line is cut, at two widths and in both themes --------------


def recording_delegate(win: MainWindow) -> list[tuple[int, QRect]]:
    """Swap in a delegate that notes the rectangle each row is painted in."""
    from widgets.passage_view import PassageDelegate

    painted: list[tuple[int, QRect]] = []

    class Recording(PassageDelegate):
        def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
            painted.append((index.row(), QRect(option.rect)))
            super().paint(painter, option, index)

    old = win.view.delegate
    delegate = Recording(win.view)
    delegate.theme = old.theme
    win.view.delegate = delegate
    win.view.setItemDelegate(delegate)
    return painted


def cut_rows(win: MainWindow, painted: list[tuple[int, QRect]]) -> list[int]:
    """Rows whose laid-out text needs more height than they have on screen: down to their own
    rectangle's bottom or to where the next row was painted over them, whichever is higher.

    The second bound is the one that caught item 5: Qt sizes a row's rectangle from its size
    hint at paint time but places the rows from the last layout, so rows measured at another
    width overlap and the next row's background covers this one's last line.
    """
    from widgets.passage_model import PassageRole
    from widgets.passage_view import PAD_Y

    delegate = win.view.delegate
    last = dict(painted)  # the last paint of each row
    cut = []
    for row, rect in last.items():
        passage = win.model.index(row).data(PassageRole)
        _, orig, edit, top = delegate.columns(rect, passage)
        needed = max(
            delegate._text_layout(passage, "original", orig.width())[1],
            delegate._text_layout(passage, "edited", edit.width())[1],
        )
        below = last.get(row + 1)
        bottom = min(rect.bottom(), below.top() - 1) if below is not None else rect.bottom()
        if top + PAD_Y + needed > bottom + 1:
            cut.append(row)
    return cut


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("th", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_no_passage_is_cut_on_first_paint(qtbot, settings_dir: Path, size, th, themed) -> None:
    themed(th)  # fonts and style sheet as the app has them
    win = MainWindow(th, interactive=False)
    qtbot.addWidget(win)
    painted = recording_delegate(win)
    win.resize(*size)
    assert win.open_demo()
    checked: list[list[int]] = []
    # Checked at the first paint itself, before anything else can relayout.
    win.view.sig_first_paint.connect(lambda: checked.append(cut_rows(win, list(painted))))
    win.show()
    qtbot.waitUntil(lambda: bool(checked))
    assert painted and checked[0] == []
    # And again after a resize narrower (the text wraps to more lines).
    painted.clear()
    win.resize(size[0] - 200, size[1])
    win.view.viewport().repaint()
    assert painted and cut_rows(win, painted) == []


# -- item 6: the window fits the screen and remembers its size and place ------------------


def test_window_fits_the_screen_and_remembers(qtbot, settings_dir: Path) -> None:
    win = MainWindow(theme.LIGHT, interactive=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    area = win.screen().availableGeometry()
    assert win.height() <= area.height()
    bar = win.statusBar()
    bottom = bar.mapToGlobal(bar.rect().bottomLeft()).y()
    assert bottom <= area.bottom()  # the status bar is on the screen
    win.resize(640, 480)
    win.move(area.left() + 30, area.top() + 20)
    qtbot.waitUntil(lambda: win.height() == 480)
    size, place = win.size(), win.pos()
    win.close()
    again = MainWindow(theme.LIGHT, interactive=True)
    qtbot.addWidget(again)
    assert again.height() == size.height()
    # Its place is kept; the frame (title bar, border) may shift it a little.
    assert abs(again.y() - place.y()) <= 40 and abs(again.x() - place.x()) <= 8
    assert again.width() == min(size.width(), area.width() - 8)  # fitted, frame included


def test_a_window_made_narrow_puts_its_panels_in_one_column(qtbot, settings_dir: Path) -> None:
    """On a wide screen the panels sit on both sides; a user who then makes the window narrow
    gets them in one column on the right once the transcript would be too narrow to read (they
    overlapped it at 800 pixels)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    area = QRect(0, 0, 1920, 1080)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QScreen, "availableGeometry", lambda self: area)
        win = MainWindow(theme.LIGHT, interactive=True)
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_demo()
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    assert win.dockWidgetArea(win.speakers_dock) == left  # room for both sides
    win.resize(1200, 800)
    qtbot.wait(50)
    assert win.dockWidgetArea(win.speakers_dock) == left  # still readable: left alone
    win.resize(800, 600)
    right = Qt.DockWidgetArea.RightDockWidgetArea
    qtbot.waitUntil(lambda: win.dockWidgetArea(win.speakers_dock) == right)
    assert win.dockWidgetArea(win.chapters_dock) == right
    qtbot.waitUntil(lambda: win.view.viewport().width() >= 360)
    assert_tabs_whole_and_in_sight(win)
    # The next start restores that column (Qt's saved state keeps the panels' places, not
    # where their tabs are): its tabs go down the side again, not back into a scrolled bar.
    win.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QScreen, "availableGeometry", lambda self: area)
        again = MainWindow(theme.LIGHT, interactive=True)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.open_demo()
    assert again.dockWidgetArea(again.speakers_dock) == right
    assert again.tabPosition(right) == QTabWidget.TabPosition.East
    assert_tabs_whole_and_in_sight(again)


def assert_tabs_whole_and_in_sight(win: MainWindow) -> None:
    """Six tabs in a column of about 220 pixels read "…", "AI…", "M…"; then, whole and
    scrolled, one showed cut in half beside the arrows. Down the column's side, each tab is
    whole and every one is in sight."""
    from PySide6.QtWidgets import QTabBar

    bars = [b for b in win.findChildren(QTabBar) if b.isVisible() and b.count() >= 5]
    assert bars
    for bar in bars:
        for i in range(bar.count()):
            tab = bar.tabRect(i)
            text = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            assert max(tab.width(), tab.height()) > text
            assert bar.rect().contains(tab), (bar.tabText(i), tab, bar.rect())


@pytest.mark.parametrize("screen", [(800, 600), (1024, 600)], ids=["800x600", "1024x600"])
def test_window_fits_a_small_screen(qtbot, settings_dir: Path, monkeypatch, screen, themed) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QDockWidget

    themed(theme.LIGHT)  # the style and style sheet a user's window has: its headers' padding

    area = QRect(0, 0, *screen)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: area)
    win = MainWindow(theme.LIGHT, interactive=True)  # as a user starts it: fitted, not sized
    qtbot.addWidget(win)
    assert win.open_demo()
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.view.viewport().width() > 0)
    # The whole frame is on the screen, and nothing forces it wider or taller.
    frame = win.frameGeometry()
    assert area.contains(frame), (frame, area)
    assert win.minimumSizeHint().width() <= area.width() - 8
    assert win.minimumSizeHint().height() <= area.height() - 40
    bar = win.statusBar()
    assert bar.isVisible()
    assert area.contains(QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size()))
    # Every panel shown lies inside the window, and the transcript keeps room to be read.
    for dock in win.findChildren(QDockWidget):
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            assert win.rect().contains(QRect(dock.mapTo(win, QPoint(0, 0)), dock.size()))
    assert win.view.viewport().width() >= 480
    assert win.speakers_dock.isVisible()  # a tab of the one column of panels
    assert_tabs_whole_and_in_sight(win)
    # Every name fits whole in that narrow column of panels (the word counts give way where
    # one would not: test_gui_handwork's speaker-name test).
    tree = win.speakers_panel.tree
    assert 0 < tree.sizeHintForColumn(0) <= tree.columnWidth(0)
    # And the welcome screen (before a project) fits as well.
    fresh = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(fresh)
    fresh.show()  # shown without a project: the welcome screen is made and shown
    assert fresh.stack.currentWidget() is fresh.welcome
    assert fresh.minimumSizeHint().width() <= area.width() - 8


def test_opening_the_editor_moves_no_text(qtbot, small: MainWindow) -> None:
    """F2 puts the editor's text where the row drew it: it jumped 5 pixels left and 7 up, and
    wrapped 10 pixels wider, so a line could reflow as the editor opened."""

    def first_ink(image, rect) -> tuple[int, int]:
        for y in range(rect.top(), rect.bottom()):
            for x in range(rect.left(), rect.right()):
                if image.pixelColor(x, y).lightness() < 120:
                    return x, y
        raise AssertionError("no text drawn")

    select_row(qtbot, small, 0)
    index = small.model.index(0)
    passage = small.model.passage(0)
    assert passage is not None
    _, _, edit, _ = small.view.delegate.columns(small.view.visualRect(index), passage)
    area = edit.adjusted(-12, -12, 12, 12)
    before = first_ink(small.view.viewport().grab().toImage(), area)
    key(qtbot, small, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: small.view.current_editor() is not None)
    editor = small.view.current_editor()
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    after = first_ink(small.view.viewport().grab().toImage(), area)
    assert abs(after[0] - before[0]) <= 1 and abs(after[1] - before[1]) <= 1, (before, after)
    assert editor.viewport().width() == edit.width()  # lines as wide: the same wrapping


def test_both_text_columns_stay_inside_a_narrow_list(qtbot, demo: MainWindow) -> None:
    """A 1024-pixel window with panels on both sides leaves the list about 440 pixels: the
    spacing and the speaker column give way, and the edited column is not cut off at the
    list's right edge (it ran 50 pixels past it)."""
    demo.resize(1024, 700)
    qtbot.waitUntil(lambda: demo.view.viewport().width() < 520)
    width = demo.view.viewport().width()
    rect = demo.view.visualRect(demo.model.index(0))
    passage = demo.model.passage(0)
    assert passage is not None
    meta, original, edited, _ = demo.view.delegate.columns(rect, passage)
    assert edited.right() < width and original.width() >= 100, (width, edited)
    assert meta.right() < original.left() < original.right() < edited.left()
    demo.resize(1440, 900)  # and a wide list keeps the full spacing
    qtbot.waitUntil(lambda: demo.view.viewport().width() > 700)
    rect = demo.view.visualRect(demo.model.index(0))
    meta, original, edited, _ = demo.view.delegate.columns(rect, passage)
    assert meta.width() == 168 and edited.right() < demo.view.viewport().width()


def test_the_welcome_screen_keeps_its_text_and_buttons_together(qtbot, settings_dir) -> None:
    """Without recent projects, the space left went between the title, the text and the
    buttons (the buttons 150 pixels below the text on an 800-pixel window); and the chapters
    panel said "This transcript has no chapters." with no transcript open."""
    from PySide6.QtWidgets import QLabel, QPushButton

    win = make_window(qtbot, size=(1280, 800))
    page = win.welcome
    lead = next(w for w in page.findChildren(QLabel) if w.text().startswith("Open a transcript"))
    button = next(b for b in page.findChildren(QPushButton) if b.text() == "Import transcript…")
    qtbot.waitUntil(lambda: button.isVisible() and lead.height() > 0)
    # The text's own height, not the label's (a label given spare height centres its text).
    text_bottom = lead.mapTo(page, QPoint(0, 0)).y() + lead.heightForWidth(lead.width())
    gap = button.mapTo(page, QPoint(0, 0)).y() - text_bottom
    assert 0 <= gap < 60, gap
    assert "no chapters" not in win.chapters_panel.empty.text()
    assert not win.chapters_panel.list.isVisible()


def test_a_recent_project_that_is_gone_leaves_the_welcome_list(
    qtbot, settings_dir: Path, tmp_path: Path
) -> None:
    # It said "no such file" and stayed in the list, to be clicked again.
    from widgets.recent import add_recent

    gone = tmp_path / "gone.tedit"
    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    win = make_window(qtbot)
    assert win.open_file(str(source), str(gone))
    win.close_project()
    add_recent(gone)
    page = win.welcome
    page.refresh()
    assert page.recent.count() == 1
    gone.unlink()
    page.recent.setCurrentRow(0)
    qtbot.keyClick(page.recent, Qt.Key.Key_Return)  # opens it: "no such file"
    assert win.project is None
    qtbot.waitUntil(lambda: page.recent.count() == 0)


# -- item 10: the selected item of a drop-down is drawn ------------------------------------


@pytest.mark.parametrize("th", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_dropdown_selected_item_is_visible(qtbot, settings_dir: Path, th) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, th)
    try:
        win = make_window(qtbot, th=th)
        combo = win.assist_panel.level
        combo.setCurrentIndex(1)
        combo.showPopup()
        view = combo.view()
        qtbot.waitUntil(view.isVisible)
        image = view.viewport().grab().toImage()
        rect = view.visualRect(combo.model().index(1, 0))
        background = image.pixelColor(rect.left() + 1, rect.top() + 1)
        ink = 0
        for x in range(rect.left(), rect.right(), 2):
            for y in range(rect.top(), rect.bottom()):
                c = image.pixelColor(x, y)
                if (
                    abs(c.red() - background.red())
                    + abs(c.green() - background.green())
                    + abs(c.blue() - background.blue())
                    > 200
                ):
                    ink += 1
        assert ink > 40, "the selected item's text is not drawn"
        assert background != QColor(th.base)  # and it is marked as selected
        combo.hidePopup()
    finally:
        theme.apply(app, theme.LIGHT)


# -- item 2: a missing X11 library is named, not a Qt abort --------------------------------


def test_missing_xcb_library_is_named(monkeypatch, capsys) -> None:
    from widgets import app

    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(app, "plugin_loads", lambda plugin: False)
    monkeypatch.setattr(app, "missing_libraries", lambda plugin: ["libxcb-icccm.so.4"])
    assert app.launch(None) == 1
    err = capsys.readouterr().err
    assert "libxcb-icccm.so.4" in err and "apt install libxcb-icccm4" in err
    assert "cursor" not in err
    assert err.startswith("error: ") and err.count("\n") == 1  # one line


def test_the_x11_plugin_is_checked_by_loading_it(tmp_path: Path) -> None:
    """The usual start asks the dynamic loader (a few ms), not ldd (160 ms on X11): a file
    that is no library, or one needing a library that is not there, does not load."""
    import shutil

    from widgets.app import missing_libraries, plugin_loads, xcb_plugin

    not_a_library = tmp_path / "libqxcb.so"
    not_a_library.write_bytes(b"\x7fELF and then nothing")
    assert not plugin_loads(not_a_library)
    plugin = xcb_plugin()
    if plugin is not None and shutil.which("ldd"):
        lib = plugin.parent.parent.parent / "lib" / "libQt6XcbQpa.so.6"
        complete = not missing_libraries(plugin) and not missing_libraries(lib)
        assert plugin_loads(plugin) is complete  # the loader and ldd agree


def test_a_start_on_x11_asks_the_loader_not_ldd(monkeypatch) -> None:
    from widgets import app

    if app.xcb_plugin() is None:
        pytest.skip("PySide6 without its X11 plugin")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(app, "plugin_loads", lambda plugin: True)
    monkeypatch.setattr(app, "missing_libraries", lambda plugin: pytest.fail("ldd was asked"))
    assert app.xcb_problem() is None


def test_ldd_output_is_read() -> None:
    from widgets.app import parse_ldd_missing, will_use_xcb

    out = (
        "\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x1)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )
    assert parse_ldd_missing(out) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert will_use_xcb({"DISPLAY": ":0"}) is (__import__("sys").platform == "linux")
    assert not will_use_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not will_use_xcb({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})


# -- item 4: the CLI merges speakers too ----------------------------------------------------


def test_cli_merges_speakers(tmp_path: Path, capsys) -> None:
    from editor.store import Project
    from entry.cli import main

    source = tmp_path / "two.txt"
    source.write_text(TWO_SPEAKERS, encoding="utf-8")
    project = tmp_path / "two.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    assert main(["speakers", str(project), "--merge", "Bob=Alice"]) == 0
    assert "Alice" in capsys.readouterr().out
    with Project.open(project) as p:
        assert [s.name for s in p.doc.speakers] == ["Alice"]
        assert p.undo_description() == 'Merge "Bob" into "Alice"'
    assert main(["speakers", str(project), "--merge", "Zed=Alice"]) != 0
    assert main(["speakers", str(project), "--merge", "Alice"]) != 0


def test_ctrl_w_gives_the_keys_to_the_welcome_screen(qtbot, demo: MainWindow) -> None:
    """They stayed on the hidden passage list (keys did nothing until a click), under the
    closed project's last message."""
    demo.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    editor = open_editor(qtbot, demo, 1, at=0)
    qtbot.keyClick(editor, Qt.Key.Key_Q)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    key(qtbot, demo, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert demo.statusBar().currentMessage().startswith("Undo")
    key(qtbot, demo, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert demo.project is None and demo.stack.currentWidget() is demo.welcome
    focused = QApplication.focusWidget()
    assert focused is not None and focused.isVisible() and demo.welcome.isAncestorOf(focused)
    assert demo.statusBar().currentMessage() == ""
    # The demo is now a recent project: Enter opens it again.
    assert focused is demo.welcome.recent
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo.project is not None)


def test_larger_text_keeps_the_current_passage_in_view(qtbot, settings_dir: Path) -> None:
    """The top passage stayed put and the rows growing above the current one pushed it off
    the screen."""
    win = make_window(qtbot, size=(1280, 800))
    assert win.open_demo()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    select_row(qtbot, win, 0)
    key(qtbot, win, Qt.Key.Key_Down)
    key(qtbot, win, Qt.Key.Key_Down)
    current = win.view.currentIndex()
    top = win.view.visualRect(current).top()
    assert top > 200  # low in the view: the rows above it grow
    for _ in range(6):
        key(qtbot, win, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert win.statusBar().currentMessage().startswith("Text size")

    def placed() -> bool:
        return win.view.visualRect(win.view.currentIndex()).top() == top

    qtbot.waitUntil(placed, timeout=3000)
    assert win.view.currentIndex().row() == current.row()
    key(qtbot, win, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(placed, timeout=3000)


def test_suggest_edits_for_this_passage_asks_for_it_alone(qtbot, demo: MainWindow) -> None:
    project = demo.project
    assert project is not None
    panel = demo.assist_panel
    panel.model.setCurrentIndex(panel.model.findData("transcript-editor-offline"))
    demo.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    select_row(qtbot, demo, 2)
    chosen = demo.current_passage()
    assert chosen is not None
    with qtbot.waitSignal(panel.sig_finished, timeout=30000):
        key(qtbot, demo, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | SHIFT)
    edited = {r["passage_id"] for r in project.suggestions.values() if r["kind"] == "readability"}
    assert edited == {chosen.id}  # (speaker names are the transcript's, asked as checked)
    assert demo.assist_dock.isVisible()


def test_a_new_speaker_named_as_one_there_is_that_speaker(
    qtbot, small: MainWindow, monkeypatch
) -> None:
    """Two speakers were both called "Bob": listed twice, and Ctrl+2 and Ctrl+3 alike."""
    from editor.commands import AddSpeaker
    from editor.errors import TranscriptError

    project = small.project
    assert project is not None
    select_row(qtbot, small, 0)  # Alice's
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (" bob ", True))
    qtbot.keyClick(
        small.view,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [s.name for s in project.doc.speakers] == ["Alice", "Bob"]
    bob = project.doc.speakers[1]
    assert project.doc.passages[0].speaker_id == bob.id  # the passage is Bob's now
    assert "already a speaker" in small.statusBar().currentMessage()
    with pytest.raises(TranscriptError, match="already called"):
        project.execute(AddSpeaker("ALICE"))  # the core refuses it too


def test_merging_into_another_speakers_passage_says_whose_it_is_now(
    qtbot, small: MainWindow
) -> None:
    """The next speaker's words became this speaker's without a word."""
    project = small.project
    assert project is not None
    small.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is small)
    select_row(qtbot, small, 0)  # Alice's; the next is Bob's
    count = len(project.doc.passages)
    key(qtbot, small, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert len(project.doc.passages) == count - 1
    assert small.statusBar().currentMessage().startswith("Merged: Bob's passage is now Alice's")


def test_the_line_about_a_change_goes_with_the_change(qtbot, demo: MainWindow) -> None:
    # "Change 2 of 4 in this passage…" stayed up with the list showing other passages.
    first_reviewed(qtbot, demo)
    select_row(qtbot, demo, 0)
    key(qtbot, demo, Qt.Key.Key_F7)
    key(qtbot, demo, Qt.Key.Key_F7)
    assert demo.statusBar().currentMessage().startswith("Change 1 of")
    key(qtbot, demo, Qt.Key.Key_2, CTRL | ALT)  # show only the changed passages: not it
    assert demo.model.row_of(demo.project.doc.passages[0].id) is None  # type: ignore[union-attr]
    assert not demo.statusBar().currentMessage().startswith("Change ")


def test_a_paste_is_cleaned_as_typing_would_be(qtbot, demo: MainWindow) -> None:
    """Pasted, a tab and a zero-width space were stored as they came, unseen (Tab cannot
    type one: it leaves the passage)."""
    editor = open_editor(qtbot, demo, 1, at=0)
    # As text: a QMimeData made here and given to the clipboard is freed twice at exit.
    QApplication.clipboard().setText("Tab\there, zero\u200bwidth, no\u2060join\ufeff. ")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    project = demo.project
    assert project is not None
    qtbot.waitUntil(lambda: project.doc.passages[1].text.startswith("Tab here"))
    text = project.doc.passages[1].text
    assert text.startswith("Tab here, zerowidth, nojoin. ")
    assert not any(c in text for c in "\t\u200b\u2060\ufeff")


def test_an_older_version_clicked_while_typing_stays_chosen_and_restores(
    qtbot, demo: MainWindow
) -> None:
    """The click closed the editor, its typing was committed, and the version list made
    anew chose the newest: the click was lost and Restore stayed disabled."""
    project = demo.project
    assert project is not None
    demo.activateWindow()  # the click takes the focus from the editor, as a user's does
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    original = project.doc.passages[1].text
    editor = open_editor(qtbot, demo, 1)
    qtbot.keyClicks(editor, " First.")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # committed: a version of its own
    qtbot.waitUntil(lambda: project.doc.passages[1].text.endswith("First."))
    panel = demo.history_panel
    versions = panel.version_list
    qtbot.waitUntil(lambda: versions.count() == 2 and versions.isVisible())
    editor = open_editor(qtbot, demo, 1)
    qtbot.keyClicks(editor, " Second.")  # typing pending
    assert not project.doc.passages[1].text.endswith("Second.")
    rect = versions.visualItemRect(versions.item(0))  # "imported · original"
    qtbot.mouseClick(versions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: project.doc.passages[1].text.endswith("Second."))
    for _ in range(3):  # what the commit set going in later turns (a look for stale ones)
        QApplication.processEvents()
    assert versions.currentRow() == 0 and "original" in versions.currentItem().text()
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert project.doc.passages[1].text == original
